#pragma once

#include "app/onboarding/onboardingstate.h"

#include <QAbstractTableModel>
#include <QPointer>

namespace provbench {

class DeviceRegistry;
class DeviceSession;

// One row per device of a DeviceRegistry, in the registry's order.
//
// Contract: the model follows the registry's signals with row inserts, row
// removals and dataChanged for the changed row; it never resets while the
// registry lives (a destroyed registry empties the model with one reset).
// Rows stay valid views: row N is registry->at(N).
class DeviceModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { Port, Bridge, Identity, Protocol, State, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        IdRole = Qt::UserRole, // QString: the device id (its port path)
        StateRole,             // int: OnboardingState
        FailureRole,           // QString: why the last operation failed, or empty
        ProgressRole,          // int: 0..100 while an operation runs, -1 otherwise
        PresentRole,           // bool: false once the port disappeared
        ActivityRole,          // QString: what runs now, empty when idle
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

private:
    QVariant displayText(const DeviceSession *session, int column) const;
    QVariant toolTip(const DeviceSession *session, int column) const;

    QPointer<DeviceRegistry> m_registry;
    int m_rows = 0; // rows as announced to views, kept apart from the registry's count
};

} // namespace provbench
