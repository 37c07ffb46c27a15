#include "app/onboarding/journey/board.h"
#include "app/onboarding/journey/boardfeed.h"
#include "app/onboarding/journey/journeyevents.h"
#include "app/storage/store/store.h"

#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::journey;

namespace {

constexpr qint64 kMinute = 60'000;
constexpr qint64 kT0 = 1'700'000'000'000;

JourneyEvent ev(
    qint64 seq, EventKind kind, const QString &device, qint64 timeMs, const QString &reason = {})
{
    JourneyEvent e;
    e.seq = seq;
    e.kind = kind;
    e.deviceId = device;
    e.timeMs = timeMs;
    e.reason = reason;
    e.recordKind = eventKindName(kind);
    return e;
}

// Appends one random journey event for `device` (or an unknown kind).
void appendRandom(store::AuditLog &log, const QString &device, QRandomGenerator &rng)
{
    auto okOrDie = [](auto r) { QVERIFY2(r.has_value(), qPrintable(r.error().message)); };
    switch (rng.bounded(11)) {
    case 0:
        okOrDie(recordDiscovered(
            log, device, {QStringLiteral("serial"), QStringLiteral("/dev/x"), {}, {}, {}}));
        break;
    case 1:
        okOrDie(recordIdentified(log, device, {}));
        break;
    case 2:
    case 3: {
        const bool good = rng.bounded(4) != 0;
        auto intent = log.appendIntent(QStringLiteral("write"), device);
        QVERIFY(intent);
        okOrDie(log.appendOutcome(
            *intent, good, good ? QStringLiteral("written") : QStringLiteral("device busy")));
        break;
    }
    case 4: {
        auto intent = log.appendIntent(QStringLiteral("verify"), device);
        QVERIFY(intent);
        okOrDie(log.appendOutcome(*intent, true, QStringLiteral("read back")));
        break;
    }
    case 5:
        okOrDie(
            log.append(QStringLiteral("token.issued"), device, {{QStringLiteral("tokenId"), 1}}));
        break;
    case 6:
        okOrDie(log.append(QStringLiteral("cert.issued"), device));
        break;
    case 7:
        okOrDie(log.append(QStringLiteral("checkin"), device));
        break;
    case 8:
        okOrDie(log.append(QStringLiteral("failure"), device,
            {{QStringLiteral("reason"),
                 rng.bounded(2) ? QStringLiteral("timeout") : QStringLiteral("wrong password")},
                {QStringLiteral("step"), QStringLiteral("enroll")}}));
        break;
    case 9:
        okOrDie(log.append(QStringLiteral("label.printed"), device));
        break;
    default:
        okOrDie(log.append(QStringLiteral("enroll.request"), device));
        break;
    }
}

void compareJourneys(const Journey &a, const Journey &b)
{
    QCOMPARE(stageName(a.stage()), stageName(b.stage()));
    QCOMPARE(a.failureReason(), b.failureReason());
    QCOMPARE(a.failureStep(), b.failureStep());
    QCOMPARE(a.sinceMs(), b.sinceMs());
    QCOMPARE(a.lastSeq(), b.lastSeq());
    QCOMPARE(a.timeline().size(), b.timeline().size());
    QCOMPARE(int(a.profileKind()), int(b.profileKind()));
    QCOMPARE(a.site, b.site);
    QCOMPARE(a.profile, b.profile);
}

} // namespace

