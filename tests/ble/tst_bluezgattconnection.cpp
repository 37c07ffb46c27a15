// BluezGattConnection against a mocked BlueZ: QLowEnergyController and
// QLowEnergyService talk to python3-dbusmock's GATT objects on a private
// system bus. The peripherals behave like an Improv Wi-Fi device and a Zephyr
// MCUmgr SMP server (tests/ble/bluez_gatt.py).

#include "app/protocol/improv/improvble.h"
#include "app/protocol/smp/smpcodec.h"
#include "app/transport/ble/adapterstatus.h"
#include "app/transport/ble/bleadvert.h"
#include "app/transport/ble/bluez/bluezgattconnection.h"
#include "tests/ble/bluezmock.h"

#include <QCborMap>
#include <QCborValue>
#include <QSignalSpy>
#include <QtTest>

using namespace provbench;
using namespace provbench::ble;
using provbench::test::BluezMock;
namespace ible = provbench::improv::ble;

namespace {

const QString kImprov = QStringLiteral("AA:BB:CC:00:01:01");
const QString kSmp = QStringLiteral("AA:BB:CC:00:01:02");
constexpr int kWait = 8000;

template<typename T> using Pending = std::shared_ptr<std::optional<Result<T>>>;

template<typename T> GattConnection::Callback<T> capture(const Pending<T> &pending)
{
    return [pending](Result<T> result) {
        QVERIFY2(!pending->has_value(), "a callback ran twice");
        *pending = std::move(result);
    };
}

template<typename T> Pending<T> pending()
{
    return std::make_shared<std::optional<Result<T>>>();
}

template<typename T> bool settle(const Pending<T> &p, int timeoutMs = kWait)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!p->has_value() && !deadline.hasExpired())
        QTest::qWait(5);
    return p->has_value();
}

QString describe(const Error &e)
{
    return QStringLiteral("%1: %2").arg(errorCodeName(e.code), e.message);
}

// For QVERIFY2, which builds its message even when the check passes.
template<typename T> QString describe(const Result<T> &r)
{
    return r ? QStringLiteral("ok") : describe(r.error());
}

struct Notification
{
    QBluetoothUuid characteristic;
    QByteArray value;
};

QList<Notification> notifications(const QSignalSpy &spy)
{
    QList<Notification> out;
    for (const QList<QVariant> &args : spy)
        out.append({args.at(1).value<QBluetoothUuid>(), args.at(2).toByteArray()});
    return out;
}

} // namespace

class TestBluezGattConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { PROVBENCH_REQUIRE_BLUEZ_BUS(); }

    void init()
    {
        QString why;
        QVERIFY2(m_mock.startBluez(&why), qPrintable(why));
        QVERIFY(m_mock.addAdapter());
    }

    void cleanup()
    {
        if (m_connection) {
            m_connection->close();
            // Let the controller finish disconnecting before it is deleted.
            QTRY_VERIFY_WITH_TIMEOUT(
                m_connection->findChildren<QLowEnergyController *>().isEmpty(), kWait);
            m_connection.reset();
        }
        if (std::exchange(m_accessChanged, false))
            QVERIFY(BluezMock::setBluezAccessAllowed(true));
        if (QTest::currentTestFailed())
            qWarning().noquote() << "BlueZ mock log:\n" << m_mock.log();
        m_mock.stopBluez();
    }

    void open_discoversServicesCharacteristicsAndMtu();
    void open_twiceWhileConnecting_completesBoth();
    void open_unknownDevice_failsWithNotFound();
    void open_refusedConnection_saysWhatToDo();
    void open_adapterOff_saysToTurnItOn();
    void open_withoutPermission_saysWhatToDo();

    void read_returnsCurrentValues();
    void subscribe_usesStartNotifyAndDeliversNotificationsInOrder();
    void read_ofSubscribedCharacteristic_isNotReportedAsNotification();
    void operations_runOneAtATimeInOrder();
    void operations_failClearlyForWhatTheDeviceDoesNotOffer();
    void operations_beforeOpen_failWithIo();

    void improvWifi_splitRpcStateNotificationsAndResult();
    void improvWifi_withoutAuthorization_andWithWrongPassword_reportErrors();

    void connectionLoss_failsPendingOperationWithIoAndEmitsLostOnce_data();
    void connectionLoss_failsPendingOperationWithIoAndEmitsLostOnce();
    void operationTimeout_failsWithTimeoutAndEndsTheConnection();
    void bluezStoppingWhileOpen_isALoss();
    void close_cancelsPendingOperations_isIdempotent_andAllowsReopening();

    void smpEcho_writeWithoutResponseAndReassembledNotifications();

