#include "app/onboarding/enrollment/estservice.h"

#include "app/protocol/est/estcodec.h"
#include "app/storage/store/store.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

namespace provbench::enrollment {

namespace {

const QByteArray kEnroll = "/.well-known/est/simpleenroll";
const QByteArray kReenroll = "/.well-known/est/simplereenroll";
const QByteArray kCaCerts = "/.well-known/est/cacerts";
const QByteArray kCheckin = "/provbench/v1/checkin";
const QByteArray kText = "text/plain; charset=utf-8";
const QByteArray kChallenge = "WWW-Authenticate: Basic realm=\"ProvBench EST\"";

// The subject's single CN; nullopt when there is none or more than one.
std::optional<QString> commonNameOf(const X509_NAME *name)
{
    if (!name)
        return std::nullopt;
    const int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
    if (index < 0 || X509_NAME_get_index_by_NID(name, NID_commonName, index) >= 0)
        return std::nullopt;
    const ASN1_STRING *data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
    unsigned char *utf8 = nullptr;
    const int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0)
        return std::nullopt;
    QString cn = QString::fromUtf8(reinterpret_cast<const char *>(utf8), length);
    OPENSSL_free(utf8);
    return cn;
}

// What a client sent as an id, safe to put in a record: bounded and printable.
QString boundedId(const QString &id)
{
    QString out = id.left(64);
    for (QChar &c : out) {
        if (!c.isPrint())
            c = u'?';
    }
    return out;
}

} // namespace

EstService::EstService(const crypto::CertificateAuthority &ca, store::Store &store,
    TokenService &tokens, EstServiceOptions options)
    : m_ca(ca),
      m_store(store),
      m_tokens(tokens),
      m_options(std::move(options)),
      m_approvals(store),
      m_certificates(store)
{
    if (auto body = est::encodeCertsOnlyBody(m_ca.chain()))
        m_cacertsBody = *body;
}

EstResponse EstService::handle(const est::HttpRequest &request, const EstPeer &peer)
{
    const bool post = request.method == "POST";
    auto onlyMethod = [&](const char *allowed) {
        return EstResponse{405, kText,
            QByteArray("Use ") + allowed + " for " + request.path + ".\n",
            {QByteArray("Allow: ") + allowed}};
    };
    if (request.path == kCaCerts)
        return request.method == "GET" ? cacerts() : onlyMethod("GET");
    if (request.path == kEnroll || request.path == kReenroll)
        return post ? enroll(request, peer, request.path == kReenroll) : onlyMethod("POST");
    if (request.path == kCheckin)
        return post ? checkin(request, peer) : onlyMethod("POST");
    return EstResponse{404, kText,
        "Not found: this server answers /.well-known/est/cacerts, simpleenroll, simplereenroll "
        "and /provbench/v1/checkin.\n",
        {}};
}

EstResponse EstService::refuse(const est::HttpError &error, const EstPeer &peer)
{
    return failure(error.status, QString(), error.reason, peer);
}

EstResponse EstService::cacerts()
{
    if (m_cacertsBody.isEmpty())
        return EstResponse{500, kText, "The CA certificate could not be encoded.\n", {}};
    return EstResponse{200, est::kCaCertsType, m_cacertsBody, {}};
}

EstResponse EstService::failure(int status, const QString &deviceId, const QString &reason,
    const EstPeer &peer, bool markDeviceFailed, const QList<QByteArray> &headers)
{
    QJsonObject details{{QStringLiteral("status"), status}, {QStringLiteral("reason"), reason},
        {QStringLiteral("peer"), peer.address}};
    if (auto ok = m_store.audit().append(QStringLiteral("failure"), deviceId, details); !ok)
        qWarning("EST: could not audit a refused request: %s", qUtf8Printable(ok.error().message));
    if (markDeviceFailed)
        setState(deviceId, QStringLiteral("failed"), reason);
    return EstResponse{status, kText, reason.toUtf8() + '\n', headers};
}

