// DeviceSession's BLE path against simulated peripherals: Improv over BLE
// (authorization by the device's button, wrong password, connection loss in
// the middle of a write) and MCUmgr SMP over a GATT characteristic (echo as
// identification, a credential written through SmpTarget).

#include "app/onboarding/devicesession.h"
#include "app/simulator/ble/simulatedblebackend.h"
#include "app/simulator/ble/simulatedimprovperipheral.h"
#include "app/simulator/ble/simulatedsmpperipheral.h"
#include "app/simulator/simulatedsmpdevice.h"

#include <QSignalSpy>
#include <QTest>

using namespace provbench;

namespace {

const QString kImprovAddress = QStringLiteral("C4:DE:E2:10:4A:01");
const QString kSmpAddress = QStringLiteral("F1:0B:5E:7A:22:03");
const QString kSsid = QStringLiteral("ProvBench-Lab");
const QString kPassword = QStringLiteral("correct-horse-42");
const QString kWrongPassword = QStringLiteral("nope-nope-nope");
constexpr int kWaitMs = 10000;

sim::SimDeviceConfig improvConfig(int joinMs)
{
    sim::SimDeviceConfig c = sim::demoConfig(0);
    c.deviceName = QStringLiteral("smart-plug-ble");
    c.latencyMs = 2;
    c.connectMs = joinMs;
    return c;
}

} // namespace

class tst_BleDeviceSession : public QObject
{
    Q_OBJECT

    std::unique_ptr<sim::SimulatedBleBackend> m_backend;
    std::unique_ptr<DeviceSession> m_session;
    sim::SimulatedImprovPeripheral *m_improv = nullptr;

    // A session for the peripheral at `address`, as the registry makes one.
    void startSession(const QString &address)
    {
        sim::SimulatedPeripheral *p = m_backend->peripheral(address);
        QVERIFY(p);
        p->setLatencyMs(2);
        DeviceRecord rec = bleRecord(ble::describe(p->advert()));
        m_session = std::make_unique<DeviceSession>(rec, nullptr);
        BleSession::Options options;
        options.improv.rpcTimeout = std::chrono::milliseconds(3000);
        options.improv.authorizationTimeout = std::chrono::milliseconds(8000);
        options.improv.authorizationPoll = std::chrono::milliseconds(300);
        options.smpTimeout = std::chrono::milliseconds(1000);
        m_session->setBleOptions(options);
        m_session->setBleBackend(m_backend.get());
    }

    void addImprov(bool requireAuthorization, int joinMs = 80)
    {
        m_improv = new sim::SimulatedImprovPeripheral(kImprovAddress, -58, improvConfig(joinMs),
            {.requireAuthorization = requireAuthorization, .autoAuthorizeMs = -1});
        m_backend->addPeripheral(m_improv);
    }

    // Runs one operation and returns (ok, message).
    std::pair<bool, QString> run(const std::function<void()> &start, int timeoutMs = kWaitMs)
    {
        QSignalSpy spy(m_session.get(), &DeviceSession::operationFinished);
        start();
        if (spy.isEmpty() && !spy.wait(timeoutMs))
            return {false, QStringLiteral("test: operation never finished")};
        return {spy.first().at(1).toBool(), spy.first().at(2).toString()};
    }

    QString traceText() const
    {
        QStringList lines;
        for (const TraceEntry &e : m_session->trace())
            lines << e.summary + QLatin1Char('\t') + e.hex;
        return lines.join(QLatin1Char('\n'));
    }

private Q_SLOTS:
    void init() { m_backend = std::make_unique<sim::SimulatedBleBackend>(); }

    void cleanup()
    {
        m_session.reset();
        m_improv = nullptr;
        m_backend.reset();
    }

    void identify_improvDeviceAwaitingButton_identifiedWithItsState()
    {
        addImprov(true);
        startSession(kImprovAddress);
        QCOMPARE(m_session->record().improvState, improv::State::AuthorizationRequired);
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY2(ok, qPrintable(msg));
        const DeviceRecord &r = m_session->record();
        QCOMPARE(r.state, OnboardingState::Identified);
        QCOMPARE(r.protocols, QStringList{QString(kImprovBleLabel)});
        QCOMPARE(r.improvState, improv::State::AuthorizationRequired);
        QVERIFY(r.info);
        QCOMPARE(r.info->deviceName, QStringLiteral("smart-plug-ble"));
        QVERIFY(r.connected);
        QVERIFY(m_session->isConnected());
        QVERIFY(traceText().contains(u"press its button"));
    }