private:
    BluezGattConnection *makeConnection(
        const QString &address, BluezGattConnection::Options options = {})
    {
        m_connection = std::make_unique<BluezGattConnection>(address, options);
        return m_connection.get();
    }

    // Opens and checks that it worked; returns false after a QFAIL-style message.
    bool openConnection(GattConnection *c)
    {
        auto opened = pending<void>();
        c->open(capture(opened));
        if (!settle(opened)) {
            qWarning("open() did not finish");
            return false;
        }
        if (!opened->value()) {
            qWarning("open() failed: %s", qPrintable(describe(opened->value())));
            return false;
        }
        return c->isOpen();
    }

    Result<QByteArray> readNow(GattConnection *c, const QBluetoothUuid &s, const QBluetoothUuid &ch)
    {
        auto p = pending<QByteArray>();
        c->read(s, ch, capture(p));
        if (!settle(p))
            return fail(Error::Code::Timeout, QStringLiteral("read() did not finish"));
        return p->value();
    }

    Result<void> writeNow(GattConnection *c, const QBluetoothUuid &s, const QBluetoothUuid &ch,
        const QByteArray &value, WriteMode mode = WriteMode::WithResponse)
    {
        auto p = pending<void>();
        c->write(s, ch, value, mode, capture(p));
        if (!settle(p))
            return fail(Error::Code::Timeout, QStringLiteral("write() did not finish"));
        return p->value();
    }

    Result<void> subscribeNow(GattConnection *c, const QBluetoothUuid &s, const QBluetoothUuid &ch)
    {
        auto p = pending<void>();
        c->subscribe(s, ch, capture(p));
        if (!settle(p))
            return fail(Error::Code::Timeout, QStringLiteral("subscribe() did not finish"));
        return p->value();
    }

    BluezMock m_mock;
    std::unique_ptr<BluezGattConnection> m_connection;
    bool m_accessChanged = false;
};

void TestBluezGattConnection::open_discoversServicesCharacteristicsAndMtu()
{
    QVERIFY(m_mock.addImprovDevice(
        kImprov, QStringLiteral("Improv Lamp"), true, {{QStringLiteral("mtu"), 185}}));
    GattConnection *c = makeConnection(kImprov.toLower());
    QCOMPARE(c->address(), kImprov);
    QVERIFY(!c->isOpen());
    QCOMPARE(c->mtu(), 23);

    QVERIFY(openConnection(c));
    QCOMPARE(c->services(), QList<QBluetoothUuid>{ible::serviceUuid()});
    for (const QBluetoothUuid &ch : {ible::currentStateUuid(), ible::errorStateUuid(),
             ible::rpcCommandUuid(), ible::rpcResultUuid(), ible::capabilitiesUuid()})
        QVERIFY2(c->hasCharacteristic(ible::serviceUuid(), ch), qPrintable(ch.toString()));
    QVERIFY(!c->hasCharacteristic(ible::serviceUuid(), smpCharacteristicUuid()));
    QVERIFY(!c->hasCharacteristic(smpServiceUuid(), ible::currentStateUuid()));
    // QtBluetooth's BlueZ backend reports no MTU; it comes from BlueZ's MTU property.
    QCOMPARE(c->mtu(), 185);

    // Discovery read no values: a protected characteristic would start pairing.
    const auto log = m_mock.gattLog(kImprov);
    for (const BluezMock::GattCall &call : log)
        QVERIFY2(call.method != QLatin1String("ReadValue"), qPrintable(call.characteristic));
}

void TestBluezGattConnection::open_twiceWhileConnecting_completesBoth()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    GattConnection *c = makeConnection(kImprov);
    auto first = pending<void>();
    auto second = pending<void>();
    c->open(capture(first));
    c->open(capture(second));
    QVERIFY(!first->has_value()); // never called back from inside open()
    QVERIFY(settle(first));
    QVERIFY(settle(second));
    QVERIFY(first->value());
    QVERIFY(second->value());

    auto third = pending<void>();
    c->open(capture(third)); // already open
    QVERIFY(settle(third));
    QVERIFY(third->value());
}

