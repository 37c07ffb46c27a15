#include "app/onboarding/journey/board.h"
#include "app/storage/store/inventory.h"
#include "models/boarddevicemodel.h"
#include "models/boardfilterproxy.h"
#include "models/failurebreakdownmodel.h"
#include "models/stagecountsmodel.h"

#include <QAbstractItemModelTester>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>

using namespace provbench;
using namespace provbench::journey;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;

// Drives a Board with random inserts (events for new devices), updates
// (events, info changes, stuck flags) and removals.
class RandomDriver
{
public:
    RandomDriver(Board &board, quint32 seed, qint64 &now) : m_board(board), m_rng(seed), m_now(now)
    {
    }

    void step()
    {
        const int what = m_rng.bounded(100);
        if (what < 8 && m_board.size() > 0) {
            m_board.removeDevice(m_board.at(m_rng.bounded(m_board.size())).id());
        } else if (what < 12) {
            store::InventoryDevice d;
            d.id = deviceId();
            d.site = m_rng.bounded(2) ? QStringLiteral("Berlin") : QStringLiteral("Oslo");
            d.name = QStringLiteral("n%1").arg(m_rng.bounded(1000));
            d.transport = m_rng.bounded(2) ? QStringLiteral("ble") : QStringLiteral("serial");
            m_board.updateInfo(d);
        } else if (what < 15) {
            m_now += 60'000 * m_rng.bounded(1, 8);
            m_board.refreshStuck();
        } else {
            JourneyEvent e;
            e.seq = ++m_seq;
            e.kind = EventKind(m_rng.bounded(kEventKindCount));
            e.deviceId = deviceId();
            e.timeMs = m_now;
            e.recordKind = eventKindName(e.kind);
            if (e.kind == EventKind::Failure)
                e.reason = QStringLiteral("reason %1").arg(m_rng.bounded(4));
            if (m_rng.bounded(10) == 0)
                e.profileKind = ProfileKind::Dynamic;
            m_board.apply(e);
        }
    }

private:
    QString deviceId() { return QStringLiteral("dev-%1").arg(m_rng.bounded(60)); }

    Board &m_board;
    QRandomGenerator m_rng;
    qint64 &m_now;
    qint64 m_seq = 0;
};

void checkDeviceModel(const BoardDeviceModel &model, const Board &board)
{
    QCOMPARE(model.rowCount(), board.size());
    QSet<QString> ids;
    for (int row = 0; row < model.rowCount(); ++row) {
        const QString id = model.index(row, 0).data(BoardDeviceModel::IdRole).toString();
        QCOMPARE(model.rowOf(id), row);
        ids.insert(id);
        const Journey *j = board.device(id);
        QVERIFY2(j, qPrintable(id));
        auto at = [&](int column) { return model.index(row, column).data().toString(); };
        QCOMPARE(at(BoardDeviceModel::StageColumn), stageTitle(j->stage()));
        QCOMPARE(at(BoardDeviceModel::SiteColumn), j->site);
        QCOMPARE(at(BoardDeviceModel::NameColumn), j->name);
        QCOMPARE(at(BoardDeviceModel::FailureColumn), j->failureReason());
        QCOMPARE(model.index(row, 0).data(BoardDeviceModel::StuckRole).toBool(), j->stuck);
        QCOMPARE(model.index(row, 0).data(BoardDeviceModel::SinceRole).toLongLong(), j->sinceMs());
    }
    QCOMPARE(ids.size(), board.size());
}

void checkCounts(const StageCountsModel &model, const Board &board, const BoardFilter &filter)
{
    const StageCounts c = board.counts(filter);
    QCOMPARE(model.rowCount(), kStageCount);
    for (int s = 0; s < kStageCount; ++s) {
        QCOMPARE(
            model.index(s, StageCountsModel::DevicesColumn).data().toInt(), c.devices[size_t(s)]);
        QCOMPARE(model.index(s, StageCountsModel::StuckColumn).data().toInt(), c.stuck[size_t(s)]);
    }
    QCOMPARE(model.total(), c.total);
}

