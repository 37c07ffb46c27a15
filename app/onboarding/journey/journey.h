#pragma once

#include <QJsonObject>
#include <QList>
#include <QString>

#include <array>
#include <functional>
#include <optional>

namespace provbench::store {
struct AuditRecord;
}

namespace provbench::journey {

// Where a device stands on its way to being onboarded. The order is the order
// of the journey; Failed is outside it.
enum class Stage {
    Discovered,
    Identified,
    CredentialsWritten,
    Verified,
    Enrolled,  // dynamic profiles only
    CheckedIn, // dynamic profiles only
    Onboarded,
    Failed,
};
inline constexpr int kStageCount = 8;

// "discovered", "identified", "credentials-written", "verified", "enrolled",
// "checked-in", "onboarded", "failed": the words the inventory stores.
QString stageName(Stage stage);
// "Discovered", "Credentials written", ...: for people.
QString stageTitle(Stage stage);
std::optional<Stage> stageFromName(const QString &name);

enum class ProfileKind { Unknown, Static, Dynamic };
QString profileKindName(ProfileKind kind);
ProfileKind profileKindFromName(const QString &name); // "static", "dynamic", else Unknown

// What an audit record means for a device's journey. Records of other kinds
// are Ignored; Activity moves nothing (intents, outcomes of other actions).
enum class EventKind {
    Ignored,
    Discovered,    // device.discovered
    Identified,    // device.identified
    Activity,      // intent.*, successful outcomes of other actions (sign, ...)
    TokenIssued,   // token.issued (implies a dynamic profile)
    EnrollRequest, // enroll.request, .pending, .approved (implies a dynamic profile)
    WriteOk,       // outcome.write ok (with details.verified = true: VerifyOk)
    VerifyOk,      // outcome.verify ok
    CertIssued,    // cert.issued
    CheckIn,       // checkin
    Failure,       // failure, enroll.denied, or any outcome.* with ok = false
};
inline constexpr int kEventKindCount = 11;
QString eventKindName(EventKind kind);

// An audit record reduced to what the journey needs.
struct JourneyEvent
{
    EventKind kind = EventKind::Ignored;
    qint64 seq = 0;
    qint64 timeMs = 0;  // ms since the epoch, UTC
    QString recordKind; // the audit kind as stored ("outcome.write", ...)
    QString deviceId;
    ProfileKind profileKind = ProfileKind::Unknown; // details.profileKind, or implied
    QString reason;    // Failure: details.reason, or the outcome's message
    QString step;      // Failure: details.step, or the outcome's action
    QJsonObject facts; // device.discovered/identified: transport, address, identity, ...
};

// Never fails: unknown kinds and malformed details give Ignored or defaults.
JourneyEvent classify(const store::AuditRecord &record);

// "2024-05-01T12:00:00.000Z" (the store's format; seconds and fractions
// optional) to ms since the epoch; nullopt for anything else.
std::optional<qint64> parseAuditTime(const QString &text);
QString formatAuditTime(qint64 ms);

// The pure transition function: the stage a device in `from` reaches on
// `event`, for a device whose profile is of kind `kind` (Unknown counts as
// static). Rules (docs/board.md):
//  - progress events move forward only: a duplicate or late event whose stage
//    is not after the current one changes nothing;
//  - VerifyOk completes a static device (Onboarded), CheckIn a dynamic one;
//  - Failure moves any stage but Onboarded to Failed (a refused request
//    afterwards does not undo an onboarded device);
//  - from Failed, any progress event is a retry and moves to its stage.
Stage nextStage(Stage from, EventKind event, ProfileKind kind);

// One step of a device's timeline: an event that moved it (or failed it).
struct TimelineEntry
{
    qint64 seq = 0;
    qint64 timeMs = 0;
    QString recordKind;
    Stage from = Stage::Discovered;
    Stage to = Stage::Discovered;
    QString note; // a failure's reason
};

// Timeouts per stage in ms; 0 means the stage never counts as stuck.
struct StuckRules
{
    std::array<qint64, kStageCount> timeoutMs{};
    // Identified 10 min, Credentials written 5 min, Verified (a dynamic device
    // waiting to enroll) 10 min, Enrolled 10 min, Checked in 5 min.
    static StuckRules defaults();
    qint64 timeout(Stage stage) const { return timeoutMs[size_t(stage)]; }
    void setTimeout(Stage stage, qint64 ms) { timeoutMs[size_t(stage)] = ms; }
};

// One device's journey: its stage, since when, why it failed and the events
// that moved it. Plain data plus apply(); the Board owns one per device.
class Journey
{
public:
    static constexpr int kTimelineCap = 64; // oldest entries dropped beyond this

    explicit Journey(QString id = {}) : m_id(std::move(id)) { }

    // Applies one event of this device. Returns true when anything shown on
    // the board changed (stage, failure, profile kind, facts).
    bool apply(const JourneyEvent &event);
    // Sets the starting point from the inventory (no timeline entry).
    void seed(Stage stage, qint64 sinceMs, const QString &failureReason = {});

    // Stuck: the stage has a timeout and has not moved for at least that long.
    bool isStuckAt(qint64 nowMs, const StuckRules &rules) const;
    qint64 stuckForMs(qint64 nowMs) const { return nowMs - m_sinceMs; }

    const QString &id() const { return m_id; }
    Stage stage() const { return m_stage; }
    qint64 sinceMs() const { return m_sinceMs; }
    qint64 lastSeq() const { return m_lastSeq; }
    ProfileKind profileKind() const { return m_profileKind; }
    const QString &failureReason() const { return m_failureReason; }
    const QString &failureStep() const { return m_failureStep; }
    const QList<TimelineEntry> &timeline() const { return m_timeline; }
    qint64 onboardedAtMs() const { return m_onboardedAtMs; } // 0 unless Onboarded

    // Descriptive fields, from the inventory or discovery facts.
    QString name, site, profile, transport, address;
    bool stuck = false; // maintained by the Board against its clock

    void setProfileKind(ProfileKind kind) { m_profileKind = kind; }

private:
    QString m_id;
    Stage m_stage = Stage::Discovered;
    qint64 m_sinceMs = 0;
    qint64 m_lastSeq = 0;
    qint64 m_onboardedAtMs = 0;
    ProfileKind m_profileKind = ProfileKind::Unknown;
    QString m_failureReason;
    QString m_failureStep;
    QList<TimelineEntry> m_timeline;
};

} // namespace provbench::journey