void TestBluezGattConnection::open_unknownDevice_failsWithNotFound()
{
    GattConnection *c = makeConnection(QStringLiteral("AA:BB:CC:99:99:99"));
    auto opened = pending<void>();
    c->open(capture(opened));
    QVERIFY(settle(opened));
    QVERIFY(!opened->value());
    QCOMPARE(opened->value().error().code, Error::Code::NotFound);
    QVERIFY2(opened->value().error().message.contains(QLatin1String("Scan for it")),
        qPrintable(opened->value().error().message));
    QVERIFY(!c->isOpen());

    auto invalid = pending<void>();
    makeConnection(QStringLiteral("not-an-address"))->open(capture(invalid));
    QVERIFY(settle(invalid));
    QVERIFY(!invalid->value());
    QCOMPARE(invalid->value().error().code, Error::Code::InvalidArgument);
}

void TestBluezGattConnection::open_refusedConnection_saysWhatToDo()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Busy"), false));
    QVERIFY(m_mock.setConnectable(kImprov, false));
    GattConnection *c = makeConnection(kImprov);
    auto opened = pending<void>();
    c->open(capture(opened));
    QVERIFY(settle(opened));
    QVERIFY(!opened->value());
    const Error e = opened->value().error();
    QCOMPARE(e.code, Error::Code::Io);
    QVERIFY2(e.message.contains(QLatin1String("did not accept a connection"))
            && e.message.contains(kImprov) && e.message.contains(QLatin1String("Move closer")),
        qPrintable(e.message));

    // The device accepts again: the same object connects.
    QVERIFY(m_mock.setConnectable(kImprov, true));
    QVERIFY(openConnection(c));
}

void TestBluezGattConnection::open_adapterOff_saysToTurnItOn()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    QVERIFY(m_mock.setPowered(false));
    GattConnection *c = makeConnection(kImprov);
    auto opened = pending<void>();
    c->open(capture(opened));
    QVERIFY(settle(opened));
    QVERIFY(!opened->value());
    const Error e = opened->value().error();
    QCOMPARE(e.code, Error::Code::Io);
    const AdapterStatus off{AdapterProblem::AdapterOff, QStringLiteral("hci0"), {}};
    QCOMPARE(e.message, off.message());
}

void TestBluezGattConnection::open_withoutPermission_saysWhatToDo()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    m_accessChanged = true;
    QVERIFY(BluezMock::setBluezAccessAllowed(false));
    GattConnection *c = makeConnection(kImprov);
    auto opened = pending<void>();
    c->open(capture(opened));
    QVERIFY(settle(opened));
    QVERIFY(!opened->value());
    const AdapterStatus denied{AdapterProblem::NoPermission, {}, {}};
    QCOMPARE(opened->value().error().message, denied.message());
}

void TestBluezGattConnection::read_returnsCurrentValues()
{
    QVERIFY(m_mock.addImprovDevice(
        kImprov, QStringLiteral("Improv Lamp"), true, {{QStringLiteral("capabilities"), 0x03}}));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));

    const auto state = readNow(c, ible::serviceUuid(), ible::currentStateUuid());
    QVERIFY2(state, qPrintable(describe(state)));
    QCOMPARE(*state, QByteArray::fromHex("01"));
    const auto error = readNow(c, ible::serviceUuid(), ible::errorStateUuid());
    QVERIFY(error);
    QCOMPARE(*error, QByteArray::fromHex("00"));
    const auto caps = readNow(c, ible::serviceUuid(), ible::capabilitiesUuid());
    QVERIFY(caps);
    QCOMPARE(*caps, QByteArray::fromHex("03"));

    QVERIFY(m_mock.pressButton(kImprov));
    const auto authorized = readNow(c, ible::serviceUuid(), ible::currentStateUuid());
    QVERIFY(authorized);
    QCOMPARE(*authorized, QByteArray::fromHex("02"));
}

