#include "ui/boardpanel.h"

#include "app/onboarding/journey/boardfeed.h"
#include "app/onboarding/journey/boardreport.h"
#include "app/storage/store/store.h"
#include "models/boarddevicemodel.h"
#include "models/boardfilterproxy.h"
#include "models/failurebreakdownmodel.h"
#include "models/stagecountsmodel.h"
#include "ui/boardexport.h"
#include "ui/boardlabels.h"
#include "ui/failureview.h"
#include "ui/pipelineview.h"
#include "ui/throughputview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace provbench {

using journey::Stage;

namespace {

// Fills a filter combo with "any" plus `values`, keeping the current choice.
void fillChoices(QComboBox *combo, const QString &any, const QStringList &values)
{
    const QString current = combo->currentData().toString();
    QStringList have;
    for (int i = 1; i < combo->count(); ++i)
        have << combo->itemData(i).toString();
    if (have == values && combo->count() > 0)
        return;
    const QSignalBlocker block(combo);
    combo->clear();
    combo->addItem(any, QString());
    for (const QString &v : values)
        combo->addItem(v, v);
    combo->setCurrentIndex(std::max(0, combo->findData(current)));
}

QString timeText(qint64 ms)
{
    const QDateTime t = QDateTime::fromMSecsSinceEpoch(ms);
    return t.date() == QDate::currentDate() ? t.toString(QStringLiteral("HH:mm:ss"))
                                            : t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

BoardPanel::BoardPanel(QWidget *parent)
    : QWidget(parent),
      m_devices(new BoardDeviceModel(m_board, this)),
      m_counts(new StageCountsModel(m_board, this)),
      m_failureModel(new FailureBreakdownModel(m_board, this)),
      m_proxy(new BoardFilterProxy(this))
{
    m_proxy->setSourceModel(m_devices);

    m_banner = new QFrame(this);
    m_banner->setObjectName(QStringLiteral("boardBanner"));
    m_banner->setStyleSheet(QStringLiteral(
        "#boardBanner { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 4px; }"));
    auto *bannerLayout = new QHBoxLayout(m_banner);
    m_bannerText = new QLabel(m_banner);
    m_bannerText->setObjectName(QStringLiteral("boardProblem"));
    m_bannerText->setWordWrap(true);
    m_bannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retry = new QPushButton(tr("Try Again"), m_banner);
    m_retry->setObjectName(QStringLiteral("boardRetry"));
    bannerLayout->addWidget(m_bannerText, 1);
    bannerLayout->addWidget(m_retry, 0, Qt::AlignTop);
    m_banner->hide();
    connect(m_retry, &QPushButton::clicked, this, &BoardPanel::openStore);

    m_pipeline = new PipelineView(this);
    m_pipeline->setObjectName(QStringLiteral("boardPipeline"));
    m_pipeline->setModel(m_counts);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("boardSummary"));

    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("boardTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(-1, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setTextElideMode(Qt::ElideMiddle); // port paths differ at their end
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(BoardDeviceModel::IdColumn, 190);
    m_table->setColumnWidth(BoardDeviceModel::NameColumn, 130);
    m_table->setColumnWidth(BoardDeviceModel::StageColumn, 130);
    m_table->setColumnWidth(BoardDeviceModel::SinceColumn, 140);
    m_table->setColumnWidth(BoardDeviceModel::StuckColumn, 60);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(buildFilterBar());
    leftLayout->addWidget(m_table, 1);

    m_splitter = new QSplitter(Qt::Horizontal, this);
    m_splitter->setObjectName(QStringLiteral("boardSplitter"));
    m_splitter->setChildrenCollapsible(false);
    m_splitter->addWidget(left);
    m_splitter->addWidget(buildSide());
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_pipeline);
    layout->addWidget(m_summary);
    layout->addWidget(m_splitter, 1);

    connect(m_pipeline, &PipelineView::stageClicked, this, &BoardPanel::onStageClicked);
    connect(m_failures, &FailureView::reasonClicked, this, &BoardPanel::onReasonClicked);
    connect(m_devices, &BoardDeviceModel::flushed, this, [this](int inserted) {
        if (inserted > 0)
            fitIdColumn();
        refreshChoices();
        showTimeline();
        updateSummary();
    });
    connect(m_devices, &BoardDeviceModel::modelReset, this, &BoardPanel::refreshChoices);
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_failureModel, signal, this, &BoardPanel::refreshReasonFilter);
    connect(
        m_failureModel, &QAbstractItemModel::dataChanged, this, &BoardPanel::refreshReasonFilter);
    connect(m_counts, &StageCountsModel::totalChanged, this, &BoardPanel::updateSummary);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &BoardPanel::showTimeline);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex &index) {
        emit deviceActivated(index.data(BoardDeviceModel::IdRole).toString());
    });

    // Time moves the throughput bars (and "stuck for") even when nothing happens.
    auto *clock = new QTimer(this);
    clock->setInterval(5000);
    connect(clock, &QTimer::timeout, m_throughput, &ThroughputView::refresh);
    clock->start();
    updateSummary();
}

