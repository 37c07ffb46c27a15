#include "ui/batchpanel.h"

#include "app/profiles/profilelibrary.h"
#include "models/batchentrymodel.h"
#include "ui/batchcontroller.h"
#include "ui/batchstatusdelegate.h"
#include "ui/workbench.h"

#include <QComboBox>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace provbench {

using onboarding::batch::BatchEntry;
using onboarding::batch::BatchOptions;
using onboarding::batch::BatchSummary;

namespace {

QLabel *bannerLabel(const QString &name, const QString &style, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setStyleSheet(style);
    label->hide();
    return label;
}

} // namespace

BatchPanel::BatchPanel(Workbench *workbench, QWidget *parent)
    : QWidget(parent),
      m_workbench(workbench),
      m_controller(new BatchController(workbench, this)),
      m_model(new BatchEntryModel(this)),
      m_proxy(new QSortFilterProxyModel(this))
{
    m_proxy->setSourceModel(m_model);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(buildControls());

    m_problemsBox = new QWidget(this);
    m_problemsBox->setObjectName(QStringLiteral("csvProblemsBox"));
    auto *problemsLayout = new QVBoxLayout(m_problemsBox);
    problemsLayout->setContentsMargins(0, 0, 0, 0);
    m_problemsTitle = new QLabel(m_problemsBox);
    m_problemsTitle->setStyleSheet(QStringLiteral("QLabel { color: #991b1b; font-weight: 600; }"));
    m_problems = new QListWidget(m_problemsBox);
    m_problems->setObjectName(QStringLiteral("csvProblems"));
    m_problems->setMaximumHeight(120);
    problemsLayout->addWidget(m_problemsTitle);
    problemsLayout->addWidget(m_problems);
    m_problemsBox->hide();
    layout->addWidget(m_problemsBox);

    m_error = bannerLabel(QStringLiteral("batchError"),
        QStringLiteral("QLabel { background: #fee2e2; color: #7f1d1d; border: 1px solid #fca5a5;"
                       " border-radius: 4px; padding: 6px; }"),
        this);
    m_warning = bannerLabel(QStringLiteral("batchWarning"),
        QStringLiteral("QLabel { background: #fef3c7; color: #78350f; border: 1px solid #f59e0b;"
                       " border-radius: 4px; padding: 6px; }"),
        this);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("batchSummary"));
    m_summary->setWordWrap(true);
    m_summary->setStyleSheet(QStringLiteral("QLabel { font-weight: 600; padding: 4px 0; }"));
    layout->addWidget(m_error);
    layout->addWidget(m_warning);
    layout->addWidget(m_summary);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    splitter->setObjectName(QStringLiteral("batchSplitter"));
    splitter->setChildrenCollapsible(false);
    m_table = new QTableView(splitter);
    m_table->setObjectName(QStringLiteral("batchTable"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegateForColumn(
        BatchEntryModel::StatusColumn, new BatchStatusDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setItemDelegateForColumn(
        BatchEntryModel::SourceColumn, new ElideMiddleDelegate(m_table));
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSortIndicator(-1, Qt::AscendingOrder);
    m_table->setSortingEnabled(true);
    m_table->horizontalHeader()->setStretchLastSection(true);
    const int widths[] = {160, 130, 115, 60, 115, 155, 120};
    for (int c = 0; c < int(std::size(widths)); ++c)
        m_table->setColumnWidth(c, widths[c]);

    m_notSeenBox = new QWidget(splitter);
    auto *notSeenLayout = new QVBoxLayout(m_notSeenBox);
    notSeenLayout->setContentsMargins(0, 0, 0, 0);
    m_notSeenTitle = new QLabel(tr("Expected, not seen yet"), m_notSeenBox);
    m_notSeenTitle->setStyleSheet(QStringLiteral("QLabel { font-weight: 600; }"));
    m_notSeen = new QListWidget(m_notSeenBox);
    m_notSeen->setObjectName(QStringLiteral("notSeenList"));
    m_notSeen->setWordWrap(true);
    m_notSeen->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    notSeenLayout->addWidget(m_notSeenTitle);
    notSeenLayout->addWidget(m_notSeen);
    m_notSeenBox->hide();
    splitter->addWidget(m_table);
    splitter->addWidget(m_notSeenBox);
    splitter->setStretchFactor(0, 1);
    splitter->setSizes({1110, 210});
    layout->addWidget(splitter, 1);

    m_summaryTimer = new QTimer(this);
    m_summaryTimer->setSingleShot(true);
    m_summaryTimer->setInterval(100);
    connect(m_summaryTimer, &QTimer::timeout, this, &BatchPanel::updateSummary);

    connect(m_controller, &BatchController::runnerChanged, this,
        [this](onboarding::batch::BatchRunner *runner) {
            m_model->setRunner(runner);
            connect(runner, &onboarding::batch::BatchRunner::entryAdded, this,
                &BatchPanel::scheduleSummary);
            connect(runner, &onboarding::batch::BatchRunner::entryChanged, this,
                &BatchPanel::scheduleSummary);
        });
    connect(m_controller, &BatchController::stateChanged, this, &BatchPanel::updateState);
    connect(m_controller, &BatchController::problem, this, &BatchPanel::addWarning);
    if (profiles::ProfileLibrary *library = workbench ? workbench->profiles() : nullptr)
        connect(library, &profiles::ProfileLibrary::changed, this, &BatchPanel::reloadProfiles);
    reloadProfiles();
    updateState();
}

BatchPanel::~BatchPanel()
{
    // The model lets go of the runner before the controller (and with it the
    // runner) goes; the view and the proxy are still whole.
    m_model->setRunner(nullptr);
}

QWidget *BatchPanel::buildControls()
{
    auto *bar = new QWidget(this);
    auto *grid = new QVBoxLayout(bar);
    grid->setContentsMargins(0, 0, 0, 0);
    auto *csvRow = new QHBoxLayout;
    m_import = new QPushButton(tr("Import CSV\u2026"), bar);
    m_import->setObjectName(QStringLiteral("importCsvButton"));
    m_clearCsv = new QPushButton(tr("Clear"), bar);
    m_clearCsv->setObjectName(QStringLiteral("clearCsvButton"));
    m_clearCsv->setToolTip(
        tr("Forget the CSV: every device that appears gets the default profile."));
    m_csvLabel = new QLabel(bar);
    m_csvLabel->setObjectName(QStringLiteral("csvLabel"));
    m_csvLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    csvRow->addWidget(m_import);
    csvRow->addWidget(m_csvLabel, 1);
    csvRow->addWidget(m_clearCsv);
    grid->addLayout(csvRow);

    auto *runRow = new QHBoxLayout;
    m_profile = new QComboBox(bar);
    m_profile->setObjectName(QStringLiteral("defaultProfileCombo"));
    m_profile->setToolTip(tr("The profile for every device when there is no CSV, and for CSV "
                             "rows that name none."));
    m_profile->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_parallel = new QSpinBox(bar);
    m_parallel->setObjectName(QStringLiteral("parallelSpin"));
    m_parallel->setRange(1, 16);
    m_parallel->setValue(4);
    m_parallel->setToolTip(tr("How many devices are worked on at once."));
    m_start = new QPushButton(tr("Start"), bar);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setDefault(true);
    m_stop = new QPushButton(tr("Stop"), bar);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setToolTip(tr("Take no new devices; those in progress finish."));
    runRow->addWidget(new QLabel(tr("Default profile:"), bar));
    runRow->addWidget(m_profile);
    runRow->addSpacing(12);
    runRow->addWidget(new QLabel(tr("Parallel:"), bar));
    runRow->addWidget(m_parallel);
    runRow->addStretch(1);
    runRow->addWidget(m_start);
    runRow->addWidget(m_stop);
    grid->addLayout(runRow);

    connect(m_import, &QPushButton::clicked, this, &BatchPanel::chooseCsv);
    connect(m_clearCsv, &QPushButton::clicked, this, &BatchPanel::clearCsv);
    connect(m_profile, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_csvPath.isEmpty())
            parseCsv();
        updateState();
    });
    connect(m_start, &QPushButton::clicked, this, &BatchPanel::startBatch);
    connect(m_stop, &QPushButton::clicked, this, &BatchPanel::stopBatch);
    return bar;
}

