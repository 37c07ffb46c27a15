#include "app/storage/store/auditlog.h"

#include "app/storage/store/auditsql.h"
#include "app/storage/store/database.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSysInfo>

namespace provbench::store {

namespace {

const QString kIntentPrefix = QStringLiteral("intent.");
const QString kOutcomePrefix = QStringLiteral("outcome.");
constexpr qsizetype kMaxKindLength = 64;
constexpr qsizetype kMaxDetailsBytes = 64 * 1024;

// Key names (lower-cased, without '_', '-' and spaces) that hold secrets.
bool namesSecret(const QString &key)
{
    static const QStringList kSuffixes = {QStringLiteral("password"), QStringLiteral("passphrase"),
        QStringLiteral("passwd"), QStringLiteral("psk"), QStringLiteral("secret"),
        QStringLiteral("token"), QStringLiteral("privatekey"), QStringLiteral("apikey")};
    QString k = key.toLower();
    k.remove(u'_').remove(u'-').remove(u' ');
    if (k == u"pin")
        return true;
    return std::any_of(
        kSuffixes.begin(), kSuffixes.end(), [&](const QString &s) { return k.endsWith(s); });
}

Result<void> checkValue(const QJsonValue &value, const QString &path)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it) {
            const QString keyPath = path.isEmpty() ? it.key() : path + u'.' + it.key();
            if (namesSecret(it.key()))
                return fail(Error::Code::InvalidArgument,
                    QStringLiteral("The audit details field '%1' names a secret: audit records "
                                   "are kept forever and exported, so record a fingerprint or "
                                   "an id under another name instead.")
                        .arg(keyPath));
            if (auto ok = checkValue(it.value(), keyPath); !ok)
                return ok;
        }
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (auto ok = checkValue(array.at(i), QStringLiteral("%1[%2]").arg(path).arg(i)); !ok)
                return ok;
        }
    }
    return {};
}

QString filterSql(const AuditFilter &filter, QVariantList &binds)
{
    QString sql = QStringLiteral(" WHERE seq > ?");
    binds.append(filter.afterSeq);
    if (!filter.deviceId.isEmpty()) {
        sql += QStringLiteral(" AND device_id = ?");
        binds.append(filter.deviceId);
    }
    if (filter.kind.endsWith(QStringLiteral(".*"))) {
        const QString prefix = filter.kind.chopped(1); // keeps the dot
        // substr, not LIKE: '_' in a kind is not a wildcard.
        sql += QStringLiteral(" AND substr(kind, 1, %1) = ?").arg(prefix.size());
        binds.append(prefix);
    } else if (!filter.kind.isEmpty()) {
        sql += QStringLiteral(" AND kind = ?");
        binds.append(filter.kind);
    }
    if (!filter.from.isEmpty()) {
        sql += QStringLiteral(" AND event_time >= ?");
        binds.append(filter.from);
    }
    if (!filter.until.isEmpty()) {
        sql += QStringLiteral(" AND event_time < ?");
        binds.append(filter.until);
    }
    sql += QStringLiteral(" ORDER BY seq");
    if (filter.limit > 0)
        sql += QStringLiteral(" LIMIT %1").arg(filter.limit);
    return sql;
}

} // namespace

Result<AuditAnchor> AuditAnchor::parse(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^\\s*(\\d{1,18}):([0-9a-fA-F]{64})\\s*$"));
    const auto m = re.match(text);
    if (!m.hasMatch())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("An audit anchor is written SEQ:HASH, as 'provbench-cli audit verify' "
                           "prints it (a record number, a colon and 64 hex digits)."));
    return AuditAnchor{m.captured(1).toLongLong(), m.captured(2).toLower()};
}

AuditLog::AuditLog(Database &db, QString actor) : m_db(db), m_actor(std::move(actor))
{
    if (m_actor.isEmpty())
        m_actor = defaultActor();
}

QString AuditLog::defaultActor()
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("LOGNAME", QStringLiteral("unknown"));
    return user + u'@' + QSysInfo::machineHostName();
}

