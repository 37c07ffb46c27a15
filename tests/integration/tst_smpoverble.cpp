#include "app/protocol/smp/smpclient.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/ble/simulatedimprovperipheral.h"
#include "app/simulator/ble/simulatedsmpperipheral.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/transport/ble/gattlink.h"

#include <QCryptographicHash>
#include <QEventLoop>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>

using namespace provbench;
using namespace provbench::smp;
using provbench::ble::GattConnection;
using provbench::ble::GattLink;

namespace {

const QString kAddress = QStringLiteral("F1:0B:5E:7A:22:03");
const QString kCertPath = QStringLiteral("/lfs/client.pem");

QByteArray pseudoRandom(int size, quint32 seed)
{
    QByteArray out(size, '\0');
    quint32 x = seed;
    for (char &c : out) {
        x = x * 1664525u + 1013904223u;
        c = char(x >> 24);
    }
    return out;
}

sim::SmpDeviceConfig fastConfig()
{
    sim::SmpDeviceConfig c = sim::demoSmpConfig(0);
    c.name = QStringLiteral("zephyr-ble-sensor");
    c.latencyMs = 1;
    c.logNoise = false;
    return c;
}

// Records what arrives on the SMP characteristic and can run an action right
// after the n-th write was taken by the device (before it answers).
class RecordingSmpPeripheral : public sim::SimulatedSmpPeripheral
{
public:
    using sim::SimulatedSmpPeripheral::SimulatedSmpPeripheral;

    QList<int> writeSizes;
    QByteArray received;
    std::function<bool()> hook; // runs after every write until it returns true

protected:
    void written(
        const QBluetoothUuid &service, const QBluetoothUuid &uuid, const QByteArray &value) override
    {
        writeSizes << int(value.size());
        received += value;
        sim::SimulatedSmpPeripheral::written(service, uuid, value);
        if (hook && hook())
            hook = nullptr;
    }
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

Result<void> waitAttach(GattConnection *connection)
{
    std::optional<Result<void>> result;
    GattLink::attach(connection, provbench::ble::smpServiceUuid(),
        provbench::ble::smpCharacteristicUuid(), [&](Result<void> r) { result = std::move(r); });
    if (!spinUntil([&] { return result.has_value(); }, 5000))
        return fail(Error::Code::Timeout, QStringLiteral("test: no callback"));
    return *result;
}

template<typename T>
Result<T> wait(const std::function<void(SmpClient::Callback<T>)> &start, int timeoutMs = 10000)
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

int piecesFor(qsizetype bytes, int mtu)
{
    return int((bytes + (mtu - 3) - 1) / (mtu - 3));
}

} // namespace

// SmpClient with raw framing over a GattLink over a simulated GATT connection
// to a Zephyr device with SMP over BLE: the whole BLE path except BlueZ.
class tst_SmpOverBle : public QObject
{
    Q_OBJECT

    std::unique_ptr<sim::SimulatedBleBackend> m_backend;
    RecordingSmpPeripheral *m_device = nullptr; // owned by the backend
    std::unique_ptr<GattConnection> m_connection;
    std::unique_ptr<GattLink> m_link;
    std::unique_ptr<SmpClient> m_client;
    QList<TraceEntry> m_trace;
    QList<QByteArray> m_notifications;
    int m_linkErrors = 0;
    int m_linkClosed = 0;

    void addDevice(int mtu, const sim::SmpDeviceConfig &config = fastConfig())
    {
        m_device = new RecordingSmpPeripheral(kAddress, -66, config);
        m_device->setLatencyMs(1);
        m_device->setMtu(mtu);
        m_backend->addPeripheral(m_device);
        connect(m_device, &sim::SimulatedPeripheral::notified, this,
            [this](const QBluetoothUuid &, const QBluetoothUuid &, const QByteArray &v) {
                m_notifications << v;
            });
    }

