#pragma once

#include "app/core/error.h"
#include "app/onboarding/journey/expecteddevices.h"
#include "app/profiles/profile.h"
#include "app/transport/ble/bleadvert.h"
#include "app/transport/portinfo.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <chrono>
#include <functional>
#include <memory>

namespace provbench {

class CredentialLedger;
namespace ble {
class Backend;
}
namespace crypto {
class CertificateAuthority;
}
namespace store {
class Store;
}

namespace onboarding::batch {

class DeviceProvisioning;

// What a batch needs from its surroundings. The store is required (it is how
// a batch knows what is done and resumes after a crash); the CA only for
// profiles that issue keys or certificates; the ledger is optional (without
// it, credential reuse is not tracked). Nothing is owned; all must outlive
// the runner.
struct BatchEnvironment
{
    QString workspacePath;
    store::Store *store = nullptr;
    const crypto::CertificateAuthority *ca = nullptr;
    CredentialLedger *ledger = nullptr;
    ble::Backend *bleBackend = nullptr; // BLE devices; none: BLE devices are refused
    // Profile by file, id or name (ProfileLibrary::resolve).
    std::function<Result<profiles::Profile>(const QString &)> resolveProfile;
    // Called before a device is opened, with its source (port path, or "ble:"
    // + address): the GUI closes its own handle on the device here. An error
    // fails the device with its message. Unset: nothing to release.
    std::function<Result<void>(const QString &source)> acquire;
    QString benchId; // who claims devices (AuditLog::defaultActor())
    QString estUrl;  // replaces a dynamic EST profile's URL when set
    int secTag = 42; // nRF91
};

struct BatchOptions
{
    // The devices to provision; empty: every device that appears, with
    // defaultProfile. Rows with an empty profile use defaultProfile too.
    QList<journey::ExpectedDevice> expected;
    QString defaultProfile;
    int parallel = 4; // devices worked on at once
    std::chrono::milliseconds probeTimeout{800};
};

// One device a batch came across, and what became of it.
struct BatchEntry
{
    enum class Status {
        Waiting,      // queued behind `parallel` others
        Identifying,  // asking what it is
        Provisioning, // writing and verifying
        Done,         // every item verified (a dynamic device now enrolls by itself)
        Skipped,      // already onboarded (or written) before: not touched
        Unknown,      // not in the CSV: listed, not touched
        Busy,         // another bench holds its claim
        Failed,       // `message` says why and what the device holds
    };
    Status status = Status::Waiting;
    QString source;    // port path, or "ble:" + address
    QString transport; // "serial" or "ble"
    QString deviceId;  // the expected serial number, or the identity's first key
    QString name;
    QString site;
    QString profile;
    QString protocol;
    QStringList keys; // the identity's keys
    QString message;
    int csvLine = 0;
    qint64 startedMs = 0;
    qint64 finishedMs = 0; // set when it settles (entryChanged is emitted once then)

    bool isActive() const
    {
        return status == Status::Identifying || status == Status::Provisioning;
    }
    bool isSettled() const { return status != Status::Waiting && !isActive(); }
};
QString statusName(BatchEntry::Status status); // "done", "skipped", ...

struct BatchSummary
{
    int seen = 0, done = 0, skipped = 0, unknown = 0, busy = 0, failed = 0, inProgress = 0;
    int expected = 0;          // CSV rows
    QStringList notSeen;       // expected serial numbers no device matched yet
    int interruptedClosed = 0; // writes of an earlier run found unfinished at start
};

// Provisions every matching device that appears on a serial port or over BLE,
// `parallel` at a time, each with its profile, and records every step in the
// store (inventory, claims, audit intents and outcomes), which is also what
// lets it resume.
//
// For each device that appears: open it, identify it (SerialIdentifier, or
// BLE identify), match it against the CSV (matchExpected; no CSV: every device,
// id = its first key), skip it when the inventory says it is done (verified,
// enrolled, checked in or onboarded), claim it for this bench, record it as
// discovered and identified, plan the profile for its protocol and run a
// ProvisioningJob through an AuditedTarget, record the handout in the ledger,
// release the claim and close the port. A device whose port stays is not
// worked on again; one that goes and comes back is (a failed device is thus
// retried by replugging it, a done one skipped).
//
// Crash safety: start() closes every write intent left open by an earlier
// run of this bench (claims still held: the process died mid-write) with a
// failed "interrupted" outcome and marks those devices failed, so they are
// written again when they appear; devices that completed are skipped. No
// device is written twice after it completed.
class BatchRunner : public QObject
{
    Q_OBJECT
public:
    BatchRunner(BatchEnvironment env, BatchOptions options, QObject *parent = nullptr);
    ~BatchRunner() override;

    // Checks that every profile named resolves and is valid, recovers what an
    // interrupted earlier run left, and records "batch.started". Devices
    // added before start() wait for it.
    Result<void> start();
    // Takes no new devices; running ones finish. Records "batch.finished".
    void stop();
    bool isStarted() const { return m_started; }

    void addSerialPort(const PortInfo &port);
    void removeSerialPort(const QString &path);
    // BLE: only devices that advertise Improv or SMP are taken.
    void addBleDevice(const ble::BleDevice &device);
    void removeBleDevice(const QString &address);

    const QList<BatchEntry> &entries() const { return m_entries; }
    BatchSummary summary() const;
    // Nothing waits or runs.
    bool isIdle() const;
    // Every expected device is done or skipped (a failed one may still be
    // retried); false without a CSV.
    bool allExpectedDone() const;

Q_SIGNALS:
    void entryAdded(int row);
    void entryChanged(int row);
    void idle();
    // A store write failed: the batch goes on, the message says what was not recorded.
    void problem(const QString &message);

private:
    friend class DeviceProvisioning;
    int addEntry(BatchEntry entry);
    void schedule();
    void launch(int row);
    void onFinished(int row);
    void setStatus(int row, BatchEntry::Status status, const QString &message = {});
    Result<void> recoverInterrupted();
    int activeCount() const;

    BatchEnvironment m_env;
    BatchOptions m_options;
    QList<BatchEntry> m_entries;
    QHash<QString, int> m_rowBySource; // sources present now
    QHash<int, DeviceProvisioning *> m_running;
    QHash<QString, profiles::Profile> m_profiles; // resolved, by name as given
    QHash<QString, ble::BleDevice> m_ble;         // BLE devices waiting or running
    QHash<QString, PortInfo> m_ports;             // serial ports waiting or running
    QSet<QString> m_goneWhileActive;              // BLE devices that went quiet during their turn
    int m_interruptedClosed = 0;
    bool m_started = false;
    bool m_stopped = false;
    qint64 m_batchSeq = 0;
};

} // namespace onboarding::batch
} // namespace provbench
