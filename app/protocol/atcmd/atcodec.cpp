#include "app/protocol/atcmd/atcodec.h"

#include <QCryptographicHash>

namespace provbench::at {

namespace {

struct TypeInfo
{
    CredentialType type;
    const char *key;
    const char *name;
};

constexpr TypeInfo kTypes[] = {
    {CredentialType::RootCa, "ca", "root CA certificate"},
    {CredentialType::ClientCert, "cert", "client certificate"},
    {CredentialType::PrivateKey, "key", "client private key"},
    {CredentialType::Psk, "psk", "pre-shared key (PSK)"},
    {CredentialType::PskIdentity, "identity", "PSK identity"},
    {CredentialType::PublicKey, "pubkey", "public key"},
};

const TypeInfo &info(CredentialType type)
{
    return kTypes[int(type)];
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+'
        || c == '/' || c == '=';
}

std::unexpected<Error> invalid(const QString &message)
{
    return fail(Error::Code::InvalidArgument, message);
}

// PEM labels each type accepts, and whether several blocks may follow each other.
QList<QByteArray> pemLabels(CredentialType type)
{
    switch (type) {
    case CredentialType::RootCa:
    case CredentialType::ClientCert:
        return {QByteArrayLiteral("CERTIFICATE")};
    case CredentialType::PrivateKey:
        return {QByteArrayLiteral("PRIVATE KEY"), QByteArrayLiteral("EC PRIVATE KEY"),
            QByteArrayLiteral("RSA PRIVATE KEY"), QByteArrayLiteral("ENCRYPTED PRIVATE KEY")};
    case CredentialType::PublicKey:
        return {QByteArrayLiteral("PUBLIC KEY")};
    default:
        return {};
    }
}

// Line-by-line check of PEM text with LF line endings (one trailing LF allowed).
Result<void> validatePem(CredentialType type, QByteArrayView content)
{
    const QString what = credentialTypeName(type);
    const QList<QByteArray> labels = pemLabels(type);
    QList<QByteArray> lines = content.toByteArray().split('\n');
    if (!lines.isEmpty() && lines.last().isEmpty())
        lines.removeLast();
    QByteArray open; // label of the block being read, empty between blocks
    int blocks = 0;
    bool inHeaders = false;
    qsizetype bodyChars = 0;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        const QString where = QStringLiteral(" (line %1)").arg(i + 1);
        if (open.isEmpty()) {
            if (!line.startsWith("-----BEGIN ") || !line.endsWith("-----"))
                return invalid(QStringLiteral("The %1 is not PEM text: expected \"-----BEGIN "
                                              "...-----\"%2. Check that the file is PEM, not DER.")
                                   .arg(what, where));
            open = line.mid(11, line.size() - 16);
            if (!labels.contains(open))
                return invalid(QStringLiteral("A %1 cannot be a PEM \"%2\" block%3: check that "
                                              "you chose the right file and --type.")
                                   .arg(what, QString::fromLatin1(open), where));
            if (blocks > 0 && type != CredentialType::RootCa && type != CredentialType::ClientCert)
                return invalid(
                    QStringLiteral("The %1 holds more than one PEM block: keep one.").arg(what));
            inHeaders = true;
            bodyChars = 0;
            continue;
        }
        if (line.startsWith("-----END ")) {
            if (line != "-----END " + open + "-----")
                return invalid(QStringLiteral("The PEM block \"%1\" of the %2 is not closed by "
                                              "its own END line%3: the file is damaged.")
                                   .arg(QString::fromLatin1(open), what, where));
            if (bodyChars == 0)
                return invalid(QStringLiteral("The PEM block of the %1 is empty: the file is "
                                              "damaged.")
                                   .arg(what));
            open.clear();
            ++blocks;
            continue;
        }
        // Legacy encrypted keys carry RFC 1421 headers, then a blank line.
        if (inHeaders && type == CredentialType::PrivateKey
            && (line.contains(':') || line.isEmpty()))
            continue;
        inHeaders = false;
        if (line.isEmpty() || !std::all_of(line.begin(), line.end(), isBase64Char))
            return invalid(QStringLiteral("The %1 has a line that is not base64%2: the PEM is "
                                          "malformed, check the file.")
                               .arg(what, where));
        bodyChars += line.size();
    }
    if (!open.isEmpty())
        return invalid(QStringLiteral("The PEM block of the %1 has no END line: the file is "
                                      "cut short.")
                           .arg(what));
    if (blocks == 0)
        return invalid(QStringLiteral("The %1 is empty.").arg(what));
    return {};
}

QByteArray quoted(QByteArrayView bytes)
{
    return '"' + bytes.toByteArray() + '"';
}

} // namespace

QList<CredentialType> allCredentialTypes()
{
    QList<CredentialType> all;
    for (const TypeInfo &t : kTypes)
        all.append(t.type);
    return all;
}

