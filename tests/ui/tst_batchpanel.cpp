// The Batch page of the real main window, offscreen, over a simulated batch
// of 21 mixed devices behind ptys: 7 Improv (ESP32/ESP8266), 7 MCUmgr SMP
// (Zephyr) and 7 nRF91 modems. The workspace has the sample profiles, a
// Wi-Fi-only profile for the demo network, a vault (handed in through
// VaultPrompt, no dialog) and a CA. A CSV lists every device by what it says
// about itself (Improv device name, SMP node name, IMEI); one Improv device's
// row names a profile with the wrong Wi-Fi passphrase, the one injected
// failure. The test drives the page like a user (import the CSV, set
// Parallel, click Start), waits until the batch is idle with every expected
// device settled, and checks the page's table, the Board page (pipeline and
// failure breakdown) and the audit log (each done device verified once).
// Set PROVBENCH_SCREENSHOT=<file.png> to save a picture of the page.

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/deviceregistry.h"
#include "app/onboarding/journey/board.h"
#include "app/profiles/profilelibrary.h"
#include "app/simulator/simulatedmodem.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/simulator/simulatorhost.h"
#include "app/storage/store/store.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"
#include "app/transport/serialdiscovery.h"
#include "models/batchentrymodel.h"
#include "models/failurebreakdownmodel.h"
#include "models/stagecountsmodel.h"
#include "ui/batchcontroller.h"
#include "ui/batchpanel.h"
#include "ui/boardpanel.h"
#include "ui/mainwindow.h"
#include "ui/vaultprompt.h"
#include "ui/workbench.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QSaveFile>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace provbench;
using journey::Stage;
using onboarding::batch::BatchEntry;

namespace {

constexpr int kPerKind = 7;
constexpr int kBatchTimeoutMs = 120000;
const QString kWifiProfile = QStringLiteral("lab-wifi");
const QString kWrongProfile = QStringLiteral("lab-wifi-wrong-passphrase");
const QString kCertProfile = QStringLiteral("bench-certificate-per-device");

// A Wi-Fi-only static profile for the simulated lab network, as a user would
// write it (the sample profiles' format).
QByteArray wifiProfileJson(const QString &name, const QString &passphrase)
{
    return QStringLiteral(R"({
    "schema": "provbench.profile/1",
    "kind": "static",
    "name": "%1",
    "description": "Lab sensors on the bench Wi-Fi; nothing else is written.",
    "site": "lab",
    "network": {
        "wifi": {
            "ssid": "ProvBench-Lab",
            "security": "wpa2-psk",
            "passphrase": "%2",
            "hidden": false
        },
        "ip": { "mode": "dhcp" }
    },
    "credentials": { "type": "none" }
}
)")
        .arg(name, passphrase)
        .toUtf8();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QSaveFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size() && file.commit();
}

} // namespace

class tst_BatchPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void csvWithProblems_listsThemWithLineAndColumn_andRefusesToStart();
    void mixedBatchOf21_twentyDoneOneFailedWithItsReason_onThePageAndTheBoard();
    void closingDuringABatch_asks_cancelKeepsItFinishClosesOnceIdle();

private:
    // Clicks the button of the close-during-batch question with `role` once it shows.
    void answerCloseQuestion(QMessageBox::ButtonRole role);
    int boardCount(Stage stage) const
    {
        return m_window->boardPanel()
            ->countsModel()
            ->index(int(stage), 0)
            .data(StageCountsModel::CountRole)
            .toInt();
    }
    bool batchSettled() const;

    QTemporaryDir m_wsDir;
    QTemporaryDir m_simDir;
    QTemporaryDir m_csvDir;
    std::optional<Workspace> m_ws;
    std::unique_ptr<sim::SimulatorHost> m_sim;
    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<MainWindow> m_window;
    QList<journey::ExpectedDevice> m_expected;
    QString m_failingDevice;
};

