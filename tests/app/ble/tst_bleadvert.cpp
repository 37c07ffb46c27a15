#include "app/transport/ble/adapterstatus.h"
#include "app/transport/ble/bleadvert.h"
#include "app/transport/ble/bledevicetable.h"

#include <QTest>

using namespace provbench;
using namespace provbench::ble;

namespace {

const QString kAddress = QStringLiteral("C4:DE:E2:10:4A:01");

QBluetoothUuid improvDataKey()
{
    return QBluetoothUuid(quint16(improv::ble::kServiceDataUuid));
}

QBluetoothUuid heartRateService()
{
    return QBluetoothUuid(quint16(0x180d));
}

Advert makeAdvert(const QString &address, const char *name, qint16 rssi,
    const QList<QBluetoothUuid> &uuids = {}, const QHash<QBluetoothUuid, QByteArray> &data = {},
    const QHash<quint16, QByteArray> &manufacturer = {})
{
    Advert a;
    a.address = address;
    a.name = QString::fromUtf8(name);
    a.rssi = rssi;
    a.serviceUuids = uuids;
    a.serviceData = data;
    a.manufacturerData = manufacturer;
    return a;
}

QHash<QBluetoothUuid, QByteArray> improvData(const char *hex)
{
    return {{improvDataKey(), QByteArray::fromHex(hex)}};
}

QStringList words(std::initializer_list<const char *> list)
{
    QStringList out;
    for (const char *s : list)
        out << QString::fromUtf8(s);
    return out;
}

QDateTime t0()
{
    return QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
}

// Compares every field, naming the one that differs.
#define COMPARE_ADVERT(actual, expected)                                                           \
    do {                                                                                           \
        const Advert &a_ = (actual);                                                               \
        const Advert &e_ = (expected);                                                             \
        QCOMPARE(a_.address, e_.address);                                                          \
        QCOMPARE(a_.name, e_.name);                                                                \
        QCOMPARE(a_.rssi, e_.rssi);                                                                \
        QCOMPARE(a_.serviceUuids, e_.serviceUuids);                                                \
        QCOMPARE(a_.serviceData, e_.serviceData);                                                  \
        QCOMPARE(a_.manufacturerData, e_.manufacturerData);                                        \
    } while (false)

} // namespace

