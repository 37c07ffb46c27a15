// Dynamic onboarding end to end: an EstServer in-process over a workspace CA
// and a Store; simulated Zephyr devices on ptys get the EST bootstrap over SMP
// from a ProvisioningJob, then generate their key, enroll over HTTPS on
// loopback and check in, by themselves.

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/enrollment/estserver.h"
#include "app/onboarding/enrollment/estservice.h"
#include "app/onboarding/enrollment/servercertificate.h"
#include "app/onboarding/enrollment/tokenservice.h"
#include "app/onboarding/enrollmentmaterial.h"
#include "app/onboarding/handout.h"
#include "app/onboarding/protocoltargets.h"
#include "app/onboarding/servicetokenissuer.h"
#include "app/profiles/profilejson.h"
#include "app/protocol/smp/smpclient.h"
#include "app/simulator/enrollmentagent.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/storage/store/store.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"
#include "app/transport/seriallink.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::onboarding;
using namespace std::chrono_literals;
using Agent = sim::EnrollmentAgent;

namespace {

constexpr char kPass[] = "dynamic onboarding test passphrase";

// One simulated device and the bench's session with it.
struct Bench
{
    QString id;
    std::unique_ptr<sim::SimulatedSmpDevice> device;
    std::unique_ptr<SerialLink> link;
    std::unique_ptr<smp::SmpClient> client;
    std::unique_ptr<SmpTarget> smpTarget;
    std::unique_ptr<AuditedTarget> target;
    std::unique_ptr<ProfileMaterial> profileMaterial;
    std::unique_ptr<EnrollmentMaterial> enrollment;
    std::unique_ptr<RecordingMaterial> material;
    std::unique_ptr<ProvisioningJob> job;
    QList<PlanItem> plan;
};

// Issues tokens that expired an hour ago (issued "two hours ago" for one hour).
class ExpiredIssuer : public TokenIssuer
{
public:
    explicit ExpiredIssuer(enrollment::TokenService &tokens) : m_tokens(tokens) { }
    Result<QString> issue(
        const QString &deviceId, std::chrono::minutes ttl, bool singleUse) override
    {
        m_tokens.setClock([] { return QDateTime::currentDateTimeUtc().addSecs(-2 * 3600); });
        auto t = m_tokens.issue(deviceId, ttl, singleUse);
        m_tokens.setClock([] { return QDateTime::currentDateTimeUtc(); });
        if (!t)
            return std::unexpected(t.error());
        return t->token;
    }

private:
    enrollment::TokenService &m_tokens;
};

} // namespace

