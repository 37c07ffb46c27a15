#include "tests/ble/bluezmock.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusReply>
#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>

#include <csignal>
#include <sys/prctl.h>
#include <unistd.h>

namespace provbench::test {

namespace {

const QString kBluez = QStringLiteral("org.bluez");
const QString kMockInterface = QStringLiteral("org.bluez.Mock");

struct ProcessBus
{
    std::unique_ptr<QTemporaryDir> dir;
    QString socket;
    std::unique_ptr<QProcess> daemon;
    int mocksStarted = 0;
};

ProcessBus &processBus()
{
    static ProcessBus bus;
    return bus;
}

// The child dies with this process, even when a test crashes or is killed
// by ctest's timeout.
void dieWithParent(QProcess &process)
{
    const pid_t parent = ::getpid();
    process.setChildProcessModifier([parent] {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent)
            ::_exit(1);
    });
}

void endProcess(QProcess &process)
{
    if (process.state() == QProcess::NotRunning)
        return;
    process.terminate();
    if (!process.waitForFinished(3000)) {
        process.kill();
        process.waitForFinished(3000);
    }
}

bool bluezRegistered()
{
    QDBusConnectionInterface *bus = QDBusConnection::systemBus().interface();
    return bus && bus->isServiceRegistered(kBluez).value();
}

QString busConfig(const QString &socket, bool bluezAllowed)
{
    const QString bluezPolicy = bluezAllowed ? QString() : QStringLiteral(R"(
    <deny send_destination="org.bluez"/>
    <allow send_destination="org.bluez" send_interface="org.bluez.Mock"/>)");
    // A system bus for this test alone: everybody may own, send and receive.
    return QStringLiteral(
        R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%1</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow send_type="signal"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>%2
  </policy>
</busconfig>
)")
        .arg(socket, bluezPolicy);
}

bool writeConfig(const QString &path, const QString &socket, bool bluezAllowed, QString *why)
{
    QFile config(path);
    if (!config.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || config.write(busConfig(socket, bluezAllowed).toUtf8()) < 0) {
        *why = QStringLiteral("Cannot write %1: %2").arg(path, config.errorString());
        return false;
    }
    return true;
}

} // namespace

void BluezMock::prepareProcess()
{
    ProcessBus &bus = processBus();
    // A short path: a unix socket path must stay below 108 bytes.
    bus.dir = std::make_unique<QTemporaryDir>(QStringLiteral("/tmp/provbench-bluez-XXXXXX"));
    if (!bus.dir->isValid())
        bus.dir = std::make_unique<QTemporaryDir>();
    bus.socket = bus.dir->filePath(QStringLiteral("system_bus_socket"));
    // QtDBus reads this on its first use of the system bus, which comes later.
    qputenv("DBUS_SYSTEM_BUS_ADDRESS", "unix:path=" + QFile::encodeName(bus.socket));
    if (qEnvironmentVariableIsEmpty("BLUETOOTH_FORCE_DBUS_LE_VERSION"))
        qputenv("BLUETOOTH_FORCE_DBUS_LE_VERSION", "5.64");
}

void BluezMock::finishProcess()
{
    ProcessBus &bus = processBus();
    if (bus.daemon)
        endProcess(*bus.daemon);
    bus.daemon.reset();
    bus.dir.reset();
}

