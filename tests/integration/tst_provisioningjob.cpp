#include "app/onboarding/improvtarget.h"
#include "app/onboarding/provisioningjob.h"
#include "app/transport/seriallink.h"
#include "support/simfixture.h"

#include <QSignalSpy>
#include <QTest>

using namespace provbench;
using namespace provbench::onboarding;
using namespace provbench::profiles;
using provbench::test::fastConfig;
using provbench::test::SimFixture;

namespace {

Profile officeProfile(const QString &password)
{
    Profile p = defaultProfile(ProfileKind::Static);
    p.network.wifi->ssid = QStringLiteral("ProvBench-Lab");
    p.network.wifi->passphrase.value = password;
    p.naming.hostname = QStringLiteral("office-{seq:03}");
    p.naming.deviceName = QStringLiteral("Office {seq}");
    return p;
}

} // namespace

class tst_ProvisioningJob : public QObject
{
    Q_OBJECT

    SimFixture m_sim;
    std::unique_ptr<SerialLink> m_link;
    std::unique_ptr<improv::ImprovClient> m_client;
    std::unique_ptr<ImprovTarget> m_target;

    void connectTo(const sim::SimDeviceConfig &config)
    {
        QVERIFY(m_sim.start(config));
        m_link = std::make_unique<SerialLink>(m_sim.path());
        QVERIFY(m_link->open());
        improv::ImprovClient::Options o;
        o.timeout = std::chrono::milliseconds(300);
        o.wifiTimeout = std::chrono::milliseconds(3000);
        o.urlGrace = std::chrono::milliseconds(100);
        m_client = std::make_unique<improv::ImprovClient>(m_link.get(), o);
        m_target = std::make_unique<ImprovTarget>(m_client.get());
    }

    // Runs the job; returns (ok, message).
    std::pair<bool, QString> run(ProvisioningJob &job)
    {
        QSignalSpy done(&job, &ProvisioningJob::finished);
        job.start();
        if (done.isEmpty() && !done.wait(10000))
            return {false, QStringLiteral("test: never finished")};
        return {done.first().at(0).toBool(), done.first().at(1).toString()};
    }

private Q_SLOTS:
    void cleanup()
    {
        m_target.reset();
        m_client.reset();
        m_link.reset();
        m_sim.device.reset();
    }

    void improvDevice_wifiAndNamesVerified()
    {
        connectTo(fastConfig());
        const Profile p = officeProfile(QStringLiteral("correct-horse-42"));
        ProfileMaterial material(p, QString());
        ProvisioningJob job(planCredentials(p, DeviceProtocol::Improv), m_target.get(), &material,
            DeviceVars{QString(), QString(), QString(), QString(), 7});
        auto [ok, message] = run(job);
        QVERIFY2(ok, qPrintable(message));
        for (const ItemOutcome &o : job.outcomes())
            QCOMPARE(o.state, ItemOutcome::State::Verified);
        QCOMPARE(m_sim.device->connectedSsid(), QStringLiteral("ProvBench-Lab"));
        QCOMPARE(m_sim.device->hostname(), QStringLiteral("office-007"));
        QCOMPARE(m_sim.device->deviceName(), QStringLiteral("Office 7"));
    }

    void wrongPassword_failsThatItemSaysTheDeviceKeptItsOldStateAndGoesOn()
    {
        connectTo(fastConfig());
        const Profile p = officeProfile(QStringLiteral("wrong-password"));
        ProfileMaterial material(p, QString());
        ProvisioningJob job(planCredentials(p, DeviceProtocol::Improv), m_target.get(), &material,
            DeviceVars{QString(), QString(), QString(), QString(), 1});
        auto [ok, message] = run(job);
        QVERIFY(!ok);
        QVERIFY2(message.contains(u"1 failed"), qPrintable(message));
        const ItemOutcome &wifi = job.outcomes().at(0);
        QCOMPARE(wifi.state, ItemOutcome::State::Failed);
        QCOMPARE(wifi.holds, ItemOutcome::DeviceHolds::Old);
        QVERIFY(wifi.detail.contains(u"check the password"));
        QCOMPARE(
            job.outcomes().at(1).state, ItemOutcome::State::Verified); // hostname still written
    }

    void valueThatCannotBeMade_nothingIsWritten()
    {
        connectTo(fastConfig());
        Profile p = officeProfile(QStringLiteral("correct-horse-42"));
        p.naming.deviceName = QStringLiteral("office-{mac6}"); // no MAC known for this device
        ProfileMaterial material(p, QString());
        ProvisioningJob job(planCredentials(p, DeviceProtocol::Improv), m_target.get(), &material,
            DeviceVars{QString(), QString(), QString(), QString(), 3});
        auto [ok, message] = run(job);
        QVERIFY(!ok);
        QVERIFY2(
            message.startsWith(u"Nothing was written: Device name") && message.contains(u"MAC"),
            qPrintable(message));
        for (const ItemOutcome &o : job.outcomes()) {
            QCOMPARE(o.state, ItemOutcome::State::Failed);
            QCOMPARE(o.holds, ItemOutcome::DeviceHolds::Old);
        }
        // The Wi-Fi, planned before the device name, never reached the device.
        QVERIFY(m_sim.device->connectedSsid().isEmpty());
        QVERIFY(m_sim.device->hostname() != QStringLiteral("office-003"));
    }

    void certificatesOverImprov_areUnsupportedAndTheJobIsNotOk()
    {
        connectTo(fastConfig());
        Profile p = officeProfile(QStringLiteral("correct-horse-42"));
        p.staticSettings()->credentials.kind = StaticCredentialKind::BenchCertificate;
        ProfileMaterial material(p, QString());
        ProvisioningJob job(
            planCredentials(p, DeviceProtocol::Improv), m_target.get(), &material, DeviceVars{});
        auto [ok, message] = run(job);
        QVERIFY(!ok);
        QVERIFY2(message.contains(u"3 not supported over Improv Wi-Fi"), qPrintable(message));
    }

    void linkLostMidPlan_restIsReportedNotAttempted()
    {
        auto config = fastConfig();
        config.connectMs = 1500;
        connectTo(config);
        const Profile p = officeProfile(QStringLiteral("correct-horse-42"));
        ProfileMaterial material(p, QString());
        ProvisioningJob job(
            planCredentials(p, DeviceProtocol::Improv), m_target.get(), &material, DeviceVars{});
        QSignalSpy done(&job, &ProvisioningJob::finished);
        job.start();
        QTest::qWait(200); // the device is joining the network
        m_sim.device->unplug();
        QVERIFY(done.wait(10000));
        QCOMPARE(done.first().at(0).toBool(), false);
        const auto &outcomes = job.outcomes();
        QCOMPARE(outcomes.at(0).state, ItemOutcome::State::Failed);
        QCOMPARE(outcomes.at(0).holds, ItemOutcome::DeviceHolds::Unknown);
        for (qsizetype i = 1; i < outcomes.size(); ++i)
            QVERIFY2(outcomes.at(i).detail.startsWith(u"not attempted"),
                qPrintable(outcomes.at(i).detail));
    }
};

QTEST_GUILESS_MAIN(tst_ProvisioningJob)
#include "tst_provisioningjob.moc"
