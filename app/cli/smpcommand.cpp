#include "app/cli/cliutil.h"
#include "app/cli/commands.h"
#include "app/protocol/smp/smpclient.h"
#include "app/protocol/smp/smpverify.h"
#include "app/transport/seriallink.h"

#include <QCommandLineParser>
#include <QCryptographicHash>
#include <QFile>
#include <QFileInfo>
#include <QJsonObject>
#include <QSaveFile>

namespace provbench::cli {

namespace {

using smp::ItemReport;
using smp::SmpClient;

int printReport(const ItemReport &r, bool asJson)
{
    if (asJson)
        printJson(QJsonObject{{QStringLiteral("item"), r.item},
            {QStringLiteral("outcome"), smp::outcomeName(r.outcome)},
            {QStringLiteral("deviceState"), smp::deviceStateName(r.state)},
            {QStringLiteral("message"), r.message}});
    else
        out() << r.item << ": " << smp::outcomeName(r.outcome) << " (device holds the "
              << smp::deviceStateName(r.state) << " value). " << r.message << '\n';
    out().flush();
    if (r.outcome == ItemReport::Outcome::Verified)
        return ExitOk;
    if (r.error && r.outcome == ItemReport::Outcome::Failed)
        return exitCodeFor(*r.error) == ExitUsage ? ExitUsage : ExitFailed;
    return ExitFailed;
}

int done(Result<void> r, const QString &text, bool asJson)
{
    if (!r)
        return reportError(r.error());
    if (asJson)
        printJson(QJsonObject{{QStringLiteral("ok"), true}, {QStringLiteral("result"), text}});
    else
        out() << text << '\n';
    out().flush();
    return ExitOk;
}

Result<QByteArray> settingValue(
    const QCommandLineParser &p, const QCommandLineOption &value, const QCommandLineOption &hex)
{
    if (p.isSet(value) == p.isSet(hex))
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("settings write needs exactly one of --value V or --hex H."));
    if (p.isSet(value))
        return p.value(value).toUtf8();
    const QByteArray text = p.value(hex).toLatin1();
    auto bytes = QByteArray::fromHex(text);
    if (text.size() % 2 != 0 || bytes.toHex() != text.toLower())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("--hex takes an even number of hex digits, e.g. 0a1b."));
    return bytes;
}

int settingsAction(SmpClient &client, const QString &action, const QCommandLineParser &p,
    const QCommandLineOption &keyOpt, const QCommandLineOption &value,
    const QCommandLineOption &hex, bool asJson)
{
    const QString key = p.value(keyOpt);
    const bool needsKey = action == u"read" || action == u"write" || action == u"delete";
    if (needsKey && key.isEmpty())
        return reportError(Error::make(Error::Code::InvalidArgument,
            QStringLiteral("settings %1 needs --key K.").arg(action)));
    if (action == u"read") {
        auto r = await<QByteArray>([&](auto cb) { client.readSetting(key, cb); });
        if (!r)
            return reportError(r.error());
        const bool secret = smp::isSecretName(key);
        const QString shown
            = secret ? QStringLiteral("<redacted %1 bytes>").arg(r->size()) : QString::fromUtf8(*r);
        if (asJson)
            printJson(QJsonObject{{QStringLiteral("key"), key}, {QStringLiteral("value"), shown},
                {QStringLiteral("hex"), secret ? QString() : QString::fromLatin1(r->toHex())},
                {QStringLiteral("size"), r->size()}});
        else
            out() << key << " = " << shown << '\n';
        out().flush();
        return ExitOk;
    }
    if (action == u"write") {
        auto v = settingValue(p, value, hex);
        if (!v)
            return reportError(v.error());
        return printReport(await<ItemReport>([&](auto cb) {
            smp::writeSettingVerified(
                &client, key, *v, smp::Persist::Save, [cb](ItemReport r) { cb(std::move(r)); });
        }).value(),
            asJson);
    }
    if (action == u"delete")
        return done(await<void>([&](auto cb) { client.deleteSetting(key, cb); }),
            QStringLiteral("Deleted \"%1\" (staged: commit or save to keep it).").arg(key), asJson);
    if (action == u"commit")
        return done(await<void>([&](auto cb) { client.commitSettings(cb); }),
            QStringLiteral("Committed."), asJson);
    if (action == u"save")
        return done(await<void>([&](auto cb) { client.saveSettings(cb); }),
            QStringLiteral("Saved."), asJson);
    return done(await<void>([&](auto cb) { client.loadSettings(cb); }),
        QStringLiteral("Loaded the saved settings."), asJson);
}

