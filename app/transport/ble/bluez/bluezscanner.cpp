#include "app/transport/ble/bluez/bluezscanner.h"

#include "app/core/logging.h"
#include "app/transport/ble/bluez/bluezobjects.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusMessage>
#include <QDBusServiceWatcher>

namespace provbench::ble {

namespace {

const QString kPropertiesInterface = QStringLiteral("org.freedesktop.DBus.Properties");
const QString kObjectManagerInterface = QStringLiteral("org.freedesktop.DBus.ObjectManager");

// What an agent error means for the user. PoweredOff and MissingPermissions
// are definite; anything else is checked against BlueZ before it is shown.
std::optional<AdapterProblem> definiteProblem(QBluetoothDeviceDiscoveryAgent::Error error)
{
    switch (error) {
    case QBluetoothDeviceDiscoveryAgent::PoweredOffError:
        return AdapterProblem::AdapterOff;
    case QBluetoothDeviceDiscoveryAgent::MissingPermissionsError:
        return AdapterProblem::NoPermission;
    default:
        return std::nullopt;
    }
}

bool sameData(
    const QHash<QBluetoothUuid, QByteArray> &update, const QHash<QBluetoothUuid, QByteArray> &known)
{
    for (auto it = update.cbegin(); it != update.cend(); ++it) {
        if (known.value(it.key()) != it.value())
            return false;
    }
    return true;
}

bool sameData(const QHash<quint16, QByteArray> &update, const QHash<quint16, QByteArray> &known)
{
    for (auto it = update.cbegin(); it != update.cend(); ++it) {
        if (known.value(it.key()) != it.value())
            return false;
    }
    return true;
}

} // namespace

BluezScanner::BluezScanner(QObject *parent) : BluezScanner(Options{}, parent) { }

BluezScanner::BluezScanner(Options options, QObject *parent) : Scanner(parent), m_options(options)
{
    m_recheckTimer.setInterval(m_options.recheckInterval);
    connect(&m_recheckTimer, &QTimer::timeout, this, &BluezScanner::recheck);
    m_restartTimer.setSingleShot(true);
    m_restartTimer.setInterval(m_options.restartDelay);
    connect(&m_restartTimer, &QTimer::timeout, this, &BluezScanner::recheck);
}

BluezScanner::~BluezScanner()
{
    m_wanted = false;
    stopAgent();
    if (m_watching)
        connectBluezSignals(false);
}

void BluezScanner::start()
{
    if (m_wanted)
        return;
    m_wanted = true;
    watchBluez();
    recheck();
}

void BluezScanner::stop()
{
    if (!m_wanted)
        return;
    m_wanted = false;
    ++m_probeGeneration;
    m_recheckTimer.stop();
    m_restartTimer.stop();
    stopAgent();
    m_reported.clear();
    setActive(false);
}

void BluezScanner::watchBluez()
{
    if (m_watching)
        return;
    QDBusConnection bus = QDBusConnection::systemBus();
    if (!bus.isConnected())
        return; // the check reports it; Qt never reconnects this process to the system bus
    m_watching = true;
    const QString service = QString::fromUtf16(bluez::kService);
    m_serviceWatcher = new QDBusServiceWatcher(service, bus,
        QDBusServiceWatcher::WatchForRegistration | QDBusServiceWatcher::WatchForUnregistration,
        this);
    connect(
        m_serviceWatcher, &QDBusServiceWatcher::serviceRegistered, this, &BluezScanner::recheck);
    connect(
        m_serviceWatcher, &QDBusServiceWatcher::serviceUnregistered, this, &BluezScanner::recheck);
    connectBluezSignals(true);
}

void BluezScanner::connectBluezSignals(bool on)
{
    // Adapter power, and adapters coming and going. Device signals (many while
    // scanning) are filtered out by the match rule or in onBluezSignal.
    QDBusConnection bus = QDBusConnection::systemBus();
    const QString service = QString::fromUtf16(bluez::kService);
    const QStringList adapterOnly{QString::fromUtf16(bluez::kAdapterInterface)};
    const char *slot = SLOT(onBluezSignal(QDBusMessage));
    if (on) {
        bus.connect(service, QString(), kPropertiesInterface, QStringLiteral("PropertiesChanged"),
            adapterOnly, QString(), this, slot);
        bus.connect(service, QStringLiteral("/"), kObjectManagerInterface,
            QStringLiteral("InterfacesAdded"), this, slot);
        bus.connect(service, QStringLiteral("/"), kObjectManagerInterface,
            QStringLiteral("InterfacesRemoved"), this, slot);
    } else {
        bus.disconnect(service, QString(), kPropertiesInterface,
            QStringLiteral("PropertiesChanged"), adapterOnly, QString(), this, slot);
        bus.disconnect(service, QStringLiteral("/"), kObjectManagerInterface,
            QStringLiteral("InterfacesAdded"), this, slot);
        bus.disconnect(service, QStringLiteral("/"), kObjectManagerInterface,
            QStringLiteral("InterfacesRemoved"), this, slot);
    }
}

void BluezScanner::onBluezSignal(const QDBusMessage &message)
{
    const QList<QVariant> args = message.arguments();
    if (args.size() < 2)
        return;
    const QString adapterInterface = QString::fromUtf16(bluez::kAdapterInterface);
    bool relevant = false;
    if (message.member() == QLatin1String("PropertiesChanged")) {
        const QVariantMap changed = qdbus_cast<QVariantMap>(args.at(1));
        const QStringList invalidated = args.size() > 2 ? args.at(2).toStringList() : QStringList();
        relevant = args.at(0).toString() == adapterInterface
            && (changed.contains(QStringLiteral("Powered"))
                || invalidated.contains(QStringLiteral("Powered")));
    } else if (message.member() == QLatin1String("InterfacesAdded")) {
        relevant = qdbus_cast<QMap<QString, QVariantMap>>(args.at(1)).contains(adapterInterface);
    } else if (message.member() == QLatin1String("InterfacesRemoved")) {
        relevant = args.at(1).toStringList().contains(adapterInterface);
    }
    if (relevant) {
        qCDebug(lcTransport) << "BlueZ adapter change:" << message.member() << message.path();
        recheck();
    }
}

void BluezScanner::recheck()
{
    if (!m_wanted)
        return;
    if (m_probing) {
        m_probeAgain = true;
        return;
    }
    m_probing = true;
    const quint64 generation = m_probeGeneration;
    bluez::probeAdapter(this, [this, generation](const AdapterStatus &status) {
        m_probing = false;
        if (generation == m_probeGeneration)
            onProbed(status);
        if (m_probeAgain) {
            m_probeAgain = false;
            recheck();
        }
    });
}

void BluezScanner::onProbed(const AdapterStatus &status)
{
    if (!m_wanted)
        return;
    if (!status.ok()) {
        qCInfo(lcTransport) << "BLE scanning unavailable:" << status.detail;
        m_agentFailure.reset();
        stopAgent();
        setStatus(status);
        setActive(false);
        if (!m_recheckTimer.isActive())
            m_recheckTimer.start();
        return;
    }
    if (m_agent && m_agent->isActive()) {
        m_recheckTimer.stop();
        setStatus(status);
        setActive(true);
        return;
    }
    if (m_agentFailure) {
        // BlueZ looks fine but the agent just failed: show why and try again
        // on the timer rather than in a tight loop.
        setStatus(*m_agentFailure);
        setActive(false);
        m_agentFailure.reset();
        if (!m_recheckTimer.isActive())
            m_recheckTimer.start();
        return;
    }
    startAgent(status);
}

void BluezScanner::startAgent(const AdapterStatus &probed)
{
    if (!m_agent) {
        m_agent = new QBluetoothDeviceDiscoveryAgent(this);
        m_agent->setLowEnergyDiscoveryTimeout(0); // continuous: only stop() ends it
        connect(m_agent, &QBluetoothDeviceDiscoveryAgent::deviceDiscovered, this,
            &BluezScanner::onDeviceDiscovered);
        connect(m_agent, &QBluetoothDeviceDiscoveryAgent::deviceUpdated, this,
            &BluezScanner::onDeviceUpdated);
        connect(m_agent, &QBluetoothDeviceDiscoveryAgent::errorOccurred, this,
            &BluezScanner::onAgentError);
        connect(m_agent, &QBluetoothDeviceDiscoveryAgent::finished, this,
            &BluezScanner::onAgentStopped);
        connect(m_agent, &QBluetoothDeviceDiscoveryAgent::canceled, this,
            &BluezScanner::onAgentStopped);
    }
    m_agentFailed = false;
    m_agent->start(QBluetoothDeviceDiscoveryAgent::LowEnergyMethod);
    if (m_agentFailed || !m_agent->isActive())
        return; // onAgentError has dealt with it
    qCDebug(lcTransport) << "BLE scanning on" << probed.adapterName;
    m_recheckTimer.stop();
    setStatus(probed);
    setActive(true);
}

void BluezScanner::stopAgent()
{
    if (!m_agent || !m_agent->isActive())
        return;
    m_stoppingAgent = true;
    m_agent->stop();
    m_stoppingAgent = false;
}

void BluezScanner::onAgentError(QBluetoothDeviceDiscoveryAgent::Error error)
{
    m_agentFailed = true;
    const QString detail = m_agent->errorString();
    qCInfo(lcTransport) << "BLE discovery agent error" << error << detail;
    if (!m_wanted || m_stoppingAgent)
        return;
    stopAgent();
    if (const auto problem = definiteProblem(error)) {
        setStatus(AdapterStatus{*problem, m_status.adapterName, detail});
        setActive(false);
        if (!m_recheckTimer.isActive())
            m_recheckTimer.start();
        return;
    }
    // "Cannot find valid Bluetooth adapter", "Bluetooth adapter error" (the
    // adapter vanished while scanning), ...: BlueZ knows what happened.
    m_agentFailure = AdapterStatus{AdapterProblem::Failed, m_status.adapterName,
        detail.isEmpty() ? QStringLiteral("the discovery agent reported error %1").arg(int(error))
                         : detail};
    recheck();
}

void BluezScanner::onAgentStopped()
{
    if (m_stoppingAgent || !m_wanted || m_agentFailed)
        return;
    qCInfo(lcTransport) << "BLE discovery stopped by itself; restarting it";
    m_restartTimer.start();
}

void BluezScanner::setStatus(const AdapterStatus &status)
{
    // The agent and the check word the same problem differently; only a new
    // problem or another adapter is news.
    const bool news
        = status.problem != m_status.problem || status.adapterName != m_status.adapterName;
    m_status = status;
    if (news)
        Q_EMIT statusChanged(m_status);
}

void BluezScanner::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    Q_EMIT activeChanged(m_active);
}

