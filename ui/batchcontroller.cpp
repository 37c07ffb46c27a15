#include "ui/batchcontroller.h"

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/cryptomaterial.h"
#include "app/onboarding/deviceregistry.h"
#include "app/onboarding/handout.h"
#include "app/profiles/profilelibrary.h"
#include "app/storage/credentialledger.h"
#include "app/storage/store/store.h"
#include "app/storage/vault.h"
#include "app/transport/ble/blediscovery.h"
#include "app/transport/serialdiscovery.h"
#include "ui/vaultprompt.h"
#include "ui/workbench.h"

#include <QTimer>

namespace provbench {

using namespace onboarding;
using namespace onboarding::batch;

namespace {

// Whether any profile needs the CA for some protocol, so the vault is
// unlocked before the first device rather than failing each one (as the CLI).
bool needsCa(const QList<profiles::Profile> &used)
{
    for (const auto &p : used)
        for (DeviceProtocol proto :
            {DeviceProtocol::Improv, DeviceProtocol::Smp, DeviceProtocol::Nrf91At})
            if (planNeedsCa(planCredentials(p, proto)))
                return true;
    return false;
}

} // namespace

BatchController::BatchController(Workbench *workbench, QObject *parent)
    : QObject(parent), m_workbench(workbench)
{
}

BatchController::~BatchController()
{
    disconnectDiscovery();
    // Devices still in progress are cut off; the next batch closes their
    // writes as interrupted (BatchRunner::start), as after a crash.
    m_runner.reset();
}

bool BatchController::isFinishing() const
{
    return m_runner && m_stopped && !m_runner->isIdle();
}

Result<void> BatchController::start(const BatchOptions &options, QWidget *dialogParent)
{
    if (isRunning())
        return {};
    if (isFinishing())
        return fail(Error::Code::InvalidArgument,
            tr("The last batch is still finishing the devices it was working on; start the next "
               "one when they are done."));
    if (!m_workbench || !m_workbench->profiles())
        return fail(Error::Code::NotFound,
            tr("No workspace is open, so there are no profiles for a batch. Start ProvBench with "
               "--workspace DIR."));
    profiles::ProfileLibrary *library = m_workbench->profiles();
    const Workspace &ws = library->workspace();

    auto store = m_workbench->openStore();
    if (!store)
        return std::unexpected(store.error());

    // Profiles first (cheap, and the usual mistake), then the vault.
    QStringList names{options.defaultProfile};
    for (const auto &x : options.expected)
        names << x.profile;
    names.removeDuplicates();
    names.removeAll(QString());
    QList<profiles::Profile> used;
    for (const QString &name : std::as_const(names)) {
        auto profile = library->resolve(name);
        if (!profile)
            return std::unexpected(profile.error());
        used << *profile;
    }
    const bool caNeeded = needsCa(used);
    std::shared_ptr<const Vault> vault = VaultPrompt::cached(ws.path());
    if (caNeeded && !vault) {
        auto unlocked = VaultPrompt::vault(ws, dialogParent);
        if (!unlocked)
            return std::unexpected(unlocked.error());
        vault = *unlocked;
    }
    std::unique_ptr<crypto::CertificateAuthority> ca;
    if (caNeeded) {
        if (!crypto::CertificateAuthority::exists(ws))
            return fail(Error::Code::NotFound,
                tr("The profiles of this batch issue keys or certificates, but the workspace has "
                   "no CA yet: create one on the Credentials page."));
        auto opened = crypto::CertificateAuthority::open(ws, *vault);
        if (!opened)
            return std::unexpected(opened.error());
        ca = std::make_unique<crypto::CertificateAuthority>(std::move(*opened));
    }
    std::unique_ptr<CredentialLedger> ledger;
    QString ledgerProblem;
    if (vault) {
        auto key = ledgerKey(ws, *vault);
        auto opened = key ? CredentialLedger::open(ws, *key)
                          : Result<CredentialLedger>(std::unexpected(key.error()));
        if (opened)
            ledger = std::make_unique<CredentialLedger>(std::move(*opened));
        else
            ledgerProblem = tr("The credential ledger cannot be opened, so credential reuse is "
                               "not tracked: %1")
                                .arg(opened.error().message);
    }

    BatchEnvironment env;
    env.workspacePath = m_workbench->workspacePath();
    env.store = *store;
    env.ca = ca.get();
    env.ledger = ledger.get();
    env.bleBackend = m_workbench->bleBackend();
    env.benchId = store::AuditLog::defaultActor();
    env.resolveProfile = [library = QPointer(library)](const QString &ref) {
        if (!library)
            return Result<profiles::Profile>(fail(Error::Code::NotFound,
                QStringLiteral("The profile library is gone; \"%1\" cannot be read.").arg(ref)));
        return library->resolve(ref);
    };
    env.acquire
        = [registry = QPointer(m_workbench->registry())](const QString &source) -> Result<void> {
        DeviceSession *session = registry ? registry->find(source) : nullptr;
        return session ? session->releasePort() : Result<void>();
    };

    auto runner = std::make_unique<BatchRunner>(std::move(env), options);
    if (auto started = runner->start(); !started)
        return started;

    // The last batch (idle) goes before what it used.
    disconnectDiscovery();
    m_runner.reset();
    m_ca = std::move(ca);
    m_ledger = std::move(ledger);
    m_runner = std::move(runner);
    m_stopped = false;
    connect(m_runner.get(), &BatchRunner::problem, this, &BatchController::problem);
    connect(m_runner.get(), &BatchRunner::idle, this, &BatchController::stateChanged);
    Q_EMIT runnerChanged(m_runner.get());
    if (!ledgerProblem.isEmpty())
        Q_EMIT problem(ledgerProblem);
    connectDiscovery();
    Q_EMIT stateChanged();
    return {};
}

void BatchController::stop()
{
    if (!isRunning())
        return;
    m_stopped = true;
    disconnectDiscovery();
    m_runner->stop();
    Q_EMIT stateChanged();
}

void BatchController::connectDiscovery()
{
    BatchRunner *runner = m_runner.get();
    if (DeviceRegistry *registry = m_workbench->registry(); registry && !m_holdingAutoIdentify) {
        m_autoIdentifyBefore = registry->autoIdentify();
        m_holdingAutoIdentify = true;
        registry->setAutoIdentify(false);
    }
    if (SerialDiscovery *discovery = m_workbench->discovery()) {
        m_connections << connect(
            discovery, &SerialDiscovery::portAdded, this, [this, runner](const PortInfo &p) {
                offer(p.path, [runner, p] { runner->addSerialPort(p); });
            });
        m_connections << connect(
            discovery, &SerialDiscovery::portRemoved, this, [this, runner](const PortInfo &p) {
                forget(p.path);
                runner->removeSerialPort(p.path);
            });
        for (const PortInfo &p : discovery->ports())
            offer(p.path, [runner, p] { runner->addSerialPort(p); });
    }
    if (ble::Discovery *ble = m_workbench->bleDiscovery()) {
        auto add = [this, runner](const ble::BleDevice &d) {
            offer(QStringLiteral("ble:") + d.advert.address,
                [runner, d] { runner->addBleDevice(d); });
        };
        m_connections << connect(ble, &ble::Discovery::deviceAdded, this, add);
        m_connections << connect(
            ble, &ble::Discovery::deviceRemoved, this, [this, runner](const QString &address) {
                forget(QStringLiteral("ble:") + address);
                runner->removeBleDevice(address);
            });
        for (const ble::BleDevice &d : ble->table().devices())
            add(d);
    }
}

void BatchController::disconnectDiscovery()
{
    for (const auto &c : std::as_const(m_connections))
        disconnect(c);
    m_connections.clear();
    for (const auto &c : std::as_const(m_deferred))
        disconnect(c);
    m_deferred.clear();
    if (m_holdingAutoIdentify && m_workbench && m_workbench->registry())
        m_workbench->registry()->setAutoIdentify(m_autoIdentifyBefore);
    m_holdingAutoIdentify = false;
}

void BatchController::offer(const QString &source, std::function<void()> add)
{
    DeviceRegistry *registry = m_workbench->registry();
    DeviceSession *session = registry ? registry->find(source) : nullptr;
    if (!session || !session->isBusy()) {
        add();
        return;
    }
    if (m_deferred.contains(source))
        return;
    // From the event loop, not from inside the session's signal: handing the
    // device over closes the session's link, on whose stack we would be.
    m_deferred.insert(
        source, connect(session, &DeviceSession::operationFinished, this, [this, source, add] {
            QTimer::singleShot(0, this, [this, source, add] {
                if (!m_deferred.contains(source) || !isRunning())
                    return;
                disconnect(m_deferred.take(source));
                offer(source, add);
            });
        }));
}

void BatchController::forget(const QString &source)
{
    if (auto it = m_deferred.find(source); it != m_deferred.end()) {
        disconnect(*it);
        m_deferred.erase(it);
    }
}

} // namespace provbench
