#pragma once

#include "app/core/error.h"
#include "app/onboarding/journey/board.h"

#include <QWidget>

#include <functional>
#include <memory>

class QCheckBox;
class QComboBox;
class QFrame;
class QLabel;
class QPushButton;
class QSplitter;
class QTableView;
class QTreeWidget;

namespace provbench {

struct DeviceLabel;

namespace store {
class Store;
}
namespace journey {
class BoardFeed;
}
class BoardDeviceModel;
class BoardFilterProxy;
class FailureBreakdownModel;
class FailureView;
class PipelineView;
class StageCountsModel;
class ThroughputView;

// The onboarding board: the pipeline with live counts per stage (click a
// stage to list its devices), onboardings per minute, the failure breakdown
// (click a reason to list its devices), the device table with filters by site,
// profile, stage, transport and stuck-only, and the selected device's
// timeline.
//
// The board is read from a store's audit log and inventory (Board::load) and
// kept current by a BoardFeed whose batches go to every model. The store is
// opened lazily through the opener, the first time the page is shown; when
// it cannot be opened, a banner on the page says why and offers to try again.
// A double-click on a device emits deviceActivated (the main window shows it
// on the Devices page when it is there).
class BoardPanel : public QWidget
{
    Q_OBJECT
public:
    using StoreOpener = std::function<Result<store::Store *>()>;

    explicit BoardPanel(QWidget *parent = nullptr);
    ~BoardPanel() override;

    void setStoreOpener(StoreOpener opener) { m_opener = std::move(opener); }
    // Loads the board from `store` (which must outlive the panel) and follows
    // its audit log. Fails (and says so on the page) when the store cannot be read.
    Result<void> attach(store::Store *store);
    // Calls the opener, then attach(); does nothing when attached already.
    void openStore();
    bool isAttached() const { return m_store != nullptr; }
    // The problem shown on the page; empty when there is none.
    QString problemText() const;

    void selectDevice(const QString &id);
    QString currentDeviceId() const;
    // Clears every filter (stage, failure reason, site, ...).
    void clearFilters();

    PipelineView *pipeline() const { return m_pipeline; }
    ThroughputView *throughput() const { return m_throughput; }
    FailureView *failures() const { return m_failures; }
    QTableView *table() const { return m_table; }
    QTreeWidget *timeline() const { return m_timeline; }
    QComboBox *stageFilter() const { return m_stage; }
    BoardFilterProxy *proxy() const { return m_proxy; }
    StageCountsModel *countsModel() const { return m_counts; }
    journey::BoardFeed *feed() const { return m_feed.get(); }
    const journey::Board &board() const { return m_board; }

    QByteArray saveState() const;
    void restoreState(const QByteArray &state);

signals:
    void deviceActivated(const QString &id);

protected:
    void showEvent(QShowEvent *event) override;

private:
    QWidget *buildFilterBar();
    QWidget *buildSide();
    void showProblem(const QString &text, bool canRetry);
    // Labels for the devices the table shows now, with their certificate fingerprints.
    QList<DeviceLabel> visibleLabels() const;
    void applyFilters();
    void refreshChoices();
    void fitIdColumn();
    void refreshReasonFilter();
    void showTimeline();
    void onStageClicked(std::optional<journey::Stage> stage);
    void onReasonClicked(const QString &reason, const QStringList &devices);
    void updateSummary();

    StoreOpener m_opener;
    store::Store *m_store = nullptr;
    journey::Board m_board;
    std::unique_ptr<journey::BoardFeed> m_feed;
    BoardDeviceModel *m_devices;
    StageCountsModel *m_counts;
    FailureBreakdownModel *m_failureModel;
    BoardFilterProxy *m_proxy;

    QFrame *m_banner = nullptr;
    QLabel *m_bannerText = nullptr;
    QPushButton *m_retry = nullptr;
    QLabel *m_summary = nullptr;
    PipelineView *m_pipeline = nullptr;
    ThroughputView *m_throughput = nullptr;
    FailureView *m_failures = nullptr;
    QComboBox *m_site = nullptr;
    QComboBox *m_profile = nullptr;
    QComboBox *m_stage = nullptr;
    QComboBox *m_transport = nullptr;
    QCheckBox *m_stuckOnly = nullptr;
    QLabel *m_reasonChip = nullptr;
    QPushButton *m_clear = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_timelineTitle = nullptr;
    QTreeWidget *m_timeline = nullptr;
    QSplitter *m_splitter = nullptr;
    QString m_reason; // the failure reason filtered on, if any
};

} // namespace provbench
