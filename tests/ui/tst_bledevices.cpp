// The Devices page with Bluetooth LE, offscreen: the demo composition with
// simulated peripherals whose adapter starts switched off. The trouble banner
// appears (serial devices keep working), hides when the adapter is fixed and
// comes back when it breaks again; BLE rows show their transport and signal;
// a Wi-Fi write to a device that needs its button waits for it, visibly.

#include "app/onboarding/deviceregistry.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/ble/simulatedimprovperipheral.h"
#include "app/simulator/simulatorhost.h"
#include "models/devicemodel.h"
#include "ui/devicedetailpanel.h"
#include "ui/devicespanel.h"
#include "ui/mainwindow.h"
#include "ui/signalbarsdelegate.h"
#include "ui/workbench.h"
#include "ui/writecredentialsdialog.h"

#include <QApplication>
#include <QComboBox>
#include <QFrame>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTest>

using namespace provbench;

namespace {

constexpr int kWaitMs = 15000;
const QString kNeedsButton = QStringLiteral("C4:DE:E2:10:4A:01");
const QString kZephyr = QStringLiteral("F1:0B:5E:7A:22:03");
const QString kSsid = QStringLiteral("ProvBench-Lab");
const QString kPassword = QStringLiteral("correct-horse-42");

} // namespace

class tst_BleDevices : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void adapterProblem_bannerShowsAndHides_serialKeepsWorking();
    void bleRows_showTransportAndSignal_filtersApply();
    void writeWifi_waitsForTheButtonVisibly();
    void writeCredentials_overSmpBle_everyItemVerified();

private:
    template<typename T> T *child(const char *name) const
    {
        return m_window->findChild<T *>(QString::fromLatin1(name));
    }
    QModelIndex rowOf(const QString &id) const
    {
        const QAbstractItemModel *model = m_table->model();
        for (int row = 0; row < model->rowCount(); ++row) {
            const QModelIndex index = model->index(row, 0);
            if (index.data(DeviceModel::IdRole).toString() == id)
                return index;
        }
        return {};
    }
    int bleRows() const
    {
        int n = 0;
        for (int row = 0; row < m_table->model()->rowCount(); ++row) {
            if (m_table->model()->index(row, 0).data(DeviceModel::TransportRole).toInt()
                == int(Transport::Ble))
                ++n;
        }
        return n;
    }

    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<MainWindow> m_window;
    QTableView *m_table = nullptr;
    QFrame *m_banner = nullptr;
};

void tst_BleDevices::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("ProvBenchTest"));
    QApplication::setApplicationName(QStringLiteral("ProvBench"));

    Workbench::Options options;
    options.demoCount = 1;
    options.simLatencyMs = 5;
    options.simConnectMs = 150;
    options.demoBle = true;
    options.demoBleProblem = ble::AdapterProblem::AdapterOff;
    options.bleAdvertisingMs = 100;
    m_workbench = std::make_unique<Workbench>();
    const Result<void> started = m_workbench->start(options);
    QVERIFY2(started, started ? "" : qPrintable(started.error().message));
    QVERIFY(m_workbench->simulatedBle());
    QCOMPARE(m_workbench->demoBleCount(), 3);

    m_window = std::make_unique<MainWindow>(m_workbench.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_table = child<QTableView>("deviceTable");
    m_banner = child<QFrame>("bleBanner");
    QVERIFY(m_table && m_banner);
    QVERIFY(child<QLabel>("demoBanner")->text().contains(u"3 simulated Bluetooth LE devices"));
}

void tst_BleDevices::cleanupTestCase()
{
    m_window.reset();
    m_workbench.reset();
}

void tst_BleDevices::adapterProblem_bannerShowsAndHides_serialKeepsWorking()
{
    // Off from the start: the banner says so and what to do, no modal in sight.
    QTRY_VERIFY_WITH_TIMEOUT(m_banner->isVisible(), kWaitMs);
    const QString text = child<QLabel>("bleBannerText")->text();
    QVERIFY2(text.contains(u"switched off") && text.contains(u"bluetoothctl power on"),
        qPrintable(text));
    QCOMPARE(text, m_window->devicesPanel()->bleBannerText());
    QVERIFY(!QApplication::activeModalWidget());
    QCOMPARE(bleRows(), 0);

    // Serial devices are found and identified meanwhile.
    const QString port = m_workbench->simulator()->device(0)->portPath();
    QTRY_COMPARE_WITH_TIMEOUT(rowOf(port).data(DeviceModel::StateRole).toInt(),
        int(OnboardingState::Identified), kWaitMs);

    // Fixed: the banner goes and the BLE devices come.
    m_workbench->simulatedBle()->setAdapterStatus({});
    QTRY_VERIFY_WITH_TIMEOUT(!m_banner->isVisible(), kWaitMs);
    QTRY_COMPARE_WITH_TIMEOUT(bleRows(), 3, kWaitMs);

    // Broken again: the banner is back, the rows stay as last heard.
    m_workbench->simulatedBle()->setAdapterStatus(
        ble::AdapterStatus{ble::AdapterProblem::NoPermission, {}, {}});
    QTRY_VERIFY_WITH_TIMEOUT(m_banner->isVisible(), kWaitMs);
    QVERIFY(child<QLabel>("bleBannerText")->text().contains(u"bluetooth` group"));
    QCOMPARE(bleRows(), 3);

    // "Try again" is there for a stack that does not recover by itself.
    auto *retry = child<QPushButton>("bleRetryButton");
    QVERIFY(retry && retry->isVisible());
    m_workbench->simulatedBle()->setAdapterStatus({});
    QTest::mouseClick(retry, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!m_banner->isVisible(), kWaitMs);
}