void TestBluezGattConnection::subscribe_usesStartNotifyAndDeliversNotificationsInOrder()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), true));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));
    QSignalSpy notified(c, &GattConnection::notified);

    const auto subscribed = subscribeNow(c, ible::serviceUuid(), ible::currentStateUuid());
    QVERIFY2(subscribed, qPrintable(describe(subscribed)));
    // The CCCD write became BlueZ's StartNotify; BlueZ refuses direct CCCD writes.
    bool started = false;
    for (const BluezMock::GattCall &call : m_mock.gattLog(kImprov)) {
        QVERIFY(call.method != QLatin1String("DescriptorWriteValue"));
        started = started
            || (call.method == QLatin1String("StartNotify")
                && QBluetoothUuid(call.characteristic) == ible::currentStateUuid());
    }
    QVERIFY(started);

    QVERIFY(m_mock.pressButton(kImprov));
    for (char v : {'\x10', '\x11', '\x12'})
        QVERIFY(m_mock.notify(
            kImprov, ible::currentStateUuid().toString(QUuid::WithoutBraces), QByteArray(1, v)));
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 4, kWait);
    const auto got = notifications(notified);
    QCOMPARE(got.at(0).characteristic, ible::currentStateUuid());
    QCOMPARE(notified.at(0).at(0).value<QBluetoothUuid>(), ible::serviceUuid());
    QCOMPARE(got.at(0).value, QByteArray::fromHex("02"));
    QCOMPARE(got.at(1).value, QByteArray::fromHex("10"));
    QCOMPARE(got.at(2).value, QByteArray::fromHex("11"));
    QCOMPARE(got.at(3).value, QByteArray::fromHex("12"));

    // Not subscribed: nothing is delivered for the error characteristic.
    QVERIFY(m_mock.notify(kImprov, ible::errorStateUuid().toString(QUuid::WithoutBraces), "\x03"));
    QTest::qWait(200);
    QCOMPARE(notified.size(), 4);
}

void TestBluezGattConnection::read_ofSubscribedCharacteristic_isNotReportedAsNotification()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));
    QVERIFY(subscribeNow(c, ible::serviceUuid(), ible::currentStateUuid()));
    QSignalSpy notified(c, &GattConnection::notified);

    // bluetoothd announces every value it read as a Value change, and
    // QtBluetooth 6.4 passes that on as characteristicChanged.
    for (int i = 0; i < 3; ++i) {
        const auto state = readNow(c, ible::serviceUuid(), ible::currentStateUuid());
        QVERIFY(state);
        QCOMPARE(*state, QByteArray::fromHex("02"));
    }
    QTest::qWait(150);
    QCOMPARE(notified.size(), 0);
}

void TestBluezGattConnection::operations_runOneAtATimeInOrder()
{
    QVERIFY(m_mock.addImprovDevice(
        kImprov, QStringLiteral("Improv Lamp"), false, {{QStringLiteral("capabilities"), 0x03}}));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));

    QStringList order;
    auto last = pending<QByteArray>();
    c->read(ible::serviceUuid(), ible::currentStateUuid(), [&order](Result<QByteArray> r) {
        order << (r ? QStringLiteral("state ") + QString::fromLatin1(r->toHex())
                    : QStringLiteral("state failed"));
    });
    c->subscribe(ible::serviceUuid(), ible::rpcResultUuid(), [&order](Result<void> r) {
        order << (r ? QStringLiteral("subscribed") : QStringLiteral("subscribe failed"));
    });
    // Identify: an RPC without a result.
    const auto identify = ible::encodeRpc(ible::Command::Identify);
    QVERIFY(identify);
    c->write(ible::serviceUuid(), ible::rpcCommandUuid(), *identify, WriteMode::WithResponse,
        [&order](Result<void> r) {
            order << (r ? QStringLiteral("written") : QStringLiteral("write failed"));
        });
    c->read(ible::serviceUuid(), ible::capabilitiesUuid(), [&order, last](Result<QByteArray> r) {
        order << (r ? QStringLiteral("caps ") + QString::fromLatin1(r->toHex())
                    : QStringLiteral("caps failed"));
        *last = r;
    });
    QVERIFY(order.isEmpty()); // nothing completes inside the calls
    QVERIFY(settle(last));
    QCOMPARE(order,
        (QStringList{QStringLiteral("state 02"), QStringLiteral("subscribed"),
            QStringLiteral("written"), QStringLiteral("caps 03")}));

    // And BlueZ saw them in that order, one after the other.
    QStringList calls;
    for (const BluezMock::GattCall &call : m_mock.gattLog(kImprov))
        calls << call.method;
    QCOMPARE(calls,
        (QStringList{QStringLiteral("ReadValue"), QStringLiteral("StartNotify"),
            QStringLiteral("WriteValue:request"), QStringLiteral("ReadValue")}));
}

