#include "app/storage/store/store.h"
#include "storetestbackend.h"

#include <QJsonDocument>
#include <QTest>

using namespace provbench;
using namespace provbench::store;
using Problem = AuditVerification::Problem;

class tst_AuditLog : public QObject
{
    Q_OBJECT

    StoreTestBackend m_backend;
    QString m_url;
    std::unique_ptr<Store> m_store;

    // Nine records: 1 checkin, 2 intent.write, 3 outcome.write(2), 4 token.issued,
    // 5 checkin, 6 intent.sign, 7 outcome.sign(6), 8 cert.issued, 9 checkin.
    bool fillNine()
    {
        AuditLog &log = m_store->audit();
        const QString dev = QStringLiteral("dev-1");
        bool ok = bool(log.append(QStringLiteral("checkin"), dev));
        auto write = log.appendIntent(
            QStringLiteral("write"), dev, {{QStringLiteral("profile"), QStringLiteral("office")}});
        ok = ok && write && log.appendOutcome(*write, true, QStringLiteral("written"));
        ok = ok
            && log.append(QStringLiteral("token.issued"), dev,
                {{QStringLiteral("tokenId"), QStringLiteral("t-1")}});
        ok = ok
            && log.append(QStringLiteral("checkin"), QStringLiteral("dev-2"),
                {{QStringLiteral("rssi"), -60}});
        auto sign = log.appendIntent(QStringLiteral("sign"), dev);
        ok = ok && sign && log.appendOutcome(*sign, false, QStringLiteral("CSR refused"));
        ok = ok && log.append(QStringLiteral("cert.issued"), dev);
        ok = ok && log.append(QStringLiteral("checkin"), dev);
        return ok;
    }

    // Runs `sql` on a separate connection with the append-only guards off.
    void tamper(const QString &sql, const QVariantList &binds = {})
    {
        auto db = Database::open(m_url, QString());
        QVERIFY(db);
        QVERIFY(StoreTestBackend::bypassGuards(**db));
        auto q = (*db)->exec(sql, binds);
        QVERIFY2(q, qPrintable(q ? QString() : q.error().message));
    }

    AuditRecord recordAt(qint64 seq)
    {
        AuditFilter f;
        f.afterSeq = seq - 1;
        f.limit = 1;
        return m_store->audit().records(f)->value(0);
    }

