#include "app/onboarding/journey/journey.h"

#include "app/storage/store/auditrecord.h"

#include <QDate>
#include <QDateTime>
#include <QJsonValue>

namespace provbench::journey {

namespace {

constexpr std::array<const char *, kStageCount> kStageNames = {"discovered", "identified",
    "credentials-written", "verified", "enrolled", "checked-in", "onboarded", "failed"};
constexpr std::array<const char *, kStageCount> kStageTitles = {"Discovered", "Identified",
    "Credentials written", "Verified", "Enrolled", "Checked in", "Onboarded", "Failed"};
constexpr std::array<const char *, kEventKindCount> kEventNames
    = {"ignored", "discovered", "identified", "activity", "token-issued", "enroll-request",
        "write-ok", "verify-ok", "cert-issued", "checkin", "failure"};

constexpr qint64 kMinute = 60 * 1000;

// Parses exactly `n` decimal digits at `pos`; -1 when they are not there.
int digits(const QString &s, qsizetype pos, int n)
{
    if (pos + n > s.size())
        return -1;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const QChar c = s[pos + i];
        if (c < u'0' || c > u'9')
            return -1;
        v = v * 10 + (c.unicode() - u'0');
    }
    return v;
}

} // namespace

QString stageName(Stage stage)
{
    return QString::fromLatin1(kStageNames[size_t(stage)]);
}

QString stageTitle(Stage stage)
{
    return QString::fromLatin1(kStageTitles[size_t(stage)]);
}

std::optional<Stage> stageFromName(const QString &name)
{
    for (int i = 0; i < kStageCount; ++i) {
        if (name == QLatin1StringView(kStageNames[size_t(i)]))
            return Stage(i);
    }
    return std::nullopt;
}

QString profileKindName(ProfileKind kind)
{
    switch (kind) {
    case ProfileKind::Static:
        return QStringLiteral("static");
    case ProfileKind::Dynamic:
        return QStringLiteral("dynamic");
    case ProfileKind::Unknown:
        break;
    }
    return QString();
}

ProfileKind profileKindFromName(const QString &name)
{
    if (name.compare(u"static", Qt::CaseInsensitive) == 0)
        return ProfileKind::Static;
    if (name.compare(u"dynamic", Qt::CaseInsensitive) == 0)
        return ProfileKind::Dynamic;
    return ProfileKind::Unknown;
}

QString eventKindName(EventKind kind)
{
    return QString::fromLatin1(kEventNames[size_t(kind)]);
}

std::optional<qint64> parseAuditTime(const QString &text)
{
    // YYYY-MM-DDTHH:MM[:SS[.fff]]Z
    const int y = digits(text, 0, 4), mo = digits(text, 5, 2), d = digits(text, 8, 2);
    const int h = digits(text, 11, 2), mi = digits(text, 14, 2);
    if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || text.size() < 17 || text[4] != u'-'
        || text[7] != u'-' || (text[10] != u'T' && text[10] != u' ') || text[13] != u':')
        return std::nullopt;
    const QDate date(y, mo, d);
    if (!date.isValid() || h > 23 || mi > 59)
        return std::nullopt;
    qsizetype pos = 16;
    int sec = 0, ms = 0;
    if (pos < text.size() && text[pos] == u':') {
        sec = digits(text, pos + 1, 2);
        if (sec < 0 || sec > 60)
            return std::nullopt;
        pos += 3;
        if (pos < text.size() && text[pos] == u'.') {
            ++pos;
            int scale = 100;
            while (pos < text.size() && text[pos].isDigit()) {
                ms += (text[pos].unicode() - u'0') * scale;
                scale /= 10;
                ++pos;
            }
        }
    }
    if (pos != text.size() - 1 || text[pos] != u'Z')
        return std::nullopt;
    const qint64 days = date.toJulianDay() - QDate(1970, 1, 1).toJulianDay();
    return ((days * 24 + h) * 60 + mi) * kMinute + sec * 1000 + ms;
}

