#include "app/protocol/improv/improvbleclient.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/ble/simulatedimprovperipheral.h"
#include "app/simulator/ble/simulatedsmpperipheral.h"
#include "app/simulator/simulatedsmpdevice.h"

#include <QEventLoop>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace provbench;
using namespace provbench::improv;
namespace ib = provbench::improv::ble;

namespace {

const QString kAddress = QStringLiteral("C4:DE:E2:10:4A:01");
const QString kLab = QStringLiteral("ProvBench-Lab");
const QString kLabPassword = QStringLiteral("correct-horse-42");
// 32-byte SSID (the most Wi-Fi allows) with a 63-byte WPA2 passphrase.
const QString kLongSsid = QStringLiteral("Long-SSID-exactly-32-bytes-ABCDE");
const QString kLongPassword
    = QStringLiteral("passphrase-of-sixty-three-characters-0123456789-abcdefghijklmno");
// 32 bytes of UTF-8 in 16 characters.
const QString kUtf8Ssid = QString(16, QChar(0x00e9));
const QString kUtf8Password = QStringLiteral("caf\u00e9-cr\u00e8me");

// A password that fills the Improv RPC with the longest SSID: 1 + 32 + 1 + 219 = 253.
QString maxPassword()
{
    QString out;
    while (out.size() < 219)
        out += QStringLiteral("horse-battery-staple-");
    return out.left(219);
}

sim::SimDeviceConfig deviceConfig()
{
    sim::SimDeviceConfig c = sim::demoConfig(0);
    c.deviceName = QStringLiteral("smart-plug-ble");
    c.hostname = QStringLiteral("smart-plug-ble");
    c.connectMs = 60;
    c.networks << sim::SimNetwork{kLongSsid, -55, kLongPassword}
               << sim::SimNetwork{kLongSsid, -56, maxPassword()}
               << sim::SimNetwork{kUtf8Ssid, -60, kUtf8Password}
               << sim::SimNetwork{QStringLiteral("G"), -75, QString()};
    return c;
}

// The Wi-Fi RPC as the Improv BLE spec lays it out, built here byte by byte.
QByteArray expectedWifiRpc(const QString &ssid, const QString &password)
{
    const QByteArray s = ssid.toUtf8();
    const QByteArray p = password.toUtf8();
    QByteArray rpc;
    rpc.append(char(0x01));
    rpc.append(char(1 + s.size() + 1 + p.size()));
    rpc.append(char(s.size()));
    rpc.append(s);
    rpc.append(char(p.size()));
    rpc.append(p);
    quint32 sum = 0;
    for (char c : rpc)
        sum += quint8(c);
    rpc.append(char(sum & 0xff));
    return rpc;
}

QString spacedHex(const QByteArray &bytes)
{
    return QString::fromLatin1(bytes.toHex(' '));
}

// Records every piece written to the RPC characteristic, and injects faults
// at exact points of a write: the connection lost while a piece is on its way,
// or an action (drop, cancel) right after the device took a piece but before
// the client hears that it did.
class RecordingImprovPeripheral : public sim::SimulatedImprovPeripheral
{
public:
    using sim::SimulatedImprovPeripheral::SimulatedImprovPeripheral;

    QList<QByteArray> writes; // pieces the device received
    // The n-th piece (1-based) never arrives: the connection drops as it is sent.
    int loseConnectionAtPiece = 0;
    // Runs right after the device took the n-th piece, before its acknowledgement.
    int hookAfterPiece = 0;
    std::function<void()> hook;
    // Firmware that carries out a complete request as soon as it arrives, so a
    // loss before the acknowledgement does not undo it (ESPHome handles the
    // write in its GATT callback).
    bool actsOnReceipt = false;

    QByteArray joinedWrites() const
    {
        QByteArray all;
        for (const QByteArray &w : writes)
            all += w;
        return all;
    }
    ErrorCode errorState() const
    {
        auto v = read(ib::serviceUuid(), ib::errorStateUuid());
        return v && v->size() == 1 ? ErrorCode(quint8(v->at(0))) : ErrorCode::Unknown;
    }