int fsAction(SmpClient &client, const QString &action, const QString &remote, const QString &file,
    bool asJson)
{
    if (action == u"upload") {
        QFile f(file);
        if (file.isEmpty() || !f.open(QIODevice::ReadOnly))
            return reportError(Error::make(Error::Code::InvalidArgument,
                QStringLiteral("fs upload needs --file F, a readable local file (%1).").arg(file)));
        const QByteArray data = f.readAll();
        return printReport(await<ItemReport>([&](auto cb) {
            smp::uploadFileVerified(
                &client, remote, data, [cb](ItemReport r) { cb(std::move(r)); });
        }).value(),
            asJson);
    }
    if (action == u"hash") {
        auto h = await<QByteArray>([&](auto cb) { client.hashFile(remote, cb); });
        if (!h)
            return reportError(h.error());
        if (asJson)
            printJson(QJsonObject{{QStringLiteral("remote"), remote},
                {QStringLiteral("sha256"), QString::fromLatin1(h->toHex())}});
        else
            out() << h->toHex() << "  " << remote << '\n';
        out().flush();
        return ExitOk;
    }
    auto data = await<QByteArray>([&](auto cb) { client.downloadFile(remote, cb); });
    if (!data)
        return reportError(data.error());
    if (file.isEmpty() || file == u"-") {
        if (smp::isSecretName(remote))
            return reportError(Error::make(Error::Code::InvalidArgument,
                QStringLiteral("\"%1\" looks secret: download it into a file with --file F.")
                    .arg(remote)));
        out() << QString::fromUtf8(*data);
        out().flush();
        return ExitOk;
    }
    QSaveFile save(file);
    if (!save.open(QIODevice::WriteOnly) || save.write(*data) != data->size() || !save.commit())
        return reportError(Error::make(
            Error::Code::Io, QStringLiteral("Cannot write %1: %2").arg(file, save.errorString())));
    QFile::setPermissions(file, QFile::ReadOwner | QFile::WriteOwner);
    if (asJson)
        printJson(QJsonObject{{QStringLiteral("remote"), remote}, {QStringLiteral("file"), file},
            {QStringLiteral("size"), data->size()},
            {QStringLiteral("sha256"),
                QString::fromLatin1(
                    QCryptographicHash::hash(*data, QCryptographicHash::Sha256).toHex())}});
    else
        out() << "Downloaded " << data->size() << " bytes of " << remote << " to " << file << '\n';
    out().flush();
    return ExitOk;
}

} // namespace