QString formatAuditTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC)
        .toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzzZ"));
}

JourneyEvent classify(const store::AuditRecord &record)
{
    JourneyEvent e;
    e.seq = record.seq;
    e.recordKind = record.kind;
    e.deviceId = record.deviceId;
    e.timeMs = parseAuditTime(record.time).value_or(0);
    const QString &k = record.kind;
    const bool known = k == u"device.discovered" || k == u"device.identified"
        || k.startsWith(u"intent.") || k.startsWith(u"outcome.") || k == u"token.issued"
        || k.startsWith(u"enroll.") || k == u"cert.issued" || k == u"checkin" || k == u"failure";
    if (!known)
        return e;
    const QJsonObject details = record.detailsObject();
    auto text
        = [&details](const char *key) { return details.value(QLatin1StringView(key)).toString(); };
    if (k == u"device.discovered" || k == u"device.identified") {
        e.kind = k == u"device.discovered" ? EventKind::Discovered : EventKind::Identified;
        e.facts = details;
    } else if (k.startsWith(u"intent.")) {
        e.kind = EventKind::Activity;
    } else if (k.startsWith(u"outcome.")) {
        const QString action = k.mid(8);
        if (!details.value(QStringLiteral("ok")).toBool(false)) {
            e.kind = EventKind::Failure;
            e.reason = text("reason");
            if (e.reason.isEmpty())
                e.reason = text("message");
            e.step = text("step");
            if (e.step.isEmpty())
                e.step = action;
        } else if (action == u"write") {
            e.kind = details.value(QStringLiteral("verified")).toBool(false) ? EventKind::VerifyOk
                                                                             : EventKind::WriteOk;
        } else if (action == u"verify") {
            e.kind = EventKind::VerifyOk;
        } else {
            e.kind = EventKind::Activity;
        }
    } else if (k == u"enroll.denied") {
        e.kind = EventKind::Failure;
        e.reason = QStringLiteral("enrollment denied");
        if (const QString by = text("decided_by"); !by.isEmpty())
            e.reason += QStringLiteral(" by ") + by;
        e.step = QStringLiteral("enroll");
        e.profileKind = ProfileKind::Dynamic;
    } else if (k.startsWith(u"enroll.") && k != u"enroll.request") {
        e.kind = EventKind::EnrollRequest; // pending, approved: waiting, not a move
        e.profileKind = ProfileKind::Dynamic;
    } else if (k == u"failure") {
        e.kind = EventKind::Failure;
        e.reason = text("reason");
        if (e.reason.isEmpty())
            e.reason = text("message");
        e.step = text("step");
    } else {
        e.kind = k == u"token.issued" ? EventKind::TokenIssued
            : k == u"enroll.request"  ? EventKind::EnrollRequest
            : k == u"cert.issued"     ? EventKind::CertIssued
                                      : EventKind::CheckIn;
        e.profileKind = ProfileKind::Dynamic; // only dynamic onboarding has these steps
    }
    if (e.kind == EventKind::Failure && e.reason.isEmpty())
        e.reason = QStringLiteral("unknown (the record names no reason)");
    const ProfileKind stated = profileKindFromName(text("profileKind"));
    if (stated != ProfileKind::Unknown)
        e.profileKind = stated;
    return e;
}

Stage nextStage(Stage from, EventKind event, ProfileKind kind)
{
    Stage target;
    switch (event) {
    case EventKind::Failure:
        // A refused request later (a replayed token, a bad re-enrollment) does
        // not undo a device that is onboarded: it keeps its credentials.
        return from == Stage::Onboarded ? Stage::Onboarded : Stage::Failed;
    case EventKind::Discovered:
        target = Stage::Discovered;
        break;
    case EventKind::Identified:
        target = Stage::Identified;
        break;
    case EventKind::WriteOk:
        target = Stage::CredentialsWritten;
        break;
    case EventKind::VerifyOk:
        target = kind == ProfileKind::Dynamic ? Stage::Verified : Stage::Onboarded;
        break;
    case EventKind::CertIssued:
        target = Stage::Enrolled;
        break;
    case EventKind::CheckIn:
        target = Stage::Onboarded;
        break;
    case EventKind::Ignored:
    case EventKind::Activity:
    case EventKind::TokenIssued:
    case EventKind::EnrollRequest:
    default:
        return from;
    }
    if (from == Stage::Failed)
        return target; // a retry
    return int(target) > int(from) ? target : from;
}

