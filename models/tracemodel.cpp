#include "models/tracemodel.h"

#include "app/onboarding/devicesession.h"

#include <QColor>
#include <QFontDatabase>

namespace provbench {

TraceModel::TraceModel(QObject *parent) : QAbstractTableModel(parent) { }

DeviceSession *TraceModel::session() const
{
    return m_session;
}

void TraceModel::setSession(DeviceSession *session)
{
    if (m_session == session)
        return;
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    if (session) {
        connect(session, &DeviceSession::traceAppended, this, &TraceModel::append);
        connect(session, &DeviceSession::traceCleared, this, &TraceModel::reload);
        connect(session, &QObject::destroyed, this, [this](QObject *gone) {
            if (m_session && m_session != gone)
                return; // a late signal from a session we no longer show
            beginResetModel();
            m_entries.clear();
            endResetModel();
        });
    }
    reload();
}

void TraceModel::setCapacity(int capacity)
{
    m_capacity = qMax(1, capacity);
    trimTo(m_capacity);
}

void TraceModel::reload()
{
    beginResetModel();
    m_entries.clear();
    if (m_session) {
        const QList<TraceEntry> &all = m_session->trace();
        const qsizetype first = qMax<qsizetype>(0, all.size() - m_capacity);
        m_entries = all.mid(first);
    }
    endResetModel();
}

void TraceModel::append(const TraceEntry &entry)
{
    trimTo(m_capacity - 1);
    const int row = int(m_entries.size());
    beginInsertRows({}, row, row);
    m_entries.append(entry);
    endInsertRows();
}

void TraceModel::trimTo(int rows)
{
    const int excess = int(m_entries.size()) - qMax(0, rows);
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_entries.remove(0, excess);
    endRemoveRows();
}

QString TraceModel::directionText(TraceEntry::Direction direction)
{
    switch (direction) {
    case TraceEntry::Direction::Sent:
        return tr("\u2192 sent");
    case TraceEntry::Direction::Received:
        return tr("\u2190 received");
    case TraceEntry::Direction::DeviceLog:
        return tr("log");
    case TraceEntry::Direction::Note:
        return tr("note");
    }
    return {};
}

QString TraceModel::lineForRow(int row) const
{
    const TraceEntry &e = m_entries.at(row);
    QStringList fields{
        e.time.toString(QStringLiteral("hh:mm:ss.zzz")), directionText(e.direction), e.summary};
    if (!e.hex.isEmpty())
        fields << e.hex;
    return fields.join(QLatin1Char('\t'));
}

int TraceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_entries.size());
}

int TraceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TraceEntry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Time:
            return e.time.toString(QStringLiteral("hh:mm:ss.zzz"));
        case Direction:
            return directionText(e.direction);
        case Summary:
            return e.summary;
        case Bytes:
            return e.hex;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Summary && !e.summary.isEmpty())
            return e.summary;
        if (index.column() == Bytes && !e.hex.isEmpty())
            return e.hex;
        return {};
    case Qt::FontRole:
        if (index.column() == Bytes || index.column() == Time)
            return QFontDatabase::systemFont(QFontDatabase::FixedFont);
        return {};
    case Qt::ForegroundRole:
        switch (e.direction) {
        case TraceEntry::Direction::Sent:
            return QColor(0x1d, 0x4e, 0xd8);
        case TraceEntry::Direction::Received:
            return QColor(0x04, 0x78, 0x57);
        case TraceEntry::Direction::DeviceLog:
            return QColor(0x6b, 0x72, 0x80);
        case TraceEntry::Direction::Note:
            return {};
        }
        return {};
    case DirectionRole:
        return int(e.direction);
    case TimestampRole:
        return e.time;
    default:
        return {};
    }
}

QVariant TraceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time:
        return tr("Time");
    case Direction:
        return tr("Direction");
    case Summary:
        return tr("Summary");
    case Bytes:
        return tr("Bytes");
    case ColumnCount:
        break;
    }
    return {};
}

} // namespace provbench
