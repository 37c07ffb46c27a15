#pragma once

#include "app/protocol/smp/smpclient.h"

#include <optional>

// Write-and-verify on top of SmpClient: each item ends in one ItemReport that
// says whether it was written and verified, and, when it failed, what the
// device holds now, as far as the workbench can tell.
namespace provbench::smp {

struct ItemReport
{
    enum class Outcome {
        Verified, // written and read back equal (setting) / hash equal (file)
        Written,  // acknowledged by the device, but the read-back failed
        Failed,
    };
    enum class DeviceState {
        Old,     // the previous value or file (or none) is still there
        New,     // the new value or file is there
        Unknown, // it could be either (or, on real Zephyr fs_mgmt, a partial file)
    };
    QString item; // "setting app/psk", "file /lfs/client.key"
    Outcome outcome = Outcome::Failed;
    DeviceState state = DeviceState::Unknown;
    QString message; // a sentence; never contains a value
    std::optional<Error> error;
};

QString outcomeName(ItemReport::Outcome outcome);       // "verified", "written", "failed"
QString deviceStateName(ItemReport::DeviceState state); // "old", "new", "unknown"

enum class Persist {
    None,   // leave the write staged (readback still shows it)
    Commit, // apply it
    Save,   // apply and store it so it survives a reset (default)
};

// Reads the old value (kept only to classify a failure, never shown), writes,
// commits or saves, reads back and compares.
void writeSettingVerified(SmpClient *client, const QString &key, const QByteArray &value,
    Persist persist, std::function<void(ItemReport)> done);

// Hashes the old file (if any), uploads, hashes again and compares with the
// local SHA-256. After a failed upload it asks the device for the hash (when
// the link still works) to tell old from new from partial.
void uploadFileVerified(SmpClient *client, const QString &path, const QByteArray &data,
    std::function<void(ItemReport)> done);

} // namespace provbench::smp