BoardPanel::~BoardPanel()
{
    m_feed.reset(); // before the board it feeds
}

QWidget *BoardPanel::buildFilterBar()
{
    auto *bar = new QWidget(this);
    auto *row = new QHBoxLayout(bar);
    row->setContentsMargins(0, 0, 0, 0);
    auto combo = [bar, this](const char *name, const QString &any) {
        auto *c = new QComboBox(bar);
        c->setObjectName(QLatin1StringView(name));
        c->addItem(any, QString());
        c->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        connect(c, &QComboBox::currentIndexChanged, this, &BoardPanel::applyFilters);
        return c;
    };
    m_site = combo("boardSiteFilter", tr("All sites"));
    m_profile = combo("boardProfileFilter", tr("All profiles"));
    m_stage = combo("boardStageFilter", tr("All stages"));
    for (int i = 0; i < journey::kStageCount; ++i)
        m_stage->addItem(journey::stageTitle(Stage(i)), journey::stageName(Stage(i)));
    m_transport = combo("boardTransportFilter", tr("All transports"));
    m_stuckOnly = new QCheckBox(tr("Stuck only"), bar);
    m_stuckOnly->setObjectName(QStringLiteral("boardStuckOnly"));
    connect(m_stuckOnly, &QCheckBox::toggled, this, &BoardPanel::applyFilters);
    m_reasonChip = new QLabel(bar);
    m_reasonChip->setObjectName(QStringLiteral("boardReasonFilter"));
    m_reasonChip->setStyleSheet(QStringLiteral(
        "QLabel { background: #fee2e2; color: #991b1b; border-radius: 3px; padding: 2px 6px; }"));
    m_reasonChip->hide();
    m_clear = new QPushButton(tr("Clear Filters"), bar);
    m_clear->setObjectName(QStringLiteral("boardClearFilters"));
    connect(m_clear, &QPushButton::clicked, this, &BoardPanel::clearFilters);
    for (QWidget *w : std::initializer_list<QWidget *>{
             m_site, m_profile, m_stage, m_transport, m_stuckOnly, m_reasonChip})
        row->addWidget(w);
    auto *exportButton = new QPushButton(tr("Export report…"), bar);
    exportButton->setObjectName(QStringLiteral("boardExportReport"));
    connect(exportButton, &QPushButton::clicked, this, [this] {
        auto written
            = exportBoardReportWithDialog(this, m_board, m_store, m_site->currentData().toString());
        if (!written)
            showProblem(tr("<b>The report was not exported:</b> %1")
                            .arg(written.error().message.toHtmlEscaped()),
                false);
    });
    auto *labelsButton = new QPushButton(tr("Print labels…"), bar);
    labelsButton->setObjectName(QStringLiteral("boardPrintLabels"));
    labelsButton->setToolTip(tr("QR labels (device id and certificate fingerprint) for the "
                                "devices in the table, as a PDF sheet"));
    connect(labelsButton, &QPushButton::clicked, this, [this] {
        auto written = printLabelsWithDialog(this, visibleLabels());
        if (!written)
            showProblem(tr("<b>No labels were written:</b> %1")
                            .arg(written.error().message.toHtmlEscaped()),
                false);
    });
    row->addStretch(1);
    row->addWidget(m_clear);
    row->addWidget(exportButton);
    row->addWidget(labelsButton);
    return bar;
}

