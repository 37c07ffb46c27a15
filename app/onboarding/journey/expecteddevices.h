#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace provbench::journey {

// One device a batch expects, from a CSV file.
struct ExpectedDevice
{
    QString serialNumber;
    QString site;
    QString name;
    QString profile;
    int line = 0; // where its record starts in the file (1-based)

    bool operator==(const ExpectedDevice &o) const
    {
        return serialNumber == o.serialNumber && site == o.site && name == o.name
            && profile == o.profile;
    }
};

// A problem in the file, at a line and (when it concerns one field) a column.
struct CsvProblem
{
    int line = 0;
    int column = 0;     // 1-based field number; 0 when the whole line is meant
    QString columnName; // the header's name for that column, when known
    QString message;    // what is wrong and what to change

    // "line 4, column 2 (site): ..."
    QString text() const;
};

struct ExpectedDevicesOptions
{
    // When not empty, every profile must be one of these.
    QStringList knownProfiles;
    // Used for rows with an empty profile; when set, the profile column may be absent.
    QString defaultProfile;
};

struct ExpectedDevicesImport
{
    QList<ExpectedDevice> devices; // the rows without problems, in file order
    QList<CsvProblem> problems;    // every problem found, in file order
    bool ok() const { return problems.isEmpty(); }
};

// Parses a CSV of expected devices: a header row naming the columns "serial
// number", "site", "name" and "profile" (any order, any case; "serial",
// "serial_number" and "device name" are accepted too; other columns are
// ignored), then one device per row. RFC 4180: fields separated by commas,
// quoted with double quotes (a quote inside doubled), quoted fields may hold
// commas and line breaks; UTF-8 with or without a BOM; CRLF or LF line ends.
// Unquoted fields are trimmed; blank lines are skipped.
//
// Problems (each named by line and column): text that is not UTF-8, an
// unterminated quote (parsing stops there), a stray quote, a missing or
// repeated column, a row with the wrong number of fields, an empty serial
// number, a serial number that appeared before (case-insensitive), an empty
// or unknown profile.
ExpectedDevicesImport parseExpectedDevices(
    const QByteArray &csv, const ExpectedDevicesOptions &options = {});

// Reads and parses a file; any problem fails the whole import with a message
// that lists the problems (the first 20) so they can all be fixed at once.
Result<QList<ExpectedDevice>> readExpectedDevices(
    const QString &path, const ExpectedDevicesOptions &options = {});

// The CSV that parses back to `devices` (header "serial number,site,name,profile", CRLF).
QByteArray writeExpectedDevices(const QList<ExpectedDevice> &devices);

} // namespace provbench::journey
