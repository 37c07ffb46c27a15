#pragma once

#include "app/onboarding/onboardingstate.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QPointer>

namespace provbench {

class DeviceRegistry;
class DeviceSession;

// One row per device of a DeviceRegistry, in the registry's order: serial
// ports and BLE devices side by side, told apart by the Transport column.
// The Signal column is empty for serial devices; for BLE ones its text is the
// RSSI in dBm, or "seen 12 s ago" once the device has been silent for
// kStaleSeconds; RssiRole/SignalBarsRole/LastSeenRole carry the values a
// delegate paints as bars, and the tooltip always has both.
//
// Contract: the model follows the registry's signals with row inserts, row
// removals and dataChanged for the changed row; it never resets while the
// registry lives (a destroyed registry empties the model with one reset).
// Rows stay valid views: row N is registry->at(N).
class DeviceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Port, Transport, Bridge, Identity, Protocol, Signal, State, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        IdRole = Qt::UserRole, // QString: the device id (its port path)
        StateRole,             // int: OnboardingState
        FailureRole,           // QString: why the last operation failed, or empty
        ProgressRole,          // int: 0..100 while an operation runs, -1 otherwise
        PresentRole,           // bool: false once the port disappeared
        ActivityRole,          // QString: what runs now, empty when idle
        TransportRole,         // int: provbench::Transport
        RssiRole,              // int: dBm of the last advertisement, 0 unknown (and serial)
        SignalBarsRole,        // int: 0..4 for BLE (ble::signalBars), -1 for serial
        LastSeenRole,          // QDateTime: last advertisement (BLE), invalid for serial
        ProvisionableRole,     // bool: BLE advertises Improv or SMP; always true for serial
    };
    Q_ENUM(Role)

    explicit DeviceModel(DeviceRegistry *registry, QObject *parent = nullptr);

    DeviceRegistry *registry() const;
    DeviceSession *session(const QModelIndex &index) const;
    QModelIndex indexOf(const QString &id, int column = Port) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // "Provisioned": the engine's state name as a column or badge shows it.
    static QString stateDisplayName(OnboardingState state);
    // A BLE device not heard for this long shows when it was last heard
    // instead of its old RSSI.
    static constexpr int kStaleSeconds = 5;
    static bool isStale(const QDateTime &lastSeen, const QDateTime &now);
    // "just now", "12 s ago", "3 min ago".
    static QString lastSeenText(const QDateTime &lastSeen, const QDateTime &now);

private:
    QVariant displayText(const DeviceSession *session, int column) const;
    QVariant toolTip(const DeviceSession *session, int column) const;

    QPointer<DeviceRegistry> m_registry;
    int m_rows = 0; // rows as announced to views, kept apart from the registry's count
};

} // namespace provbench
