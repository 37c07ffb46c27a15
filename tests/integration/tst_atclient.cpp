#include "app/protocol/atcmd/atclient.h"
#include "app/protocol/atcmd/credentialwriter.h"
#include "app/simulator/simulatedmodem.h"
#include "app/transport/seriallink.h"

#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::at;
using Outcome = ItemReport::Outcome;
using Holds = ItemReport::Holds;

namespace {

const QByteArray kOldPsk = "aabbccdd";
const QByteArray kNewPsk = "000102030405060708090a0b0c0d0e0f";
const QByteArray kPassphrase = "hunter2-passphrase";

QByteArray pem(const QByteArray &label, char fill, int lines)
{
    QByteArray p = "-----BEGIN " + label + "-----\n";
    for (int i = 0; i < lines; ++i)
        p += QByteArray(64, fill) + '\n';
    return p + "-----END " + label + "-----\n";
}

// A modem tuned for tests: quick answers, no noise unless a test wants it.
sim::ModemConfig quickModem()
{
    sim::ModemConfig c;
    c.latencyMs = 2;
    c.logNoise = false;
    c.initialMode = 1;
    c.credentials = {{77, 3, kOldPsk, false}};
    return c;
}

AtClient::Options quickOptions()
{
    AtClient::Options o;
    o.timeout = std::chrono::milliseconds(250);
    o.writeTimeout = std::chrono::milliseconds(500);
    o.retries = 2;
    return o;
}

template<typename T> Result<T> wait(const std::function<void(AtClient::Callback<T>)> &start)
{
    std::optional<Result<T>> result;
    start([&](Result<T> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&] { return result.has_value(); }, 15000))
        return fail(Error::Code::Timeout, QStringLiteral("test: no callback"));
    return std::move(*result);
}

CredentialItem item(qint64 tag, CredentialType type, const QByteArray &raw, QByteArray pass = {})
{
    return CredentialItem{tag, type, *prepareContent(type, raw), std::move(pass)};
}

} // namespace

class tst_AtClient : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<sim::SimulatedModem> m_modem;
    std::unique_ptr<SerialLink> m_link;
    std::unique_ptr<AtClient> m_client;
    QList<TraceEntry> m_trace;

    QString path() const { return m_dir.filePath(QStringLiteral("ttyMODEM0")); }

    void startModem(const sim::ModemConfig &config)
    {
        m_modem = std::make_unique<sim::SimulatedModem>(config);
        auto ok = m_modem->start(path());
        QVERIFY2(ok, qPrintable(ok ? QString() : ok.error().message));
        connectClient();
    }
    void connectClient(AtClient::Options options = quickOptions())
    {
        m_client.reset();
        m_link.reset(); // one QSerialPort per pty at a time
        m_link = std::make_unique<SerialLink>(path());
        // Right after a simulated unplug the kernel may still be releasing
        // the previous pty (a loaded machine makes this visible): retry briefly.
        auto opened = m_link->open();
        for (int attempt = 0; !opened && attempt < 40; ++attempt) {
            QTest::qWait(25);
            opened = m_link->open();
        }
        QVERIFY2(opened, qPrintable(opened ? QString() : opened.error().message));
        m_client = std::make_unique<AtClient>(m_link.get(), options);
        connect(m_client.get(), &AtClient::traced, this,
            [this](const TraceEntry &e) { m_trace.append(e); });
    }
    WriteReport runWrite(const QList<CredentialItem> &items)
    {
        if (!m_client)
            return {}; // connectClient() already failed the test
        CredentialWriter writer(m_client.get());
        std::optional<WriteReport> report;
        writer.run(items, [&](WriteReport r) { report = std::move(r); });
        if (!QTest::qWaitFor([&] { return report.has_value(); }, 30000))
            qFatal("credential write never completed");
        return *report;
    }
    QByteArray listedHash(qint64 tag, CredentialType type)
    {
        if (!m_client)
            return "error: not connected"; // connectClient() already failed the test
        auto l = wait<QList<CmngEntry>>([&](auto cb) { m_client->listCredentials(tag, type, cb); });
        if (!l)
            return "error: " + l.error().message.toUtf8();
        return l->isEmpty() ? QByteArray() : l->first().hash;
    }

