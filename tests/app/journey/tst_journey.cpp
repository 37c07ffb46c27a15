#include "app/onboarding/journey/journey.h"
#include "app/storage/store/auditrecord.h"

#include <QJsonDocument>
#include <QTest>

using namespace provbench;
using namespace provbench::journey;

namespace {

// One letter per stage, in enum order.
constexpr char kStageLetters[] = "DIWVECOF";

Stage stageOf(char letter)
{
    return Stage(int(std::strchr(kStageLetters, letter) - kStageLetters));
}

store::AuditRecord record(qint64 seq, const QString &kind, const QJsonObject &details = {},
    const QString &device = QStringLiteral("dev-1"))
{
    store::AuditRecord r;
    r.seq = seq;
    r.kind = kind;
    r.deviceId = device;
    r.time = formatAuditTime(1'700'000'000'000 + seq * 1000);
    r.details = store::canonicalJson(details);
    return r;
}

QJsonObject ok(bool value, const QString &message = {})
{
    return QJsonObject{{QStringLiteral("ok"), value}, {QStringLiteral("message"), message}};
}

} // namespace

class TestJourney : public QObject
{
    Q_OBJECT
private slots:
    void nextStage_followsTheTable_data();
    void nextStage_followsTheTable();
    void classify_mapsRecordKinds_data();
    void classify_mapsRecordKinds();
    void apply_sequences_data();
    void apply_sequences();
    void apply_keepsATimelineOfTheMoves();
    void stuck_afterTheStageTimeoutOnly();
    void auditTime_parsesTheStoreFormat_data();
    void auditTime_parsesTheStoreFormat();
};

// Every stage x every event kind, for each profile kind. Rows: from-stage
// (D I W V E C O F = Discovered, Identified, CredentialsWritten, Verified,
// Enrolled, CheckedIn, Onboarded, Failed); columns: the event kinds in enum
// order (Ignored, Discovered, Identified, Activity, TokenIssued,
// EnrollRequest, WriteOk, VerifyOk, CertIssued, CheckIn, Failure).
void TestJourney::nextStage_followsTheTable_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<int>("from");
    QTest::addColumn<int>("event");
    QTest::addColumn<int>("expected");

    const char *staticTable[kStageCount] = {
        "DDIDDDWOEOF", // Discovered
        "IIIIIIWOEOF", // Identified
        "WWWWWWWOEOF", // CredentialsWritten
        "VVVVVVVOEOF", // Verified
        "EEEEEEEOEOF", // Enrolled
        "CCCCCCCOCOF", // CheckedIn
        "OOOOOOOOOOO", // Onboarded: a later failure does not undo it
        "FDIFFFWOEOF", // Failed: progress is a retry
    };
    const char *dynamicTable[kStageCount] = {
        "DDIDDDWVEOF",
        "IIIIIIWVEOF",
        "WWWWWWWVEOF",
        "VVVVVVVVEOF",
        "EEEEEEEEEOF",
        "CCCCCCCCCOF",
        "OOOOOOOOOOO",
        "FDIFFFWVEOF",
    };
    for (ProfileKind kind : {ProfileKind::Unknown, ProfileKind::Static, ProfileKind::Dynamic}) {
        const char **table = kind == ProfileKind::Dynamic ? dynamicTable : staticTable;
        for (int from = 0; from < kStageCount; ++from) {
            QCOMPARE(int(std::strlen(table[from])), kEventKindCount);
            for (int event = 0; event < kEventKindCount; ++event) {
                const QString name = QStringLiteral("%1: %2 + %3")
                                         .arg(profileKindName(kind), stageName(Stage(from)),
                                             eventKindName(EventKind(event)));
                QTest::newRow(qPrintable(name))
                    << int(kind) << from << event << int(stageOf(table[from][event]));
            }
        }
    }
}

void TestJourney::nextStage_followsTheTable()
{
    QFETCH(int, kind);
    QFETCH(int, from);
    QFETCH(int, event);
    QFETCH(int, expected);
    QCOMPARE(stageName(nextStage(Stage(from), EventKind(event), ProfileKind(kind))),
        stageName(Stage(expected)));
}