void checkFailures(
    const FailureBreakdownModel &model, const Board &board, const BoardFilter &filter)
{
    QHash<QString, QStringList> want;
    for (const FailureGroup &g : board.failures(filter))
        want.insert(g.reason, g.deviceIds);
    QCOMPARE(model.rowCount(), want.size());
    for (int row = 0; row < model.rowCount(); ++row) {
        const QModelIndex i = model.index(row, 0);
        const QString reason = i.data(FailureBreakdownModel::ReasonRole).toString();
        QVERIFY2(want.contains(reason), qPrintable(reason));
        QCOMPARE(i.data(FailureBreakdownModel::DeviceIdsRole).toStringList(), want.value(reason));
        QCOMPARE(i.data(FailureBreakdownModel::CountRole).toInt(), want.value(reason).size());
    }
}

} // namespace

class TestBoardModels : public QObject
{
    Q_OBJECT
private slots:
    void randomBatches_modelsMatchTheBoard_data();
    void randomBatches_modelsMatchTheBoard();
    void changes_areCoalescedIntoOneBatchPerInterval();
    void filterProxy_followsTheBoardFilter();
};

void TestBoardModels::randomBatches_modelsMatchTheBoard_data()
{
    QTest::addColumn<quint32>("seed");
    QTest::addColumn<bool>("filtered");
    for (quint32 seed : {1u, 2u, 3u, 42u, 20240501u}) {
        QTest::newRow(qPrintable(QStringLiteral("seed %1").arg(seed))) << seed << false;
        QTest::newRow(qPrintable(QStringLiteral("seed %1, Berlin").arg(seed))) << seed << true;
    }
}

