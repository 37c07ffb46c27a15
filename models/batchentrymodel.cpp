#include "models/batchentrymodel.h"

namespace provbench {

using onboarding::batch::BatchEntry;
using onboarding::batch::BatchRunner;

BatchEntryModel::BatchEntryModel(QObject *parent) : QAbstractTableModel(parent) { }

void BatchEntryModel::setRunner(BatchRunner *runner)
{
    if (runner == m_runner)
        return;
    beginResetModel();
    if (m_runner)
        disconnect(m_runner, nullptr, this, nullptr);
    m_runner = runner;
    m_rows = runner ? int(runner->entries().size()) : 0;
    if (runner) {
        connect(runner, &BatchRunner::entryAdded, this, &BatchEntryModel::onEntryAdded);
        connect(runner, &BatchRunner::entryChanged, this, &BatchEntryModel::onEntryChanged);
        connect(runner, &QObject::destroyed, this, [this] {
            beginResetModel();
            m_runner = nullptr;
            m_rows = 0;
            endResetModel();
        });
    }
    endResetModel();
}

void BatchEntryModel::onEntryAdded(int row)
{
    // The runner appends before it tells: announce every row up to `row`.
    if (!m_runner || row < m_rows)
        return;
    beginInsertRows({}, m_rows, row);
    m_rows = row + 1;
    endInsertRows();
}

void BatchEntryModel::onEntryChanged(int row)
{
    if (row < 0 || row >= m_rows || !m_runner)
        return;
    Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QString BatchEntryModel::statusTitle(BatchEntry::Status status)
{
    switch (status) {
    case BatchEntry::Status::Waiting:
        return tr("Waiting");
    case BatchEntry::Status::Identifying:
        return tr("Identifying");
    case BatchEntry::Status::Provisioning:
        return tr("Provisioning");
    case BatchEntry::Status::Done:
        return tr("Done");
    case BatchEntry::Status::Skipped:
        return tr("Skipped");
    case BatchEntry::Status::Unknown:
        return tr("Unknown");
    case BatchEntry::Status::Busy:
        return tr("Busy");
    case BatchEntry::Status::Failed:
        return tr("Failed");
    }
    return {};
}

int BatchEntryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_runner ? 0 : m_rows;
}

int BatchEntryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant BatchEntryModel::data(const QModelIndex &index, int role) const
{
    if (!m_runner || !index.isValid() || index.row() >= m_rows
        || index.row() >= m_runner->entries().size())
        return {};
    const BatchEntry &e = m_runner->entries().at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case SourceColumn:
            return e.source;
        case DeviceColumn:
            return e.deviceId;
        case NameColumn:
            return e.name;
        case SiteColumn:
            return e.site;
        case ProtocolColumn:
            return e.protocol;
        case ProfileColumn:
            return e.profile;
        case StatusColumn:
            return statusTitle(e.status);
        case MessageColumn:
            return e.message;
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole: {
        if (index.column() == DeviceColumn && !e.keys.isEmpty())
            return tr("The device reports: %1").arg(e.keys.join(QStringLiteral(", ")));
        if (index.column() == SourceColumn)
            return e.source;
        if (index.column() == NameColumn)
            return {};
        return e.message.isEmpty() ? QVariant() : QVariant(e.message);
    }
    case StatusRole:
        return int(e.status);
    case SourceRole:
        return e.source;
    case DeviceIdRole:
        return e.deviceId;
    case MessageRole:
        return e.message;
    case TransportRole:
        return e.transport;
    case KeysRole:
        return e.keys;
    case CsvLineRole:
        return e.csvLine;
    case SecondsRole:
        return e.isSettled() && e.finishedMs > 0 && e.startedMs > 0
            ? double(e.finishedMs - e.startedMs) / 1000.0
            : 0.0;
    default:
        return {};
    }
}

QVariant BatchEntryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case SourceColumn:
        return tr("Source");
    case DeviceColumn:
        return tr("Device");
    case NameColumn:
        return tr("Name");
    case SiteColumn:
        return tr("Site");
    case ProtocolColumn:
        return tr("Protocol");
    case ProfileColumn:
        return tr("Profile");
    case StatusColumn:
        return tr("Status");
    case MessageColumn:
        return tr("Message");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> BatchEntryModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(StatusRole, "status");
    names.insert(SourceRole, "source");
    names.insert(DeviceIdRole, "deviceId");
    names.insert(MessageRole, "message");
    names.insert(TransportRole, "transport");
    names.insert(KeysRole, "keys");
    names.insert(CsvLineRole, "csvLine");
    names.insert(SecondsRole, "seconds");
    return names;
}

} // namespace provbench