    void connectTo(int mtu, const sim::SmpDeviceConfig &config = fastConfig())
    {
        addDevice(mtu, config);
        m_connection.reset(m_backend->createConnection(kAddress, nullptr));
        VERIFY_OK(waitAttach(m_connection.get()));
        m_link = std::make_unique<GattLink>(m_connection.get(), provbench::ble::smpServiceUuid(),
            provbench::ble::smpCharacteristicUuid());
        VERIFY_OK(m_link->open());
        connect(m_link.get(), &Link::errorOccurred, this, [this] { ++m_linkErrors; });
        connect(m_link.get(), &Link::closed, this, [this] { ++m_linkClosed; });
        SmpClient::Options o;
        o.framing = SmpClient::Framing::Raw;
        o.timeout = std::chrono::milliseconds(1000);
        o.retries = 1;
        m_client = std::make_unique<SmpClient>(m_link.get(), o);
        connect(m_client.get(), &SmpClient::traced, this,
            [this](const TraceEntry &e) { m_trace << e; });
    }

    void verifyPiecesFit(int mtu)
    {
        QVERIFY(!m_device->writeSizes.isEmpty());
        for (int size : std::as_const(m_device->writeSizes))
            QVERIFY2(size > 0 && size <= mtu - 3, qPrintable(QString::number(size)));
        for (const QByteArray &n : std::as_const(m_notifications))
            QVERIFY2(n.size() <= mtu - 3, qPrintable(QString::number(n.size())));
    }

    QString traceText() const
    {
        QString all;
        for (const TraceEntry &e : m_trace)
            all += e.summary + QLatin1Char(' ') + e.hex + QLatin1Char('\n');
        return all;
    }

    int sentRequests() const
    {
        int n = 0;
        for (const TraceEntry &e : m_trace)
            n += e.direction == TraceEntry::Direction::Sent ? 1 : 0;
        return n;
    }

private Q_SLOTS:
    void init() { m_backend = std::make_unique<sim::SimulatedBleBackend>(); }

    void cleanup()
    {
        m_client.reset();
        m_link.reset();
        m_connection.reset();
        m_backend.reset();
        m_device = nullptr;
        m_trace.clear();
        m_notifications.clear();
        m_linkErrors = 0;
        m_linkClosed = 0;
    }

    // --- GattLink ---------------------------------------------------------------

    void attach_checksForTheSmpCharacteristic()
    {
        m_backend->addPeripheral(new sim::SimulatedImprovPeripheral(
            QStringLiteral("C4:DE:E2:10:4A:01"), -60, sim::demoConfig(0), {false, -1}));
        std::unique_ptr<GattConnection> improv(
            m_backend->createConnection(QStringLiteral("C4:DE:E2:10:4A:01"), nullptr));
        auto attached = waitAttach(improv.get());
        QVERIFY(!attached);
        QCOMPARE(attached.error().code, Error::Code::Unsupported);
        QVERIFY2(attached.error().message.contains(
                     provbench::ble::smpCharacteristicUuid().toString(QUuid::WithoutBraces)),
            qPrintable(attached.error().message));
        QVERIFY(improv->isOpen()); // the connection itself was fine

        std::unique_ptr<GattConnection> nobody(
            m_backend->createConnection(QStringLiteral("00:11:22:33:44:55"), nullptr));
        auto missing = waitAttach(nobody.get());
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, Error::Code::NotFound);

        // A link on a connection that is not open refuses to open.
        GattLink link(nobody.get(), provbench::ble::smpServiceUuid(),
            provbench::ble::smpCharacteristicUuid());
        auto opened = link.open();
        QVERIFY(!opened);
        QCOMPARE(opened.error().code, Error::Code::Io);
        QVERIFY(!link.isOpen());
        QVERIFY(!link.write("x"));
    }

