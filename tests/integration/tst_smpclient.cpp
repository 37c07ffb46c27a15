#include "app/protocol/smp/smpclient.h"
#include "app/protocol/smp/smpverify.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/transport/seriallink.h"

#include <QCryptographicHash>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::smp;

namespace {

template<typename T>
Result<T> wait(const std::function<void(SmpClient::Callback<T>)> &start, int timeoutMs = 10000)
{
    std::optional<Result<T>> result;
    start([&](Result<T> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, timeoutMs))
        return fail(Error::Code::Timeout, QStringLiteral("test: no callback"));
    return std::move(*result);
}

ItemReport waitReport(const std::function<void(std::function<void(ItemReport)>)> &start)
{
    std::optional<ItemReport> result;
    start([&](ItemReport r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15000))
        return ItemReport{QStringLiteral("test"), ItemReport::Outcome::Failed,
            ItemReport::DeviceState::Unknown, QStringLiteral("test: no callback"), {}};
    return *result;
}

sim::SmpDeviceConfig fastConfig(bool noise = true)
{
    sim::SmpDeviceConfig c = sim::demoSmpConfig(0);
    c.latencyMs = 2;
    c.rebootMs = 150;
    c.logNoise = noise;
    return c;
}

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

// Evaluates `expr` once and fails with the error's message.
#define VERIFY_OK(expr)                                                                            \
    do {                                                                                           \
        const auto &result_ = (expr);                                                              \
        QVERIFY2(result_, qPrintable(result_ ? QString() : result_.error().message));              \
    } while (false)

} // namespace

class tst_SmpClient : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sim::SimulatedSmpDevice> m_device;
    std::unique_ptr<SerialLink> m_link;
    std::unique_ptr<SmpClient> m_client;
    QList<TraceEntry> m_trace;
    qint64 m_bytesIn = 0; // counted before the client sees them

    void connectTo(const sim::SmpDeviceConfig &config, int timeoutMs = 250)
    {
        m_device = std::make_unique<sim::SimulatedSmpDevice>(config);
        auto started = m_device->start(m_dir.filePath(QStringLiteral("ttySMP0")));
        QVERIFY2(started, qPrintable(started ? QString() : started.error().message));
        m_link = std::make_unique<SerialLink>(m_device->portPath());
        auto opened = m_link->open();
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        m_bytesIn = 0;
        connect(m_link.get(), &Link::received, this,
            [this](const QByteArray &b) { m_bytesIn += b.size(); });
        SmpClient::Options o;
        o.timeout = std::chrono::milliseconds(timeoutMs);
        o.retries = 2;
        m_client = std::make_unique<SmpClient>(m_link.get(), o);
        connect(m_client.get(), &SmpClient::traced, this,
            [this](const TraceEntry &e) { m_trace.append(e); });
    }

    void disconnectAll()
    {
        m_client.reset();
        m_link.reset();
        m_device.reset();
        m_trace.clear();
    }

    QString traceText() const
    {
        QString all;
        for (const TraceEntry &e : m_trace)
            all += e.summary + QLatin1Char(' ') + e.hex + QLatin1Char('\n');
        return all;
    }

    Result<void> upload(const QString &path, const QByteArray &data)
    {
        std::optional<Result<void>> result;
        m_client->uploadFile(path, data,
            [&](Result<void> r, const SmpClient::UploadReport &) { result = std::move(r); });
        if (!QTest::qWaitFor([&] { return result.has_value(); }, 15000))
            return fail(Error::Code::Timeout, QStringLiteral("test: no callback"));
        return *result;
    }

