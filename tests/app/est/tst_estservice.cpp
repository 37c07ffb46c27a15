// EstService without sockets: requests in, responses out, against a real
// workspace CA and a SQLite store in a temporary folder.
#include "app/crypto/certificateauthority.h"
#include "app/onboarding/enrollment/estservice.h"
#include "app/protocol/est/estcodec.h"
#include "app/storage/store/store.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::enrollment;

namespace {

const QByteArray kPass = "correct horse battery staple";

est::HttpRequest post(const QByteArray &path, const QByteArray &body,
    const std::optional<QByteArray> &authorization = {})
{
    est::HttpRequest r;
    r.method = "POST";
    r.target = path;
    r.path = path;
    r.headers.append(std::pair<QByteArray, QByteArray>("host", "localhost"));
    r.headers.append(std::pair<QByteArray, QByteArray>("content-type", "application/pkcs10"));
    if (authorization)
        r.headers.append(std::pair<QByteArray, QByteArray>("authorization", *authorization));
    r.body = body;
    return r;
}

QByteArray csrBody(
    const QString &cn, profiles::KeyAlgorithm algorithm, crypto::Key *keyOut = nullptr)
{
    auto key = crypto::Key::generate(algorithm);
    auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("CN=") + cn);
    if (keyOut)
        *keyOut = *key;
    return est::encodeCsrBody(*csr);
}

const QByteArray kEnroll = "/.well-known/est/simpleenroll";
const QByteArray kReenroll = "/.well-known/est/simplereenroll";

} // namespace

