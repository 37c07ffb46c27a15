#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

// RAII holders for OpenSSL objects and the few helpers every crypto file
// shares: error strings from the OpenSSL error queue, memory BIOs, X.509 name
// text, ASN.1 time conversion. Only OpenSSL 3 APIs that are not deprecated.
namespace provbench::crypto {

template<auto FreeFn> struct Deleter
{
    template<typename T> void operator()(T *p) const { FreeFn(p); }
};

using PKeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PKeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, Deleter<EVP_CIPHER_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using ReqPtr = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using NamePtr = std::unique_ptr<X509_NAME, Deleter<X509_NAME_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
inline void freeExtensionStack(STACK_OF(X509_EXTENSION) * s)
{
    sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
}
inline void freeX509Stack(STACK_OF(X509) * s)
{
    sk_X509_pop_free(s, X509_free);
}
using ExtStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), Deleter<freeExtensionStack>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), Deleter<freeX509Stack>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using Pkcs12Ptr = std::unique_ptr<PKCS12, Deleter<PKCS12_free>>;
using P8InfoPtr = std::unique_ptr<PKCS8_PRIV_KEY_INFO, Deleter<PKCS8_PRIV_KEY_INFO_free>>;
using X509SigPtr = std::unique_ptr<X509_SIG, Deleter<X509_SIG_free>>;
using AlgorPtr = std::unique_ptr<X509_ALGOR, Deleter<X509_ALGOR_free>>;
using Asn1IntPtr = std::unique_ptr<ASN1_INTEGER, Deleter<ASN1_INTEGER_free>>;
using Asn1TimePtr = std::unique_ptr<ASN1_TIME, Deleter<ASN1_TIME_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using OctetPtr = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING_free>>;

// Drains the OpenSSL error queue into one line (for messages; the queue never
// contains key material). Empty when the queue was empty.
QString takeOpenSslErrors();
// An Error whose message is `what` followed by the OpenSSL reason, if any.
// `what` should already say what to do.
Error opensslError(Error::Code code, const QString &what);
inline std::unexpected<Error> opensslFail(Error::Code code, const QString &what)
{
    return std::unexpected(opensslError(code, what));
}
// Empties the error queue (after an expected failure, e.g. probing formats).
void clearOpenSslErrors();

// Frees what OpenSSL keeps per thread (its private random generator, the error
// queue). Worker threads of a pool outlive their tasks, so every task that
// used OpenSSL on one calls this when it is done; otherwise that state stays
// allocated until the process exits.
void releaseThreadState();

// A read-only memory BIO over `data` (which must outlive it), and a fresh
// writable memory BIO; bioBytes() copies out what was written.
BioPtr memoryBio(const QByteArray &data);
BioPtr memoryBio();
QByteArray bioBytes(BIO *bio);

// SHA-256 of `data` as lower-case hex pairs joined by colons ("ab:cd:...").
QString sha256Fingerprint(const QByteArray &data);
QByteArray sha256(const QByteArray &data);

// Parses "CN=dev-1,O=Plant 2" or "/CN=dev-1/O=Plant 2" into an X509_NAME.
// Backslash escapes a separator. Unknown attribute names are an error.
Result<NamePtr> parseDistinguishedName(const QString &text);
// One-line RFC 2253-like text ("CN=dev-1, O=Plant 2"), UTF-8 aware.
QString nameToString(const X509_NAME *name);

QDateTime asn1TimeToDateTime(const ASN1_TIME *time);
// Hex of a big-endian ASN.1 integer, upper-case, no separators.
QString asn1IntegerHex(const ASN1_INTEGER *value);

} // namespace provbench::crypto
