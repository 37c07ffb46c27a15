// BluezScanner against a mocked BlueZ: the real QBluetoothDeviceDiscoveryAgent
// reads advertisements from python3-dbusmock on a private system bus, and the
// adapter status follows what happens to BlueZ and its adapter.

#include "app/protocol/improv/improvble.h"
#include "app/transport/ble/bluez/bluezscanner.h"
#include "tests/ble/bluezmock.h"

#include <QSignalSpy>
#include <QtTest>

using namespace provbench;
using namespace provbench::ble;
using provbench::test::BluezMock;

namespace {

const QString kImprovAddress = QStringLiteral("AA:BB:CC:00:00:01");
const QString kOtherAddress = QStringLiteral("AA:BB:CC:00:00:02");
// Generous: QtBluetooth and the mock answer within milliseconds, but the
// tests run under ASan on a busy machine.
constexpr int kWait = 8000;

QBluetoothUuid serviceDataUuid()
{
    return QBluetoothUuid(quint16(improv::ble::kServiceDataUuid));
}

} // namespace

class TestBluezScanner : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { PROVBENCH_REQUIRE_BLUEZ_BUS(); }

    void init()
    {
        QString why;
        QVERIFY2(m_mock.startBluez(&why), qPrintable(why));
    }

    void cleanup()
    {
        m_scanner.reset();
        if (std::exchange(m_accessChanged, false))
            QVERIFY(BluezMock::setBluezAccessAllowed(true));
        if (QTest::currentTestFailed())
            qWarning().noquote() << "BlueZ mock log:\n" << m_mock.log();
        m_mock.stopBluez();
    }

    void scan_reportsNameRssiServicesAndImprovServiceData();
    void scan_reportsRssiAndManufacturerDataUpdates();
    void scan_reportsDevicesThatAppearWhileScanning();
    void stop_endsScanningUntilStartedAgain();

    void adapterOff_isReportedAndScanningResumesWhenPoweredOn();
    void adapterSwitchedOffWhileScanning_stopsAndResumes();
    void noAdapter_isReportedAndScanningResumesWhenOneAppears();
    void adapterRemovedWhileScanning_isReportedAsNoAdapter();
    void bluezNotRunning_isReportedAndScanningResumesWhenItStarts();
    void bluezStoppingWhileScanning_isReportedAndScanningResumes();
    void noPermission_isReportedAndScanningResumesWhenAllowed();

private:
    BluezScanner *makeScanner()
    {
        m_scanner = std::make_unique<BluezScanner>();
        return m_scanner.get();
    }

    // The newest advert for `address` once `match` accepts one.
    static std::optional<Advert> waitForAdvert(QSignalSpy &spy, const QString &address,
        const std::function<bool(const Advert &)> &match, int timeoutMs = kWait)
    {
        qsizetype seen = 0;
        QDeadlineTimer deadline(timeoutMs);
        while (true) {
            for (; seen < spy.size(); ++seen) {
                const auto advert = spy.at(seen).at(0).value<Advert>();
                if (advert.address == address && match(advert))
                    return advert;
            }
            if (deadline.hasExpired())
                return std::nullopt;
            spy.wait(int(qMax<qint64>(1, deadline.remainingTime())));
        }
    }

    BluezMock m_mock;
    std::unique_ptr<BluezScanner> m_scanner;
    bool m_accessChanged = false;
};