BluezMock::BusState BluezMock::startBus(QString *why)
{
    ProcessBus &bus = processBus();
    if (bus.daemon && bus.daemon->state() == QProcess::Running)
        return BusState::Ready;
    if (!bus.dir) {
        *why = QStringLiteral("BluezMock::prepareProcess() was not called before QCoreApplication; "
                              "use PROVBENCH_BLUEZ_TEST_MAIN.");
        return BusState::Failed;
    }
    const QString program = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    if (program.isEmpty()) {
        *why = QStringLiteral("dbus-daemon is not installed (Debian package dbus-daemon), so there "
                              "is no private system bus for the BlueZ mock.");
        return BusState::Missing;
    }
    const QString configPath = bus.dir->filePath(QStringLiteral("system-bus.conf"));
    if (!writeConfig(configPath, bus.socket, true, why))
        return BusState::Failed;

    bus.daemon = std::make_unique<QProcess>();
    dieWithParent(*bus.daemon);
    bus.daemon->setProgram(program);
    bus.daemon->setArguments({QStringLiteral("--config-file=%1").arg(configPath),
        QStringLiteral("--nofork"), QStringLiteral("--nopidfile"), QStringLiteral("--nosyslog"),
        QStringLiteral("--print-address=1")});
    bus.daemon->start();
    // The address line is printed once the socket listens.
    QDeadlineTimer deadline(10000);
    bool listening = false;
    while (bus.daemon->waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())))) {
        if (bus.daemon->readAllStandardOutput().contains("unix:")) {
            listening = true;
            break;
        }
        if (deadline.hasExpired())
            break;
    }
    if (!listening || !QFileInfo::exists(bus.socket)) {
        *why = QStringLiteral("dbus-daemon did not start a private system bus at %1: %2 %3")
                   .arg(bus.socket, bus.daemon->errorString(),
                       QString::fromLocal8Bit(bus.daemon->readAllStandardError()));
        endProcess(*bus.daemon);
        bus.daemon.reset();
        return BusState::Failed;
    }
    if (!QDBusConnection::systemBus().isConnected()) {
        *why = QStringLiteral("QtDBus cannot connect to the private system bus: %1")
                   .arg(QDBusConnection::systemBus().lastError().message());
        return BusState::Failed;
    }
    return BusState::Ready;
}

bool BluezMock::setBluezAccessAllowed(bool allowed)
{
    ProcessBus &bus = processBus();
    QString why;
    if (!bus.daemon
        || !writeConfig(
            bus.dir->filePath(QStringLiteral("system-bus.conf")), bus.socket, allowed, &why)) {
        qWarning("Cannot change the bus policy: %s", qPrintable(why));
        return false;
    }
    // The daemon has applied the new policy when it answers.
    const QDBusMessage reply = QDBusConnection::systemBus().call(QDBusMessage::createMethodCall(
        QStringLiteral("org.freedesktop.DBus"), QStringLiteral("/org/freedesktop/DBus"),
        QStringLiteral("org.freedesktop.DBus"), QStringLiteral("ReloadConfig")));
    if (reply.type() == QDBusMessage::ErrorMessage) {
        qWarning("dbus-daemon did not reload its policy: %s", qPrintable(reply.errorMessage()));
        return false;
    }
    return true;
}

BluezMock::BluezMock(QObject *parent) : QObject(parent) { }

BluezMock::~BluezMock()
{
    stopBluez();
}

bool BluezMock::startBluez(QString *why)
{
    QString ignored;
    QString &error = why ? *why : ignored;
    stopBluez();
    ProcessBus &bus = processBus();
    if (!bus.daemon) {
        error = QStringLiteral("The private system bus is not running; call "
                               "PROVBENCH_REQUIRE_BLUEZ_BUS() in initTestCase.");
        return false;
    }
    m_logPath = bus.dir->filePath(QStringLiteral("bluez-mock-%1.log").arg(++bus.mocksStarted));
    m_mock = std::make_unique<QProcess>();
    dieWithParent(*m_mock);
    m_mock->setProcessChannelMode(QProcess::MergedChannels);
    m_mock->setStandardOutputFile(m_logPath);
    m_mock->setProgram(QStringLiteral("/usr/bin/python3"));
    m_mock->setArguments(
        {QStringLiteral("-m"), QStringLiteral("dbusmock"), QStringLiteral("--system"),
            QStringLiteral("--template"), QStringLiteral(PROVBENCH_BLUEZ_TEMPLATE)});
    m_mock->start();
    if (!m_mock->waitForStarted(5000)) {
        error = QStringLiteral("Cannot run python3-dbusmock: %1").arg(m_mock->errorString());
        m_mock.reset();
        return false;
    }
    QDeadlineTimer deadline(10000);
    while (!bluezRegistered()) {
        if (m_mock->state() != QProcess::Running || deadline.hasExpired()) {
            error = QStringLiteral("python3-dbusmock with %1 did not claim org.bluez:\n%2")
                        .arg(QStringLiteral(PROVBENCH_BLUEZ_TEMPLATE), log());
            stopBluez();
            return false;
        }
        QTest::qWait(20);
    }
    return true;
}

void BluezMock::stopBluez()
{
    if (!m_mock)
        return;
    endProcess(*m_mock);
    m_mock.reset();
    // dbus-daemon drops the name as soon as the connection closes; wait for
    // it so the next test never talks to the old mock.
    QDeadlineTimer deadline(5000);
    while (bluezRegistered() && !deadline.hasExpired())
        QTest::qWait(10);
}

