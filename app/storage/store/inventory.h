#pragma once

#include "app/core/error.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace provbench::store {

class Database;

// One device as the inventory knows it.
struct InventoryDevice
{
    QString id;           // stable id chosen by the workbench (serial number, BLE address, ...)
    QString serialNumber; // as read from the device or its USB descriptor
    QString name;
    QString site;
    QString transport;        // "serial", "ble", ...
    QString transportId;      // port path or BLE address
    QString profile;          // provisioning profile name
    QStringList fingerprints; // SHA-256 of the certificates issued to it, newest first (public)
    QString state = QStringLiteral("discovered"); // lower-case word: "provisioned", "failed", ...
    QString failureReason;
    QString claimedBy; // bench id holding the device; empty when free
    QString createdAt; // stored time format (Database::now())
    QString updatedAt;
};

struct DeviceQuery
{
    QString state; // each: exact match, empty = any
    QString site;
    QString profile;
    QString transport;
    QString claimedBy; // "-" = unclaimed devices only
};

// The outcome of claim(): granted to the asking bench, or held by `holder`.
struct Claim
{
    bool granted = false;
    QString holder;
};

// Devices and named sequences (table devices, sequences; docs/storage.md).
//
// Every write is one transaction (BEGIN IMMEDIATE on SQLite), so two benches
// sharing a database (PostgreSQL, or SQLite on one machine) never both claim a
// device and never draw the same sequence number.
class Inventory
{
public:
    explicit Inventory(Database &db) : m_db(db) { }

    // Inserts the device, or updates the stored one. Text fields left empty
    // and an empty fingerprint list keep what is stored (discovery often
    // knows only part of a device); state and failure reason are set only
    // for a new device (then use setState), the claim never. Returns the row
    // as stored.
    Result<InventoryDevice> upsert(const InventoryDevice &device);
    // Code::NotFound for an unknown id.
    Result<InventoryDevice> get(const QString &id) const;
    // Ordered by id.
    Result<QList<InventoryDevice>> list(const DeviceQuery &query = {}) const;
    // Sets the state; the failure reason is replaced too (cleared when empty).
    Result<void> setState(
        const QString &id, const QString &state, const QString &failureReason = {});
    // Puts a certificate's fingerprint first in the device's list (the newest
    // first; labels and reports show the first). Code::NotFound for an unknown id.
    Result<void> addFingerprint(const QString &id, const QString &fingerprint);
    // Takes the device for `benchId` unless another bench holds it. Exactly one
    // of several benches racing for a free device gets granted=true; the
    // holder claiming again is granted too. Code::NotFound for an unknown id.
    Result<Claim> claim(const QString &deviceId, const QString &benchId);
    // Frees a device held by `benchId`; refused (InvalidArgument) when another
    // bench holds it.
    Result<void> release(const QString &deviceId, const QString &benchId);
    // 1, 2, 3, ... per name, each number handed out once across every
    // connection and process (serial numbers for certificates, labels, ...).
    Result<qint64> nextSequence(const QString &name);

    // Another name the device answers to now (a name the bench wrote to it).
    // Aliases compare case-insensitively. An alias that already names another
    // device is ambiguous: from then on it names no device, and false is returned.
    Result<bool> addAlias(const QString &alias, const QString &deviceId);
    // The device an alias names, or an empty string (unknown or ambiguous).
    Result<QString> deviceForAlias(const QString &alias) const;

    static Result<void> checkState(const QString &state);

private:
    Database &m_db;
};

} // namespace provbench::store
