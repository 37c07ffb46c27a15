// store_writer: drives the store from a separate process for the tests.
//
//   store_writer append URL TAG [COUNT]   append events (every third an intent with its
//                                         outcome), print "ack SEQ NONCE" after each commit
//   store_writer sequence URL NAME COUNT  draw COUNT numbers, print "seq N" for each
//   store_writer claim URL BENCH DEV...   try to claim each device: "granted D" / "held D H"
//   store_writer seed URL                 a few devices and events (for the CLI test)
//   store_writer bench URL COUNT          appends per second, durable
//
// With STORE_WRITER_WAIT=1 it waits for one line on stdin before starting, so
// a test can release several processes at once. Exit 1 with the error on stderr.
#include "app/storage/store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>

#include <cstdio>
#include <iostream>
#include <string>

using namespace provbench;
using namespace provbench::store;

namespace {

int failWith(const Error &e)
{
    std::fprintf(stderr, "store_writer: %s\n", qPrintable(e.message));
    return 1;
}

void say(const QString &line)
{
    std::fputs(qPrintable(line + u'\n'), stdout);
    std::fflush(stdout); // acknowledged only once the parent can read it
}

int append(Store &store, const QString &tag, qint64 count)
{
    qint64 nonce = 0;
    for (qint64 i = 0; count < 0 || i < count; ++i) {
        const QString device = QStringLiteral("%1-dev%2").arg(tag).arg(i % 7);
        auto next = [&] { return QStringLiteral("%1-%2").arg(tag).arg(nonce++); };
        if (i % 3 == 2) {
            const QString n1 = next();
            auto intent = store.audit().appendIntent(
                QStringLiteral("write"), device, {{QStringLiteral("nonce"), n1}});
            if (!intent)
                return failWith(intent.error());
            say(QStringLiteral("ack %1 %2").arg(*intent).arg(n1));
            const QString n2 = next();
            auto outcome = store.audit().appendOutcome(
                *intent, true, QStringLiteral("written"), {{QStringLiteral("nonce"), n2}});
            if (!outcome)
                return failWith(outcome.error());
            say(QStringLiteral("ack %1 %2").arg(outcome->seq).arg(n2));
        } else {
            const QString n = next();
            auto r = store.audit().append(
                QStringLiteral("checkin"), device, {{QStringLiteral("nonce"), n}});
            if (!r)
                return failWith(r.error());
            say(QStringLiteral("ack %1 %2").arg(r->seq).arg(n));
        }
        if (i % 5 == 4) {
            InventoryDevice d;
            d.id = device;
            d.transport = QStringLiteral("serial");
            if (auto ok = store.inventory().upsert(d); !ok)
                return failWith(ok.error());
        }
    }
    return 0;
}

int seed(Store &store)
{
    InventoryDevice a;
    a.id = QStringLiteral("dev-a");
    a.serialNumber = QStringLiteral("SN-001");
    a.name = QStringLiteral("Sensor A");
    a.site = QStringLiteral("lab");
    a.transport = QStringLiteral("serial");
    a.transportId = QStringLiteral("/dev/ttyUSB0");
    a.profile = QStringLiteral("office");
    a.fingerprints = {QStringLiteral("fp1")};
    InventoryDevice b = a;
    b.id = QStringLiteral("dev-b");
    b.name = QStringLiteral("=HYPERLINK(\"http://x\")");
    b.transport = QStringLiteral("ble");
    b.transportId = QStringLiteral("AA:BB:CC:DD:EE:FF");
    for (const auto &d : {a, b}) {
        if (auto ok = store.inventory().upsert(d); !ok)
            return failWith(ok.error());
    }
    if (auto ok = store.inventory().setState(
            QStringLiteral("dev-b"), QStringLiteral("failed"), QStringLiteral("no answer"));
        !ok)
        return failWith(ok.error());
    auto intent = store.audit().appendIntent(QStringLiteral("write"), QStringLiteral("dev-a"),
        {{QStringLiteral("profile"), QStringLiteral("office")}});
    if (!intent)
        return failWith(intent.error());
    if (auto ok = store.audit().appendOutcome(*intent, true, QStringLiteral("written")); !ok)
        return failWith(ok.error());
    if (auto ok = store.audit().append(QStringLiteral("token.issued"), QStringLiteral("dev-b"),
            {{QStringLiteral("note"), QStringLiteral("=1+2")}});
        !ok)
        return failWith(ok.error());
    if (auto ok = store.audit().append(QStringLiteral("checkin"), QStringLiteral("dev-a")); !ok)
        return failWith(ok.error());
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments().mid(1);
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: store_writer append|sequence|claim|seed|bench URL ...\n");
        return 2;
    }
    const QString mode = args[0];
    // Released before opening, so racing processes also race to create and
    // migrate a new database.
    if (qEnvironmentVariable("STORE_WRITER_WAIT") == u"1") {
        say(QStringLiteral("ready"));
        std::string line;
        std::getline(std::cin, line);
    }
    auto store
        = Store::open(args[1], QString(), QStringLiteral("writer-%1").arg(app.applicationPid()));
    if (!store)
        return failWith(store.error());
    if (mode == u"append")
        return append(**store, args.value(2, QStringLiteral("w")),
            args.size() > 3 ? args[3].toLongLong() : -1);
    if (mode == u"seed")
        return seed(**store);
    if (mode == u"sequence") {
        const qint64 count = args.value(3).toLongLong();
        for (qint64 i = 0; i < count; ++i) {
            auto n = (*store)->inventory().nextSequence(args.value(2));
            if (!n)
                return failWith(n.error());
            say(QStringLiteral("seq %1").arg(*n));
        }
        return 0;
    }
    if (mode == u"claim") {
        for (const QString &device : args.mid(3)) {
            auto c = (*store)->inventory().claim(device, args[2]);
            if (!c)
                return failWith(c.error());
            say(c->granted ? QStringLiteral("granted %1").arg(device)
                           : QStringLiteral("held %1 %2").arg(device, c->holder));
        }
        return 0;
    }
    if (mode == u"bench") {
        const qint64 count = args.value(2, QStringLiteral("1000")).toLongLong();
        QElapsedTimer t;
        t.start();
        for (qint64 i = 0; i < count; ++i) {
            auto r = (*store)->audit().append(
                QStringLiteral("checkin"), QStringLiteral("bench"), {{QStringLiteral("n"), i}});
            if (!r)
                return failWith(r.error());
        }
        const double s = t.nsecsElapsed() / 1e9;
        say(QStringLiteral("appends %1 seconds %2 rate %3/s")
                .arg(count)
                .arg(s, 0, 'f', 3)
                .arg(count / s, 0, 'f', 0));
        QElapsedTimer v;
        v.start();
        auto verified = (*store)->audit().verify();
        if (!verified)
            return failWith(verified.error());
        say(QStringLiteral("verify %1 records ok=%2 in %3 ms")
                .arg(verified->records)
                .arg(verified->ok())
                .arg(v.elapsed()));
        return 0;
    }
    std::fprintf(stderr, "store_writer: unknown mode\n");
    return 2;
}