void TestJourney::classify_mapsRecordKinds_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("details");
    QTest::addColumn<int>("expected");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("step");
    QTest::addColumn<int>("profileKind");

    const int U = int(ProfileKind::Unknown), Dy = int(ProfileKind::Dynamic);
    auto row = [](const char *name, const char *kind, const char *details, EventKind e,
                   const char *reason = "", const char *step = "", int pk = 0) {
        QTest::newRow(name) << QString::fromLatin1(kind) << QByteArray(details) << int(e)
                            << QString::fromLatin1(reason) << QString::fromLatin1(step) << pk;
    };
    row("discovered", "device.discovered", R"({"transport":"ble"})", EventKind::Discovered);
    row("identified", "device.identified", "{}", EventKind::Identified);
    row("intent", "intent.write", "{}", EventKind::Activity);
    row("write ok", "outcome.write", R"({"ok":true})", EventKind::WriteOk);
    row("write ok, verified", "outcome.write", R"({"ok":true,"verified":true})",
        EventKind::VerifyOk);
    row("verify ok", "outcome.verify", R"({"ok":true})", EventKind::VerifyOk);
    row("sign ok", "outcome.sign", R"({"ok":true})", EventKind::Activity);
    row("write failed", "outcome.write", R"({"ok":false,"message":"device refused"})",
        EventKind::Failure, "device refused", "write", U);
    row("outcome failed, reason wins", "outcome.sign",
        R"({"ok":false,"message":"m","reason":"ca locked","step":"issue"})", EventKind::Failure,
        "ca locked", "issue", U);
    row("outcome without ok", "outcome.verify", "{}", EventKind::Failure,
        "unknown (the record names no reason)", "verify", U);
    row("token", "token.issued", "{}", EventKind::TokenIssued, "", "", Dy);
    row("enroll pending", "enroll.pending", "{}", EventKind::EnrollRequest, "", "", Dy);
    row("enroll approved", "enroll.approved", "{}", EventKind::EnrollRequest, "", "", Dy);
    row("enroll denied", "enroll.denied", R"({"decided_by":"bob"})", EventKind::Failure,
        "enrollment denied by bob", "enroll", Dy);
    row("enroll", "enroll.request", "{}", EventKind::EnrollRequest, "", "", Dy);
    row("cert", "cert.issued", "{}", EventKind::CertIssued, "", "", Dy);
    row("checkin", "checkin", "{}", EventKind::CheckIn, "", "", Dy);
    row("failure", "failure", R"({"reason":"timeout","step":"enroll"})", EventKind::Failure,
        "timeout", "enroll", U);
    row("stated profile kind", "device.identified", R"({"profileKind":"dynamic"})",
        EventKind::Identified, "", "", Dy);
    row("unknown kind", "firmware.updated", R"({"ok":false})", EventKind::Ignored);
    row("kind that looks close", "outcome", "{}", EventKind::Ignored);
    row("details not JSON", "failure", "not json", EventKind::Failure,
        "unknown (the record names no reason)", "", U);
    row("details an array", "outcome.write", "[1,2]", EventKind::Failure,
        "unknown (the record names no reason)", "write", U);
}

void TestJourney::classify_mapsRecordKinds()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, details);
    QFETCH(int, expected);
    QFETCH(QString, reason);
    QFETCH(QString, step);
    QFETCH(int, profileKind);
    store::AuditRecord r = record(7, kind);
    r.details = details;
    const JourneyEvent e = classify(r);
    QCOMPARE(eventKindName(e.kind), eventKindName(EventKind(expected)));
    QCOMPARE(e.seq, 7);
    QCOMPARE(e.timeMs, 1'700'000'007'000);
    QCOMPARE(e.reason, reason);
    QCOMPARE(e.step, step);
    QCOMPARE(int(e.profileKind), profileKind);
}