StuckRules StuckRules::defaults()
{
    StuckRules r;
    r.setTimeout(Stage::Identified, 10 * kMinute);
    r.setTimeout(Stage::CredentialsWritten, 5 * kMinute);
    r.setTimeout(Stage::Verified, 10 * kMinute);
    r.setTimeout(Stage::Enrolled, 10 * kMinute);
    r.setTimeout(Stage::CheckedIn, 5 * kMinute);
    return r;
}

void Journey::seed(Stage stage, qint64 sinceMs, const QString &failureReason)
{
    m_stage = stage;
    m_sinceMs = sinceMs;
    m_failureReason = stage == Stage::Failed ? failureReason : QString();
    if (stage == Stage::Onboarded)
        m_onboardedAtMs = sinceMs;
}

bool Journey::apply(const JourneyEvent &event)
{
    bool changed = false;
    if (event.seq > m_lastSeq)
        m_lastSeq = event.seq;
    if (event.profileKind != ProfileKind::Unknown && event.profileKind != m_profileKind) {
        m_profileKind = event.profileKind;
        changed = true;
    }
    if (!event.facts.isEmpty()) {
        auto take = [&](QString &field, const char *key) {
            const QString v = event.facts.value(QLatin1StringView(key)).toString();
            if (!v.isEmpty() && v != field) {
                field = v;
                changed = true;
            }
        };
        take(transport, "transport");
        take(address, "address");
        if (address.isEmpty())
            take(address, "port");
        take(name, "name");
    }
    if (m_sinceMs == 0 && event.timeMs > 0)
        m_sinceMs = event.timeMs; // first sighting
    const Stage next = nextStage(m_stage, event.kind, m_profileKind);
    if (event.kind == EventKind::Discovered && m_timeline.isEmpty()) {
        // the first sighting opens the timeline
        m_timeline.append(
            TimelineEntry{event.seq, event.timeMs, event.recordKind, m_stage, m_stage, {}});
        return true;
    }
    if (next == m_stage && (event.kind != EventKind::Failure || next != Stage::Failed))
        return changed;
    if (next == Stage::Failed) {
        const QString step = !event.step.isEmpty() ? event.step
            : m_stage == Stage::Failed             ? m_failureStep
                                                   : stageName(m_stage);
        if (m_stage == Stage::Failed && m_failureReason == event.reason && m_failureStep == step)
            return changed; // the same failure reported twice
        m_failureReason = event.reason;
        m_failureStep = step;
    } else {
        m_failureReason.clear();
        m_failureStep.clear();
    }
    m_timeline.append(TimelineEntry{event.seq, event.timeMs, event.recordKind, m_stage, next,
        next == Stage::Failed ? m_failureReason : QString()});
    if (m_timeline.size() > kTimelineCap)
        m_timeline.removeFirst();
    if (next != m_stage && event.timeMs > 0)
        m_sinceMs = event.timeMs;
    m_stage = next;
    m_onboardedAtMs = next == Stage::Onboarded ? m_sinceMs : 0;
    stuck = false;
    return true;
}

bool Journey::isStuckAt(qint64 nowMs, const StuckRules &rules) const
{
    const qint64 timeout = rules.timeout(m_stage);
    return timeout > 0 && m_sinceMs > 0 && nowMs - m_sinceMs >= timeout;
}

} // namespace provbench::journey
