#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace provbench {

namespace enrollment {
struct EnrollmentRequest;
}

// One row per enrollment request waiting for manual approval (the
// ApprovalQueue's pending list, oldest first), as the Enrollment page shows it.
//
// Contract: setRequests() takes the whole current list (it is polled) and
// applies the difference: rows whose request is gone (decided here or by
// another process) are removed, new ones are appended, so a view keeps its
// selection across polls. The model never resets.
class PendingRequestsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column {
        DeviceColumn,
        KeyColumn,
        SubjectColumn,
        RequestedColumn,
        PeerColumn,
        ColumnCount
    };
    Q_ENUM(Column)
    enum Role {
        RequestIdRole = Qt::UserRole, // qint64
        DeviceIdRole,                 // QString
        CsrFingerprintRole,           // QString, "ab:cd:.."
    };
    Q_ENUM(Role)

    struct Row
    {
        qint64 id = 0;
        QString deviceId;
        QString keyType;     // "EC P-256", or why the CSR cannot be read
        QString subject;     // "CN=dev-1"
        QString requestedAt; // stored time format (UTC)
        QString peer;        // "127.0.0.1:53422", empty when unknown
        QString csrFingerprint;
    };

    explicit PendingRequestsModel(QObject *parent = nullptr);

    // A row for `request` (the CSR parsed for its key and subject); `peer` from the audit log.
    static Row describe(const enrollment::EnrollmentRequest &request, const QString &peer);

    // Removes rows whose request is not in `rows`, appends the new ones.
    void setRequests(const QList<Row> &rows);
    bool contains(qint64 id) const;
    qint64 requestIdAt(int row) const;
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QList<Row> m_rows;
};

} // namespace provbench
