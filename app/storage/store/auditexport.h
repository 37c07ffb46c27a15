#pragma once

#include "app/core/error.h"
#include "app/storage/store/auditlog.h"

#include <QIODevice>
#include <QStringList>

namespace provbench::store {

// Audit records as CSV or JSON, for spreadsheets and other tools.
//
// CSV follows RFC 4180: a header row, CRLF line ends, a field quoted when it
// holds a comma, a double quote, CR or LF, with inner quotes doubled. A cell
// that starts with = + - @, a tab or CR is prefixed with a single quote so
// that a spreadsheet shows it as text instead of running it as a formula
// (actor names, device ids and details come from devices and users).
//
// JSON is one array of objects with the record's fields; details is the
// object itself, not its text, and the hashes let another tool re-verify.
namespace auditexport {

enum class Format { Csv, Json };

Result<Format> parseFormat(const QString &name);

// One CSV cell, neutralised and quoted as needed.
QString csvCell(const QString &value);
QString csvRow(const QStringList &cells); // with the CRLF
QStringList csvHeader();
QStringList csvFields(const AuditRecord &record);
QJsonObject toJson(const AuditRecord &record);

// Writes every record that matches `filter` to `out`, streaming. Returns the
// number of records written.
Result<qint64> write(const AuditLog &log, const AuditFilter &filter, Format format, QIODevice &out);

} // namespace auditexport

} // namespace provbench::store