void BatchPanel::reloadProfiles()
{
    const QString current = m_profile->currentData().toString();
    const QSignalBlocker block(m_profile);
    m_profile->clear();
    m_profile->addItem(tr("None (the CSV names each profile)"), QString());
    if (profiles::ProfileLibrary *library = m_workbench ? m_workbench->profiles() : nullptr)
        for (const auto &entry : library->entries())
            if (entry.parses)
                m_profile->addItem(entry.name, entry.id);
    m_profile->setCurrentIndex(qMax(0, m_profile->findData(current)));
    if (!m_csvPath.isEmpty())
        parseCsv();
    updateState();
}

void BatchPanel::chooseCsv()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import Expected Devices"),
        QFileInfo(m_csvPath).absolutePath(), tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        importCsv(path);
}

bool BatchPanel::importCsv(const QString &path)
{
    m_csvPath = path;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_csv.clear();
        m_expected.clear();
        m_csvProblems = {journey::CsvProblem{
            0, 0, {}, tr("The file cannot be read: %1").arg(file.errorString())}};
        updateState();
        return false;
    }
    m_csv = file.readAll();
    parseCsv();
    return m_csvProblems.isEmpty();
}

void BatchPanel::clearCsv()
{
    m_csvPath.clear();
    m_csv.clear();
    m_expected.clear();
    m_csvProblems.clear();
    updateState();
}

