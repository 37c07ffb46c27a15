// The onboarding board at scale, measured:
//
//   load      Board::load from a SQLite store holding D devices and ~6 events
//             each (written first with synchronous=OFF, which only speeds up
//             the setup; the load reads as the product does)
//   stream    R events/s for S seconds applied to the loaded board in memory,
//             with BoardDeviceModel, StageCountsModel and FailureBreakdownModel
//             attached: latency from Board::apply to the model's batched
//             signal (p50/p99/max), process CPU while streaming
//   feed      the same rate appended to the store and picked up by BoardFeed
//             (250 ms poll): latency from the append returning to the
//             model's batched signal
//
//   bench_board [devices=10000] [rate=500] [seconds=10]
//
// Not a ctest test: run it on demand and copy the numbers into docs/performance.md.
#include "app/onboarding/journey/board.h"
#include "app/onboarding/journey/boardfeed.h"
#include "app/onboarding/journey/journeyevents.h"
#include "app/storage/store/store.h"
#include "models/boarddevicemodel.h"
#include "models/failurebreakdownmodel.h"
#include "models/stagecountsmodel.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace provbench;
using namespace provbench::journey;

namespace {

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "bench_board: %s\n", qPrintable(what));
    std::exit(1);
}

template<typename T> T must(Result<T> r)
{
    if (!r)
        die(r.error().message);
    if constexpr (!std::is_void_v<T>)
        return std::move(*r);
}

double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec)
        + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

QString deviceId(int i)
{
    return QStringLiteral("SN%1").arg(i, 6, 10, QLatin1Char('0'));
}

void report(const char *what, std::vector<double> &ms)
{
    if (ms.empty()) {
        std::printf("%-8s no samples\n", what);
        return;
    }
    std::sort(ms.begin(), ms.end());
    auto at
        = [&ms](double q) { return ms[std::min(ms.size() - 1, size_t(q * double(ms.size())))]; };
    std::printf("%-8s %8zu events   latency ms  p50 %6.1f   p99 %6.1f   max %6.1f\n", what,
        ms.size(), at(0.50), at(0.99), ms.back());
}

// Writes ~6 events per device: discovered, identified, write intent and
// outcome (5% fail), verify intent and outcome for the others.
void populate(store::Store &store, int devices)
{
    (void)store.database().exec(QStringLiteral("PRAGMA synchronous=OFF"));
    QRandomGenerator rng(7);
    const QStringList sites{
        QStringLiteral("Berlin"), QStringLiteral("Oslo"), QStringLiteral("Lyon")};
    for (int i = 0; i < devices; ++i) {
        store::InventoryDevice d;
        d.id = deviceId(i);
        d.serialNumber = d.id;
        d.site = sites[i % 3];
        d.profile = i % 4 ? QStringLiteral("office") : QStringLiteral("est");
        d.transport = i % 2 ? QStringLiteral("ble") : QStringLiteral("serial");
        must(store.inventory().upsert(d));
    }
    auto &log = store.audit();
    for (int i = 0; i < devices; ++i) {
        const QString id = deviceId(i);
        must(recordDiscovered(
            log, id, {QStringLiteral("serial"), QStringLiteral("/dev/ttyUSB0"), {}, {}, {}}));
        must(recordIdentified(log, id, {}));
        const qint64 w = must(log.appendIntent(QStringLiteral("write"), id));
        const bool good = rng.bounded(20) != 0;
        must(log.appendOutcome(
            w, good, good ? QStringLiteral("written") : QStringLiteral("device busy")));
        if (!good)
            continue;
        const qint64 v = must(log.appendIntent(QStringLiteral("verify"), id));
        must(log.appendOutcome(v, true, QStringLiteral("read back")));
    }
    (void)store.database().exec(QStringLiteral("PRAGMA synchronous=FULL"));
}

struct Models
{
    explicit Models(const Board &board) : devices(board), counts(board), failures(board) { }
    void note(const BoardDelta &d)
    {
        devices.noteChanges(d);
        counts.noteChanges(d);
        failures.noteChanges(d);
    }
    BoardDeviceModel devices;
    StageCountsModel counts;
    FailureBreakdownModel failures;
};