    void link_writeSplitsIntoMtuPieces_data()
    {
        QTest::addColumn<int>("mtu");
        QTest::addColumn<int>("size");
        QTest::addColumn<int>("writes");
        QTest::newRow("23, 1 byte") << 23 << 1 << 1;
        QTest::newRow("23, 20 bytes") << 23 << 20 << 1;
        QTest::newRow("23, 21 bytes") << 23 << 21 << 2;
        QTest::newRow("23, 40 bytes") << 23 << 40 << 2;
        QTest::newRow("23, 41 bytes") << 23 << 41 << 3;
        QTest::newRow("23, 500 bytes") << 23 << 500 << 25;
        QTest::newRow("185, 365 bytes") << 185 << 365 << 3;
        QTest::newRow("247, 244 bytes") << 247 << 244 << 1;
        QTest::newRow("247, 245 bytes") << 247 << 245 << 2;
        QTest::newRow("517, 1028 bytes") << 517 << 1028 << 2;
    }
    void link_writeSplitsIntoMtuPieces()
    {
        QFETCH(int, mtu);
        QFETCH(int, size);
        QFETCH(int, writes);
        connectTo(mtu);
        QCOMPARE(m_link->pieceSize(), mtu - 3);
        // 0xff bytes: a header that declares an impossible length, which the
        // device's reassembler discards, so nothing answers.
        const QByteArray bytes(size, '\xff');
        VERIFY_OK(m_link->write(bytes));
        QVERIFY(spinUntil([&] { return m_device->writeSizes.size() >= writes; }, 3000));
        QTest::qWait(20); // no further writes trail behind
        QCOMPARE(m_device->writeSizes.size(), writes);
        QCOMPARE(m_device->received, bytes);
        verifyPiecesFit(mtu);
        QCOMPARE(piecesFor(size, mtu), writes);
    }

    void link_closeLeavesTheConnectionOpen_andStopsDelivery()
    {
        connectTo(23);
        QSignalSpy received(m_link.get(), &Link::received);
        VERIFY_OK(wait<QString>([&](auto cb) { m_client->echo(QStringLiteral("one"), cb); }));
        QVERIFY(received.count() >= 1);

        m_link->close();
        QCOMPARE(m_linkClosed, 1);
        m_link->close(); // idempotent
        QCOMPARE(m_linkClosed, 1);
        QVERIFY(!m_link->isOpen());
        QVERIFY(m_connection->isOpen());
        QCOMPARE(m_linkErrors, 0);
        auto refused = m_link->write("x");
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, Error::Code::Io);

        // The client sees a closed port and says so instead of waiting.
        auto echo = wait<QString>([&](auto cb) { m_client->echo(QStringLiteral("two"), cb); });
        QVERIFY(!echo);
        QCOMPARE(echo.error().code, Error::Code::Io);

