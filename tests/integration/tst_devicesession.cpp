#include "app/onboarding/devicesession.h"
#include "app/simulator/simulatedmodem.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "support/simfixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace provbench;
using provbench::test::fastConfig;
using provbench::test::SimFixture;

class tst_DeviceSession : public QObject
{
    Q_OBJECT

    SimFixture m_sim;
    std::unique_ptr<DeviceSession> m_session;

    void startSession(const sim::SimDeviceConfig &config)
    {
        QVERIFY(m_sim.start(config));
        DeviceRecord rec;
        rec.id = m_sim.path();
        rec.port.path = m_sim.path();
        m_session = std::make_unique<DeviceSession>(rec, nullptr);
        improv::ImprovClient::Options o;
        o.timeout = std::chrono::milliseconds(300);
        o.wifiTimeout = std::chrono::milliseconds(3000);
        o.urlGrace = std::chrono::milliseconds(200);
        m_session->setClientOptions(o);
    }

    // Runs one operation and returns (ok, message).
    std::pair<bool, QString> run(const std::function<void()> &start)
    {
        QSignalSpy spy(m_session.get(), &DeviceSession::operationFinished);
        start();
        if (spy.isEmpty() && !spy.wait(10000))
            return {false, QStringLiteral("test: operation never finished")};
        return {spy.first().at(1).toBool(), spy.first().at(2).toString()};
    }

private Q_SLOTS:
    void cleanup()
    {
        m_session.reset();
        m_sim.device.reset();
    }

    void identify_readyDevice_becomesIdentifiedWithIdentity()
    {
        startSession(fastConfig(0));
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY2(ok, qPrintable(msg));
        const DeviceRecord &r = m_session->record();
        QCOMPARE(r.state, OnboardingState::Identified);
        QCOMPARE(r.identitySummary(), QStringLiteral("ESPHome 2024.6.1 on ESP32-C3"));
        QCOMPARE(r.protocols, QStringList{QStringLiteral("Improv Wi-Fi (serial)")});
        QCOMPARE(r.hostname, m_sim.device->hostname());
        QVERIFY(!m_session->isBusy());
    }

    void identify_legacyFirmware_stillIdentified()
    {
        startSession(fastConfig(2));
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY2(ok, qPrintable(msg));
        QCOMPARE(m_session->record().state, OnboardingState::Identified);
        QVERIFY(m_session->record().hostname.isEmpty());
    }

    void identify_silentDevice_failsWithAdvice()
    {
        auto config = fastConfig();
        config.faults.noAnswer = 100;
        startSession(config);
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY(!ok);
        QCOMPARE(m_session->record().state, OnboardingState::Failed);
        QVERIFY(m_session->record().failureReason.contains(u"Improv Wi-Fi"));
    }

    void provisionWifi_rightPassword_provisionedAndVerified()
    {
        startSession(fastConfig());
        QList<OnboardingState> states;
        connect(m_session.get(), &DeviceSession::recordChanged, this, [&] {
            if (states.isEmpty() || states.last() != m_session->record().state)
                states.append(m_session->record().state);
        });
        auto [ok, msg] = run([&] {
            m_session->provisionWifi(
                QStringLiteral("ProvBench-Lab"), QStringLiteral("correct-horse-42"));
        });
        QVERIFY2(ok, qPrintable(msg));
        QCOMPARE(m_session->record().state, OnboardingState::Provisioned);
        QCOMPARE(m_session->record().ssid, QStringLiteral("ProvBench-Lab"));
        QVERIFY(!m_session->record().urls.isEmpty());
        QVERIFY(states.contains(OnboardingState::Provisioning));
        // The verification read happened after the write.
        const auto &trace = m_session->trace();
        const auto write = std::find_if(trace.begin(), trace.end(),
            [](const TraceEntry &e) { return e.summary.startsWith(u"send Wi-Fi settings"); });
        QVERIFY(write != trace.end());
        QVERIFY(std::any_of(write, trace.end(),
            [](const TraceEntry &e) { return e.summary == u"request current state"; }));
    }

    void provisionWifi_wrongPassword_failedWithReason()
    {
        startSession(fastConfig());
        auto [ok, msg] = run([&] {
            m_session->provisionWifi(
                QStringLiteral("ProvBench-Lab"), QStringLiteral("nope-nope-nope"));
        });
        QVERIFY(!ok);
        QCOMPARE(m_session->record().state, OnboardingState::Failed);
        QVERIFY(m_session->record().failureReason.contains(u"check the password"));
        QCOMPARE(msg, m_session->record().failureReason);
        // A retry with the right password recovers.
        auto [ok2, msg2] = run([&] {
            m_session->provisionWifi(
                QStringLiteral("ProvBench-Lab"), QStringLiteral("correct-horse-42"));
        });
        QVERIFY2(ok2, qPrintable(msg2));
        QCOMPARE(m_session->record().state, OnboardingState::Provisioned);
    }