void TestBluezScanner::scan_reportsNameRssiServicesAndImprovServiceData()
{
    QVERIFY(m_mock.addAdapter());
    QVERIFY(m_mock.addImprovDevice(kImprovAddress, QStringLiteral("Improv Lamp"), true,
        {{QStringLiteral("rssi"), -52}, {QStringLiteral("capabilities"), 0x01}}));

    BluezScanner *scanner = makeScanner();
    QSignalSpy adverts(scanner, &Scanner::advertised);
    QSignalSpy active(scanner, &Scanner::activeChanged);
    QSignalSpy status(scanner, &Scanner::statusChanged);
    scanner->start();

    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);
    QCOMPARE(active.size(), 1);
    QVERIFY(scanner->status().ok());
    QCOMPARE(scanner->status().adapterName, QStringLiteral("hci0"));

    const auto advert = waitForAdvert(adverts, kImprovAddress, [](const Advert &) { return true; });
    QVERIFY(advert);
    QCOMPARE(advert->name, QStringLiteral("Improv Lamp"));
    QCOMPARE(advert->rssi, qint16(-52));
    QVERIFY(advert->serviceUuids.contains(improv::ble::serviceUuid()));
    QCOMPARE(advert->serviceData.value(serviceDataUuid()), QByteArray::fromHex("010100000000"));
    const auto decoded
        = improv::ble::decodeServiceData(advert->serviceData.value(serviceDataUuid()));
    QVERIFY(decoded);
    QCOMPARE(decoded->state, improv::State::AuthorizationRequired);
    QCOMPARE(decoded->capabilities, quint8(improv::ble::CapIdentify));
    for (const QList<QVariant> &args : std::as_const(status)) // at most "hci0 is ready"
        QVERIFY(args.at(0).value<AdapterStatus>().ok());
}

void TestBluezScanner::scan_reportsRssiAndManufacturerDataUpdates()
{
    QVERIFY(m_mock.addAdapter());
    QVERIFY(m_mock.addImprovDevice(
        kImprovAddress, QStringLiteral("Improv Lamp"), true, {{QStringLiteral("rssi"), -52}}));
    BluezScanner *scanner = makeScanner();
    QSignalSpy adverts(scanner, &Scanner::advertised);
    scanner->start();
    QVERIFY(waitForAdvert(adverts, kImprovAddress, [](const Advert &a) { return a.rssi == -52; }));

    QVERIFY(m_mock.setRssi(kImprovAddress, -71));
    const auto moved
        = waitForAdvert(adverts, kImprovAddress, [](const Advert &a) { return a.rssi == -71; });
    QVERIFY2(moved, "no advert with the new RSSI");

    // Espressif's company id with some bytes, as a firmware might add.
    QVERIFY(m_mock.setAdvertisement(kImprovAddress,
        {{QStringLiteral("RSSI"), -66},
            {QStringLiteral("ManufacturerData"),
                QVariantMap{{QStringLiteral("741"), QByteArray::fromHex("c0ffee")}}}}));
    const auto withData = waitForAdvert(adverts, kImprovAddress, [](const Advert &a) {
        return a.manufacturerData.value(741) == QByteArray::fromHex("c0ffee");
    });
    QVERIFY2(withData, "no advert with the manufacturer data");
    QCOMPARE(withData->rssi, qint16(-66));

    // The authorization state travels in the service data; QtBluetooth 6.4
    // passes it on together with the next RSSI change.
    QVERIFY(m_mock.pressButton(kImprovAddress));
    QVERIFY(m_mock.setRssi(kImprovAddress, -60));
    const auto authorized = waitForAdvert(adverts, kImprovAddress, [](const Advert &a) {
        return a.serviceData.value(serviceDataUuid()).startsWith(char(improv::State::Ready));
    });
    QVERIFY2(authorized, "no advert with the authorized state");
}

void TestBluezScanner::scan_reportsDevicesThatAppearWhileScanning()
{
    QVERIFY(m_mock.addAdapter());
    BluezScanner *scanner = makeScanner();
    QSignalSpy adverts(scanner, &Scanner::advertised);
    scanner->start();
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);

    QVERIFY(m_mock.addSmpDevice(kOtherAddress, QStringLiteral("Zephyr SMP")));
    const auto advert = waitForAdvert(adverts, kOtherAddress,
        [](const Advert &a) { return a.serviceUuids.contains(smpServiceUuid()); });
    QVERIFY2(advert, "the SMP device that appeared was not reported with its service");
    QCOMPARE(advert->name, QStringLiteral("Zephyr SMP"));
    QCOMPARE(advert->rssi, qint16(-60));
}