QWidget *BoardPanel::buildSide()
{
    auto *side = new QSplitter(Qt::Vertical, this);
    side->setObjectName(QStringLiteral("boardSide"));
    side->setChildrenCollapsible(false);
    m_throughput = new ThroughputView(side);
    m_throughput->setObjectName(QStringLiteral("boardThroughput"));
    m_throughput->setBoard(&m_board);
    m_failures = new FailureView(side);
    m_failures->setObjectName(QStringLiteral("boardFailures"));
    m_failures->setModel(m_failureModel);

    auto *timelineBox = new QWidget(side);
    auto *timelineLayout = new QVBoxLayout(timelineBox);
    timelineLayout->setContentsMargins(0, 4, 0, 0);
    m_timelineTitle = new QLabel(tr("Select a device to see its timeline."), timelineBox);
    m_timelineTitle->setObjectName(QStringLiteral("boardTimelineTitle"));
    m_timelineTitle->setWordWrap(true);
    m_timeline = new QTreeWidget(timelineBox);
    m_timeline->setObjectName(QStringLiteral("boardTimeline"));
    m_timeline->setRootIsDecorated(false);
    m_timeline->setHeaderLabels({tr("Time"), tr("Event"), tr("Detail")});
    m_timeline->setColumnWidth(0, 80);
    m_timeline->setColumnWidth(1, 140);
    timelineLayout->addWidget(m_timelineTitle);
    timelineLayout->addWidget(m_timeline, 1);

    side->addWidget(m_throughput);
    side->addWidget(m_failures);
    side->addWidget(timelineBox);
    side->setSizes({170, 150, 260});
    return side;
}

void BoardPanel::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (!m_store && m_opener)
        QTimer::singleShot(0, this, &BoardPanel::openStore); // after the page is painted
}

void BoardPanel::openStore()
{
    if (m_store || !m_opener)
        return;
    const Result<store::Store *> store = m_opener();
    if (!store) {
        showProblem(tr("<b>The board cannot be shown:</b> the workspace store could not be "
                       "opened. %1<br>Check that the workspace folder exists and is writable "
                       "(or start with <tt>--workspace DIR</tt>), then press <i>Try Again</i>.")
                        .arg(store.error().message.toHtmlEscaped()),
            true);
        return;
    }
    (void)attach(*store);
}

Result<void> BoardPanel::attach(store::Store *store)
{
    if (const Result<void> loaded = m_board.load(*store); !loaded) {
        showProblem(tr("<b>The board cannot be shown:</b> the audit log could not be read. "
                       "%1<br>Press <i>Try Again</i> once the database is reachable.")
                        .arg(loaded.error().message.toHtmlEscaped()),
            true);
        return loaded;
    }
    m_store = store;
    m_banner->hide();
    (void)m_board.takeDelta(); // the models read the loaded board whole
    m_devices->reload();
    m_counts->setFilter(m_counts->filter()); // recounts now
    m_failureModel->setFilter(m_failureModel->filter());
    m_throughput->refresh();
    fitIdColumn();
    m_feed = std::make_unique<journey::BoardFeed>(*store, m_board);
    connect(
        m_feed.get(), &journey::BoardFeed::changed, this, [this](const journey::BoardDelta &delta) {
            m_banner->hide();
            m_devices->noteChanges(delta);
            m_counts->noteChanges(delta);
            m_failureModel->noteChanges(delta);
            if (delta.aggregates)
                m_throughput->refresh();
        });
    connect(m_feed.get(), &journey::BoardFeed::errorOccurred, this, [this](const Error &error) {
        showProblem(tr("<b>Reading the audit log failed:</b> %1<br>The board shows what it had "
                       "and keeps trying.")
                        .arg(error.message.toHtmlEscaped()),
            false);
    });
    m_feed->start();
    refreshChoices();
    updateSummary();
    return {};
}

QString BoardPanel::problemText() const
{
    return m_banner->isVisibleTo(this) ? m_bannerText->text() : QString();
}

void BoardPanel::showProblem(const QString &text, bool canRetry)
{
    m_bannerText->setText(text);
    m_retry->setVisible(canRetry);
    m_banner->show();
}

