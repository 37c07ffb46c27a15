// The onboarding board page over a real store: a temporary SQLite workspace
// filled with the audit records of 30 devices at every stage, then driven by
// clicks on the painted pipeline and failure breakdown, offscreen.

#include "app/onboarding/journey/boardfeed.h"
#include "app/onboarding/journey/journeyevents.h"
#include "app/storage/store/store.h"
#include "models/boarddevicemodel.h"
#include "models/boardfilterproxy.h"
#include "models/stagecountsmodel.h"
#include "ui/boardpanel.h"
#include "ui/failureview.h"
#include "ui/pipelineview.h"
#include "ui/throughputview.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace provbench;
using journey::Stage;

namespace {

const QString kReason = QStringLiteral("could not join ProvBench-Lab: wrong password");

QString deviceId(int n)
{
    return QStringLiteral("dev-%1").arg(n, 2, 10, QLatin1Char('0'));
}

} // namespace

class tst_BoardPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void load_pipelineCountsEveryStage();
    void failureBreakdown_clickListsTheDevicesBehindAReason();
    void pipeline_clickFiltersTheTableAndClickAgainClears();
    void filters_siteAndTransportNarrowTableAndCounts();
    void feed_newEventsShowUpWithinSeconds();
    void selectDevice_showsItsTimeline();
    void doubleClick_asksToShowTheDevice();
    void storeThatCannotOpen_saysWhyOnThePage();

private:
    void fill(store::Store &store);
    void append(const QString &kind, int device, const QJsonObject &details = {});
    void writeOk(int device, bool verified);
    int count(Stage stage) const
    {
        return m_panel->countsModel()
            ->index(int(stage), 0)
            .data(StageCountsModel::CountRole)
            .toInt();
    }
    QStringList shownIds() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<BoardPanel> m_panel;
};

void tst_BoardPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_BoardPanel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened = store::Store::open(QString(), m_dir->path(), QStringLiteral("test@bench"));
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    m_store = std::move(*opened);
    fill(*m_store);
    m_panel = std::make_unique<BoardPanel>();
    m_panel->resize(1300, 800);
    QVERIFY(m_panel->attach(m_store.get()));
    m_panel->feed()->setInterval(50);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void tst_BoardPanel::cleanup()
{
    m_panel.reset();
    m_store.reset();
    m_dir.reset();
}

void tst_BoardPanel::append(const QString &kind, int device, const QJsonObject &details)
{
    auto r = m_store->audit().append(kind, deviceId(device), details);
    QVERIFY2(r, r ? "" : qPrintable(r.error().message));
}

void tst_BoardPanel::writeOk(int device, bool verified)
{
    auto intent = m_store->audit().appendIntent(QStringLiteral("write"), deviceId(device));
    QVERIFY(intent);
    QVERIFY(m_store->audit().appendOutcome(*intent, true, QStringLiteral("written")));
    if (verified) {
        auto check = m_store->audit().appendIntent(QStringLiteral("verify"), deviceId(device));
        QVERIFY(check);
        QVERIFY(m_store->audit().appendOutcome(*check, true, QStringLiteral("read back")));
    }
}

// 30 devices: 5 discovered, 5 identified, 4 with credentials written, 3
// dynamic ones verified, 2 enrolled, 10 onboarded, 1 failed.
void tst_BoardPanel::fill(store::Store &store)
{
    for (int n = 1; n <= 30; ++n) {
        store::InventoryDevice d;
        d.id = deviceId(n);
        d.name = QStringLiteral("sensor-%1").arg(n);
        d.site = n % 2 ? QStringLiteral("Berlin") : QStringLiteral("Hamburg");
        d.profile = QStringLiteral("lab-wifi");
        d.transport = n <= 20 ? QStringLiteral("serial") : QStringLiteral("ble");
        QVERIFY(store.inventory().upsert(d));
        const journey::DeviceSighting seen{
            d.transport, QStringLiteral("/dev/ttyX%1").arg(n), d.name, QString(), {}};
        QVERIFY(journey::recordDiscovered(store.audit(), d.id, seen));
        if (n > 5)
            QVERIFY(journey::recordIdentified(store.audit(), d.id, seen));
    }
    for (int n = 11; n <= 14; ++n)
        writeOk(n, false);
    for (int n = 15; n <= 24; ++n)
        writeOk(n, true);
    for (int n = 25; n <= 27; ++n) {
        append(QStringLiteral("token.issued"), n, {{QStringLiteral("tokenId"), n}});
        writeOk(n, true);
    }
    for (int n = 28; n <= 29; ++n)
        append(QStringLiteral("cert.issued"), n);
    auto intent = store.audit().appendIntent(QStringLiteral("write"), deviceId(30));
    QVERIFY(intent);
    QVERIFY(store.audit().appendOutcome(*intent, false, kReason,
        {{QStringLiteral("reason"), kReason}, {QStringLiteral("step"), QStringLiteral("write")}}));
}

QStringList tst_BoardPanel::shownIds() const
{
    QStringList ids;
    const QAbstractItemModel *m = m_panel->table()->model();
    for (int row = 0; row < m->rowCount(); ++row)
        ids << m->index(row, 0).data(BoardDeviceModel::IdRole).toString();
    ids.sort();
    return ids;
}

