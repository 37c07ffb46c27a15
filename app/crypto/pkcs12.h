#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"
#include "app/crypto/key.h"

#include <QByteArray>
#include <QList>
#include <optional>

// PKCS#12 bundles (key + certificate + chain) for devices and tools that take
// one file. Written with AES-256-CBC (PBES2/PBKDF2-HMAC-SHA256) for key and
// certificates and an HMAC-SHA256 MAC; a password is required.
namespace provbench::crypto {

struct Pkcs12Contents
{
    std::optional<Key> key;
    std::optional<Certificate> certificate;
    QList<Certificate> chain;
};

inline constexpr int kPkcs12Iterations = 10000;

Result<QByteArray> makePkcs12(const Key &key, const Certificate &certificate,
    const QList<Certificate> &chain, const QByteArray &password, const QString &friendlyName = {});
// A wrong password fails with "The password does not open ...".
Result<Pkcs12Contents> parsePkcs12(const QByteArray &der, const QByteArray &password,
    const QString &what = QStringLiteral("the PKCS#12 file"));

} // namespace provbench::crypto