class TestBoard : public QObject
{
    Q_OBJECT
private slots:
    void init();
    void load_afterRestartShowsTheSameBoardAsTheLiveFeed();
    void load_devicesWithoutEventsTakeTheInventoryState();
    void aggregates_countsFailuresAndFilters();
    void throughput_slidingWindowPerMinute();
    void stuck_flaggedAgainstTheInjectedClock();
    void removeDevice_updatesAggregates();
    void apply_ignoresOldAndForeignRecords();
    void feed_pollsOnItsTimerAndReportsNewDevices();

private:
    std::unique_ptr<store::Store> openStore();
    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestBoard::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

std::unique_ptr<store::Store> TestBoard::openStore()
{
    auto s = store::Store::open(QStringLiteral("sqlite:%1/inventory.db").arg(m_dir->path()),
        m_dir->path(), QStringLiteral("test@bench"));
    if (!s)
        qWarning() << s.error().message;
    return s ? std::move(*s) : nullptr;
}

void TestBoard::load_afterRestartShowsTheSameBoardAsTheLiveFeed()
{
    auto store = openStore();
    QVERIFY(store);
    for (int i = 0; i < 20; ++i) {
        store::InventoryDevice d;
        d.id = QStringLiteral("dev-%1").arg(i);
        d.site = i % 2 ? QStringLiteral("Berlin") : QStringLiteral("Oslo");
        d.profile = i % 3 ? QStringLiteral("office") : QStringLiteral("est");
        d.transport = QStringLiteral("serial");
        QVERIFY(store->inventory().upsert(d));
    }
    Board live;
    live.setProfileKinds({{QStringLiteral("est"), ProfileKind::Dynamic}});
    BoardFeed feed(*store, live);
    feed.setMaxBatch(7); // several round trips per poll
    QRandomGenerator rng(20240501);
    for (int i = 0; i < 400; ++i) {
        appendRandom(store->audit(), QStringLiteral("dev-%1").arg(rng.bounded(24)), rng);
        if (i % 37 == 0)
            QVERIFY(feed.pollNow());
    }
    QVERIFY(feed.pollNow());
    auto head = store->audit().head();
    QVERIFY(head);
    QCOMPARE(live.lastSeq(), head->seq);

    store.reset(); // restart
    auto reopened = openStore();
    QVERIFY(reopened);
    Board loaded;
    loaded.setProfileKinds({{QStringLiteral("est"), ProfileKind::Dynamic}});
    QVERIFY(loaded.load(*reopened));
    QCOMPARE(loaded.lastSeq(), live.lastSeq());
    int withEvents = 0;
    for (int i = 0; i < loaded.size(); ++i) {
        const Journey &l = loaded.at(i);
        const Journey *f = live.device(l.id());
        if (l.lastSeq() == 0)
            continue; // inventory-only: the live board never heard of it
        QVERIFY2(f, qPrintable(l.id()));
        compareJourneys(l, *f);
        ++withEvents;
    }
    QVERIFY(withEvents > 15);
    QCOMPARE(loaded.failures().size(), live.failures().size());
    for (qsizetype i = 0; i < loaded.failures().size(); ++i) {
        QCOMPARE(loaded.failures()[i].reason, live.failures()[i].reason);
        QCOMPARE(loaded.failures()[i].deviceIds, live.failures()[i].deviceIds);
    }

    Board again;
    again.setProfileKinds({{QStringLiteral("est"), ProfileKind::Dynamic}});
    QVERIFY(again.load(*reopened));
    QCOMPARE(again.size(), loaded.size());
    for (int i = 0; i < loaded.size(); ++i)
        compareJourneys(loaded.at(i), *again.device(loaded.at(i).id()));
    QCOMPARE(again.counts().devices, loaded.counts().devices);
}

void TestBoard::load_devicesWithoutEventsTakeTheInventoryState()
{
    auto store = openStore();
    QVERIFY(store);
    auto add = [&](const char *id, const char *state, const char *reason = "") {
        store::InventoryDevice d;
        d.id = QString::fromLatin1(id);
        d.profile = QStringLiteral("office");
        QVERIFY(store->inventory().upsert(d));
        QVERIFY(store->inventory().setState(
            d.id, QString::fromLatin1(state), QString::fromLatin1(reason)));
    };
    add("a", "failed", "no power");
    add("b", "provisioned");
    add("c", "identified");
    add("d", "something-new");
    add("e", "failed", "stale");
    add("f", "checked-in");
    add("g", "pending-approval");
    QVERIFY(store->audit().append(QStringLiteral("checkin"), QStringLiteral("e")));
    Board board;
    QVERIFY(board.load(*store));
    QCOMPARE(board.device(QStringLiteral("a"))->stage(), Stage::Failed);
    QCOMPARE(board.device(QStringLiteral("a"))->failureReason(), QStringLiteral("no power"));
    QCOMPARE(board.device(QStringLiteral("b"))->stage(), Stage::Onboarded);
    QCOMPARE(board.device(QStringLiteral("c"))->stage(), Stage::Identified);
    QCOMPARE(board.device(QStringLiteral("d"))->stage(), Stage::Discovered);
    QCOMPARE(board.device(QStringLiteral("e"))->stage(), Stage::Onboarded); // the log wins
    QCOMPARE(board.device(QStringLiteral("f"))->stage(), Stage::Onboarded);
    QCOMPARE(board.device(QStringLiteral("g"))->stage(), Stage::Verified);
    QCOMPARE(board.failures().size(), 1);
    QCOMPARE(board.failures()[0].deviceIds, QStringList{QStringLiteral("a")});
}

void TestBoard::aggregates_countsFailuresAndFilters()
{
    Board board([] { return kT0; });
    auto info = [&](const char *id, const char *site, const char *transport) {
        store::InventoryDevice d;
        d.id = QString::fromLatin1(id);
        d.site = QString::fromLatin1(site);
        d.transport = QString::fromLatin1(transport);
        d.profile = QStringLiteral("office");
        board.updateInfo(d);
    };
    info("a", "Berlin", "serial");
    info("b", "Berlin", "ble");
    info("c", "Oslo", "serial");
    info("d", "Oslo", "ble");
    board.apply(ev(1, EventKind::Identified, QStringLiteral("a"), kT0));
    board.apply(ev(2, EventKind::Failure, QStringLiteral("b"), kT0, QStringLiteral("timeout")));
    board.apply(ev(3, EventKind::Failure, QStringLiteral("c"), kT0, QStringLiteral("timeout")));
    board.apply(ev(4, EventKind::Failure, QStringLiteral("d"), kT0, QStringLiteral("refused")));
    board.apply(ev(5, EventKind::VerifyOk, QStringLiteral("e"), kT0)); // log-only device

    const StageCounts all = board.counts();
    QCOMPARE(all.total, 5);
    QCOMPARE(all.at(Stage::Identified), 1);
    QCOMPARE(all.at(Stage::Failed), 3);
    QCOMPARE(all.at(Stage::Onboarded), 1);
    const auto failures = board.failures();
    QCOMPARE(failures.size(), 2);
    QCOMPARE(failures[0].reason, QStringLiteral("timeout"));
    QCOMPARE(failures[0].deviceIds, (QStringList{QStringLiteral("b"), QStringLiteral("c")}));
    QCOMPARE(failures[1].deviceIds, QStringList{QStringLiteral("d")});

    BoardFilter berlin;
    berlin.site = QStringLiteral("Berlin");
    QCOMPARE(board.counts(berlin).total, 2);
    QCOMPARE(board.counts(berlin).at(Stage::Failed), 1);
    QCOMPARE(board.failures(berlin).size(), 1);
    QCOMPARE(board.failures(berlin)[0].deviceIds, QStringList{QStringLiteral("b")});
    BoardFilter ble;
    ble.transport = QStringLiteral("ble");
    QCOMPARE(board.failures(ble).size(), 2);
    BoardFilter failed;
    failed.stage = Stage::Failed;
    failed.site = QStringLiteral("Oslo");
    QCOMPARE(board.counts(failed).total, 2);
    BoardFilter profile;
    profile.profile = QStringLiteral("lab");
    QCOMPARE(board.counts(profile).total, 0);

    // a retry clears the failure
    board.apply(ev(6, EventKind::WriteOk, QStringLiteral("b"), kT0));
    const auto after = board.failures(); // equal counts: by reason
    QCOMPARE(after.size(), 2);
    QCOMPARE(after[0].reason, QStringLiteral("refused"));
    QCOMPARE(after[1].deviceIds, QStringList{QStringLiteral("c")});
    QCOMPARE(board.counts().at(Stage::CredentialsWritten), 1);
    const BoardDelta delta = board.takeDelta();
    QVERIFY(delta.aggregates);
    QCOMPARE(delta.lastSeq, 6);
    QVERIFY(delta.devices.contains(QStringLiteral("e")));
    QVERIFY(board.takeDelta().isEmpty());
}

void TestBoard::throughput_slidingWindowPerMinute()
{
    qint64 now = kT0 + 10 * kMinute;
    Board board([&now] { return now; });
    // 10 devices onboarded in minute 0..1, 5 in minute 5..6
    qint64 seq = 0;
    for (int i = 0; i < 10; ++i)
        board.apply(ev(++seq, EventKind::VerifyOk, QStringLiteral("a%1").arg(i), kT0 + i * 1000));
    for (int i = 0; i < 5; ++i)
        board.apply(ev(++seq, EventKind::VerifyOk, QStringLiteral("b%1").arg(i),
            kT0 + 5 * kMinute + i * 1000));
    board.apply(ev(++seq, EventKind::Identified, QStringLiteral("c"), kT0)); // not onboarded

    const auto series = board.throughput(10 * kMinute, kMinute, kMinute);
    QCOMPARE(series.size(), 11);
    QCOMPARE(series[0].timeMs, kT0);
    QCOMPARE(series[0].perMinute, 1.0); // a0 at exactly kT0
    QCOMPARE(series[1].perMinute, 9.0);
    QCOMPARE(series[4].perMinute, 0.0);
    QCOMPARE(series[5].perMinute, 1.0); // b0 at exactly 5 min
    QCOMPARE(series[6].perMinute, 4.0);
    QCOMPARE(series[10].perMinute, 0.0);
    QCOMPARE(board.onboardedPerMinute(10 * kMinute), 1.4); // (t0, t0 + 10 min]: a0 is out
    now = kT0 + 6 * kMinute;
    QCOMPARE(board.onboardedPerMinute(5 * kMinute), 1.0);
    BoardFilter f;
    f.stage = Stage::Onboarded;
    f.site = QStringLiteral("nowhere");
    QCOMPARE(board.onboardedPerMinute(5 * kMinute), 1.0);
    QCOMPARE(board.throughput(0, kMinute, 5 * kMinute, f).last().perMinute, 0.0);
}

void TestBoard::stuck_flaggedAgainstTheInjectedClock()
{
    qint64 now = kT0;
    Board board([&now] { return now; });
    board.apply(ev(1, EventKind::Identified, QStringLiteral("a"), kT0));
    board.apply(ev(2, EventKind::WriteOk, QStringLiteral("b"), kT0));
    board.apply(ev(3, EventKind::VerifyOk, QStringLiteral("c"), kT0));
    (void)board.takeDelta();
    now = kT0 + 5 * kMinute - 1;
    QCOMPARE(board.refreshStuck(), 0);
    now = kT0 + 5 * kMinute;
    QCOMPARE(board.refreshStuck(), 1); // b: credentials written 5 min ago
    QVERIFY(board.device(QStringLiteral("b"))->stuck);
    QCOMPARE(board.counts().stuckAt(Stage::CredentialsWritten), 1);
    QCOMPARE(board.takeDelta().devices, QSet<QString>{QStringLiteral("b")});
    now = kT0 + 10 * kMinute;
    QCOMPARE(board.refreshStuck(), 1); // a: identified 10 min ago
    QCOMPARE(board.refreshStuck(), 0);
    QCOMPARE(board.device(QStringLiteral("a"))->stuckForMs(now), 10 * kMinute);
    QVERIFY(!board.device(QStringLiteral("c"))->stuck); // onboarded never is

    // moving clears it
    board.apply(ev(4, EventKind::VerifyOk, QStringLiteral("b"), now));
    QVERIFY(!board.device(QStringLiteral("b"))->stuck);
    QCOMPARE(board.counts().stuckAt(Stage::CredentialsWritten), 0);
    QCOMPARE(board.counts().stuckAt(Stage::Identified), 1);

    StuckRules rules = board.stuckRules();
    rules.setTimeout(Stage::Identified, 0);
    board.setStuckRules(rules);
    QVERIFY(!board.device(QStringLiteral("a"))->stuck);
    QCOMPARE(board.counts().stuckAt(Stage::Identified), 0);
}

void TestBoard::removeDevice_updatesAggregates()
{
    Board board([] { return kT0; });
    board.apply(ev(1, EventKind::Failure, QStringLiteral("a"), kT0, QStringLiteral("x")));
    board.apply(ev(2, EventKind::Identified, QStringLiteral("b"), kT0));
    board.apply(ev(3, EventKind::Identified, QStringLiteral("c"), kT0));
    QVERIFY(board.removeDevice(QStringLiteral("a")));
    QVERIFY(!board.removeDevice(QStringLiteral("a")));
    QCOMPARE(board.size(), 2);
    QVERIFY(board.failures().isEmpty());
    QCOMPARE(board.counts().total, 2);
    QVERIFY(board.device(QStringLiteral("c")));
    QCOMPARE(board.device(QStringLiteral("c"))->id(), QStringLiteral("c"));
    QVERIFY(board.takeDelta().devices.contains(QStringLiteral("a")));
    // the id may be a reference into the board itself
    const QString first = board.at(0).id();
    QVERIFY(board.removeDevice(board.at(0).id()));
    QVERIFY(!board.device(first));
    QCOMPARE(board.size(), 1);
    QVERIFY(board.device(board.at(0).id()));
}

void TestBoard::apply_ignoresOldAndForeignRecords()
{
    Board board;
    store::AuditRecord r;
    r.seq = 5;
    r.kind = QStringLiteral("checkin");
    r.deviceId = QStringLiteral("a");
    r.time = QStringLiteral("not a time");
    QVERIFY(board.apply(r));
    r.seq = 4;
    r.kind = QStringLiteral("failure");
    QVERIFY(!board.apply(r)); // older than what the board has
    r.seq = 6;
    r.deviceId.clear();
    QVERIFY(!board.apply(r)); // no device
    r.seq = 7;
    r.deviceId = QStringLiteral("a");
    r.kind = QStringLiteral("some.future.kind");
    QVERIFY(!board.apply(r));
    QCOMPARE(board.lastSeq(), 7);
    QCOMPARE(board.device(QStringLiteral("a"))->stage(), Stage::Onboarded);
}

void TestBoard::feed_pollsOnItsTimerAndReportsNewDevices()
{
    auto store = openStore();
    QVERIFY(store);
    store::InventoryDevice d;
    d.id = QStringLiteral("dev-1");
    d.site = QStringLiteral("Berlin");
    d.name = QStringLiteral("door");
    QVERIFY(store->inventory().upsert(d));
    Board board;
    BoardFeed feed(*store, board);
    QSignalSpy changed(&feed, &BoardFeed::changed);
    feed.setInterval(20);
    feed.start();
    QVERIFY(recordDiscovered(store->audit(), QStringLiteral("dev-1"),
        {QStringLiteral("ble"), QStringLiteral("AA:BB"), QString(), QString(), {}}));
    QTRY_COMPARE(changed.size(), 1);
    const auto delta = changed.first().first().value<BoardDelta>();
    QVERIFY(delta.devices.contains(QStringLiteral("dev-1")));
    const Journey *j = board.device(QStringLiteral("dev-1"));
    QVERIFY(j);
    QCOMPARE(j->site, QStringLiteral("Berlin"));   // from the inventory
    QCOMPARE(j->transport, QStringLiteral("ble")); // from the event
    QCOMPARE(j->address, QStringLiteral("AA:BB"));
    QCOMPARE(j->timeline().size(), 1);

    auto intent = store->audit().appendIntent(QStringLiteral("write"), QStringLiteral("dev-1"));
    QVERIFY(intent);
    QVERIFY(store->audit().appendOutcome(*intent, false, QStringLiteral("port vanished")));
    QTRY_COMPARE(changed.size(), 2);
    QCOMPARE(board.device(QStringLiteral("dev-1"))->stage(), Stage::Failed);
    QCOMPARE(board.failures()[0].reason, QStringLiteral("port vanished"));
    QTest::qWait(80);
    QCOMPARE(changed.size(), 2); // nothing new, nothing emitted
    feed.stop();
    QVERIFY(!feed.isActive());
}

QTEST_GUILESS_MAIN(TestBoard)
#include "tst_board.moc"