void tst_BoardPanel::load_pipelineCountsEveryStage()
{
    QCOMPARE(count(Stage::Discovered), 5);
    QCOMPARE(count(Stage::Identified), 5);
    QCOMPARE(count(Stage::CredentialsWritten), 4);
    QCOMPARE(count(Stage::Verified), 3);
    QCOMPARE(count(Stage::Enrolled), 2);
    QCOMPARE(count(Stage::CheckedIn), 0);
    QCOMPARE(count(Stage::Onboarded), 10);
    QCOMPARE(count(Stage::Failed), 1);
    QCOMPARE(m_panel->table()->model()->rowCount(), 30);
    QVERIFY(m_panel->problemText().isEmpty());
    // Every box is on screen, in journey order, Failed last.
    for (int i = 1; i < journey::kStageCount; ++i) {
        const QRect r = m_panel->pipeline()->stageRect(Stage(i));
        QVERIFY(r.left() > m_panel->pipeline()->stageRect(Stage(i - 1)).right());
        QVERIFY(m_panel->pipeline()->rect().contains(r));
    }
    QVERIFY(!m_panel->pipeline()->grab().isNull());
    QVERIFY(!m_panel->throughput()->grab().isNull());
    // The ten onboardings happened just now: all in the last bar.
    QCOMPARE(m_panel->throughput()->bars().size(), m_panel->throughput()->minutes());
    QCOMPARE(m_panel->throughput()->bars().last(), 10);
}

void tst_BoardPanel::failureBreakdown_clickListsTheDevicesBehindAReason()
{
    FailureView *failures = m_panel->failures();
    QCOMPARE(failures->reasons(), QStringList{kReason});
    QTest::mouseClick(failures, Qt::LeftButton, {}, failures->rowRect(0).center());
    QCOMPARE(failures->selectedReason(), kReason);
    QCOMPARE(shownIds(), QStringList{deviceId(30)});
    QVERIFY(m_panel->findChild<QLabel *>(QStringLiteral("boardReasonFilter"))->isVisible());

    QTest::mouseClick(failures, Qt::LeftButton, {}, failures->rowRect(0).center());
    QVERIFY(failures->selectedReason().isEmpty());
    QCOMPARE(shownIds().size(), 30);
}

void tst_BoardPanel::pipeline_clickFiltersTheTableAndClickAgainClears()
{
    PipelineView *pipeline = m_panel->pipeline();
    QTest::mouseClick(pipeline, Qt::LeftButton, {}, pipeline->stageRect(Stage::Onboarded).center());
    QCOMPARE(pipeline->selectedStage(), std::optional<Stage>(Stage::Onboarded));
    QCOMPARE(m_panel->stageFilter()->currentData().toString(), QStringLiteral("onboarded"));
    QStringList onboarded;
    for (int n = 15; n <= 24; ++n)
        onboarded << deviceId(n);
    QCOMPARE(shownIds(), onboarded);

    QTest::mouseClick(pipeline, Qt::LeftButton, {}, pipeline->stageRect(Stage::Enrolled).center());
    QCOMPARE(shownIds(), (QStringList{deviceId(28), deviceId(29)}));

    QTest::mouseClick(pipeline, Qt::LeftButton, {}, pipeline->stageRect(Stage::Enrolled).center());
    QVERIFY(!pipeline->selectedStage());
    QCOMPARE(shownIds().size(), 30);

    // The stage combo drives the pipeline's selection too.
    m_panel->stageFilter()->setCurrentIndex(int(Stage::Failed) + 1);
    QCOMPARE(pipeline->selectedStage(), std::optional<Stage>(Stage::Failed));
    QCOMPARE(shownIds(), QStringList{deviceId(30)});
}

void tst_BoardPanel::filters_siteAndTransportNarrowTableAndCounts()
{
    auto *site = m_panel->findChild<QComboBox *>(QStringLiteral("boardSiteFilter"));
    auto *transport = m_panel->findChild<QComboBox *>(QStringLiteral("boardTransportFilter"));
    QVERIFY(site && transport);
    QCOMPARE(site->count(), 3); // all, Berlin, Hamburg
    site->setCurrentIndex(site->findData(QStringLiteral("Berlin")));
    QCOMPARE(shownIds().size(), 15);
    QCOMPARE(m_panel->countsModel()->total(), 15);
    QCOMPARE(count(Stage::Discovered), 3); // 1, 3, 5
    transport->setCurrentIndex(transport->findData(QStringLiteral("ble")));
    QCOMPARE(shownIds(),
        (QStringList{deviceId(21), deviceId(23), deviceId(25), deviceId(27), deviceId(29)}));
    m_panel->clearFilters();
    QCOMPARE(shownIds().size(), 30);
    QCOMPARE(m_panel->countsModel()->total(), 30);
}

