#pragma once

// Internal to app/storage/store: how audit records are read from a row.
#include "app/storage/store/auditrecord.h"

#include <QSqlQuery>

namespace provbench::store {

// The columns of audit_events in the order auditRecordFromRow() reads them.
inline const QString kAuditColumns = QStringLiteral(
    "seq, event_time, actor, kind, device_id, intent_seq, details, prev_hash, hash");

inline AuditRecord auditRecordFromRow(const QSqlQuery &q)
{
    AuditRecord r;
    r.seq = q.value(0).toLongLong();
    r.time = q.value(1).toString();
    r.actor = q.value(2).toString();
    r.kind = q.value(3).toString();
    r.deviceId = q.value(4).toString();
    r.intentSeq = q.value(5).isNull() ? 0 : q.value(5).toLongLong();
    r.details = q.value(6).toString().toUtf8();
    r.prevHash = q.value(7).toString();
    r.hash = q.value(8).toString();
    return r;
}

} // namespace provbench::store