    void setConnected(bool connected) override
    {
        const bool keepPendingWork = !connected && actsOnReceipt && m_requestComplete;
        m_pending.clear();
        m_requestComplete = false;
        if (keepPendingWork)
            sim::SimulatedPeripheral::setConnected(false);
        else
            sim::SimulatedImprovPeripheral::setConnected(connected);
    }

protected:
    void written(
        const QBluetoothUuid &service, const QBluetoothUuid &uuid, const QByteArray &value) override
    {
        if (uuid != ib::rpcCommandUuid())
            return sim::SimulatedImprovPeripheral::written(service, uuid, value);
        if (loseConnectionAtPiece == writes.size() + 1) {
            dropConnection();
            return;
        }
        writes << value;
        m_pending += value;
        m_requestComplete
            = m_pending.size() >= 2 && m_pending.size() >= 3 + quint8(m_pending.at(1));
        if (m_requestComplete)
            m_pending.clear();
        sim::SimulatedImprovPeripheral::written(service, uuid, value);
        if (hook && hookAfterPiece == writes.size())
            hook();
    }

private:
    QByteArray m_pending;
    bool m_requestComplete = false; // the last piece completed a request
};

// Runs the event loop until `done()` holds or timeoutMs pass. Unlike
// QTest::qWaitFor it does not sleep 10 ms between rounds of events, so chains
// of many 1 ms simulated GATT operations stay fast.
bool spinUntil(const std::function<bool()> &done, int timeoutMs)
{
    if (done())
        return true;
    QEventLoop loop;
    QTimer poll;
    poll.setInterval(1);
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (done())
            loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    poll.start();
    loop.exec();
    return done();
}

template<typename T>
Result<T> wait(const std::function<void(ib::Client::Callback<T>)> &start, int timeoutMs = 5000)
{
    std::optional<Result<T>> result;
    start([&](Result<T> r) { result = std::move(r); });
    if (!spinUntil([&] { return result.has_value(); }, timeoutMs))
        return fail(Error::Code::Timeout, QStringLiteral("test: no callback"));
    return std::move(*result);
}

#define VERIFY_OK(expr)                                                                            \
    do {                                                                                           \
        const auto &result_ = (expr);                                                              \
        QVERIFY2(result_, qPrintable(result_ ? QString() : result_.error().message));              \
    } while (false)

// Where a Wi-Fi write loses its connection.
enum DropAt {
    AwaitingButton,   // before anything is sent
    BeforeFirstPiece, // from the "sent" trace entry, before the first write is issued
    PieceLost,        // the n-th piece is lost on its way
    AckLost,          // the n-th piece arrived, its acknowledgement is lost
    OnProvisioning,   // the device reports it is joining
};
// What the device must have done afterwards.
enum Joined { MustNotJoin, MustJoin, EitherWay };

} // namespace

class tst_ImprovBleClient : public QObject
{
    Q_OBJECT

    std::unique_ptr<sim::SimulatedBleBackend> m_backend;
    RecordingImprovPeripheral *m_device = nullptr; // owned by the backend
    std::unique_ptr<provbench::ble::GattConnection> m_connection;
    std::unique_ptr<ib::Client> m_client;
    QList<TraceEntry> m_trace;
    QStringList m_messages; // every error message the client produced
    QStringList m_secrets;  // passwords used by the test: never in a trace or message
    int m_authorizationRequests = 0;
    QList<State> m_states;

    void addDevice(bool requireAuthorization, int autoAuthorizeMs = -1, int mtu = 247,
        sim::SimDeviceConfig config = deviceConfig())
    {
        m_device = new RecordingImprovPeripheral(
            kAddress, -58, std::move(config), {requireAuthorization, autoAuthorizeMs});
        m_device->setLatencyMs(2);
        m_device->setMtu(mtu);
        m_backend->addPeripheral(m_device);
    }

    void connectClient(const QString &address = kAddress)
    {
        m_client.reset();
        m_connection.reset(m_backend->createConnection(address, nullptr));
        m_client = std::make_unique<ib::Client>(m_connection.get());
        ib::Client::Options o;
        o.rpcTimeout = std::chrono::milliseconds(3000);
        o.authorizationTimeout = std::chrono::milliseconds(5000);
        o.authorizationPoll = std::chrono::milliseconds(100);
        m_client->setOptions(o);
        connect(m_client.get(), &ib::Client::traced, this,
            [this](const TraceEntry &e) { m_trace << e; });
        connect(m_client.get(), &ib::Client::authorizationRequired, this,
            [this] { ++m_authorizationRequests; });
        connect(
            m_client.get(), &ib::Client::stateChanged, this, [this](State s) { m_states << s; });
    }

    Result<ib::Client::Status> start()
    {
        return wait<ib::Client::Status>([&](auto cb) { m_client->start(cb); });
    }

    void connectAndStart(bool requireAuthorization, int mtu = 247)
    {
        addDevice(requireAuthorization, -1, mtu);
        connectClient();
        VERIFY_OK(start());
    }

    // Starts a Wi-Fi write; the result lands in `out`.
    void writeWifi(
        const QString &ssid, const QString &password, std::optional<Result<QStringList>> &out)
    {
        m_secrets << password;
        m_client->writeWifi(ssid, password, [&out, this](Result<QStringList> r) {
            if (!r)
                m_messages << r.error().message;
            out = std::move(r);
        });
    }

