#pragma once

#include "app/onboarding/batch/batchrunner.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QPointer>

#include <functional>

namespace provbench {

// One row per device a BatchRunner came across, in the order it came across
// them. Follows the runner live: entryAdded appends a row (rowsInserted),
// entryChanged emits dataChanged for that row; rows are never removed and
// the model never resets while it follows one runner. setRunner() (a new
// batch) is the one reset. The runner is not owned; when it is destroyed the
// model becomes empty. A failed device's message starts with its reason
// (BatchRunner words it so).
class BatchEntryModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        SourceColumn, // port path, or "ble:" + address
        DeviceColumn, // the expected serial number, or the identity's first key
        NameColumn,
        SiteColumn,
        ProtocolColumn,
        ProfileColumn,
        StatusColumn,
        MessageColumn,
        ColumnCount
    };
    enum Role {
        StatusRole = Qt::UserRole + 1, // int (onboarding::batch::BatchEntry::Status)
        SourceRole,
        DeviceIdRole,
        MessageRole,
        TransportRole, // "serial" or "ble"
        KeysRole,      // QStringList: what the device said about itself
        CsvLineRole,   // int; 0 when the device matched no CSV row
        SecondsRole,   // double: how long the device took; 0 until it is settled
    };

    explicit BatchEntryModel(QObject *parent = nullptr);

    void setRunner(onboarding::batch::BatchRunner *runner);
    onboarding::batch::BatchRunner *runner() const { return m_runner; }

    // "Waiting", "Identifying", "Done", ...: the status as the table shows it.
    static QString statusTitle(onboarding::batch::BatchEntry::Status status);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void onEntryAdded(int row);
    void onEntryChanged(int row);

    QPointer<onboarding::batch::BatchRunner> m_runner;
    int m_rows = 0; // rows announced so far (entries may run ahead inside a signal)
};

} // namespace provbench
