#include "app/crypto/aead.h"

#include "app/crypto/opensslutil.h"

#include <openssl/rand.h>

namespace provbench::crypto {

QByteArray randomBytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    if (RAND_bytes(reinterpret_cast<unsigned char *>(out.data()), count) != 1) {
        clearOpenSslErrors();
        return {};
    }
    return out;
}

Result<QByteArray> aeadSeal(
    const QByteArray &key, const QByteArray &plaintext, const QByteArray &aad)
{
    if (key.size() != kAeadKeyBytes)
        return fail(
            Error::Code::InvalidArgument, QStringLiteral("AES-256-GCM needs a 32-byte key."));
    const QByteArray nonce = randomBytes(kAeadNonceBytes);
    if (nonce.isEmpty())
        return fail(Error::Code::Io,
            QStringLiteral("The random generator failed: check the system's entropy source."));
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    QByteArray out = nonce;
    out.resize(kAeadNonceBytes + plaintext.size() + kAeadTagBytes);
    auto *ct = reinterpret_cast<unsigned char *>(out.data()) + kAeadNonceBytes;
    int len = 0;
    int total = 0;
    const auto *k = reinterpret_cast<const unsigned char *>(key.constData());
    const auto *n = reinterpret_cast<const unsigned char *>(nonce.constData());
    if (!ctx || EVP_EncryptInit_ex2(ctx.get(), EVP_aes_256_gcm(), k, n, nullptr) != 1
        || (!aad.isEmpty()
            && EVP_EncryptUpdate(ctx.get(), nullptr, &len,
                   reinterpret_cast<const unsigned char *>(aad.constData()), int(aad.size()))
                != 1)
        || EVP_EncryptUpdate(ctx.get(), ct, &len,
               reinterpret_cast<const unsigned char *>(plaintext.constData()),
               int(plaintext.size()))
            != 1)
        return opensslFail(Error::Code::Io, QStringLiteral("AES-256-GCM encryption failed."));
    total = len;
    if (EVP_EncryptFinal_ex(ctx.get(), ct + total, &len) != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kAeadTagBytes, ct + total + len)
            != 1)
        return opensslFail(Error::Code::Io, QStringLiteral("AES-256-GCM encryption failed."));
    return out;
}

Result<QByteArray> aeadOpen(const QByteArray &key, const QByteArray &sealed, const QByteArray &aad)
{
    if (key.size() != kAeadKeyBytes)
        return fail(
            Error::Code::InvalidArgument, QStringLiteral("AES-256-GCM needs a 32-byte key."));
    if (sealed.size() < kAeadNonceBytes + kAeadTagBytes)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The encrypted value is too short to be AES-256-GCM output."));
    const qsizetype ctLen = sealed.size() - kAeadNonceBytes - kAeadTagBytes;
    const auto *base = reinterpret_cast<const unsigned char *>(sealed.constData());
    QByteArray out(ctLen, Qt::Uninitialized);
    CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    QByteArray tag = sealed.right(kAeadTagBytes);
    if (!ctx
        || EVP_DecryptInit_ex2(ctx.get(), EVP_aes_256_gcm(),
               reinterpret_cast<const unsigned char *>(key.constData()), base, nullptr)
            != 1
        || (!aad.isEmpty()
            && EVP_DecryptUpdate(ctx.get(), nullptr, &len,
                   reinterpret_cast<const unsigned char *>(aad.constData()), int(aad.size()))
                != 1)
        || EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char *>(out.data()), &len,
               base + kAeadNonceBytes, int(ctLen))
            != 1
        || EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kAeadTagBytes, tag.data()) != 1)
        return opensslFail(Error::Code::Io, QStringLiteral("AES-256-GCM decryption failed."));
    int finalLen = 0;
    if (EVP_DecryptFinal_ex(
            ctx.get(), reinterpret_cast<unsigned char *>(out.data()) + len, &finalLen)
        != 1) {
        clearOpenSslErrors();
        OPENSSL_cleanse(out.data(), size_t(out.size()));
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The encrypted value does not decrypt with this key: it was made with "
                           "another passphrase or has been altered."));
    }
    return out;
}

Result<QByteArray> scryptDerive(const QByteArray &passphrase, const QByteArray &salt, quint64 n,
    quint64 r, quint64 p, int length)
{
    QByteArray out(length, Qt::Uninitialized);
    // Memory use is 128 * r * N (+ p part); allow twice that so the parameters,
    // not a library default, decide.
    const quint64 maxmem = 2 * 128 * r * n + 128 * r * p + (1 << 20);
    if (EVP_PBE_scrypt(passphrase.constData(), size_t(passphrase.size()),
            reinterpret_cast<const unsigned char *>(salt.constData()), size_t(salt.size()), n, r, p,
            maxmem, reinterpret_cast<unsigned char *>(out.data()), size_t(length))
        != 1)
        return opensslFail(Error::Code::InvalidArgument,
            QStringLiteral("scrypt failed with N=%1, r=%2, p=%3: the parameters are invalid or "
                           "need more memory than is available.")
                .arg(n)
                .arg(r)
                .arg(p));
    return out;
}

} // namespace provbench::crypto