void tst_BatchPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    // Settings of its own: closing the window saves them (the page shown,
    // ...), and other UI tests must not start on this test's page.
    QApplication::setOrganizationName(QStringLiteral("ProvBenchTest"));
    QApplication::setApplicationName(QStringLiteral("ProvBench-tst_batchpanel"));
    QSettings().clear();
    QVERIFY(m_wsDir.isValid() && m_simDir.isValid() && m_csvDir.isValid());

    // The workspace: sample profiles, two Wi-Fi profiles, a vault and a CA.
    auto ws = Workspace::open(m_wsDir.path());
    QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().message));
    m_ws = *ws;
    {
        profiles::ProfileLibrary library(*m_ws);
        QVERIFY(library.installSamples());
    }
    const QDir profilesDir(QDir(m_wsDir.path()).filePath(QStringLiteral("profiles")));
    QVERIFY(writeFile(profilesDir.filePath(kWifiProfile + QStringLiteral(".json")),
        wifiProfileJson(QStringLiteral("Lab Wi-Fi"), QStringLiteral("correct-horse-42"))));
    QVERIFY(writeFile(profilesDir.filePath(kWrongProfile + QStringLiteral(".json")),
        wifiProfileJson(
            QStringLiteral("Lab Wi-Fi (wrong passphrase)"), QStringLiteral("wrong-horse-99"))));
    auto vault = Vault::create(*m_ws, "a test passphrase, long enough");
    QVERIFY2(vault, qPrintable(vault ? QString() : vault.error().message));
    auto ca = crypto::CertificateAuthority::createRoot(*m_ws, *vault, crypto::CaOptions());
    QVERIFY2(ca, qPrintable(ca ? QString() : ca.error().message));
    VaultPrompt::remember(std::move(*vault));

    // 21 simulated devices, fast and quiet, and the CSV that expects them.
    QList<sim::SimulatedSerialDevice *> devices;
    for (int i = 0; i < kPerKind; ++i) {
        sim::SimDeviceConfig c = sim::demoConfig(i);
        c.latencyMs = 2;
        c.connectMs = 100;
        c.logNoise = false;
        devices << new sim::SimulatedImprovDevice(c);
        // The one injected failure: a passphrase the lab network refuses.
        const QString profile = i == 3 ? kWrongProfile : kWifiProfile;
        if (i == 3)
            m_failingDevice = c.deviceName;
        m_expected << journey::ExpectedDevice{
            c.deviceName, QStringLiteral("lab"), c.deviceName, profile};
    }
    for (int i = 0, index = 0; i < kPerKind; ++i, ++index) {
        // Every third demo SMP device is a legacy firmware without OS info:
        // it cannot tell its name, so a CSV cannot list it. Those are left out.
        if (index % 3 == 2)
            ++index;
        sim::SmpDeviceConfig c = sim::demoSmpConfig(index);
        c.latencyMs = 2;
        c.logNoise = false;
        devices << new sim::SimulatedSmpDevice(c);
        m_expected << journey::ExpectedDevice{c.name, QStringLiteral("plant-2"),
            QStringLiteral("Gateway %1").arg(i + 1), kCertProfile};
    }
    for (int i = 0; i < kPerKind; ++i) {
        sim::ModemConfig c = sim::demoModemConfig(i);
        c.latencyMs = 2;
        c.logNoise = false;
        devices << new sim::SimulatedModem(c);
        m_expected << journey::ExpectedDevice{
            c.imei, QStringLiteral("field"), QStringLiteral("Tracker %1").arg(i + 1), kCertProfile};
    }
    m_sim = std::make_unique<sim::SimulatorHost>();
    auto started = m_sim->start(m_simDir.path(), devices);
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));

    Workbench::Options options;
    options.demoCount = 0;
    options.includeSystemPorts = false;
    options.watchDirs = {m_simDir.path()};
    options.ble = false;
    options.workspacePath = m_wsDir.path();
    m_workbench = std::make_unique<Workbench>();
    auto wb = m_workbench->start(options);
    QVERIFY2(wb, qPrintable(wb ? QString() : wb.error().message));
    for (const QString &id : {kWifiProfile, kWrongProfile, kCertProfile}) {
        auto p = m_workbench->profiles()->resolve(id);
        QVERIFY2(p, qPrintable(p ? QString() : p.error().message));
        const profiles::Issues issues = profiles::validate(*p);
        QVERIFY2(issues.isEmpty(), qPrintable(profiles::describe(issues)));
    }

    m_window = std::make_unique<MainWindow>(m_workbench.get());
    m_window->resize(1360, 840);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QTRY_COMPARE_WITH_TIMEOUT(m_workbench->discovery()->ports().size(), 3 * kPerKind, 10000);
}