void TestBoardModels::randomBatches_modelsMatchTheBoard()
{
    QFETCH(quint32, seed);
    QFETCH(bool, filtered);
    qint64 now = kT0;
    Board board([&now] { return now; });
    RandomDriver driver(board, seed, now);
    for (int i = 0; i < 40; ++i)
        driver.step();
    (void)board.takeDelta();

    BoardDeviceModel devices(board);
    StageCountsModel counts(board);
    FailureBreakdownModel failures(board);
    BoardFilter filter;
    if (filtered)
        filter.site = QStringLiteral("Berlin");
    counts.setFilter(filter);
    failures.setFilter(filter);
    QAbstractItemModelTester t1(&devices, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t2(&counts, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QAbstractItemModelTester t3(&failures, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&devices, &QAbstractItemModel::modelReset);
    QSignalSpy countResets(&counts, &QAbstractItemModel::modelReset);
    QSignalSpy failureResets(&failures, &QAbstractItemModel::modelReset);
    checkDeviceModel(devices, board);
    checkCounts(counts, board, filter);
    checkFailures(failures, board, filter);

    QRandomGenerator batches(seed ^ 0x5a5a);
    for (int batch = 0; batch < 300; ++batch) {
        const int steps = batches.bounded(1, 30);
        for (int i = 0; i < steps; ++i) {
            driver.step();
            if (batches.bounded(6) == 0) {
                // several deltas may arrive before one flush
                const BoardDelta d = board.takeDelta();
                devices.noteChanges(d);
                counts.noteChanges(d);
                failures.noteChanges(d);
            }
        }
        const BoardDelta d = board.takeDelta();
        devices.noteChanges(d);
        counts.noteChanges(d);
        failures.noteChanges(d);
        devices.flush();
        counts.flush();
        failures.flush();
        QVERIFY(!devices.hasPending());
        checkDeviceModel(devices, board);
        checkCounts(counts, board, filter);
        checkFailures(failures, board, filter);
        if (QTest::currentTestFailed())
            QFAIL(qPrintable(QStringLiteral("after batch %1").arg(batch)));
    }
    QCOMPARE(resets.size(), 0);
    QCOMPARE(countResets.size(), 0);
    QCOMPARE(failureResets.size(), 0);
}

void TestBoardModels::changes_areCoalescedIntoOneBatchPerInterval()
{
    qint64 now = kT0;
    Board board([&now] { return now; });
    for (int i = 0; i < 1000; ++i) {
        JourneyEvent e;
        e.seq = i + 1;
        e.kind = EventKind::Identified;
        e.deviceId = QStringLiteral("dev-%1").arg(i, 4, 10, QLatin1Char('0'));
        e.timeMs = now;
        board.apply(e);
    }
    (void)board.takeDelta();
    BoardDeviceModel model(board);
    model.setFlushInterval(50);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy flushed(&model, &BoardDeviceModel::flushed);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);

    // rows 100..199 change in ten deltas, two devices are new
    qint64 seq = 1000;
    for (int d = 0; d < 10; ++d) {
        for (int i = 0; i < 10; ++i) {
            JourneyEvent e;
            e.seq = ++seq;
            e.kind = EventKind::WriteOk;
            e.deviceId = QStringLiteral("dev-%1").arg(100 + d * 10 + i, 4, 10, QLatin1Char('0'));
            e.timeMs = now;
            board.apply(e);
        }
        model.noteChanges(board.takeDelta());
    }
    for (const char *id : {"new-b", "new-a"}) {
        JourneyEvent e;
        e.seq = ++seq;
        e.kind = EventKind::Discovered;
        e.deviceId = QString::fromLatin1(id);
        board.apply(e);
    }
    model.noteChanges(board.takeDelta());
    QCOMPARE(flushed.size(), 0); // nothing before the interval
    QTRY_COMPARE(flushed.size(), 1);
    QCOMPARE(flushed.first().at(0).toInt(), 2);
    QCOMPARE(flushed.first().at(1).toInt(), 100);
    QCOMPARE(changed.size(), 1); // one contiguous range
    QCOMPARE(changed.first().at(0).toModelIndex().row(), 100);
    QCOMPARE(changed.first().at(1).toModelIndex().row(), 199);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(model.idAt(1000), QStringLiteral("new-a"));
    QCOMPARE(model.idAt(1001), QStringLiteral("new-b"));
    checkDeviceModel(model, board);
}

void TestBoardModels::filterProxy_followsTheBoardFilter()
{
    Board board([] { return kT0; });
    for (int i = 0; i < 6; ++i) {
        store::InventoryDevice d;
        d.id = QStringLiteral("d%1").arg(i);
        d.site = i % 2 ? QStringLiteral("Berlin") : QStringLiteral("Oslo");
        d.transport = i < 3 ? QStringLiteral("ble") : QStringLiteral("serial");
        board.updateInfo(d);
    }
    BoardDeviceModel model(board);
    BoardFilterProxy proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester tester(&proxy, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(proxy.rowCount(), 6);
    BoardFilter f;
    f.site = QStringLiteral("Berlin");
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 3);
    f.transport = QStringLiteral("ble");
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 1);
    f = {};
    f.stage = Stage::Failed;
    proxy.setFilter(f);
    QCOMPARE(proxy.rowCount(), 0);
    JourneyEvent e;
    e.seq = 1;
    e.kind = EventKind::Failure;
    e.deviceId = QStringLiteral("d2");
    e.reason = QStringLiteral("x");
    board.apply(e);
    model.noteChanges(board.takeDelta());
    model.flush();
    QCOMPARE(proxy.rowCount(), 1); // the proxy follows dataChanged
    QCOMPARE(proxy.index(0, 0).data(BoardDeviceModel::IdRole).toString(), QStringLiteral("d2"));
}

QTEST_GUILESS_MAIN(TestBoardModels)
#include "tst_boardmodels.moc"
