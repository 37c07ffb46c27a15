#pragma once

#include "app/onboarding/journey/board.h"

#include <QAbstractTableModel>
#include <QTimer>

namespace provbench {

// The pipeline: one row per stage (in journey order, Failed last) with the
// number of devices in it and how many of those are stuck. Rows never come or
// go; a batch emits dataChanged for the rows whose numbers changed, at most
// every flushInterval() (100 ms). The counts cover the devices that match
// filter().
class StageCountsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { StageColumn, DevicesColumn, StuckColumn, ColumnCount };
    enum Role {
        StageRole = Qt::UserRole + 1, // int (journey::Stage)
        CountRole,                    // int
        StuckCountRole,               // int
    };

    explicit StageCountsModel(const journey::Board &board, QObject *parent = nullptr);

    void setFilter(const journey::BoardFilter &filter);
    const journey::BoardFilter &filter() const { return m_filter; }
    int total() const { return m_counts.total; }

    void noteChanges(const journey::BoardDelta &delta);
    void flush();
    void setFlushInterval(int ms) { m_timer.setInterval(ms); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

signals:
    void totalChanged(int total);

private:
    const journey::Board &m_board;
    journey::BoardFilter m_filter;
    journey::StageCounts m_counts;
    bool m_pending = false;
    QTimer m_timer;
};

} // namespace provbench