Result<void> AuditLog::checkKind(const QString &kind)
{
    static const QRegularExpression re(QStringLiteral("^[a-z][a-z0-9_-]*(\\.[a-z][a-z0-9_-]*)*$"));
    if (kind.size() > kMaxKindLength || !re.match(kind).hasMatch())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("'%1' is not an audit event kind: use lower-case words joined by dots, "
                           "such as 'cert.issued', at most %2 characters.")
                .arg(kind.left(kMaxKindLength))
                .arg(kMaxKindLength));
    return {};
}

Result<void> AuditLog::checkDetails(const QJsonObject &details)
{
    return checkValue(details, QString());
}

Result<AuditRecord> AuditLog::append(
    const QString &kind, const QString &deviceId, const QJsonObject &details)
{
    if (auto ok = checkKind(kind); !ok)
        return std::unexpected(ok.error());
    if (kind.startsWith(kIntentPrefix) || kind.startsWith(kOutcomePrefix))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("'%1' is an intent or outcome: record it with appendIntent or "
                           "appendOutcome, which link the two.")
                .arg(kind));
    if (auto ok = checkDetails(details); !ok)
        return std::unexpected(ok.error());
    AuditRecord r;
    r.kind = kind;
    r.deviceId = deviceId;
    r.details = canonicalJson(details);
    return appendRecord(std::move(r));
}

Result<qint64> AuditLog::appendIntent(
    const QString &action, const QString &deviceId, const QJsonObject &details)
{
    const QString kind = kIntentPrefix + action;
    if (auto ok = checkKind(kind); !ok)
        return std::unexpected(ok.error());
    if (auto ok = checkDetails(details); !ok)
        return std::unexpected(ok.error());
    AuditRecord r;
    r.kind = kind;
    r.deviceId = deviceId;
    r.details = canonicalJson(details);
    auto stored = appendRecord(std::move(r));
    if (!stored)
        return std::unexpected(stored.error());
    return stored->seq;
}

Result<AuditRecord> AuditLog::appendOutcome(
    qint64 intentSeq, bool ok, const QString &message, const QJsonObject &details)
{
    if (intentSeq <= 0)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("An outcome needs the seq of its intent (the value appendIntent "
                           "returned)."));
    QJsonObject all = details;
    all.insert(QStringLiteral("ok"), ok);
    all.insert(QStringLiteral("message"), message);
    if (auto valid = checkDetails(all); !valid)
        return std::unexpected(valid.error());
    AuditRecord r;
    r.intentSeq = intentSeq; // kind and device come from the intent
    r.details = canonicalJson(all);
    return appendRecord(std::move(r));
}

