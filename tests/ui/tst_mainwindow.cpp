// The main window as a user drives it: the demo composition (Workbench with
// simulated devices, sped up), real clicks on the real widgets found by
// objectName. Set PROVBENCH_SCREENSHOT=<file.png> to save a picture of the
// window at the end (used for docs/images/main-window.png).

#include "app/onboarding/deviceregistry.h"
#include "app/profiles/profilelibrary.h"
#include "app/simulator/simulatorhost.h"
#include "models/devicemodel.h"
#include "models/tracemodel.h"
#include "ui/devicedetailpanel.h"
#include "ui/mainwindow.h"
#include "ui/profileeditor.h"
#include "ui/profilespanel.h"
#include "ui/tracepanel.h"
#include "ui/workbench.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

using namespace provbench;

namespace {

constexpr int kWaitMs = 15000;
const QString kSsid = QStringLiteral("ProvBench-Lab");
const QString kPassword = QStringLiteral("correct-horse-42");
const QString kWrongPassword = QStringLiteral("wrong-horse-99");

QString hexOf(const QString &text, const char *separator)
{
    return QString::fromLatin1(text.toUtf8().toHex(*separator));
}

} // namespace

class tst_MainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void writeWifi_provisionsThenWrongPasswordFailsClearly();
    void profilePreview_showsDevicesAndTheirCollisions();

private:
    template<typename T> T *child(const char *name) const
    {
        T *w = m_window->findChild<T *>(QString::fromLatin1(name));
        if (!w)
            qWarning("no widget named %s", name);
        return w;
    }
    QModelIndex rowOf(const QString &id) const;
    int stateOf(const QString &id) const { return rowOf(id).data(DeviceModel::StateRole).toInt(); }
    void clickRow(const QString &id);
    void writeWifi(const QString &ssid, const QString &password);
    QString traceText() const;

    std::unique_ptr<Workbench> m_workbench;
    std::unique_ptr<MainWindow> m_window;
    QTableView *m_table = nullptr;
};

void tst_MainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication::setOrganizationName(QStringLiteral("ProvBenchTest"));
    QApplication::setApplicationName(QStringLiteral("ProvBench")); // names the demo folder

    Workbench::Options options;
    options.demoCount = 3;
    options.simLatencyMs = 5;
    options.simConnectMs = 150;
    m_workbench = std::make_unique<Workbench>();
    const Result<void> started = m_workbench->start(options);
    QVERIFY2(started, started ? "" : qPrintable(started.error().message));
    QVERIFY(m_workbench->isDemo());

    m_window = std::make_unique<MainWindow>(m_workbench.get());
    m_window->resize(1280, 820);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_table = child<QTableView>("deviceTable");
    QVERIFY(m_table);
    QVERIFY(child<QLabel>("demoBanner")->text().contains(kSsid));
}

void tst_MainWindow::cleanupTestCase()
{
    m_window.reset();
    m_workbench.reset();
}

QModelIndex tst_MainWindow::rowOf(const QString &id) const
{
    const QAbstractItemModel *model = m_table->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(DeviceModel::IdRole).toString() == id)
            return index;
    }
    return {};
}

void tst_MainWindow::clickRow(const QString &id)
{
    const QModelIndex index = rowOf(id);
    QVERIFY(index.isValid());
    m_table->scrollTo(index);
    QTest::mouseClick(m_table->viewport(), Qt::LeftButton, {},
        m_table->visualRect(index.siblingAtColumn(DeviceModel::Identity)).center());
    QTRY_COMPARE(m_window->detailPanel()->session(), m_workbench->registry()->find(id));
}

void tst_MainWindow::writeWifi(const QString &ssid, const QString &password)
{
    auto *ssidEdit = child<QLineEdit>("ssidEdit");
    auto *passwordEdit = child<QLineEdit>("passwordEdit");
    auto *button = child<QPushButton>("writeWifiButton");
    QVERIFY(ssidEdit && passwordEdit && button);
    QCOMPARE(passwordEdit->echoMode(), QLineEdit::Password);
    QTRY_VERIFY_WITH_TIMEOUT(button->isEnabled(), kWaitMs);
    ssidEdit->clear();
    QTest::keyClicks(ssidEdit, ssid);
    passwordEdit->clear();
    QTest::keyClicks(passwordEdit, password);
    QTest::mouseClick(button, Qt::LeftButton);
}

QString tst_MainWindow::traceText() const
{
    const TraceModel *model = m_window->tracePanel()->model();
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row)
        lines << model->lineForRow(row);
    return lines.join(QLatin1Char('\n'));
}

