#include "models/devicemodel.h"

#include "app/onboarding/deviceregistry.h"

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

namespace provbench {

DeviceModel::DeviceModel(DeviceRegistry *registry, QObject *parent)
    : QAbstractTableModel(parent), m_registry(registry)
{
    if (!registry)
        return;
    m_rows = registry->count();
    connect(registry, &DeviceRegistry::deviceAboutToBeAdded, this,
        [this](int row) { beginInsertRows({}, row, row); });
    connect(registry, &DeviceRegistry::deviceAdded, this, [this](int) {
        ++m_rows;
        endInsertRows();
    });
    connect(registry, &DeviceRegistry::deviceAboutToBeRemoved, this,
        [this](int row) { beginRemoveRows({}, row, row); });
    connect(registry, &DeviceRegistry::deviceRemoved, this, [this](int) {
        --m_rows;
        endRemoveRows();
    });
    connect(registry, &DeviceRegistry::deviceChanged, this, [this](int row) {
        if (row >= 0 && row < m_rows)
            Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
    });
    connect(registry, &QObject::destroyed, this, [this] {
        beginResetModel();
        m_rows = 0;
        endResetModel();
    });
}

DeviceRegistry *DeviceModel::registry() const
{
    return m_registry;
}

DeviceSession *DeviceModel::session(const QModelIndex &index) const
{
    if (!index.isValid() || index.model() != this || !m_registry || index.row() >= m_rows)
        return nullptr;
    return m_registry->at(index.row());
}

QModelIndex DeviceModel::indexOf(const QString &id, int column) const
{
    if (!m_registry)
        return {};
    const int row = m_registry->indexOf(id);
    return row >= 0 && row < m_rows ? index(row, column) : QModelIndex();
}

int DeviceModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int DeviceModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DeviceModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DeviceSession *s = session(index);
    if (!s)
        return {};
    const DeviceRecord &r = s->record();
    switch (role) {
    case Qt::DisplayRole:
        return displayText(s, index.column());
    case Qt::ToolTipRole:
        return toolTip(s, index.column());
    case Qt::ForegroundRole:
        if (!r.present)
            return QGuiApplication::palette().color(QPalette::Disabled, QPalette::Text);
        return {};
    case IdRole:
        return r.id;
    case StateRole:
        return int(r.state);
    case FailureRole:
        return r.failureReason;
    case ProgressRole:
        return r.progress;
    case PresentRole:
        return r.present;
    case ActivityRole:
        return r.activity;
    default:
        return {};
    }
}

QVariant DeviceModel::displayText(const DeviceSession *session, int column) const
{
    const DeviceRecord &r = session->record();
    switch (Column(column)) {
    case Port: {
        const QString name = r.port.portName.isEmpty() ? r.port.path : r.port.portName;
        return r.present ? name : tr("%1 (unplugged)").arg(name);
    }
    case Bridge:
        if (!r.port.bridge.isEmpty())
            return r.port.bridge;
        if (!r.port.vidPid().isEmpty())
            return r.port.vidPid();
        if (r.port.userAdded)
            return tr("Virtual port"); // a pty or socat link; its target is in the tooltip
        if (!r.port.description.isEmpty())
            return r.port.description;
        return tr("No USB IDs");
    case Identity: {
        const QString summary = r.identitySummary();
        const QString name = r.info ? r.info->deviceName : QString();
        if (!name.isEmpty() && !summary.isEmpty())
            return tr("%1 \u00b7 %2").arg(name, summary);
        if (!summary.isEmpty())
            return summary;
        if (!name.isEmpty())
            return name;
        return tr("Not identified yet");
    }
    case Protocol:
        return r.protocols.isEmpty() ? tr("Unknown") : r.protocols.join(QLatin1String(", "));
    case State:
        return stateDisplayName(r.state);
    case ColumnCount:
        break;
    }
    return {};
}

QString DeviceModel::stateDisplayName(OnboardingState state)
{
    QString name = onboardingStateName(state);
    if (!name.isEmpty())
        name[0] = name[0].toUpper();
    return name;
}

QVariant DeviceModel::toolTip(const DeviceSession *session, int column) const
{
    const DeviceRecord &r = session->record();
    QStringList lines;
    if (column == Port || column == Bridge) {
        lines << r.port.path;
        if (!r.port.description.isEmpty())
            lines << r.port.description;
        if (!r.port.vidPid().isEmpty())
            lines << tr("USB %1").arg(r.port.vidPid());
        if (!r.port.serialNumber.isEmpty())
            lines << tr("Serial number %1").arg(r.port.serialNumber);
    }
    if (!r.present)
        lines << tr("The port is gone: plug the device back in to work with it again.");
    if (!r.activity.isEmpty())
        lines << r.activity;
    if (r.state == OnboardingState::Failed && !r.failureReason.isEmpty())
        lines << r.failureReason;
    if (lines.isEmpty())
        return {};
    return lines.join(QLatin1Char('\n'));
}

QVariant DeviceModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Port:
        return tr("Port");
    case Bridge:
        return tr("Bridge");
    case Identity:
        return tr("Identity");
    case Protocol:
        return tr("Protocol");
    case State:
        return tr("State");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> DeviceModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(IdRole, "deviceId");
    names.insert(StateRole, "state");
    names.insert(FailureRole, "failure");
    names.insert(ProgressRole, "progress");
    names.insert(PresentRole, "present");
    names.insert(ActivityRole, "activity");
    return names;
}

} // namespace provbench
