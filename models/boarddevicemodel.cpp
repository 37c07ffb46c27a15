#include "models/boarddevicemodel.h"

#include <QDateTime>

#include <algorithm>

namespace provbench {

using journey::Journey;
using journey::Stage;

namespace {
// Changed rows closer than this are reported as one range.
constexpr int kMergeGap = 16;
} // namespace

BoardDeviceModel::BoardDeviceModel(const journey::Board &board, QObject *parent)
    : QAbstractTableModel(parent), m_board(board)
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(100);
    connect(&m_timer, &QTimer::timeout, this, &BoardDeviceModel::flush);
    reload();
}

void BoardDeviceModel::reload()
{
    beginResetModel();
    m_ids.clear();
    m_ids.reserve(m_board.size());
    for (int i = 0; i < m_board.size(); ++i)
        m_ids.append(m_board.at(i).id());
    reindex();
    m_pending.clear();
    endResetModel();
}

void BoardDeviceModel::reindex()
{
    m_rowOf.clear();
    m_rowOf.reserve(m_ids.size());
    for (int i = 0; i < m_ids.size(); ++i)
        m_rowOf.insert(m_ids[i], i);
}

void BoardDeviceModel::noteChanges(const journey::BoardDelta &delta)
{
    if (delta.devices.isEmpty())
        return;
    m_pending.unite(delta.devices);
    if (!m_timer.isActive())
        m_timer.start();
}

void BoardDeviceModel::flush()
{
    m_timer.stop();
    if (m_pending.isEmpty())
        return;
    QList<int> removed;
    QStringList added, changedIds;
    for (const QString &id : std::as_const(m_pending)) {
        const int row = m_rowOf.value(id, -1);
        const bool present = m_board.device(id) != nullptr;
        if (row >= 0 && !present)
            removed.append(row);
        else if (row < 0 && present)
            added.append(id);
        else if (row >= 0)
            changedIds.append(id);
    }
    m_pending.clear();

    if (!removed.isEmpty()) {
        std::sort(removed.begin(), removed.end(), std::greater<int>());
        for (qsizetype i = 0; i < removed.size();) {
            qsizetype j = i;
            while (j + 1 < removed.size() && removed[j + 1] == removed[j] - 1)
                ++j;
            const int first = removed[j], last = removed[i];
            beginRemoveRows({}, first, last);
            m_ids.remove(first, last - first + 1);
            endRemoveRows();
            i = j + 1;
        }
        reindex(); // rows after a removed one moved up
    }
    if (!added.isEmpty()) {
        std::sort(added.begin(), added.end());
        const int first = int(m_ids.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        for (const QString &id : std::as_const(added)) {
            m_rowOf.insert(id, int(m_ids.size()));
            m_ids.append(id);
        }
        endInsertRows();
    }
    QList<int> changed;
    changed.reserve(changedIds.size());
    for (const QString &id : std::as_const(changedIds))
        changed.append(m_rowOf.value(id));
    std::sort(changed.begin(), changed.end());
    for (qsizetype i = 0; i < changed.size();) {
        qsizetype j = i;
        while (j + 1 < changed.size() && changed[j + 1] - changed[j] <= kMergeGap)
            ++j;
        emit dataChanged(index(changed[i], 0), index(changed[j], ColumnCount - 1));
        i = j + 1;
    }
    emit flushed(int(added.size()), int(changed.size()), int(removed.size()));
}

int BoardDeviceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int BoardDeviceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BoardDeviceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const QString &id = m_ids[index.row()];
    const Journey *j = m_board.device(id);
    if (role == IdRole)
        return id;
    if (!j)
        return {}; // forgotten; the row goes at the next flush
    switch (role) {
    case StageRole:
        return int(j->stage());
    case SinceRole:
        return j->sinceMs();
    case StuckRole:
        return j->stuck;
    case StuckForRole:
        return j->stuckForMs(m_board.now());
    case FailureReasonRole:
        return j->failureReason();
    case FailureStepRole:
        return j->failureStep();
    case SiteRole:
        return j->site;
    case ProfileRole:
        return j->profile;
    case TransportRole:
        return j->transport;
    case ProfileKindRole:
        return journey::profileKindName(j->profileKind());
    case Qt::ToolTipRole:
        if (j->stage() == Stage::Failed)
            return tr("Failed at %1: %2").arg(j->failureStep(), j->failureReason());
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case IdColumn:
        return id;
    case NameColumn:
        return j->name;
    case SiteColumn:
        return j->site;
    case ProfileColumn:
        return j->profile;
    case TransportColumn:
        return j->transport;
    case StageColumn:
        return journey::stageTitle(j->stage());
    case SinceColumn:
        return j->sinceMs() > 0 ? QDateTime::fromMSecsSinceEpoch(j->sinceMs())
                                      .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                                : QString();
    case StuckColumn:
        return j->stuck ? tr("%1 min").arg(j->stuckForMs(m_board.now()) / 60000) : QString();
    case FailureColumn:
        return j->failureReason();
    default:
        return {};
    }
}

QVariant BoardDeviceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case IdColumn:
        return tr("Device");
    case NameColumn:
        return tr("Name");
    case SiteColumn:
        return tr("Site");
    case ProfileColumn:
        return tr("Profile");
    case TransportColumn:
        return tr("Transport");
    case StageColumn:
        return tr("Stage");
    case SinceColumn:
        return tr("Since");
    case StuckColumn:
        return tr("Stuck");
    case FailureColumn:
        return tr("Failure");
    default:
        return {};
    }
}

QHash<int, QByteArray> BoardDeviceModel::roleNames() const
{
    auto names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "deviceId");
    names.insert(StageRole, "stage");
    names.insert(SinceRole, "since");
    names.insert(StuckRole, "stuck");
    names.insert(StuckForRole, "stuckFor");
    names.insert(FailureReasonRole, "failureReason");
    names.insert(FailureStepRole, "failureStep");
    names.insert(SiteRole, "site");
    names.insert(ProfileRole, "profile");
    names.insert(TransportRole, "transport");
    names.insert(ProfileKindRole, "profileKind");
    return names;
}

} // namespace provbench
