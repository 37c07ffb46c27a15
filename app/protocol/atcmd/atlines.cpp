// Information-line parsers and error messages of atcodec.h.
#include "app/protocol/atcmd/atcodec.h"

namespace provbench::at {

namespace {

std::unexpected<Error> malformed(const QString &what, QByteArrayView line)
{
    QString shown = QString::fromUtf8(line.first(std::min<qsizetype>(line.size(), 80)));
    return fail(Error::Code::Protocol,
        QStringLiteral("The modem's answer to %1 is malformed (\"%2\"): line noise or an "
                       "unexpected firmware. Try again; if it persists, check the baud rate.")
            .arg(what, shown));
}

bool parseUnsigned(QByteArrayView text, qint64 max, qint64 *value)
{
    if (text.isEmpty() || text.size() > 10)
        return false;
    qint64 v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    if (v > max)
        return false;
    *value = v;
    return true;
}

QString subject(const ErrorContext &c)
{
    if (c.type && c.tag >= 0)
        return QStringLiteral("the %1 under sec_tag %2")
            .arg(credentialTypeName(*c.type))
            .arg(c.tag);
    if (c.tag >= 0)
        return QStringLiteral("sec_tag %1").arg(c.tag);
    return QStringLiteral("\"%1\"").arg(c.command);
}

} // namespace

Result<CmngEntry> parseCmngLine(QByteArrayView line)
{
    const QByteArrayView prefix("%CMNG:");
    const QString what = QStringLiteral("AT%CMNG=1");
    if (!line.startsWith(prefix))
        return malformed(what, line);
    const QList<QByteArray> parts = line.sliced(prefix.size()).toByteArray().split(',');
    if (parts.size() < 2 || parts.size() > 3)
        return malformed(what, line);
    CmngEntry entry;
    qint64 type = 0;
    if (!parseUnsigned(parts[0].trimmed(), 4294967295LL, &entry.tag)
        || !parseUnsigned(parts[1].trimmed(), 255, &type))
        return malformed(what, line);
    entry.type = int(type);
    if (parts.size() == 3) {
        QByteArray hash = parts[2].trimmed();
        if (hash.size() != 66 || !hash.startsWith('"') || !hash.endsWith('"'))
            return malformed(what, line);
        hash = hash.mid(1, 64);
        for (char c : std::as_const(hash)) {
            const bool hex
                = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex)
                return malformed(what, line);
        }
        entry.hash = hash.toUpper();
    }
    return entry;
}

Result<QList<CmngEntry>> parseCmngList(const QList<QByteArray> &lines)
{
    QList<CmngEntry> entries;
    for (const QByteArray &line : lines) {
        if (line.trimmed().isEmpty())
            continue;
        auto entry = parseCmngLine(line.trimmed());
        if (!entry)
            return std::unexpected(entry.error());
        entries.append(*entry);
    }
    return entries;
}

Result<int> parseCfun(const QList<QByteArray> &lines)
{
    for (const QByteArray &raw : lines) {
        const QByteArray line = raw.trimmed();
        if (!line.startsWith("+CFUN:"))
            continue;
        qint64 mode = 0;
        if (!parseUnsigned(line.mid(6).trimmed(), 255, &mode))
            return malformed(QStringLiteral("AT+CFUN?"), line);
        return int(mode);
    }
    return fail(Error::Code::Protocol,
        QStringLiteral("The modem answered AT+CFUN? without a +CFUN: line. Try again; if it "
                       "persists, the port may not be the modem's AT interface."));
}

Result<QString> parseSingleValue(const QList<QByteArray> &lines, const QString &what)
{
    for (const QByteArray &raw : lines) {
        QByteArray line = raw.trimmed();
        if (line.isEmpty())
            continue;
        // Some firmwares prefix the value ("+CGSN: "...); plain values are the norm.
        if ((line.startsWith('+') || line.startsWith('%')) && line.contains(':'))
            line = line.mid(line.indexOf(':') + 1).trimmed();
        if (line.size() >= 2 && line.startsWith('"') && line.endsWith('"'))
            line = line.mid(1, line.size() - 2);
        return QString::fromUtf8(line);
    }
    return fail(Error::Code::Protocol,
        QStringLiteral("The modem answered %1 with OK but no value.").arg(what));
}

QString cmeErrorName(int code)
{
    switch (code) {
    case 513:
        return QStringLiteral("not found");
    case 514:
        return QStringLiteral("no access");
    case 515:
        return QStringLiteral("memory full");
    case 518:
        return QStringLiteral("not allowed in active state");
    case 519:
        return QStringLiteral("already exists");
    case 527:
        return QStringLiteral("invalid content");
    case 528:
        return QStringLiteral("not allowed when power off warning is active");
    default:
        return {};
    }
}

QString cmeErrorMessage(int code, const ErrorContext &c)
{
    const QString typeName
        = c.type ? credentialTypeName(*c.type) : QStringLiteral("credential of that type");
    switch (code) {
    case 513:
        return QStringLiteral("The modem holds no %1 under sec_tag %2 (+CME ERROR: 513, not "
                              "found): list what it holds with 'provbench-cli at cmng list'.")
            .arg(typeName)
            .arg(c.tag);
    case 514:
        return QStringLiteral("No access to %1 (+CME ERROR: 514): the credential is protected; "
                              "the modem does not allow this operation on it. Use another "
                              "sec_tag.")
            .arg(subject(c));
    case 515:
        return QStringLiteral("The modem's credential storage is full (+CME ERROR: 515): delete "
                              "unused credentials with 'provbench-cli at cmng delete', then write "
                              "again.");
    case 518:
        return QStringLiteral("The modem refused %1 because it is online (+CME ERROR: 518, not "
                              "allowed in active state): ProvBench sets AT+CFUN=4 first — another "
                              "program may have switched it back. Stop the application that "
                              "controls the modem and try again.")
            .arg(c.command.isEmpty() ? QStringLiteral("the command") : c.command);
    case 519:
        return QStringLiteral("%1 already exists and cannot be overwritten (+CME ERROR: 519): "
                              "delete it first or use another sec_tag.")
            .arg(subject(c).at(0).toUpper() + subject(c).mid(1));
    case 527:
        return QStringLiteral("The modem rejected the content of %1 as invalid (+CME ERROR: 527): "
                              "the PEM/hex is malformed: check the file.")
            .arg(subject(c));
    case 528:
        return QStringLiteral("The modem refused the operation because of a low-voltage warning "
                              "(+CME ERROR: 528): check the power supply, then try again.");
    default:
        return QStringLiteral("The modem answered %1 with +CME ERROR: %2. Look the code up in "
                              "Nordic's nRF91 AT command reference; for 3GPP codes below 512, "
                              "check that the command is supported by this modem firmware.")
            .arg(c.command.isEmpty() ? QStringLiteral("the command") : c.command)
            .arg(code);
    }
}

QString plainErrorMessage(const ErrorContext &c)
{
    return QStringLiteral("The modem answered %1 with ERROR and no error code: the command is "
                          "not supported by this firmware, or numeric errors (AT+CMEE=1) are "
                          "off. Check the command and the modem's state (CFUN mode).")
        .arg(c.command.isEmpty() ? QStringLiteral("the command") : c.command);
}

} // namespace provbench::at
