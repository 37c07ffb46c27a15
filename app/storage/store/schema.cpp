// The schema of the inventory and audit database, one ordered list of
// migrations per dialect. Timestamps are stored as text in one fixed format
// (UTC, milliseconds, "2024-05-01T12:00:00.000Z") in both dialects, so they
// sort as text and hash the same everywhere. See docs/storage.md.
#include "app/storage/store/migrations.h"

namespace provbench::store {

namespace {

const QString kGenesis = QString(64, u'0');

// v1, both dialects: devices and named sequences.
QStringList inventoryTables()
{
    return {
        QStringLiteral("CREATE TABLE devices ("
                       "id TEXT PRIMARY KEY NOT NULL,"
                       "serial_number TEXT NOT NULL DEFAULT '',"
                       "name TEXT NOT NULL DEFAULT '',"
                       "site TEXT NOT NULL DEFAULT '',"
                       "transport TEXT NOT NULL DEFAULT '',"
                       "transport_id TEXT NOT NULL DEFAULT '',"
                       "profile TEXT NOT NULL DEFAULT '',"
                       "fingerprints TEXT NOT NULL DEFAULT '[]',"
                       "state TEXT NOT NULL DEFAULT 'discovered',"
                       "failure_reason TEXT NOT NULL DEFAULT '',"
                       "claimed_by TEXT,"
                       "created_at TEXT NOT NULL,"
                       "updated_at TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX devices_state ON devices (state)"),
        QStringLiteral("CREATE INDEX devices_serial ON devices (serial_number)"),
        QStringLiteral("CREATE TABLE sequences (name TEXT PRIMARY KEY NOT NULL, "
                       "value BIGINT NOT NULL)"),
    };
}

// v2: the audit chain and its anchor (the head, updated with every append).
QStringList auditTables(const QString &seqType)
{
    return {
        QStringLiteral("CREATE TABLE audit_events ("
                       "seq %1 PRIMARY KEY NOT NULL CHECK (seq > 0),"
                       "event_time TEXT NOT NULL,"
                       "actor TEXT NOT NULL,"
                       "kind TEXT NOT NULL,"
                       "device_id TEXT NOT NULL DEFAULT '',"
                       "intent_seq %1 UNIQUE REFERENCES audit_events (seq),"
                       "details TEXT NOT NULL,"
                       "prev_hash TEXT NOT NULL,"
                       "hash TEXT NOT NULL)")
            .arg(seqType),
        QStringLiteral("CREATE INDEX audit_events_device ON audit_events (device_id, seq)"),
        QStringLiteral("CREATE INDEX audit_events_kind ON audit_events (kind, seq)"),
        QStringLiteral("CREATE INDEX audit_events_time ON audit_events (event_time)"),
        QStringLiteral("CREATE TABLE audit_anchor (id INTEGER PRIMARY KEY NOT NULL CHECK (id = 1),"
                       "head_seq %1 NOT NULL, head_hash TEXT NOT NULL)")
            .arg(seqType),
        QStringLiteral("INSERT INTO audit_anchor (id, head_seq, head_hash) VALUES (1, 0, '%1')")
            .arg(kGenesis),
    };
}

// Append-only in the database as well: rows cannot be changed or removed,
// an insert must extend the head, the anchor only moves forward to the newest
// row. Whoever can drop these triggers can still tamper; verify() is what
// catches that.
QStringList sqliteAuditGuards()
{
    return {
        QStringLiteral("CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
                       "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"),
        QStringLiteral("CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
                       "BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END"),
        QStringLiteral("CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events "
                       "WHEN NEW.seq IS NOT (SELECT head_seq + 1 FROM audit_anchor WHERE id = 1) "
                       "OR NEW.prev_hash IS NOT (SELECT head_hash FROM audit_anchor WHERE id = 1) "
                       "BEGIN SELECT RAISE(ABORT, 'an audit event must extend the chain head'); "
                       "END"),
        QStringLiteral("CREATE TRIGGER audit_anchor_forward BEFORE UPDATE ON audit_anchor "
                       "WHEN NEW.id IS NOT OLD.id OR NEW.head_seq IS NOT OLD.head_seq + 1 "
                       "OR NEW.head_hash IS NOT "
                       "(SELECT hash FROM audit_events WHERE seq = NEW.head_seq) "
                       "BEGIN SELECT RAISE(ABORT, 'the audit anchor only moves forward to the "
                       "newest event'); END"),
        QStringLiteral("CREATE TRIGGER audit_anchor_no_delete BEFORE DELETE ON audit_anchor "
                       "BEGIN SELECT RAISE(ABORT, 'the audit anchor cannot be removed'); END"),
        QStringLiteral("CREATE TRIGGER audit_anchor_no_insert BEFORE INSERT ON audit_anchor "
                       "BEGIN SELECT RAISE(ABORT, 'there is only one audit anchor'); END"),
    };
}

QStringList postgresAuditGuards()
{
    return {
        QStringLiteral("CREATE FUNCTION provbench_audit_refuse() RETURNS trigger LANGUAGE plpgsql "
                       "AS $$ BEGIN RAISE EXCEPTION 'audit events are append-only'; END $$"),
        QStringLiteral("CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON "
                       "audit_events FOR EACH ROW EXECUTE FUNCTION provbench_audit_refuse()"),
        QStringLiteral("CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events "
                       "FOR EACH STATEMENT EXECUTE FUNCTION provbench_audit_refuse()"),
        QStringLiteral("CREATE FUNCTION provbench_audit_chain() RETURNS trigger LANGUAGE plpgsql "
                       "AS $$ DECLARE a audit_anchor%ROWTYPE; BEGIN "
                       "SELECT * INTO a FROM audit_anchor WHERE id = 1; "
                       "IF NOT FOUND OR NEW.seq <> a.head_seq + 1 OR NEW.prev_hash <> a.head_hash "
                       "THEN RAISE EXCEPTION 'an audit event must extend the chain head'; END IF; "
                       "RETURN NEW; END $$"),
        QStringLiteral("CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events "
                       "FOR EACH ROW EXECUTE FUNCTION provbench_audit_chain()"),
        QStringLiteral("CREATE FUNCTION provbench_audit_anchor() RETURNS trigger LANGUAGE plpgsql "
                       "AS $$ BEGIN "
                       "IF TG_OP <> 'UPDATE' OR NEW.id <> OLD.id "
                       "OR NEW.head_seq <> OLD.head_seq + 1 OR NEW.head_hash IS DISTINCT FROM "
                       "(SELECT hash FROM audit_events WHERE seq = NEW.head_seq) "
                       "THEN RAISE EXCEPTION 'the audit anchor only moves forward to the newest "
                       "event'; END IF; RETURN NEW; END $$"),
        QStringLiteral("CREATE TRIGGER audit_anchor_guard BEFORE INSERT OR UPDATE OR DELETE ON "
                       "audit_anchor FOR EACH ROW EXECUTE FUNCTION provbench_audit_anchor()"),
        QStringLiteral("CREATE TRIGGER audit_anchor_no_truncate BEFORE TRUNCATE ON audit_anchor "
                       "FOR EACH STATEMENT EXECUTE FUNCTION provbench_audit_refuse()"),
    };
}

// v3: EST enrollment. Tokens are stored only as the SHA-256 of the token
// (a 256-bit random value, so a plain hash suffices); requests waiting for
// manual approval keep the CSR so the device's retry can be matched to them;
// each device's current certificate is what re-enrollment and check-in
// accept.
QStringList enrollmentTables(bool sqlite)
{
    const QString idColumn = sqlite ? QStringLiteral("id INTEGER PRIMARY KEY AUTOINCREMENT")
                                    : QStringLiteral("id BIGSERIAL PRIMARY KEY");
    return {
        QStringLiteral("CREATE TABLE enrollment_tokens ("
                       "id TEXT PRIMARY KEY NOT NULL,"
                       "device_id TEXT NOT NULL,"
                       "token_hash TEXT NOT NULL UNIQUE,"
                       "created_at TEXT NOT NULL,"
                       "expires_at TEXT NOT NULL,"
                       "single_use INTEGER NOT NULL,"
                       "used_at TEXT,"
                       "used_by_peer TEXT)"),
        QStringLiteral("CREATE INDEX enrollment_tokens_device ON enrollment_tokens (device_id)"),
        QStringLiteral("CREATE TABLE enrollment_requests (%1,"
                       "device_id TEXT NOT NULL,"
                       "csr_fingerprint TEXT NOT NULL,"
                       "csr_der TEXT NOT NULL,"
                       "state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'denied')),"
                       "created_at TEXT NOT NULL,"
                       "decided_at TEXT,"
                       "decided_by TEXT)")
            .arg(idColumn),
        QStringLiteral("CREATE INDEX enrollment_requests_device ON enrollment_requests "
                       "(device_id, csr_fingerprint)"),
        QStringLiteral("CREATE INDEX enrollment_requests_state ON enrollment_requests (state)"),
        QStringLiteral("CREATE TABLE device_certificates ("
                       "device_id TEXT PRIMARY KEY NOT NULL,"
                       "fingerprint TEXT NOT NULL,"
                       "serial TEXT NOT NULL,"
                       "not_after TEXT NOT NULL,"
                       "issued_at TEXT NOT NULL)"),
    };
}

// v4: names a device took on when the bench wrote them (an Improv device
// name, a host name), so a batch still knows the device after renaming it.
// A name given to two devices is ambiguous and kept for neither.
QStringList aliasTables()
{
    return {
        QStringLiteral("CREATE TABLE device_aliases ("
                       "alias TEXT PRIMARY KEY NOT NULL,"
                       "device_id TEXT NOT NULL,"
                       "created_at TEXT NOT NULL)"),
        QStringLiteral("CREATE INDEX device_aliases_device ON device_aliases (device_id)"),
    };
}

} // namespace

QList<Migration> builtinMigrations(Dialect dialect)
{
    const bool sqlite = dialect == Dialect::Sqlite;
    // SQLite: INTEGER PRIMARY KEY is the rowid (64-bit); PostgreSQL: BIGINT.
    const QString seqType = sqlite ? QStringLiteral("INTEGER") : QStringLiteral("BIGINT");
    return {
        {1, QStringLiteral("inventory: devices and sequences"), inventoryTables()},
        {2, QStringLiteral("audit: hash-chained events and their anchor"),
            auditTables(seqType) + (sqlite ? sqliteAuditGuards() : postgresAuditGuards())},
        {3, QStringLiteral("enrollment: tokens, approval requests, current device certificates"),
            enrollmentTables(sqlite)},
        {4, QStringLiteral("inventory: device aliases (names the bench wrote)"), aliasTables()},
    };
}

} // namespace provbench::store
