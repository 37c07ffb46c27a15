#pragma once

#include "app/core/error.h"
#include "app/storage/store/auditrecord.h"

#include <QJsonObject>
#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace provbench::store {

class Database;

struct AuditFilter
{
    QString deviceId;    // exact; empty: any
    QString kind;        // exact, or a prefix ending in ".*" ("intent.*"); empty: any
    QString from;        // time >= from (stored format, or a prefix of it: "2024-05"); empty: open
    QString until;       // time < until; empty: open
    qint64 afterSeq = 0; // seq > afterSeq
    qint64 limit = 0;    // at most this many, oldest first; 0: all
};

// What verify() found. ok() when the whole chain and its anchor agree.
struct AuditVerification
{
    enum class Problem {
        None,
        HashMismatch,   // a record's fields no longer give its stored hash
        BrokenLink,     // a record's hash was recomputed after a change: the next one
                        // still refers to the original
        Missing,        // a seq is absent (a deleted record, or a changed seq)
        OutOfOrder,     // a seq that cannot occur (0, negative)
        BadReference,   // an outcome whose intent is absent, answered twice or of
                        // another action
        TailDeleted,    // the anchor names a later head than the last record
        AnchorMismatch, // the anchor's head is not the last record as stored
        AnchorMissing,  // the anchor row is gone
        ExternalAnchor, // the record at a noted (seq, hash) differs or is gone
    };

    qint64 records = 0; // records checked
    qint64 headSeq = 0;
    QString headHash = kGenesisHash;
    Problem problem = Problem::None;
    qint64 badSeq = 0; // the first record that is wrong
    QString message;   // a sentence naming it and what is wrong

    bool ok() const { return problem == Problem::None; }
};

// A (seq, hash) noted down outside the database, e.g. from `audit verify`.
struct AuditAnchor
{
    qint64 seq = 0;
    QString hash;
    // "SEQ:HASH" as `audit verify` prints it.
    static Result<AuditAnchor> parse(const QString &text);
};

// The append-only, hash-chained audit log (tables audit_events and
// audit_anchor, see docs/storage.md).
//
// Each record's hash covers its fields and the previous record's hash, so a
// change to any stored record breaks the chain at that record; the anchor row
// (the head's seq and hash, updated in the same transaction as every append)
// makes a deleted tail visible too. An append is durable when it returns:
// the record and the anchor are committed together (SQLite with
// synchronous=FULL) or not at all.
//
// Details are an object of facts (profile, fingerprints, outcome text), never
// secrets: keys that name one (password, passphrase, psk, secret, token,
// private_key, pin, ...) are refused.
class AuditLog
{
public:
    // `actor` is stored with every record: "user@host" or a bench id.
    AuditLog(Database &db, QString actor);

    // "$USER@hostname".
    static QString defaultActor();
    const QString &actor() const { return m_actor; }

    // A plain event ("token.issued", "enroll.request", "cert.issued",
    // "checkin", "failure", ...). Kinds are lower-case words joined by dots;
    // "intent.*" and "outcome.*" go through appendIntent/appendOutcome.
    Result<AuditRecord> append(
        const QString &kind, const QString &deviceId, const QJsonObject &details = {});
    // Written before signing or writing to a device: "intent.<action>" (action
    // "sign", "write", ...). Returns the intent's seq for its outcome.
    Result<qint64> appendIntent(
        const QString &action, const QString &deviceId, const QJsonObject &details = {});
    // What came of an intent: "outcome.<action>" for the intent's device, with
    // details {ok, message} added to `details`. An intent has at most one
    // outcome.
    Result<AuditRecord> appendOutcome(
        qint64 intentSeq, bool ok, const QString &message, const QJsonObject &details = {});

    Result<QList<AuditRecord>> records(const AuditFilter &filter = {}) const;
    // Calls `visit` for each matching record, oldest first, without holding
    // them all in memory; stops early when it returns false.
    Result<void> forEach(
        const AuditFilter &filter, const std::function<bool(const AuditRecord &)> &visit) const;
    // Intents that have no outcome yet: after a crash, their device writes or
    // signatures have an unknown result.
    Result<QList<AuditRecord>> openIntents() const;
    // The anchor: the newest record's seq and hash (0 and kGenesisHash when empty).
    Result<AuditAnchor> head() const;

    // Walks the whole chain and compares its end with the anchor (and with
    // `external`, when given). Result errors are database failures only; a
    // damaged chain is a successful result whose problem names the first bad
    // record.
    Result<AuditVerification> verify(const std::optional<AuditAnchor> &external = {}) const;

    // Refuses kinds that are not lower-case dotted words.
    static Result<void> checkKind(const QString &kind);
    // Refuses details with keys that name secrets, at any depth.
    static Result<void> checkDetails(const QJsonObject &details);

private:
    Result<AuditRecord> appendRecord(AuditRecord record);

    Database &m_db;
    QString m_actor;
};

} // namespace provbench::store
