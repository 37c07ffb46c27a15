// Per-device templates. One tokenizer turns the text into literal runs and
// validated placeholders (or syntax errors); every public function works from
// its output, so checking, listing and expanding can never disagree.

#include "app/profiles/profiletemplate.h"

#include <QHash>
#include <QRandomGenerator>
#include <QRegularExpression>

#include <algorithm>
#include <optional>
#include <utility>

namespace provbench::profiles {

namespace {

constexpr qsizetype kMaxTemplateLength = 1024;
constexpr int kMaxRandomLength = 64;
// Placeholders longer than this are shortened in messages.
constexpr qsizetype kMaxShown = 40;

struct Token
{
    enum class Kind { Literal, Serial, Mac, MacColons, Mac6, Seq, Site, Name, Random };

    Kind kind = Kind::Literal;
    QString text;      // the literal text, or the placeholder as written ("{seq:04}")
    qint64 offset = 0; // {seq+N}
    int width = 0;     // {seq:0N} padding, {random:N} length
};

struct Tokens
{
    QList<Token> tokens;
    QStringList errors;
};

QString variableName(Token::Kind kind)
{
    switch (kind) {
    case Token::Kind::Serial:
        return QStringLiteral("serial");
    case Token::Kind::Mac:
    case Token::Kind::MacColons:
        return QStringLiteral("mac");
    case Token::Kind::Mac6:
        return QStringLiteral("mac6");
    case Token::Kind::Seq:
        return QStringLiteral("seq");
    case Token::Kind::Site:
        return QStringLiteral("site");
    case Token::Kind::Name:
        return QStringLiteral("name");
    case Token::Kind::Random:
        return QStringLiteral("random");
    case Token::Kind::Literal:
        break;
    }
    return {};
}

bool isAsciiNameChar(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z'))
        || (c >= QLatin1Char('A') && c <= QLatin1Char('Z'))
        || (c >= QLatin1Char('0') && c <= QLatin1Char('9')) || c == QLatin1Char('_');
}

// "{content}" for messages, shortened so one bad placeholder cannot flood them.
QString shown(QStringView content, bool closed = true)
{
    QString out(QLatin1Char('{'));
    if (content.size() > kMaxShown) {
        // Never split a surrogate pair.
        out += content.first(content[kMaxShown - 1].isHighSurrogate() ? kMaxShown - 1 : kMaxShown);
        out += QStringLiteral("...");
    } else {
        out += content;
    }
    if (closed)
        out += QLatin1Char('}');
    return out;
}

// Parses what stands between "{" and "}".
std::expected<Token, QString> parsePlaceholder(const QString &content)
{
    const QString written = shown(content);
    if (content.isEmpty())
        return std::unexpected(
            QStringLiteral("{}: empty placeholder; use one of %1 (write {{}} for literal braces)")
                .arg(templateVariableNames().join(QStringLiteral(", "))));

    qsizetype nameEnd = 0;
    while (nameEnd < content.size() && isAsciiNameChar(content[nameEnd]))
        ++nameEnd;
    const QString name = content.first(nameEnd);
    const QString argument = content.sliced(nameEnd);

    Token token;
    token.text = written; // a valid placeholder is never long enough to be shortened

    const auto noArgument = [&](Token::Kind kind) -> std::expected<Token, QString> {
        if (!argument.isEmpty())
            return std::unexpected(
                QStringLiteral("%1: {%2} takes no argument; write {%2}").arg(written, name));
        token.kind = kind;
        return token;
    };

    if (name == u"serial")
        return noArgument(Token::Kind::Serial);
    if (name == u"mac6")
        return noArgument(Token::Kind::Mac6);
    if (name == u"site")
        return noArgument(Token::Kind::Site);
    if (name == u"name")
        return noArgument(Token::Kind::Name);
    if (name == u"mac") {
        if (argument.isEmpty() || argument == u":colons") {
            token.kind = argument.isEmpty() ? Token::Kind::Mac : Token::Kind::MacColons;
            return token;
        }
        return std::unexpected(
            QStringLiteral("%1: unknown MAC format; write {mac} for aabbccddeeff or "
                           "{mac:colons} for aa:bb:cc:dd:ee:ff")
                .arg(written));
    }
    if (name == u"seq") {
        static const QRegularExpression re(QStringLiteral("^(?:\\+([0-9]{1,9}))?(?::0([1-9]))?$"));
        const auto match = re.match(argument);
        if (!match.hasMatch())
            return std::unexpected(
                QStringLiteral("%1: bad sequence format; write {seq}, {seq:04} (zero-padded "
                               "to 1-9 digits), {seq+100} (plus an offset) or {seq+100:03}")
                    .arg(written));
        token.kind = Token::Kind::Seq;
        token.offset = match.captured(1).toLongLong();
        token.width = match.captured(2).toInt();
        return token;
    }
    if (name == u"random") {
        static const QRegularExpression re(QStringLiteral("^:([0-9]{1,2})$"));
        const auto match = re.match(argument);
        const int length = match.hasMatch() ? match.captured(1).toInt() : 0;
        if (length < 1 || length > kMaxRandomLength)
            return std::unexpected(
                QStringLiteral("%1: random needs a length from 1 to %2; write {random:N}, "
                               "e.g. {random:8}")
                    .arg(written)
                    .arg(kMaxRandomLength));
        token.kind = Token::Kind::Random;
        token.width = length;
        return token;
    }
    return std::unexpected(QStringLiteral("%1: unknown placeholder; use one of %2")
                               .arg(written, templateVariableNames().join(QStringLiteral(", "))));
}

Tokens tokenize(const QString &text)
{
    Tokens out;
    if (text.size() > kMaxTemplateLength) {
        out.errors.append(QStringLiteral("the template is %1 characters long; templates are "
                                         "limited to %2 characters")
                              .arg(text.size())
                              .arg(kMaxTemplateLength));
        return out;
    }

    QString literal;
    const auto flushLiteral = [&] {
        if (!literal.isEmpty())
            out.tokens.append(Token{Token::Kind::Literal, std::exchange(literal, {}), 0, 0});
    };

    const qsizetype n = text.size();
    qsizetype i = 0;
    while (i < n) {
        const QChar c = text[i];
        const bool doubled = i + 1 < n && text[i + 1] == c;
        if (c == QLatin1Char('{') && !doubled) {
            qsizetype end = i + 1;
            while (end < n && text[end] != QLatin1Char('}') && text[end] != QLatin1Char('{'))
                ++end;
            if (end == n || text[end] == QLatin1Char('{')) {
                out.errors.append(
                    QStringLiteral("%1: the placeholder is not closed; end it "
                                   "with }, or write {{ for a literal {")
                        .arg(shown(QStringView(text).sliced(i + 1, end - i - 1), false)));
                i = end;
                continue;
            }
            auto token = parsePlaceholder(text.sliced(i + 1, end - i - 1));
            if (token) {
                flushLiteral();
                out.tokens.append(std::move(*token));
            } else {
                out.errors.append(token.error());
            }
            i = end + 1;
        } else if (c == QLatin1Char('}') && !doubled) {
            out.errors.append(QStringLiteral("}: the } at character %1 has no opening {; write "
                                             "}} for a literal }")
                                  .arg(i + 1));
            ++i;
        } else {
            literal += c;
            i += doubled && (c == QLatin1Char('{') || c == QLatin1Char('}')) ? 2 : 1;
        }
    }
    flushLiteral();
    return out;
}

// A MAC in any common notation as 12 lower-case hex digits, or nothing.
std::optional<QString> normalizedMac(const QString &mac)
{
    static const QRegularExpression re(QStringLiteral("^(?:[0-9a-f]{12}"
                                                      "|[0-9a-f]{2}(?::[0-9a-f]{2}){5}"
                                                      "|[0-9a-f]{2}(?:-[0-9a-f]{2}){5}"
                                                      "|[0-9a-f]{4}(?:\\.[0-9a-f]{4}){2})$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString trimmed = mac.trimmed();
    if (!re.match(trimmed).hasMatch())
        return std::nullopt;
    QString hex;
    for (QChar c : trimmed) {
        if (c != QLatin1Char(':') && c != QLatin1Char('-') && c != QLatin1Char('.'))
            hex += c.toLower();
    }
    return hex;
}

QString formatSeq(qint64 value, int width)
{
    // Like printf's %0Nd: the width includes the sign.
    const bool negative = value < 0;
    QString digits = QString::number(negative ? -value : value);
    const qsizetype padded = width - (negative ? 1 : 0);
    if (digits.size() < padded)
        digits.prepend(QString(padded - digits.size(), QLatin1Char('0')));
    if (negative)
        digits.prepend(QLatin1Char('-'));
    return digits;
}

QString systemRandom(int length)
{
    static constexpr char kHex[] = "0123456789abcdef";
    QString out;
    out.reserve(length);
    for (int i = 0; i < length; ++i)
        out += QLatin1Char(kHex[QRandomGenerator::system()->bounded(16)]);
    return out;
}

Result<QString> missing(const Token &token, const QString &what, const QString &instead)
{
    return fail(
        Error::Code::InvalidArgument, QStringLiteral("%1: %2; %3").arg(token.text, what, instead));
}

Result<QString> expandTokens(
    const QList<Token> &tokens, const DeviceVars &vars, const RandomSource &random)
{
    QString out;
    std::optional<QString> mac;
    for (const Token &token : tokens) {
        switch (token.kind) {
        case Token::Kind::Literal:
            out += token.text;
            break;
        case Token::Kind::Serial:
            if (vars.serial.isEmpty())
                return missing(token,
                    QStringLiteral("this device has not reported a serial "
                                   "number yet"),
                    QStringLiteral("identify it first or use {mac} or {seq}"));
            out += vars.serial;
            break;
        case Token::Kind::Mac:
        case Token::Kind::MacColons:
        case Token::Kind::Mac6:
            if (vars.mac.isEmpty())
                return missing(token,
                    QStringLiteral("this device has not reported a MAC address yet"),
                    QStringLiteral("identify it first or use {serial}"));
            if (!mac)
                mac = normalizedMac(vars.mac);
            if (!mac)
                return missing(token,
                    QStringLiteral("the device's MAC address \"%1\" is not valid").arg(vars.mac),
                    QStringLiteral("expected 12 hex digits such as aa:bb:cc:dd:ee:ff; identify "
                                   "the device again or use {serial}"));
            if (token.kind == Token::Kind::Mac) {
                out += *mac;
            } else if (token.kind == Token::Kind::Mac6) {
                out += mac->last(6);
            } else {
                for (qsizetype i = 0; i < mac->size(); i += 2) {
                    if (i > 0)
                        out += QLatin1Char(':');
                    out += mac->sliced(i, 2);
                }
            }
            break;
        case Token::Kind::Seq:
            out += formatSeq(qint64(vars.seq) + token.offset, token.width);
            break;
        case Token::Kind::Site:
            if (vars.site.isEmpty())
                return missing(token,
                    QStringLiteral("neither this device nor the profile has a site"),
                    QStringLiteral("set the profile's site or remove {site}"));
            out += vars.site;
            break;
        case Token::Kind::Name:
            if (vars.name.isEmpty())
                return missing(token, QStringLiteral("this device has not reported a name yet"),
                    QStringLiteral("identify it first or use {serial}"));
            out += vars.name;
            break;
        case Token::Kind::Random:
            out += random ? random(token.width) : systemRandom(token.width);
            break;
        }
    }
    return out;
}

Result<QList<Token>> validTokens(const QString &text)
{
    Tokens parsed = tokenize(text);
    if (!parsed.errors.isEmpty())
        return fail(Error::Code::InvalidArgument, parsed.errors.first());
    return std::move(parsed.tokens);
}

} // namespace

QStringList checkTemplate(const QString &text)
{
    return tokenize(text).errors;
}

bool isPerDevice(const QString &text)
{
    static const QStringList perDevice{QStringLiteral("serial"), QStringLiteral("mac"),
        QStringLiteral("mac6"), QStringLiteral("seq"), QStringLiteral("random")};
    const QStringList used = placeholders(text);
    return std::any_of(
        used.cbegin(), used.cend(), [](const QString &name) { return perDevice.contains(name); });
}

QStringList placeholders(const QString &text)
{
    QStringList names;
    for (const Token &token : tokenize(text).tokens) {
        if (token.kind == Token::Kind::Literal)
            continue;
        const QString name = variableName(token.kind);
        if (!names.contains(name))
            names.append(name);
    }
    return names;
}

Result<QString> expandTemplate(
    const QString &text, const DeviceVars &vars, const RandomSource &random)
{
    const auto tokens = validTokens(text);
    if (!tokens)
        return std::unexpected(tokens.error());
    return expandTokens(*tokens, vars, random);
}

Result<QList<Collision>> findCollisions(const QString &field, const QString &text,
    const QList<DeviceVars> &devices, const RandomSource &random)
{
    const auto tokens = validTokens(text);
    if (!tokens)
        return std::unexpected(tokens.error());

    // Values in order of first occurrence, each with every device that got it.
    QList<Collision> values;
    QHash<QString, qsizetype> indexOf;
    for (const DeviceVars &device : devices) {
        const QString label
            = device.serial.isEmpty() ? QStringLiteral("#%1").arg(device.seq) : device.serial;
        const auto value = expandTokens(*tokens, device, random);
        if (!value)
            return fail(value.error().code,
                QStringLiteral("%1 for %2: %3").arg(field, label, value.error().message));
        const auto it = indexOf.constFind(*value);
        if (it != indexOf.cend()) {
            values[*it].devices.append(label);
        } else {
            indexOf.insert(*value, values.size());
            values.append(Collision{field, *value, {label}});
        }
    }
    values.removeIf([](const Collision &c) { return c.devices.size() < 2; });
    return values;
}

QStringList templateVariableNames()
{
    return {QStringLiteral("serial"), QStringLiteral("mac"), QStringLiteral("mac6"),
        QStringLiteral("seq"), QStringLiteral("site"), QStringLiteral("name"),
        QStringLiteral("random")};
}

} // namespace provbench::profiles