void BoardPanel::applyFilters()
{
    journey::BoardFilter filter;
    filter.site = m_site->currentData().toString();
    filter.profile = m_profile->currentData().toString();
    filter.transport = m_transport->currentData().toString();
    // The pipeline, failures and throughput show the chosen site, profile and
    // transport across every stage; the table narrows to the stage as well.
    m_counts->setFilter(filter);
    m_failureModel->setFilter(filter);
    m_throughput->setFilter(filter);
    filter.stage = journey::stageFromName(m_stage->currentData().toString());
    m_pipeline->setSelectedStage(filter.stage);
    m_proxy->setFilter(filter);
    m_proxy->setStuckOnly(m_stuckOnly->isChecked());
    updateSummary();
}

void BoardPanel::onStageClicked(std::optional<Stage> stage)
{
    m_stage->setCurrentIndex(stage ? int(*stage) + 1 : 0); // applies the filters
}

void BoardPanel::onReasonClicked(const QString &reason, const QStringList &devices)
{
    m_reason = reason;
    m_proxy->setDeviceIds(QSet<QString>(devices.begin(), devices.end()));
    m_reasonChip->setText(
        tr("Failed: %1").arg(fontMetrics().elidedText(reason, Qt::ElideRight, 260)));
    m_reasonChip->setToolTip(reason);
    m_reasonChip->setVisible(!reason.isEmpty());
    updateSummary();
}

// The devices behind the chosen reason change as devices fail and retry.
void BoardPanel::refreshReasonFilter()
{
    if (m_reason.isEmpty())
        return;
    for (int row = 0; row < m_failureModel->rowCount(); ++row) {
        const QModelIndex i = m_failureModel->index(row, 0);
        if (i.data(FailureBreakdownModel::ReasonRole).toString() == m_reason) {
            const QStringList ids = i.data(FailureBreakdownModel::DeviceIdsRole).toStringList();
            if (QSet<QString>(ids.begin(), ids.end()) != m_proxy->deviceIds())
                m_proxy->setDeviceIds(QSet<QString>(ids.begin(), ids.end()));
            return;
        }
    }
    // No device fails for that reason any more.
    m_failures->setSelectedReason({});
    onReasonClicked({}, {});
}

void BoardPanel::clearFilters()
{
    for (QComboBox *c : {m_site, m_profile, m_stage, m_transport}) {
        const QSignalBlocker block(c);
        c->setCurrentIndex(0);
    }
    {
        const QSignalBlocker block(m_stuckOnly);
        m_stuckOnly->setChecked(false);
    }
    m_failures->setSelectedReason({});
    onReasonClicked({}, {});
    applyFilters();
}

void BoardPanel::refreshChoices()
{
    QSet<QString> sites, profiles, transports;
    for (int i = 0; i < m_board.size(); ++i) {
        const journey::Journey &j = m_board.at(i);
        if (!j.site.isEmpty())
            sites.insert(j.site);
        if (!j.profile.isEmpty())
            profiles.insert(j.profile);
        if (!j.transport.isEmpty())
            transports.insert(j.transport);
    }
    auto sorted = [](const QSet<QString> &set) {
        QStringList list(set.begin(), set.end());
        list.sort(Qt::CaseInsensitive);
        return list;
    };
    fillChoices(m_site, tr("All sites"), sorted(sites));
    fillChoices(m_profile, tr("All profiles"), sorted(profiles));
    fillChoices(m_transport, tr("All transports"), sorted(transports));
    // Devices found on the bench have no site or profile: no empty columns then.
    m_site->setVisible(!sites.isEmpty() || m_site->currentIndex() > 0);
    m_profile->setVisible(!profiles.isEmpty() || m_profile->currentIndex() > 0);
    m_table->setColumnHidden(BoardDeviceModel::SiteColumn, sites.isEmpty());
    m_table->setColumnHidden(BoardDeviceModel::ProfileColumn, profiles.isEmpty());
}

// Device ids are port paths or BLE addresses: show them whole when they fit.
void BoardPanel::fitIdColumn()
{
    m_table->resizeColumnToContents(BoardDeviceModel::IdColumn);
    m_table->setColumnWidth(BoardDeviceModel::IdColumn,
        std::clamp(m_table->columnWidth(BoardDeviceModel::IdColumn), 120, 320));
}

