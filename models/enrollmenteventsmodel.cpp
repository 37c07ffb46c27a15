#include "models/enrollmenteventsmodel.h"

#include "app/storage/store/auditrecord.h"

#include <QBrush>
#include <QColor>
#include <QDateTime>
#include <QJsonObject>

namespace provbench {

EnrollmentEventsModel::EnrollmentEventsModel(QObject *parent) : QAbstractTableModel(parent) { }

bool EnrollmentEventsModel::isEnrollmentKind(const QString &kind)
{
    return kind == u"token.issued" || kind.startsWith(u"enroll.") || kind == u"cert.issued"
        || kind == u"checkin" || kind == u"failure";
}

QString EnrollmentEventsModel::summary(const store::AuditRecord &record)
{
    const QJsonObject d = record.detailsObject();
    auto text
        = [&d](const char *key) { return d.value(QLatin1String(key)).toVariant().toString(); };
    auto time = [&text](const char *key) {
        const QDateTime t = QDateTime::fromString(text(key), Qt::ISODateWithMs);
        return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
                           : text(key);
    };
    QStringList parts;
    const QString &kind = record.kind;
    if (kind == u"token.issued") {
        parts << tr("token %1, expires %2, %3")
                     .arg(text("token_id"), time("expires_at"),
                         d.value(QStringLiteral("single_use")).toBool() ? tr("single use")
                                                                        : tr("reusable"));
    } else if (kind == u"enroll.request") {
        parts << tr("%1 by %2").arg(text("operation"), text("auth"));
    } else if (kind == u"enroll.pending") {
        parts << tr("request %1 waits for approval").arg(text("request"));
    } else if (kind == u"enroll.approved" || kind == u"enroll.denied") {
        parts << tr("request %1 %2 by %3")
                     .arg(text("request"),
                         kind == u"enroll.approved" ? tr("approved") : tr("denied"),
                         text("decided_by"));
    } else if (kind == u"cert.issued") {
        parts << tr("serial %1, valid until %2").arg(text("serial"), time("not_after"));
    } else if (kind == u"checkin") {
        if (!text("firmware").isEmpty())
            parts << tr("firmware %1").arg(text("firmware"));
    } else if (kind == u"failure") {
        if (!text("status").isEmpty())
            parts << text("status");
    }
    if (!text("reason").isEmpty())
        parts << (parts.isEmpty() ? text("reason") : QStringLiteral("\u2014 ") + text("reason"));
    if (!text("peer").isEmpty())
        parts << tr("(from %1)").arg(text("peer"));
    return parts.join(u' ');
}

void EnrollmentEventsModel::addRecords(const QList<store::AuditRecord> &records)
{
    QList<Row> fresh;
    for (const store::AuditRecord &r : records) {
        m_lastSeq = std::max(m_lastSeq, r.seq);
        if (!isEnrollmentKind(r.kind))
            continue;
        fresh.prepend(Row{r.seq, r.time, r.kind, r.deviceId, summary(r)});
    }
    if (fresh.size() > kMaxRows)
        fresh.resize(kMaxRows);
    if (fresh.isEmpty())
        return;
    beginInsertRows({}, 0, int(fresh.size()) - 1);
    m_rows = fresh + m_rows;
    endInsertRows();
    if (m_rows.size() > kMaxRows) {
        beginRemoveRows({}, kMaxRows, int(m_rows.size()) - 1);
        m_rows.resize(kMaxRows);
        endRemoveRows();
    }
}

int EnrollmentEventsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EnrollmentEventsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EnrollmentEventsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &r = m_rows.at(index.row());
    const bool failure = r.kind == u"failure" || r.kind == u"enroll.denied";
    switch (role) {
    case SeqRole:
        return r.seq;
    case KindRole:
        return r.kind;
    case DeviceIdRole:
        return r.deviceId;
    case FailureRole:
        return failure;
    case Qt::ForegroundRole:
        if (failure && index.column() == KindColumn)
            return QBrush(QColor(0xb9, 0x1c, 0x1c));
        return {};
    case Qt::ToolTipRole:
        return index.column() == SummaryColumn ? QVariant(r.summary) : QVariant();
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn: {
            const QDateTime t = QDateTime::fromString(r.time, Qt::ISODateWithMs);
            return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                               : r.time;
        }
        case KindColumn:
            return r.kind;
        case DeviceColumn:
            return r.deviceId;
        case SummaryColumn:
            return r.summary;
        }
        break;
    default:
        break;
    }
    return {};
}

QVariant EnrollmentEventsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case KindColumn:
        return tr("Event");
    case DeviceColumn:
        return tr("Device");
    case SummaryColumn:
        return tr("Details");
    }
    return {};
}

} // namespace provbench
