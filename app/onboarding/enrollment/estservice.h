#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"
#include "app/crypto/certificateauthority.h"
#include "app/onboarding/enrollment/approvalqueue.h"
#include "app/onboarding/enrollment/devicecertificates.h"
#include "app/onboarding/enrollment/tokenservice.h"
#include "app/profiles/profile.h"
#include "app/protocol/est/httpparser.h"

#include <QByteArray>
#include <QList>

#include <functional>
#include <optional>

namespace provbench::store {
class Store;
}

// The EST enrollment logic (RFC 7030 subset, docs/est.md): one HTTP request
// and what the TLS layer knows of the peer in, one response out. No sockets,
// no timers: EstServer feeds it, tests call it directly.
//
//   GET  /.well-known/est/cacerts          the workspace CA, certs-only PKCS#7
//   POST /.well-known/est/simpleenroll     Basic (device id + one-time token)
//                                          or a client certificate from the CA
//   POST /.well-known/est/simplereenroll   the device's current certificate
//   POST /provbench/v1/checkin             the device's current certificate
//
// Every request is audited ("enroll.request", "intent.sign"/"outcome.sign",
// "cert.issued", "checkin", "failure" with the reason) and moves the device's
// inventory state ("pending-approval", "enrolled", "checked-in", "failed").
// Tokens, passwords and request bodies never reach the audit log.
namespace provbench::enrollment {

struct EstPeer
{
    QString address; // "127.0.0.1:53422", for the audit log
    // The verified TLS client certificate chain's leaf, if the client sent one.
    std::optional<crypto::Certificate> certificate;
};

struct EstResponse
{
    int status = 500;
    QByteArray contentType;
    QByteArray body;
    QList<QByteArray> headers; // "Name: value"

    QByteArray toHttp(bool keepAlive) const;
};

struct EstServiceOptions
{
    // Hold every enrollment for approval, whatever the device's profile says.
    bool manualApproval = false;
    // Validity of issued certificates when the device has no dynamic profile.
    int defaultLifetimeDays = 365;
    // The device's profile by the name stored in the inventory; nullopt when
    // the device has none or it cannot be found (then the default policy
    // applies: EC P-256/P-384, Ed25519, RSA >= 2048).
    std::function<std::optional<profiles::Profile>(const QString &name)> profileLookup;
    int retryAfterSeconds = 10;
};

class EstService
{
public:
    EstService(const crypto::CertificateAuthority &ca, store::Store &store, TokenService &tokens,
        EstServiceOptions options = {});

    EstResponse handle(const est::HttpRequest &request, const EstPeer &peer);
    // A request the HTTP parser refused: audited as a failure, answered with
    // its status (the connection is closed afterwards).
    EstResponse refuse(const est::HttpError &error, const EstPeer &peer);

    ApprovalQueue &approvals() { return m_approvals; }
    DeviceCertificates &certificates() { return m_certificates; }

    // What the profile allows: nullopt when `key` is acceptable, else the
    // reason. RSA below 2048 bits is refused whatever the profile says.
    static std::optional<QString> keyPolicyViolation(
        const crypto::Key &key, const std::optional<profiles::DynamicSettings> &settings);

private:
    struct Identity
    {
        QString deviceId;
        QString method; // "token" or "certificate"
        QString tokenId;
    };
    EstResponse cacerts();
    EstResponse enroll(const est::HttpRequest &request, const EstPeer &peer, bool reenroll);
    EstResponse checkin(const est::HttpRequest &request, const EstPeer &peer);
    // Authenticates the request; on failure `response` is the answer.
    std::optional<Identity> authenticate(
        const est::HttpRequest &request, const EstPeer &peer, bool reenroll, EstResponse &response);
    // The peer certificate is from our CA, valid now, and (requireCurrent)
    // the device's current one.
    std::optional<QString> currentCertificateProblem(
        const crypto::Certificate &cert, const QString &deviceId, bool requireCurrent = true);
    EstResponse issue(const Identity &who, const crypto::CertificateRequest &csr,
        const QByteArray &csrDer, const EstPeer &peer, int lifetimeDays);
    EstResponse failure(int status, const QString &deviceId, const QString &reason,
        const EstPeer &peer, bool markDeviceFailed = false, const QList<QByteArray> &headers = {});
    std::optional<profiles::DynamicSettings> settingsFor(const QString &deviceId);
    void setState(const QString &deviceId, const QString &state, const QString &reason = {});

    const crypto::CertificateAuthority &m_ca;
    store::Store &m_store;
    TokenService &m_tokens;
    EstServiceOptions m_options;
    ApprovalQueue m_approvals;
    DeviceCertificates m_certificates;
    QByteArray m_cacertsBody;
};

} // namespace provbench::enrollment
