#include "models/stagecountsmodel.h"

namespace provbench {

using journey::Stage;

StageCountsModel::StageCountsModel(const journey::Board &board, QObject *parent)
    : QAbstractTableModel(parent), m_board(board), m_counts(board.counts())
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &StageCountsModel::flush);
}

void StageCountsModel::setFilter(const journey::BoardFilter &filter)
{
    m_filter = filter;
    m_pending = true;
    flush();
}

void StageCountsModel::noteChanges(const journey::BoardDelta &delta)
{
    if (!delta.aggregates && delta.devices.isEmpty())
        return;
    m_pending = true;
    if (!m_timer.isActive())
        m_timer.start();
}

void StageCountsModel::flush()
{
    m_timer.stop();
    if (!m_pending)
        return;
    m_pending = false;
    const journey::StageCounts now = m_board.counts(m_filter);
    const int oldTotal = m_counts.total;
    int first = -1, last = -1;
    for (int s = 0; s < journey::kStageCount; ++s) {
        if (now.devices[size_t(s)] == m_counts.devices[size_t(s)]
            && now.stuck[size_t(s)] == m_counts.stuck[size_t(s)])
            continue;
        if (first < 0)
            first = s;
        last = s;
    }
    m_counts = now;
    if (first >= 0)
        emit dataChanged(index(first, 0), index(last, ColumnCount - 1));
    if (now.total != oldTotal)
        emit totalChanged(now.total);
}

int StageCountsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : journey::kStageCount;
}

int StageCountsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant StageCountsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const auto stage = Stage(index.row());
    switch (role) {
    case StageRole:
        return index.row();
    case CountRole:
        return m_counts.at(stage);
    case StuckCountRole:
        return m_counts.stuckAt(stage);
    case Qt::DisplayRole:
        switch (index.column()) {
        case StageColumn:
            return journey::stageTitle(stage);
        case DevicesColumn:
            return m_counts.at(stage);
        case StuckColumn:
            return m_counts.stuckAt(stage);
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant StageCountsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case StageColumn:
        return tr("Stage");
    case DevicesColumn:
        return tr("Devices");
    case StuckColumn:
        return tr("Stuck");
    default:
        return {};
    }
}

} // namespace provbench