void tst_BoardPanel::feed_newEventsShowUpWithinSeconds()
{
    PipelineView *pipeline = m_panel->pipeline();
    QTest::mouseClick(pipeline, Qt::LeftButton, {}, pipeline->stageRect(Stage::Onboarded).center());
    QCOMPARE(shownIds().size(), 10);

    QElapsedTimer timer;
    timer.start();
    writeOk(11, true); // credentials written -> onboarded
    QVERIFY(journey::recordDiscovered(m_store->audit(), QStringLiteral("dev-new"),
        {QStringLiteral("ble"), QStringLiteral("AA:BB:CC:00:00:01"), QString(), QString(), {}}));
    append(QStringLiteral("failure"), 12,
        {{QStringLiteral("reason"), kReason}, {QStringLiteral("step"), QStringLiteral("verify")}});

    QTRY_COMPARE_WITH_TIMEOUT(count(Stage::Onboarded), 11, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(shownIds().size(), 11, 2000);
    QVERIFY(shownIds().contains(deviceId(11)));
    QTRY_COMPARE_WITH_TIMEOUT(count(Stage::Discovered), 6, 2000);
    QTRY_COMPARE_WITH_TIMEOUT(count(Stage::Failed), 2, 2000);
    QCOMPARE(count(Stage::CredentialsWritten), 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_panel->failures()->reasons(), QStringList{kReason}, 2000);
    qInfo("board caught up after %lld ms", timer.elapsed());
    QTRY_COMPARE(m_panel->throughput()->bars().last(), 11);

    // The failure filter follows the devices behind its reason.
    FailureView *failures = m_panel->failures();
    QTest::mouseClick(failures, Qt::LeftButton, {}, failures->rowRect(0).center());
    m_panel->stageFilter()->setCurrentIndex(0);
    QCOMPARE(shownIds(), (QStringList{deviceId(12), deviceId(30)}));
    append(QStringLiteral("failure"), 13, {{QStringLiteral("reason"), kReason}});
    QTRY_COMPARE_WITH_TIMEOUT(
        shownIds(), (QStringList{deviceId(12), deviceId(13), deviceId(30)}), 2000);
}

void tst_BoardPanel::selectDevice_showsItsTimeline()
{
    m_panel->selectDevice(deviceId(30));
    QCOMPARE(m_panel->currentDeviceId(), deviceId(30));
    QTreeWidget *timeline = m_panel->timeline();
    // discovered, identified, the failed write
    QCOMPARE(timeline->topLevelItemCount(), 3);
    QCOMPARE(timeline->topLevelItem(0)->text(1), QStringLiteral("device.discovered"));
    QCOMPARE(timeline->topLevelItem(1)->text(1), QStringLiteral("device.identified"));
    QCOMPARE(timeline->topLevelItem(2)->text(1), QStringLiteral("outcome.write"));
    QVERIFY(timeline->topLevelItem(2)->text(2).contains(kReason));
    QVERIFY(timeline->topLevelItem(2)->text(2).contains(QStringLiteral("Failed")));
    QVERIFY(m_panel->findChild<QLabel *>(QStringLiteral("boardTimelineTitle"))
                ->text()
                .contains(deviceId(30)));

    // Clicking a row of the table selects it too, and the timeline follows new events.
    m_panel->selectDevice(deviceId(15));
    QCOMPARE(timeline->topLevelItemCount(), 4); // discovered, identified, written, verified
    QCOMPARE(timeline->topLevelItem(3)->text(1), QStringLiteral("outcome.verify"));
    m_panel->selectDevice(deviceId(6));
    QCOMPARE(timeline->topLevelItemCount(), 2);
    writeOk(6, false);
    QTRY_COMPARE_WITH_TIMEOUT(timeline->topLevelItemCount(), 3, 2000);
}

void tst_BoardPanel::doubleClick_asksToShowTheDevice()
{
    QSignalSpy activated(m_panel.get(), &BoardPanel::deviceActivated);
    m_panel->selectDevice(deviceId(7));
    QTableView *table = m_panel->table();
    const QModelIndex index = table->currentIndex();
    const QPoint at = table->visualRect(index).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.first().first().toString(), deviceId(7));
}

void tst_BoardPanel::storeThatCannotOpen_saysWhyOnThePage()
{
    BoardPanel panel;
    int calls = 0;
    panel.setStoreOpener([&calls]() -> Result<store::Store *> {
        ++calls;
        return fail(Error::Code::Io, QStringLiteral("The database file is locked."));
    });
    panel.show();
    QTRY_COMPARE(calls, 1);
    QVERIFY(!panel.isAttached());
    QVERIFY(panel.problemText().contains(QStringLiteral("The database file is locked.")));
    QVERIFY(QApplication::activeModalWidget() == nullptr);
    auto *retry = panel.findChild<QPushButton *>(QStringLiteral("boardRetry"));
    QVERIFY(retry && retry->isVisible());
    store::Store *store = m_store.get();
    panel.setStoreOpener([&calls, store]() -> Result<store::Store *> {
        ++calls;
        return store;
    });
    retry->click();
    QCOMPARE(calls, 2);
    QVERIFY(panel.isAttached());
    QVERIFY(panel.problemText().isEmpty());
    QCOMPARE(panel.table()->model()->rowCount(), 30);
}

QTEST_MAIN(tst_BoardPanel)
#include "tst_boardpanel.moc"
