#include "app/storage/store/store.h"
#include "storetestbackend.h"

#include <QSet>
#include <QTest>

using namespace provbench;
using namespace provbench::store;

class tst_Inventory : public QObject
{
    Q_OBJECT

    StoreTestBackend m_backend;

    static InventoryDevice device(const QString &id)
    {
        InventoryDevice d;
        d.id = id;
        d.serialNumber = QStringLiteral("SN-") + id;
        d.name = QStringLiteral("Sensor ") + id;
        d.site = QStringLiteral("lab");
        d.transport = QStringLiteral("serial");
        d.transportId = QStringLiteral("/dev/ttyUSB0");
        d.profile = QStringLiteral("office");
        d.fingerprints = {QStringLiteral("fp-a"), QStringLiteral("fp-b")};
        return d;
    }

    std::unique_ptr<Store> open(const QString &url)
    {
        auto s = Store::open(url, QString(), QStringLiteral("test"));
        if (!s)
            qWarning("%s", qPrintable(s.error().message));
        return s ? std::move(*s) : nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = m_backend.setUp(); !why.isEmpty())
            QSKIP(qPrintable(why));
    }

    void upsert_insertsThenGetReturnsEveryField()
    {
        auto s = open(m_backend.freshUrl());
        QVERIFY(s);
        auto stored = s->inventory().upsert(device(QStringLiteral("d1")));
        QVERIFY2(stored, qPrintable(stored ? QString() : stored.error().message));
        auto got = s->inventory().get(QStringLiteral("d1"));
        QVERIFY(got);
        QCOMPARE(got->serialNumber, QStringLiteral("SN-d1"));
        QCOMPARE(got->transportId, QStringLiteral("/dev/ttyUSB0"));
        QCOMPARE(got->fingerprints, (QStringList{QStringLiteral("fp-a"), QStringLiteral("fp-b")}));
        QCOMPARE(got->state, QStringLiteral("discovered"));
        QVERIFY(got->claimedBy.isEmpty());
        QVERIFY(got->createdAt.endsWith(u'Z'));
        QCOMPARE(got->createdAt, got->updatedAt);
    }

    void upsert_emptyFieldsKeepWhatIsStored_stateAndClaimUntouched()
    {
        auto s = open(m_backend.freshUrl());
        QVERIFY(s->inventory().upsert(device(QStringLiteral("d1"))));
        QVERIFY(s->inventory().setState(QStringLiteral("d1"), QStringLiteral("provisioned")));
        QVERIFY(s->inventory().claim(QStringLiteral("d1"), QStringLiteral("bench-1"))->granted);
        QTest::qWait(5); // a later updated_at
        InventoryDevice partial;
        partial.id = QStringLiteral("d1");
        partial.transport = QStringLiteral("ble");
        partial.transportId = QStringLiteral("AA:BB:CC:DD:EE:FF");
        partial.state = QStringLiteral("discovered");
        auto updated = s->inventory().upsert(partial);
        QVERIFY(updated);
        QCOMPARE(updated->serialNumber, QStringLiteral("SN-d1"));
        QCOMPARE(updated->transport, QStringLiteral("ble"));
        QCOMPARE(updated->transportId, QStringLiteral("AA:BB:CC:DD:EE:FF"));
        QCOMPARE(updated->fingerprints.size(), 2);
        QCOMPARE(updated->state, QStringLiteral("provisioned"));
        QCOMPARE(updated->claimedBy, QStringLiteral("bench-1"));
        QVERIFY(updated->updatedAt > updated->createdAt);
    }

    void list_filters()
    {
        auto s = open(m_backend.freshUrl());
        for (const char *id : {"c", "a", "b"})
            QVERIFY(s->inventory().upsert(device(QLatin1StringView(id))));
        QVERIFY(s->inventory().setState(
            QStringLiteral("b"), QStringLiteral("failed"), QStringLiteral("no answer")));
        QVERIFY(s->inventory().claim(QStringLiteral("c"), QStringLiteral("bench-2")));
        auto all = s->inventory().list();
        QCOMPARE(all->size(), 3);
        QCOMPARE(all->at(0).id, QStringLiteral("a")); // ordered by id
        auto failed = s->inventory().list([] {
            DeviceQuery o;
            o.state = QStringLiteral("failed");
            return o;
        }());
        QCOMPARE(failed->size(), 1);
        QCOMPARE(failed->at(0).failureReason, QStringLiteral("no answer"));
        QCOMPARE(s->inventory()
                     .list([] {
                         DeviceQuery o;
                         o.claimedBy = QStringLiteral("bench-2");
                         return o;
                     }())
                     ->size(),
            1);
        QCOMPARE(s->inventory()
                     .list([] {
                         DeviceQuery o;
                         o.claimedBy = QStringLiteral("-");
                         return o;
                     }())
                     ->size(),
            2);
        QCOMPARE(s->inventory()
                     .list([] {
                         DeviceQuery o;
                         o.site = QStringLiteral("elsewhere");
                         return o;
                     }())
                     ->size(),
            0);
    }

    void unknownDevice_isNotFound()
    {
        auto s = open(m_backend.freshUrl());
        QCOMPARE(s->inventory().get(QStringLiteral("nope")).error().code, Error::Code::NotFound);
        QCOMPARE(
            s->inventory().setState(QStringLiteral("nope"), QStringLiteral("failed")).error().code,
            Error::Code::NotFound);
        QCOMPARE(s->inventory().claim(QStringLiteral("nope"), QStringLiteral("b")).error().code,
            Error::Code::NotFound);
    }

    void aliases_caseInsensitive_ambiguousNamesNoDevice()
    {
        auto s = open(m_backend.freshUrl());
        Inventory &inv = s->inventory();
        QCOMPARE(*inv.deviceForAlias(QStringLiteral("lab-kitchen")), QString());
        QVERIFY(*inv.addAlias(QStringLiteral(" Lab-Kitchen "), QStringLiteral("SN-1")));
        QCOMPARE(*inv.deviceForAlias(QStringLiteral("lab-kitchen")), QStringLiteral("SN-1"));
        QVERIFY(
            *inv.addAlias(QStringLiteral("LAB-KITCHEN"), QStringLiteral("SN-1"))); // again: kept
        // A second device with the same name: the name identifies neither any more.
        QVERIFY(!*inv.addAlias(QStringLiteral("lab-kitchen"), QStringLiteral("SN-2")));
        QCOMPARE(*inv.deviceForAlias(QStringLiteral("lab-kitchen")), QString());
        QVERIFY(!*inv.addAlias(QStringLiteral("lab-kitchen"), QStringLiteral("SN-3")));
        QCOMPARE(*inv.deviceForAlias(QStringLiteral("lab-kitchen")), QString());
        QVERIFY(!inv.addAlias(QStringLiteral("   "), QStringLiteral("SN-1")));
    }

    void addFingerprint_newestFirst_noDuplicates()
    {
        auto s = open(m_backend.freshUrl());
        Inventory &inv = s->inventory();
        QVERIFY(inv.upsert(device(QStringLiteral("d1"))));
        const QStringList before = inv.get(QStringLiteral("d1"))->fingerprints;
        QVERIFY(inv.addFingerprint(QStringLiteral("d1"), QStringLiteral("aa:01")));
        QVERIFY(inv.addFingerprint(QStringLiteral("d1"), QStringLiteral("bb:02")));
        QVERIFY(inv.addFingerprint(QStringLiteral("d1"), QStringLiteral("bb:02")));
        QStringList want{QStringLiteral("bb:02"), QStringLiteral("aa:01")};
        for (const QString &fp : before)
            if (!want.contains(fp))
                want << fp;
        QCOMPARE(inv.get(QStringLiteral("d1"))->fingerprints, want);
        QVERIFY(inv.addFingerprint(QStringLiteral("d1"), QStringLiteral("aa:01")));
        QCOMPARE(inv.get(QStringLiteral("d1"))->fingerprints.first(), QStringLiteral("aa:01"));
        QCOMPARE(inv.addFingerprint(QStringLiteral("nope"), QStringLiteral("cc")).error().code,
            Error::Code::NotFound);
        QVERIFY(!inv.addFingerprint(QStringLiteral("d1"), QString()));
    }

    void badInput_isRefused_data()
    {
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("state");
        QTest::newRow("blank id") << QStringLiteral("  ") << QStringLiteral("discovered");
        QTest::newRow("huge id") << QString(300, u'x') << QStringLiteral("discovered");
        QTest::newRow("state with space") << QStringLiteral("d") << QStringLiteral("in use");
        QTest::newRow("state upper case") << QStringLiteral("d") << QStringLiteral("Failed");
        QTest::newRow("state empty") << QStringLiteral("d") << QString();
    }

    void badInput_isRefused()
    {
        QFETCH(QString, id);
        QFETCH(QString, state);
        auto s = open(m_backend.freshUrl());
        InventoryDevice d = device(id);
        d.state = state;
        auto r = s->inventory().upsert(d);
        QVERIFY(!r);
        QCOMPARE(r.error().code, Error::Code::InvalidArgument);
    }

    void claim_twoConnections_exactlyOneWins()
    {
        const QString url = m_backend.freshUrl();
        auto a = open(url);
        auto b = open(url);
        QVERIFY(a && b);
        for (int i = 0; i < 20; ++i)
            QVERIFY(a->inventory().upsert(device(QStringLiteral("d%1").arg(i))));
        int grantedA = 0;
        int grantedB = 0;
        for (int i = 0; i < 20; ++i) {
            const QString id = QStringLiteral("d%1").arg(i);
            // Alternate who asks first; the other must be refused and told who holds it.
            Inventory &first = i % 2 ? a->inventory() : b->inventory();
            Inventory &second = i % 2 ? b->inventory() : a->inventory();
            const QString firstBench = i % 2 ? QStringLiteral("A") : QStringLiteral("B");
            const QString secondBench = i % 2 ? QStringLiteral("B") : QStringLiteral("A");
            auto c1 = first.claim(id, firstBench);
            auto c2 = second.claim(id, secondBench);
            QVERIFY(c1 && c2);
            QVERIFY(c1->granted);
            QVERIFY(!c2->granted);
            QCOMPARE(c2->holder, firstBench);
            (firstBench == u"A" ? grantedA : grantedB)++;
            // Claiming again by the holder is fine; release by the other is refused.
            QVERIFY(first.claim(id, firstBench)->granted);
            QCOMPARE(second.release(id, secondBench).error().code, Error::Code::InvalidArgument);
        }
        QCOMPARE(grantedA + grantedB, 20);
        QVERIFY(a->inventory().release(QStringLiteral("d1"), QStringLiteral("A")));
        QVERIFY(b->inventory().claim(QStringLiteral("d1"), QStringLiteral("B"))->granted);
    }

    void nextSequence_isUniqueAndIncreasingAcrossConnections()
    {
        const QString url = m_backend.freshUrl();
        auto a = open(url);
        auto b = open(url);
        QSet<qint64> seen;
        qint64 last = 0;
        for (int i = 0; i < 50; ++i) {
            auto n = (i % 3 ? a : b)->inventory().nextSequence(QStringLiteral("cert-serial"));
            QVERIFY(n);
            QVERIFY(*n > last);
            last = *n;
            seen.insert(*n);
        }
        QCOMPARE(seen.size(), 50);
        QCOMPARE(last, 50);
        QCOMPARE(*a->inventory().nextSequence(QStringLiteral("label")), 1); // per name
    }

    // On SQLite an open write transaction elsewhere makes the claim wait for
    // the busy timeout and then fail cleanly instead of corrupting anything.
    void sqlite_lockHeldTooLong_isAClearError()
    {
        if (m_backend.isPostgres())
            QSKIP("SQLite only.");
        const QString url = m_backend.freshUrl();
        auto a = open(url);
        QVERIFY(a->inventory().upsert(device(QStringLiteral("d"))));
        auto b = Store::open(url, QString(), QString(), [] {
            OpenOptions o;
            o.busyTimeoutMs = 200;
            return o;
        }());
        QVERIFY(b);
        auto tx = Transaction::begin(a->database());
        QVERIFY(tx);
        auto c = (*b)->inventory().claim(QStringLiteral("d"), QStringLiteral("B"));
        QVERIFY(!c);
        QVERIFY2(c.error().message.contains(u"try again"), qPrintable(c.error().message));
        tx->rollback();
        QVERIFY((*b)->inventory().claim(QStringLiteral("d"), QStringLiteral("B"))->granted);
    }
};

QTEST_GUILESS_MAIN(tst_Inventory)
#include "tst_inventory.moc"