class tst_BleAdvert : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void uuids_matchTheFirmwareDefaults()
    {
        QCOMPARE(smpServiceUuid(),
            QBluetoothUuid(QStringLiteral("8d53dc1d-1db7-4cd3-868b-8a527460aa84")));
        QCOMPARE(smpCharacteristicUuid(),
            QBluetoothUuid(QStringLiteral("da2e7828-fbce-4e01-ae9e-261174997c48")));
        QCOMPARE(espProvServiceUuid(),
            QBluetoothUuid(QStringLiteral("021a9004-0382-4aea-bff4-6b3f1c5adfb4")));
        QCOMPARE(improvDataKey(),
            QBluetoothUuid(QStringLiteral("00004677-0000-1000-8000-00805f9b34fb")));
    }

    // --- describe() and protocolSummary() -----------------------------------

    void describe_detectsProtocols_data()
    {
        QTest::addColumn<Advert>("advert");
        QTest::addColumn<int>("protocols");
        QTest::addColumn<bool>("hasImprovData");
        QTest::addColumn<int>("improvState"); // when hasImprovData
        QTest::addColumn<int>("improvCaps");  // when hasImprovData
        QTest::addColumn<bool>("provisionable");
        QTest::addColumn<QString>("summary");

        const QString improv = QStringLiteral("Improv Wi-Fi (BLE)");
        const QString smp = QStringLiteral("MCUmgr SMP (BLE)");
        const QString esp = QStringLiteral("ESP provisioning (not supported)");

        QTest::newRow("improv by service uuid")
            << makeAdvert(kAddress, "plug", -60, {improv::ble::serviceUuid()}) << int(ProtoImprov)
            << false << 0 << 0 << true << improv;
        QTest::newRow("improv by service data only, authorized")
            << makeAdvert(kAddress, "plug", -60, {}, improvData("020700000000")) << int(ProtoImprov)
            << true << int(improv::State::Ready) << 7 << true
            << improv + QStringLiteral(" — authorized");
        QTest::newRow("improv by uuid and data, button needed")
            << makeAdvert(
                   kAddress, "plug", -60, {improv::ble::serviceUuid()}, improvData("010100000000"))
            << int(ProtoImprov) << true << int(improv::State::AuthorizationRequired) << 1 << true
            << improv + QStringLiteral(" — press button to authorize");
        QTest::newRow("improv data of two bytes is enough")
            << makeAdvert(kAddress, "", 0, {}, improvData("0400")) << int(ProtoImprov) << true
            << int(improv::State::Provisioned) << 0 << true
            << improv + QStringLiteral(" — provisioned");
        QTest::newRow("improv data provisioning")
            << makeAdvert(kAddress, "", 0, {}, improvData("0306")) << int(ProtoImprov) << true
            << int(improv::State::Provisioning) << 6 << true
            << improv + QStringLiteral(" — provisioning");
        QTest::newRow("malformed data (1 byte) alone is ignored")
            << makeAdvert(kAddress, "x", -70, {}, improvData("02")) << int(ProtoNone) << false << 0
            << 0 << false << QString();
        QTest::newRow("malformed data (empty) alone is ignored")
            << makeAdvert(kAddress, "x", -70, {}, {{improvDataKey(), QByteArray()}})
            << int(ProtoNone) << false << 0 << 0 << false << QString();
        QTest::newRow("malformed data (state 0x09) alone is ignored")
            << makeAdvert(kAddress, "x", -70, {}, improvData("0901")) << int(ProtoNone) << false
            << 0 << 0 << false << QString();
        QTest::newRow("malformed data (state 0x00) alone is ignored")
            << makeAdvert(kAddress, "x", -70, {}, improvData("0001")) << int(ProtoNone) << false
            << 0 << 0 << false << QString();
        QTest::newRow("malformed data with the uuid still counts as improv")
            << makeAdvert(kAddress, "x", -70, {improv::ble::serviceUuid()}, improvData("09"))
            << int(ProtoImprov) << false << 0 << 0 << true << improv;
        QTest::newRow("improv-looking data under another uuid is not improv")
            << makeAdvert(kAddress, "x", -70, {},
                   {{QBluetoothUuid(quint16(0x4678)), QByteArray::fromHex("020700000000")}})
            << int(ProtoNone) << false << 0 << 0 << false << QString();
        QTest::newRow("smp") << makeAdvert(kAddress, "zephyr", -66, {smpServiceUuid()})
                             << int(ProtoSmp) << false << 0 << 0 << true << smp;
        QTest::newRow("esp prov is recognised but not provisionable")
            << makeAdvert(kAddress, "PROV_1A2B", -66, {espProvServiceUuid()}) << int(ProtoEspProv)
            << false << 0 << 0 << false << esp;
        QTest::newRow("improv and smp with other services")
            << makeAdvert(kAddress, "combo", -50,
                   {heartRateService(), smpServiceUuid(), improv::ble::serviceUuid()},
                   improvData("020700000000"))
            << int(ProtoImprov | ProtoSmp) << true << int(improv::State::Ready) << 7 << true
            << improv + QStringLiteral(" — authorized, ") + smp;
        QTest::newRow("all three")
            << makeAdvert(kAddress, "", 0,
                   {espProvServiceUuid(), smpServiceUuid(), improv::ble::serviceUuid()})
            << int(ProtoImprov | ProtoSmp | ProtoEspProv) << false << 0 << 0 << true
            << improv + QStringLiteral(", ") + smp + QStringLiteral(", ") + esp;
        QTest::newRow("heart rate only") << makeAdvert(kAddress, "hr", -40, {heartRateService()})
                                         << int(ProtoNone) << false << 0 << 0 << false << QString();
        QTest::newRow("nothing at all") << makeAdvert(kAddress, "", 0) << int(ProtoNone) << false
                                        << 0 << 0 << false << QString();
        QTest::newRow("manufacturer data only")
            << makeAdvert(kAddress, "", -80, {}, {}, {{0x02e5, QByteArray::fromHex("0201")}})
            << int(ProtoNone) << false << 0 << 0 << false << QString();
    }
    void describe_detectsProtocols()
    {
        QFETCH(Advert, advert);
        QFETCH(int, protocols);
        QFETCH(bool, hasImprovData);
        QFETCH(int, improvState);
        QFETCH(int, improvCaps);
        QFETCH(bool, provisionable);
        QFETCH(QString, summary);

        const BleDevice device = describe(advert);
        QCOMPARE(int(device.protocols), protocols);
        QCOMPARE(device.improv.has_value(), hasImprovData);
        if (hasImprovData) {
            QCOMPARE(int(device.improv->state), improvState);
            QCOMPARE(int(device.improv->capabilities), improvCaps);
        }
        QCOMPARE(device.isProvisionable(), provisionable);
        QCOMPARE(protocolSummary(device), summary);
        // describe() keeps the advertisement as it was and sets no times.
        COMPARE_ADVERT(device.advert, advert);
        QVERIFY(!device.firstSeen.isValid());
        QVERIFY(!device.lastSeen.isValid());
    }

    // --- merge() ---------------------------------------------------------------

    void merge_missingFieldsKeepOldValues_data()
    {
        QTest::addColumn<Advert>("update");
        QTest::addColumn<Advert>("expected");

        const QBluetoothUuid improvSvc = improv::ble::serviceUuid();
        const auto known = makeAdvert(kAddress, "smart-plug", -58, {improvSvc},
            improvData("010700000000"), {{0x02e5, QByteArray("v1")}});

        QTest::newRow("address only changes nothing") << makeAdvert(kAddress, "", 0) << known;
        QTest::newRow("rssi only") << makeAdvert(kAddress, "", -71)
                                   << makeAdvert(kAddress, "smart-plug", -71, {improvSvc},
                                          improvData("010700000000"), {{0x02e5, QByteArray("v1")}});
        QTest::newRow("unknown rssi 0 keeps the old rssi")
            << makeAdvert(kAddress, "renamed", 0)
            << makeAdvert(kAddress, "renamed", -58, {improvSvc}, improvData("010700000000"),
                   {{0x02e5, QByteArray("v1")}});
        QTest::newRow("new service uuid is added after the old ones, no duplicates")
            << makeAdvert(kAddress, "", 0, {smpServiceUuid(), improvSvc})
            << makeAdvert(kAddress, "smart-plug", -58, {improvSvc, smpServiceUuid()},
                   improvData("010700000000"), {{0x02e5, QByteArray("v1")}});
        QTest::newRow("service data replaced per key, others kept")
            << makeAdvert(kAddress, "", 0, {},
                   {{improvDataKey(), QByteArray::fromHex("020700000000")},
                       {heartRateService(), QByteArray("hr")}})
            << makeAdvert(kAddress, "smart-plug", -58, {improvSvc},
                   {{improvDataKey(), QByteArray::fromHex("020700000000")},
                       {heartRateService(), QByteArray("hr")}},
                   {{0x02e5, QByteArray("v1")}});
        QTest::newRow("manufacturer data replaced per key, others kept")
            << makeAdvert(kAddress, "", 0, {}, {},
                   {{0x02e5, QByteArray("v2")}, {0x0059, QByteArray("nordic")}})
            << makeAdvert(kAddress, "smart-plug", -58, {improvSvc}, improvData("010700000000"),
                   {{0x02e5, QByteArray("v2")}, {0x0059, QByteArray("nordic")}});
        QTest::newRow("everything new")
            << makeAdvert(kAddress, "porch-light", -90, {improvSvc}, improvData("040700000000"),
                   {{0x02e5, QByteArray("v3")}})
            << makeAdvert(kAddress, "porch-light", -90, {improvSvc}, improvData("040700000000"),
                   {{0x02e5, QByteArray("v3")}});
    }
    void merge_missingFieldsKeepOldValues()
    {
        QFETCH(Advert, update);
        QFETCH(Advert, expected);
        const auto known = makeAdvert(kAddress, "smart-plug", -58, {improv::ble::serviceUuid()},
            improvData("010700000000"), {{0x02e5, QByteArray("v1")}});
        COMPARE_ADVERT(merge(known, update), expected);
    }

    void merge_intoEmpty_isTheUpdate()
    {
        const auto update = makeAdvert(kAddress, "zephyr", -66, {smpServiceUuid()});
        COMPARE_ADVERT(merge(Advert{}, update), update);
    }

    // --- signalBars() ---------------------------------------------------------

    void signalBars_boundaries_data()
    {
        QTest::addColumn<int>("rssi");
        QTest::addColumn<int>("bars");
        QTest::newRow("-30") << -30 << 4;
        QTest::newRow("-60") << -60 << 4;
        QTest::newRow("-61") << -61 << 3;
        QTest::newRow("-70") << -70 << 3;
        QTest::newRow("-71") << -71 << 2;
        QTest::newRow("-80") << -80 << 2;
        QTest::newRow("-81") << -81 << 1;
        QTest::newRow("-90") << -90 << 1;
        QTest::newRow("-91") << -91 << 0;
        QTest::newRow("-127") << -127 << 0;
        QTest::newRow("unknown (0)") << 0 << 0;
    }
    void signalBars_boundaries()
    {
        QFETCH(int, rssi);
        QFETCH(int, bars);
        QCOMPARE(signalBars(qint16(rssi)), bars);
    }

    // --- Filter ---------------------------------------------------------------

    void filter_matches_data()
    {
        QTest::addColumn<Advert>("advert");
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("minRssi");
        QTest::addColumn<bool>("provisionableOnly");
        QTest::addColumn<bool>("matches");

        const auto plug = makeAdvert(kAddress, "Smart-Plug", -65, {improv::ble::serviceUuid()});
        const auto unknownRssi = makeAdvert(kAddress, "Smart-Plug", 0, {smpServiceUuid()});
        const auto nameless = makeAdvert(QStringLiteral("F1:0B:5E:7A:22:03"), "", -66);
        const auto esp = makeAdvert(kAddress, "PROV_1A2B", -50, {espProvServiceUuid()});
        const auto smp = makeAdvert(kAddress, "zephyr", -50, {smpServiceUuid()});
        const auto byData = makeAdvert(kAddress, "", -50, {}, improvData("0201"));

        QTest::newRow("empty filter keeps everything") << plug << "" << 0 << false << true;
        QTest::newRow("empty filter keeps unknown rssi") << unknownRssi << "" << 0 << false << true;
        QTest::newRow("text on name, other case") << plug << "PLUG" << 0 << false << true;
        QTest::newRow("text on name, lower case") << plug << "smart-p" << 0 << false << true;
        QTest::newRow("text on address, lower case") << plug << "c4:de:e2" << 0 << false << true;
        QTest::newRow("text on address, middle") << plug << "10:4A" << 0 << false << true;
        QTest::newRow("text surrounded by spaces") << plug << "  plug \t" << 0 << false << true;
        QTest::newRow("only spaces is no text") << plug << "   " << 0 << false << true;
        QTest::newRow("text matches nothing") << plug << "light" << 0 << false << false;
        QTest::newRow("text on address of a nameless device")
            << nameless << "5e:7a" << 0 << false << true;
        QTest::newRow("text on name of a nameless device")
            << nameless << "zephyr" << 0 << false << false;
        QTest::newRow("minRssi equal is kept") << plug << "" << -65 << false << true;
        QTest::newRow("minRssi 1 dB stronger drops") << plug << "" << -64 << false << false;
        QTest::newRow("minRssi weaker keeps") << plug << "" << -90 << false << true;
        QTest::newRow("minRssi drops unknown rssi") << unknownRssi << "" << -100 << false << false;
        QTest::newRow("provisionable improv") << plug << "" << 0 << true << true;
        QTest::newRow("provisionable improv by data only") << byData << "" << 0 << true << true;
        QTest::newRow("provisionable smp") << smp << "" << 0 << true << true;
        QTest::newRow("esp prov is not provisionable") << esp << "" << 0 << true << false;
        QTest::newRow("plain device is not provisionable") << nameless << "" << 0 << true << false;
        QTest::newRow("all three pass") << plug << "plug" << -70 << true << true;
        QTest::newRow("all three, text fails") << plug << "zephyr" << -70 << true << false;
        QTest::newRow("all three, rssi fails") << plug << "plug" << -60 << true << false;
        QTest::newRow("all three, provisionable fails") << esp << "prov" << -70 << true << false;
    }
    void filter_matches()
    {
        QFETCH(Advert, advert);
        QFETCH(QString, text);
        QFETCH(int, minRssi);
        QFETCH(bool, provisionableOnly);
        QFETCH(bool, matches);
        const Filter filter{text, qint16(minRssi), provisionableOnly};
        QCOMPARE(filter.matches(describe(advert)), matches);
    }

    // --- DeviceTable -------------------------------------------------------------

    void table_firstAdvert_added_thenUpdated_keepsFirstSeen()
    {
        DeviceTable table;
        const QDateTime first = t0();
        QCOMPARE(table.update(makeAdvert(kAddress, "smart-plug", -58), first),
            DeviceTable::Change::Added);
        QCOMPARE(table.size(), 1);
        const BleDevice *d = table.find(kAddress);
        QVERIFY(d);
        QCOMPARE(d->firstSeen, first);
        QCOMPARE(d->lastSeen, first);

        const QDateTime later = first.addSecs(7);
        QCOMPARE(table.update(makeAdvert(kAddress, "", -63), later), DeviceTable::Change::Updated);
        QCOMPARE(table.size(), 1);
        d = table.find(kAddress);
        QVERIFY(d);
        QCOMPARE(d->firstSeen, first);
        QCOMPARE(d->lastSeen, later);
        QCOMPARE(d->advert.name, QStringLiteral("smart-plug")); // kept from the first advert
        QCOMPARE(d->advert.rssi, qint16(-63));

        // The same advertisement again still counts as an update: lastSeen moves.
        const QDateTime again = later.addMSecs(1500);
        QCOMPARE(table.update(makeAdvert(kAddress, "", -63), again), DeviceTable::Change::Updated);
        QCOMPARE(table.find(kAddress)->lastSeen, again);
        QCOMPARE(table.find(kAddress)->firstSeen, first);
    }

    void table_protocolsFollowMergedAdvert()
    {
        DeviceTable table;
        table.update(makeAdvert(kAddress, "smart-plug", -58), t0());
        QCOMPARE(int(table.find(kAddress)->protocols), int(ProtoNone));

        // Service data arrives in a later update (BlueZ sends only what changed).
        table.update(makeAdvert(kAddress, "", 0, {}, improvData("010300000000")), t0().addSecs(1));
        const BleDevice *d = table.find(kAddress);
        QCOMPARE(int(d->protocols), int(ProtoImprov));
        QVERIFY(d->improv);
        QCOMPARE(d->improv->state, improv::State::AuthorizationRequired);
        QCOMPARE(d->advert.name, QStringLiteral("smart-plug"));

        // The button was pressed: the state in the service data changes.
        table.update(
            makeAdvert(kAddress, "", -60, {}, improvData("020300000000")), t0().addSecs(2));
        d = table.find(kAddress);
        QVERIFY(d->improv);
        QCOMPARE(d->improv->state, improv::State::Ready);

        // An SMP service listed later adds to what is known.
        table.update(makeAdvert(kAddress, "", 0, {smpServiceUuid()}), t0().addSecs(3));
        QCOMPARE(int(table.find(kAddress)->protocols), int(ProtoImprov | ProtoSmp));
    }

    void table_emptyAddress_isIgnored()
    {
        DeviceTable table;
        QCOMPARE(table.update(makeAdvert(QString(), "ghost", -40), t0()),
            DeviceTable::Change::Unchanged);
        QCOMPARE(table.size(), 0);
        QVERIFY(!table.find(QString()));
    }

    void table_addressesAreSeparateDevices()
    {
        DeviceTable table;
        table.update(makeAdvert(QStringLiteral("AA:00:00:00:00:01"), "a", -40), t0());
        table.update(makeAdvert(QStringLiteral("AA:00:00:00:00:02"), "b", -50), t0());
        QCOMPARE(table.size(), 2);
        QCOMPARE(table.devices().size(), 2);
        QCOMPARE(table.find(QStringLiteral("AA:00:00:00:00:02"))->advert.name, QStringLiteral("b"));
        QVERIFY(!table.find(QStringLiteral("AA:00:00:00:00:03")));
        table.clear();
        QCOMPARE(table.size(), 0);
    }

    void table_expire_atTheBoundary_data()
    {
        QTest::addColumn<qint64>("ageMs");
        QTest::addColumn<bool>("removed");
        QTest::newRow("just seen") << qint64(0) << false;
        QTest::newRow("29.999 s") << qint64(29999) << false;
        QTest::newRow("exactly maxAge is kept") << qint64(30000) << false;
        QTest::newRow("1 ms past maxAge") << qint64(30001) << true;
        QTest::newRow("31 s") << qint64(31000) << true;
        QTest::newRow("a day") << qint64(86400000) << true;
    }
    void table_expire_atTheBoundary()
    {
        QFETCH(qint64, ageMs);
        QFETCH(bool, removed);
        DeviceTable table;
        table.update(makeAdvert(kAddress, "plug", -60), t0());
        const QStringList gone = table.expire(t0().addMSecs(ageMs), std::chrono::seconds(30));
        QCOMPARE(gone, removed ? QStringList{kAddress} : QStringList{});
        QCOMPARE(table.size(), removed ? 0 : 1);
        QCOMPARE(table.find(kAddress) == nullptr, removed);
    }

    void table_expire_removesOnlyStaleDevices_andUpdatesRejuvenate()
    {
        DeviceTable table;
        const QString a = QStringLiteral("AA:00:00:00:00:01");
        const QString b = QStringLiteral("AA:00:00:00:00:02");
        const QString c = QStringLiteral("AA:00:00:00:00:03");
        table.update(makeAdvert(a, "a", -40), t0());
        table.update(makeAdvert(b, "b", -40), t0());
        table.update(makeAdvert(c, "c", -40), t0().addSecs(20));
        table.update(makeAdvert(a, "", -45), t0().addSecs(25)); // a heard again

        QStringList gone = table.expire(t0().addSecs(40), std::chrono::seconds(30));
        QCOMPARE(gone, QStringList{b});
        QCOMPARE(table.size(), 2);
        QVERIFY(table.find(a));
        QVERIFY(table.find(c));

        gone = table.expire(t0().addSecs(55), std::chrono::seconds(30));
        std::sort(gone.begin(), gone.end());
        QCOMPARE(gone, QStringList{c});
        gone = table.expire(t0().addSecs(56), std::chrono::seconds(30));
        QCOMPARE(gone, QStringList{a});
        QCOMPARE(table.size(), 0);
        QVERIFY(table.expire(t0().addSecs(100), std::chrono::seconds(30)).isEmpty());
    }

    void table_reAddedAfterExpiry_isAddedWithNewFirstSeen()
    {
        DeviceTable table;
        table.update(makeAdvert(kAddress, "plug", -60), t0());
        QCOMPARE(table.expire(t0().addSecs(31), std::chrono::seconds(30)).size(), 1);
        QCOMPARE(table.update(makeAdvert(kAddress, "", -60), t0().addSecs(32)),
            DeviceTable::Change::Added);
        QCOMPARE(table.find(kAddress)->firstSeen, t0().addSecs(32));
        QCOMPARE(table.find(kAddress)->advert.name, QString()); // nothing survives expiry
    }

    // --- AdapterStatus ---------------------------------------------------------------

    void adapterStatus_messageSaysWhatToDo_data()
    {
        QTest::addColumn<int>("problem");
        QTest::addColumn<QString>("adapterName");
        QTest::addColumn<QString>("detail");
        QTest::addColumn<QStringList>("mustContain");

        QTest::newRow("none") << int(AdapterProblem::None) << "hci0"
                              << "" << words({"hci0", "ready"});
        QTest::newRow("bluez not running")
            << int(AdapterProblem::BluezNotRunning) << ""
            << "" << words({"bluetoothd", "systemctl start bluetooth", "serial"});
        QTest::newRow("no adapter") << int(AdapterProblem::NoAdapter) << ""
                                    << "" << words({"rfkill", "adapter"});
        QTest::newRow("adapter off, named") << int(AdapterProblem::AdapterOff) << "hci1"
                                            << "" << words({"hci1", "bluetoothctl power on"});
        QTest::newRow("adapter off, unnamed")
            << int(AdapterProblem::AdapterOff) << ""
            << "" << words({"The Bluetooth adapter", "bluetoothctl power on"});
        QTest::newRow("no permission") << int(AdapterProblem::NoPermission) << "hci0"
                                       << "" << words({"bluetooth", "usermod", "D-Bus"});
        QTest::newRow("failed with detail")
            << int(AdapterProblem::Failed) << "hci0"
            << "org.bluez.Error.InProgress"
            << words({"org.bluez.Error.InProgress", "journalctl", "start the scan again"});
        QTest::newRow("failed without detail") << int(AdapterProblem::Failed) << ""
                                               << "" << words({"no reason", "journalctl"});
    }
    void adapterStatus_messageSaysWhatToDo()
    {
        QFETCH(int, problem);
        QFETCH(QString, adapterName);
        QFETCH(QString, detail);
        QFETCH(QStringList, mustContain);
        const AdapterStatus status{AdapterProblem(problem), adapterName, detail};
        QCOMPARE(status.ok(), AdapterProblem(problem) == AdapterProblem::None);
        const QString message = status.message();
        QVERIFY(!message.isEmpty());
        QVERIFY2(message.endsWith(QLatin1Char('.')), qPrintable(message));
        QVERIFY2(!message.contains(QStringLiteral("%1")), qPrintable(message));
        for (const QString &part : mustContain)
            QVERIFY2(message.contains(part), qPrintable(part + QStringLiteral(" in: ") + message));
    }

    void adapterStatus_everyProblemHasItsOwnMessage()
    {
        QStringList seen;
        for (int p = int(AdapterProblem::None); p <= int(AdapterProblem::Failed); ++p) {
            const QString message = AdapterStatus{AdapterProblem(p), {}, {}}.message();
            QVERIFY2(message.size() > 30, qPrintable(QString::number(p)));
            QVERIFY2(!seen.contains(message), qPrintable(message));
            seen << message;
        }
    }
};

QTEST_GUILESS_MAIN(tst_BleAdvert)
#include "tst_bleadvert.moc"
