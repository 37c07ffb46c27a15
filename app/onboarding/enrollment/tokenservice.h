#pragma once

#include "app/core/error.h"

#include <QDateTime>
#include <QList>
#include <QString>

#include <chrono>
#include <functional>

namespace provbench::store {
class Store;
}

// One-time enrollment tokens (table enrollment_tokens, docs/est.md).
//
// A token is 32 bytes from the CSPRNG (RAND_bytes), base64url without
// padding: 43 characters, 256 bits. Only its SHA-256 is stored; the token
// itself exists in the caller's hands once and is never logged or audited.
// A token belongs to one device, expires, and is either single use (the
// default: consumed when a certificate is issued for it; any later use is a
// replay) or reusable until it expires.
namespace provbench::enrollment {

struct IssuedToken
{
    QString token; // the secret: hand it to the device, never log it
    QString id;    // public id (16 hex digits) for audit records and lists
    QString deviceId;
    QDateTime expiresAt;
    bool singleUse = true;
};

enum class TokenVerdict {
    Valid,    // may be used now
    Unknown,  // no such token for this device (wrong or made up)
    Expired,  // was valid, is past its expiry
    Replayed, // single use and already consumed
};

struct TokenCheck
{
    TokenVerdict verdict = TokenVerdict::Unknown;
    QString id; // empty for Unknown
    QDateTime expiresAt;
    QString usedBy; // Replayed: the peer that consumed it
};

// A token as listed (never the secret, never its hash).
struct TokenRecord
{
    QString id;
    QString deviceId;
    QDateTime createdAt;
    QDateTime expiresAt;
    bool singleUse = true;
    QDateTime usedAt; // invalid: not used yet
    QString usedBy;   // the peer that used it last
};

class TokenService
{
public:
    explicit TokenService(store::Store &store);

    // Tests move time; production uses the system clock (UTC).
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }
    QDateTime now() const { return m_clock(); }

    // A new token for `deviceId`, recorded as "token.issued" (id, expiry,
    // single use; never the token). ttl must be positive.
    Result<IssuedToken> issue(
        const QString &deviceId, std::chrono::seconds ttl, bool singleUse = true);

    // Judges a token offered by `deviceId` without changing anything.
    Result<TokenCheck> check(const QString &deviceId, QByteArrayView token) const;
    // Marks a checked token used by `peer`. A single-use token is consumed
    // at most once even when two requests race: false means another request
    // consumed it first (a replay).
    Result<bool> consume(const QString &tokenId, const QString &peer);
    // check() and, when valid, consume(): the verdict after both.
    Result<TokenCheck> redeem(const QString &deviceId, QByteArrayView token, const QString &peer);

    // The newest tokens first (all devices when `deviceId` is empty), at most `limit`.
    Result<QList<TokenRecord>> recent(const QString &deviceId = {}, int limit = 50) const;

    // SHA-256 of the token, lower-case hex: what the table stores.
    static QString hashToken(QByteArrayView token);

private:
    store::Store &m_store;
    std::function<QDateTime()> m_clock;
};

} // namespace provbench::enrollment
