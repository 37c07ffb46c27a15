#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace provbench::store {

// One event of the audit log as stored. Every field is covered by `hash`.
struct AuditRecord
{
    qint64 seq = 0;       // 1, 2, 3, ... without gaps
    QString time;         // UTC with milliseconds: "2024-05-01T12:00:00.000Z"
    QString actor;        // "user@host" or a bench id
    QString kind;         // "intent.sign", "outcome.sign", "token.issued", "checkin", ...
    QString deviceId;     // empty for events about no device
    qint64 intentSeq = 0; // an outcome: the seq of its intent; 0 for other events
    QByteArray details;   // canonical JSON of an object (canonicalJson())
    QString prevHash;     // the previous record's hash; kGenesisHash for seq 1
    QString hash;         // recordHash() of this record, 64 lower-case hex digits

    QJsonObject detailsObject() const;
};

// prev_hash of the first record.
inline const QString kGenesisHash = QString(64, u'0');

// JSON with object keys sorted (by UTF-16 code units), no insignificant
// white space, strings escaped minimally (", \ and control characters;
// \b \f \n \r \t by name, other controls as \u00XX), integers up to 2^53 in
// plain decimal and other numbers in the shortest form that reads back the
// same. The same value always gives the same bytes.
QByteArray canonicalJson(const QJsonValue &value);

// The bytes that are hashed: a version tag and the eight fields, each written
// as <decimal length in bytes> ":" <UTF-8 bytes> "\n":
//
//   "provbench-audit-v1\n"
//   seq        decimal, no sign or leading zeros
//   time       as stored
//   actor
//   kind
//   device     (empty allowed)
//   intent     decimal seq of the intent, or empty
//   details    canonical JSON as stored
//   prev_hash  64 lower-case hex digits
//
// The length prefixes make the encoding unambiguous: no choice of field values
// can make two different records encode alike. docs/storage.md has a worked
// example.
QByteArray canonicalEncoding(const AuditRecord &record);
// Lower-case hex SHA-256 of canonicalEncoding().
QString recordHash(const AuditRecord &record);

} // namespace provbench::store