    void identify_authorizedImprovDevice_readsDeviceInfo()
    {
        addImprov(false);
        startSession(kImprovAddress);
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY2(ok, qPrintable(msg));
        const DeviceRecord &r = m_session->record();
        QCOMPARE(r.state, OnboardingState::Identified);
        QCOMPARE(r.identitySummary(), QStringLiteral("ESPHome 2024.6.1 on ESP32-C3"));
        QCOMPARE(r.improvState, improv::State::Ready);
    }

    void provisionWifi_waitsForButtonThenContinuesByItself()
    {
        addImprov(true);
        startSession(kImprovAddress);
        QSignalSpy finished(m_session.get(), &DeviceSession::operationFinished);
        m_session->provisionWifi(kSsid, kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_session->record().activity.contains(u"press the button on the device"), kWaitMs);
        QCOMPARE(m_session->record().state, OnboardingState::Provisioning);
        QCOMPARE(m_session->record().improvState, improv::State::AuthorizationRequired);
        QTest::qWait(500); // nothing happens until someone presses the button
        QVERIFY(finished.isEmpty());
        QCOMPARE(m_improv->state(), improv::State::AuthorizationRequired);

        m_improv->pressButton();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        const DeviceRecord &r = m_session->record();
        QCOMPARE(r.state, OnboardingState::Provisioned);
        QCOMPARE(r.ssid, kSsid);
        QCOMPARE(r.improvState, improv::State::Provisioned);
        QVERIFY(!r.urls.isEmpty());
        QCOMPARE(m_improv->connectedSsid(), kSsid);
        const QString trace = traceText();
        QVERIFY(trace.contains(u"Verified"));
        QVERIFY(!trace.contains(kPassword));
        QVERIFY(!trace.contains(
            QString::fromLatin1(kPassword.toUtf8().toHex(' ')), Qt::CaseInsensitive));
    }

    void provisionWifi_cancelWhileWaitingForButton_restoresState()
    {
        addImprov(true);
        startSession(kImprovAddress);
        auto [identified, why] = run([&] { m_session->identify(); });
        QVERIFY2(identified, qPrintable(why));
        QSignalSpy finished(m_session.get(), &DeviceSession::operationFinished);
        m_session->provisionWifi(kSsid, kPassword);
        QTRY_VERIFY_WITH_TIMEOUT(
            m_session->record().activity.contains(u"press the button"), kWaitMs);
        m_session->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(!finished.first().at(1).toBool());
        QCOMPARE(m_session->record().state, OnboardingState::Identified); // nothing was sent
        QVERIFY(!m_session->isBusy());
    }

    void provisionWifi_wrongPassword_failedWithReason()
    {
        addImprov(false);
        startSession(kImprovAddress);
        auto [ok, msg] = run([&] { m_session->provisionWifi(kSsid, kWrongPassword); });
        QVERIFY(!ok);
        QCOMPARE(m_session->record().state, OnboardingState::Failed);
        QVERIFY2(msg.contains(u"check the password"), qPrintable(msg));
        QCOMPARE(m_session->record().failureReason, msg);
        QVERIFY(m_improv->connectedSsid().isEmpty());
        QVERIFY(!traceText().contains(kWrongPassword));
    }

    void provisionWifi_connectionLostMidWrite_saysTheOutcomeIsUnknown()
    {
        addImprov(false, 2000); // a slow join: time to lose the connection meanwhile
        startSession(kImprovAddress);
        QSignalSpy finished(m_session.get(), &DeviceSession::operationFinished);
        m_session->provisionWifi(kSsid, kPassword);
        QTRY_COMPARE_WITH_TIMEOUT(m_improv->state(), improv::State::Provisioning, kWaitMs);
        m_improv->dropConnection();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY(!finished.first().at(1).toBool());
        const QString msg = finished.first().at(2).toString();
        QVERIFY2(msg.contains(u"lost after the Wi-Fi settings"), qPrintable(msg));
        QVERIFY2(msg.contains(u"read its state"), qPrintable(msg));
        QCOMPARE(m_session->record().state, OnboardingState::Failed);
        QTRY_VERIFY(!m_session->record().connected);

        // The device joins anyway; the next operation connects again and finds it so.
        QTRY_COMPARE_WITH_TIMEOUT(m_improv->state(), improv::State::Provisioned, kWaitMs);
        auto [ok, why] = run([&] { m_session->identify(); });
        QVERIFY2(ok, qPrintable(why));
        QCOMPARE(m_session->record().state, OnboardingState::Provisioned);
    }