std::optional<QString> EstService::currentCertificateProblem(
    const crypto::Certificate &cert, const QString &deviceId, bool requireCurrent)
{
    if (!cert.isIssuedBy(m_ca.certificate()))
        return QStringLiteral("The client certificate was not issued by this workspace's CA.");
    const QDateTime now = m_tokens.now();
    if (now < cert.notBefore() || now > cert.notAfter())
        return QStringLiteral("The client certificate is not valid now (%1 to %2).")
            .arg(cert.notBefore().toString(Qt::ISODate), cert.notAfter().toString(Qt::ISODate));
    if (!requireCurrent)
        return std::nullopt;
    auto current = m_certificates.current(deviceId);
    if (!current)
        return current.error().message;
    if (!*current || (*current)->fingerprint != cert.fingerprint())
        return QStringLiteral("The client certificate is not the current certificate of device "
                              "%1; use the certificate it was issued last.")
            .arg(deviceId);
    return std::nullopt;
}

std::optional<EstService::Identity> EstService::authenticate(
    const est::HttpRequest &request, const EstPeer &peer, bool reenroll, EstResponse &response)
{
    const std::optional<QByteArray> authorization = request.header("authorization");
    if (reenroll || !authorization) {
        if (!peer.certificate) {
            response = failure(401, QString(),
                reenroll ? QStringLiteral("Re-enrollment needs the device's current certificate "
                                          "as the TLS client certificate.")
                         : QStringLiteral("Authenticate with HTTP Basic (device id and enrollment "
                                          "token) or a client certificate from the workspace CA."),
                peer, false, {kChallenge});
            return std::nullopt;
        }
        const QString deviceId = peer.certificate->commonName();
        std::optional<QString> problem;
        problem = currentCertificateProblem(*peer.certificate, deviceId, reenroll);
        if (!problem && !m_store.inventory().get(deviceId)) {
            problem = QStringLiteral("The client certificate names device %1, which is not in "
                                     "the inventory.")
                          .arg(boundedId(deviceId));
        }
        if (problem) {
            response = failure(401, boundedId(deviceId), *problem, peer, false, {kChallenge});
            return std::nullopt;
        }
        return Identity{deviceId, QStringLiteral("certificate"), QString()};
    }
    const std::optional<est::BasicCredentials> basic = est::parseBasicAuth(*authorization);
    if (!basic || basic->user.isEmpty()) {
        response = failure(401, QString(),
            QStringLiteral("The Authorization header is not HTTP Basic credentials."), peer, false,
            {kChallenge});
        return std::nullopt;
    }
    const QString deviceId = boundedId(basic->user);
    auto checked = m_tokens.check(basic->user, basic->password);
    if (!checked) {
        response = failure(500, deviceId, checked.error().message, peer);
        return std::nullopt;
    }
    switch (checked->verdict) {
    case TokenVerdict::Valid:
        return Identity{basic->user, QStringLiteral("token"), checked->id};
    case TokenVerdict::Unknown:
        response = failure(401, deviceId,
            QStringLiteral("Wrong or unknown enrollment token for device %1.").arg(deviceId), peer,
            false, {kChallenge});
        break;
    case TokenVerdict::Expired: {
        // A device whose token ran out before it enrolled is stuck until a new
        // token is written: the inventory says so. One that already holds a
        // certificate is not set back by a stale request.
        const auto known = m_store.inventory().get(deviceId);
        const bool notYetEnrolled
            = known && known->state != u"enrolled" && known->state != u"checked-in";
        response = failure(401, deviceId,
            QStringLiteral("Expired enrollment token %1 for device %2 (expired %3); issue a new "
                           "one with 'provbench-cli token issue --device %2'.")
                .arg(checked->id, deviceId, checked->expiresAt.toString(Qt::ISODate)),
            peer, notYetEnrolled, {kChallenge});
        break;
    }
    case TokenVerdict::Replayed:
        response = failure(401, deviceId,
            QStringLiteral("Replayed enrollment token %1 for device %2: it was already used "
                           "(by %3).")
                .arg(checked->id, deviceId, checked->usedBy),
            peer, false, {kChallenge});
        break;
    }
    return std::nullopt;
}