void TestBluezScanner::stop_endsScanningUntilStartedAgain()
{
    QVERIFY(m_mock.addAdapter());
    BluezScanner *scanner = makeScanner();
    QSignalSpy adverts(scanner, &Scanner::advertised);
    QSignalSpy active(scanner, &Scanner::activeChanged);
    scanner->start();
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);

    scanner->stop();
    QVERIFY(!scanner->isActive());
    QCOMPARE(active.size(), 2);
    QCOMPARE(active.at(1).at(0).toBool(), false);

    QVERIFY(m_mock.addImprovDevice(kImprovAddress, QStringLiteral("Late"), false));
    QTest::qWait(300);
    QVERIFY(adverts.isEmpty());

    scanner->start();
    QVERIFY(waitForAdvert(adverts, kImprovAddress, [](const Advert &) { return true; }));
    QVERIFY(scanner->isActive());
}

void TestBluezScanner::adapterOff_isReportedAndScanningResumesWhenPoweredOn()
{
    QVERIFY(m_mock.addAdapter());
    QVERIFY(m_mock.setPowered(false));
    QVERIFY(m_mock.addImprovDevice(kImprovAddress, QStringLiteral("Improv Lamp"), true));
    BluezScanner *scanner = makeScanner();
    QSignalSpy status(scanner, &Scanner::statusChanged);
    QSignalSpy active(scanner, &Scanner::activeChanged);
    QSignalSpy adverts(scanner, &Scanner::advertised);
    scanner->start();

    QTRY_COMPARE_WITH_TIMEOUT(scanner->status().problem, AdapterProblem::AdapterOff, kWait);
    QCOMPARE(scanner->status().adapterName, QStringLiteral("hci0"));
    QVERIFY(!scanner->isActive());
    QVERIFY(active.isEmpty());
    QVERIFY(adverts.isEmpty());

    QVERIFY(m_mock.setPowered(true));
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);
    QVERIFY(scanner->status().ok());
    QCOMPARE(status.last().at(0).value<AdapterStatus>().problem, AdapterProblem::None);
    QCOMPARE(active.size(), 1);
    QVERIFY(waitForAdvert(adverts, kImprovAddress, [](const Advert &) { return true; }));
}

void TestBluezScanner::adapterSwitchedOffWhileScanning_stopsAndResumes()
{
    QVERIFY(m_mock.addAdapter());
    BluezScanner *scanner = makeScanner();
    scanner->start();
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);
    QStringList events;
    connect(scanner, &Scanner::statusChanged, this, [&events](const AdapterStatus &s) {
        events << QStringLiteral("status %1").arg(int(s.problem));
    });
    connect(scanner, &Scanner::activeChanged, this,
        [&events](bool active) { events << QStringLiteral("active %1").arg(active); });

    QVERIFY(m_mock.setPowered(false));
    QTRY_VERIFY_WITH_TIMEOUT(!scanner->isActive(), kWait);
    QCOMPARE(scanner->status().problem, AdapterProblem::AdapterOff);
    QCOMPARE(scanner->status().adapterName, QStringLiteral("hci0"));
    // The reason first, then activeChanged(false), each once.
    QCOMPARE(events,
        (QStringList{QStringLiteral("status %1").arg(int(AdapterProblem::AdapterOff)),
            QStringLiteral("active 0")}));

    QSignalSpy adverts(scanner, &Scanner::advertised);
    QVERIFY(m_mock.setPowered(true));
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);
    QVERIFY(scanner->status().ok());
    QVERIFY(m_mock.addImprovDevice(kImprovAddress, QStringLiteral("After power"), false));
    QVERIFY(waitForAdvert(adverts, kImprovAddress, [](const Advert &) { return true; }));
}