    void scanNetworks_overBle_listsTheDevicesNetworks()
    {
        addImprov(false);
        startSession(kImprovAddress);
        QSignalSpy scanned(m_session.get(), &DeviceSession::scanFinished);
        auto [ok, msg] = run([&] { m_session->scanNetworks(); });
        QVERIFY2(ok, qPrintable(msg));
        QCOMPARE(scanned.size(), 1);
        const auto networks = scanned.first().at(0).value<QList<improv::WifiNetwork>>();
        QVERIFY(std::ranges::any_of(networks, [](const auto &n) { return n.ssid == kSsid; }));
    }

    void scanNetworks_deviceAwaitingButton_waitsThenScans()
    {
        addImprov(true);
        startSession(kImprovAddress);
        QSignalSpy scanned(m_session.get(), &DeviceSession::scanFinished);
        QSignalSpy finished(m_session.get(), &DeviceSession::operationFinished);
        m_session->scanNetworks();
        QTRY_VERIFY_WITH_TIMEOUT(
            m_session->record().activity.contains(u"press the button on the device"), kWaitMs);
        QTest::qWait(300);
        QVERIFY(finished.isEmpty());
        m_improv->pressButton();
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, kWaitMs);
        QVERIFY2(finished.first().at(1).toBool(), qPrintable(finished.first().at(2).toString()));
        QCOMPARE(scanned.size(), 1);
        QCOMPARE(m_session->record().improvState, improv::State::Ready);