private Q_SLOTS:
    void cleanup() { disconnectAll(); }

    void echo_withLogNoise_returnsText()
    {
        connectTo(fastConfig());
        auto r = wait<QString>([&](auto cb) { m_client->echo(QStringLiteral("hello"), cb); });
        VERIFY_OK(r);
        QCOMPARE(*r, QStringLiteral("hello"));
    }

    void osInfo_nodeNameAndFormats_legacyFirmwareLacksIt()
    {
        connectTo(fastConfig());
        auto node = wait<QString>([&](auto cb) { m_client->osInfo(QStringLiteral("n"), cb); });
        VERIFY_OK(node);
        QCOMPARE(*node, sim::demoSmpConfig(0).name);
        auto both = wait<QString>([&](auto cb) { m_client->osInfo(QStringLiteral("sn"), cb); });
        VERIFY_OK(both);
        QCOMPARE(*both, QStringLiteral("Zephyr ") + sim::demoSmpConfig(0).name);
        auto bad = wait<QString>([&](auto cb) { m_client->osInfo(QStringLiteral("q"), cb); });
        QVERIFY(!bad);
        QCOMPARE(bad.error().code, Error::Code::Device);
        disconnectAll();

        auto legacy = fastConfig();
        legacy.legacyErrors = true;
        connectTo(legacy);
        auto none = wait<QString>([&](auto cb) { m_client->osInfo(QStringLiteral("n"), cb); });
        QVERIFY(!none);
        QVERIFY2(none.error().message.contains(u"not support"), qPrintable(none.error().message));
    }

    void settings_writeStagesUntilSave_resetDropsUnsaved()
    {
        connectTo(fastConfig(false));
        const QString key = QStringLiteral("app/server");
        VERIFY_OK(wait<void>([&](auto cb) { m_client->writeSetting(key, "mqtt.lab", cb); }));
        auto staged = wait<QByteArray>([&](auto cb) { m_client->readSetting(key, cb); });
        VERIFY_OK(staged);
        QCOMPARE(*staged, QByteArray("mqtt.lab")); // readback shows the staged value
        QVERIFY(!m_device->settings().saved().contains(key));
        VERIFY_OK(wait<void>([&](auto cb) { m_client->commitSettings(cb); }));
        QCOMPARE(m_device->settings().active().value(key), QByteArray("mqtt.lab"));
        QVERIFY(!m_device->settings().saved().contains(key));
        VERIFY_OK(wait<void>([&](auto cb) { m_client->reset(cb); }));
        QTest::qWait(250);
        auto gone = wait<QByteArray>([&](auto cb) { m_client->readSetting(key, cb); });
        QVERIFY(!gone);
        QVERIFY2(gone.error().message.contains(QStringLiteral("no such setting")),
            qPrintable(gone.error().message));
        VERIFY_OK(wait<void>([&](auto cb) { m_client->writeSetting(key, "mqtt.lab", cb); }));
        VERIFY_OK(wait<void>([&](auto cb) { m_client->saveSettings(cb); }));
        VERIFY_OK(wait<void>([&](auto cb) { m_client->reset(cb); }));
        QTest::qWait(250);
        auto kept = wait<QByteArray>([&](auto cb) { m_client->readSetting(key, cb); });
        VERIFY_OK(kept);
        QCOMPARE(*kept, QByteArray("mqtt.lab"));
        QCOMPARE(m_device->resetCount(), 2);
    }

    void settings_deleteAndLoad_followStagedRules()
    {
        connectTo(fastConfig(false));
        const QString key = QStringLiteral("app/name"); // saved in the demo config
        VERIFY_OK(wait<void>([&](auto cb) { m_client->deleteSetting(key, cb); }));
        QVERIFY(!wait<QByteArray>([&](auto cb) { m_client->readSetting(key, cb); }));
        VERIFY_OK(wait<void>([&](auto cb) { m_client->loadSettings(cb); }));
        auto back = wait<QByteArray>([&](auto cb) { m_client->readSetting(key, cb); });
        VERIFY_OK(back);
        QCOMPARE(*back, QByteArray("sensor"));
        auto missing
            = wait<void>([&](auto cb) { m_client->deleteSetting(QStringLiteral("no/such"), cb); });
        QVERIFY(!missing);
        QCOMPARE(missing.error().code, Error::Code::Device);
    }

    void legacyFirmware_errorsAsRc_stillExplained()
    {
        sim::SmpDeviceConfig c = fastConfig(false);
        c.legacyErrors = true;
        connectTo(c);
        auto r = wait<QByteArray>(
            [&](auto cb) { m_client->readSetting(QStringLiteral("no/such"), cb); });
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QStringLiteral("MGMT_ERR_ENOENT")),
            qPrintable(r.error().message));
        QVERIFY(r.error().message.contains(QStringLiteral("no such setting/file")));
    }

    void writeSettingVerified_secretKey_verifiedAndNeverTraced()
    {
        connectTo(fastConfig());
        const QByteArray psk = "sunflower-meadow-7-secret";
        const auto rep = waitReport([&](auto cb) {
            writeSettingVerified(
                m_client.get(), QStringLiteral("wifi/psk"), psk, Persist::Save, cb);
        });
        QCOMPARE(rep.outcome, ItemReport::Outcome::Verified);
        QCOMPARE(rep.state, ItemReport::DeviceState::New);
        QCOMPARE(m_device->settings().saved().value(QStringLiteral("wifi/psk")), psk);
        const QString all = traceText();
        QVERIFY(!all.contains(QString::fromLatin1(psk)));
        QVERIFY(!all.contains(QString::fromLatin1(psk.toHex(' '))));
        QVERIFY(!all.contains(QString::fromLatin1(psk.toHex(' ').mid(0, 20))));
        QVERIFY(all.contains(QStringLiteral("<redacted %1 bytes>").arg(psk.size())));
    }

    void upload10KiB_thenHashAndDownload_match()
    {
        connectTo(fastConfig());
        const QByteArray data = pseudoRandom(10 * 1024, 7);
        const auto rep = waitReport([&](auto cb) {
            uploadFileVerified(m_client.get(), QStringLiteral("/lfs/firmware.cfg"), data, cb);
        });
        QVERIFY2(rep.outcome == ItemReport::Outcome::Verified, qPrintable(rep.message));
        QCOMPARE(m_device->files().value(QStringLiteral("/lfs/firmware.cfg")), data);
        auto down = wait<QByteArray>(
            [&](auto cb) { m_client->downloadFile(QStringLiteral("/lfs/firmware.cfg"), cb); });
        VERIFY_OK(down);
        QCOMPARE(*down, data);
    }

    void upload_tooLarge_reportsOutOfMemory()
    {
        connectTo(fastConfig(false));
        auto r = upload(QStringLiteral("/lfs/big.bin"), QByteArray(70 * 1024, 'b'));
        QVERIFY(!r);
        QVERIFY2(r.error().message.contains(QStringLiteral("out of memory")),
            qPrintable(r.error().message));
        QVERIFY(!m_device->files().contains(QStringLiteral("/lfs/big.bin")));
    }

    void hash_missingFile_saysNoSuchFile()
    {
        connectTo(fastConfig(false));
        auto r = wait<QByteArray>(
            [&](auto cb) { m_client->hashFile(QStringLiteral("/lfs/none"), cb); });
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(QStringLiteral("FS_MGMT_ERR_FILE_NOT_FOUND")));
    }

    void faults_recoveredByRetry_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::newRow("bad checksum") << QStringLiteral("bad-checksum=2");
        QTest::newRow("dropped byte") << QStringLiteral("drop=2");
        QTest::newRow("garbage") << QStringLiteral("garbage=3");
        QTest::newRow("no answer") << QStringLiteral("no-answer=2");
    }
    void faults_recoveredByRetry()
    {
        QFETCH(QString, faults);
        sim::SmpDeviceConfig c = fastConfig();
        c.faults = *sim::parseFaults(faults);
        connectTo(c, 150);
        auto r = wait<QString>([&](auto cb) { m_client->echo(QStringLiteral("ping"), cb); });
        VERIFY_OK(r);
        QCOMPARE(*r, QStringLiteral("ping"));
        // An upload through the same faults resynchronises and completes.
        m_device->setFaults(*sim::parseFaults(faults));
        const QByteArray data = pseudoRandom(2000, 3);
        VERIFY_OK(upload(QStringLiteral("/lfs/a.bin"), data));
        QCOMPARE(m_device->files().value(QStringLiteral("/lfs/a.bin")), data);
    }

    void noAnswer_beyondRetries_timesOutWithAdvice()
    {
        sim::SmpDeviceConfig c = fastConfig(false);
        c.faults.noAnswer = 10;
        connectTo(c, 100);
        auto r = wait<QString>([&](auto cb) { m_client->echo(QStringLiteral("x"), cb); });
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::Timeout);
        QVERIFY(r.error().message.contains(QStringLiteral("3 attempts")));
        QVERIFY(r.error().message.contains(QStringLiteral("MCUMGR")));
    }

    void disconnectMidAnswer_failsWithLinkLost()
    {
        sim::SmpDeviceConfig c = fastConfig(false);
        c.faults.disconnectAtByte = 10;
        connectTo(c);
        auto r = wait<QString>([&](auto cb) { m_client->echo(QStringLiteral("x"), cb); });
        QVERIFY(!r);
        QVERIFY(r.error().code == Error::Code::Io || r.error().code == Error::Code::Timeout);
    }

    void disconnectAtEveryOffset_ofCredentialUpload_leavesOldOrNewNeverPartial()
    {
        const QString path = QStringLiteral("/lfs/client.key");
        const QByteArray oldKey = pseudoRandom(900, 1);
        const QByteArray newKey = pseudoRandom(1500, 2);
        sim::SmpDeviceConfig base = fastConfig(false);
        base.latencyMs = 0;
        base.files.insert(path, oldKey);

        // A clean run tells which bytes the device sends during the upload:
        // after the answer to the first hash, up to the answer to the last chunk.
        connectTo(base, 400);
        qint64 uploadFrom = -1, uploadTo = -1;
        connect(m_client.get(), &SmpClient::traced, this, [&](const TraceEntry &e) {
            if (e.direction != TraceEntry::Direction::Sent)
                return;
            if (uploadFrom < 0 && e.summary.startsWith(QStringLiteral("upload")))
                uploadFrom = m_bytesIn;
            if (uploadFrom >= 0 && e.summary.startsWith(QStringLiteral("sha256")))
                uploadTo = m_bytesIn;
        });
        auto clean
            = waitReport([&](auto cb) { uploadFileVerified(m_client.get(), path, newKey, cb); });
        QCOMPARE(clean.outcome, ItemReport::Outcome::Verified);
        const qint64 total = m_bytesIn;
        disconnectAll();
        QVERIFY(uploadFrom > 0 && uploadTo > uploadFrom + 100);

        QElapsedTimer clock;
        clock.start();
        int old = 0, fresh = 0;
        // Every second byte of the upload's answers (each answer is one frame
        // of about 30 bytes), plus cuts just before it and in the final hash.
        QList<qint64> cuts{0, uploadFrom - 2, uploadTo + 5, uploadTo + 40, total - 1};
        for (qint64 cut = uploadFrom; cut <= uploadTo; cut += 2)
            cuts.append(cut);
        for (const qint64 cut : std::as_const(cuts)) {
            sim::SmpDeviceConfig c = base;
            c.faults.disconnectAtByte = cut;
            connectTo(c, 400);
            const auto rep = waitReport(
                [&](auto cb) { uploadFileVerified(m_client.get(), path, newKey, cb); });
            const QByteArray now = m_device->files().value(path);
            QVERIFY2(rep.outcome != ItemReport::Outcome::Verified,
                qPrintable(QStringLiteral("cut at %1: reported verified").arg(cut)));
            QVERIFY2(now == oldKey || now == newKey,
                qPrintable(QStringLiteral("cut at %1: the device holds %2 bytes, neither old "
                                          "nor new")
                               .arg(cut)
                               .arg(now.size())));
            if (rep.state == ItemReport::DeviceState::Old)
                QVERIFY2(now == oldKey, qPrintable(QStringLiteral("cut at %1").arg(cut)));
            if (rep.state == ItemReport::DeviceState::New)
                QVERIFY2(now == newKey, qPrintable(QStringLiteral("cut at %1").arg(cut)));
            QVERIFY(!rep.message.isEmpty());
            (now == oldKey ? old : fresh)++;
            disconnectAll();
        }
        QVERIFY(old > 0);
        QVERIFY(fresh > 0);
        qInfo() << "swept bytes" << uploadFrom << "to" << uploadTo << "of" << total << ":" << old
                << "cuts left the old key," << fresh << "the new one, in" << clock.elapsed()
                << "ms";
    }
};

QTEST_GUILESS_MAIN(tst_SmpClient)
#include "tst_smpclient.moc"