void TestBluezGattConnection::operations_failClearlyForWhatTheDeviceDoesNotOffer()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));

    const auto missing = readNow(c, smpServiceUuid(), smpCharacteristicUuid());
    QVERIFY(!missing);
    QCOMPARE(missing.error().code, Error::Code::NotFound);
    QVERIFY2(
        missing.error().message.contains(smpCharacteristicUuid().toString(QUuid::WithoutBraces)),
        qPrintable(missing.error().message));

    const auto readOnly = writeNow(c, ible::serviceUuid(), ible::capabilitiesUuid(), "\x01");
    QVERIFY(!readOnly);
    QCOMPARE(readOnly.error().code, Error::Code::Unsupported);

    const auto noCommand = writeNow(c, ible::serviceUuid(), ible::rpcCommandUuid(),
        QByteArray::fromHex("020002"), WriteMode::WithoutResponse);
    QVERIFY(!noCommand);
    QCOMPARE(noCommand.error().code, Error::Code::Unsupported);

    const auto noNotify = subscribeNow(c, ible::serviceUuid(), ible::capabilitiesUuid());
    QVERIFY(!noNotify);
    QCOMPARE(noNotify.error().code, Error::Code::Unsupported);

    // The connection is still fine.
    QVERIFY(readNow(c, ible::serviceUuid(), ible::currentStateUuid()));
}

void TestBluezGattConnection::operations_beforeOpen_failWithIo()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    GattConnection *c = makeConnection(kImprov);
    const auto r = readNow(c, ible::serviceUuid(), ible::currentStateUuid());
    QVERIFY(!r);
    QCOMPARE(r.error().code, Error::Code::Io);
    QVERIFY2(r.error().message.contains(QLatin1String("Connect to the device first")),
        qPrintable(r.error().message));
}

void TestBluezGattConnection::improvWifi_splitRpcStateNotificationsAndResult()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), true,
        {{QStringLiteral("ssid"), QStringLiteral("Workshop 5G")},
            {QStringLiteral("password"), QStringLiteral("a rather long wifi passphrase")},
            {QStringLiteral("url"), QStringLiteral("http://lamp.local/setup")}}));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));
    QCOMPARE(c->mtu(), 23);
    for (const QBluetoothUuid &ch :
        {ible::currentStateUuid(), ible::errorStateUuid(), ible::rpcResultUuid()})
        QVERIFY(subscribeNow(c, ible::serviceUuid(), ch));
    QSignalSpy notified(c, &GattConnection::notified);

    QVERIFY(m_mock.pressButton(kImprov));
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, kWait);
    QCOMPARE(notifications(notified).at(0).value, QByteArray(1, char(improv::State::Ready)));

    const auto rpc = ible::encodeWifiSettings("Workshop 5G", "a rather long wifi passphrase");
    QVERIFY(rpc);
    const QList<QByteArray> pieces = ible::splitForMtu(*rpc, c->mtu());
    QVERIFY(pieces.size() >= 3);
    for (const QByteArray &piece : pieces) {
        const auto written = writeNow(c, ible::serviceUuid(), ible::rpcCommandUuid(), piece);
        QVERIFY2(written, qPrintable(describe(written)));
    }

    // provisioning, provisioned, then the result with the URL
    QTRY_VERIFY_WITH_TIMEOUT(notified.size() >= 4, kWait);
    const auto got = notifications(notified);
    QCOMPARE(got.at(1).characteristic, ible::currentStateUuid());
    QCOMPARE(got.at(1).value, QByteArray(1, char(improv::State::Provisioning)));
    QCOMPARE(got.at(2).characteristic, ible::currentStateUuid());
    QCOMPARE(got.at(2).value, QByteArray(1, char(improv::State::Provisioned)));
    QCOMPARE(got.at(3).characteristic, ible::rpcResultUuid());
    const auto result = ible::decodeRpc(got.at(3).value);
    QVERIFY2(result, qPrintable(describe(result)));
    QCOMPARE(result->command, quint8(ible::Command::WifiSettings));
    QCOMPARE(result->strings, QList<QByteArray>{"http://lamp.local/setup"});

    // The RPC went out in MTU-sized writes with response.
    qsizetype writes = 0;
    for (const BluezMock::GattCall &call : m_mock.gattLog(kImprov)) {
        if (call.method != QLatin1String("WriteValue:request"))
            continue;
        ++writes;
        QVERIFY(call.value.size() <= c->mtu() - 3);
    }
    QCOMPARE(writes, pieces.size());
}