bool BluezMock::isRunning() const
{
    return m_mock && m_mock->state() == QProcess::Running;
}

QString BluezMock::log() const
{
    QFile file(m_logPath);
    if (!file.open(QIODevice::ReadOnly))
        return QStringLiteral("(no mock log)");
    const QByteArray all = file.readAll();
    return QString::fromUtf8(all.right(6000));
}

QDBusMessage BluezMock::call(const QString &method, const QVariantList &args)
{
    QDBusMessage message
        = QDBusMessage::createMethodCall(kBluez, QStringLiteral("/"), kMockInterface, method);
    message.setArguments(args);
    return QDBusConnection::systemBus().call(message, QDBus::Block, 10000);
}

bool BluezMock::ok(const QDBusMessage &reply)
{
    if (reply.type() != QDBusMessage::ErrorMessage)
        return true;
    qWarning("BlueZ mock refused %s: %s %s", qPrintable(reply.member()),
        qPrintable(reply.errorName()), qPrintable(reply.errorMessage()));
    return false;
}

bool BluezMock::addAdapter(const QString &name)
{
    return ok(call(QStringLiteral("AddAdapter"), {name, QStringLiteral("ProvBench test host")}));
}

bool BluezMock::removeAdapter(const QString &name)
{
    return ok(call(QStringLiteral("RemoveAdapter"), {name}));
}

bool BluezMock::setPowered(bool powered, const QString &adapter)
{
    return ok(call(QStringLiteral("SetAdapterPowered"), {adapter, powered}));
}

bool BluezMock::addDevice(
    const QString &address, const QString &name, const QVariantMap &advert, const QString &adapter)
{
    return ok(call(QStringLiteral("AddLEDevice"), {adapter, address, name, advert}));
}

bool BluezMock::setAdvertisement(const QString &address, const QVariantMap &advert)
{
    return ok(call(QStringLiteral("SetAdvertisement"), {address, advert}));
}

bool BluezMock::setRssi(const QString &address, int rssi)
{
    return setAdvertisement(address, {{QStringLiteral("RSSI"), rssi}});
}

bool BluezMock::addImprovDevice(const QString &address, const QString &name,
    bool requireAuthorization, const QVariantMap &options, const QString &adapter)
{
    QVariantMap all = options;
    all.insert(QStringLiteral("require_authorization"), requireAuthorization);
    return ok(call(QStringLiteral("AddImprovDevice"), {adapter, address, name, all}));
}

bool BluezMock::pressButton(const QString &address)
{
    return ok(call(QStringLiteral("PressButton"), {address}));
}

bool BluezMock::setWifiNetwork(const QString &address, const QString &ssid, const QString &password)
{
    return ok(call(QStringLiteral("SetWifiNetwork"), {address, ssid, password}));
}

bool BluezMock::addSmpDevice(
    const QString &address, const QString &name, int mtu, const QString &adapter)
{
    const QVariantMap options{{QStringLiteral("mtu"), mtu}};
    return ok(call(QStringLiteral("AddSmpDevice"), {adapter, address, name, options}));
}

bool BluezMock::setConnectable(const QString &address, bool connectable)
{
    return ok(call(QStringLiteral("SetConnectable"), {address, connectable}));
}

bool BluezMock::setGattStalled(const QString &address, bool stalled)
{
    return ok(call(QStringLiteral("SetGattStalled"), {address, stalled}));
}

bool BluezMock::disconnect(const QString &address, HeldRequests order)
{
    return ok(call(QStringLiteral("DropConnection"), {address, order == HeldRequests::FailBefore}));
}

bool BluezMock::notify(
    const QString &address, const QString &characteristicUuid, const QByteArray &value)
{
    return ok(call(QStringLiteral("Notify"), {address, characteristicUuid, value}));
}

QList<BluezMock::GattCall> BluezMock::gattLog(const QString &address)
{
    QList<GattCall> calls;
    const QDBusMessage reply = call(QStringLiteral("GetGattLog"), {address});
    if (!ok(reply) || reply.arguments().isEmpty())
        return calls;
    const auto arg = reply.arguments().constFirst().value<QDBusArgument>();
    arg.beginArray();
    while (!arg.atEnd()) {
        GattCall c;
        arg.beginStructure();
        arg >> c.method >> c.characteristic >> c.value;
        arg.endStructure();
        calls.append(c);
    }
    arg.endArray();
    return calls;
}

} // namespace provbench::test