std::optional<CredentialType> credentialTypeFromInt(int value)
{
    if (value < 0 || value > 5)
        return std::nullopt;
    return CredentialType(value);
}

std::optional<CredentialType> credentialTypeFromKey(QStringView key)
{
    for (const TypeInfo &t : kTypes) {
        if (key == QLatin1StringView(t.key))
            return t.type;
    }
    bool ok = false;
    const int n = key.toInt(&ok);
    return ok ? credentialTypeFromInt(n) : std::nullopt;
}

QString credentialTypeKey(CredentialType type)
{
    return QString::fromLatin1(info(type).key);
}

QString credentialTypeName(CredentialType type)
{
    return QString::fromLatin1(info(type).name);
}

QString credentialTypeName(int type)
{
    if (auto t = credentialTypeFromInt(type))
        return credentialTypeName(*t);
    return QStringLiteral("credential of type %1").arg(type);
}

bool isPemType(CredentialType type)
{
    return !pemLabels(type).isEmpty();
}

bool isSecretType(CredentialType type)
{
    return type == CredentialType::PrivateKey || type == CredentialType::Psk;
}

Result<QByteArray> prepareContent(CredentialType type, QByteArrayView raw)
{
    QByteArray content = raw.toByteArray();
    if (isPemType(type)) {
        content.replace("\r\n", "\n");
        content.replace('\r', '\n');
        content = content.trimmed();
        content.append('\n');
    } else {
        content = content.trimmed();
    }
    if (auto ok = validateContent(type, content); !ok)
        return std::unexpected(ok.error());
    return content;
}