        // Reopening on the still-open connection works again.
        VERIFY_OK(m_link->open());
        VERIFY_OK(wait<QString>([&](auto cb) { m_client->echo(QStringLiteral("three"), cb); }));
    }

    // --- SMP over the link ------------------------------------------------------------

    void echo_roundTrip_data()
    {
        QTest::addColumn<int>("mtu");
        QTest::addColumn<int>("length");
        QTest::newRow("MTU 23, short") << 23 << 5;
        QTest::newRow("MTU 23, 300 characters") << 23 << 300;
        QTest::newRow("MTU 247, short") << 247 << 5;
        QTest::newRow("MTU 247, 300 characters") << 247 << 300;
        QTest::newRow("MTU 498, 300 characters (one write each way)") << 498 << 300;
    }
    void echo_roundTrip()
    {
        QFETCH(int, mtu);
        QFETCH(int, length);
        connectTo(mtu);
        QString text;
        while (text.size() < length)
            text += QStringLiteral("echo over BLE ");
        text.truncate(length);
        auto r = wait<QString>([&](auto cb) { m_client->echo(text, cb); });
        VERIFY_OK(r);
        QCOMPARE(*r, text);
        verifyPiecesFit(mtu);
        // The request went out in as few writes as the MTU allows, and the
        // answer (the same size plus a byte of CBOR) in as many notifications.
        QCOMPARE(m_device->writeSizes.size(), piecesFor(m_device->received.size(), mtu));
        qsizetype answered = 0;
        for (const QByteArray &n : std::as_const(m_notifications))
            answered += n.size();
        QCOMPARE(m_notifications.size(), piecesFor(answered, mtu));
        if (length > mtu)
            QVERIFY(m_notifications.size() > 1);
    }

    void settings_writeThenReadBack()
    {
        connectTo(23);
        const QString key = QStringLiteral("app/server");
        VERIFY_OK(wait<void>([&](auto cb) { m_client->writeSetting(key, "mqtt.lab:8883", cb); }));
        auto value = wait<QByteArray>([&](auto cb) { m_client->readSetting(key, cb); });
        VERIFY_OK(value);
        QCOMPARE(*value, QByteArray("mqtt.lab:8883"));
        QCOMPARE(
            m_device->responder().settings().read(key), std::optional<QByteArray>("mqtt.lab:8883"));

        VERIFY_OK(wait<void>([&](auto cb) { m_client->saveSettings(cb); }));
        QCOMPARE(m_device->responder().settings().saved().value(key), QByteArray("mqtt.lab:8883"));

        auto missing = wait<QByteArray>(
            [&](auto cb) { m_client->readSetting(QStringLiteral("app/nothing"), cb); });
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, Error::Code::Device);
    }

    void settings_secretValue_neverInTheTrace()
    {
        connectTo(23);
        const QString key = QStringLiteral("wifi/psk");
        const QByteArray secret("sunflower-meadow-77");
        VERIFY_OK(wait<void>([&](auto cb) { m_client->writeSetting(key, secret, cb); }));
        auto value = wait<QByteArray>([&](auto cb) { m_client->readSetting(key, cb); });
        VERIFY_OK(value);
        QCOMPARE(*value, secret);
        const QString trace = traceText();
        QVERIFY(trace.contains(QStringLiteral("redacted")));
        QVERIFY(!trace.contains(QString::fromLatin1(secret)));
        QVERIFY(!trace.contains(QString::fromLatin1(secret.toHex(' '))));
        QVERIFY(!trace.contains(QString::fromLatin1(secret.left(8).toHex(' '))));
    }

    void upload_severalKiB_hashAndDownloadMatch_data()
    {
        QTest::addColumn<int>("mtu");
        QTest::addColumn<int>("size");
        QTest::newRow("MTU 23, 5000 bytes") << 23 << 5000;
        QTest::newRow("MTU 247, 5000 bytes") << 247 << 5000;
        QTest::newRow("MTU 247, 8 KiB") << 247 << 8192;
        QTest::newRow("MTU 65, 3 KiB + 1") << 65 << 3073;
    }
    void upload_severalKiB_hashAndDownloadMatch()
    {
        QFETCH(int, mtu);
        QFETCH(int, size);
        connectTo(mtu);
        const QByteArray data = pseudoRandom(size, quint32(size + mtu));
        QList<qint64> progress;
        connect(m_client.get(), &SmpClient::transferProgress, this,
            [&](const QString &, qint64 done, qint64) { progress << done; });

        std::optional<Result<void>> result;
        SmpClient::UploadReport report;
        m_client->uploadFile(
            kCertPath, data, [&](Result<void> r, const SmpClient::UploadReport &u) {
                result = std::move(r);
                report = u;
            });
        QVERIFY(spinUntil([&] { return result.has_value(); }, 15000));
        VERIFY_OK(*result);
        QCOMPARE(report.acknowledged, qint64(size));
        QVERIFY(report.firstChunkSent);
        QVERIFY(report.finalChunkSent);
        QCOMPARE(progress.last(), qint64(size));
        QVERIFY(progress.size() > 1); // several chunks
        QCOMPARE(
            m_device->responder().fileStore().file(kCertPath), std::optional<QByteArray>(data));
        verifyPiecesFit(mtu);

        auto hash = wait<QByteArray>([&](auto cb) { m_client->hashFile(kCertPath, cb); });
        VERIFY_OK(hash);
        QCOMPARE(hash->toHex(), QCryptographicHash::hash(data, QCryptographicHash::Sha256).toHex());

        // Download answers are as large as the device's buffer allows, so each
        // spans several notifications that the client reassembles.
        const int before = int(m_notifications.size());
        const int requestsBefore = sentRequests();
        auto back = wait<QByteArray>([&](auto cb) { m_client->downloadFile(kCertPath, cb); });
        VERIFY_OK(back);
        QCOMPARE(back->size(), data.size());
        QVERIFY(*back == data);
        QVERIFY2(int(m_notifications.size()) - before > sentRequests() - requestsBefore,
            "no answer spanned several notifications");
        verifyPiecesFit(mtu);
    }

    // The connection drops during an upload: the operation fails with the
    // link's error, and the report says what the device may hold, which must
    // agree with what it does hold.
    void upload_connectionLost_reportIsHonest_data()
    {
        QTest::addColumn<QString>("when");
        QTest::addColumn<bool>("hadOldFile");
        QTest::newRow("between chunks, no old file") << "progress" << false;
        QTest::newRow("between chunks, old file") << "progress" << true;
        QTest::newRow("in the middle of a chunk's writes, old file") << "write 30" << true;
        QTest::newRow("final chunk taken, answer lost, old file") << "complete" << true;
        QTest::newRow("final chunk taken, answer lost, no old file") << "complete" << false;
    }
    void upload_connectionLost_reportIsHonest()
    {
        QFETCH(QString, when);
        QFETCH(bool, hadOldFile);
        const QByteArray oldFile("-----BEGIN CERTIFICATE-----\nold\n-----END CERTIFICATE-----\n");
        sim::SmpDeviceConfig config = fastConfig();
        if (hadOldFile)
            config.files.insert(kCertPath, oldFile);
        connectTo(23, config);
        const QByteArray data = pseudoRandom(6000, 7);

        QList<qint64> progress;
        connect(m_client.get(), &SmpClient::transferProgress, this,
            [&](const QString &, qint64 done, qint64) {
                progress << done;
                if (when == QStringLiteral("progress") && done >= 2000 && m_device)
                    m_device->dropConnection();
            });
        if (when == QStringLiteral("write 30")) {
            m_device->hook = [this] {
                if (m_device->writeSizes.size() < 30)
                    return false;
                m_device->dropConnection();
                return true;
            };
        } else if (when == QStringLiteral("complete")) {
            m_device->hook = [this, data] {
                if (m_device->responder().fileStore().file(kCertPath) != data)
                    return false;
                m_device->dropConnection(); // before the answer goes out
                return true;
            };
        }

        std::optional<Result<void>> result;
        SmpClient::UploadReport report;
        m_client->uploadFile(
            kCertPath, data, [&](Result<void> r, const SmpClient::UploadReport &u) {
                result = std::move(r);
                report = u;
            });
        QVERIFY(spinUntil([&] { return result.has_value(); }, 15000));
        QVERIFY(!*result);
        QCOMPARE(result->error().code, Error::Code::Io);
        QVERIFY2(result->error().message.contains(QStringLiteral("lost")),
            qPrintable(result->error().message));
        QCOMPARE(m_linkErrors, 1);
        QCOMPARE(m_linkClosed, 1);
        QVERIFY(!m_client->isLinkUsable());

        // What was acknowledged is what the client last reported as progress.
        QVERIFY(report.firstChunkSent);
        QVERIFY(report.acknowledged < data.size());
        QCOMPARE(report.acknowledged, progress.isEmpty() ? qint64(0) : progress.last());

        const auto held = m_device->responder().fileStore().file(kCertPath);
        const bool holdsNew = held == std::optional<QByteArray>(data);
        if (when == QStringLiteral("complete")) {
            QVERIFY(holdsNew);
            QVERIFY(report.finalChunkSent); // "may hold the complete new file": it does
        } else {
            QVERIFY(!report.finalChunkSent);
            QVERIFY(!holdsNew);
            QCOMPARE(held, hadOldFile ? std::optional<QByteArray>(oldFile) : std::nullopt);
        }
        // Never a truncated file, whatever the report says.
        QVERIFY(!held || *held == data || *held == oldFile);

        // Later requests fail at once with the same reason instead of timing out.
        auto echo = wait<QString>([&](auto cb) { m_client->echo(QStringLiteral("x"), cb); }, 500);
        QVERIFY(!echo);
        QCOMPARE(echo.error().code, Error::Code::Io);
    }
};

QTEST_GUILESS_MAIN(tst_SmpOverBle)
#include "tst_smpoverble.moc"