private Q_SLOTS:
    void cleanup()
    {
        m_client.reset();
        m_link.reset();
        m_modem.reset();
        m_trace.clear();
    }

    void modemInfo_readsModelRevisionAndImei_cmeeSentOnce()
    {
        startModem(sim::demoModemConfig(0));
        auto info = wait<ModemInfo>([&](auto cb) { m_client->modemInfo(cb); });
        QVERIFY2(info, qPrintable(info ? QString() : info.error().message));
        QCOMPARE(info->model, QStringLiteral("nRF9160-SICA"));
        QCOMPARE(info->revision, QStringLiteral("mfw_nrf9160_1.3.6"));
        QCOMPARE(info->imei.size(), 15);
        QVERIFY(m_modem->cmeeEnabled());
        auto mode = wait<int>([&](auto cb) { m_client->functionalMode(cb); });
        QCOMPARE(*mode, 1);
        const auto cmee = std::count_if(m_trace.begin(), m_trace.end(), [](const TraceEntry &e) {
            return e.direction == TraceEntry::Direction::Sent && e.summary == u"AT+CMEE=1";
        });
        QCOMPARE(cmee, 1);
    }

    void list_demoModem_showsEveryItemWithTheHashOfItsContent()
    {
        startModem(sim::demoModemConfig(0));
        auto l = wait<QList<CmngEntry>>(
            [&](auto cb) { m_client->listCredentials(std::nullopt, std::nullopt, cb); });
        QVERIFY(l);
        QCOMPARE(l->size(), m_modem->credentials().size());
        for (const CmngEntry &e : *l)
            QCOMPARE(e.hash, m_modem->credential(e.tag, e.type)->hash);
        auto one = wait<QList<CmngEntry>>(
            [&](auto cb) { m_client->listCredentials(16842753, CredentialType::ClientCert, cb); });
        QCOMPARE(one->size(), 1);
    }

    void writeTransaction_eachType_verifiesAndRestoresOnlineMode_data()
    {
        QTest::addColumn<int>("type");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::newRow("root CA") << 0
                                 << QByteArray(
                                        pem("CERTIFICATE", 'A', 3) + pem("CERTIFICATE", 'B', 2))
                                 << QByteArray();
        QTest::newRow("client cert") << 1 << pem("CERTIFICATE", 'C', 4) << QByteArray();
        QTest::newRow("private key") << 2 << pem("EC PRIVATE KEY", 'K', 3) << QByteArray();
        QTest::newRow("encrypted key") << 2 << pem("ENCRYPTED PRIVATE KEY", 'E', 4) << kPassphrase;
        QTest::newRow("psk") << 3 << kNewPsk << QByteArray();
        QTest::newRow("identity") << 4 << QByteArray("device-0042") << QByteArray();
        QTest::newRow("public key") << 5 << pem("PUBLIC KEY", 'P', 2) << QByteArray();
    }
    void writeTransaction_eachType_verifiesAndRestoresOnlineMode()
    {
        QFETCH(int, type);
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, passphrase);
        startModem(quickModem());
        QList<int> modes;
        connect(m_modem.get(), &sim::SimulatedModem::functionalModeChanged, this,
            [&](int m) { modes.append(m); });
        const CredentialItem it = item(77, CredentialType(type), content, passphrase);
        const WriteReport report = runWrite({it});
        QCOMPARE(report.items.size(), 1);
        QVERIFY2(report.allVerified(), qPrintable(report.items[0].message + report.restoreError));
        QCOMPARE(report.items[0].holds, Holds::New);
        QCOMPARE(report.previousMode, 1);
        QVERIFY(report.modeChanged && report.restored);
        QCOMPARE(modes, (QList<int>{4, 1}));
        QCOMPARE(m_modem->functionalMode(), 1);
        QCOMPARE(m_modem->credential(77, type)->content, it.content);
        QCOMPARE(report.items[0].localHash, contentHash(it.content));
    }

    void writeTransaction_offlineModem_leavesTheModeAlone()
    {
        sim::ModemConfig c = quickModem();
        c.initialMode = 4;
        startModem(c);
        const WriteReport report = runWrite({item(77, CredentialType::Psk, kNewPsk)});
        QVERIFY(report.allVerified());
        QVERIFY(!report.modeChanged);
        QCOMPARE(m_modem->functionalMode(), 4);
    }

    void writeTransaction_anotherProgramGoesOnline_reports518AndOldItem()
    {
        sim::ModemConfig c = quickModem();
        c.onlineAfterCommands = 4; // CMEE, CFUN?, CFUN=4, list; then the write meets CFUN=1
        startModem(c);
        const WriteReport report = runWrite({item(77, CredentialType::Psk, kNewPsk)});
        const ItemReport &r = report.items[0];
        QCOMPARE(r.outcome, Outcome::Failed);
        QCOMPARE(r.holds, Holds::Old);
        QVERIFY2(r.message.contains(u"another program may have switched it back"),
            qPrintable(r.message));
        QVERIFY(report.restored);
        QCOMPARE(m_modem->credential(77, 3)->content, kOldPsk);
    }

    void deviceErrors_eachCmeCodeReachesTheCaller()
    {
        sim::ModemConfig c = quickModem();
        c.initialMode = 4;
        c.maxItems = 2;
        c.credentials.append({9, 0, pem("CERTIFICATE", 'L', 1), true});
        startModem(c);
        auto missing = wait<void>(
            [&](auto cb) { m_client->deleteCredential(5, CredentialType::RootCa, cb); });
        QCOMPARE(missing.error().deviceCode, 513);
        QVERIFY(missing.error().message.contains(u"no root CA certificate under sec_tag 5"));
        auto locked = wait<void>(
            [&](auto cb) { m_client->deleteCredential(9, CredentialType::RootCa, cb); });
        QCOMPARE(locked.error().deviceCode, 514);
        auto exists = wait<void>([&](auto cb) {
            m_client->writeCredential(
                9, CredentialType::RootCa, pem("CERTIFICATE", 'M', 1), {}, cb);
        });
        QCOMPARE(exists.error().deviceCode, 519);
        auto full = wait<void>(
            [&](auto cb) { m_client->writeCredential(10, CredentialType::Psk, "0011", {}, cb); });
        QCOMPARE(full.error().deviceCode, 515);
        auto invalid = wait<QList<QByteArray>>(
            [&](auto cb) { m_client->raw("AT%CMNG=0,77,0,\"not pem\"", cb); });
        QCOMPARE(invalid.error().deviceCode, 527);
        QVERIFY(invalid.error().message.contains(u"check the file"));
        // Overwriting an unlocked item is allowed, as on real modems.
        auto over = wait<void>(
            [&](auto cb) { m_client->writeCredential(77, CredentialType::Psk, "0a0b", {}, cb); });
        QVERIFY(over);
        QCOMPARE(m_modem->credential(77, 3)->content, QByteArray("0a0b"));
        auto del
            = wait<void>([&](auto cb) { m_client->deleteCredential(77, CredentialType::Psk, cb); });
        QVERIFY(del);
        QVERIFY(!m_modem->credential(77, 3));
    }

    void writeWhileOnline_without_transaction_fails518()
    {
        startModem(quickModem());
        auto r = wait<void>(
            [&](auto cb) { m_client->writeCredential(77, CredentialType::Psk, kNewPsk, {}, cb); });
        QCOMPARE(r.error().deviceCode, 518);
    }

    void cmeeOff_errorsArePlainAndStillExplained()
    {
        sim::ModemConfig c = quickModem();
        c.initialMode = 4;
        startModem(c);
        AtClient::Options o = quickOptions();
        o.enableCmee = false;
        connectClient(o);
        auto r = wait<void>(
            [&](auto cb) { m_client->deleteCredential(5, CredentialType::RootCa, cb); });
        QCOMPARE(r.error().code, Error::Code::Device);
        QCOMPARE(r.error().deviceCode, -1);
        QVERIFY(r.error().message.contains(u"AT+CMEE=1"));
    }

    void faults_transactionStillEndsVerifiedOrSaysWhy_data()
    {
        QTest::addColumn<QString>("faults");
        QTest::addColumn<bool>("onWrite"); // armed when the write command arrives
        QTest::addColumn<int>("outcome");
        QTest::addColumn<int>("holds");
        const int v = int(Outcome::Verified), f = int(Outcome::Failed);
        QTest::newRow("bad-checksum, reads") << "bad-checksum=3" << false << v << int(Holds::New);
        QTest::newRow("drop, reads") << "drop=4" << false << v << int(Holds::New);
        QTest::newRow("garbage, reads") << "garbage=4" << false << v << int(Holds::New);
        QTest::newRow("no-answer, reads") << "no-answer=2" << false << v << int(Holds::New);
        QTest::newRow("bad-checksum on write") << "bad-checksum=1" << true << v << int(Holds::New);
        QTest::newRow("drop on write") << "drop=1" << true << v << int(Holds::New);
        QTest::newRow("garbage on write") << "garbage=1" << true << v << int(Holds::New);
        QTest::newRow("no-answer on write") << "no-answer=1" << true << f << int(Holds::Old);
    }
    void faults_transactionStillEndsVerifiedOrSaysWhy()
    {
        QFETCH(QString, faults);
        QFETCH(bool, onWrite);
        const sim::SimFaults parsed = *sim::parseFaults(faults);
        sim::ModemConfig c = quickModem();
        c.logNoise = true; // URCs in between, too
        if (!onWrite)
            c.faults = parsed;
        startModem(c);
        if (onWrite)
            connect(m_modem.get(), &sim::SimulatedModem::commandArrived, this,
                [&](const QByteArray &name) {
                    if (name == "AT%CMNG=0")
                        m_modem->setFaults(parsed);
                });
        const WriteReport report = runWrite({item(77, CredentialType::Psk, kNewPsk)});
        const ItemReport &r = report.items[0];
        QFETCH(int, outcome);
        QFETCH(int, holds);
        QVERIFY2(int(r.outcome) == outcome, qPrintable(outcomeName(r.outcome) + u": " + r.message));
        QCOMPARE(int(r.holds), holds);
        QVERIFY(!r.message.isEmpty());
        QVERIFY(report.restored);
        QCOMPARE(m_modem->functionalMode(), 1);
        QCOMPARE(m_modem->credential(77, 3)->content, holds == int(Holds::New) ? kNewPsk : kOldPsk);
    }

    // A cable pulled after every Nth byte the modem sends, or after every Nth
    // byte it receives, during a whole write transaction: the report always
    // says what happened, and the modem holds the old or the new PSK, never a
    // mix; when the report names which, it is right.
    void disconnect_atEveryOffset_endsInAReportedState_data()
    {
        QTest::addColumn<bool>("input");
        QTest::addColumn<int>("offset");
        for (int n = 0; n <= 150; n += 3)
            QTest::addRow("output %d", n) << false << n;
        for (int n = 0; n <= 150; n += 4)
            QTest::addRow("input %d", n) << true << n;
    }
    void disconnect_atEveryOffset_endsInAReportedState()
    {
        QFETCH(bool, input);
        QFETCH(int, offset);
        sim::ModemConfig c = quickModem();
        if (input)
            c.disconnectAtInputByte = offset;
        else
            c.faults.disconnectAtByte = offset;
        startModem(c);
        const WriteReport report = runWrite({item(77, CredentialType::Psk, kNewPsk)});
        const ItemReport &r = report.items[0];
        QVERIFY(!r.message.isEmpty());
        if (r.outcome != Outcome::Verified)
            QVERIFY2(
                r.holds != Holds::New || r.outcome == Outcome::HashMismatch, qPrintable(r.message));

        const QByteArray stored = m_modem->credential(77, 3)->content;
        QVERIFY2(stored == kOldPsk || stored == kNewPsk, stored.constData());
        if (r.holds == Holds::New)
            QCOMPARE(stored, kNewPsk);
        if (r.holds == Holds::Old)
            QCOMPARE(stored, kOldPsk);
        if (r.outcome == Outcome::Verified)
            QCOMPARE(stored, kNewPsk);
        if (report.modeChanged && !report.restored)
            QVERIFY(!report.restoreError.isEmpty());

        // Reconnecting and listing says which one the modem holds.
        m_modem->setDisconnectAtInputByte(-1); // a fault not yet fired must not hit the check
        m_modem->setFaults({});
        if (!m_modem->isRunning()) {
            QVERIFY(m_modem->start(path()));
        }
        connectClient();
        QCOMPARE(listedHash(77, CredentialType::Psk), contentHash(stored));
    }

    void trace_neverContainsKeyPskOrPassphrase()
    {
        sim::ModemConfig c = quickModem();
        c.echo = true; // the modem sends every command back, secrets included
        c.logNoise = true;
        startModem(c);
        const QByteArray key = pem("ENCRYPTED PRIVATE KEY", 'Z', 3);
        const CredentialItem keyItem = item(16842753, CredentialType::PrivateKey, key, kPassphrase);
        const WriteReport report = runWrite({keyItem, item(77, CredentialType::Psk, kNewPsk)});
        QVERIFY2(report.allVerified(), qPrintable(report.items[0].message));
        bool summarised = false;
        for (const TraceEntry &e : std::as_const(m_trace)) {
            const QString all = e.summary + e.hex;
            QVERIFY2(!all.contains(QString::fromLatin1(QByteArray(64, 'Z'))), qPrintable(all));
            QVERIFY2(!all.contains(QString::fromLatin1(kNewPsk)), qPrintable(all));
            QVERIFY2(!all.contains(QString::fromLatin1(kPassphrase)), qPrintable(all));
            if (e.summary
                == QStringLiteral("AT%CMNG=0,16842753,2,<redacted %1 bytes>,<redacted %2 bytes>")
                       .arg(keyItem.content.size())
                       .arg(kPassphrase.size()))
                summarised = true;
        }
        QVERIFY(summarised);
    }
};

QTEST_GUILESS_MAIN(tst_AtClient)
#include "tst_atclient.moc"
