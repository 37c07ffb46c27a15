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
    case TransportRole:
        return int(r.transport);
    case RssiRole:
        return r.isBle() ? int(r.ble.advert.rssi) : 0;
    case SignalBarsRole:
        return r.isBle() ? ble::signalBars(r.ble.advert.rssi) : -1;
    case LastSeenRole:
        return r.isBle() ? r.ble.lastSeen : QDateTime();
    case ProvisionableRole:
        return !r.isBle() || r.ble.isProvisionable();
    default:
        return {};
    }
}

QVariant DeviceModel::displayText(const DeviceSession *session, int column) const
{
    const DeviceRecord &r = session->record();
    switch (Column(column)) {
    case Port: {
        if (r.isBle())
            return r.present ? r.ble.advert.address
                             : tr("%1 (out of range)").arg(r.ble.advert.address);
        const QString name = r.port.portName.isEmpty() ? r.port.path : r.port.portName;
        return r.present ? name : tr("%1 (unplugged)").arg(name);
    }
    case Transport:
        return r.transportName();
    case Bridge:
        if (r.isBle())
            return r.connected ? tr("Connected") : QString();
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
        if (r.isBle() && !r.ble.advert.name.isEmpty())
            return tr("%1 (advertised)").arg(r.ble.advert.name);
        return tr("Not identified yet");
    }
    case Protocol: {
        QString text
            = r.protocols.isEmpty() ? tr("Unknown") : r.protocols.join(QLatin1String(", "));
        // Over BLE a device may refuse writes until its button is pressed.
        if (r.isBle() && r.improvState == improv::State::AuthorizationRequired)
            text += tr(" \u2014 press button");
        return text;
    }
    case Signal: {
        if (!r.isBle())
            return QString();
        // A stale reading says nothing about the signal now: say when it was.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        if (isStale(r.ble.lastSeen, now))
            return tr("seen %1").arg(lastSeenText(r.ble.lastSeen, now));
        return r.ble.advert.rssi == 0 ? tr("\u2014") : tr("%1 dBm").arg(r.ble.advert.rssi);
    }
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

bool DeviceModel::isStale(const QDateTime &lastSeen, const QDateTime &now)
{
    return lastSeen.isValid() && lastSeen.secsTo(now) >= kStaleSeconds;
}

QString DeviceModel::lastSeenText(const QDateTime &lastSeen, const QDateTime &now)
{
    const qint64 secs = qMax<qint64>(0, lastSeen.secsTo(now));
    if (secs < 2)
        return tr("just now");
    if (secs < 120)
        return tr("%1 s ago").arg(secs);
    if (secs < 7200)
        return tr("%1 min ago").arg(secs / 60);
    return tr("%1 h ago").arg(secs / 3600);
}

QVariant DeviceModel::toolTip(const DeviceSession *session, int column) const
{
    const DeviceRecord &r = session->record();
    QStringList lines;
    if (r.isBle() && (column == Port || column == Signal || column == Transport)) {
        if (!r.ble.advert.name.isEmpty())
            lines << tr("%1, advertising as \u201c%2\u201d")
                         .arg(r.ble.advert.address, r.ble.advert.name);
        else
            lines << r.ble.advert.address;
        if (r.ble.advert.rssi != 0)
            lines << tr("Signal %1 dBm (%2 of 4 bars)")
                         .arg(r.ble.advert.rssi)
                         .arg(ble::signalBars(r.ble.advert.rssi));
        if (r.ble.lastSeen.isValid())
            lines << tr("Last seen %1")
                         .arg(lastSeenText(r.ble.lastSeen, QDateTime::currentDateTimeUtc()));
        const QString summary = ble::protocolSummary(r.ble);
        if (!summary.isEmpty())
            lines << tr("Advertises %1").arg(summary);
        if (r.connected)
            lines << tr("Connected");
    } else if (!r.isBle() && (column == Port || column == Bridge || column == Transport)) {
        lines << r.port.path;
        if (!r.port.description.isEmpty())
            lines << r.port.description;
        if (!r.port.vidPid().isEmpty())
            lines << tr("USB %1").arg(r.port.vidPid());
        if (!r.port.serialNumber.isEmpty())
            lines << tr("Serial number %1").arg(r.port.serialNumber);
    }
    if (!r.present) {
        lines << (r.isBle() ? tr("The device stopped advertising: bring it closer or wake it up "
                                 "to work with it again.")
                            : tr("The port is gone: plug the device back in to work with it "
                                 "again."));
    }
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
        return tr("Port / Address");
    case Transport:
        return tr("Transport");
    case Signal:
        return tr("Signal");
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
    names.insert(TransportRole, "transport");
    names.insert(RssiRole, "rssi");
    names.insert(SignalBarsRole, "signalBars");
    names.insert(LastSeenRole, "lastSeen");
    names.insert(ProvisionableRole, "provisionable");
    return names;
}

} // namespace provbench
