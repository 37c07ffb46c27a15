#include "ui/workbench.h"

#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/simulatedmodem.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/transport/ble/blediscovery.h"
#include "app/transport/ble/systembackend.h"

#include "app/core/logging.h"
#include "app/onboarding/deviceregistry.h"
#include "app/onboarding/journey/registryjourneyrecorder.h"
#include "app/profiles/profilelibrary.h"
#include "app/simulator/simulatorhost.h"
#include "app/storage/store/store.h"
#include "app/storage/workspace.h"
#include "app/transport/serialdiscovery.h"

#include <QTemporaryDir>

namespace provbench {

Workbench::Workbench(QObject *parent) : QObject(parent) { }

Workbench::~Workbench()
{
    delete m_recorder;
    m_recorder = nullptr;
    m_store.reset();
    delete m_profiles;
    m_profiles = nullptr;
    // Sessions close their links (and BLE connections) before the simulated
    // devices and the BLE stack go away.
    delete m_registry;
    m_registry = nullptr;
    delete m_bleDiscovery;
    m_bleDiscovery = nullptr;
    delete m_simulatedBle;
    m_simulatedBle = nullptr;
    m_ownedBleBackend.reset();
    m_bleBackend = nullptr;
    delete m_simulator;
    m_simulator = nullptr;
    delete m_discovery;
    m_discovery = nullptr;
}

Result<void> Workbench::start(const Options &options)
{
    SerialDiscovery::Options discoveryOptions;
    discoveryOptions.includeSystemPorts = options.includeSystemPorts && options.demoCount <= 0;
    m_discovery = new SerialDiscovery(discoveryOptions, this);
    m_registry = new DeviceRegistry(m_discovery, this);

    for (const QString &port : options.ports)
        m_discovery->addWatchedPath(port);
    for (const QString &dir : options.watchDirs)
        m_discovery->addWatchedDirectory(dir);

    Result<void> result;
    if (options.demoCount > 0) {
        m_demoDir = std::make_unique<QTemporaryDir>();
        if (!m_demoDir->isValid()) {
            result = fail(Error::Code::Io,
                tr("Could not create a temporary folder for the simulated devices "
                   "(%1). Check that TMPDIR is writable.")
                    .arg(m_demoDir->errorString()));
        } else {
            QList<sim::SimDeviceConfig> configs;
            for (int i = 0; i < options.demoCount; ++i) {
                sim::SimDeviceConfig config = sim::demoConfig(i);
                if (options.simLatencyMs)
                    config.latencyMs = *options.simLatencyMs;
                if (options.simConnectMs)
                    config.connectMs = *options.simConnectMs;
                configs << config;
            }
            QList<sim::SimulatedSerialDevice *> devices;
            for (const sim::SimDeviceConfig &c : std::as_const(configs))
                devices << new sim::SimulatedImprovDevice(c);
            if (options.demoOtherKinds) {
                devices << new sim::SimulatedSmpDevice(sim::demoSmpConfig(0));
                devices << new sim::SimulatedModem(sim::demoModemConfig(0));
            }
            auto *host = new sim::SimulatorHost(this);
            result = host->start(m_demoDir->path(), devices);
            if (result) {
                m_simulator = host;
                m_discovery->addWatchedDirectory(m_demoDir->path(), QStringLiteral("ttySIM*"));
            } else {
                delete host;
            }
        }
    }
    m_discovery->start();
    startBle(options);

    Result<void> profiles = openProfiles(options);
    if (!profiles) {
        if (result)
            return profiles;
        result.error().message += QStringLiteral("\n\n") + profiles.error().message;
    }
    if (options.demoCount > 0 && profiles) {
        // The demo's store is temporary and cheap: record from the first
        // device on, so the board shows every journey whole. (Otherwise the
        // store opens with the Board page; the board page reports a failure.)
        (void)openStore();
    }
    return result;
}

Result<void> Workbench::openProfiles(const Options &options)
{
    QString path = options.workspacePath;
    if (path.isEmpty() && options.demoCount > 0) {
        m_workspaceDir = std::make_unique<QTemporaryDir>();
        if (!m_workspaceDir->isValid())
            return fail(Error::Code::Io,
                tr("Could not create a temporary workspace for the demo (%1). Check that "
                   "TMPDIR is writable.")
                    .arg(m_workspaceDir->errorString()));
        path = m_workspaceDir->path();
    } else if (path.isEmpty()) {
        path = Workspace::defaultPath();
    }
    m_workspacePath = path;
    Result<Workspace> workspace = Workspace::open(path);
    if (!workspace)
        return std::unexpected(workspace.error());
    m_profiles = new profiles::ProfileLibrary(*workspace, this);
    if (m_profiles->entries().isEmpty()) {
        // First run: something to look at and to compare straight away.
        if (const Result<int> installed = m_profiles->installSamples(); !installed)
            return std::unexpected(installed.error());
    }
    return {};
}

void Workbench::startBle(const Options &options)
{
    if (!options.ble)
        return;
    if (options.demoCount > 0) {
        if (!options.demoBle)
            return;
        m_simulatedBle = new sim::SimulatedBleBackend(this);
        if (options.bleAdvertisingMs)
            m_simulatedBle->setAdvertisingIntervalMs(*options.bleAdvertisingMs);
        sim::addDemoPeripherals(*m_simulatedBle);
        if (options.demoBleProblem != ble::AdapterProblem::None) {
            m_simulatedBle->setAdapterStatus(ble::AdapterStatus{options.demoBleProblem,
                QStringLiteral("hci0"), QStringLiteral("org.bluez.Error.Failed (simulated)")});
        }
        m_bleBackend = m_simulatedBle;
    } else {
        // The system's stack (BlueZ on Linux); a build without one reports
        // that through the adapter status, so the banner says it.
        m_ownedBleBackend = ble::createSystemBackend();
        m_bleBackend = m_ownedBleBackend.get();
    }
    ble::Discovery::Options discoveryOptions;
    if (options.bleMaxAge)
        discoveryOptions.maxAge = *options.bleMaxAge;
    if (options.bleAdvertisingMs)
        discoveryOptions.expireEvery = std::chrono::milliseconds(*options.bleAdvertisingMs);
    ble::Scanner *scanner = m_bleBackend->createScanner(this);
    m_bleDiscovery = new ble::Discovery(scanner, discoveryOptions, this);
    scanner->setParent(m_bleDiscovery); // the discovery owns its children
    m_registry->followBle(m_bleDiscovery, m_bleBackend);
    m_bleDiscovery->start();
}

Result<store::Store *> Workbench::openStore()
{
    if (m_store)
        return m_store.get();
    if (m_workspacePath.isEmpty())
        return fail(Error::Code::Io,
            tr("No workspace folder is open, so there is no store to read the board from. "
               "Start ProvBench with --workspace DIR (a folder you can write to)."));
    if (Result<Workspace> workspace = Workspace::open(m_workspacePath); !workspace)
        return std::unexpected(workspace.error());
    Result<std::unique_ptr<store::Store>> opened
        = store::Store::open(QString(), m_workspacePath, store::AuditLog::defaultActor());
    if (!opened)
        return std::unexpected(opened.error());
    m_store = std::move(*opened);
    if (m_registry) {
        m_recorder = new journey::RegistryJourneyRecorder(m_registry, m_store->audit(), this);
        // The board then misses devices; the audit log itself is fine, so say it in the log.
        connect(m_recorder, &journey::RegistryJourneyRecorder::errorOccurred, this,
            [](const Error &error) {
                qCWarning(
                    lcOnboarding, "device journey not recorded: %s", qUtf8Printable(error.message));
            });
        m_recorder->start();
    }
    return m_store.get();
}

int Workbench::demoBleCount() const
{
    return m_simulatedBle ? int(m_simulatedBle->peripherals().size()) : 0;
}

QString Workbench::demoDirectory() const
{
    return m_simulator ? m_simulator->directory() : QString();
}

int Workbench::demoCount() const
{
    return m_simulator ? int(m_simulator->allDevices().size()) : 0;
}

} // namespace provbench