JourneyEvent randomEvent(QRandomGenerator &rng, int devices, qint64 seq)
{
    static const EventKind kinds[]
        = {EventKind::Identified, EventKind::WriteOk, EventKind::VerifyOk, EventKind::CertIssued,
            EventKind::CheckIn, EventKind::Failure, EventKind::Activity};
    JourneyEvent e;
    e.seq = seq;
    e.kind = kinds[rng.bounded(int(std::size(kinds)))];
    e.deviceId = deviceId(rng.bounded(devices + devices / 100)); // ~1% new devices
    e.timeMs = QDateTime::currentMSecsSinceEpoch();
    e.recordKind = eventKindName(e.kind);
    if (e.kind == EventKind::Failure)
        e.reason = QStringLiteral("reason %1").arg(rng.bounded(5));
    return e;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int devices = argc > 1 ? std::atoi(argv[1]) : 10000;
    const int rate = argc > 2 ? std::atoi(argv[2]) : 500;
    const int seconds = argc > 3 ? std::atoi(argv[3]) : 10;
    QTemporaryDir dir;
    const QString url = QStringLiteral("sqlite:%1/inventory.db").arg(dir.path());

    QElapsedTimer clock;
    clock.start();
    {
        auto store = must(store::Store::open(url, dir.path(), QStringLiteral("bench@board")));
        populate(*store, devices);
    }
    const qint64 populateMs = clock.elapsed();
    auto store = must(store::Store::open(url, dir.path(), QStringLiteral("bench@board")));
    const qint64 records = must(store->audit().head()).seq;

    Board board;
    board.setProfileKinds({{QStringLiteral("est"), ProfileKind::Dynamic}});
    std::vector<double> loads;
    for (int run = 0; run < 3; ++run) {
        clock.restart();
        const double cpu0 = cpuSeconds();
        must(board.load(*store));
        loads.push_back(double(clock.nsecsElapsed()) / 1e6);
        std::printf("load     %d devices, %lld records: %.0f ms (cpu %.0f ms)\n", board.size(),
            records, loads.back(), (cpuSeconds() - cpu0) * 1000);
    }
    std::printf("         (store written in %lld ms)\n", populateMs);
    (void)board.takeDelta();

    // stream: in memory
    Models models(board);
    std::vector<qint64> pending; // apply times (ns) since the last batch
    std::vector<double> latencies;
    QElapsedTimer since;
    since.start();
    QObject::connect(&models.devices, &BoardDeviceModel::flushed, &app, [&](int, int, int) {
        const qint64 now = since.nsecsElapsed();
        for (qint64 t : pending)
            latencies.push_back(double(now - t) / 1e6);
        pending.clear();
    });
    QRandomGenerator rng(11);
    qint64 seq = board.lastSeq();
    const int perTick = std::max(1, rate / 100);
    qint64 applyNs = 0;
    QTimer tick;
    tick.setInterval(10);
    QObject::connect(&tick, &QTimer::timeout, &app, [&] {
        const qint64 t0 = since.nsecsElapsed();
        for (int i = 0; i < perTick; ++i) {
            board.apply(randomEvent(rng, devices, ++seq));
            pending.push_back(since.nsecsElapsed());
        }
        models.note(board.takeDelta());
        applyNs += since.nsecsElapsed() - t0;
    });
    double cpu0 = cpuSeconds();
    clock.restart();
    tick.start();
    QTimer::singleShot(seconds * 1000, &app, [&] {
        tick.stop();
        QTimer::singleShot(300, &app, &QCoreApplication::quit);
    });
    app.exec();
    double wall = double(clock.elapsed()) / 1000.0;
    std::printf("stream   %d events/s for %d s on %d devices: cpu %.1f%% of one core, apply+note "
                "%.1f us/event\n",
        perTick * 100, seconds, board.size(), 100.0 * (cpuSeconds() - cpu0) / wall,
        double(applyNs) / 1000.0 / double(latencies.size() ? latencies.size() : 1));
    report("stream", latencies);

    // feed: through the store and BoardFeed. The stream's events were never
    // stored, so start again from what the store holds.
    latencies.clear();
    must(board.load(*store));
    (void)board.takeDelta();
    models.devices.reload();
    models.counts.setFilter({});
    models.failures.setFilter({});
    (void)store->database().exec(QStringLiteral("PRAGMA synchronous=OFF"));
    BoardFeed feed(*store, board);
    QObject::connect(
        &feed, &BoardFeed::changed, &app, [&](const BoardDelta &d) { models.note(d); });
    std::vector<std::pair<qint64, qint64>> appended; // seq, time (ns)
    QObject::connect(&models.devices, &BoardDeviceModel::flushed, &app, [&](int, int, int) {
        const qint64 now = since.nsecsElapsed();
        auto it = appended.begin();
        for (; it != appended.end() && it->first <= board.lastSeq(); ++it)
            latencies.push_back(double(now - it->second) / 1e6);
        appended.erase(appended.begin(), it);
    });
    pending.clear();
    QTimer writer;
    writer.setInterval(10);
    int failedAppends = 0;
    QObject::connect(&writer, &QTimer::timeout, &app, [&] {
        for (int i = 0; i < perTick; ++i) {
            const QString id = deviceId(rng.bounded(devices));
            auto r = rng.bounded(3) == 0 ? store->audit().append(QStringLiteral("failure"), id,
                         {{QStringLiteral("reason"), QStringLiteral("timeout")}})
                                         : recordIdentified(store->audit(), id, {});
            if (!r) {
                ++failedAppends;
                continue;
            }
            appended.emplace_back(r->seq, since.nsecsElapsed());
        }
    });
    pending.clear();
    cpu0 = cpuSeconds();
    clock.restart();
    feed.start();
    writer.start();
    QTimer::singleShot(seconds * 1000, &app, [&] {
        writer.stop();
        QTimer::singleShot(600, &app, &QCoreApplication::quit);
    });
    app.exec();
    wall = double(clock.elapsed()) / 1000.0;
    std::printf("feed     %d events/s appended for %d s (poll %d ms): cpu %.1f%% of one core "
                "(writer included), %d appends failed\n",
        perTick * 100, seconds, feed.interval(), 100.0 * (cpuSeconds() - cpu0) / wall,
        failedAppends);
    report("feed", latencies);
    return 0;
}
