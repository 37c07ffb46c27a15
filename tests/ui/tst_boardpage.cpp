// The Board page of the real main window over the demo composition: the
// demo's workspace store (temporary, never the user's) is read when the page
// is first shown, the devices the registry finds are
// recorded as they are discovered, identified and written, and the board
// follows them live.

#include "app/onboarding/deviceregistry.h"
#include "app/onboarding/journey/board.h"
#include "app/storage/store/store.h"
#include "app/storage/workspace.h"
#include "models/boarddevicemodel.h"
#include "models/stagecountsmodel.h"
#include "ui/boardpanel.h"
#include "ui/devicespanel.h"
#include "ui/mainwindow.h"
#include "ui/workbench.h"

#include <QApplication>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTreeWidget>

using namespace provbench;
using journey::Stage;

namespace {
constexpr int kWaitMs = 15000;
const QString kSsid = QStringLiteral("ProvBench-Lab");
} // namespace

class tst_BoardPage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void firstShow_opensTheDemoWorkspaceStoreAndListsTheDevices();
    void writes_onboardOrFailWithTheDevicesReason();
    void doubleClick_showsTheDeviceOnTheDevicesPage();

private:
    int count(Stage stage) const
    {
        return m_window->boardPanel()
            ->countsModel()
            ->index(int(stage), 0)
            .data(StageCountsModel::CountRole)
            .toInt();
    }

    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<MainWindow> m_window;
};

void tst_BoardPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("ProvBenchTest"));
    QApplication::setApplicationName(QStringLiteral("ProvBench"));

    Workbench::Options options;
    options.demoCount = 3;
    options.simLatencyMs = 5;
    options.simConnectMs = 150;
    m_workbench = std::make_unique<Workbench>();
    const Result<void> started = m_workbench->start(options);
    QVERIFY2(started, started ? "" : qPrintable(started.error().message));
    m_window = std::make_unique<MainWindow>(m_workbench.get());
    m_window->resize(1280, 820);
    m_window->showPage(MainWindow::Page::Devices);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_workbench->registry()->count(), 3, kWaitMs);
}

void tst_BoardPage::cleanupTestCase()
{
    m_window.reset();
    m_workbench.reset();
}

void tst_BoardPage::firstShow_opensTheDemoWorkspaceStoreAndListsTheDevices()
{
    // The demo records from the start; the page reads it when first shown.
    QVERIFY(m_workbench->store());
    QVERIFY(!m_window->boardPanel()->isAttached());
    QVERIFY(m_window->showPage(QStringLiteral("board")));
    auto *pages = m_window->findChild<QTabWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->tabText(pages->currentIndex()), QStringLiteral("Board"));
    QTRY_VERIFY(m_window->boardPanel()->isAttached());
    QVERIFY(m_workbench->store());
    QVERIFY(m_workbench->workspacePath() != Workspace::defaultPath());
    QVERIFY(m_window->boardPanel()->problemText().isEmpty());

    QTRY_COMPARE_WITH_TIMEOUT(m_window->boardPanel()->countsModel()->total(), 3, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(count(Stage::Identified), 3, kWaitMs);
    QCOMPARE(m_window->boardPanel()->table()->model()->rowCount(), 3);
}

void tst_BoardPage::writes_onboardOrFailWithTheDevicesReason()
{
    DeviceRegistry *registry = m_workbench->registry();
    const QString good = registry->at(0)->record().id;
    const QString bad = registry->at(1)->record().id;
    registry->at(0)->provisionWifi(kSsid, QStringLiteral("correct-horse-42"));
    registry->at(1)->provisionWifi(kSsid, QStringLiteral("wrong-horse-99"));
    QTRY_COMPARE_WITH_TIMEOUT(count(Stage::Onboarded), 1, kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(count(Stage::Failed), 1, kWaitMs);
    QCOMPARE(count(Stage::Identified), 1);

    const journey::Board &board = m_window->boardPanel()->board();
    QCOMPARE(board.device(good)->stage(), Stage::Onboarded);
    QCOMPARE(board.device(bad)->stage(), Stage::Failed);
    QCOMPARE(board.device(bad)->failureReason(), registry->at(1)->record().failureReason);
    QCOMPARE(board.device(bad)->failureStep(), QStringLiteral("write"));

    m_window->boardPanel()->selectDevice(good);
    QTreeWidget *timeline = m_window->boardPanel()->timeline();
    QTRY_COMPARE(timeline->topLevelItemCount(), 3);
    QCOMPARE(timeline->topLevelItem(2)->text(1), QStringLiteral("outcome.write"));

    // A restarted workbench reads the same board from the store.
    journey::Board reloaded;
    QVERIFY(reloaded.load(*m_workbench->store()));
    QCOMPARE(reloaded.counts().at(Stage::Onboarded), 1);
    QCOMPARE(reloaded.counts().at(Stage::Failed), 1);
    QCOMPARE(reloaded.counts().at(Stage::Identified), 1);
}

void tst_BoardPage::doubleClick_showsTheDeviceOnTheDevicesPage()
{
    const QString id = m_workbench->registry()->at(2)->record().id;
    BoardPanel *panel = m_window->boardPanel();
    panel->selectDevice(id);
    QTableView *table = panel->table();
    const QPoint at = table->visualRect(table->currentIndex()).center();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, at);
    QTest::mouseDClick(table->viewport(), Qt::LeftButton, {}, at);
    auto *pages = m_window->findChild<QTabWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->currentIndex(), int(MainWindow::Page::Devices));
    QCOMPARE(m_window->devicesPanel()->currentDeviceId(), id);
}

QTEST_MAIN(tst_BoardPage)
#include "tst_boardpage.moc"