void tst_BatchPanel::cleanupTestCase()
{
    if (const QByteArray shot = qgetenv("PROVBENCH_SCREENSHOT"); !shot.isEmpty() && m_window) {
        m_window->showPage(QStringLiteral("batch"));
        QTest::qWait(200);
        m_window->grab().save(QString::fromLocal8Bit(shot));
    }
    m_window.reset();
    QSettings().clear();
    m_workbench.reset();
    m_sim.reset();
    if (m_ws)
        VaultPrompt::forget(m_ws->path());
}

void tst_BatchPanel::csvWithProblems_listsThemWithLineAndColumn_andRefusesToStart()
{
    QVERIFY(m_window->showPage(QStringLiteral("batch")));
    auto *pages = m_window->findChild<QTabWidget *>(QStringLiteral("pages"));
    QCOMPARE(pages->tabText(pages->currentIndex()), QStringLiteral("Batch"));
    BatchPanel *panel = m_window->batchPanel();

    const QString bad = m_csvDir.filePath(QStringLiteral("bad.csv"));
    QVERIFY(writeFile(bad,
        "serial number,site,name,profile\r\n"
        "SN-1,lab,one,lab-wifi\r\n"
        "SN-1,lab,again,lab-wifi\r\n"
        "SN-3,lab,three,no-such-profile\r\n"));
    QVERIFY(!panel->importCsv(bad));
    QListWidget *problems = panel->problemsList();
    QVERIFY(problems->isVisible());
    QCOMPARE(problems->count(), 2);
    QVERIFY2(problems->item(0)->text().startsWith(QLatin1String("line 3, column 1")),
        qPrintable(problems->item(0)->text()));
    QVERIFY2(problems->item(1)->text().startsWith(QLatin1String("line 4, column 4")),
        qPrintable(problems->item(1)->text()));
    QVERIFY(!panel->startButton()->isEnabled());
    QVERIFY(!panel->startBatch());
    QVERIFY(!panel->errorText().isEmpty());
    QVERIFY(!panel->controller()->runner());

    panel->clearCsv();
    QVERIFY(!problems->isVisibleTo(panel));
    // Neither a CSV nor a default profile: nothing to start with.
    QVERIFY(!panel->startButton()->isEnabled());
}

bool tst_BatchPanel::batchSettled() const
{
    const auto *runner = m_window->batchPanel()->controller()->runner();
    if (!runner || !runner->isIdle() || runner->entries().size() < 3 * kPerKind)
        return false;
    for (const BatchEntry &e : runner->entries())
        if (!e.isSettled())
            return false;
    return runner->summary().notSeen.isEmpty();
}

