#include "models/failurebreakdownmodel.h"

#include <QHash>

namespace provbench {

namespace {
constexpr int kDevicesShown = 10;
}

FailureBreakdownModel::FailureBreakdownModel(const journey::Board &board, QObject *parent)
    : QAbstractTableModel(parent), m_board(board), m_rows(board.failures())
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &FailureBreakdownModel::flush);
}

void FailureBreakdownModel::setFilter(const journey::BoardFilter &filter)
{
    m_filter = filter;
    m_pending = true;
    flush();
}

void FailureBreakdownModel::noteChanges(const journey::BoardDelta &delta)
{
    if (!delta.aggregates)
        return;
    m_pending = true;
    if (!m_timer.isActive())
        m_timer.start();
}

void FailureBreakdownModel::flush()
{
    m_timer.stop();
    if (!m_pending)
        return;
    m_pending = false;
    const QList<journey::FailureGroup> groups = m_board.failures(m_filter);
    QHash<QString, qsizetype> now;
    for (qsizetype i = 0; i < groups.size(); ++i)
        now.insert(groups[i].reason, i);

    for (qsizetype row = m_rows.size() - 1; row >= 0; --row) {
        if (now.contains(m_rows[row].reason))
            continue;
        beginRemoveRows({}, int(row), int(row));
        m_rows.removeAt(row);
        endRemoveRows();
    }
    QHash<QString, qsizetype> shown;
    for (qsizetype row = 0; row < m_rows.size(); ++row) {
        shown.insert(m_rows[row].reason, row);
        const journey::FailureGroup &g = groups[now.value(m_rows[row].reason)];
        if (g.deviceIds == m_rows[row].deviceIds)
            continue;
        m_rows[row].deviceIds = g.deviceIds;
        emit dataChanged(index(int(row), 0), index(int(row), ColumnCount - 1));
    }
    QList<journey::FailureGroup> added;
    for (const journey::FailureGroup &g : groups) {
        if (!shown.contains(g.reason))
            added.append(g); // already ordered by count, then reason
    }
    if (added.isEmpty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    m_rows.append(added);
    endInsertRows();
}

int FailureBreakdownModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int FailureBreakdownModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant FailureBreakdownModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const journey::FailureGroup &g = m_rows[index.row()];
    switch (role) {
    case ReasonRole:
        return g.reason;
    case CountRole:
        return int(g.deviceIds.size());
    case DeviceIdsRole:
        return g.deviceIds;
    case Qt::DisplayRole:
        switch (index.column()) {
        case ReasonColumn:
            return g.reason;
        case CountColumn:
            return int(g.deviceIds.size());
        case DevicesColumn: {
            QString text = g.deviceIds.first(std::min<qsizetype>(kDevicesShown, g.deviceIds.size()))
                               .join(QStringLiteral(", "));
            if (g.deviceIds.size() > kDevicesShown)
                text += tr(" and %1 more").arg(g.deviceIds.size() - kDevicesShown);
            return text;
        }
        default:
            return {};
        }
    default:
        return {};
    }
}

QVariant FailureBreakdownModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case ReasonColumn:
        return tr("Reason");
    case CountColumn:
        return tr("Devices");
    case DevicesColumn:
        return tr("Which");
    default:
        return {};
    }
}

} // namespace provbench
