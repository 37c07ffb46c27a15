#include "ui/mainwindow.h"

#include "ui/profileeditor.h"

#include "app/onboarding/batch/batchrunner.h"
#include "app/onboarding/deviceregistry.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/transport/serialdiscovery.h"
#include "ui/batchcontroller.h"
#include "ui/batchpanel.h"
#include "ui/boardpanel.h"
#include "ui/comparepanel.h"
#include "ui/credentialspanel.h"
#include "ui/devicedetailpanel.h"
#include "ui/devicespanel.h"
#include "ui/enrollmentpanel.h"
#include "ui/profilespanel.h"
#include "ui/tracepanel.h"
#include "ui/workbench.h"
#include "ui/writecredentialsdialog.h"

#include <QApplication>
#include <QCloseEvent>
#include <QFileInfo>
#include <QInputDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QVBoxLayout>

namespace provbench {

namespace {
const QString kGeometry = QStringLiteral("mainWindow/geometry");
const QString kState = QStringLiteral("mainWindow/state");
const QString kVertical = QStringLiteral("mainWindow/verticalSplitter");
const QString kHorizontal = QStringLiteral("mainWindow/horizontalSplitter");
// Renamed when the columns changed (Transport, Signal): an older layout would
// put widths on the wrong columns.
const QString kDeviceColumns = QStringLiteral("mainWindow/deviceColumnsV2");
const QString kTraceColumns = QStringLiteral("mainWindow/traceColumns");
const QString kPage = QStringLiteral("mainWindow/page");
const QString kProfilesSplitter = QStringLiteral("mainWindow/profilesSplitter");
const QString kCompareSplitter = QStringLiteral("mainWindow/compareSplitter");
} // namespace

MainWindow::MainWindow(Workbench *workbench, QWidget *parent)
    : QMainWindow(parent),
      m_workbench(workbench),
      m_devices(new DevicesPanel(workbench->registry(), this)),
      m_detail(new DeviceDetailPanel(this)),
      m_trace(new TracePanel(this)),
      m_vertical(new QSplitter(Qt::Vertical, this)),
      m_horizontal(new QSplitter(Qt::Horizontal, m_vertical)),
      m_counts(new QLabel(this)),
      m_profiles(new ProfilesPanel(workbench->profiles(), this)),
      m_compare(new ComparePanel(workbench->profiles(), this)),
      m_credentials(new CredentialsPanel(workbench->profiles(), this)),
      m_enrollment(new EnrollmentPanel(
          workbench->profiles(), [workbench] { return workbench->openStore(); }, this)),
      m_pages(new QTabWidget(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ProvBench"));

    m_devices->setParent(m_horizontal);
    m_detail->setParent(m_horizontal);
    m_horizontal->addWidget(m_devices);
    m_horizontal->addWidget(m_detail);
    m_horizontal->setObjectName(QStringLiteral("horizontalSplitter"));
    m_horizontal->setChildrenCollapsible(false);
    m_vertical->addWidget(m_horizontal);
    m_vertical->addWidget(m_trace);
    m_vertical->setObjectName(QStringLiteral("verticalSplitter"));
    m_vertical->setChildrenCollapsible(false);
    m_devices->setObjectName(QStringLiteral("devicesPanel"));
    m_detail->setObjectName(QStringLiteral("detailPanel"));
    m_trace->setObjectName(QStringLiteral("tracePanel"));

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    if (workbench->isDemo()) {
        QString text = tr("<b>Demo mode:</b> %1 simulated devices in %2")
                           .arg(workbench->demoCount())
                           .arg(workbench->demoDirectory().toHtmlEscaped());
        if (workbench->demoBleCount() > 0)
            text += tr(" and %1 simulated Bluetooth LE devices").arg(workbench->demoBleCount());
        text += tr(". Wi-Fi \u2018ProvBench-Lab\u2019 password \u2018correct-horse-42\u2019");
        auto *banner = new QLabel(text, central);
        banner->setObjectName(QStringLiteral("demoBanner"));
        banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
        banner->setWordWrap(true);
        banner->setStyleSheet(
            QStringLiteral("QLabel { background: #eff6ff; color: #1e3a8a;"
                           " border-bottom: 1px solid #bfdbfe; padding: 6px 10px; }"));
        layout->addWidget(banner);
    }
    m_profiles->setObjectName(QStringLiteral("profilesPanel"));
    m_profiles->editor()->setDevices(workbench->registry());
    m_compare->setObjectName(QStringLiteral("comparePanel"));
    m_pages->setObjectName(QStringLiteral("pages"));
    m_pages->setDocumentMode(true);
    m_pages->addTab(m_vertical, tr("Devices"));
    m_pages->addTab(m_profiles, tr("Profiles"));
    m_pages->addTab(m_compare, tr("Compare"));
    m_credentials->setObjectName(QStringLiteral("credentialsPanel"));
    m_pages->addTab(m_credentials, tr("Credentials"));
    m_enrollment->setObjectName(QStringLiteral("enrollmentPanel"));
    m_pages->addTab(m_enrollment, tr("Enrollment"));
    m_board = new BoardPanel(this);
    m_board->setObjectName(QStringLiteral("boardPanel"));
    m_board->setStoreOpener([workbench] { return workbench->openStore(); });
    m_pages->addTab(m_board, tr("Board"));
    m_batch = new BatchPanel(workbench, this);
    m_batch->setObjectName(QStringLiteral("batchPanel"));
    m_pages->addTab(m_batch, tr("Batch"));
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    m_counts->setObjectName(QStringLiteral("stateCounts"));
    statusBar()->addPermanentWidget(m_counts);

    buildMenus();

    connect(m_devices, &DevicesPanel::currentDeviceChanged, this, &MainWindow::showDevice);
    connect(m_pages, &QTabWidget::currentChanged, this, &MainWindow::pageChanged);
    connect(m_board, &BoardPanel::deviceActivated, this, &MainWindow::showBoardDevice);
    connect(m_detail, &DeviceDetailPanel::writeCredentialsRequested, this,
        &MainWindow::writeCredentials);
    connect(m_enrollment, &EnrollmentPanel::openCredentialsRequested, this,
        [this] { showPage(Page::Credentials); });
    if (DeviceRegistry *registry = workbench->registry()) {
        for (auto signal : {&DeviceRegistry::deviceAdded, &DeviceRegistry::deviceRemoved,
                 &DeviceRegistry::deviceChanged})
            connect(registry, signal, this, &MainWindow::updateStatus);
    }

    resetLayout();
    restoreSettings();
    updateStatus();
}

MainWindow::~MainWindow() = default;

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *addPort = file->addAction(tr("&Add Port Path\u2026"));
    addPort->setObjectName(QStringLiteral("addPortAction"));
    connect(addPort, &QAction::triggered, this, &MainWindow::addPortPath);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    const std::pair<Page, QString> pages[] = {{Page::Devices, tr("&Devices")},
        {Page::Profiles, tr("&Profiles")}, {Page::Compare, tr("&Compare")},
        {Page::Credentials, tr("C&redentials")}, {Page::Enrollment, tr("&Enrollment")}};
    for (const auto &[page, text] : pages) {
        QAction *action = view->addAction(text);
        action->setShortcut(QKeySequence(Qt::ControlModifier | Qt::Key(Qt::Key_1 + int(page))));
        connect(action, &QAction::triggered, this, [this, page] { showPage(page); });
    }
    QAction *board = view->addAction(tr("&Board"));
    board->setShortcut(QKeySequence(Qt::ControlModifier | Qt::Key_6));
    connect(board, &QAction::triggered, this, [this] { m_pages->setCurrentWidget(m_board); });
    QAction *batch = view->addAction(tr("B&atch"));
    batch->setShortcut(QKeySequence(Qt::ControlModifier | Qt::Key_7));
    connect(batch, &QAction::triggered, this, [this] { m_pages->setCurrentWidget(m_batch); });
    view->addSeparator();
    QAction *reset = view->addAction(tr("&Reset Layout"));
    connect(reset, &QAction::triggered, this, &MainWindow::resetLayout);

    if (sim::SimulatedBleBackend *ble = m_workbench->simulatedBle()) {
        // Demo only: show how the Devices page reacts to Bluetooth trouble.
        QMenu *demo = menuBar()->addMenu(tr("&Demo"));
        QAction *adapterOff = demo->addAction(tr("Simulate Bluetooth Adapter &Problem"));
        adapterOff->setObjectName(QStringLiteral("simulateBleProblemAction"));
        adapterOff->setCheckable(true);
        adapterOff->setChecked(!ble->adapterStatus().ok());
        connect(adapterOff, &QAction::toggled, this, [ble](bool on) {
            ble->setAdapterStatus(
                on ? ble::AdapterStatus{ble::AdapterProblem::AdapterOff, QStringLiteral("hci0"), {}}
                   : ble::AdapterStatus{});
        });
    }

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    QAction *about = help->addAction(tr("&About ProvBench"));
    connect(about, &QAction::triggered, this, [this] {
        QMessageBox::about(this, tr("About ProvBench"),
            tr("<h3>ProvBench %1</h3><p>A workbench for commissioning IoT devices by hand: "
               "find them on USB serial or Bluetooth LE, identify them and write their Wi-Fi "
               "credentials and profiles over Improv Wi-Fi, MCUmgr SMP or AT%CMNG.</p><p>Run with "
               "<tt>--demo</tt> to try it with simulated "
               "devices.</p>")
                .arg(QApplication::applicationVersion()));
    });
    QAction *aboutQt = help->addAction(tr("About &Qt"));
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
}

void MainWindow::showPage(Page page)
{
    m_pages->setCurrentIndex(int(page));
}

bool MainWindow::showPage(const QString &name)
{
    if (name.compare(QStringLiteral("board"), Qt::CaseInsensitive) == 0) {
        m_pages->setCurrentWidget(m_board);
        return true;
    }
    if (name.compare(QStringLiteral("batch"), Qt::CaseInsensitive) == 0) {
        m_pages->setCurrentWidget(m_batch);
        return true;
    }
    const QString pages[] = {QStringLiteral("devices"), QStringLiteral("profiles"),
        QStringLiteral("compare"), QStringLiteral("credentials"), QStringLiteral("enrollment")};
    for (int i = 0; i < int(std::size(pages)); ++i) {
        if (name.compare(pages[i], Qt::CaseInsensitive) == 0) {
            showPage(Page(i));
            return true;
        }
    }
    return false;
}

void MainWindow::pageChanged(int index)
{
    if (m_lastPage == int(Page::Profiles) && index != m_lastPage && !m_profiles->maybeLeave()) {
        const QSignalBlocker block(m_pages);
        m_pages->setCurrentIndex(m_lastPage);
        return;
    }
    m_lastPage = index;
}

void MainWindow::writeCredentials(DeviceSession *session)
{
    if (!session)
        return;
    const DeviceRegistry *registry = m_workbench->registry();
    int seq = 1;
    for (int row = 0; registry && row < registry->count(); ++row) {
        if (registry->at(row) == session)
            seq = row + 1;
    }
    WriteCredentialsDialog dialog(session, m_workbench->profiles(), seq, this);
    dialog.exec();
    m_credentials->refresh();
}

void MainWindow::showBoardDevice(const QString &id)
{
    const DeviceRegistry *registry = m_workbench->registry();
    if (!registry || !registry->find(id)) {
        statusBar()->showMessage(
            tr("%1 is not on the Devices page: it is not connected to this bench now.").arg(id),
            6000);
        return;
    }
    showPage(Page::Devices);
    m_devices->selectDevice(id);
}

void MainWindow::showDevice(const QString &id)
{
    DeviceRegistry *registry = m_workbench->registry();
    DeviceSession *session = registry && !id.isEmpty() ? registry->find(id) : nullptr;
    m_detail->setSession(session);
    m_trace->setSession(session);
}

void MainWindow::updateStatus()
{
    const DeviceRegistry *registry = m_workbench->registry();
    const int total = registry ? registry->count() : 0;
    if (total == 0) {
        m_counts->setText(tr("No devices yet: plug one in, bring a Bluetooth device close, or add "
                             "a port path (File menu)."));
        return;
    }
    QMap<OnboardingState, int> counts;
    int absent = 0;
    int ble = 0;
    for (int row = 0; row < total; ++row) {
        const DeviceRecord &r = registry->at(row)->record();
        ++counts[r.state];
        if (!r.present)
            ++absent;
        if (r.isBle())
            ++ble;
    }
    QStringList parts;
    for (auto it = counts.cbegin(); it != counts.cend(); ++it)
        parts << tr("%1 %2").arg(it.value()).arg(onboardingStateName(it.key()));
    if (absent > 0)
        parts << tr("%1 absent").arg(absent);
    const QString devices
        = ble > 0 ? tr("%1 devices (%2 BLE)").arg(total).arg(ble) : tr("%1 devices").arg(total);
    m_counts->setText(tr("%1: %2").arg(devices, parts.join(QStringLiteral(" \u00b7 "))));
}

void MainWindow::addPortPath()
{
    bool ok = false;
    const QString path = QInputDialog::getText(this, tr("Add Port Path"),
        tr("Path of a serial port that is not listed on its own, such as a pty or a socat "
           "link (for example /tmp/ttyV0):"),
        QLineEdit::Normal, QString(), &ok)
                             .trimmed();
    if (!ok || path.isEmpty())
        return;
    m_workbench->discovery()->addWatchedPath(path);
    if (QFileInfo::exists(path))
        statusBar()->showMessage(tr("Added %1.").arg(path), 5000);
    else
        statusBar()->showMessage(
            tr("%1 does not exist yet; it will appear in the list as soon as it does.").arg(path),
            8000);
}

void MainWindow::resetLayout()
{
    resize(1360, 840);
    m_horizontal->setSizes({840, 520});
    m_vertical->setSizes({580, 230});
    m_vertical->setStretchFactor(0, 1);
    m_vertical->setStretchFactor(1, 0);
    m_devices->resetLayout();
    m_trace->resetLayout();
    m_profiles->resetLayout();
    m_compare->resetLayout();
}

void MainWindow::saveSettings() const
{
    QSettings settings;
    settings.setValue(kGeometry, saveGeometry());
    settings.setValue(kState, saveState());
    settings.setValue(kVertical, m_vertical->saveState());
    settings.setValue(kHorizontal, m_horizontal->saveState());
    settings.setValue(kDeviceColumns, m_devices->saveHeaderState());
    settings.setValue(kTraceColumns, m_trace->saveHeaderState());
    settings.setValue(kPage, m_pages->currentIndex());
    settings.setValue(kProfilesSplitter, m_profiles->saveSplitterState());
    settings.setValue(kCompareSplitter, m_compare->saveSplitterState());
}

void MainWindow::restoreSettings()
{
    const QSettings settings;
    restoreGeometry(settings.value(kGeometry).toByteArray());
    restoreState(settings.value(kState).toByteArray());
    m_vertical->restoreState(settings.value(kVertical).toByteArray());
    m_horizontal->restoreState(settings.value(kHorizontal).toByteArray());
    m_devices->restoreHeaderState(settings.value(kDeviceColumns).toByteArray());
    m_trace->restoreHeaderState(settings.value(kTraceColumns).toByteArray());
    m_profiles->restoreSplitterState(settings.value(kProfilesSplitter).toByteArray());
    m_compare->restoreSplitterState(settings.value(kCompareSplitter).toByteArray());
    m_pages->setCurrentIndex(std::clamp(settings.value(kPage, 0).toInt(), 0, m_pages->count() - 1));
}

// Devices a batch is writing would be cut off mid-write by closing now (the
// next batch writes them again, but the user should choose that): offer to
// let them finish first, then close by itself.
bool MainWindow::maybeCloseDuringBatch()
{
    BatchController *batch = m_batch->controller();
    onboarding::batch::BatchRunner *runner = batch->runner();
    if (!runner || runner->isIdle() || m_closeWhenBatchIdle)
        return true;
    const int busy = runner->summary().inProgress;
    QMessageBox box(QMessageBox::Warning, tr("Devices Are Being Written"),
        tr("The batch is working on %n device(s). Closing now cuts them off in the middle of "
           "their writes; the next batch would write them again.",
            "", busy),
        QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("closeDuringBatchBox"));
    QPushButton *finish = box.addButton(tr("Finish Them, Then Close"), QMessageBox::AcceptRole);
    QPushButton *now = box.addButton(tr("Close Now"), QMessageBox::DestructiveRole);
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(finish);
    box.exec();
    if (box.clickedButton() == now)
        return true;
    if (box.clickedButton() == finish) {
        batch->stop();
        m_closeWhenBatchIdle = true;
        statusBar()->showMessage(tr("Closing once the batch's devices are done\u2026"));
        connect(runner, &onboarding::batch::BatchRunner::idle, this, &QWidget::close,
            static_cast<Qt::ConnectionType>(Qt::QueuedConnection | Qt::SingleShotConnection));
    }
    return false;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!m_profiles->maybeLeave() || !maybeCloseDuringBatch()) {
        event->ignore();
        return;
    }
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace provbench
