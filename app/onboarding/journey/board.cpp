#include "app/onboarding/journey/board.h"

#include "app/storage/store/store.h"

#include <QDateTime>

#include <algorithm>

namespace provbench::journey {

namespace {

// The inventory's state words, including those of the provisioning job.
Stage stageFromInventory(const QString &state, ProfileKind kind)
{
    if (state == u"checked-in" || state == u"checkedin")
        return Stage::Onboarded; // a check-in completes the journey (docs/board.md)
    if (state == u"pending-approval")
        return Stage::Verified; // bootstrap written, enrollment waits for a person
    if (auto s = stageFromName(state))
        return *s;
    if (state == u"provisioned")
        return kind == ProfileKind::Dynamic ? Stage::Verified : Stage::Onboarded;
    if (state == u"provisioning")
        return Stage::Identified;
    return Stage::Discovered;
}

} // namespace

Board::Board(Clock clock, StuckRules rules) : m_clock(std::move(clock)), m_rules(rules)
{
    if (!m_clock)
        m_clock = [] { return QDateTime::currentMSecsSinceEpoch(); };
}

void Board::clear()
{
    for (const Journey &j : m_devices)
        touch(j.id());
    m_devices.clear();
    m_index.clear();
    m_counts = {};
    m_failures.clear();
    m_onboardings.clear();
    m_lastSeq = 0;
    m_lastTimeMs = 0;
    m_delta.aggregates = true;
}

Result<void> Board::load(store::Store &store)
{
    clear();
    auto devices = store.inventory().list();
    if (!devices)
        return std::unexpected(devices.error());
    m_devices.reserve(size_t(devices->size()));
    for (const store::InventoryDevice &d : *devices)
        updateInfo(d);
    auto walked = store.audit().forEach({}, [this](const store::AuditRecord &r) {
        apply(r);
        return true;
    });
    if (!walked)
        return std::unexpected(walked.error());
    for (const store::InventoryDevice &d : *devices) {
        const int i = m_index.value(d.id, -1);
        if (i < 0)
            continue;
        Journey &j = m_devices[size_t(i)];
        if (j.lastSeq() != 0)
            continue; // the log knows better than the state word
        leave(j);
        const qint64 since
            = parseAuditTime(d.updatedAt).value_or(parseAuditTime(d.createdAt).value_or(0));
        j.seed(stageFromInventory(d.state, j.profileKind()), since, d.failureReason);
        if (j.stage() == Stage::Failed && j.failureReason().isEmpty())
            j.seed(Stage::Failed, since, QStringLiteral("unknown (the inventory names no reason)"));
        enter(j);
    }
    refreshStuck();
    return {};
}

void Board::setProfileKinds(const QHash<QString, ProfileKind> &kinds)
{
    m_profileKinds = kinds;
    for (Journey &j : m_devices) {
        if (j.profileKind() == ProfileKind::Unknown && kinds.contains(j.profile)) {
            j.setProfileKind(kinds.value(j.profile));
            touch(j.id());
        }
    }
}

void Board::setStuckRules(const StuckRules &rules)
{
    m_rules = rules;
    refreshStuck();
}

Journey &Board::ensure(const QString &id)
{
    const int i = m_index.value(id, -1);
    if (i >= 0)
        return m_devices[size_t(i)];
    m_index.insert(id, int(m_devices.size()));
    m_devices.emplace_back(id);
    Journey &j = m_devices.back();
    enter(j);
    touch(id);
    m_delta.aggregates = true;
    return j;
}

void Board::updateInfo(const store::InventoryDevice &device)
{
    if (device.id.isEmpty())
        return;
    Journey &j = ensure(device.id);
    bool changed = false;
    auto take = [&changed](QString &field, const QString &value) {
        if (!value.isEmpty() && value != field) {
            field = value;
            changed = true;
        }
    };
    take(j.name, device.name);
    take(j.site, device.site);
    take(j.profile, device.profile);
    take(j.transport, device.transport);
    take(j.address, device.transportId);
    if (j.profileKind() == ProfileKind::Unknown && m_profileKinds.contains(j.profile)) {
        j.setProfileKind(m_profileKinds.value(j.profile));
        changed = true;
    }
    if (changed) {
        touch(j.id());
        m_delta.aggregates = true; // filtered aggregates may differ
    }
}

void Board::leave(const Journey &j)
{
    --m_counts.devices[size_t(j.stage())];
    --m_counts.total;
    if (j.stuck)
        --m_counts.stuck[size_t(j.stage())];
    if (j.stage() == Stage::Failed) {
        auto it = m_failures.find(j.failureReason());
        if (it != m_failures.end()) {
            it->remove(j.id());
            if (it->isEmpty())
                m_failures.erase(it);
        }
    }
}

void Board::enter(const Journey &j)
{
    ++m_counts.devices[size_t(j.stage())];
    ++m_counts.total;
    if (j.stuck)
        ++m_counts.stuck[size_t(j.stage())];
    if (j.stage() == Stage::Failed)
        m_failures[j.failureReason()].insert(j.id());
}

bool Board::apply(const store::AuditRecord &record)
{
    if (record.seq <= m_lastSeq)
        return false;
    // A journey recorded under a placeholder id (a port path, before the
    // device said who it is) that turned out to be a device known by its
    // serial number: the placeholder leaves the board.
    if (record.kind == u"device.merged") {
        m_lastSeq = record.seq;
        m_delta.lastSeq = m_lastSeq;
        return removeDevice(record.deviceId);
    }
    return apply(classify(record));
}

bool Board::apply(const JourneyEvent &input)
{
    if (input.seq > 0 && input.seq <= m_lastSeq)
        return false;
    m_lastSeq = std::max(m_lastSeq, input.seq);
    m_delta.lastSeq = m_lastSeq;
    if (input.kind == EventKind::Ignored || input.deviceId.isEmpty())
        return false;
    JourneyEvent event = input;
    if (event.timeMs <= 0)
        event.timeMs = m_lastTimeMs; // an unreadable time: no later than what came before
    m_lastTimeMs = std::max(m_lastTimeMs, event.timeMs);

    const bool isNew = !m_index.contains(event.deviceId);
    Journey &j = ensure(event.deviceId);
    const Stage before = j.stage();
    const QString reasonBefore = j.failureReason();
    leave(j);
    const bool changed = j.apply(event);
    enter(j);
    if (!changed)
        return isNew;
    touch(j.id());
    if (j.stage() != before || j.failureReason() != reasonBefore)
        m_delta.aggregates = true;
    if (j.stage() == Stage::Onboarded && before != Stage::Onboarded) {
        const auto at = std::upper_bound(m_onboardings.begin(), m_onboardings.end(), j.sinceMs());
        m_onboardings.insert(at, j.sinceMs());
    }
    return true;
}

bool Board::removeDevice(const QString &idRef)
{
    const QString id = idRef; // may refer to the Journey that is about to be overwritten
    const int i = m_index.value(id, -1);
    if (i < 0)
        return false;
    leave(m_devices[size_t(i)]);
    const int last = int(m_devices.size()) - 1;
    if (i != last) {
        m_devices[size_t(i)] = std::move(m_devices[size_t(last)]);
        m_index.insert(m_devices[size_t(i)].id(), i);
    }
    m_devices.pop_back();
    m_index.remove(id);
    touch(id);
    m_delta.aggregates = true;
    return true;
}

int Board::refreshStuck()
{
    const qint64 nowMs = m_clock();
    int changed = 0;
    for (Journey &j : m_devices) {
        const bool stuck = j.isStuckAt(nowMs, m_rules);
        if (stuck == j.stuck)
            continue;
        m_counts.stuck[size_t(j.stage())] += stuck ? 1 : -1;
        j.stuck = stuck;
        touch(j.id());
        ++changed;
    }
    if (changed)
        m_delta.aggregates = true;
    return changed;
}

BoardDelta Board::takeDelta()
{
    BoardDelta out = std::move(m_delta);
    m_delta = {};
    m_delta.lastSeq = m_lastSeq;
    out.lastSeq = m_lastSeq;
    return out;
}

const Journey *Board::device(const QString &id) const
{
    const int i = m_index.value(id, -1);
    return i < 0 ? nullptr : &m_devices[size_t(i)];
}

bool Board::matches(const Journey &d, const BoardFilter &f)
{
    return (f.site.isEmpty() || d.site == f.site) && (f.profile.isEmpty() || d.profile == f.profile)
        && (f.transport.isEmpty() || d.transport == f.transport)
        && (!f.stage || d.stage() == *f.stage);
}

StageCounts Board::counts(const BoardFilter &filter) const
{
    if (filter.isEmpty())
        return m_counts;
    StageCounts c;
    for (const Journey &j : m_devices) {
        if (!matches(j, filter))
            continue;
        ++c.devices[size_t(j.stage())];
        ++c.total;
        if (j.stuck)
            ++c.stuck[size_t(j.stage())];
    }
    return c;
}

QList<FailureGroup> Board::failures(const BoardFilter &filter) const
{
    QList<FailureGroup> out;
    if (filter.isEmpty()) {
        out.reserve(m_failures.size());
        for (auto it = m_failures.cbegin(); it != m_failures.cend(); ++it)
            out.append(FailureGroup{it.key(), QStringList(it->cbegin(), it->cend())});
    } else {
        QHash<QString, QStringList> groups;
        for (const Journey &j : m_devices) {
            if (j.stage() == Stage::Failed && matches(j, filter))
                groups[j.failureReason()].append(j.id());
        }
        for (auto it = groups.cbegin(); it != groups.cend(); ++it)
            out.append(FailureGroup{it.key(), it.value()});
    }
    for (FailureGroup &g : out)
        std::sort(g.deviceIds.begin(), g.deviceIds.end());
    std::sort(out.begin(), out.end(), [](const FailureGroup &a, const FailureGroup &b) {
        if (a.deviceIds.size() != b.deviceIds.size())
            return a.deviceIds.size() > b.deviceIds.size();
        return a.reason < b.reason;
    });
    return out;
}

QList<ThroughputPoint> Board::throughput(
    qint64 spanMs, qint64 stepMs, qint64 windowMs, const BoardFilter &filter) const
{
    QList<qint64> filtered;
    if (!filter.isEmpty()) {
        for (const Journey &j : m_devices) {
            if (j.stage() == Stage::Onboarded && matches(j, filter))
                filtered.append(j.onboardedAtMs());
        }
        std::sort(filtered.begin(), filtered.end());
    }
    const QList<qint64> &times = filter.isEmpty() ? m_onboardings : filtered;
    QList<ThroughputPoint> out;
    if (stepMs <= 0 || windowMs <= 0 || spanMs < 0)
        return out;
    const qint64 nowMs = m_clock();
    for (qint64 t = nowMs - spanMs; t <= nowMs; t += stepMs) {
        const auto hi = std::upper_bound(times.begin(), times.end(), t);
        const auto lo = std::upper_bound(times.begin(), times.end(), t - windowMs);
        out.append(ThroughputPoint{t, double(hi - lo) * 60'000.0 / double(windowMs)});
    }
    return out;
}

double Board::onboardedPerMinute(qint64 windowMs) const
{
    const auto points = throughput(0, 1, windowMs);
    return points.isEmpty() ? 0.0 : points.last().perMinute;
}

} // namespace provbench::journey