class tst_EstService : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::optional<Workspace> m_ws;
    std::optional<Vault> m_vault;
    std::optional<crypto::CertificateAuthority> m_ca;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<TokenService> m_tokens;
    std::unique_ptr<EstService> m_service;
    QDateTime m_now = QDateTime::currentDateTimeUtc();
    std::map<QString, profiles::Profile> m_profiles;
    bool m_manual = false;
    EstPeer m_peer{QStringLiteral("127.0.0.1:40000"), std::nullopt};

    void makeService()
    {
        EstServiceOptions options;
        options.manualApproval = m_manual;
        options.profileLookup = [this](const QString &name) -> std::optional<profiles::Profile> {
            auto it = m_profiles.find(name);
            return it == m_profiles.end() ? std::nullopt : std::optional(it->second);
        };
        m_service = std::make_unique<EstService>(*m_ca, *m_store, *m_tokens, options);
    }

    QString tokenFor(const QString &device, std::chrono::seconds ttl = std::chrono::minutes(5),
        bool singleUse = true, const QString &profile = {})
    {
        store::InventoryDevice d;
        d.id = device;
        d.profile = profile;
        if (!m_store->inventory().upsert(d))
            return QString();
        auto t = m_tokens->issue(device, ttl, singleUse);
        return t ? t->token : QString();
    }

    QByteArray basic(const QString &device, const QString &token)
    {
        return est::basicAuthHeader(device, token.toLatin1());
    }

    qint64 count(const QString &kind, const QString &device = {})
    {
        store::AuditFilter f;
        f.kind = kind;
        f.deviceId = device;
        auto records = m_store->audit().records(f);
        return records ? records->size() : -1;
    }

    QString lastFailureReason()
    {
        store::AuditFilter f;
        f.kind = QStringLiteral("failure");
        auto records = m_store->audit().records(f);
        if (!records || records->isEmpty())
            return QString();
        return QJsonDocument::fromJson(records->last().details)
            .object()
            .value(QStringLiteral("reason"))
            .toString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto ws = Workspace::open(m_dir.path());
        QVERIFY(ws);
        m_ws = *ws;
        auto vault = Vault::create(*m_ws, kPass);
        QVERIFY(vault);
        m_vault = std::move(*vault);
        auto ca = crypto::CertificateAuthority::createRoot(*m_ws, *m_vault, {});
        QVERIFY(ca);
        m_ca = std::move(*ca);
        auto s = store::Store::open(QString(), m_dir.path(), QStringLiteral("tester@bench"));
        QVERIFY2(s, qPrintable(s ? QString() : s.error().message));
        m_store = std::move(*s);
        m_tokens = std::make_unique<TokenService>(*m_store);
        m_tokens->setClock([this] { return m_now; });
    }

    void init()
    {
        m_manual = false;
        m_profiles.clear();
        m_now = QDateTime::currentDateTimeUtc();
        makeService();
    }

    void cacerts_returnsTheCaAsCertsOnly()
    {
        est::HttpRequest r;
        r.method = "GET";
        r.path = "/.well-known/est/cacerts";
        const EstResponse resp = m_service->handle(r, m_peer);
        QCOMPARE(resp.status, 200);
        auto certs = est::decodeCertsOnlyBody(resp.body);
        QVERIFY(certs);
        QCOMPARE(certs->size(), 1);
        QCOMPARE(certs->first().fingerprint(), m_ca->certificate().fingerprint());
    }

    void validToken_issuesACertificateFromTheCa()
    {
        const QString token = tokenFor(QStringLiteral("dev-ok"));
        QCOMPARE(token.size(), 43); // 32 bytes, base64url without padding
        crypto::Key key;
        const EstResponse resp = m_service->handle(
            post(kEnroll, csrBody(QStringLiteral("dev-ok"), profiles::KeyAlgorithm::EcP256, &key),
                basic(QStringLiteral("dev-ok"), token)),
            m_peer);
        QCOMPARE(resp.status, 200);
        auto certs = est::decodeCertsOnlyBody(resp.body);
        QVERIFY(certs);
        QCOMPARE(certs->size(), 1);
        QVERIFY(certs->first().isIssuedBy(m_ca->certificate()));
        QVERIFY(certs->first().matchesKey(key));
        QCOMPARE(certs->first().commonName(), QStringLiteral("dev-ok"));
        QCOMPARE(
            m_store->inventory().get(QStringLiteral("dev-ok"))->state, QStringLiteral("enrolled"));
        QCOMPARE(count(QStringLiteral("cert.issued"), QStringLiteral("dev-ok")), 1);
        QCOMPARE(count(QStringLiteral("enroll.request"), QStringLiteral("dev-ok")), 1);
        // The token never reaches the audit log.
        auto all = m_store->audit().records();
        for (const auto &r : *all)
            QVERIFY(!r.details.contains(token.toLatin1()));
    }

    void replayedToken_isRefusedAndAuditedAsReplay()
    {
        const QString token = tokenFor(QStringLiteral("dev-replay"));
        const QByteArray body
            = csrBody(QStringLiteral("dev-replay"), profiles::KeyAlgorithm::EcP256);
        QCOMPARE(
            m_service
                ->handle(post(kEnroll, body, basic(QStringLiteral("dev-replay"), token)), m_peer)
                .status,
            200);
        const EstResponse again = m_service->handle(
            post(kEnroll, body, basic(QStringLiteral("dev-replay"), token)), m_peer);
        QCOMPARE(again.status, 401);
        QVERIFY2(lastFailureReason().startsWith(u"Replayed"), qPrintable(lastFailureReason()));
    }

    void reusableToken_canBeUsedTwice()
    {
        const QString token = tokenFor(QStringLiteral("dev-reuse"), std::chrono::minutes(5), false);
        for (int i = 0; i < 2; ++i)
            QCOMPARE(m_service
                         ->handle(post(kEnroll,
                                      csrBody(QStringLiteral("dev-reuse"),
                                          profiles::KeyAlgorithm::EcP256),
                                      basic(QStringLiteral("dev-reuse"), token)),
                             m_peer)
                         .status,
                200);
    }

    void wrongToken_andTokenOfAnotherDevice_areUnauthorized()
    {
        const QString token = tokenFor(QStringLiteral("dev-a"));
        tokenFor(QStringLiteral("dev-b"));
        const QByteArray body = csrBody(QStringLiteral("dev-b"), profiles::KeyAlgorithm::EcP256);
        EstResponse resp
            = m_service->handle(post(kEnroll, body, basic(QStringLiteral("dev-b"), token)), m_peer);
        QCOMPARE(resp.status, 401);
        QVERIFY(resp.headers.join().contains("WWW-Authenticate"));
        QVERIFY(lastFailureReason().startsWith(u"Wrong or unknown"));
        resp = m_service->handle(
            post(kEnroll, body, basic(QStringLiteral("dev-b"), QStringLiteral("guess"))), m_peer);
        QCOMPARE(resp.status, 401);
        resp = m_service->handle(post(kEnroll, body), m_peer);
        QCOMPARE(resp.status, 401);
        resp = m_service->handle(post(kEnroll, body, QByteArray("Bearer xyz")), m_peer);
        QCOMPARE(resp.status, 401);
        QVERIFY(!resp.body.contains(token.toLatin1()));
    }

    void expiredToken_isRefusedWithItsOwnReason()
    {
        const QString token = tokenFor(QStringLiteral("dev-exp"), std::chrono::seconds(60));
        m_now = m_now.addSecs(61);
        const EstResponse resp = m_service->handle(
            post(kEnroll, csrBody(QStringLiteral("dev-exp"), profiles::KeyAlgorithm::EcP256),
                basic(QStringLiteral("dev-exp"), token)),
            m_peer);
        QCOMPARE(resp.status, 401);
        QVERIFY2(lastFailureReason().startsWith(u"Expired"), qPrintable(lastFailureReason()));
    }

    void csrChecks_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        QTest::newRow("cn mismatch")
            << csrBody(QStringLiteral("someone-else"), profiles::KeyAlgorithm::EcP256) << 400
            << QStringLiteral("subject CN must be the device id");
        QTest::newRow("key type the profile does not allow") << csrBody(QStringLiteral("dev-csr"),
            profiles::KeyAlgorithm::Ed25519) << 400 << QStringLiteral("allows only EC P-256");
        QTest::newRow("garbage") << QByteArray("not base64 at all!") << 400
                                 << QStringLiteral("Malformed CSR");
        QTest::newRow("base64 of garbage")
            << QByteArray("AAAAAAAA") << 400 << QStringLiteral("Malformed CSR");
        QTest::newRow("empty") << QByteArray() << 400 << QStringLiteral("Malformed CSR");
    }

    void csrChecks()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, reason);
        profiles::Profile p = profiles::defaultProfile(profiles::ProfileKind::Dynamic);
        p.dynamicSettings()->deviceKey = profiles::KeyAlgorithm::EcP256;
        m_profiles[QStringLiteral("p256-only")] = p;
        const QString token = tokenFor(
            QStringLiteral("dev-csr"), std::chrono::minutes(5), true, QStringLiteral("p256-only"));
        const EstResponse resp = m_service->handle(
            post(kEnroll, body, basic(QStringLiteral("dev-csr"), token)), m_peer);
        QCOMPARE(resp.status, status);
        QVERIFY2(QString::fromUtf8(resp.body).contains(reason), resp.body.constData());
        QVERIFY2(lastFailureReason().contains(reason), qPrintable(lastFailureReason()));
        QCOMPARE(
            m_store->inventory().get(QStringLiteral("dev-csr"))->state, QStringLiteral("failed"));
        // A refused CSR does not consume the token.
        QCOMPARE(m_tokens->check(QStringLiteral("dev-csr"), token.toLatin1())->verdict,
            TokenVerdict::Valid);
    }

    void keyPolicy_data()
    {
        QTest::addColumn<int>("algorithm");
        QTest::addColumn<bool>("withProfile");
        QTest::addColumn<bool>("allowed");
        using A = profiles::KeyAlgorithm;
        QTest::newRow("p256 default") << int(A::EcP256) << false << true;
        QTest::newRow("ed25519 default") << int(A::Ed25519) << false << true;
        QTest::newRow("rsa2048 default") << int(A::Rsa2048) << false << true;
        QTest::newRow("p384 with p256 profile") << int(A::EcP384) << true << false;
        QTest::newRow("p256 with p256 profile") << int(A::EcP256) << true << true;
    }

    void keyPolicy()
    {
        QFETCH(int, algorithm);
        QFETCH(bool, withProfile);
        QFETCH(bool, allowed);
        auto key = crypto::Key::generate(profiles::KeyAlgorithm(algorithm));
        QVERIFY(key);
        std::optional<profiles::DynamicSettings> settings;
        if (withProfile)
            settings = profiles::DynamicSettings{};
        QCOMPARE(!EstService::keyPolicyViolation(*key, settings).has_value(), allowed);
    }

    void rsa1024_isAlwaysRefused()
    {
        // Key::generate makes only the profile sizes; build a 1024-bit key directly.
        crypto::PKeyPtr pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t(1024)));
        QVERIFY(pkey);
        crypto::Key key(std::move(pkey));
        auto reason = EstService::keyPolicyViolation(key, std::nullopt);
        QVERIFY(reason);
        QVERIFY(reason->contains(u"2048"));
    }

    void wrongContentType_is415()
    {
        const QString token = tokenFor(QStringLiteral("dev-ct"));
        est::HttpRequest r
            = post(kEnroll, csrBody(QStringLiteral("dev-ct"), profiles::KeyAlgorithm::EcP256),
                basic(QStringLiteral("dev-ct"), token));
        r.headers[1].second = "application/octet-stream";
        QCOMPARE(m_service->handle(r, m_peer).status, 415);
    }

    void manualApproval_202ThenApproveThen200_consumesTokenOnlyAtIssue()
    {
        m_manual = true;
        makeService();
        const QString token = tokenFor(QStringLiteral("dev-appr"));
        const QByteArray body = csrBody(QStringLiteral("dev-appr"), profiles::KeyAlgorithm::EcP256);
        const QByteArray auth = basic(QStringLiteral("dev-appr"), token);
        EstResponse resp = m_service->handle(post(kEnroll, body, auth), m_peer);
        QCOMPARE(resp.status, 202);
        QVERIFY(resp.headers.contains("Retry-After: 10"));
        QCOMPARE(m_store->inventory().get(QStringLiteral("dev-appr"))->state,
            QStringLiteral("pending-approval"));
        // Retrying before a decision: still pending, no second request.
        QCOMPARE(m_service->handle(post(kEnroll, body, auth), m_peer).status, 202);
        auto pending = m_service->approvals().pending();
        QVERIFY(pending);
        QCOMPARE(pending->size(), 1);
        QCOMPARE(m_tokens->check(QStringLiteral("dev-appr"), token.toLatin1())->verdict,
            TokenVerdict::Valid);
        QVERIFY(m_service->approvals().approve(pending->first().id, QStringLiteral("alice")));
        QVERIFY(!m_service->approvals().deny(pending->first().id, QStringLiteral("bob")));
        resp = m_service->handle(post(kEnroll, body, auth), m_peer);
        QCOMPARE(resp.status, 200);
        QCOMPARE(m_tokens->check(QStringLiteral("dev-appr"), token.toLatin1())->verdict,
            TokenVerdict::Replayed);
        QCOMPARE(count(QStringLiteral("enroll.approved"), QStringLiteral("dev-appr")), 1);
    }

    void manualApproval_denied_is403()
    {
        m_manual = true;
        makeService();
        const QString token = tokenFor(QStringLiteral("dev-deny"));
        const QByteArray body = csrBody(QStringLiteral("dev-deny"), profiles::KeyAlgorithm::EcP256);
        const QByteArray auth = basic(QStringLiteral("dev-deny"), token);
        QCOMPARE(m_service->handle(post(kEnroll, body, auth), m_peer).status, 202);
        auto pending = m_service->approvals().pending();
        QVERIFY(m_service->approvals().deny(pending->last().id, QStringLiteral("alice")));
        QCOMPARE(m_service->handle(post(kEnroll, body, auth), m_peer).status, 403);
        QCOMPARE(count(QStringLiteral("cert.issued"), QStringLiteral("dev-deny")), 0);
    }

    void deny_withReason_recordsItInTheDenial()
    {
        m_manual = true;
        makeService();
        const QString token = tokenFor(QStringLiteral("dev-why"));
        const QByteArray body = csrBody(QStringLiteral("dev-why"), profiles::KeyAlgorithm::EcP256);
        QCOMPARE(
            m_service->handle(post(kEnroll, body, basic(QStringLiteral("dev-why"), token)), m_peer)
                .status,
            202);
        const qint64 id = m_service->approvals().pending()->last().id;
        QVERIFY(m_service->approvals().deny(
            id, QStringLiteral("bob"), QStringLiteral(" wrong batch ")));
        store::AuditFilter f;
        f.kind = QStringLiteral("enroll.denied");
        f.deviceId = QStringLiteral("dev-why");
        auto records = m_store->audit().records(f);
        QVERIFY(records && records->size() == 1);
        const QJsonObject details = records->first().detailsObject();
        QCOMPARE(details.value(QStringLiteral("reason")).toString(), QStringLiteral("wrong batch"));
        QCOMPARE(details.value(QStringLiteral("decided_by")).toString(), QStringLiteral("bob"));
    }

    void recentTokens_newestFirst_perDevice_withoutSecrets()
    {
        const QString first = tokenFor(QStringLiteral("dev-list"));
        m_now = m_now.addSecs(1);
        const QString second = tokenFor(QStringLiteral("dev-list"), std::chrono::minutes(5), false);
        m_now = m_now.addSecs(1);
        QVERIFY(!tokenFor(QStringLiteral("dev-other")).isEmpty());
        QVERIFY(m_tokens->redeem(QStringLiteral("dev-list"), first.toLatin1(), m_peer.address));

        auto mine = m_tokens->recent(QStringLiteral("dev-list"));
        QVERIFY(mine);
        QCOMPARE(mine->size(), 2);
        QVERIFY(!mine->at(0).singleUse);
        QVERIFY(!mine->at(0).usedAt.isValid());
        QVERIFY(mine->at(1).singleUse);
        QVERIFY(mine->at(1).usedAt.isValid());
        QCOMPARE(mine->at(1).usedBy, m_peer.address);
        QVERIFY(mine->at(0).createdAt > mine->at(1).createdAt);

        auto all = m_tokens->recent(QString(), 2);
        QVERIFY(all);
        QCOMPARE(all->size(), 2);
        QCOMPARE(all->at(0).deviceId, QStringLiteral("dev-other"));
        Q_UNUSED(second);
    }

    void reenroll_needsTheCurrentCertificate_andCheckinToo()
    {
        const QString token = tokenFor(QStringLiteral("dev-re"));
        EstResponse resp = m_service->handle(
            post(kEnroll, csrBody(QStringLiteral("dev-re"), profiles::KeyAlgorithm::EcP256),
                basic(QStringLiteral("dev-re"), token)),
            m_peer);
        QCOMPARE(resp.status, 200);
        const crypto::Certificate first = est::decodeCertsOnlyBody(resp.body)->first();

        const QByteArray body2 = csrBody(QStringLiteral("dev-re"), profiles::KeyAlgorithm::EcP256);
        QCOMPARE(m_service->handle(post(kReenroll, body2), m_peer).status, 401);
        EstPeer withCert{m_peer.address, first};
        resp = m_service->handle(post(kReenroll, body2), withCert);
        QCOMPARE(resp.status, 200);
        const crypto::Certificate second = est::decodeCertsOnlyBody(resp.body)->first();
        // The old certificate is no longer the device's current one.
        QCOMPARE(m_service->handle(post(kReenroll, body2), withCert).status, 401);

        est::HttpRequest checkin = post("/provbench/v1/checkin", "{\"firmware\":\"1.2.3\"}");
        QCOMPARE(m_service->handle(checkin, withCert).status, 401);
        resp = m_service->handle(checkin, EstPeer{m_peer.address, second});
        QCOMPARE(resp.status, 200);
        QCOMPARE(resp.body, QByteArray(R"({"device":"dev-re","state":"checked-in"})"));
        QCOMPARE(m_store->inventory().get(QStringLiteral("dev-re"))->state,
            QStringLiteral("checked-in"));
        QCOMPARE(count(QStringLiteral("checkin"), QStringLiteral("dev-re")), 1);
        checkin.body = "[1,2]";
        QCOMPARE(m_service->handle(checkin, EstPeer{m_peer.address, second}).status, 400);
    }

    void unknownPathAndMethod()
    {
        est::HttpRequest r;
        r.method = "GET";
        r.path = "/nothing";
        QCOMPARE(m_service->handle(r, m_peer).status, 404);
        r.path = kEnroll;
        QCOMPARE(m_service->handle(r, m_peer).status, 405);
    }

    void oversize_isRefusedByTheParserAndAudited()
    {
        est::HttpParser parser;
        auto result = parser.feed("POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: x\r\n"
                                  "Content-Length: 9999999\r\n\r\n");
        QVERIFY(result.error);
        QCOMPARE(result.error->status, 413);
        const qint64 before = count(QStringLiteral("failure"));
        QCOMPARE(m_service->refuse(*result.error, m_peer).status, 413);
        QCOMPARE(count(QStringLiteral("failure")), before + 1);
    }

    void auditChain_verifiesAfterAll()
    {
        auto v = m_store->audit().verify();
        QVERIFY(v);
        QVERIFY2(v->ok(), qPrintable(v->message));
    }
};

QTEST_GUILESS_MAIN(tst_EstService)
#include "tst_estservice.moc"