Advert BluezScanner::toAdvert(const QBluetoothDeviceInfo &info, QBluetoothDeviceInfo::Fields fields)
{
    const bool all = fields == QBluetoothDeviceInfo::Fields(QBluetoothDeviceInfo::Field::All);
    Advert advert;
    advert.address = info.address().toString();
    if (all) {
        advert.name = info.name();
        advert.serviceUuids = info.serviceUuids();
    }
    if (all || fields.testFlag(QBluetoothDeviceInfo::Field::RSSI))
        advert.rssi = info.rssi();
    if (all || fields.testFlag(QBluetoothDeviceInfo::Field::ServiceData)) {
        const QList<QBluetoothUuid> ids = info.serviceIds();
        for (const QBluetoothUuid &id : ids)
            advert.serviceData.insert(id, info.serviceData(id));
    }
    if (all || fields.testFlag(QBluetoothDeviceInfo::Field::ManufacturerData)) {
        const QList<quint16> ids = info.manufacturerIds();
        for (quint16 id : ids)
            advert.manufacturerData.insert(id, info.manufacturerData(id));
    }
    return advert;
}

void BluezScanner::onDeviceDiscovered(const QBluetoothDeviceInfo &info)
{
    if (!m_wanted || info.address().isNull())
        return;
    report(toAdvert(info));
}

void BluezScanner::onDeviceUpdated(
    const QBluetoothDeviceInfo &info, QBluetoothDeviceInfo::Fields fields)
{
    if (!m_wanted || info.address().isNull())
        return;
    const Advert update = toAdvert(info, fields);
    // QtBluetooth 6.4 emits deviceDiscovered with the whole device right
    // before deviceUpdated for the same change; report that change once.
    const auto known = m_reported.constFind(update.address);
    if (known != m_reported.cend() && (update.rssi == 0 || update.rssi == known->rssi)
        && sameData(update.serviceData, known->serviceData)
        && sameData(update.manufacturerData, known->manufacturerData))
        return;
    report(update);
}

void BluezScanner::report(const Advert &advert)
{
    const auto known = m_reported.constFind(advert.address);
    m_reported.insert(advert.address, known == m_reported.cend() ? advert : merge(*known, advert));
    Q_EMIT advertised(advert);
}

} // namespace provbench::ble