    AuditVerification verify(const std::optional<AuditAnchor> &external = {})
    {
        auto v = m_store->audit().verify(external);
        if (!v)
            qWarning("%s", qPrintable(v.error().message));
        return v ? *v : AuditVerification{};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = m_backend.setUp(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }

    void init()
    {
        m_url = m_backend.freshUrl();
        auto s = Store::open(m_url, QString(), QStringLiteral("alice@bench1"));
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        m_store = std::move(*s);
    }

    void cleanup() { m_store.reset(); }

    void emptyLog_verifies()
    {
        const auto v = verify();
        QVERIFY(v.ok());
        QCOMPARE(v.records, 0);
        QCOMPARE(v.headHash, kGenesisHash);
    }

    void appends_formAChainThatVerifies()
    {
        QVERIFY(fillNine());
        auto all = m_store->audit().records();
        QCOMPARE(all->size(), 9);
        QCOMPARE(all->at(0).prevHash, kGenesisHash);
        for (qsizetype i = 0; i < all->size(); ++i) {
            QCOMPARE(all->at(i).seq, i + 1);
            QCOMPARE(all->at(i).hash, recordHash(all->at(i)));
            QCOMPARE(all->at(i).actor, QStringLiteral("alice@bench1"));
            if (i)
                QCOMPARE(all->at(i).prevHash, all->at(i - 1).hash);
        }
        const auto v = verify();
        QVERIFY2(v.ok(), qPrintable(v.message));
        QCOMPARE(v.records, 9);
        QCOMPARE(v.headSeq, 9);
        QCOMPARE(v.headHash, all->last().hash);
        auto head = m_store->audit().head();
        QCOMPARE(head->seq, 9);
        QCOMPARE(head->hash, all->last().hash);
    }

    void outcome_answersItsIntent()
    {
        auto intent = m_store->audit().appendIntent(
            QStringLiteral("write"), QStringLiteral("dev-9"), {{QStringLiteral("items"), 3}});
        QVERIFY(intent);
        QCOMPARE(m_store->audit().openIntents()->size(), 1);
        auto outcome = m_store->audit().appendOutcome(
            *intent, false, QStringLiteral("device vanished"), {{QStringLiteral("written"), 1}});
        QVERIFY(outcome);
        QCOMPARE(outcome->kind, QStringLiteral("outcome.write"));
        QCOMPARE(outcome->deviceId, QStringLiteral("dev-9"));
        QCOMPARE(outcome->intentSeq, *intent);
        const QJsonObject d = outcome->detailsObject();
        QCOMPARE(d.value(QStringLiteral("ok")).toBool(true), false);
        QCOMPARE(d.value(QStringLiteral("message")).toString(), QStringLiteral("device vanished"));
        QCOMPARE(d.value(QStringLiteral("written")).toInt(), 1);
        QVERIFY(m_store->audit().openIntents()->isEmpty());

        auto twice = m_store->audit().appendOutcome(*intent, true, QStringLiteral("again"));
        QVERIFY(!twice);
        QVERIFY(twice.error().message.contains(u"already has its outcome"));
        auto plain = m_store->audit().append(QStringLiteral("checkin"), QStringLiteral("x"));
        auto notIntent = m_store->audit().appendOutcome(plain->seq, true, QString());
        QCOMPARE(notIntent.error().code, Error::Code::NotFound);
        QCOMPARE(m_store->audit().appendOutcome(99, true, QString()).error().code,
            Error::Code::NotFound);
        QVERIFY(verify().ok());
    }

    void kinds_areChecked_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("dotted") << QStringLiteral("cert.issued") << true;
        QTest::newRow("word") << QStringLiteral("checkin") << true;
        QTest::newRow("with dash") << QStringLiteral("enroll.re-request") << true;
        QTest::newRow("upper case") << QStringLiteral("Cert.issued") << false;
        QTest::newRow("empty part") << QStringLiteral("cert..issued") << false;
        QTest::newRow("space") << QStringLiteral("cert issued") << false;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("intent via append") << QStringLiteral("intent.write") << false;
        QTest::newRow("outcome via append") << QStringLiteral("outcome.write") << false;
    }

    void kinds_areChecked()
    {
        QFETCH(QString, kind);
        QFETCH(bool, accepted);
        QCOMPARE(bool(m_store->audit().append(kind, QStringLiteral("d"))), accepted);
    }