void tst_MainWindow::writeWifi_provisionsThenWrongPasswordFailsClearly()
{
    sim::SimulatorHost *sim = m_workbench->simulator();
    const QString first = sim->device(0)->portPath();
    const QString second = sim->device(1)->portPath();

    QTRY_COMPARE_WITH_TIMEOUT(m_table->model()->rowCount(), 3, kWaitMs);
    for (int i = 0; i < 3; ++i) {
        QTRY_COMPARE_WITH_TIMEOUT(
            stateOf(sim->device(i)->portPath()), int(OnboardingState::Identified), kWaitMs);
    }

    // Device 0: scan, pick the lab network from the list, write the right password.
    clickRow(first);
    auto *scan = child<QPushButton>("scanButton");
    auto *networks = child<QListWidget>("networkList");
    QTRY_VERIFY_WITH_TIMEOUT(scan->isEnabled(), kWaitMs);
    QTest::mouseClick(scan, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!networks->findItems(kSsid, Qt::MatchStartsWith).isEmpty(), kWaitMs);
    QListWidgetItem *lab = networks->findItems(kSsid, Qt::MatchStartsWith).constFirst();
    QTest::mouseClick(
        networks->viewport(), Qt::LeftButton, {}, networks->visualItemRect(lab).center());
    QCOMPARE(child<QLineEdit>("ssidEdit")->text(), kSsid);

    writeWifi(kSsid, kPassword);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(first), int(OnboardingState::Provisioned), kWaitMs);
    QCOMPARE(rowOf(first).siblingAtColumn(DeviceModel::State).data().toString(),
        QStringLiteral("Provisioned"));
    QCOMPARE(sim->device(0)->connectedSsid(), kSsid);
    auto *result = child<QLabel>("resultLabel");
    QTRY_VERIFY(result->isVisible());
    QVERIFY2(result->text().contains(kSsid), qPrintable(result->text()));
    QVERIFY(child<QLineEdit>("passwordEdit")->text().isEmpty()); // not kept after success
    QString trace = traceText();
    QVERIFY(!trace.isEmpty());

    // Device 1: a wrong password fails with a message that names the network and
    // says what to check.
    clickRow(second);
    QVERIFY(result->isHidden());
    writeWifi(kSsid, kWrongPassword);
    QTRY_COMPARE_WITH_TIMEOUT(stateOf(second), int(OnboardingState::Failed), kWaitMs);
    QTRY_VERIFY(result->isVisible());
    const QString message = result->text();
    QVERIFY2(message.contains(kSsid), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("password"), Qt::CaseInsensitive), qPrintable(message));
    QVERIFY2(message.contains(QLatin1String("check"), Qt::CaseInsensitive), qPrintable(message));
    QVERIFY(!rowOf(second).data(DeviceModel::FailureRole).toString().isEmpty());
    QVERIFY(rowOf(second).data(Qt::ToolTipRole).toString().contains(kSsid));
    const QString screenshot = qEnvironmentVariable("PROVBENCH_SCREENSHOT");
    if (!screenshot.isEmpty())
        QVERIFY(m_window->grab().save(
            QString(screenshot).replace(QLatin1String(".png"), QLatin1String("-failed.png"))));

    // No password reaches the trace, in text or in hex, on either device.
    trace += QLatin1Char('\n') + traceText();
    clickRow(first);
    trace += QLatin1Char('\n') + traceText() + m_window->tracePanel()->selectedText();
    QVERIFY(trace.contains(kSsid) || trace.contains(hexOf(kSsid, " ")));
    for (const QString &secret : {kPassword, kWrongPassword}) {
        QVERIFY2(!trace.contains(secret), qPrintable(secret));
        QVERIFY(!trace.contains(hexOf(secret, " "), Qt::CaseInsensitive));
        QVERIFY(!trace.contains(hexOf(secret, ""), Qt::CaseInsensitive));
    }

    if (!screenshot.isEmpty()) {
        QTest::qWait(300);
        QVERIFY(m_window->grab().save(screenshot));
    }
}

void tst_MainWindow::profilePreview_showsDevicesAndTheirCollisions()
{
    // Every demo device identified, so names are known.
    QTRY_VERIFY_WITH_TIMEOUT(m_workbench->registry()->count() == 3, 5000);
    for (int i = 0; i < 3; ++i)
        QTRY_VERIFY_WITH_TIMEOUT(m_workbench->registry()->at(i)->record().info.has_value(), 5000);

    profiles::Profile p = profiles::defaultProfile(profiles::ProfileKind::Static);
    p.name = QStringLiteral("Fixed hostname");
    p.naming.hostname = QStringLiteral("sensor");
    p.naming.deviceName = QStringLiteral("Sensor {seq}");
    auto id = m_workbench->profiles()->create(p);
    QVERIFY(id);
    auto *pages = child<QTabWidget>("pages");
    QVERIFY(pages);
    pages->setCurrentWidget(child<ProfilesPanel>("profilesPanel"));
    child<ProfilesPanel>("profilesPanel")->editor()->setProfileId(*id);

    auto *collisions = child<QLabel>("inventoryCollisions");
    QTRY_VERIFY(collisions->isVisible());
    QVERIFY2(
        collisions->text().contains(u"hostname \u201csensor\u201d for ttySIM0, ttySIM1, ttySIM2"),
        qPrintable(collisions->text()));

    // The preview for one real device uses what that device reported.
    auto *device = child<QComboBox>("previewDevice");
    QCOMPARE(device->count(), 4); // the sample and three devices
    device->setCurrentIndex(2);
    QVERIFY2(child<QLabel>("namingPreview")->text().contains(u"Sensor 2"),
        qPrintable(child<QLabel>("namingPreview")->text()));

    // A per-device hostname removes the collision.
    p.naming.hostname = QStringLiteral("sensor-{seq}");
    QVERIFY(m_workbench->profiles()->save(*id, p));
    QTRY_VERIFY2(collisions->text().contains(u"No collisions"), qPrintable(collisions->text()));

    // Simulated devices have no USB serial: a {serial} template cannot be
    // computed for them, and the preview says so instead of "no collisions".
    p.naming.hostname = QStringLiteral("gw-{serial}");
    QVERIFY(m_workbench->profiles()->save(*id, p));
    QTRY_VERIFY2(collisions->text().contains(u"Cannot compute the values of 3 devices"),
        qPrintable(collisions->text()));
    QVERIFY(!collisions->text().contains(u"No collisions"));
}

QTEST_MAIN(tst_MainWindow)
#include "tst_mainwindow.moc"