Result<void> validateContent(CredentialType type, QByteArrayView content)
{
    const QString what = credentialTypeName(type);
    if (content.isEmpty())
        return invalid(QStringLiteral("The %1 is empty: give a file or a value.").arg(what));
    if (content.size() > kMaxContentBytes)
        return invalid(QStringLiteral("The %1 has %2 bytes; the modem takes at most %3 per item. "
                                      "Use a shorter chain or a smaller key.")
                           .arg(what)
                           .arg(content.size())
                           .arg(kMaxContentBytes));
    if (content.contains('"'))
        return invalid(QStringLiteral("The %1 contains a double quote, which cannot be sent "
                                      "inside AT%CMNG: check the file.")
                           .arg(what));
    if (isPemType(type))
        return validatePem(type, content);
    if (type == CredentialType::Psk) {
        if (!std::all_of(content.begin(), content.end(), isHexDigit))
            return invalid(QStringLiteral("A PSK is written as hex digits (0-9, a-f), e.g. "
                                          "\"0a1b2c...\": the value has other characters."));
        if (content.size() % 2 != 0)
            return invalid(QStringLiteral("A PSK in hex has an even number of digits (two per "
                                          "byte); this one has %1.")
                               .arg(content.size()));
        return {};
    }
    // PSK identity
    if (!std::all_of(content.begin(), content.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
        return invalid(QStringLiteral("A PSK identity is printable ASCII text on one line: "
                                      "remove line breaks and special characters."));
    return {};
}

Result<void> validatePassphrase(CredentialType type, QByteArrayView passphrase)
{
    if (passphrase.isEmpty())
        return {};
    if (type != CredentialType::PrivateKey)
        return invalid(QStringLiteral("Only a client private key takes a passphrase; a %1 does "
                                      "not.")
                           .arg(credentialTypeName(type)));
    if (passphrase.size() > kMaxPassphraseBytes)
        return invalid(QStringLiteral("The passphrase has more than %1 bytes: use a shorter one.")
                           .arg(kMaxPassphraseBytes));
    if (!std::all_of(passphrase.begin(), passphrase.end(),
            [](char c) { return c >= 0x20 && c < 0x7F && c != '"'; }))
        return invalid(QStringLiteral("The passphrase must be printable ASCII without double "
                                      "quotes to travel inside an AT command."));
    return {};
}

Result<void> validateSecTag(qint64 tag)
{
    if (tag < 0 || tag > kMaxSecTag)
        return invalid(QStringLiteral("A sec_tag is a number from 0 to %1; %2 is out of range "
                                      "(higher tags are reserved for the modem).")
                           .arg(kMaxSecTag)
                           .arg(tag));
    return {};
}

QByteArray contentHash(QByteArrayView content)
{
    return QCryptographicHash::hash(content, QCryptographicHash::Sha256).toHex().toUpper();
}

QByteArray cmeeOn()
{
    return QByteArrayLiteral("AT+CMEE=1");
}

QByteArray cfunQuery()
{
    return QByteArrayLiteral("AT+CFUN?");
}

bool isValidCfunMode(int mode)
{
    static const int modes[] = {0, 1, 2, 4, 20, 21, 30, 31, 40, 41, 44};
    return std::find(std::begin(modes), std::end(modes), mode) != std::end(modes);
}

bool cfunAllowsCredentialWrites(int mode)
{
    return mode != 1 && mode != 2 && mode != 21;
}

Result<QByteArray> cfunSet(int mode)
{
    if (!isValidCfunMode(mode))
        return invalid(QStringLiteral("%1 is not a functional mode of the modem (use 0, 1, 2, 4, "
                                      "20, 21, 30, 31, 40, 41 or 44).")
                           .arg(mode));
    return QByteArrayLiteral("AT+CFUN=") + QByteArray::number(mode);
}

QByteArray modelQuery()
{
    return QByteArrayLiteral("AT+CGMM");
}

QByteArray revisionQuery()
{
    return QByteArrayLiteral("AT+CGMR");
}

QByteArray imeiQuery()
{
    return QByteArrayLiteral("AT+CGSN");
}

Result<QByteArray> cmngWrite(
    qint64 tag, CredentialType type, QByteArrayView content, QByteArrayView passphrase)
{
    if (auto ok = validateSecTag(tag); !ok)
        return std::unexpected(ok.error());
    if (auto ok = validateContent(type, content); !ok)
        return std::unexpected(ok.error());
    if (auto ok = validatePassphrase(type, passphrase); !ok)
        return std::unexpected(ok.error());
    QByteArray cmd = QByteArrayLiteral("AT%CMNG=0,") + QByteArray::number(tag) + ','
        + QByteArray::number(int(type)) + ',' + quoted(content);
    if (!passphrase.isEmpty())
        cmd += ',' + quoted(passphrase);
    return cmd;
}

Result<QByteArray> cmngList(std::optional<qint64> tag, std::optional<CredentialType> type)
{
    QByteArray cmd = QByteArrayLiteral("AT%CMNG=1");
    if (type && !tag)
        return invalid(QStringLiteral("Listing by type needs a sec_tag too (AT%CMNG=1,<tag>,"
                                      "<type>)."));
    if (tag) {
        if (auto ok = validateSecTag(*tag); !ok)
            return std::unexpected(ok.error());
        cmd += ',' + QByteArray::number(*tag);
    }
    if (type)
        cmd += ',' + QByteArray::number(int(*type));
    return cmd;
}

Result<QByteArray> cmngDelete(qint64 tag, CredentialType type)
{
    if (auto ok = validateSecTag(tag); !ok)
        return std::unexpected(ok.error());
    return QByteArrayLiteral("AT%CMNG=3,") + QByteArray::number(tag) + ','
        + QByteArray::number(int(type));
}

// --- redaction -------------------------------------------------------------------

namespace {

// Splits an AT%CMNG=0 command into its parameters, honouring quotes. Returns
// nothing for any other command.
std::optional<QList<QByteArray>> cmngWriteParams(QByteArrayView command)
{
    const QByteArray prefix = QByteArrayLiteral("AT%CMNG=");
    QByteArray upper = command.first(std::min(command.size(), prefix.size())).toByteArray();
    if (upper.toUpper() != prefix)
        return std::nullopt;
    QList<QByteArray> params{QByteArray()};
    bool inQuotes = false;
    for (char c : command.sliced(prefix.size())) {
        if (c == '"')
            inQuotes = !inQuotes;
        if (c == ',' && !inQuotes)
            params.append(QByteArray());
        else
            params.last().append(c);
    }
    if (params.first().trimmed() != "0")
        return std::nullopt;
    return params;
}

} // namespace

QString redactedCommand(QByteArrayView command)
{
    const auto params = cmngWriteParams(command);
    if (!params)
        return QString::fromUtf8(command);
    const bool secretType
        = params->size() > 2 && (params->at(2).trimmed() == "2" || params->at(2).trimmed() == "3");
    QStringList out;
    for (qsizetype i = 0; i < params->size(); ++i) {
        const QByteArray &p = params->at(i);
        const bool redact = (i == 3 && secretType) || i >= 4;
        if (redact) {
            const qsizetype n
                = p.startsWith('"') && p.endsWith('"') && p.size() >= 2 ? p.size() - 2 : p.size();
            out.append(QStringLiteral("<redacted %1 bytes>").arg(n));
        } else if (i == 3) {
            // Certificates are public, but a whole PEM does not fit a trace line.
            out.append(p.size() > 72 ? QStringLiteral("<%1 bytes of PEM>").arg(p.size() - 2)
                                     : QString::fromUtf8(p));
        } else {
            out.append(QString::fromUtf8(p));
        }
    }
    return QStringLiteral("AT%CMNG=") + out.join(QLatin1Char(','));
}

bool commandCarriesSecret(QByteArrayView command)
{
    const auto params = cmngWriteParams(command);
    if (!params)
        return false;
    return params->size() > 4
        || (params->size() > 2
            && (params->at(2).trimmed() == "2" || params->at(2).trimmed() == "3"));
}

} // namespace provbench::at