EstResponse EstService::enroll(const est::HttpRequest &request, const EstPeer &peer, bool reenroll)
{
    EstResponse refused;
    const std::optional<Identity> who = authenticate(request, peer, reenroll, refused);
    if (!who)
        return refused;
    const QString &id = who->deviceId;
    QJsonObject details{
        {QStringLiteral("operation"),
            reenroll ? QStringLiteral("simplereenroll") : QStringLiteral("simpleenroll")},
        {QStringLiteral("auth"), who->method}, {QStringLiteral("peer"), peer.address}};
    if (!who->tokenId.isEmpty())
        details.insert(QStringLiteral("token_id"), who->tokenId);
    if (auto ok = m_store.audit().append(QStringLiteral("enroll.request"), id, details); !ok)
        return EstResponse{500, kText, ok.error().message.toUtf8() + '\n', {}};

    const QByteArray type = request.header("content-type").value_or(QByteArray());
    if (type.split(';').first().trimmed().toLower() != est::kCsrType)
        return failure(415, id,
            QStringLiteral("Send the CSR with Content-Type: application/pkcs10."), peer, true);
    auto csr = est::decodeCsrBody(request.body);
    if (!csr)
        return failure(
            400, id, QStringLiteral("Malformed CSR: %1").arg(csr.error().message), peer, true);
    if (!csr->verifySignature())
        return failure(400, id,
            QStringLiteral("The CSR's signature does not verify with its own key."), peer, true);
    const std::optional<QString> cn = commonNameOf(csr->subjectName());
    if (!cn || *cn != id)
        return failure(400, id,
            QStringLiteral("The CSR's subject CN must be the device id %1; it is %2.")
                .arg(id, cn ? boundedId(*cn) : QStringLiteral("missing or repeated")),
            peer, true);
    auto key = csr->publicKey();
    if (!key)
        return failure(400, id, key.error().message, peer, true);
    const std::optional<profiles::DynamicSettings> settings = settingsFor(id);
    if (auto violation = keyPolicyViolation(*key, settings))
        return failure(400, id, *violation, peer, true);
    const int days = settings ? settings->certificateLifetimeDays : m_options.defaultLifetimeDays;
    auto der = csr->toDer();
    if (!der)
        return failure(400, id, der.error().message, peer, true);

    const bool approval = m_options.manualApproval || (settings && settings->est.manualApproval);
    if (approval) {
        const QString fingerprint = crypto::sha256Fingerprint(*der);
        auto existing = m_approvals.find(id, fingerprint);
        if (!existing)
            return failure(500, id, existing.error().message, peer);
        std::optional<EnrollmentRequest> held = *existing;
        if (held && held->state == EnrollmentRequest::State::Denied)
            return failure(403, id,
                QStringLiteral("Enrollment request %1 of device %2 was denied by %3; enroll "
                               "again with a new key once the device is cleared.")
                    .arg(held->id)
                    .arg(id, held->decidedBy),
                peer, true);
        if (!held) {
            auto submitted = m_approvals.submit(id, *der);
            if (!submitted)
                return failure(500, id, submitted.error().message, peer);
            held = *submitted;
            setState(id, QStringLiteral("pending-approval"));
        }
        if (held->state == EnrollmentRequest::State::Pending)
            return EstResponse{202, kText,
                QStringLiteral("Enrollment request %1 is waiting for approval; retry later.\n")
                    .arg(held->id)
                    .toUtf8(),
                {"Retry-After: " + QByteArray::number(m_options.retryAfterSeconds)}};
    }
    return issue(*who, *csr, *der, peer, days);
}