    Result<QStringList> writeWifiAndWait(
        const QString &ssid, const QString &password, int timeoutMs = 5000)
    {
        std::optional<Result<QStringList>> result;
        writeWifi(ssid, password, result);
        if (!spinUntil([&] { return result.has_value(); }, timeoutMs))
            return fail(Error::Code::Timeout, QStringLiteral("test: no callback"));
        return *result;
    }

    const TraceEntry *lastSent() const
    {
        for (auto it = m_trace.crbegin(); it != m_trace.crend(); ++it) {
            if (it->direction == TraceEntry::Direction::Sent)
                return &*it;
        }
        return nullptr;
    }

private Q_SLOTS:
    void init() { m_backend = std::make_unique<sim::SimulatedBleBackend>(); }

    void cleanup()
    {
        m_client.reset();
        m_connection.reset();
        m_backend.reset();
        m_device = nullptr;
        m_authorizationRequests = 0;
        m_states.clear();
        const QList<TraceEntry> trace = std::exchange(m_trace, {});
        const QStringList messages = std::exchange(m_messages, {});
        const QStringList secrets = std::exchange(m_secrets, {});

        // Whatever a test did, no password reached a trace entry or a message.
        for (const QString &secret : secrets) {
            if (secret.isEmpty())
                continue;
            const QByteArray bytes = secret.toUtf8();
            for (const TraceEntry &e : trace) {
                const QString text = e.summary + QLatin1Char('\n') + e.hex;
                QVERIFY2(!text.contains(secret), qPrintable(e.summary));
                QVERIFY2(!text.contains(spacedHex(bytes)), qPrintable(e.summary));
                QVERIFY2(!text.contains(QString::fromLatin1(bytes.toHex())), qPrintable(e.summary));
            }
            for (const QString &m : messages)
                QVERIFY2(!m.contains(secret), qPrintable(m));
        }
    }

    // --- start ----------------------------------------------------------------

    void start_readsStateAndCapabilities_data()
    {
        QTest::addColumn<bool>("requireAuthorization");
        QTest::addColumn<State>("state");
        QTest::newRow("button needed") << true << State::AuthorizationRequired;
        QTest::newRow("already authorized") << false << State::Ready;
    }
    void start_readsStateAndCapabilities()
    {
        QFETCH(bool, requireAuthorization);
        QFETCH(State, state);
        addDevice(requireAuthorization);
        connectClient();
        QVERIFY(!m_client->isStarted());
        auto status = start();
        VERIFY_OK(status);
        QCOMPARE(status->state, state);
        QCOMPARE(status->error, ErrorCode::None);
        QCOMPARE(int(status->capabilities), ib::CapIdentify | ib::CapDeviceInfo | ib::CapWifiScan);
        QVERIFY(m_client->isStarted());
        QVERIFY(!m_client->isBusy());
        QVERIFY(m_connection->isOpen());
        QVERIFY(m_device->isConnected());
        QCOMPARE(m_client->status().state, state);
        QCOMPARE(m_states, QList<State>{state});
        QVERIFY(m_device->writes.isEmpty()); // starting writes nothing
    }

    void start_deviceWithoutImprov_isUnsupported()
    {
        m_backend->addPeripheral(
            new sim::SimulatedSmpPeripheral(kAddress, -60, sim::demoSmpConfig(0)));
        connectClient();
        auto status = start();
        QVERIFY(!status);
        QCOMPARE(status.error().code, Error::Code::Unsupported);
        QVERIFY2(status.error().message.contains(QStringLiteral("Improv")),
            qPrintable(status.error().message));
        QVERIFY(!m_client->isStarted());
        QVERIFY(!m_client->isBusy());
    }

    void start_deviceNotAdvertising_isNotFound()
    {
        connectClient(QStringLiteral("00:11:22:33:44:55"));
        auto status = start();
        QVERIFY(!status);
        QCOMPARE(status.error().code, Error::Code::NotFound);
        QVERIFY(status.error().message.contains(QStringLiteral("Move closer")));
    }

    void start_adapterOff_saysHowToTurnItOn()
    {
        addDevice(false);
        m_backend->setAdapterStatus(
            {provbench::ble::AdapterProblem::AdapterOff, QStringLiteral("hci0"), {}});
        connectClient();
        auto status = start();
        QVERIFY(!status);
        QCOMPARE(status.error().code, Error::Code::Io);
        QVERIFY2(status.error().message.contains(QStringLiteral("bluetoothctl power on")),
            qPrintable(status.error().message));
    }