void tst_BleDevices::bleRows_showTransportAndSignal_filtersApply()
{
    QTRY_COMPARE_WITH_TIMEOUT(bleRows(), 3, kWaitMs);
    const QModelIndex plug = rowOf(QStringLiteral("ble:") + kNeedsButton);
    QVERIFY(plug.isValid());
    QCOMPARE(plug.siblingAtColumn(DeviceModel::Transport).data().toString(), QStringLiteral("BLE"));
    QTRY_VERIFY_WITH_TIMEOUT(
        plug.siblingAtColumn(DeviceModel::Signal).data().toString().endsWith(QLatin1String("dBm")),
        kWaitMs);
    QVERIFY(
        qobject_cast<SignalBarsDelegate *>(m_table->itemDelegateForColumn(DeviceModel::Signal)));
    QVERIFY(!m_table->isColumnHidden(DeviceModel::Transport));
    QVERIFY(!m_table->isColumnHidden(DeviceModel::Signal));
    QVERIFY(m_table->columnWidth(DeviceModel::Signal) > 60);

    auto *transport = child<QComboBox>("transportFilter");
    transport->setCurrentIndex(transport->findText(QStringLiteral("BLE")));
    QCOMPARE(m_table->model()->rowCount(), 3);
    transport->setCurrentIndex(0);
    auto *signal = child<QComboBox>("minSignalFilter");
    QVERIFY(signal->count() >= 4);
    signal->setCurrentIndex(signal->count() - 1); // >= -90 dBm
    QVERIFY(m_table->model()->rowCount() >= 2);
    signal->setCurrentIndex(0);
    QCOMPARE(m_table->model()->rowCount(), 4);
}

void tst_BleDevices::writeWifi_waitsForTheButtonVisibly()
{
    auto *peripheral = qobject_cast<sim::SimulatedImprovPeripheral *>(
        m_workbench->simulatedBle()->peripheral(kNeedsButton));
    QVERIFY(peripheral);
    m_window->devicesPanel()->selectDevice(QStringLiteral("ble:") + kNeedsButton);
    DeviceSession *session = m_window->detailPanel()->session();
    QVERIFY(session && session->record().isBle());

    auto *hint = child<QLabel>("authorizationHint");
    QTRY_VERIFY(hint->isVisible()); // the advertisement says it needs the button
    QCOMPARE(child<QLabel>("field_port")->text().left(17), kNeedsButton);
    QVERIFY(!child<QLineEdit>("hostnameEdit")->isVisible()); // no names over BLE
    QVERIFY(child<QPushButton>("scanButton")->isVisible());

    auto *button = child<QPushButton>("writeWifiButton");
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), kWaitMs);
    auto *ssid = child<QLineEdit>("ssidEdit");
    ssid->clear();
    QTest::keyClicks(ssid, kSsid);
    QTest::keyClicks(child<QLineEdit>("passwordEdit"), kPassword);
    QTest::mouseClick(button, Qt::LeftButton);

    QTRY_VERIFY_WITH_TIMEOUT(session->record().activity.contains(u"press the button"), kWaitMs);
    QVERIFY(hint->isVisible());
    QVERIFY2(hint->text().contains(u"as soon as it is pressed"), qPrintable(hint->text()));
    const QString screenshot = qEnvironmentVariable("PROVBENCH_SCREENSHOT");
    if (!screenshot.isEmpty())
        QVERIFY(m_window->grab().save(screenshot));

    peripheral->pressButton();
    QTRY_COMPARE_WITH_TIMEOUT(session->record().state, OnboardingState::Provisioned, kWaitMs);
    QTRY_VERIFY(!hint->isVisible());
    auto *result = child<QLabel>("resultLabel");
    QTRY_VERIFY(result->isVisible());
    QVERIFY2(result->text().contains(kSsid), qPrintable(result->text()));
    QCOMPARE(peripheral->connectedSsid(), kSsid);
}

void tst_BleDevices::writeCredentials_overSmpBle_everyItemVerified()
{
    DeviceSession *session = m_workbench->registry()->find(QStringLiteral("ble:") + kZephyr);
    QVERIFY(session);
    WriteCredentialsDialog dialog(session, m_workbench->profiles());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.windowTitle().contains(u"zephyr-ble-sensor"));
    auto *profile = dialog.findChild<QComboBox *>(QStringLiteral("profileCombo"));
    const int index = profile->findData(QStringLiteral("small-office-shared-psk"));
    QVERIFY(index >= 0);
    profile->setCurrentIndex(index);

    QSignalSpy done(&dialog, &WriteCredentialsDialog::credentialsWritten);
    QTest::mouseClick(
        dialog.findChild<QPushButton *>(QStringLiteral("startButton")), Qt::LeftButton);
    QVERIFY(done.wait(kWaitMs));
    QVERIFY2(done.first().at(0).toBool(), qPrintable(done.first().at(1).toString()));
    const QString status = dialog.findChild<QLabel *>(QStringLiteral("statusLabel"))->text();
    QVERIFY2(status.contains(u"MCUmgr SMP"), qPrintable(status));
    auto *items = dialog.findChild<QTableWidget *>(QStringLiteral("itemsTable"));
    QVERIFY(items->rowCount() > 0);
    for (int row = 0; row < items->rowCount(); ++row)
        QCOMPARE(items->item(row, WriteCredentialsDialog::StateColumn)->text(),
            QStringLiteral("verified"));

    // Closing hands the device back; the session identifies it again.
    QTest::mouseClick(
        dialog.findChild<QPushButton *>(QStringLiteral("closeButton")), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(session->record().state, OnboardingState::Identified, kWaitMs);
    QCOMPARE(session->record().protocols, QStringList{QString(kSmpBleLabel)});
}

QTEST_MAIN(tst_BleDevices)
#include "tst_bledevices.moc"