class tst_DynamicOnboarding : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<Workspace> m_ws;
    std::optional<Vault> m_vault;
    std::optional<crypto::CertificateAuthority> m_ca;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<enrollment::TokenService> m_tokens;
    std::unique_ptr<enrollment::EstService> m_service;
    std::unique_ptr<enrollment::EstServer> m_server;
    std::unique_ptr<ServiceTokenIssuer> m_issuer;
    profiles::Profile m_profile;

    std::unique_ptr<Bench> provision(int index, const QString &id, TokenIssuer *issuer)
    {
        auto b = std::make_unique<Bench>();
        b->id = id;
        sim::SmpDeviceConfig config = sim::demoSmpConfig(index);
        config.latencyMs = 5;
        config.enrollDelayMs = 50;
        config.legacyErrors = false;
        b->device = std::make_unique<sim::SimulatedSmpDevice>(config);
        auto started = b->device->start(m_dir.filePath(QStringLiteral("ttySMP%1").arg(index)));
        if (!started) {
            qWarning() << started.error().message;
            return nullptr;
        }
        b->link = std::make_unique<SerialLink>(b->device->portPath());
        if (!b->link->open())
            return nullptr;
        smp::SmpClient::Options o;
        o.timeout = 1000ms;
        b->client = std::make_unique<smp::SmpClient>(b->link.get(), o);
        b->smpTarget = std::make_unique<SmpTarget>(b->client.get());
        b->target = std::make_unique<AuditedTarget>(b->smpTarget.get(), m_store.get(),
            AuditedTarget::DeviceInfo{
                id, config.name, QStringLiteral("serial"), b->device->portPath(), m_profile.name});
        b->plan = planCredentials(m_profile, DeviceProtocol::Smp);
        b->target->setPlan(b->plan);
        b->profileMaterial = std::make_unique<ProfileMaterial>(m_profile, m_ws->path());
        b->enrollment = std::make_unique<EnrollmentMaterial>(
            b->profileMaterial.get(), issuer, id, tokenTtl(m_profile), tokenSingleUse(m_profile));
        b->material = std::make_unique<RecordingMaterial>(b->enrollment.get());
        profiles::DeviceVars vars;
        vars.serial = id;
        vars.mac = QStringLiteral("02:00:00:00:00:%1").arg(index + 10, 2, 10, QLatin1Char('0'));
        vars.seq = index + 1;
        b->job
            = std::make_unique<ProvisioningJob>(b->plan, b->target.get(), b->material.get(), vars);
        return b;
    }

    QStringList kindsFor(const QString &device)
    {
        store::AuditFilter f;
        f.deviceId = device;
        auto records = m_store->audit().records(f);
        QStringList kinds;
        if (records) {
            for (const auto &r : *records)
                kinds << r.kind;
        }
        return kinds;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto ws = Workspace::open(m_dir.filePath(QStringLiteral("ws")));
        QVERIFY2(ws, qPrintable(ws ? QString() : ws.error().message));
        m_ws = *ws;
        auto vault = Vault::create(*m_ws, kPass);
        QVERIFY(vault);
        m_vault = std::move(*vault);
        auto ca = crypto::CertificateAuthority::createRoot(*m_ws, *m_vault, {});
        QVERIFY(ca);
        m_ca = std::move(*ca);
        auto s = store::Store::open(QString(), m_ws->path(), QStringLiteral("tester@bench"));
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        m_store = std::move(*s);
        m_tokens = std::make_unique<enrollment::TokenService>(*m_store);
        m_issuer = std::make_unique<ServiceTokenIssuer>(*m_tokens);

        QFile sample(QStringLiteral(":/profiles/est-onboarding.json"));
        QVERIFY(sample.open(QIODevice::ReadOnly));
        auto profile = profiles::parseProfile(sample.readAll());
        QVERIFY(profile);
        m_profile = *profile;

        enrollment::EstServiceOptions options;
        options.profileLookup = [this](const QString &name) -> std::optional<profiles::Profile> {
            return name == m_profile.name ? std::optional(m_profile) : std::nullopt;
        };
        m_service = std::make_unique<enrollment::EstService>(*m_ca, *m_store, *m_tokens, options);
        auto tlsCert = enrollment::ensureServerCertificate(*m_ws, *m_vault, *m_ca, {});
        QVERIFY2(tlsCert, qPrintable(tlsCert ? QString() : tlsCert.error().message));
        m_server = std::make_unique<enrollment::EstServer>(
            *m_service, tlsCert->certificate, tlsCert->key, m_ca->chain());
        auto listening = m_server->listen();
        QVERIFY2(listening, qPrintable(listening ? QString() : listening.error().message));

        // The sample profile, adapted to this server; the trust anchor is the
        // workspace CA certificate.
        auto *d = m_profile.dynamicSettings();
        QVERIFY(d);
        d->est.url = QStringLiteral("https://127.0.0.1:%1/.well-known/est").arg(m_server->port());
        d->est.trustAnchorFile
            = QDir(m_ws->path())
                  .relativeFilePath(
                      crypto::CertificateAuthority::directory(*m_ws) + QStringLiteral("/ca.pem"));
    }

    void cleanupTestCase()
    {
        if (m_server)
            m_server->close();
    }

    void threeDevices_bootstrapToCheckedIn()
    {
        QElapsedTimer clock;
        clock.start();
        std::vector<std::unique_ptr<Bench>> benches;
        for (int i = 0; i < 3; ++i) {
            benches.push_back(provision(i, QStringLiteral("DYN-%1").arg(i + 1), m_issuer.get()));
            QVERIFY(benches.back());
        }
        std::vector<std::unique_ptr<QSignalSpy>> finished;
        for (auto &b : benches) {
            finished.push_back(
                std::make_unique<QSignalSpy>(b->job.get(), &ProvisioningJob::finished));
            b->job->start();
        }
        for (size_t i = 0; i < benches.size(); ++i) {
            QVERIFY(finished[i]->size() > 0 || finished[i]->wait(20000));
            QVERIFY2(finished[i]->first().at(0).toBool(),
                qPrintable(finished[i]->first().at(1).toString()));
            QVERIFY2(benches[i]->target->auditProblems().isEmpty(),
                qPrintable(benches[i]->target->auditProblems().join(u'\n')));
        }
        for (auto &b : benches) {
            Agent *agent = b->device->enrollment();
            QVERIFY(agent);
            QTRY_VERIFY2_WITH_TIMEOUT(
                agent->state() == Agent::State::CheckedIn || agent->state() == Agent::State::Failed,
                qPrintable(Agent::stateName(agent->state())), 20000);
            QVERIFY2(agent->state() == Agent::State::CheckedIn, qPrintable(agent->failureReason()));
            QCOMPARE(agent->deviceId(), b->id);
        }
        qInfo("3 devices from bootstrap to checked-in in %lld ms", clock.elapsed());

        for (auto &b : benches) {
            // The inventory follows the device.
            QTRY_COMPARE_WITH_TIMEOUT(
                m_store->inventory().get(b->id).value_or(store::InventoryDevice{}).state,
                QStringLiteral("checked-in"), 5000);
            // Every step is in the audit log, the writes with their outcomes.
            const QStringList kinds = kindsFor(b->id);
            for (const char *kind : {"token.issued", "enroll.request", "cert.issued", "checkin",
                     "intent.write", "outcome.write"})
                QVERIFY2(kinds.contains(QLatin1String(kind)),
                    qPrintable(QStringLiteral("%1 lacks %2: %3")
                                   .arg(b->id, QLatin1String(kind), kinds.join(u' '))));
            QCOMPARE(kinds.count(QStringLiteral("intent.write")),
                kinds.count(QStringLiteral("outcome.write")));
            QCOMPARE(kinds.count(QStringLiteral("intent.write")), b->plan.size());

            // The certificate the device keeps chains to the workspace CA, names
            // the device and holds the key the device made for itself.
            const auto pem = b->device->files().value(QString::fromLatin1(Agent::kCertificateFile));
            QVERIFY(!pem.isEmpty());
            auto cert = crypto::Certificate::parse(pem);
            QVERIFY(cert);
            QVERIFY(cert->isIssuedBy(m_ca->certificate()));
            QCOMPARE(cert->commonName(), b->id);
            QCOMPARE(cert->publicKeyFingerprint(), b->device->enrollment()->publicKeyFingerprint());
            // ... and the inventory names it, for the board's report and labels.
            QCOMPARE(m_store->inventory().get(b->id)->fingerprints.value(0), cert->fingerprint());

            // No private key was ever on the bench: none planned, none handed out.
            for (const PlanItem &item : b->plan)
                QVERIFY(item.source != PlanItem::Source::GeneratedKey);
            const auto given = b->material->given();
            for (auto it = given.cbegin(); it != given.cend(); ++it)
                QVERIFY2(!it.value().contains("PRIVATE KEY"), qPrintable(it.key()));
            // The token went to the device, and nowhere into the audit log.
            const QByteArray token = given.value(QStringLiteral("est-token"));
            QVERIFY(!token.isEmpty());
            QCOMPARE(
                b->device->settings().saved().value(QStringLiteral("provbench/est/token")), token);
            auto all = m_store->audit().records();
            QVERIFY(all);
            for (const auto &r : *all) {
                QVERIFY(!r.details.contains(token));
                QVERIFY(!r.details.contains("PRIVATE KEY"));
            }
        }
        auto verified = m_store->audit().verify();
        QVERIFY(verified);
        QVERIFY2(verified->ok(), qPrintable(verified->message));
    }

    void expiredToken_failsWithItsReason()
    {
        ExpiredIssuer expired(*m_tokens);
        auto b = provision(5, QStringLiteral("DYN-EXPIRED"), &expired);
        QVERIFY(b);
        QSignalSpy finished(b->job.get(), &ProvisioningJob::finished);
        b->job->start();
        QVERIFY(finished.wait(20000));
        // The bench wrote and verified the bootstrap: it cannot know the token
        // is stale; the device finds out when it enrolls.
        QVERIFY2(finished.first().at(0).toBool(), qPrintable(finished.first().at(1).toString()));
        Agent *agent = b->device->enrollment();
        QTRY_COMPARE_WITH_TIMEOUT(agent->state(), Agent::State::Failed, 20000);
        QVERIFY2(agent->failureReason().contains(QLatin1String("401")),
            qPrintable(agent->failureReason()));
        QVERIFY2(agent->failureReason().contains(QLatin1String("Expired")),
            qPrintable(agent->failureReason()));
        QVERIFY(!b->device->files().contains(QString::fromLatin1(Agent::kCertificateFile)));

        store::AuditFilter f;
        f.deviceId = b->id;
        f.kind = QStringLiteral("failure");
        auto failures = m_store->audit().records(f);
        QVERIFY(failures);
        QVERIFY(!failures->isEmpty());
        const QString reason = QJsonDocument::fromJson(failures->last().details)
                                   .object()
                                   .value(QStringLiteral("reason"))
                                   .toString();
        QVERIFY2(reason.contains(QLatin1String("Expired")), qPrintable(reason));

        auto device = m_store->inventory().get(b->id);
        QVERIFY(device);
        QCOMPARE(device->state, QStringLiteral("failed"));
        auto verified = m_store->audit().verify();
        QVERIFY(verified && verified->ok());
    }
};

QTEST_GUILESS_MAIN(tst_DynamicOnboarding)
#include "tst_dynamiconboarding.moc"
