#include "app/onboarding/enrollment/tokenservice.h"

#include "app/crypto/aead.h"
#include "app/crypto/opensslutil.h"
#include "app/storage/store/store.h"

#include <QJsonObject>

namespace provbench::enrollment {

namespace {

constexpr int kTokenBytes = 32;

QString stamp(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

TokenService::TokenService(store::Store &store)
    : m_store(store), m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
}

QString TokenService::hashToken(QByteArrayView token)
{
    return QString::fromLatin1(crypto::sha256(token.toByteArray()).toHex());
}

Result<IssuedToken> TokenService::issue(
    const QString &deviceId, std::chrono::seconds ttl, bool singleUse)
{
    if (deviceId.trimmed().isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("Name the device the enrollment token is for."));
    if (ttl.count() <= 0)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("An enrollment token needs a positive lifetime."));
    const QByteArray raw = crypto::randomBytes(kTokenBytes);
    const QByteArray idBytes = crypto::randomBytes(8);
    if (raw.size() != kTokenBytes || idBytes.size() != 8)
        return fail(Error::Code::Io,
            QStringLiteral("The random number generator failed; no token was issued. Try again."));
    IssuedToken t;
    t.token = QString::fromLatin1(
        raw.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    t.id = QString::fromLatin1(idBytes.toHex());
    t.deviceId = deviceId;
    const QDateTime created = now();
    t.expiresAt = created.addSecs(ttl.count());
    t.singleUse = singleUse;
    auto row = m_store.database().exec(
        QStringLiteral("INSERT INTO enrollment_tokens (id, device_id, token_hash, created_at, "
                       "expires_at, single_use) VALUES (?, ?, ?, ?, ?, ?)"),
        {t.id, deviceId, hashToken(t.token.toLatin1()), stamp(created), stamp(t.expiresAt),
            singleUse ? 1 : 0});
    if (!row)
        return std::unexpected(row.error());
    auto audited = m_store.audit().append(QStringLiteral("token.issued"), deviceId,
        QJsonObject{{QStringLiteral("token_id"), t.id},
            {QStringLiteral("expires_at"), stamp(t.expiresAt)},
            {QStringLiteral("single_use"), singleUse}});
    if (!audited)
        return std::unexpected(audited.error());
    return t;
}

Result<TokenCheck> TokenService::check(const QString &deviceId, QByteArrayView token) const
{
    TokenCheck result;
    if (token.isEmpty() || token.size() > 256)
        return result;
    auto q = m_store.database().exec(
        QStringLiteral("SELECT id, device_id, expires_at, single_use, used_at, used_by_peer "
                       "FROM enrollment_tokens WHERE token_hash = ?"),
        {hashToken(token)});
    if (!q)
        return std::unexpected(q.error());
    if (!q->next() || q->value(1).toString() != deviceId)
        return result;
    result.id = q->value(0).toString();
    result.expiresAt = QDateTime::fromString(q->value(2).toString(), Qt::ISODateWithMs);
    const bool singleUse = q->value(3).toInt() != 0;
    const bool used = !q->value(4).isNull() && !q->value(4).toString().isEmpty();
    if (singleUse && used) {
        result.verdict = TokenVerdict::Replayed;
        result.usedBy = q->value(5).toString();
    } else if (!result.expiresAt.isValid() || result.expiresAt <= now()) {
        result.verdict = TokenVerdict::Expired;
    } else {
        result.verdict = TokenVerdict::Valid;
    }
    return result;
}

Result<QList<TokenRecord>> TokenService::recent(const QString &deviceId, int limit) const
{
    const QString where = deviceId.isEmpty() ? QString() : QStringLiteral(" WHERE device_id = ?");
    QVariantList values;
    if (!deviceId.isEmpty())
        values.append(deviceId);
    values.append(std::max(1, limit));
    auto q = m_store.database().exec(
        QStringLiteral("SELECT id, device_id, created_at, expires_at, single_use, used_at, "
                       "used_by_peer FROM enrollment_tokens%1 ORDER BY created_at DESC, id "
                       "LIMIT ?")
            .arg(where),
        values);
    if (!q)
        return std::unexpected(q.error());
    QList<TokenRecord> list;
    while (q->next()) {
        TokenRecord r;
        r.id = q->value(0).toString();
        r.deviceId = q->value(1).toString();
        r.createdAt = QDateTime::fromString(q->value(2).toString(), Qt::ISODateWithMs);
        r.expiresAt = QDateTime::fromString(q->value(3).toString(), Qt::ISODateWithMs);
        r.singleUse = q->value(4).toInt() != 0;
        if (!q->value(5).isNull())
            r.usedAt = QDateTime::fromString(q->value(5).toString(), Qt::ISODateWithMs);
        r.usedBy = q->value(6).toString();
        list.append(r);
    }
    return list;
}

Result<bool> TokenService::consume(const QString &tokenId, const QString &peer)
{
    // The condition makes the update the arbiter: of two racing requests
    // only one changes the row of a single-use token.
    auto changed = m_store.database().execAffected(
        QStringLiteral("UPDATE enrollment_tokens SET used_at = ?, used_by_peer = ? "
                       "WHERE id = ? AND (single_use = 0 OR used_at IS NULL)"),
        {stamp(now()), peer, tokenId});
    if (!changed)
        return std::unexpected(changed.error());
    return *changed == 1;
}

Result<TokenCheck> TokenService::redeem(
    const QString &deviceId, QByteArrayView token, const QString &peer)
{
    auto checked = check(deviceId, token);
    if (!checked || checked->verdict != TokenVerdict::Valid)
        return checked;
    auto consumed = consume(checked->id, peer);
    if (!consumed)
        return std::unexpected(consumed.error());
    if (!*consumed)
        checked->verdict = TokenVerdict::Replayed;
    return checked;
}

} // namespace provbench::enrollment
