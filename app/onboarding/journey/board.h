#pragma once

#include "app/core/error.h"
#include "app/onboarding/journey/journey.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>

#include <functional>
#include <optional>
#include <vector>

namespace provbench::store {
class Store;
struct AuditRecord;
struct InventoryDevice;
} // namespace provbench::store

namespace provbench::journey {

// Which devices an aggregate covers; empty fields match everything.
struct BoardFilter
{
    QString site;
    QString profile;
    QString transport;
    std::optional<Stage> stage;
    bool isEmpty() const
    {
        return site.isEmpty() && profile.isEmpty() && transport.isEmpty() && !stage;
    }
};

struct StageCounts
{
    std::array<int, kStageCount> devices{}; // per stage
    std::array<int, kStageCount> stuck{};   // of those, stuck
    int total = 0;
    int at(Stage s) const { return devices[size_t(s)]; }
    int stuckAt(Stage s) const { return stuck[size_t(s)]; }
};

// Devices that are Failed now, grouped by reason (ids sorted).
struct FailureGroup
{
    QString reason;
    QStringList deviceIds;
};

struct ThroughputPoint
{
    qint64 timeMs = 0;
    double perMinute = 0; // onboardings in (timeMs - window, timeMs], per minute
};

// What changed since the last takeDelta(): the devices whose row may differ
// (added, changed or removed: look them up), and whether counts, failures or
// throughput may differ.
struct BoardDelta
{
    QSet<QString> devices;
    bool aggregates = false;
    qint64 lastSeq = 0;
    bool isEmpty() const { return devices.isEmpty() && !aggregates; }
    void merge(const BoardDelta &other)
    {
        devices.unite(other.devices);
        aggregates = aggregates || other.aggregates;
        lastSeq = std::max(lastSeq, other.lastSeq);
    }
};

// Every device's journey and the aggregates of the onboarding board, derived
// from the audit log (the truth) and the inventory (names, sites, profiles;
// the stage of devices that have no events yet).
//
// load() rebuilds it from a store, so a restarted workbench shows the same
// board; apply() then feeds it record by record (BoardFeed does this). Each
// change is O(1) apart from stuck detection (refreshStuck(), O(devices)) and
// filtered aggregates (O(devices)). Not thread-safe; use it on one thread.
class Board
{
public:
    using Clock = std::function<qint64()>; // ms since the epoch

    // Without a clock, the system clock.
    explicit Board(Clock clock = {}, StuckRules rules = StuckRules::defaults());

    // Clears the board and rebuilds it: every inventory device, then every
    // audit record in order. A device with no journey events takes its stage
    // from its inventory state.
    Result<void> load(store::Store &store);
    void clear();

    // Profile names to kinds, for devices whose events do not say.
    void setProfileKinds(const QHash<QString, ProfileKind> &kinds);
    void setStuckRules(const StuckRules &rules);
    const StuckRules &stuckRules() const { return m_rules; }
    qint64 now() const { return m_clock(); }

    // Adds the device or fills in its descriptive fields (non-empty ones).
    void updateInfo(const store::InventoryDevice &device);
    // Returns true when the record changed the board. Records of unknown
    // kinds, without a device or already applied (seq <= lastSeq()) change nothing.
    bool apply(const store::AuditRecord &record);
    bool apply(const JourneyEvent &event);
    // Forgets a device (it is no longer expected, or was removed from the inventory).
    bool removeDevice(const QString &id);
    // Re-evaluates stuck flags against the clock; returns how many changed.
    int refreshStuck();

    BoardDelta takeDelta();

    int size() const { return int(m_devices.size()); }
    const Journey &at(int index) const { return m_devices[size_t(index)]; }
    const Journey *device(const QString &id) const;
    qint64 lastSeq() const { return m_lastSeq; }

    static bool matches(const Journey &device, const BoardFilter &filter);
    StageCounts counts(const BoardFilter &filter = {}) const;
    QList<FailureGroup> failures(const BoardFilter &filter = {}) const;
    // Onboardings per minute over `windowMs` ending at each point, for points
    // every `stepMs` from now - spanMs to now. Unfiltered: every onboarding the
    // log shows; filtered: the matching devices' current onboarding.
    QList<ThroughputPoint> throughput(qint64 spanMs, qint64 stepMs = 60'000,
        qint64 windowMs = 300'000, const BoardFilter &filter = {}) const;
    double onboardedPerMinute(qint64 windowMs = 300'000) const;

private:
    Journey &ensure(const QString &id);
    void leave(const Journey &j);
    void enter(const Journey &j);
    void touch(const QString &id) { m_delta.devices.insert(id); }

    Clock m_clock;
    StuckRules m_rules;
    std::vector<Journey> m_devices;
    QHash<QString, int> m_index;
    QHash<QString, ProfileKind> m_profileKinds;
    StageCounts m_counts;
    QHash<QString, QSet<QString>> m_failures; // reason -> device ids
    QList<qint64> m_onboardings;              // times, sorted
    qint64 m_lastSeq = 0;
    qint64 m_lastTimeMs = 0;
    BoardDelta m_delta;
};

} // namespace provbench::journey