    void secretsInDetails_areRefused_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<bool>("accepted");
        QTest::newRow("password") << QByteArray(R"({"password":"x"})") << false;
        QTest::newRow("wifiPassword") << QByteArray(R"({"wifiPassword":"x"})") << false;
        QTest::newRow("nested private_key")
            << QByteArray(R"({"item":{"private_key":"-----BEGIN"}})") << false;
        QTest::newRow("psk in a list") << QByteArray(R"({"items":[{"PSK":"00"}]})") << false;
        QTest::newRow("enrollment-token") << QByteArray(R"({"enrollment-token":"t"})") << false;
        QTest::newRow("pin") << QByteArray(R"({"PIN":1234})") << false;
        QTest::newRow("client secret") << QByteArray(R"({"client_secret":"s"})") << false;
        QTest::newRow("tokenId is fine") << QByteArray(R"({"tokenId":"t-1"})") << true;
        QTest::newRow("fingerprint is fine") << QByteArray(R"({"pskFingerprint":"ab"})") << true;
        QTest::newRow("key type is fine") << QByteArray(R"({"keyType":"ec-p256"})") << true;
    }

    void secretsInDetails_areRefused()
    {
        QFETCH(QByteArray, json);
        QFETCH(bool, accepted);
        const QJsonObject details = QJsonDocument::fromJson(json).object();
        auto r
            = m_store->audit().append(QStringLiteral("cert.issued"), QStringLiteral("d"), details);
        QCOMPARE(bool(r), accepted);
        if (!accepted)
            QVERIFY(r.error().message.contains(u"names a secret"));
        auto i
            = m_store->audit().appendIntent(QStringLiteral("write"), QStringLiteral("d"), details);
        QCOMPARE(bool(i), accepted);
    }

    void hugeDetails_areRefused()
    {
        auto r = m_store->audit().append(QStringLiteral("checkin"), QStringLiteral("d"),
            {{QStringLiteral("blob"), QString(70000, u'x')}});
        QVERIFY(!r);
        QVERIFY(r.error().message.contains(u"at most"));
    }

    void filters()
    {
        QVERIFY(fillNine());
        AuditLog &log = m_store->audit();
        QCOMPARE(log.records([] {
                        AuditFilter o;
                        o.deviceId = QStringLiteral("dev-2");
                        return o;
                    }())
                     ->size(),
            1);
        QCOMPARE(log.records([] {
                        AuditFilter o;
                        o.kind = QStringLiteral("checkin");
                        return o;
                    }())
                     ->size(),
            3);
        auto intents = log.records([] {
            AuditFilter o;
            o.kind = QStringLiteral("intent.*");
            return o;
        }());
        QCOMPARE(intents->size(), 2);
        QCOMPARE(intents->at(1).seq, 6);
        QCOMPARE(log.records([] {
                        AuditFilter o;
                        o.kind = QStringLiteral("outcome.*");
                        o.limit = 1;
                        return o;
                    }())
                     ->at(0)
                     .seq,
            3);
        QCOMPARE(log.records([] {
                        AuditFilter o;
                        o.afterSeq = 7;
                        return o;
                    }())
                     ->size(),
            2);
        const QString t5 = recordAt(5).time;
        QVERIFY(log.records([] {
                       AuditFilter o;
                       o.from = QStringLiteral("2000");
                       return o;
                   }())
                    ->size()
            == 9);
        QVERIFY(log.records([] {
                       AuditFilter o;
                       o.until = QStringLiteral("2000");
                       return o;
                   }())
                    ->isEmpty());
        QVERIFY(log.records([&] {
                       AuditFilter o;
                       o.until = t5;
                       return o;
                   }())
                    ->size()
            <= 4);
        QVERIFY(log.records([&] {
                       AuditFilter o;
                       o.from = t5;
                       return o;
                   }())
                    ->size()
            >= 5);
    }

    // The database itself refuses changes, so tampering needs deliberate work.
    void guards_refuseChangesInTheDatabase()
    {
        QVERIFY(fillNine());
        Database &db = m_store->database();
        const QStringList refused = {
            QStringLiteral("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5"),
            QStringLiteral("DELETE FROM audit_events WHERE seq = 9"),
            QStringLiteral("UPDATE audit_anchor SET head_seq = 8"),
            QStringLiteral("DELETE FROM audit_anchor"),
            QStringLiteral("INSERT INTO audit_anchor (id, head_seq, head_hash) VALUES (2, 0, '')"),
            QStringLiteral("INSERT INTO audit_events (seq, event_time, actor, kind, device_id, "
                           "details, prev_hash, hash) VALUES (20, 't', 'a', 'k', '', '{}', 'x', "
                           "'y')"),
        };
        for (const QString &sql : refused) {
            auto q = db.exec(sql);
            QVERIFY2(!q, qPrintable(sql));
        }
        if (m_backend.isPostgres())
            QVERIFY(!db.exec(QStringLiteral("TRUNCATE audit_events CASCADE")));
        QVERIFY(verify().ok());
    }

    void tamperingWithAColumn_isFoundAtThatRecord_data()
    {
        QTest::addColumn<qint64>("seq");
        QTest::addColumn<QString>("assignment");
        QTest::addColumn<int>("problem");
        const int mismatch = int(Problem::HashMismatch);
        QTest::newRow("seq") << qint64(5) << QStringLiteral("seq = 1005") << int(Problem::Missing);
        QTest::newRow("time") << qint64(5)
                              << QStringLiteral("event_time = '2020-01-01T00:00:00.000Z'")
                              << mismatch;
        QTest::newRow("actor") << qint64(5) << QStringLiteral("actor = 'mallory'") << mismatch;
        QTest::newRow("kind") << qint64(5) << QStringLiteral("kind = 'cert.revoked'") << mismatch;
        QTest::newRow("device") << qint64(5) << QStringLiteral("device_id = 'dev-3'") << mismatch;
        QTest::newRow("intent") << qint64(5) << QStringLiteral("intent_seq = 4") << mismatch;
        QTest::newRow("intent of an outcome")
            << qint64(3) << QStringLiteral("intent_seq = NULL") << mismatch;
        QTest::newRow("details") << qint64(5) << QStringLiteral("details = '{\"rssi\":-61}'")
                                 << mismatch;
        QTest::newRow("details, white space only")
            << qint64(5) << QStringLiteral("details = '{\"rssi\": -60}'") << mismatch;
        QTest::newRow("outcome ok flipped")
            << qint64(7) << QStringLiteral("details = '{\"message\":\"CSR refused\",\"ok\":true}'")
            << mismatch;
        QTest::newRow("prev_hash") << qint64(5) << QStringLiteral("prev_hash = hash") << mismatch;
        QTest::newRow("hash") << qint64(5) << QStringLiteral("hash = prev_hash") << mismatch;
        QTest::newRow("first record actor")
            << qint64(1) << QStringLiteral("actor = 'mallory'") << mismatch;
        QTest::newRow("first record seq")
            << qint64(1) << QStringLiteral("seq = 100") << int(Problem::Missing);
        QTest::newRow("last record details")
            << qint64(9) << QStringLiteral("details = '{\"x\":1}'") << mismatch;
        QTest::newRow("last record hash")
            << qint64(9) << QStringLiteral("hash = '") + QString(64, u'f') + u'\'' << mismatch;
        QTest::newRow("last record seq")
            << qint64(9) << QStringLiteral("seq = 900") << int(Problem::Missing);
    }

    void tamperingWithAColumn_isFoundAtThatRecord()
    {
        QFETCH(qint64, seq);
        QFETCH(QString, assignment);
        QFETCH(int, problem);
        QVERIFY(fillNine());
        tamper(
            QStringLiteral("UPDATE audit_events SET %1 WHERE seq = %2").arg(assignment).arg(seq));
        const auto v = verify();
        QVERIFY(!v.ok());
        QCOMPARE(int(v.problem), problem);
        QCOMPARE(v.badSeq, seq);
        QVERIFY2(v.message.contains(QStringLiteral("Record %1 ").arg(seq)), qPrintable(v.message));
        QCOMPARE(v.records, seq - 1); // everything before it still verifies
    }

    // Someone who recomputes the hash of the changed record is still caught
    // there: the next record refers to the original hash.
    void rewriteWithRecomputedHash_isFoundAtThatRecord_data()
    {
        QTest::addColumn<qint64>("seq");
        QTest::addColumn<int>("problem");
        QTest::newRow("first") << qint64(1) << int(Problem::BrokenLink);
        QTest::newRow("middle") << qint64(5) << int(Problem::BrokenLink);
        QTest::newRow("before last") << qint64(8) << int(Problem::BrokenLink);
        QTest::newRow("last (the anchor keeps the original)")
            << qint64(9) << int(Problem::AnchorMismatch);
    }

    void rewriteWithRecomputedHash_isFoundAtThatRecord()
    {
        QFETCH(qint64, seq);
        QFETCH(int, problem);
        QVERIFY(fillNine());
        AuditRecord r = recordAt(seq);
        r.actor = QStringLiteral("mallory");
        const QString newHash = recordHash(r);
        tamper(QStringLiteral("UPDATE audit_events SET actor = ?, hash = ? WHERE seq = ?"),
            {r.actor, newHash, seq});
        const auto v = verify();
        QCOMPARE(int(v.problem), problem);
        QCOMPARE(v.badSeq, seq);
    }

    void changedPrevHashWithRecomputedHash_isFoundAtThatRecord()
    {
        QVERIFY(fillNine());
        AuditRecord r = recordAt(5);
        r.prevHash = QString(64, u'a');
        tamper(QStringLiteral("UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = 5"),
            {r.prevHash, recordHash(r)});
        const auto v = verify();
        QCOMPARE(v.problem, Problem::BrokenLink);
        QCOMPARE(v.badSeq, 5);
    }

    void deletedRecords_areFound_data()
    {
        QTest::addColumn<QString>("where");
        QTest::addColumn<int>("problem");
        QTest::addColumn<qint64>("badSeq");
        QTest::newRow("first") << QStringLiteral("seq = 1") << int(Problem::Missing) << qint64(1);
        QTest::newRow("middle") << QStringLiteral("seq = 5") << int(Problem::Missing) << qint64(5);
        QTest::newRow("a run") << QStringLiteral("seq BETWEEN 4 AND 6") << int(Problem::Missing)
                               << qint64(4);
        QTest::newRow("tail of one")
            << QStringLiteral("seq = 9") << int(Problem::TailDeleted) << qint64(9);
        QTest::newRow("tail of three")
            << QStringLiteral("seq >= 7") << int(Problem::TailDeleted) << qint64(7);
        QTest::newRow("everything")
            << QStringLiteral("seq > 0") << int(Problem::TailDeleted) << qint64(1);
    }

    void deletedRecords_areFound()
    {
        QFETCH(QString, where);
        QFETCH(int, problem);
        QFETCH(qint64, badSeq);
        QVERIFY(fillNine());
        tamper(QStringLiteral("DELETE FROM audit_events WHERE ") + where);
        const auto v = verify();
        QCOMPARE(int(v.problem), problem);
        QCOMPARE(v.badSeq, badSeq);
    }

    void deletedTailWithAnchorSetBack_needsAnExternalAnchor()
    {
        QVERIFY(fillNine());
        auto noted = m_store->audit().head(); // what `audit verify` prints
        QVERIFY(noted);
        const AuditRecord seven = recordAt(7);
        tamper(QStringLiteral("DELETE FROM audit_events WHERE seq > 7"));
        tamper(QStringLiteral("UPDATE audit_anchor SET head_seq = 7, head_hash = ?"), {seven.hash});
        QVERIFY(verify().ok());        // consistent by itself...
        const auto v = verify(*noted); // ...but not with what was noted down
        QCOMPARE(v.problem, Problem::ExternalAnchor);
        QCOMPARE(v.badSeq, 8);
    }

    void fullRewriteFromARecord_isFoundOnlyByAnExternalAnchor()
    {
        QVERIFY(fillNine());
        const AuditAnchor noted{7, recordAt(7).hash};
        // Rewrite 5..9 consistently, anchor included.
        QString prev = recordAt(4).hash;
        for (qint64 seq = 5; seq <= 9; ++seq) {
            AuditRecord r = recordAt(seq);
            if (seq == 5)
                r.actor = QStringLiteral("mallory");
            r.prevHash = prev;
            r.hash = recordHash(r);
            tamper(QStringLiteral("UPDATE audit_events SET actor = ?, prev_hash = ?, hash = ? "
                                  "WHERE seq = ?"),
                {r.actor, r.prevHash, r.hash, seq});
            prev = r.hash;
        }
        tamper(QStringLiteral("UPDATE audit_anchor SET head_hash = ?"), {prev});
        QVERIFY(verify().ok());
        const auto v = verify(noted);
        QCOMPARE(v.problem, Problem::ExternalAnchor);
        QCOMPARE(v.badSeq, 7);
        QVERIFY(verify(AuditAnchor{4, recordAt(4).hash}).ok());
    }

    void anchorProblems_areFound()
    {
        QVERIFY(fillNine());
        tamper(QStringLiteral("DELETE FROM audit_anchor"));
        auto v = verify();
        QCOMPARE(v.problem, Problem::AnchorMissing);
        QCOMPARE(v.badSeq, 10);
        QVERIFY(!m_store->audit().append(QStringLiteral("checkin"), QStringLiteral("d")));
    }

    void recordAddedWithoutMovingTheAnchor_isFound()
    {
        QVERIFY(fillNine());
        AuditRecord forged = recordAt(9);
        forged.seq = 10;
        forged.prevHash = forged.hash;
        forged.hash = recordHash(forged);
        tamper(QStringLiteral("INSERT INTO audit_events (seq, event_time, actor, kind, device_id, "
                              "details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
            {forged.seq, forged.time, forged.actor, forged.kind, forged.deviceId,
                QString::fromUtf8(forged.details), forged.prevHash, forged.hash});
        const auto v = verify();
        QCOMPARE(v.problem, Problem::AnchorMismatch);
        QCOMPARE(v.badSeq, 10);
    }

    void forgedOutcome_isABadReference()
    {
        QVERIFY(fillNine());
        AuditRecord forged;
        forged.seq = 10;
        forged.time = recordAt(9).time;
        forged.actor = QStringLiteral("mallory");
        forged.kind = QStringLiteral("outcome.write");
        forged.intentSeq = 4; // token.issued, not an intent (6 is answered: UNIQUE refuses)
        forged.details = "{}";
        forged.prevHash = recordAt(9).hash;
        forged.hash = recordHash(forged);
        tamper(QStringLiteral("INSERT INTO audit_events (seq, event_time, actor, kind, device_id, "
                              "intent_seq, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, "
                              "?, ?)"),
            {forged.seq, forged.time, forged.actor, forged.kind, forged.deviceId, forged.intentSeq,
                QString::fromUtf8(forged.details), forged.prevHash, forged.hash});
        const auto v = verify();
        QCOMPARE(v.problem, Problem::BadReference);
        QCOMPARE(v.badSeq, 10);
    }

    void twoConnectionsAppending_keepOneChain()
    {
        auto other = Store::open(m_url, QString(), QStringLiteral("bob@bench2"));
        QVERIFY(other);
        for (int i = 0; i < 30; ++i) {
            Store &s = i % 2 ? *m_store : **other;
            QVERIFY(s.audit().append(QStringLiteral("checkin"), QStringLiteral("d%1").arg(i)));
        }
        const auto v = verify();
        QVERIFY2(v.ok(), qPrintable(v.message));
        QCOMPARE(v.records, 30);
        QCOMPARE(recordAt(2).actor, QStringLiteral("alice@bench1"));
        QCOMPARE(recordAt(1).actor, QStringLiteral("bob@bench2"));
    }

    void externalAnchorText()
    {
        auto a = AuditAnchor::parse(QStringLiteral("12:") + QString(64, u'A'));
        QVERIFY(a);
        QCOMPARE(a->seq, 12);
        QCOMPARE(a->hash, QString(64, u'a'));
        QVERIFY(!AuditAnchor::parse(QStringLiteral("12:abc")));
        QVERIFY(!AuditAnchor::parse(QStringLiteral("x:") + QString(64, u'a')));
    }
};

QTEST_GUILESS_MAIN(tst_AuditLog)
#include "tst_auditlog.moc"