EstResponse EstService::issue(const Identity &who, const crypto::CertificateRequest &csr,
    const QByteArray &csrDer, const EstPeer &peer, int lifetimeDays)
{
    const QString &id = who.deviceId;
    const QString csrFingerprint = crypto::sha256Fingerprint(csrDer);
    auto intent = m_store.audit().appendIntent(QStringLiteral("sign"), id,
        QJsonObject{{QStringLiteral("csr_sha256"), csrFingerprint},
            {QStringLiteral("ca_sha256"), m_ca.certificate().fingerprint()},
            {QStringLiteral("days"), lifetimeDays}});
    if (!intent)
        return failure(500, id, intent.error().message, peer);
    crypto::IssueOptions options;
    options.subject = QStringLiteral("CN=") + id;
    options.days = lifetimeDays;
    options.clientAuth = true;
    auto cert = m_ca.issue(csr, options);
    if (!cert) {
        (void)m_store.audit().appendOutcome(*intent, false, cert.error().message);
        return failure(500, id, cert.error().message, peer, true);
    }
    if (!who.tokenId.isEmpty()) {
        auto consumed = m_tokens.consume(who.tokenId, peer.address);
        if (!consumed || !*consumed) {
            const QString reason = consumed
                ? QStringLiteral("Replayed enrollment token %1 for device %2: another request "
                                 "used it first.")
                      .arg(who.tokenId, id)
                : consumed.error().message;
            (void)m_store.audit().appendOutcome(*intent, false,
                QStringLiteral("The certificate was not handed out: %1").arg(reason),
                QJsonObject{{QStringLiteral("cert_sha256"), cert->fingerprint()}});
            return failure(consumed ? 401 : 500, id, reason, peer, false, {kChallenge});
        }
    }
    (void)m_store.audit().appendOutcome(*intent, true, QStringLiteral("issued"),
        QJsonObject{{QStringLiteral("cert_sha256"), cert->fingerprint()}});
    if (auto ok = m_certificates.setCurrent(id, *cert); !ok)
        return failure(500, id, ok.error().message, peer);
    // For the board's report and labels. A device enrolled with a claim
    // certificate may not be in the inventory: nothing to update then.
    if (auto ok = m_store.inventory().addFingerprint(id, cert->fingerprint());
        !ok && ok.error().code != Error::Code::NotFound)
        qWarning("EST: could not record the certificate of %s in the inventory: %s",
            qUtf8Printable(id), qUtf8Printable(ok.error().message));
    auto audited = m_store.audit().append(QStringLiteral("cert.issued"), id,
        QJsonObject{{QStringLiteral("serial"), cert->serialHex()},
            {QStringLiteral("cert_sha256"), cert->fingerprint()},
            {QStringLiteral("not_after"), cert->notAfter().toString(Qt::ISODate)},
            {QStringLiteral("auth"), who.method}, {QStringLiteral("peer"), peer.address}});
    if (!audited)
        qWarning("EST: could not audit an issued certificate: %s",
            qUtf8Printable(audited.error().message));
    setState(id, QStringLiteral("enrolled"));
    auto body = est::encodeCertsOnlyBody({*cert});
    if (!body)
        return failure(500, id, body.error().message, peer);
    return EstResponse{200, est::kCertsOnlyType, *body, {}};
}

EstResponse EstService::checkin(const est::HttpRequest &request, const EstPeer &peer)
{
    if (!peer.certificate)
        return failure(401, QString(),
            QStringLiteral("Check-in needs the device's current certificate as the TLS client "
                           "certificate."),
            peer);
    const QString id = peer.certificate->commonName();
    if (auto problem = currentCertificateProblem(*peer.certificate, id))
        return failure(401, boundedId(id), *problem, peer);
    QJsonObject details{{QStringLiteral("peer"), peer.address},
        {QStringLiteral("cert_sha256"), peer.certificate->fingerprint()}};
    if (!request.body.trimmed().isEmpty()) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return failure(400, id,
                QStringLiteral("The check-in body must be a JSON object (or empty)."), peer);
        for (const char *field : {"firmware", "hardware", "ip"}) {
            const QJsonValue v = doc.object().value(QLatin1StringView(field));
            if (v.isString())
                details.insert(QLatin1StringView(field), v.toString().left(128));
        }
    }
    if (auto ok = m_store.audit().append(QStringLiteral("checkin"), id, details); !ok)
        return EstResponse{500, kText, ok.error().message.toUtf8() + '\n', {}};
    setState(id, QStringLiteral("checked-in"));
    const QByteArray body
        = QJsonDocument(QJsonObject{{QStringLiteral("device"), id},
                            {QStringLiteral("state"), QStringLiteral("checked-in")}})
              .toJson(QJsonDocument::Compact);
    return EstResponse{200, "application/json", body, {}};
}

} // namespace provbench::enrollment