// Each row: records as "kind details-json" lines; the final stage, failure
// reason and step, and how many timeline entries.
void TestJourney::apply_sequences_data()
{
    QTest::addColumn<QStringList>("records");
    QTest::addColumn<QString>("stage");
    QTest::addColumn<QString>("reason");
    QTest::addColumn<QString>("step");
    QTest::addColumn<int>("timeline");

    auto L = [](std::initializer_list<const char *> lines) {
        QStringList out;
        for (const char *l : lines)
            out.append(QString::fromUtf8(l));
        return out;
    };
    QTest::newRow("static happy path")
        << L({"device.discovered {}", "device.identified {}", "intent.write {}",
               R"(outcome.write {"ok":true})", "intent.verify {}", R"(outcome.verify {"ok":true})"})
        << "onboarded"
        << ""
        << "" << 4;
    QTest::newRow("dynamic happy path") << L({"device.discovered {}", "device.identified {}",
        "token.issued {}", R"(outcome.write {"ok":true})", R"(outcome.verify {"ok":true})",
        "enroll.request {}", "cert.issued {}", "checkin {}"})
                                        << "onboarded"
                                        << ""
                                        << "" << 6;
    QTest::newRow("dynamic waits verified for its enrollment") << L({"device.discovered {}",
        "token.issued {}", R"(outcome.write {"ok":true})", R"(outcome.verify {"ok":true})"})
                                                               << "verified"
                                                               << ""
                                                               << "" << 3;
    QTest::newRow("failure then retry succeeds")
        << L({"device.identified {}", R"(outcome.write {"ok":false,"message":"device refused"})",
               R"(outcome.write {"ok":true})", R"(outcome.verify {"ok":true})"})
        << "onboarded"
        << ""
        << "" << 4;
    QTest::newRow("failure keeps reason and step") << L({"device.identified {}",
        R"(outcome.write {"ok":true})", R"(failure {"reason":"no answer","step":"verify"})"})
                                                   << "failed"
                                                   << "no answer"
                                                   << "verify" << 3;
    QTest::newRow("failure without step names the stage")
        << L({"device.identified {}", R"(failure {"reason":"unplugged"})"}) << "failed"
        << "unplugged"
        << "identified" << 2;
    QTest::newRow("duplicate events move once") << L({"device.identified {}",
        "device.identified {}", R"(outcome.write {"ok":true})", R"(outcome.write {"ok":true})"})
                                                << "credentials-written"
                                                << ""
                                                << "" << 2;
    QTest::newRow("duplicate failure recorded once") << L(
        {R"(failure {"reason":"x","step":"write"})", R"(failure {"reason":"x","step":"write"})"})
                                                     << "failed"
                                                     << "x"
                                                     << "write" << 1;
    QTest::newRow("second failure replaces the reason")
        << L({R"(failure {"reason":"x","step":"write"})", R"(failure {"reason":"y"})"}) << "failed"
        << "y"
        << "write" << 2;
    QTest::newRow("late events do not move back") << L({"token.issued {}", "cert.issued {}",
        R"(outcome.verify {"ok":true})", "device.identified {}", R"(outcome.write {"ok":true})"})
                                                  << "enrolled"
                                                  << ""
                                                  << "" << 1;
    QTest::newRow("unknown kinds are ignored")
        << L({"device.identified {}", "firmware.updated {}", "zz {}", R"(label.printed {"ok":1})"})
        << "identified"
        << ""
        << "" << 1;
    QTest::newRow("retry from discovery after failure")
        << L({R"(failure {"reason":"r"})", "device.discovered {}", "device.identified {}"})
        << "identified"
        << ""
        << "" << 3;
    QTest::newRow("failure after onboarded is not a move")
        << L({R"(outcome.verify {"ok":true})", R"(failure {"reason":"replayed token"})"})
        << "onboarded"
        << ""
        << "" << 1;
    QTest::newRow("enrollment denied") << L({"token.issued {}", R"(outcome.verify {"ok":true})",
        R"(enroll.pending {})", R"(enroll.denied {"decided_by":"alice@bench"})"})
                                       << "failed"
                                       << "enrollment denied by alice@bench"
                                       << "enroll" << 2;
    QTest::newRow("write verified in one outcome")
        << L({R"(outcome.write {"ok":true,"verified":true})"}) << "onboarded"
        << ""
        << "" << 1;
}

void TestJourney::apply_sequences()
{
    QFETCH(QStringList, records);
    QFETCH(QString, stage);
    QFETCH(QString, reason);
    QFETCH(QString, step);
    QFETCH(int, timeline);
    Journey j(QStringLiteral("dev-1"));
    qint64 seq = 0;
    for (const QString &line : records) {
        const qsizetype space = line.indexOf(u' ');
        store::AuditRecord r = record(++seq, line.left(space));
        r.details = line.mid(space + 1).toUtf8();
        j.apply(classify(r));
    }
    QCOMPARE(stageName(j.stage()), stage);
    QCOMPARE(j.failureReason(), reason);
    QCOMPARE(j.failureStep(), step);
    QCOMPARE(j.timeline().size(), timeline);
    QCOMPARE(j.lastSeq(), seq);
}