void TestBluezGattConnection::improvWifi_withoutAuthorization_andWithWrongPassword_reportErrors()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), true));
    QVERIFY(m_mock.setWifiNetwork(kImprov, QStringLiteral("Lab"), QStringLiteral("right")));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));
    for (const QBluetoothUuid &ch :
        {ible::currentStateUuid(), ible::errorStateUuid(), ible::rpcResultUuid()})
        QVERIFY(subscribeNow(c, ible::serviceUuid(), ch));
    QSignalSpy notified(c, &GattConnection::notified);

    const auto wrong = ible::encodeWifiSettings("Lab", "wrong");
    QVERIFY(wrong);
    for (const QByteArray &piece : ible::splitForMtu(*wrong, c->mtu()))
        QVERIFY(writeNow(c, ible::serviceUuid(), ible::rpcCommandUuid(), piece));
    QTRY_COMPARE_WITH_TIMEOUT(notified.size(), 1, kWait);
    QCOMPARE(notifications(notified).at(0).characteristic, ible::errorStateUuid());
    QCOMPARE(
        notifications(notified).at(0).value, QByteArray(1, char(improv::ErrorCode::NotAuthorized)));

    QVERIFY(m_mock.pressButton(kImprov));
    for (const QByteArray &piece : ible::splitForMtu(*wrong, c->mtu()))
        QVERIFY(writeNow(c, ible::serviceUuid(), ible::rpcCommandUuid(), piece));
    // authorized; error cleared; provisioning; unable to connect; authorized again
    QTRY_VERIFY_WITH_TIMEOUT(notified.size() >= 6, kWait);
    const auto got = notifications(notified);
    QCOMPARE(got.at(1).value, QByteArray(1, char(improv::State::Ready)));
    QCOMPARE(got.at(2).characteristic, ible::errorStateUuid());
    QCOMPARE(got.at(2).value, QByteArray(1, char(improv::ErrorCode::None)));
    QCOMPARE(got.at(3).value, QByteArray(1, char(improv::State::Provisioning)));
    QCOMPARE(got.at(4).characteristic, ible::errorStateUuid());
    QCOMPARE(got.at(4).value, QByteArray(1, char(improv::ErrorCode::UnableToConnect)));
    QCOMPARE(got.at(5).value, QByteArray(1, char(improv::State::Ready)));

    // A damaged RPC is refused as invalid.
    QByteArray damaged = *wrong;
    damaged.back() = char(damaged.back() + 1);
    notified.clear();
    for (const QByteArray &piece : ible::splitForMtu(damaged, c->mtu()))
        QVERIFY(writeNow(c, ible::serviceUuid(), ible::rpcCommandUuid(), piece));
    QTRY_VERIFY_WITH_TIMEOUT(!notified.isEmpty()
            && notifications(notified).last().value
                == QByteArray(1, char(improv::ErrorCode::InvalidRpc)),
        kWait);
}

void TestBluezGattConnection::connectionLoss_failsPendingOperationWithIoAndEmitsLostOnce_data()
{
    QTest::addColumn<BluezMock::HeldRequests>("order");
    QTest::newRow("disconnection first") << BluezMock::HeldRequests::FailAfter;
    QTest::newRow("failed request first") << BluezMock::HeldRequests::FailBefore;
}