void tst_BatchPanel::mixedBatchOf21_twentyDoneOneFailedWithItsReason_onThePageAndTheBoard()
{
    QElapsedTimer clock;
    clock.start();
    // The board follows the store live from before the batch starts.
    QVERIFY(m_window->showPage(QStringLiteral("board")));
    QTRY_VERIFY(m_window->boardPanel()->isAttached());
    QVERIFY(m_window->showPage(QStringLiteral("batch")));
    BatchPanel *panel = m_window->batchPanel();

    const QString csv = m_csvDir.filePath(QStringLiteral("expected.csv"));
    QVERIFY(writeFile(csv, journey::writeExpectedDevices(m_expected)));
    QVERIFY(panel->importCsv(csv));
    QVERIFY(!panel->problemsList()->isVisible());
    QCOMPARE(panel->notSeenList()->count(), 3 * kPerKind);
    panel->parallelSpin()->setValue(8);
    QVERIFY(panel->startButton()->isEnabled());
    // The Devices page may still be identifying some of them on its own: the
    // batch takes those when it is done with them.
    int busy = 0;
    for (int row = 0; row < m_workbench->registry()->count(); ++row)
        busy += m_workbench->registry()->at(row)->isBusy() ? 1 : 0;
    qInfo("%d device(s) busy on the Devices page at Start", busy);
    QTest::mouseClick(panel->startButton(), Qt::LeftButton);
    QVERIFY2(panel->errorText().isEmpty(), qPrintable(panel->errorText()));
    QVERIFY(panel->controller()->isRunning());
    QVERIFY(panel->stopButton()->isEnabled());
    QVERIFY(!panel->startButton()->isEnabled());

    QTRY_VERIFY_WITH_TIMEOUT(batchSettled(), kBatchTimeoutMs);
    qInfo("batch of %d devices settled after %lld ms", 3 * kPerKind, clock.elapsed());

    // The page: 20 done, 1 failed with its reason, nothing else.
    BatchEntryModel *model = panel->model();
    QCOMPARE(model->rowCount(), 3 * kPerKind);
    int done = 0;
    QString failedDevice, failedMessage;
    int failedRow = -1;
    for (int row = 0; row < model->rowCount(); ++row) {
        const auto status
            = BatchEntry::Status(model->index(row, 0).data(BatchEntryModel::StatusRole).toInt());
        const QString device = model->index(row, BatchEntryModel::DeviceColumn).data().toString();
        const QString message = model->index(row, BatchEntryModel::MessageColumn).data().toString();
        if (status == BatchEntry::Status::Done) {
            ++done;
        } else {
            QCOMPARE(status, BatchEntry::Status::Failed);
            QVERIFY2(failedDevice.isEmpty(), qPrintable(device + u": " + message));
            failedDevice = device;
            failedMessage = message;
            failedRow = row;
            QCOMPARE(model->index(row, BatchEntryModel::StatusColumn).data().toString(),
                QStringLiteral("Failed"));
            QCOMPARE(
                model->index(row, BatchEntryModel::ProfileColumn).data().toString(), kWrongProfile);
        }
    }
    QCOMPARE(done, 3 * kPerKind - 1);
    QCOMPARE(failedDevice, m_failingDevice);
    qInfo("the failed device says: %s", qPrintable(failedMessage));
    const QString refused = QStringLiteral("could not join \"ProvBench-Lab\"");
    QVERIFY2(failedMessage.contains(refused), qPrintable(failedMessage));
    QCOMPARE(
        model->index(failedRow, BatchEntryModel::StatusColumn).data(Qt::ToolTipRole).toString(),
        failedMessage);
    QVERIFY2(
        panel->summaryText().startsWith(QLatin1String("Idle")), qPrintable(panel->summaryText()));
    QVERIFY2(
        panel->summaryText().contains(QLatin1String("20 done")), qPrintable(panel->summaryText()));
    QVERIFY2(
        panel->summaryText().contains(QLatin1String("1 failed")), qPrintable(panel->summaryText()));
    QCOMPARE(panel->notSeenList()->count(), 0);

    // The board: 20 onboarded, 1 failed, no placeholder left behind, and
    // the failure breakdown names the reason and the device.
    QVERIFY(m_window->showPage(QStringLiteral("board")));
    QTRY_COMPARE_WITH_TIMEOUT(boardCount(Stage::Onboarded), 3 * kPerKind - 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(boardCount(Stage::Failed), 1, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(m_window->boardPanel()->countsModel()->total(), 3 * kPerKind, 5000);
    auto *failures = m_window->boardPanel()->findChild<FailureBreakdownModel *>();
    QVERIFY(failures);
    QTRY_COMPARE_WITH_TIMEOUT(failures->rowCount(), 1, 5000);
    const QModelIndex reason = failures->index(0, FailureBreakdownModel::ReasonColumn);
    QCOMPARE(reason.data(FailureBreakdownModel::DeviceIdsRole).toStringList(),
        QStringList{m_failingDevice});
    const QString reasonText = reason.data(FailureBreakdownModel::ReasonRole).toString();
    qInfo("the board's failure reason: %s", qPrintable(reasonText));
    QVERIFY2(reasonText.contains(refused) && failedMessage.contains(reasonText),
        qPrintable(reasonText + u" / " + failedMessage));

    // The audit log: every done device verified exactly once, the failed one never.
    store::AuditFilter filter;
    filter.kind = QStringLiteral("intent.verify");
    auto verifies = m_workbench->store()->audit().records(filter);
    QVERIFY(verifies);
    QHash<QString, int> perDevice;
    for (const auto &r : std::as_const(*verifies))
        ++perDevice[r.deviceId];
    for (const auto &x : std::as_const(m_expected))
        QCOMPARE(perDevice.value(x.serialNumber), x.serialNumber == m_failingDevice ? 0 : 1);
    QCOMPARE(perDevice.size(), 3 * kPerKind - 1);

    // Stop: no new devices; the page says so and Start is offered again.
    QVERIFY(m_window->showPage(QStringLiteral("batch")));
    QTest::mouseClick(panel->stopButton(), Qt::LeftButton);
    QVERIFY(!panel->controller()->isRunning());
    QTRY_VERIFY(panel->summaryText().startsWith(QLatin1String("Stopped")));
    QVERIFY(panel->startButton()->isEnabled());
    QVERIFY(m_workbench->registry()->autoIdentify());
    qInfo("whole test case: %lld ms", clock.elapsed());
}

void tst_BatchPanel::answerCloseQuestion(QMessageBox::ButtonRole role)
{
    QTimer::singleShot(0, this, [role] {
        QTRY_VERIFY(qobject_cast<QMessageBox *>(QApplication::activeModalWidget()));
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QCOMPARE(box->objectName(), QStringLiteral("closeDuringBatchBox"));
        for (QAbstractButton *b : box->buttons())
            if (box->buttonRole(b) == role)
                return b->click();
        QFAIL("the question lacks that answer");
    });
}

void tst_BatchPanel::closingDuringABatch_asks_cancelKeepsItFinishClosesOnceIdle()
{
    // The same devices again: each is identified (in progress) and skipped.
    QVERIFY(m_window->showPage(QStringLiteral("batch")));
    BatchPanel *panel = m_window->batchPanel();
    QVERIFY(panel->startButton()->isEnabled());
    QTest::mouseClick(panel->startButton(), Qt::LeftButton);
    auto anyActive = [panel] {
        const auto *runner = panel->controller()->runner();
        if (!runner)
            return false;
        for (const BatchEntry &e : runner->entries())
            if (e.isActive())
                return true;
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(anyActive(), 20000);

    answerCloseQuestion(QMessageBox::RejectRole); // Cancel
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
    QVERIFY(panel->controller()->isRunning());

    QTRY_VERIFY_WITH_TIMEOUT(anyActive(), 20000);
    answerCloseQuestion(QMessageBox::AcceptRole); // Finish them, then close
    QVERIFY(!m_window->close());
    QVERIFY(!panel->controller()->isRunning()); // stopped: no new devices
    QTRY_VERIFY_WITH_TIMEOUT(!m_window->isVisible(), 60000);
    const auto *runner = panel->controller()->runner();
    QVERIFY(runner->isIdle());
    for (const BatchEntry &e : runner->entries())
        QVERIFY2(e.status != BatchEntry::Status::Done, qPrintable(e.deviceId)); // all done before
    auto store = m_workbench->openStore();
    QVERIFY(store);
    QCOMPARE((*store)->audit().openIntents()->size(), 0);
}

QTEST_MAIN(tst_BatchPanel)
#include "tst_batchpanel.moc"
