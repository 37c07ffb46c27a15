#pragma once

#include "app/onboarding/journey/expecteddevices.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QTimer;

namespace provbench {

class BatchController;
class BatchEntryModel;
class Workbench;

// The Batch page: commissions every device that appears, several at once,
// each with its profile (BatchController composes the engine's BatchRunner).
//
// - "Import CSV…" reads the expected devices (serial number, site, name,
//   profile); every problem is listed with its line and column, and Start is
//   refused while there are any. The default profile is used without a CSV,
//   and for rows that name no profile (changing it re-reads the CSV).
// - "Parallel": devices worked on at once (1..16).
// - Start / Stop: a batch takes every device that appears until Stop; the
//   devices in progress then finish. The summary line counts done, skipped,
//   unknown, failed, in progress and expected-but-not-seen devices, and says
//   "Idle" when nothing waits or runs.
// - The table lists every device the batch came across with its status
//   (coloured badge) and message; "Expected, not seen yet" lists the CSV's
//   devices no device matched so far.
// Progress also shows on the Board page, which follows the same audit log.
class BatchPanel : public QWidget
{
    Q_OBJECT
public:
    explicit BatchPanel(Workbench *workbench, QWidget *parent = nullptr);
    ~BatchPanel() override;

    // What "Import CSV…" does after its file dialog; true when the file has
    // no problems (otherwise they are listed on the page).
    bool importCsv(const QString &path);
    void clearCsv();
    // What Start does; false with the reason shown on the page.
    bool startBatch();
    void stopBatch();

    BatchController *controller() const { return m_controller; }
    BatchEntryModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    QComboBox *profileCombo() const { return m_profile; }
    QSpinBox *parallelSpin() const { return m_parallel; }
    QPushButton *startButton() const { return m_start; }
    QPushButton *stopButton() const { return m_stop; }
    QListWidget *problemsList() const { return m_problems; }
    QListWidget *notSeenList() const { return m_notSeen; }
    QString summaryText() const;
    QString errorText() const;
    const QList<journey::ExpectedDevice> &expected() const { return m_expected; }

private:
    QWidget *buildControls();
    void chooseCsv();
    void reloadProfiles();
    void parseCsv();
    void showError(const QString &text);
    void addWarning(const QString &text);
    void updateState();
    void scheduleSummary();
    void updateSummary();

    Workbench *m_workbench;
    BatchController *m_controller;
    BatchEntryModel *m_model;
    QSortFilterProxyModel *m_proxy;

    QString m_csvPath;
    QByteArray m_csv;
    QList<journey::ExpectedDevice> m_expected;
    QList<journey::CsvProblem> m_csvProblems;
    QStringList m_warnings;

    QPushButton *m_import = nullptr;
    QPushButton *m_clearCsv = nullptr;
    QLabel *m_csvLabel = nullptr;
    QComboBox *m_profile = nullptr;
    QSpinBox *m_parallel = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QWidget *m_problemsBox = nullptr;
    QLabel *m_problemsTitle = nullptr;
    QListWidget *m_problems = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_warning = nullptr;
    QLabel *m_summary = nullptr;
    QTableView *m_table = nullptr;
    QWidget *m_notSeenBox = nullptr;
    QLabel *m_notSeenTitle = nullptr;
    QListWidget *m_notSeen = nullptr;
    QTimer *m_summaryTimer = nullptr;
};

} // namespace provbench