void TestBluezGattConnection::connectionLoss_failsPendingOperationWithIoAndEmitsLostOnce()
{
    QFETCH(BluezMock::HeldRequests, order);
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));
    QVERIFY(subscribeNow(c, ible::serviceUuid(), ible::currentStateUuid()));
    QSignalSpy lost(c, &GattConnection::lost);

    QVERIFY(m_mock.setGattStalled(kImprov, true));
    auto inFlight = pending<QByteArray>();
    auto queued = pending<void>();
    bool lostBeforeCallbacks = false;
    c->read(ible::serviceUuid(), ible::currentStateUuid(), [&](Result<QByteArray> r) {
        lostBeforeCallbacks = lostBeforeCallbacks || !lost.isEmpty();
        *inFlight = r;
    });
    c->write(ible::serviceUuid(), ible::rpcCommandUuid(), QByteArray::fromHex("020002"),
        WriteMode::WithResponse, [&](Result<void> r) {
            lostBeforeCallbacks = lostBeforeCallbacks || !lost.isEmpty();
            *queued = r;
        });
    QTest::qWait(100);
    QVERIFY(!inFlight->has_value());

    QVERIFY(m_mock.disconnect(kImprov, order));
    QVERIFY(settle(inFlight));
    QVERIFY(settle(queued));
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, kWait);
    QVERIFY(!lostBeforeCallbacks);
    QVERIFY(!inFlight->value());
    QVERIFY(!queued->value());
    const Error e = lost.at(0).at(0).value<Error>();
    QCOMPARE(e.code, Error::Code::Io);
    QVERIFY2(e.message.contains(QLatin1String("was lost")) && e.message.contains(kImprov),
        qPrintable(e.message));
    QCOMPARE(inFlight->value().error().code, Error::Code::Io);
    QCOMPARE(inFlight->value().error().message, e.message);
    QCOMPARE(queued->value().error().message, e.message);
    QVERIFY(!c->isOpen());

    // The held reply fails only now, after Connected went false: still one loss.
    QTest::qWait(200);
    QCOMPARE(lost.size(), 1);

    // Back in range: the same object reconnects.
    QVERIFY(m_mock.setGattStalled(kImprov, false));
    QVERIFY(openConnection(c));
    QVERIFY(readNow(c, ible::serviceUuid(), ible::currentStateUuid()));
}

void TestBluezGattConnection::operationTimeout_failsWithTimeoutAndEndsTheConnection()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    BluezGattConnection::Options options;
    options.operationTimeout = std::chrono::milliseconds(400);
    GattConnection *c = makeConnection(kImprov, options);
    QVERIFY(openConnection(c));
    QSignalSpy lost(c, &GattConnection::lost);
    QVERIFY(m_mock.setGattStalled(kImprov, true));

    auto stuck = pending<QByteArray>();
    auto next = pending<QByteArray>();
    c->read(ible::serviceUuid(), ible::currentStateUuid(), capture(stuck));
    c->read(ible::serviceUuid(), ible::capabilitiesUuid(), capture(next));
    QVERIFY(settle(stuck));
    QVERIFY(!stuck->value());
    QCOMPARE(stuck->value().error().code, Error::Code::Timeout);
    QVERIFY2(stuck->value().error().message.contains(QLatin1String("did not answer")),
        qPrintable(stuck->value().error().message));
    QVERIFY(settle(next));
    QCOMPARE(next->value().error().code, Error::Code::Io);
    QCOMPARE(lost.size(), 1);
    QCOMPARE(lost.at(0).at(0).value<Error>().code, Error::Code::Io);
    QVERIFY(!c->isOpen());
}

void TestBluezGattConnection::bluezStoppingWhileOpen_isALoss()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));
    QSignalSpy lost(c, &GattConnection::lost);
    QVERIFY(m_mock.setGattStalled(kImprov, true));
    auto inFlight = pending<QByteArray>();
    c->read(ible::serviceUuid(), ible::currentStateUuid(), capture(inFlight));
    QTest::qWait(50);

    m_mock.stopBluez();
    QTRY_COMPARE_WITH_TIMEOUT(lost.size(), 1, kWait);
    const Error e = lost.at(0).at(0).value<Error>();
    QCOMPARE(e.code, Error::Code::Io);
    QVERIFY2(e.message.contains(QLatin1String("bluetoothd")), qPrintable(e.message));
    QVERIFY(inFlight->has_value());
    QCOMPARE(inFlight->value().error().message, e.message);
    QVERIFY(!c->isOpen());
    QTest::qWait(100);
    QCOMPARE(lost.size(), 1);
}

