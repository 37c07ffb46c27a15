#pragma once

#include "app/core/error.h"
#include "app/onboarding/credentialplan.h"
#include "app/profiles/profiletemplate.h"

#include <QObject>

#include <functional>

namespace provbench::onboarding {

// How one planned item ended. Every item ends in exactly one state, and a
// failed write says what the device holds now, so an interrupted job never
// leaves a device in an unreported state.
struct ItemOutcome
{
    enum class State {
        Pending,
        Verified,   // written and read back (or hashed) equal
        Mismatch,   // written, but the read-back differs
        Failed,     // not written, or unknown: `deviceHolds` says what is there
        Unsupported // the protocol cannot carry it (planned so)
    };
    enum class DeviceHolds { Unknown, Old, New, Nothing };

    State state = State::Pending;
    DeviceHolds holds = DeviceHolds::Unknown;
    QString detail;        // for people; never contains a secret
    bool linkLost = false; // the device is gone: the rest is not attempted
};

QString outcomeName(ItemOutcome::State state);
// "Label: detail", without repeating the label when the detail starts with it.
QString describeOutcome(const PlanItem &item, const ItemOutcome &outcome);
QString holdsName(ItemOutcome::DeviceHolds holds);

// One device reached over one protocol. begin() prepares the device (an nRF91
// goes offline), write() writes one item and verifies it, end() restores and
// commits (settings save, previous CFUN mode). Each completes exactly once.
class CredentialTarget : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    virtual DeviceProtocol protocol() const = 0;
    virtual void begin(std::function<void(Result<void>)> done) { done({}); }
    // `value` is the material for the item: the text of a setting, a PEM, a
    // PSK. For the Improv Wi-Fi item, the passphrase (the SSID is in the item).
    virtual void write(
        const PlanItem &item, const QByteArray &value, std::function<void(ItemOutcome)> done)
        = 0;
    virtual void end(std::function<void(Result<void>)> done) { done({}); }
    // An item the job failed without calling write(): its value could not be
    // made (a template needs a MAC the device does not report, a key could
    // not be generated) or the link was lost before its turn. Default: nothing.
    virtual void notWritten(const PlanItem &item, const ItemOutcome &outcome)
    {
        Q_UNUSED(item);
        Q_UNUSED(outcome);
    }
};

// Where each item's bytes come from: profile values with templates expanded
// for the device, generated keys and issued certificates, files of the
// workspace. Secrets stay in memory only.
class MaterialProvider
{
public:
    virtual ~MaterialProvider() = default;
    // Slow preparation (key generation) off the caller's thread; the job
    // waits for it before it writes anything. Default: nothing to prepare.
    virtual void prepare(std::function<void(Result<void>)> done) { done({}); }
    virtual Result<QByteArray> material(const PlanItem &item, const profiles::DeviceVars &device)
        = 0;
};

// Expands profile values (and the Wi-Fi passphrase, which is not a template)
// and reads PEM files named by the profile; generated keys, issued
// certificates and the CA come from `crypto` when set.
class ProfileMaterial : public MaterialProvider
{
public:
    ProfileMaterial(
        profiles::Profile profile, QString workspacePath, MaterialProvider *crypto = nullptr);
    void prepare(std::function<void(Result<void>)> done) override;
    Result<QByteArray> material(const PlanItem &item, const profiles::DeviceVars &device) override;

private:
    profiles::Profile m_profile;
    QString m_workspacePath;
    MaterialProvider *m_crypto;
};

// Walks a plan for one device: every item's material first (so a value that
// cannot be made, such as a template needing a MAC the device does not report,
// stops the job before anything is written: the device is left untouched),
// then begin, each item (write, verify), end. A failed write does not stop the
// others unless the link is gone; once begun, end() always runs so the device
// is restored. finished(ok) is emitted once; ok
// means every item was verified (an item the protocol cannot carry is not ok:
// the profile does not fit the device).
class ProvisioningJob : public QObject
{
    Q_OBJECT
public:
    ProvisioningJob(QList<PlanItem> plan, CredentialTarget *target, MaterialProvider *material,
        profiles::DeviceVars device, QObject *parent = nullptr);

    void start();
    const QList<PlanItem> &plan() const { return m_plan; }
    const QList<ItemOutcome> &outcomes() const { return m_outcomes; }
    bool isFinished() const { return m_finished; }

Q_SIGNALS:
    void itemStarted(int index);
    void itemFinished(int index, const provbench::onboarding::ItemOutcome &outcome);
    void finished(bool ok, const QString &message);

private:
    void next();
    void finish(const QString &problem);
    // Makes every item's value; false (and the job finished) when one cannot be made.
    bool makeValues();
    void wipeValues();

    QList<PlanItem> m_plan;
    QList<ItemOutcome> m_outcomes;
    QList<QByteArray> m_values; // made before the first write; wiped once written
    CredentialTarget *m_target;
    MaterialProvider *m_material;
    profiles::DeviceVars m_device;
    int m_index = -1;
    bool m_linkLost = false;
    bool m_finished = false;
};

} // namespace provbench::onboarding
