// The whole BLE path through the real QtBluetooth code against a mocked
// BlueZ: BluezBackend's scanner finds an Improv peripheral by its
// advertisement, improv::ble::Client provisions it over BluezGattConnection
// (waiting for the button, splitting the RPC to the MTU, verifying by
// read-back), and SmpClient talks to an SMP peripheral through a GattLink.
// The same engine classes the GUI and `provbench-cli ble` use.

#include "app/protocol/improv/improvbleclient.h"
#include "app/protocol/smp/smpclient.h"
#include "app/transport/ble/blediscovery.h"
#include "app/transport/ble/bluez/bluezbackend.h"
#include "app/transport/ble/gattlink.h"
#include "tests/ble/bluezmock.h"

#include <QLowEnergyController>
#include <QSignalSpy>
#include <QtTest>

using namespace provbench;
using namespace provbench::ble;
using provbench::test::BluezMock;

namespace {

const QString kLamp = QStringLiteral("AA:BB:CC:00:02:01");
const QString kSensor = QStringLiteral("AA:BB:CC:00:02:02");
constexpr int kWait = 10000;

template<typename T>
std::optional<Result<T>> run(
    const std::function<void(std::function<void(Result<T>)>)> &start, int timeoutMs = kWait)
{
    auto result = std::make_shared<std::optional<Result<T>>>();
    start([result](Result<T> r) { *result = std::move(r); });
    QDeadlineTimer deadline(timeoutMs);
    while (!result->has_value() && !deadline.hasExpired())
        QTest::qWait(5);
    return *result;
}

} // namespace

class TestBluezEndToEnd : public QObject
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
        for (auto &c : m_connections) {
            c->close();
            QTRY_VERIFY_WITH_TIMEOUT(c->findChildren<QLowEnergyController *>().isEmpty(), kWait);
        }
        m_connections.clear();
        if (QTest::currentTestFailed())
            qWarning().noquote() << "BlueZ mock log:\n" << m_mock.log();
        m_mock.stopBluez();
    }

    void scanFindsImprovDevice_thenWifiWaitsForButtonAndVerifies()
    {
        QVERIFY(m_mock.addImprovDevice(
            kLamp, QStringLiteral("Improv Lamp"), true, {{QStringLiteral("mtu"), 23}}));
        QVERIFY(m_mock.setWifiNetwork(kLamp, QStringLiteral("Site-IoT"),
            QStringLiteral("a fairly long passphrase for splitting")));

        // Discovery through the backend, as the Devices page does.
        Discovery discovery(m_backend.createScanner(nullptr));
        discovery.scanner()->setParent(&discovery);
        QSignalSpy added(&discovery, &Discovery::deviceAdded);
        discovery.start();
        QTRY_VERIFY_WITH_TIMEOUT(discovery.find(kLamp), kWait);
        const BleDevice *seen = discovery.find(kLamp);
        QVERIFY(seen->protocols & ProtoImprov);
        QVERIFY(seen->isProvisionable());
        discovery.stop();

        GattConnection *c = connection(kLamp);
        improv::ble::Client client(c);
        QSignalSpy waiting(&client, &improv::ble::Client::authorizationRequired);
        QSignalSpy states(&client, &improv::ble::Client::stateChanged);
        QList<TraceEntry> trace;
        connect(&client, &improv::ble::Client::traced, this,
            [&trace](const TraceEntry &e) { trace.append(e); });

        auto started = run<improv::ble::Client::Status>([&](auto done) { client.start(done); });
        QVERIFY(started && *started);
        QCOMPARE((*started)->state, improv::State::AuthorizationRequired);

        auto written = std::make_shared<std::optional<Result<QStringList>>>();
        client.writeWifi(QStringLiteral("Site-IoT"),
            QStringLiteral("a fairly long passphrase for splitting"),
            [written](Result<QStringList> r) { *written = std::move(r); });
        QTRY_COMPARE_WITH_TIMEOUT(waiting.size(), 1, kWait);
        // Nothing reaches the RPC characteristic before the button is pressed.
        QTest::qWait(300);
        QVERIFY(!written->has_value());
        for (const auto &call : m_mock.gattLog(kLamp))
            QVERIFY(!(call.method.startsWith(QLatin1String("WriteValue"))
                && call.characteristic.endsWith(QLatin1String("8003"))));

        QVERIFY(m_mock.pressButton(kLamp));
        QTRY_VERIFY_WITH_TIMEOUT(written->has_value(), kWait);
        QVERIFY2(written->value(),
            qPrintable(written->value() ? QString() : written->value().error().message));
        QCOMPARE(written->value()->value(0), QStringLiteral("http://192.168.4.23"));
        QCOMPARE(client.status().state, improv::State::Provisioned);

        // The RPC went out in pieces of at most MTU - 3 bytes.
        int pieces = 0;
        for (const auto &call : m_mock.gattLog(kLamp)) {
            if (call.method.startsWith(QLatin1String("WriteValue"))
                && call.characteristic.endsWith(QLatin1String("8003")))
                ++pieces;
        }
        QVERIFY2(pieces >= 3, qPrintable(QString::number(pieces)));
        for (const TraceEntry &e : trace) {
            QVERIFY(!e.summary.contains(QLatin1String("passphrase")));
            QVERIFY(!e.hex.contains(QLatin1String("70 61 73 73 70 68")));
        }
    }

    void wrongPassword_isReportedAndTheDeviceStaysAuthorized()
    {
        QVERIFY(m_mock.addImprovDevice(kLamp, QStringLiteral("Improv Lamp"), false));
        GattConnection *c = connection(kLamp);
        improv::ble::Client client(c);
        auto started = run<improv::ble::Client::Status>([&](auto done) { client.start(done); });
        QVERIFY(started && *started);
        auto written = run<QStringList>([&](auto done) {
            client.writeWifi(QStringLiteral("ProvBench-Lab"), QStringLiteral("wrong"), done);
        });
        QVERIFY(written);
        QVERIFY(!*written);
        QCOMPARE(written->error().code, Error::Code::Device);
        QVERIFY2(written->error().message.contains(QLatin1String("password")),
            qPrintable(written->error().message));
    }

    void smpEcho_overGattLinkWithRawFraming()
    {
        QVERIFY(m_mock.addSmpDevice(kSensor, QStringLiteral("Zephyr Sensor"), 23));
        GattConnection *c = connection(kSensor);
        auto attached = run<void>([&](auto done) {
            GattLink::attach(c, smpServiceUuid(), smpCharacteristicUuid(), done);
        });
        QVERIFY(attached && *attached);
        GattLink link(c, smpServiceUuid(), smpCharacteristicUuid());
        QVERIFY(link.open());
        smp::SmpClient::Options options;
        options.framing = smp::SmpClient::Framing::Raw;
        options.mtu = link.pieceSize();
        smp::SmpClient client(&link, options);
        // Longer than one notification at MTU 23: the answer is reassembled.
        const QString text = QStringLiteral("hello from the bench over BlueZ");
        auto echo = run<QString>([&](auto done) { client.echo(text, done); });
        QVERIFY(echo && *echo);
        QCOMPARE(**echo, text);
    }

private:
    GattConnection *connection(const QString &address)
    {
        m_connections.emplace_back(m_backend.createConnection(address, nullptr));
        return m_connections.back().get();
    }

    BluezMock m_mock;
    BluezBackend m_backend;
    std::vector<std::unique_ptr<GattConnection>> m_connections;
};

PROVBENCH_BLUEZ_TEST_MAIN(TestBluezEndToEnd)
#include "tst_bluezendtoend.moc"