void TestBluezGattConnection::close_cancelsPendingOperations_isIdempotent_andAllowsReopening()
{
    QVERIFY(m_mock.addImprovDevice(kImprov, QStringLiteral("Improv Lamp"), false));
    GattConnection *c = makeConnection(kImprov);
    QVERIFY(openConnection(c));
    QSignalSpy lost(c, &GattConnection::lost);
    QVERIFY(m_mock.setGattStalled(kImprov, true));

    auto inFlight = pending<QByteArray>();
    auto queued = pending<void>();
    c->read(ible::serviceUuid(), ible::currentStateUuid(), capture(inFlight));
    c->subscribe(ible::serviceUuid(), ible::currentStateUuid(), capture(queued));
    QTest::qWait(100);
    c->close();
    QVERIFY(inFlight->has_value());
    QVERIFY(queued->has_value());
    QCOMPARE(inFlight->value().error().code, Error::Code::Cancelled);
    QCOMPARE(queued->value().error().code, Error::Code::Cancelled);
    QVERIFY(!c->isOpen());
    c->close();
    c->close();
    QTest::qWait(200);
    QCOMPARE(lost.size(), 0);

    // Closing while connecting cancels the open.
    QVERIFY(m_mock.setGattStalled(kImprov, false));
    auto opening = pending<void>();
    c->open(capture(opening));
    c->close();
    QVERIFY(opening->has_value());
    QCOMPARE(opening->value().error().code, Error::Code::Cancelled);

    QTRY_VERIFY_WITH_TIMEOUT(c->findChildren<QLowEnergyController *>().isEmpty(), kWait);
    QVERIFY(openConnection(c));
    QVERIFY(readNow(c, ible::serviceUuid(), ible::currentStateUuid()));
}

void TestBluezGattConnection::smpEcho_writeWithoutResponseAndReassembledNotifications()
{
    QVERIFY(m_mock.addSmpDevice(kSmp, QStringLiteral("Zephyr SMP"), 23));
    GattConnection *c = makeConnection(kSmp);
    QVERIFY(openConnection(c));
    QCOMPARE(c->mtu(), 23);
    QVERIFY(subscribeNow(c, smpServiceUuid(), smpCharacteristicUuid()));
    QSignalSpy notified(c, &GattConnection::notified);

    const QString text
        = QStringLiteral("ProvBench says hello over BLE, in more bytes than one ATT packet holds.");
    smp::Header header;
    header.op = smp::Op::Write;
    header.group = smp::GroupOs;
    header.id = 0;
    header.seq = 42;
    const auto request
        = smp::encodePacket(header, QCborMap{{QStringLiteral("d"), text}}.toCborValue().toCbor());
    QVERIFY(request);
    const int piece = c->mtu() - 3;
    QVERIFY(request->size() > 2 * piece);
    for (qsizetype at = 0; at < request->size(); at += piece) {
        const auto written = writeNow(c, smpServiceUuid(), smpCharacteristicUuid(),
            request->mid(at, piece), WriteMode::WithoutResponse);
        QVERIFY2(written, qPrintable(describe(written)));
    }

    // Reassemble by the length in the SMP header.
    QByteArray response;
    QDeadlineTimer deadline(kWait);
    qsizetype used = 0;
    while (!deadline.hasExpired()) {
        for (; used < notified.size(); ++used) {
            const QByteArray chunk = notified.at(used).at(2).toByteArray();
            QVERIFY(chunk.size() <= piece);
            response += chunk;
        }
        if (response.size() >= smp::kHeaderSize) {
            const auto h = smp::decodeHeader(response);
            QVERIFY(h);
            if (response.size() >= smp::kHeaderSize + h->length)
                break;
        }
        notified.wait(50);
    }
    QVERIFY2(notified.size() >= 3, "the answer should come in several notifications");
    const auto packet = smp::decodePacket(response);
    QVERIFY2(packet, qPrintable(describe(packet)));
    QCOMPARE(packet->header.op, smp::Op::WriteResponse);
    QCOMPARE(packet->header.seq, quint8(42));
    QCOMPARE(packet->header.group, quint16(smp::GroupOs));
    const QCborMap body = QCborValue::fromCbor(packet->payload).toMap();
    QCOMPARE(body.value(QStringLiteral("r")).toString(), text);

    // Every piece went out as a write command (without response).
    for (const BluezMock::GattCall &call : m_mock.gattLog(kSmp)) {
        if (call.method.startsWith(QLatin1String("WriteValue")))
            QCOMPARE(call.method, QStringLiteral("WriteValue:command"));
    }
}

PROVBENCH_BLUEZ_TEST_MAIN(TestBluezGattConnection)
#include "tst_bluezgattconnection.moc"