    void secondOperationWhileBusy_isRefused()
    {
        startSession(fastConfig());
        QSignalSpy spy(m_session.get(), &DeviceSession::operationFinished);
        m_session->provisionWifi(
            QStringLiteral("ProvBench-Lab"), QStringLiteral("correct-horse-42"));
        m_session->identify();
        QCOMPARE(spy.size(), 1);
        QCOMPARE(spy.first().at(1).toBool(), false);
        QVERIFY(spy.first().at(2).toString().contains(u"busy"));
        QVERIFY(spy.wait(5000));
        QCOMPARE(m_session->record().state, OnboardingState::Provisioned);
    }

    void unplugDuringWrite_failsSayingWhatIsUnknown()
    {
        auto config = fastConfig();
        config.connectMs = 2000;
        startSession(config);
        QSignalSpy spy(m_session.get(), &DeviceSession::operationFinished);
        m_session->provisionWifi(
            QStringLiteral("ProvBench-Lab"), QStringLiteral("correct-horse-42"));
        QTRY_VERIFY(m_session->record().activity.startsWith(u"Joining"));
        m_sim.device->unplug();
        m_session->markAbsent(); // what the registry does when the port vanishes
        QTRY_COMPARE(spy.size(), 1);
        QCOMPARE(spy.first().at(1).toBool(), false);
        QCOMPARE(m_session->record().state, OnboardingState::Failed);
        QVERIFY2(m_session->record().failureReason.contains(u"may or may not"),
            qPrintable(m_session->record().failureReason));
        QVERIFY(!m_session->record().present);
    }

    void cancelIdentify_restoresPreviousState()
    {
        auto config = fastConfig();
        config.faults.noAnswer = 100;
        startSession(config);
        QSignalSpy spy(m_session.get(), &DeviceSession::operationFinished);
        m_session->identify();
        QTest::qWait(50);
        m_session->cancel();
        QTRY_COMPARE(spy.size(), 1);
        QCOMPARE(m_session->record().state, OnboardingState::Discovered);
        QVERIFY(!m_session->isBusy());
    }

    void identify_otherProtocols_data()
    {
        QTest::addColumn<bool>("modem");
        QTest::addColumn<QString>("protocol");
        QTest::newRow("Zephyr board") << false << QStringLiteral("MCUmgr SMP (serial)");
        QTest::newRow("nRF91 modem") << true << QStringLiteral("nRF91 AT%CMNG (serial)");
    }
    void identify_otherProtocols()
    {
        QFETCH(bool, modem);
        QFETCH(QString, protocol);
        std::unique_ptr<sim::SimulatedSerialDevice> device;
        if (modem) {
            auto c = sim::demoModemConfig(0);
            c.latencyMs = 5;
            c.logNoise = false;
            device = std::make_unique<sim::SimulatedModem>(c);
        } else {
            auto c = sim::demoSmpConfig(0);
            c.latencyMs = 5;
            c.logNoise = false;
            device = std::make_unique<sim::SimulatedSmpDevice>(c);
        }
        QVERIFY(device->start(m_sim.path()));
        DeviceRecord rec;
        rec.id = rec.port.path = m_sim.path();
        m_session = std::make_unique<DeviceSession>(rec, nullptr);
        improv::ImprovClient::Options o;
        o.timeout = std::chrono::milliseconds(200);
        o.retries = 0;
        m_session->setClientOptions(o);
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY2(ok, qPrintable(msg));
        QCOMPARE(m_session->record().state, OnboardingState::Identified);
        QCOMPARE(m_session->record().protocols, QStringList{protocol});
        if (modem)
            QVERIFY2(m_session->record().identitySummary().contains(u"nRF91"),
                qPrintable(m_session->record().identitySummary()));
        // Improv actions are refused with advice instead of timing out.
        auto [scanOk, scanMsg] = run([&] { m_session->scanNetworks(); });
        QVERIFY(!scanOk);
        QVERIFY2(scanMsg.contains(u"Write credentials"), qPrintable(scanMsg));
        m_session.reset();
    }

    void missingPort_failsWithNotFoundAdvice()
    {
        DeviceRecord rec;
        rec.id = rec.port.path = QStringLiteral("/nonexistent/ttyUSB9");
        m_session = std::make_unique<DeviceSession>(rec, nullptr);
        auto [ok, msg] = run([&] { m_session->identify(); });
        QVERIFY(!ok);
        QVERIFY(msg.contains(u"does not exist"));
    }
};

QTEST_GUILESS_MAIN(tst_DeviceSession)
#include "tst_devicesession.moc"