int smpCommand(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Talk MCUmgr SMP to a Zephyr / nRF Connect SDK device on a serial port.\n"
        "  smp echo [--text T]\n"
        "  smp reset\n"
        "  smp settings read|write|delete|commit|save|load [--key K] [--value V | --hex H]\n"
        "      (write saves and reads back to verify)\n"
        "  smp fs upload|download|hash --remote PATH [--file F]\n"
        "      (upload verifies with the device's SHA-256)"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("action"), QStringLiteral("What to do."));
    QCommandLineOption port(
        QStringLiteral("port"), QStringLiteral("Serial port path or name."), QStringLiteral("P"));
    QCommandLineOption text(QStringLiteral("text"), QStringLiteral("Echo text."),
        QStringLiteral("T"), QStringLiteral("hello"));
    QCommandLineOption key(
        QStringLiteral("key"), QStringLiteral("Settings key."), QStringLiteral("K"));
    QCommandLineOption value(
        QStringLiteral("value"), QStringLiteral("Value as text (UTF-8)."), QStringLiteral("V"));
    QCommandLineOption hex(
        QStringLiteral("hex"), QStringLiteral("Value as hex bytes."), QStringLiteral("H"));
    QCommandLineOption remote(QStringLiteral("remote"),
        QStringLiteral("Path on the device, e.g. /lfs/cert.pem."), QStringLiteral("PATH"));
    QCommandLineOption file(QStringLiteral("file"),
        QStringLiteral("Local file to upload, or to download into."), QStringLiteral("F"));
    QCommandLineOption timeout(QStringLiteral("timeout"),
        QStringLiteral("Per-request timeout in ms (default 3000)."), QStringLiteral("MS"));
    QCommandLineOption mtu(QStringLiteral("mtu"),
        QStringLiteral("Largest SMP packet the device accepts (default 384)."),
        QStringLiteral("N"));
    QCommandLineOption baud(QStringLiteral("baud"), QStringLiteral("Baud rate (default 115200)."),
        QStringLiteral("N"), QStringLiteral("115200"));
    QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print JSON."));
    QCommandLineOption trace(QStringLiteral("trace"),
        QStringLiteral("Print the decoded SMP trace to stderr (secrets redacted)."));
    parser.addOptions({port, text, key, value, hex, remote, file, timeout, mtu, baud, json, trace});
    auto usage = [](const QString &msg) {
        return reportError(Error::make(Error::Code::InvalidArgument,
            msg + QStringLiteral(" Run 'provbench-cli smp --help'.")));
    };
    if (auto stop = parseCommandLine(parser, args, QStringLiteral("smp"), -1))
        return *stop;
    const QStringList pos = parser.positionalArguments();
    const QString what = pos.value(0);
    const QString sub = pos.value(1);
    const QStringList settingsActions{QStringLiteral("read"), QStringLiteral("write"),
        QStringLiteral("delete"), QStringLiteral("commit"), QStringLiteral("save"),
        QStringLiteral("load")};
    const QStringList fsActions{
        QStringLiteral("upload"), QStringLiteral("download"), QStringLiteral("hash")};
    const bool ok = ((what == u"echo" || what == u"reset") && pos.size() == 1)
        || (what == u"settings" && pos.size() == 2 && settingsActions.contains(sub))
        || (what == u"fs" && pos.size() == 2 && fsActions.contains(sub));
    if (!ok)
        return usage(
            QStringLiteral("Name one action: echo, reset, settings %1, fs %2.")
                .arg(settingsActions.join(QLatin1Char('|')), fsActions.join(QLatin1Char('|'))));
    if (!parser.isSet(port))
        return usage(QStringLiteral("--port is required."));
    if (what == u"fs" && parser.value(remote).isEmpty())
        return usage(QStringLiteral("fs %1 needs --remote PATH.").arg(sub));

    SmpClient::Options options;
    if (parser.isSet(timeout)) {
        bool good = false;
        const int ms = parser.value(timeout).toInt(&good);
        if (!good || ms < 50)
            return usage(QStringLiteral("--timeout takes milliseconds, at least 50."));
        options.timeout = std::chrono::milliseconds(ms);
    }
    if (parser.isSet(mtu)) {
        bool good = false;
        options.mtu = parser.value(mtu).toInt(&good);
        if (!good || options.mtu < 64 || options.mtu > smp::kMaxPacket)
            return usage(QStringLiteral("--mtu takes 64 to %1 bytes.").arg(smp::kMaxPacket));
    }
    bool baudOk = false;
    const int baudRate = parser.value(baud).toInt(&baudOk);
    if (!baudOk || baudRate <= 0)
        return usage(QStringLiteral("--baud takes a positive number."));
    auto resolved = resolvePortPath(parser.value(port));
    if (!resolved)
        return reportError(resolved.error());
    const QString path = *resolved;

    SerialLink link(path, baudRate);
    if (auto opened = link.open(); !opened)
        return reportError(opened.error());
    SmpClient client(&link, options);
    if (parser.isSet(trace))
        QObject::connect(&client, &SmpClient::traced, &client, &printTrace);
    const bool asJson = parser.isSet(json);

    if (what == u"echo") {
        auto r = await<QString>([&](auto cb) { client.echo(parser.value(text), cb); });
        if (!r)
            return reportError(r.error());
        return done({}, *r, asJson);
    }
    if (what == u"reset")
        return done(await<void>([&](auto cb) { client.reset(cb); }),
            QStringLiteral("The device accepted the reset and is rebooting."), asJson);
    if (what == u"settings")
        return settingsAction(client, sub, parser, key, value, hex, asJson);
    return fsAction(client, sub, parser.value(remote), parser.value(file), asJson);
}

} // namespace provbench::cli
