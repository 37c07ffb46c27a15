#include "models/pendingrequestsmodel.h"

#include "app/crypto/csr.h"
#include "app/onboarding/enrollment/approvalqueue.h"

#include <QDateTime>
#include <QSet>

namespace provbench {

PendingRequestsModel::PendingRequestsModel(QObject *parent) : QAbstractTableModel(parent) { }

PendingRequestsModel::Row PendingRequestsModel::describe(
    const enrollment::EnrollmentRequest &request, const QString &peer)
{
    Row row;
    row.id = request.id;
    row.deviceId = request.deviceId;
    row.requestedAt = request.createdAt;
    row.peer = peer;
    row.csrFingerprint = request.csrFingerprint;
    auto csr = crypto::CertificateRequest::parse(request.csrDer);
    if (!csr) {
        row.keyType = tr("unreadable CSR");
        return row;
    }
    row.subject = csr->subject();
    auto key = csr->publicKey();
    row.keyType = key ? key->description() : tr("unknown key");
    return row;
}

void PendingRequestsModel::setRequests(const QList<Row> &rows)
{
    QSet<qint64> wanted;
    for (const Row &r : rows)
        wanted.insert(r.id);
    for (int i = int(m_rows.size()) - 1; i >= 0; --i) {
        if (!wanted.contains(m_rows.at(i).id)) {
            beginRemoveRows({}, i, i);
            m_rows.removeAt(i);
            endRemoveRows();
        }
    }
    for (const Row &r : rows) {
        const int existing = rowOf(r.id);
        if (existing >= 0) {
            if (m_rows.at(existing).peer != r.peer && !r.peer.isEmpty()) {
                m_rows[existing].peer = r.peer;
                Q_EMIT dataChanged(index(existing, PeerColumn), index(existing, PeerColumn));
            }
            continue;
        }
        const int at = int(m_rows.size());
        beginInsertRows({}, at, at);
        m_rows.append(r);
        endInsertRows();
    }
}

bool PendingRequestsModel::contains(qint64 id) const
{
    return rowOf(id) >= 0;
}

qint64 PendingRequestsModel::requestIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : 0;
}

int PendingRequestsModel::rowOf(qint64 id) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).id == id)
            return i;
    }
    return -1;
}

int PendingRequestsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int PendingRequestsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant PendingRequestsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    switch (role) {
    case RequestIdRole:
        return r.id;
    case DeviceIdRole:
        return r.deviceId;
    case CsrFingerprintRole:
        return r.csrFingerprint;
    case Qt::ToolTipRole:
        return tr("Request %1, CSR SHA-256 %2").arg(r.id).arg(r.csrFingerprint);
    case Qt::DisplayRole:
        switch (index.column()) {
        case DeviceColumn:
            return r.deviceId;
        case KeyColumn:
            return r.keyType;
        case SubjectColumn:
            return r.subject;
        case RequestedColumn: {
            const QDateTime t = QDateTime::fromString(r.requestedAt, Qt::ISODateWithMs);
            return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                               : r.requestedAt;
        }
        case PeerColumn:
            return r.peer.isEmpty() ? tr("unknown") : r.peer;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant PendingRequestsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case DeviceColumn:
        return tr("Device");
    case KeyColumn:
        return tr("Key");
    case SubjectColumn:
        return tr("Subject");
    case RequestedColumn:
        return tr("Requested");
    case PeerColumn:
        return tr("From");
    }
    return {};
}

} // namespace provbench
