#pragma once

#include "app/core/error.h"

#include <QByteArray>

// AES-256-GCM for small secrets (PSKs, Wi-Fi passphrases, the vault's
// verifier). The sealed form is nonce (12 bytes) | ciphertext | tag (16 bytes).
namespace provbench::crypto {

inline constexpr int kAeadKeyBytes = 32;
inline constexpr int kAeadNonceBytes = 12;
inline constexpr int kAeadTagBytes = 16;

// Fresh random nonce per call. `key` must be 32 bytes.
Result<QByteArray> aeadSeal(
    const QByteArray &key, const QByteArray &plaintext, const QByteArray &aad = {});
// Fails with Code::InvalidArgument when the tag does not verify (wrong key,
// wrong `aad`, or altered data); nothing is returned in that case.
Result<QByteArray> aeadOpen(
    const QByteArray &key, const QByteArray &sealed, const QByteArray &aad = {});

// scrypt (RFC 7914) into `length` bytes.
Result<QByteArray> scryptDerive(const QByteArray &passphrase, const QByteArray &salt, quint64 n,
    quint64 r, quint64 p, int length);

QByteArray randomBytes(int count);

} // namespace provbench::crypto