    void operations_beforeStart_areRefused()
    {
        addDevice(false);
        connectClient();
        auto info = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); });
        QVERIFY(!info);
        QCOMPARE(info.error().code, Error::Code::InvalidArgument);
        QVERIFY(info.error().message.contains(QStringLiteral("Connect to the device first")));
        auto urls = writeWifiAndWait(kLab, kLabPassword);
        QVERIFY(!urls);
        QCOMPARE(urls.error().code, Error::Code::InvalidArgument);
        QVERIFY(m_device->writes.isEmpty());
    }

    // --- Wi-Fi settings -----------------------------------------------------------

    void writeWifi_authorized_returnsUrlAndDeviceJoins()
    {
        connectAndStart(false);
        auto urls = writeWifiAndWait(kLab, kLabPassword);
        VERIFY_OK(urls);
        QCOMPARE(*urls, QStringList{QStringLiteral("http://smart-plug-ble.local")});
        QCOMPARE(m_device->connectedSsid(), kLab);
        QCOMPARE(m_device->state(), State::Provisioned);
        QCOMPARE(m_client->status().state, State::Provisioned);
        QCOMPARE(m_device->joinedWrites(), expectedWifiRpc(kLab, kLabPassword));
        QCOMPARE(m_authorizationRequests, 0);
        QVERIFY(m_states.contains(State::Provisioning));
        QVERIFY(!m_client->isBusy());

        // The trace shows the RPC with exactly the password bytes redacted.
        const TraceEntry *sent = lastSent();
        QVERIFY(sent);
        const QByteArray rpc = expectedWifiRpc(kLab, kLabPassword);
        const qsizetype pwAt = 3 + kLab.size() + 1;
        // The checksum depends on the password, so it is hidden too.
        const QString hex = spacedHex(rpc.left(pwAt))
            + QStringLiteral(" <redacted %1 bytes> <redacted 1 bytes>").arg(kLabPassword.size());
        QCOMPARE(sent->hex, hex);
        QVERIFY(sent->summary.contains(kLab));
        QVERIFY(sent->summary.contains(QStringLiteral("password redacted")));
    }

    void writeWifi_needsButton_waitsWithoutWriting_thenCompletesByItself()
    {
        connectAndStart(true);
        std::optional<Result<QStringList>> result;
        writeWifi(kLab, kLabPassword, result);
        QCOMPARE(m_authorizationRequests, 1);
        QVERIFY(m_client->isBusy());

        // Several state polls later: still waiting, and nothing reached the device.
        QTest::qWait(400);
        QVERIFY(!result);
        QVERIFY(m_device->writes.isEmpty());
        QCOMPARE(m_device->errorState(), ErrorCode::None); // a premature write sets NotAuthorized
        QCOMPARE(m_device->state(), State::AuthorizationRequired);

        m_device->pressButton();
        QVERIFY(spinUntil([&] { return result.has_value(); }, 5000));
        VERIFY_OK(*result);
        QCOMPARE(**result, QStringList{QStringLiteral("http://smart-plug-ble.local")});
        QCOMPARE(m_device->connectedSsid(), kLab);
        QCOMPARE(m_device->joinedWrites(), expectedWifiRpc(kLab, kLabPassword));
        QCOMPARE(m_authorizationRequests, 1);
        QCOMPARE(m_client->status().state, State::Provisioned);
    }

    void writeWifi_autoAuthorizingDevice_completesWithoutHelp()
    {
        addDevice(true, 300);
        connectClient();
        auto status = start();
        VERIFY_OK(status);
        QCOMPARE(status->state, State::AuthorizationRequired);
        auto urls = writeWifiAndWait(kLab, kLabPassword);
        VERIFY_OK(urls);
        QCOMPARE(m_authorizationRequests, 1);
        QCOMPARE(m_device->connectedSsid(), kLab);
    }

    void writeWifi_authorizationTimeout_nothingEverWritten()
    {
        connectAndStart(true);
        ib::Client::Options o;
        o.authorizationTimeout = std::chrono::milliseconds(300);
        o.authorizationPoll = std::chrono::milliseconds(50);
        m_client->setOptions(o);
        auto urls = writeWifiAndWait(kLab, kLabPassword);
        QVERIFY(!urls);
        QCOMPARE(urls.error().code, Error::Code::Timeout);
        QVERIFY2(urls.error().message.contains(QStringLiteral("nothing was written")),
            qPrintable(urls.error().message));
        QVERIFY(!m_client->isBusy());

        // A button pressed too late must not make the client send after all.
        m_device->pressButton();
        QTest::qWait(300);
        QVERIFY(m_device->writes.isEmpty());
        QCOMPARE(m_device->connectedSsid(), QString());
        QCOMPARE(m_device->state(), State::Ready);
        QCOMPARE(m_device->errorState(), ErrorCode::None);
    }

    void writeWifi_wrongPassword_deviceErrorThenStateBackToAuthorized()
    {
        connectAndStart(false);
        const QString wrong = QStringLiteral("not-the-password");
        auto urls = writeWifiAndWait(kLab, wrong);
        QVERIFY(!urls);
        QCOMPARE(urls.error().code, Error::Code::Device);
        QCOMPARE(urls.error().deviceCode, int(ErrorCode::UnableToConnect));
        QVERIFY2(urls.error().message.contains(QStringLiteral("could not join \"%1\"").arg(kLab)),
            qPrintable(urls.error().message));
        QVERIFY(urls.error().message.contains(QStringLiteral("password")));
        QTRY_COMPARE_WITH_TIMEOUT(m_client->status().state, State::Ready, 2000);
        QCOMPARE(m_device->state(), State::Ready);
        QCOMPARE(m_device->connectedSsid(), QString());
        QCOMPARE(m_client->status().error, ErrorCode::UnableToConnect);
        QVERIFY(!m_client->isBusy());

        // The right password afterwards works on the same session.
        auto again = writeWifiAndWait(kLab, kLabPassword);
        VERIFY_OK(again);
        QCOMPARE(m_device->connectedSsid(), kLab);
        QCOMPARE(m_client->status().error, ErrorCode::None);
    }

    void writeWifi_splitForMtu_data()
    {
        QTest::addColumn<int>("mtu");
        QTest::addColumn<int>("writes");
        // The RPC for the long network is 2 + 33 + 64 + 1 = 100 bytes.
        QTest::newRow("23 (20-byte pieces)") << 23 << 5;
        QTest::newRow("24") << 24 << 5;
        QTest::newRow("30") << 30 << 4;
        QTest::newRow("53 (exactly 2 pieces)") << 53 << 2;
        QTest::newRow("102 (one byte short)") << 102 << 2;
        QTest::newRow("103 (exactly one piece)") << 103 << 1;
        QTest::newRow("247") << 247 << 1;
    }
    void writeWifi_splitForMtu()
    {
        QFETCH(int, mtu);
        QFETCH(int, writes);
        connectAndStart(false, mtu);
        QCOMPARE(m_connection->mtu(), mtu);
        auto urls = writeWifiAndWait(kLongSsid, kLongPassword);
        VERIFY_OK(urls);
        QCOMPARE(m_device->connectedSsid(), kLongSsid);
        QCOMPARE(m_device->writes.size(), writes);
        for (const QByteArray &w : std::as_const(m_device->writes))
            QVERIFY2(w.size() <= mtu - 3 && !w.isEmpty(), qPrintable(QString::number(w.size())));
        QCOMPARE(m_device->joinedWrites(), expectedWifiRpc(kLongSsid, kLongPassword));
        QVERIFY(lastSent()->summary.contains(QStringLiteral("%1 write(s)").arg(writes)));
    }

    void writeWifi_valueLimits_data()
    {
        QTest::addColumn<QString>("ssid");
        QTest::addColumn<QString>("password");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<QString>("messagePart"); // when refused

        QTest::newRow("ssid 32 bytes, password 63") << kLongSsid << kLongPassword << true << "";
        QTest::newRow("ssid 32 bytes, password 219: a full 253-byte RPC")
            << kLongSsid << maxPassword() << true << "";
        QTest::newRow("utf-8 ssid of 32 bytes") << kUtf8Ssid << kUtf8Password << true << "";
        QTest::newRow("one-byte ssid, open network") << "G"
                                                     << "" << true << "";
        QTest::newRow("ssid 33 bytes")
            << kLongSsid + QStringLiteral("F") << kLongPassword << false << "33";
        QTest::newRow("utf-8 ssid of 17 characters but 34 bytes")
            << QString(17, QChar(0x00e9)) << kUtf8Password << false << "34";
        QTest::newRow("empty ssid") << "" << kLabPassword << false << "1 to 32";
        QTest::newRow("password one byte too long")
            << kLongSsid << maxPassword() + QStringLiteral("x") << false << "253";
    }
    void writeWifi_valueLimits()
    {
        QFETCH(QString, ssid);
        QFETCH(QString, password);
        QFETCH(bool, accepted);
        QFETCH(QString, messagePart);
        connectAndStart(false, 23);
        auto urls = writeWifiAndWait(ssid, password);
        QVERIFY(!m_client->isBusy());
        if (!accepted) {
            QVERIFY(!urls);
            QCOMPARE(urls.error().code, Error::Code::InvalidArgument);
            QVERIFY2(urls.error().message.contains(messagePart), qPrintable(urls.error().message));
            QVERIFY(m_device->writes.isEmpty());
            QCOMPARE(m_device->state(), State::Ready);
            return;
        }
        VERIFY_OK(urls);
        QCOMPARE(m_device->connectedSsid(), ssid);
        const QByteArray rpc = expectedWifiRpc(ssid, password);
        QCOMPARE(m_device->joinedWrites(), rpc);
        QCOMPARE(m_device->writes.size(), int((rpc.size() + 19) / 20));
    }

    // The connection drops at several points of a Wi-Fi write. The error must
    // say honestly whether the settings reached the device: "nothing was
    // written/applied" only when the device did not join, "may have them"
    // whenever it could have.
    void writeWifi_connectionLost_messageMatchesWhatTheDeviceHas_data()
    {
        QTest::addColumn<int>("dropAt");
        QTest::addColumn<int>("piece");
        QTest::addColumn<int>("mtu");
        QTest::addColumn<bool>("actsOnReceipt");
        QTest::addColumn<int>("received"); // pieces the device got
        QTest::addColumn<QString>("messagePart");
        QTest::addColumn<int>("joined");

        const QString nothing
            = QStringLiteral("before the Wi-Fi settings were sent: nothing was written");
        const QString mayHave = QStringLiteral("The device may have them");
        // At MTU 23 the 100-byte RPC of the long network takes 5 writes; at 247, one.
        QTest::newRow("waiting for the button")
            << int(AwaitingButton) << 0 << 23 << false << 0 << nothing << int(MustNotJoin);
        QTest::newRow("before the first write is issued")
            << int(BeforeFirstPiece) << 0 << 23 << false << 0 << nothing << int(MustNotJoin);
        QTest::newRow("first piece lost on its way")
            << int(PieceLost) << 1 << 23 << false << 0 << nothing << int(MustNotJoin);
        QTest::newRow("piece 2 lost on its way") << int(PieceLost) << 2 << 23 << false << 1
                                                 << "(1 of 5 pieces written)" << int(MustNotJoin);
        QTest::newRow("piece 2 arrived, acknowledgement lost")
            << int(AckLost) << 2 << 23 << true << 2 << "(1 of 5 pieces written)"
            << int(MustNotJoin);
        QTest::newRow("piece 4 arrived, acknowledgement lost")
            << int(AckLost) << 4 << 23 << true << 4 << "(3 of 5 pieces written)"
            << int(MustNotJoin);
        // Once the last piece is out the client cannot know whether it arrived.
        QTest::newRow("last piece lost on its way")
            << int(PieceLost) << 5 << 23 << false << 4 << mayHave << int(MustNotJoin);
        QTest::newRow("last piece arrived, acknowledgement lost, device acts on it")
            << int(AckLost) << 5 << 23 << true << 5 << mayHave << int(MustJoin);
        QTest::newRow("last piece arrived, acknowledgement lost, device drops it")
            << int(AckLost) << 5 << 23 << false << 5 << mayHave << int(MustNotJoin);
        QTest::newRow("single piece (MTU 247) arrived, acknowledgement lost, device acts on it")
            << int(AckLost) << 1 << 247 << true << 1 << mayHave << int(MustJoin);
        QTest::newRow("single piece (MTU 247) lost on its way")
            << int(PieceLost) << 1 << 247 << false << 0 << mayHave << int(MustNotJoin);
        QTest::newRow("while the device joins")
            << int(OnProvisioning) << 0 << 23 << false << 5 << mayHave << int(MustJoin);
    }
    void writeWifi_connectionLost_messageMatchesWhatTheDeviceHas()
    {
        QFETCH(int, dropAt);
        QFETCH(int, piece);
        QFETCH(int, mtu);
        QFETCH(bool, actsOnReceipt);
        QFETCH(int, received);
        QFETCH(QString, messagePart);
        QFETCH(int, joined);

        connectAndStart(dropAt == AwaitingButton, mtu);
        m_device->actsOnReceipt = actsOnReceipt;
        if (dropAt == BeforeFirstPiece) {
            connect(m_client.get(), &ib::Client::traced, this, [this](const TraceEntry &e) {
                if (e.direction == TraceEntry::Direction::Sent && m_device)
                    m_device->dropConnection();
            });
        }
        if (dropAt == OnProvisioning) {
            connect(m_client.get(), &ib::Client::stateChanged, this, [this](State s) {
                if (s == State::Provisioning && m_device)
                    m_device->dropConnection();
            });
        }
        if (dropAt == PieceLost)
            m_device->loseConnectionAtPiece = piece;
        if (dropAt == AckLost) {
            m_device->hookAfterPiece = piece;
            m_device->hook = [this] { m_device->dropConnection(); };
        }

        std::optional<Result<QStringList>> result;
        writeWifi(kLongSsid, kLongPassword, result);
        if (dropAt == AwaitingButton) {
            QCOMPARE(m_authorizationRequests, 1);
            QTest::qWait(50);
            m_device->dropConnection();
        }
        QVERIFY(spinUntil([&] { return result.has_value(); }, 5000));
        QVERIFY(!*result);
        const Error error = result->error();
        QCOMPARE(error.code, Error::Code::Io);
        QVERIFY2(error.message.contains(messagePart), qPrintable(error.message));
        QVERIFY2(error.message.contains(kAddress), qPrintable(error.message));
        QCOMPARE(m_device->writes.size(), received);
        QVERIFY(!m_client->isStarted());
        QVERIFY(!m_client->isBusy());
        QVERIFY(!m_connection->isOpen());

        // Give a join that did start time to finish on the device.
        QTest::qWait(150);
        const bool didJoin = m_device->connectedSsid() == kLongSsid;
        if (joined != EitherWay)
            QCOMPARE(didJoin, joined == MustJoin);
        if (!didJoin)
            QCOMPARE(m_device->connectedSsid(), QString());
        // Whatever happened, "nothing" is only ever said when it is true.
        if (error.message.contains(QStringLiteral("nothing")))
            QVERIFY(!didJoin);

        // Reconnect, read the state as the message advises, and write again
        // when the device did not take the settings: it discarded any partial
        // request, so the new write works.
        m_device->loseConnectionAtPiece = 0;
        m_device->hook = nullptr;
        connectClient();
        auto status = start();
        VERIFY_OK(status);
        if (didJoin) {
            QCOMPARE(status->state, State::Provisioned);
            return;
        }
        QCOMPARE(status->error, ErrorCode::None);
        if (dropAt == AwaitingButton) {
            QCOMPARE(status->state, State::AuthorizationRequired);
            m_device->pressButton();
            QTRY_COMPARE_WITH_TIMEOUT(m_client->status().state, State::Ready, 2000);
        } else {
            QCOMPARE(status->state, State::Ready);
        }
        auto urls = writeWifiAndWait(kLongSsid, kLongPassword);
        VERIFY_OK(urls);
        QCOMPARE(m_device->connectedSsid(), kLongSsid);
    }

    // --- other operations -----------------------------------------------------------

    void deviceInfo_returnsWhatTheDeviceReports_data()
    {
        QTest::addColumn<bool>("fourStrings");
        QTest::newRow("six strings") << false;
        QTest::newRow("older firmware, four strings") << true;
    }
    void deviceInfo_returnsWhatTheDeviceReports()
    {
        QFETCH(bool, fourStrings);
        sim::SimDeviceConfig config = deviceConfig();
        config.fourStringInfo = fourStrings;
        addDevice(false, -1, 23, config);
        connectClient();
        VERIFY_OK(start());
        auto info = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); });
        VERIFY_OK(info);
        QCOMPARE(info->firmwareName, config.firmwareName);
        QCOMPARE(info->firmwareVersion, config.firmwareVersion);
        QCOMPARE(info->hardware, config.hardware);
        QCOMPARE(info->deviceName, QStringLiteral("smart-plug-ble"));
        QCOMPARE(info->osName, fourStrings ? QString() : config.osName);
        QCOMPARE(info->osVersion, fourStrings ? QString() : config.osVersion);
        QCOMPARE(m_device->joinedWrites(), QByteArray::fromHex("030003"));
        QVERIFY(!m_client->isBusy());
    }

    void deviceInfo_beforeAuthorization_saysPressTheButton()
    {
        connectAndStart(true);
        auto info = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); });
        QVERIFY(!info);
        QCOMPARE(info.error().code, Error::Code::Device);
        QCOMPARE(info.error().deviceCode, int(ErrorCode::NotAuthorized));
        QVERIFY2(info.error().message.contains(QStringLiteral("press the button")),
            qPrintable(info.error().message));
        QVERIFY(!m_client->isBusy());
    }

    void scanWifi_listsEveryNetworkInOrder()
    {
        connectAndStart(false);
        auto networks = wait<QList<WifiNetwork>>([&](auto cb) { m_client->scanWifi(cb); });
        VERIFY_OK(networks);
        const QList<sim::SimNetwork> expected = deviceConfig().networks;
        QCOMPARE(networks->size(), expected.size());
        for (qsizetype i = 0; i < expected.size(); ++i) {
            QCOMPARE(networks->at(i).ssid, expected.at(i).ssid);
            QCOMPARE(networks->at(i).rssi, expected.at(i).rssi);
            QCOMPARE(networks->at(i).secured, !expected.at(i).password.isEmpty());
        }
        QCOMPARE(m_device->joinedWrites(), QByteArray::fromHex("040004"));
    }

    void identify_writesTheCommandAndCompletes()
    {
        connectAndStart(true); // allowed before authorization
        VERIFY_OK(wait<void>([&](auto cb) { m_client->identify(cb); }));
        QCOMPARE(m_device->joinedWrites(), QByteArray::fromHex("020002"));
        QTest::qWait(50);
        QCOMPARE(m_device->errorState(), ErrorCode::None);
    }

    void busy_otherOperationsRefused_firstOneStillCompletes()
    {
        connectAndStart(true);
        std::optional<Result<QStringList>> first;
        writeWifi(kLab, kLabPassword, first);
        QVERIFY(m_client->isBusy());

        auto startAgain = wait<ib::Client::Status>([&](auto cb) { m_client->start(cb); }, 100);
        auto info = wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); }, 100);
        auto scan = wait<QList<WifiNetwork>>([&](auto cb) { m_client->scanWifi(cb); }, 100);
        auto blink = wait<void>([&](auto cb) { m_client->identify(cb); }, 100);
        std::optional<Result<QStringList>> second;
        writeWifi(kLongSsid, kLongPassword, second);
        QVERIFY(second.has_value());

        const auto refused = [](const auto &r) {
            return !r && r.error().code == Error::Code::InvalidArgument
                && r.error().message.contains(QStringLiteral("busy"));
        };
        QVERIFY(refused(startAgain));
        QVERIFY(refused(info));
        QVERIFY(refused(scan));
        QVERIFY(refused(blink));
        QVERIFY(refused(*second));
        QVERIFY(!first.has_value());
        QVERIFY(m_device->writes.isEmpty());

        m_device->pressButton();
        QVERIFY(spinUntil([&] { return first.has_value(); }, 5000));
        VERIFY_OK(*first);
        QCOMPARE(m_device->connectedSsid(), kLab);
        QCOMPARE(m_device->joinedWrites(), expectedWifiRpc(kLab, kLabPassword));
    }

    void cancel_whileWaitingForButton_nothingIsSentLater()
    {
        connectAndStart(true);
        std::optional<Result<QStringList>> result;
        writeWifi(kLab, kLabPassword, result);
        QTest::qWait(150);
        m_client->cancel();
        QVERIFY(result.has_value());
        QVERIFY(!*result);
        QCOMPARE(result->error().code, Error::Code::Cancelled);
        QCOMPARE(result->error().message, QStringLiteral("Cancelled."));
        QVERIFY(!m_client->isBusy());

        m_device->pressButton();
        QTest::qWait(300);
        QVERIFY(m_device->writes.isEmpty());
        QCOMPARE(m_device->connectedSsid(), QString());
        QCOMPARE(m_client->status().state, State::Ready); // still watching the state

        // The session stays usable.
        VERIFY_OK(wait<DeviceInfo>([&](auto cb) { m_client->deviceInfo(cb); }));
        m_client->cancel(); // nothing running: no effect
    }

    void cancel_afterSettingsSent_saysTheDeviceMayStillJoin_data()
    {
        QTest::addColumn<bool>("whileJoining");
        QTest::newRow("last piece arrived, acknowledgement pending") << false;
        QTest::newRow("while the device joins") << true;
    }
    void cancel_afterSettingsSent_saysTheDeviceMayStillJoin()
    {
        QFETCH(bool, whileJoining);
        connectAndStart(false, 23);
        if (whileJoining) {
            connect(m_client.get(), &ib::Client::stateChanged, this, [this](State s) {
                if (s == State::Provisioning)
                    m_client->cancel();
            });
        } else {
            m_device->hookAfterPiece = 5;
            m_device->hook = [this] { m_client->cancel(); };
        }
        auto urls = writeWifiAndWait(kLongSsid, kLongPassword);
        QVERIFY(!urls);
        QCOMPARE(urls.error().code, Error::Code::Cancelled);
        QVERIFY2(urls.error().message.contains(QStringLiteral("already sent")),
            qPrintable(urls.error().message));
        QVERIFY(urls.error().message.contains(kLongSsid));
        QVERIFY(!m_client->isBusy());
        // ... and it does.
        QTRY_COMPARE_WITH_TIMEOUT(m_device->connectedSsid(), kLongSsid, 2000);
        QTRY_COMPARE_WITH_TIMEOUT(m_client->status().state, State::Provisioned, 2000);
    }

    void clientDestroyedMidWrite_noCallbackAndNoCrash()
    {
        connectAndStart(false, 23);
        bool called = false;
        m_secrets << kLongPassword;
        m_client->writeWifi(kLongSsid, kLongPassword, [&](Result<QStringList>) { called = true; });
        QTest::qWait(5);
        m_client.reset();
        QTest::qWait(300);
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(tst_ImprovBleClient)
#include "tst_improvbleclient.moc"