void BoardPanel::selectDevice(const QString &id)
{
    const int sourceRow = m_devices->rowOf(id);
    QModelIndex index = m_proxy->mapFromSource(m_devices->index(sourceRow, 0));
    if (sourceRow >= 0 && !index.isValid()) {
        clearFilters();
        index = m_proxy->mapFromSource(m_devices->index(sourceRow, 0));
    }
    if (!index.isValid())
        return;
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
}

QString BoardPanel::currentDeviceId() const
{
    return m_table->currentIndex().data(BoardDeviceModel::IdRole).toString();
}

void BoardPanel::showTimeline()
{
    const QString id = currentDeviceId();
    const journey::Journey *j = id.isEmpty() ? nullptr : m_board.device(id);
    m_timeline->clear();
    if (!j) {
        m_timelineTitle->setText(tr("Select a device to see its timeline."));
        return;
    }
    QString title = tr("<b>%1</b>").arg(id.toHtmlEscaped());
    if (!j->name.isEmpty() && j->name != id)
        title += tr(" (%1)").arg(j->name.toHtmlEscaped());
    title += tr(": %1").arg(journey::stageTitle(j->stage()));
    if (j->stage() == Stage::Failed && !j->failureReason().isEmpty()) // a sentence: in full here
        title += tr("<br><span style='color:#b91c1c'>%1 failed: %2</span>")
                     .arg(j->failureStep().toHtmlEscaped(), j->failureReason().toHtmlEscaped());
    if (j->stuck)
        title += tr(", <span style='color:#b45309'>stuck for %1 min</span>")
                     .arg(j->stuckForMs(m_board.now()) / 60000);
    m_timelineTitle->setText(title);
    QList<QTreeWidgetItem *> items;
    for (const journey::TimelineEntry &e : j->timeline()) {
        QString detail = e.from == e.to
            ? journey::stageTitle(e.to)
            : tr("%1 \u2192 %2").arg(journey::stageTitle(e.from), journey::stageTitle(e.to));
        if (!e.note.isEmpty())
            detail += tr(": %1").arg(e.note);
        auto *item = new QTreeWidgetItem({timeText(e.timeMs), e.recordKind, detail});
        item->setToolTip(2, detail);
        item->setData(0, Qt::UserRole, e.seq);
        if (e.to == Stage::Failed)
            item->setForeground(2, QColor(0xb9, 0x1c, 0x1c));
        else if (e.to == Stage::Onboarded)
            item->setForeground(2, QColor(0x15, 0x80, 0x3d));
        items << item;
    }
    m_timeline->addTopLevelItems(items);
}

void BoardPanel::updateSummary()
{
    if (!m_store) {
        m_summary->setText(tr("Opening the workspace store\u2026"));
        return;
    }
    const int total = m_board.size();
    const int shown = m_proxy->rowCount();
    const journey::StageCounts counts = m_board.counts();
    int stuck = 0;
    for (int s : counts.stuck)
        stuck += s;
    QString text = tr("%n device(s) on the board", nullptr, total);
    text += tr(" \u00b7 %1 onboarded \u00b7 %2 failed")
                .arg(counts.at(Stage::Onboarded))
                .arg(counts.at(Stage::Failed));
    if (stuck > 0)
        text += tr(" \u00b7 %n stuck", nullptr, stuck);
    if (shown != total)
        text += tr(" \u00b7 %1 shown").arg(shown);
    m_summary->setText(text);
}

QByteArray BoardPanel::saveState() const
{
    return m_splitter->saveState();
}

void BoardPanel::restoreState(const QByteArray &state)
{
    m_splitter->restoreState(state);
}

QList<DeviceLabel> BoardPanel::visibleLabels() const
{
    QHash<QString, QStringList> fingerprints;
    if (m_store) {
        if (auto fps = journey::inventoryFingerprints(*m_store))
            fingerprints = *fps;
    }
    QList<DeviceLabel> labels;
    for (int row = 0; row < m_proxy->rowCount(); ++row) {
        const QString id = m_proxy->index(row, 0).data(BoardDeviceModel::IdRole).toString();
        const journey::Journey *j = m_board.device(id);
        labels.append({id, j ? j->name : QString(), fingerprints.value(id).value(0)});
    }
    return labels;
}

} // namespace provbench