Result<AuditRecord> AuditLog::appendRecord(AuditRecord record)
{
    if (record.details.size() > kMaxDetailsBytes)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The audit details are %1 bytes; at most %2 are kept per record. "
                           "Record a summary or a fingerprint instead.")
                .arg(record.details.size())
                .arg(kMaxDetailsBytes));
    auto tx = Transaction::begin(m_db);
    if (!tx)
        return std::unexpected(tx.error());
    // The anchor row is the lock that orders appenders on PostgreSQL; SQLite's
    // BEGIN IMMEDIATE already holds the only write lock.
    auto anchor = m_db.exec(m_db.dialect() == Dialect::Postgres
            ? QStringLiteral("SELECT head_seq, head_hash FROM audit_anchor WHERE id = 1 FOR UPDATE")
            : QStringLiteral("SELECT head_seq, head_hash FROM audit_anchor WHERE id = 1"));
    if (!anchor)
        return std::unexpected(anchor.error());
    if (!anchor->next())
        return fail(Error::Code::Io,
            QStringLiteral("The audit log in %1 has lost its anchor row, so nothing can be "
                           "appended: run 'provbench-cli audit verify' and restore the database "
                           "from a backup.")
                .arg(m_db.display()));
    const qint64 headSeq = anchor->value(0).toLongLong();
    const QString headHash = anchor->value(1).toString();
    anchor->finish();

    if (record.intentSeq > 0) {
        auto intent = m_db.exec(QStringLiteral("SELECT kind, device_id, (SELECT count(*) FROM "
                                               "audit_events WHERE intent_seq = ?) FROM "
                                               "audit_events WHERE seq = ?"),
            {record.intentSeq, record.intentSeq});
        if (!intent)
            return std::unexpected(intent.error());
        if (!intent->next() || !intent->value(0).toString().startsWith(kIntentPrefix))
            return fail(Error::Code::NotFound,
                QStringLiteral("Audit record %1 is not an intent: an outcome must answer the seq "
                               "that appendIntent returned.")
                    .arg(record.intentSeq));
        if (intent->value(2).toLongLong() > 0)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("Intent %1 already has its outcome; record a new intent for "
                               "another attempt.")
                    .arg(record.intentSeq));
        record.kind = kOutcomePrefix + intent->value(0).toString().mid(kIntentPrefix.size());
        record.deviceId = intent->value(1).toString();
        intent->finish();
    }

    record.seq = headSeq + 1;
    record.prevHash = headHash;
    record.time = Database::now();
    record.actor = m_actor;
    record.hash = recordHash(record);
    auto inserted = m_db.exec(QStringLiteral("INSERT INTO audit_events (%1) VALUES (?, ?, ?, ?, "
                                             "?, ?, ?, ?, ?)")
                                  .arg(kAuditColumns),
        {record.seq, record.time, record.actor, record.kind, record.deviceId,
            record.intentSeq > 0 ? QVariant(record.intentSeq)
                                 : QVariant(QMetaType::fromType<qint64>()),
            QString::fromUtf8(record.details), record.prevHash, record.hash});
    if (!inserted)
        return std::unexpected(inserted.error());
    inserted->finish();
    auto moved = m_db.execAffected(
        QStringLiteral("UPDATE audit_anchor SET head_seq = ?, head_hash = ? WHERE id = 1"),
        {record.seq, record.hash});
    if (!moved)
        return std::unexpected(moved.error());
    if (auto ok = tx->commit(); !ok)
        return std::unexpected(ok.error());
    return record;
}

Result<void> AuditLog::forEach(
    const AuditFilter &filter, const std::function<bool(const AuditRecord &)> &visit) const
{
    QVariantList binds;
    const QString sql = QStringLiteral("SELECT %1 FROM audit_events").arg(kAuditColumns)
        + filterSql(filter, binds);
    auto q = m_db.exec(sql, binds);
    if (!q)
        return std::unexpected(q.error());
    while (q->next()) {
        if (!visit(auditRecordFromRow(*q)))
            break;
    }
    if (q->lastError().isValid())
        return std::unexpected(m_db.sqlError(QStringLiteral("read"), q->lastError()));
    q->finish();
    return {};
}

Result<QList<AuditRecord>> AuditLog::records(const AuditFilter &filter) const
{
    QList<AuditRecord> out;
    auto ok = forEach(filter, [&](const AuditRecord &r) {
        out.append(r);
        return true;
    });
    if (!ok)
        return std::unexpected(ok.error());
    return out;
}

Result<QList<AuditRecord>> AuditLog::openIntents() const
{
    auto q = m_db.exec(QStringLiteral("SELECT %1 FROM audit_events i WHERE substr(kind, 1, 7) = "
                                      "'intent.' AND NOT EXISTS (SELECT 1 FROM audit_events o "
                                      "WHERE o.intent_seq = i.seq) ORDER BY seq")
                           .arg(kAuditColumns));
    if (!q)
        return std::unexpected(q.error());
    QList<AuditRecord> out;
    while (q->next())
        out.append(auditRecordFromRow(*q));
    return out;
}

Result<AuditAnchor> AuditLog::head() const
{
    auto q = m_db.exec(QStringLiteral("SELECT head_seq, head_hash FROM audit_anchor WHERE id = 1"));
    if (!q)
        return std::unexpected(q.error());
    if (!q->next())
        return fail(Error::Code::NotFound,
            QStringLiteral("The audit log in %1 has no anchor row: run 'provbench-cli audit "
                           "verify'.")
                .arg(m_db.display()));
    return AuditAnchor{q->value(0).toLongLong(), q->value(1).toString()};
}

} // namespace provbench::store