void TestBluezScanner::noAdapter_isReportedAndScanningResumesWhenOneAppears()
{
    BluezScanner *scanner = makeScanner();
    scanner->start();
    QTRY_COMPARE_WITH_TIMEOUT(scanner->status().problem, AdapterProblem::NoAdapter, kWait);
    QVERIFY(!scanner->isActive());
    QVERIFY(!scanner->status().message().isEmpty());

    QVERIFY(m_mock.addAdapter());
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);
    QVERIFY(scanner->status().ok());
}

void TestBluezScanner::adapterRemovedWhileScanning_isReportedAsNoAdapter()
{
    QVERIFY(m_mock.addAdapter());
    BluezScanner *scanner = makeScanner();
    scanner->start();
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);

    QVERIFY(m_mock.removeAdapter());
    QTRY_COMPARE_WITH_TIMEOUT(scanner->status().problem, AdapterProblem::NoAdapter, kWait);
    QVERIFY(!scanner->isActive());

    QVERIFY(m_mock.addAdapter());
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);
}

void TestBluezScanner::bluezNotRunning_isReportedAndScanningResumesWhenItStarts()
{
    m_mock.stopBluez();
    BluezScanner *scanner = makeScanner();
    QSignalSpy active(scanner, &Scanner::activeChanged);
    scanner->start();
    QTRY_COMPARE_WITH_TIMEOUT(scanner->status().problem, AdapterProblem::BluezNotRunning, kWait);
    QVERIFY(!scanner->isActive());

    QString why;
    QVERIFY2(m_mock.startBluez(&why), qPrintable(why));
    QVERIFY(m_mock.addAdapter());
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);
    QVERIFY(scanner->status().ok());
    QCOMPARE(active.size(), 1);
}

void TestBluezScanner::bluezStoppingWhileScanning_isReportedAndScanningResumes()
{
    QVERIFY(m_mock.addAdapter());
    BluezScanner *scanner = makeScanner();
    scanner->start();
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);

    m_mock.stopBluez();
    QTRY_COMPARE_WITH_TIMEOUT(scanner->status().problem, AdapterProblem::BluezNotRunning, kWait);
    QVERIFY(!scanner->isActive());

    QString why;
    QVERIFY2(m_mock.startBluez(&why), qPrintable(why));
    QVERIFY(m_mock.addAdapter());
    QVERIFY(m_mock.addImprovDevice(kImprovAddress, QStringLiteral("Back"), false));
    QSignalSpy adverts(scanner, &Scanner::advertised);
    QTRY_VERIFY_WITH_TIMEOUT(scanner->isActive(), kWait);
    QVERIFY(waitForAdvert(adverts, kImprovAddress, [](const Advert &) { return true; }));
}

void TestBluezScanner::noPermission_isReportedAndScanningResumesWhenAllowed()
{
    QVERIFY(m_mock.addAdapter());
    m_accessChanged = true;
    QVERIFY(BluezMock::setBluezAccessAllowed(false));
    // Nothing on the bus says that a policy changed: the periodic check finds it.
    BluezScanner::Options options;
    options.recheckInterval = std::chrono::milliseconds(200);
    m_scanner = std::make_unique<BluezScanner>(options);
    m_scanner->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_scanner->status().problem, AdapterProblem::NoPermission, kWait);
    QVERIFY2(m_scanner->status().detail.contains(QLatin1String("AccessDenied")),
        qPrintable(m_scanner->status().detail));
    QVERIFY(!m_scanner->isActive());

    QVERIFY(BluezMock::setBluezAccessAllowed(true));
    QTRY_VERIFY_WITH_TIMEOUT(m_scanner->isActive(), kWait);
    QVERIFY(m_scanner->status().ok());
}

PROVBENCH_BLUEZ_TEST_MAIN(TestBluezScanner)
#include "tst_bluezscanner.moc"
