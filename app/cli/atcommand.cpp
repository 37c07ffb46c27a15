// provbench-cli at ...: nRF91 modem credentials (AT%CMNG) and diagnosis.
#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/protocol/atcmd/atclient.h"
#include "app/protocol/atcmd/credentialwriter.h"
#include "app/transport/seriallink.h"

#include <QCommandLineParser>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>

namespace provbench::cli {

namespace {

using at::AtClient;

QJsonObject itemJson(const at::ItemReport &r)
{
    return {{QStringLiteral("tag"), double(r.tag)},
        {QStringLiteral("type"), at::credentialTypeKey(r.type)},
        {QStringLiteral("outcome"), at::outcomeName(r.outcome)},
        {QStringLiteral("verified"), r.outcome == at::ItemReport::Outcome::Verified},
        {QStringLiteral("deviceHolds"), at::holdsName(r.holds)},
        {QStringLiteral("sha256"), QString::fromLatin1(r.localHash)},
        {QStringLiteral("deviceSha256"), QString::fromLatin1(r.deviceHash)},
        {QStringLiteral("message"), r.message}};
}

// Whether a raw command reads a private key or a PSK back (AT%CMNG=2,<tag>,2|3).
bool readsSecret(const QString &command)
{
    QString c = command.trimmed().toUpper();
    c.remove(QLatin1Char(' '));
    if (!c.startsWith(u"AT%CMNG=2,"))
        return false;
    const QStringList parts = c.split(QLatin1Char(','));
    return parts.size() >= 3 && (parts[2] == u"2" || parts[2] == u"3");
}

struct Session
{
    std::unique_ptr<SerialLink> link;
    std::unique_ptr<AtClient> client;
};

Result<Session> openSession(
    const QString &port, int baud, const AtClient::Options &options, bool showTrace)
{
    auto resolved = resolvePortPath(port);
    if (!resolved)
        return std::unexpected(resolved.error());
    const QString path = *resolved;
    Session s;
    s.link = std::make_unique<SerialLink>(path, baud);
    if (auto ok = s.link->open(); !ok)
        return std::unexpected(ok.error());
    s.client = std::make_unique<AtClient>(s.link.get(), options);
    if (showTrace)
        QObject::connect(s.client.get(), &AtClient::traced, s.client.get(), &printTrace);
    return s;
}

// Delete with the same CFUN handling as a write: offline first, restore after.
Result<QString> deleteCredential(AtClient &client, qint64 tag, at::CredentialType type)
{
    auto mode = await<int>([&](auto done) { client.functionalMode(done); });
    if (!mode)
        return std::unexpected(mode.error());
    const bool change = !at::cfunAllowsCredentialWrites(*mode);
    if (change) {
        if (auto r = await<void>([&](auto done) { client.setFunctionalMode(4, done); }); !r)
            return std::unexpected(r.error());
    }
    auto deleted = await<void>([&](auto done) { client.deleteCredential(tag, type, done); });
    QString note;
    if (change) {
        auto back = await<void>([&](auto done) { client.setFunctionalMode(*mode, done); });
        if (!back)
            note = QStringLiteral(" Restoring AT+CFUN=%1 failed: %2")
                       .arg(*mode)
                       .arg(back.error().message);
    }
    if (!deleted)
        return fail(
            deleted.error().code, deleted.error().message + note, deleted.error().deviceCode);
    return note;
}

} // namespace

int atCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Talk AT commands to an nRF91 cellular modem on a serial port.\n"
        "  cmng write   write a credential (--tag, --type, --file or --value) and verify it\n"
        "               by the SHA-256 the modem lists; the modem is switched to AT+CFUN=4\n"
        "               for the write and back to its previous mode afterwards\n"
        "  cmng list    list stored credentials with their SHA-256 [--tag N [--type T]]\n"
        "  cmng delete  delete one credential (--tag, --type)\n"
        "  info         model, firmware revision and IMEI\n"
        "  raw          send one command (--command) and print the answer\n"
        "Types: ca, cert, key, psk, identity, pubkey (or 0-5)."));
    parser.addHelpOption();
    parser.addPositionalArgument(
        QStringLiteral("action"), QStringLiteral("cmng write|list|delete, info, raw"));
    QCommandLineOption port(
        QStringLiteral("port"), QStringLiteral("Serial port path or name."), QStringLiteral("P"));
    QCommandLineOption tag(
        QStringLiteral("tag"), QStringLiteral("sec_tag, 0-2147483647."), QStringLiteral("N"));
    QCommandLineOption type(
        QStringLiteral("type"), QStringLiteral("Credential type."), QStringLiteral("T"));
    QCommandLineOption file(QStringLiteral("file"),
        QStringLiteral("File with the content (PEM, hex PSK, identity)."), QStringLiteral("F"));
    QCommandLineOption value(QStringLiteral("value"),
        QStringLiteral("The content itself (PSK hex or identity); arguments are visible to "
                       "other users, prefer --file for secrets."),
        QStringLiteral("V"));
    QCommandLineOption passEnv(QStringLiteral("passphrase-env"),
        QStringLiteral("Name of an environment variable holding the passphrase of an encrypted "
                       "private key."),
        QStringLiteral("VAR"));
    QCommandLineOption command(
        QStringLiteral("command"), QStringLiteral("Raw AT command."), QStringLiteral("AT"));
    QCommandLineOption timeout(QStringLiteral("timeout"),
        QStringLiteral("Per-command timeout in ms (default 3000; writes at least 15000)."),
        QStringLiteral("MS"));
    QCommandLineOption baud(QStringLiteral("baud"), QStringLiteral("Baud rate (default 115200)."),
        QStringLiteral("N"), QStringLiteral("115200"));
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    QCommandLineOption trace(QStringLiteral("trace"),
        QStringLiteral("Print the wire trace to stderr (keys, PSKs and passphrases redacted)."));
    parser.addOptions({port, tag, type, file, value, passEnv, command, timeout, baud, json, trace});
    auto usage = [](const QString &msg) {
        return reportError(Error::make(
            Error::Code::InvalidArgument, msg + QStringLiteral(" Run 'provbench-cli at --help'.")));
    };
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("at"), -1))
        return *stop;
    const QStringList pos = parser.positionalArguments();
    const QString action = pos.join(QLatin1Char(' '));
    static const QStringList actions = {QStringLiteral("cmng write"), QStringLiteral("cmng list"),
        QStringLiteral("cmng delete"), QStringLiteral("info"), QStringLiteral("raw")};
    if (!actions.contains(action))
        return usage(
            QStringLiteral("Name one action: %1.").arg(actions.join(QStringLiteral(", "))));
    if (!parser.isSet(port))
        return usage(QStringLiteral("--port is required."));

    AtClient::Options options;
    if (parser.isSet(timeout)) {
        bool ok = false;
        const int ms = parser.value(timeout).toInt(&ok);
        if (!ok || ms < 50)
            return usage(QStringLiteral("--timeout takes milliseconds, at least 50."));
        options.timeout = std::chrono::milliseconds(ms);
        options.writeTimeout = std::max(options.writeTimeout, options.timeout);
    }
    bool baudOk = false;
    const int baudRate = parser.value(baud).toInt(&baudOk);
    if (!baudOk || baudRate <= 0)
        return usage(QStringLiteral("--baud takes a positive number."));

    std::optional<qint64> tagValue;
    if (parser.isSet(tag)) {
        bool ok = false;
        tagValue = parser.value(tag).toLongLong(&ok);
        if (!ok)
            return usage(QStringLiteral("--tag takes a sec_tag from 0 to 2147483647."));
        if (auto valid = at::validateSecTag(*tagValue); !valid)
            return reportError(valid.error());
    }
    std::optional<at::CredentialType> typeValue;
    if (parser.isSet(type)) {
        typeValue = at::credentialTypeFromKey(parser.value(type));
        if (!typeValue)
            return usage(QStringLiteral("--type is one of ca, cert, key, psk, identity, pubkey."));
    }
    if (action == u"raw" && !parser.isSet(command))
        return usage(QStringLiteral("at raw needs --command \"AT+...\"."));
    if (action == u"raw" && readsSecret(parser.value(command)))
        return usage(QStringLiteral("ProvBench does not read private keys or PSKs back from a "
                                    "modem; verify them with 'at cmng list' (SHA-256)."));
    if ((action == u"cmng write" || action == u"cmng delete") && (!tagValue || !typeValue))
        return usage(QStringLiteral("%1 needs --tag and --type.").arg(action));

    // Read the content before touching the modem: a bad file changes nothing.
    at::CredentialItem item;
    if (action == u"cmng write") {
        if (parser.isSet(file) == parser.isSet(value))
            return usage(QStringLiteral("cmng write needs either --file or --value."));
        QByteArray raw;
        if (parser.isSet(file)) {
            QFile f(parser.value(file));
            if (!f.open(QIODevice::ReadOnly))
                return reportError(Error::make(Error::Code::NotFound,
                    QStringLiteral("Cannot read %1: %2.").arg(f.fileName(), f.errorString())));
            raw = f.read(at::kMaxContentBytes * 2);
        } else {
            raw = parser.value(value).toUtf8();
        }
        auto content = at::prepareContent(*typeValue, raw);
        if (!content)
            return reportError(content.error());
        item = {*tagValue, *typeValue, *content, {}};
        if (parser.isSet(passEnv)) {
            const QByteArray name = parser.value(passEnv).toLocal8Bit();
            if (!qEnvironmentVariableIsSet(name.constData()))
                return usage(QStringLiteral("$%1 is not set.").arg(parser.value(passEnv)));
            item.passphrase = qgetenv(name.constData());
            if (auto ok = at::validatePassphrase(item.type, item.passphrase); !ok)
                return reportError(ok.error());
        }
    }

    auto session = openSession(parser.value(port), baudRate, options, parser.isSet(trace));
    if (!session)
        return reportError(session.error());
    AtClient &client = *session->client;
    const bool asJson = parser.isSet(json);

    if (action == u"info") {
        auto info = await<at::ModemInfo>([&](auto done) { client.modemInfo(done); });
        auto mode = info ? await<int>([&](auto done) { client.functionalMode(done); })
                         : Result<int>(std::unexpected(info.error()));
        if (!mode)
            return reportError(mode.error());
        if (asJson) {
            printJson(QJsonObject{{QStringLiteral("model"), info->model},
                {QStringLiteral("revision"), info->revision}, {QStringLiteral("imei"), info->imei},
                {QStringLiteral("cfun"), *mode}});
        } else {
            printTable({QStringLiteral("FIELD"), QStringLiteral("VALUE")},
                {{QStringLiteral("Model"), info->model},
                    {QStringLiteral("Firmware"), info->revision},
                    {QStringLiteral("IMEI"), info->imei},
                    {QStringLiteral("CFUN"), QString::number(*mode)}});
        }
        return ExitOk;
    }
    if (action == u"raw") {
        auto lines = await<AtClient::Lines>(
            [&](auto done) { client.raw(parser.value(command).toUtf8(), done); });
        if (!lines)
            return reportError(lines.error());
        QJsonArray arr;
        for (const QByteArray &l : *lines) {
            arr.append(QString::fromUtf8(l));
            if (!asJson)
                out() << QString::fromUtf8(l) << '\n';
        }
        if (asJson)
            printJson(QJsonObject{
                {QStringLiteral("lines"), arr}, {QStringLiteral("result"), QStringLiteral("OK")}});
        else
            out() << "OK\n";
        out().flush();
        return ExitOk;
    }
    if (action == u"cmng list") {
        auto list = await<QList<at::CmngEntry>>(
            [&](auto done) { client.listCredentials(tagValue, typeValue, done); });
        if (!list)
            return reportError(list.error());
        QJsonArray arr;
        QList<QStringList> rows;
        for (const at::CmngEntry &e : *list) {
            const auto t = at::credentialTypeFromInt(e.type);
            const QString key = t ? at::credentialTypeKey(*t) : QString::number(e.type);
            arr.append(QJsonObject{{QStringLiteral("tag"), double(e.tag)},
                {QStringLiteral("type"), key}, {QStringLiteral("typeNumber"), e.type},
                {QStringLiteral("sha256"), QString::fromLatin1(e.hash)}});
            rows.append({QString::number(e.tag), key, at::credentialTypeName(e.type),
                QString::fromLatin1(e.hash)});
        }
        if (asJson)
            printJson(arr);
        else if (rows.isEmpty())
            out() << "No credentials stored"
                  << (tagValue ? QStringLiteral(" under sec_tag %1").arg(*tagValue) : QString())
                  << ".\n";
        else
            printTable({QStringLiteral("SEC_TAG"), QStringLiteral("TYPE"), QStringLiteral("WHAT"),
                           QStringLiteral("SHA-256")},
                rows);
        out().flush();
        return ExitOk;
    }
    if (action == u"cmng delete") {
        auto r = deleteCredential(client, *tagValue, *typeValue);
        if (!r)
            return reportError(r.error());
        if (asJson)
            printJson(QJsonObject{{QStringLiteral("deleted"), true},
                {QStringLiteral("tag"), double(*tagValue)},
                {QStringLiteral("type"), at::credentialTypeKey(*typeValue)}});
        else
            out() << "Deleted the " << at::credentialTypeName(*typeValue) << " under sec_tag "
                  << *tagValue << '.' << *r << '\n';
        out().flush();
        return r->isEmpty() ? ExitOk : ExitFailed;
    }

    // cmng write
    at::CredentialWriter writer(&client);
    const at::WriteReport report = await<at::WriteReport>([&](auto done) {
        writer.run({item}, [done](at::WriteReport r) { done(std::move(r)); });
    }).value();
    const at::ItemReport &r = report.items.first();
    if (asJson) {
        printJson(QJsonObject{{QStringLiteral("port"), session->link->name()},
            {QStringLiteral("previousCfun"), report.previousMode},
            {QStringLiteral("cfunRestored"), !report.modeChanged || report.restored},
            {QStringLiteral("restoreError"), report.restoreError},
            {QStringLiteral("items"), QJsonArray{itemJson(r)}}});
    } else {
        out() << at::credentialTypeName(r.type) << " under sec_tag " << r.tag << ": "
              << at::outcomeName(r.outcome) << " (device holds: " << at::holdsName(r.holds)
              << ")\n  " << r.message << '\n';
        if (!report.restoreError.isEmpty())
            out() << "  " << report.restoreError << '\n';
        out().flush();
    }
    return report.allVerified() ? ExitOk : ExitFailed;
}

} // namespace provbench::cli