        // Cancelling the wait ends the scan at once and changes nothing.
        m_improv = nullptr;
        m_session.reset();
        m_backend->removePeripheral(kImprovAddress);
        QTest::qWait(50);
        addImprov(true);
        startSession(kImprovAddress);
        QSignalSpy again(m_session.get(), &DeviceSession::operationFinished);
        m_session->scanNetworks();
        QTRY_VERIFY_WITH_TIMEOUT(
            m_session->record().activity.contains(u"press the button"), kWaitMs);
        m_session->cancel();
        QTRY_COMPARE_WITH_TIMEOUT(again.size(), 1, kWaitMs);
        QVERIFY(!again.first().at(1).toBool());
        QVERIFY2(again.first().at(2).toString().contains(u"nothing was sent"),
            qPrintable(again.first().at(2).toString()));
        QCOMPARE(m_session->record().state, OnboardingState::Discovered);
    }

    void setHostname_overBle_refusedWithAdvice()
    {
        addImprov(false);
        startSession(kImprovAddress);
        auto [ok, msg] = run([&] { m_session->setHostname(QStringLiteral("plug")); });
        QVERIFY(!ok);
        QVERIFY2(msg.contains(u"USB serial"), qPrintable(msg));
        QVERIFY(!m_session->isBusy());
    }

    void identify_smpDevice_answersEcho()
    {
        sim::SmpDeviceConfig config = sim::demoSmpConfig(0);
        config.name = QStringLiteral("zephyr-ble-sensor");
        config.latencyMs = 1;
        config.logNoise = false;
        m_backend->addPeripheral(new sim::SimulatedSmpPeripheral(kSmpAddress, -66, config));
        startSession(kSmpAddress);
        QCOMPARE(m_session->record().protocols, QStringList{QString(kSmpBleLabel)});
        QVERIFY(!m_session->record().speaksImprov());

        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY2(ok, qPrintable(msg));
        const DeviceRecord &r = m_session->record();
        QCOMPARE(r.state, OnboardingState::Identified);
        QCOMPARE(r.protocols, QStringList{QString(kSmpBleLabel)});
        QCOMPARE(r.info->firmwareName, QStringLiteral("Zephyr / MCUmgr"));
        QCOMPARE(r.info->deviceName, QStringLiteral("zephyr-ble-sensor"));
        QVERIFY(traceText().contains(u"echo"));

        // Improv commands are refused with advice.
        auto [scanned, why] = run([&] { m_session->scanNetworks(); });
        QVERIFY(!scanned);
        QVERIFY2(why.contains(u"Write credentials"), qPrintable(why));
    }

    void credentialAccess_smp_writesAndVerifiesASetting()
    {
        sim::SmpDeviceConfig config = sim::demoSmpConfig(0);
        config.latencyMs = 1;
        config.logNoise = false;
        auto *peripheral = new sim::SimulatedSmpPeripheral(kSmpAddress, -66, config);
        m_backend->addPeripheral(peripheral);
        startSession(kSmpAddress);
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY2(ok, qPrintable(msg));

        std::optional<Result<BleCredentialAccess>> access;
        m_session->openCredentialAccess(
            [&](Result<BleCredentialAccess> a) { access.emplace(std::move(a)); });
        QTRY_VERIFY_WITH_TIMEOUT(access.has_value(), kWaitMs);
        QVERIFY2(*access, access->has_value() ? "" : qPrintable(access->error().message));
        QCOMPARE((*access)->protocol, onboarding::DeviceProtocol::Smp);
        QVERIFY((*access)->target);

        onboarding::PlanItem item;
        item.id = QStringLiteral("mqtt-url");
        item.label = QStringLiteral("MQTT URL");
        item.target = onboarding::PlanItem::Target::Setting;
        item.settingKey = QStringLiteral("provbench/mqtt_url");
        std::optional<onboarding::ItemOutcome> outcome;
        (*access)->target->write(item, QByteArrayLiteral("mqtts://broker.example:8883"),
            [&](onboarding::ItemOutcome o) { outcome = o; });
        QTRY_VERIFY_WITH_TIMEOUT(outcome.has_value(), kWaitMs);
        QVERIFY2(outcome->state == onboarding::ItemOutcome::State::Verified,
            qPrintable(outcome->detail));
        QVERIFY(traceText().contains(u"provbench/mqtt_url")); // the job's client traces too

        // Handed back: the session works on its own again.
        access.reset();
        auto [again, why] = run([&] { m_session->identify(); });
        QVERIFY2(again, qPrintable(why));
    }

    void credentialAccess_improv_wifiWaitsForButtonNamesUnsupported()
    {
        addImprov(true);
        startSession(kImprovAddress);
        std::optional<Result<BleCredentialAccess>> access;
        m_session->openCredentialAccess(
            [&](Result<BleCredentialAccess> a) { access.emplace(std::move(a)); });
        QTRY_VERIFY_WITH_TIMEOUT(access.has_value(), kWaitMs);
        QVERIFY2(*access, access->has_value() ? "" : qPrintable(access->error().message));
        QCOMPARE((*access)->protocol, onboarding::DeviceProtocol::Improv);

        onboarding::PlanItem hostname;
        hostname.target = onboarding::PlanItem::Target::Hostname;
        std::optional<onboarding::ItemOutcome> named;
        (*access)->target->write(
            hostname, QByteArrayLiteral("plug"), [&](onboarding::ItemOutcome o) { named = o; });
        QVERIFY(named.has_value());
        QCOMPARE(named->state, onboarding::ItemOutcome::State::Unsupported);

        onboarding::PlanItem wifi;
        wifi.target = onboarding::PlanItem::Target::WifiCredentials;
        wifi.profileValue = kSsid;
        wifi.secret = true;
        std::optional<onboarding::ItemOutcome> joined;
        (*access)->target->write(
            wifi, kPassword.toUtf8(), [&](onboarding::ItemOutcome o) { joined = o; });
        // The record shows the device waiting (the session's own client writes).
        QTest::qWait(300);
        QVERIFY(!joined.has_value());
        QCOMPARE(m_session->record().improvState, improv::State::AuthorizationRequired);
        m_improv->pressButton();
        QTRY_VERIFY_WITH_TIMEOUT(joined.has_value(), kWaitMs);
        QVERIFY2(
            joined->state == onboarding::ItemOutcome::State::Verified, qPrintable(joined->detail));
        QCOMPARE(m_improv->connectedSsid(), kSsid);
        QTRY_COMPARE(m_session->record().improvState, improv::State::Provisioned);
        QVERIFY(!traceText().contains(kPassword));
    }

    void identify_deviceOutOfRange_failsWithAdvice()
    {
        addImprov(false);
        startSession(kImprovAddress);
        m_backend->removePeripheral(kImprovAddress);
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY(!ok);
        QVERIFY2(msg.contains(u"not advertising"), qPrintable(msg));
        QVERIFY(!m_session->record().connected);
    }
};

QTEST_MAIN(tst_BleDeviceSession)
#include "tst_bledevicesession.moc"
