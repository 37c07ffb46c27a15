#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QString>

namespace provbench {

namespace store {
struct AuditRecord;
}

// The enrollment events of the audit log, newest first: token.issued,
// enroll.request, enroll.pending/approved/denied, cert.issued, checkin and
// failure, each with its device and a one-line summary of its details
// (reason, status, peer, serial, ...; never a secret: the audit log holds none).
//
// Contract: addRecords() takes records oldest first, keeps only the kinds
// above, inserts them at the top and drops the oldest rows beyond
// kMaxRows. The model never resets.
class EnrollmentEventsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    static constexpr int kMaxRows = 500;
    enum Column { TimeColumn, KindColumn, DeviceColumn, SummaryColumn, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        SeqRole = Qt::UserRole, // qint64
        KindRole,               // QString
        DeviceIdRole,           // QString
        FailureRole,            // bool: failure or enroll.denied
    };
    Q_ENUM(Role)

    explicit EnrollmentEventsModel(QObject *parent = nullptr);

    static bool isEnrollmentKind(const QString &kind);
    // "denied by alice@bench: wrong batch", "401 Wrong or unknown token ... (from 127.0.0.1:5)".
    static QString summary(const store::AuditRecord &record);

    void addRecords(const QList<store::AuditRecord> &records);
    qint64 lastSeq() const { return m_lastSeq; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Row
    {
        qint64 seq = 0;
        QString time;
        QString kind;
        QString deviceId;
        QString summary;
    };
    QList<Row> m_rows; // newest first
    qint64 m_lastSeq = 0;
};

} // namespace provbench