void BatchPanel::parseCsv()
{
    journey::ExpectedDevicesOptions options;
    options.defaultProfile = m_profile->currentData().toString();
    if (profiles::ProfileLibrary *library = m_workbench ? m_workbench->profiles() : nullptr)
        for (const auto &entry : library->entries())
            options.knownProfiles << entry.id << entry.name;
    const journey::ExpectedDevicesImport parsed = journey::parseExpectedDevices(m_csv, options);
    m_expected = parsed.devices;
    m_csvProblems = parsed.problems;
    if (m_csvProblems.isEmpty() && m_expected.isEmpty())
        m_csvProblems << journey::CsvProblem{0, 0, {}, tr("The CSV lists no devices.")};
    updateState();
}

bool BatchPanel::startBatch()
{
    showError({});
    if (!m_csvProblems.isEmpty()) {
        showError(tr("The CSV has problems (listed above); fix the file and import it again."));
        return false;
    }
    BatchOptions options;
    options.defaultProfile = m_profile->currentData().toString();
    options.parallel = m_parallel->value();
    if (!m_csvPath.isEmpty())
        options.expected = m_expected;
    if (options.expected.isEmpty() && options.defaultProfile.isEmpty()) {
        showError(tr("Choose a default profile, or import a CSV that names each device's "
                     "profile."));
        return false;
    }
    m_warnings.clear();
    m_warning->hide();
    if (auto started = m_controller->start(options, this); !started) {
        showError(started.error().message);
        return false;
    }
    return true;
}

void BatchPanel::stopBatch()
{
    m_controller->stop();
}

void BatchPanel::showError(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
}

void BatchPanel::addWarning(const QString &text)
{
    m_warnings << text;
    m_warning->setText(m_warnings.size() == 1
            ? text
            : tr("%1 (and %2 more warnings; hover for all)").arg(text).arg(m_warnings.size() - 1));
    m_warning->setToolTip(m_warnings.join(QLatin1Char('\n')));
    m_warning->show();
}

QString BatchPanel::summaryText() const
{
    return m_summary->text();
}

QString BatchPanel::errorText() const
{
    return m_error->isVisibleTo(this) ? m_error->text() : QString();
}

