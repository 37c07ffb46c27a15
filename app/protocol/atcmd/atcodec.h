#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

// The pure half of the nRF91 AT client: command builders with validation, the
// content rules of AT%CMNG and the hash ProvBench verifies against, parsers for
// the information lines ProvBench reads, and the message for every CME error.
// No I/O, no Qt event loop: everything here is deterministic and unit-tested.
namespace provbench::at {

// AT%CMNG <type> values (Nordic nRF91 AT command reference).
enum class CredentialType : int {
    RootCa = 0,      // root CA certificate (PEM, may hold a chain)
    ClientCert = 1,  // client certificate (PEM)
    PrivateKey = 2,  // client private key (PEM, optionally encrypted + passphrase)
    Psk = 3,         // pre-shared key as hex text
    PskIdentity = 4, // PSK identity (printable text)
    PublicKey = 5,   // public key (PEM)
};

constexpr qint64 kMaxSecTag = 2147483647; // higher tags are reserved for the modem
// ProvBench's limit for one item's content, in bytes after normalisation. The
// modem takes the whole AT command line into one buffer; Nordic's own key
// management library works with a 4 KiB scratch buffer, so larger items are
// refused here before they can fail half way on the device.
constexpr qsizetype kMaxContentBytes = 4096;
constexpr qsizetype kMaxPassphraseBytes = 128;
// The longest command ProvBench builds: "AT%CMNG=0,<tag>,<type>," + content +
// passphrase, quoted.
constexpr qsizetype kMaxCommandBytes = kMaxContentBytes + kMaxPassphraseBytes + 64;

QList<CredentialType> allCredentialTypes();
std::optional<CredentialType> credentialTypeFromInt(int value);
// CLI keys: ca, cert, key, psk, identity, pubkey (also accepted: the number).
std::optional<CredentialType> credentialTypeFromKey(QStringView key);
QString credentialTypeKey(CredentialType type);
// "root CA certificate", "client private key", ...
QString credentialTypeName(CredentialType type);
QString credentialTypeName(int type); // for list entries of unknown types
bool isPemType(CredentialType type);
// Private keys and PSKs: never shown, traced or read back.
bool isSecretType(CredentialType type);

// --- content -----------------------------------------------------------------

// Turns what a user supplies (a file's bytes or a value) into the exact bytes
// ProvBench places between the quotes of AT%CMNG=0 and validates them:
//   PEM types: CRLF and CR become LF, surrounding whitespace is removed, one
//              LF is appended ("...-----END CERTIFICATE-----\n").
//   PSK:       surrounding whitespace removed; even-length hex; case kept.
//   identity:  surrounding whitespace removed; printable ASCII.
// These bytes are also what the verification hash is computed over.
Result<QByteArray> prepareContent(CredentialType type, QByteArrayView raw);
// Checks already-prepared content (no normalisation): what the builder and the
// simulated modem accept. The message names the problem and what to do.
Result<void> validateContent(CredentialType type, QByteArrayView content);
Result<void> validatePassphrase(CredentialType type, QByteArrayView passphrase);
Result<void> validateSecTag(qint64 tag);

// SHA-256 of `content` as upper-case hex: what %CMNG list reports for an item
// whose stored content is exactly these bytes.
QByteArray contentHash(QByteArrayView content);

// --- commands (without the line terminator; AtClient appends "\r\n") --------

QByteArray cmeeOn();    // AT+CMEE=1
QByteArray cfunQuery(); // AT+CFUN?
// Modes ProvBench sets or restores: 0 off, 1 normal, 2 receive only, 4 offline,
// and the Nordic variants 20, 21, 30, 31, 40, 41, 44.
Result<QByteArray> cfunSet(int mode);
bool isValidCfunMode(int mode);
// Credential writes and deletes are allowed in these modes (not in 1, 2, 21).
bool cfunAllowsCredentialWrites(int mode);
QByteArray modelQuery();    // AT+CGMM
QByteArray revisionQuery(); // AT+CGMR
QByteArray imeiQuery();     // AT+CGSN
Result<QByteArray> cmngWrite(
    qint64 tag, CredentialType type, QByteArrayView content, QByteArrayView passphrase = {});
Result<QByteArray> cmngList(
    std::optional<qint64> tag = std::nullopt, std::optional<CredentialType> type = std::nullopt);
Result<QByteArray> cmngDelete(qint64 tag, CredentialType type);

// A command as it may appear in a trace or log: content of a private key or
// PSK and every passphrase replaced by "<redacted N bytes>", e.g.
//   AT%CMNG=0,16842753,2,<redacted 241 bytes>
QString redactedCommand(QByteArrayView command);
// True when `command` carries a secret (write of type 2 or 3, any passphrase):
// lines the modem answers it with that are not understood are redacted too.
bool commandCarriesSecret(QByteArrayView command);

// --- information lines ---------------------------------------------------------

struct CmngEntry
{
    qint64 tag = 0;
    int type = 0;
    QByteArray hash; // 64 upper-case hex digits, empty when the line had none
    bool operator==(const CmngEntry &) const = default;
};

// Parses one "%CMNG: <tag>,<type>[,"<sha>"]" line (tags up to 4294967295: the
// modem lists its own reserved tags too). A hash must be 64 hex digits.
Result<CmngEntry> parseCmngLine(QByteArrayView line);
Result<QList<CmngEntry>> parseCmngList(const QList<QByteArray> &lines);
// "+CFUN: <n>" among the information lines.
Result<int> parseCfun(const QList<QByteArray> &lines);
// First non-empty information line, unquoted, with "+CGSN: " style prefixes
// removed: the answer of CGMM, CGMR, CGSN, CGMI.
Result<QString> parseSingleValue(const QList<QByteArray> &lines, const QString &what);

// --- errors --------------------------------------------------------------------

// What an error refers to, so its message can name it.
struct ErrorContext
{
    QString command; // redacted, for messages
    qint64 tag = -1;
    std::optional<CredentialType> type;
};

// A sentence for "+CME ERROR: <code>" that says what happened and what to do.
QString cmeErrorMessage(int code, const ErrorContext &context);
// For a plain ERROR (numeric errors off, or an unsupported command).
QString plainErrorMessage(const ErrorContext &context);
// Short name of a CME code ("not found", ...), empty for unknown codes.
QString cmeErrorName(int code);

} // namespace provbench::at