void TestJourney::apply_keepsATimelineOfTheMoves()
{
    Journey j(QStringLiteral("dev-1"));
    j.apply(classify(record(1, QStringLiteral("device.discovered"),
        {{QStringLiteral("transport"), QStringLiteral("serial")},
            {QStringLiteral("port"), QStringLiteral("/dev/ttyUSB0")}})));
    j.apply(classify(record(2, QStringLiteral("device.identified"))));
    j.apply(
        classify(record(3, QStringLiteral("outcome.write"), ok(false, QStringLiteral("busy")))));
    j.apply(classify(record(4, QStringLiteral("outcome.write"), ok(true))));
    QCOMPARE(j.transport, QStringLiteral("serial"));
    QCOMPARE(j.address, QStringLiteral("/dev/ttyUSB0"));
    const auto &t = j.timeline();
    QCOMPARE(t.size(), 4);
    QCOMPARE(t[0].recordKind, QStringLiteral("device.discovered"));
    QCOMPARE(t[1].to, Stage::Identified);
    QCOMPARE(t[2].from, Stage::Identified);
    QCOMPARE(t[2].to, Stage::Failed);
    QCOMPARE(t[2].note, QStringLiteral("busy"));
    QCOMPARE(t[3].from, Stage::Failed);
    QCOMPARE(t[3].to, Stage::CredentialsWritten);
    QCOMPARE(t[3].timeMs, 1'700'000'004'000);
    QCOMPARE(j.sinceMs(), 1'700'000'004'000);

    for (int i = 0; i < Journey::kTimelineCap * 2; ++i)
        j.apply(classify(record(
            10 + i, QStringLiteral("failure"), {{QStringLiteral("reason"), QString::number(i)}})));
    QCOMPARE(j.timeline().size(), Journey::kTimelineCap);
    QCOMPARE(j.timeline().last().note, QString::number(Journey::kTimelineCap * 2 - 1));
}

void TestJourney::stuck_afterTheStageTimeoutOnly()
{
    const qint64 minute = 60'000;
    StuckRules rules = StuckRules::defaults();
    QCOMPARE(rules.timeout(Stage::Identified), 10 * minute);
    QCOMPARE(rules.timeout(Stage::CredentialsWritten), 5 * minute);
    QCOMPARE(rules.timeout(Stage::Enrolled), 10 * minute);
    QCOMPARE(rules.timeout(Stage::Onboarded), 0);
    QCOMPARE(rules.timeout(Stage::Failed), 0);

    Journey j(QStringLiteral("dev-1"));
    j.apply(classify(record(1, QStringLiteral("device.identified"))));
    const qint64 t0 = j.sinceMs();
    QVERIFY(!j.isStuckAt(t0 + 10 * minute - 1, rules));
    QVERIFY(j.isStuckAt(t0 + 10 * minute, rules));
    QCOMPARE(j.stuckForMs(t0 + 12 * minute), 12 * minute);
    rules.setTimeout(Stage::Identified, minute);
    QVERIFY(j.isStuckAt(t0 + minute, rules));
    rules.setTimeout(Stage::Identified, 0);
    QVERIFY(!j.isStuckAt(t0 + 1000 * minute, rules));

    j.apply(classify(record(600, QStringLiteral("outcome.verify"), ok(true))));
    QCOMPARE(j.stage(), Stage::Onboarded);
    QVERIFY(!j.isStuckAt(t0 + 1000 * minute, StuckRules::defaults()));
}

void TestJourney::auditTime_parsesTheStoreFormat_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("ms"); // -1: refused
    QTest::newRow("store format") << "2024-05-01T12:00:00.000Z" << qint64(1714564800000);
    QTest::newRow("milliseconds") << "2024-05-01T12:00:01.250Z" << qint64(1714564801250);
    QTest::newRow("no fraction") << "1970-01-01T00:00:00Z" << qint64(0);
    QTest::newRow("no seconds") << "1970-01-01T00:01Z" << qint64(60000);
    QTest::newRow("leap day") << "2024-02-29T00:00:00.000Z" << qint64(1709164800000);
    QTest::newRow("no Z") << "2024-05-01T12:00:00.000" << qint64(-1);
    QTest::newRow("bad day") << "2024-02-30T00:00:00.000Z" << qint64(-1);
    QTest::newRow("bad hour") << "2024-05-01T24:00:00.000Z" << qint64(-1);
    QTest::newRow("empty") << "" << qint64(-1);
    QTest::newRow("garbage") << "yesterday" << qint64(-1);
}

void TestJourney::auditTime_parsesTheStoreFormat()
{
    QFETCH(QString, text);
    QFETCH(qint64, ms);
    const auto parsed = parseAuditTime(text);
    QCOMPARE(parsed.value_or(-1), ms);
    if (ms >= 0 && text.size() == 24)
        QCOMPARE(formatAuditTime(ms), text);
}

QTEST_GUILESS_MAIN(TestJourney)
#include "tst_journey.moc"