void BatchPanel::updateState()
{
    const bool running = m_controller->isRunning();
    const bool finishing = m_controller->isFinishing();
    const bool hasCsv = !m_csvPath.isEmpty();
    for (QWidget *w : std::initializer_list<QWidget *>{m_import, m_profile, m_parallel})
        w->setEnabled(!running && !finishing);
    m_clearCsv->setEnabled(hasCsv && !running && !finishing);
    m_csvLabel->setText(hasCsv
            ? tr("%1 \u2014 %n device(s) expected", nullptr, int(m_expected.size()))
                  .arg(QFileInfo(m_csvPath).fileName())
            : tr("No CSV: every device that appears gets the default profile."));
    m_csvLabel->setToolTip(m_csvPath);

    m_problems->clear();
    for (const auto &problem : std::as_const(m_csvProblems))
        m_problems->addItem(problem.line > 0 ? problem.text() : problem.message);
    m_problemsTitle->setText(tr("%n problem(s) in the CSV; fix the file and import it again:",
        nullptr, int(m_csvProblems.size())));
    m_problemsBox->setVisible(!m_csvProblems.isEmpty());

    const bool ready = m_csvProblems.isEmpty()
        && ((hasCsv && !m_expected.isEmpty()) || !m_profile->currentData().toString().isEmpty());
    m_start->setEnabled(!running && !finishing && ready);
    m_start->setToolTip(ready ? tr("Take every device that appears until Stop.")
                              : tr("Choose a default profile or import a CSV without problems."));
    m_stop->setEnabled(running);
    m_notSeenBox->setVisible(hasCsv);
    updateSummary();
}

void BatchPanel::scheduleSummary()
{
    if (!m_summaryTimer->isActive())
        m_summaryTimer->start();
}

void BatchPanel::updateSummary()
{
    m_summaryTimer->stop();
    const auto *runner = m_controller->runner();
    QStringList notSeen;
    if (!runner) {
        m_summary->setText(m_csvPath.isEmpty()
                ? tr("No batch yet: choose a default profile (or import a CSV) and press Start.")
                : tr("%n device(s) expected. Press Start, then plug the devices in.", nullptr,
                    int(m_expected.size())));
        for (const auto &x : std::as_const(m_expected))
            notSeen << x.serialNumber;
    } else {
        const BatchSummary s = runner->summary();
        const bool idle = runner->isIdle();
        QString state;
        if (m_controller->isRunning())
            state = idle ? tr("Idle, waiting for devices") : tr("Running");
        else
            state = idle ? tr("Stopped") : tr("Stopping: the devices in progress finish");
        QStringList parts{tr("%1 done").arg(s.done), tr("%1 skipped").arg(s.skipped),
            tr("%1 unknown").arg(s.unknown), tr("%1 failed").arg(s.failed),
            tr("%1 in progress").arg(s.inProgress)};
        if (s.busy > 0)
            parts << tr("%1 held by another bench").arg(s.busy);
        if (s.expected > 0)
            parts << tr("%1 expected not seen yet").arg(s.notSeen.size());
        m_summary->setText(tr("%1 \u2014 %2").arg(state, parts.join(QStringLiteral(" \u00b7 "))));
        notSeen = s.notSeen;
    }
    if (m_csvPath.isEmpty())
        return;
    QHash<QString, const journey::ExpectedDevice *> bySerial;
    for (const auto &x : std::as_const(m_expected))
        bySerial.insert(x.serialNumber, &x);
    m_notSeen->clear();
    constexpr int kShown = 200;
    for (const QString &serial : notSeen.mid(0, kShown)) {
        const journey::ExpectedDevice *x = bySerial.value(serial);
        QString text = serial;
        if (x && !x->name.isEmpty() && x->name != serial)
            text += tr(" \u2014 %1").arg(x->name);
        if (x && !x->site.isEmpty())
            text += tr(" (%1)").arg(x->site);
        m_notSeen->addItem(text);
    }
    if (notSeen.size() > kShown)
        m_notSeen->addItem(tr("\u2026 and %1 more").arg(notSeen.size() - kShown));
    m_notSeenTitle->setText(tr("Expected, not seen yet (%1)").arg(notSeen.size()));
}

} // namespace provbench
