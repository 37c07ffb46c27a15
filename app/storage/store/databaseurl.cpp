#include "app/storage/store/databaseurl.h"

#include <QDir>
#include <QFileInfo>
#include <QUrl>

namespace provbench::store {

namespace {

constexpr QLatin1StringView kExample("postgresql://user:password@host:5432/dbname");

QString decode(QStringView text)
{
    return QUrl::fromPercentEncoding(text.toUtf8());
}

auto invalid(const QString &what)
{
    return fail(Error::Code::InvalidArgument,
        QStringLiteral("%1 Write the database as 'sqlite:PATH' or '%2'.").arg(what, kExample));
}

// A value that can go into a libpq conninfo string unquoted.
bool isPlainOptionValue(const QString &value)
{
    if (value.isEmpty())
        return false;
    for (QChar c : value) {
        if (c.isSpace() || c == u';' || c == u'\'' || c == u'\\' || c == u'=')
            return false;
    }
    return true;
}

Result<int> parsePort(const QString &text)
{
    bool ok = false;
    const int port = text.toInt(&ok);
    if (!ok || port < 1 || port > 65535)
        return invalid(QStringLiteral("The port '%1' in the database URL is not a number from 1 "
                                      "to 65535.")
                           .arg(text));
    return port;
}

Result<DatabaseUrl> parseSqlite(QString rest, const QString &workspacePath)
{
    DatabaseUrl url;
    url.dialect = Dialect::Sqlite;
    if (rest.startsWith(u"//"))
        rest = rest.mid(2);
    rest = decode(rest);
    url.path = rest.isEmpty() ? DatabaseUrl::defaultSqlitePath(workspacePath)
                              : QFileInfo(rest).absoluteFilePath();
    if (url.path.isEmpty())
        return invalid(QStringLiteral("No workspace folder and no SQLite file were given."));
    return url;
}

Result<void> applyQuery(DatabaseUrl &url, const QString &query)
{
    static const QStringList kOptions = {QStringLiteral("sslmode"), QStringLiteral("sslrootcert"),
        QStringLiteral("connect_timeout"), QStringLiteral("application_name")};
    QStringList options;
    for (const QString &pair : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype eq = pair.indexOf(u'=');
        const QString key = decode(pair.left(eq));
        const QString value = eq < 0 ? QString() : decode(pair.mid(eq + 1));
        if (key == u"host") {
            url.host = value;
        } else if (key == u"port") {
            auto port = parsePort(value);
            if (!port)
                return std::unexpected(port.error());
            url.port = *port;
        } else if (kOptions.contains(key)) {
            if (!isPlainOptionValue(value))
                return invalid(QStringLiteral("The URL parameter '%1' needs a value without "
                                              "spaces, quotes or semicolons.")
                                   .arg(key));
            options.append(key + u'=' + value);
        } else {
            return invalid(QStringLiteral("The URL parameter '%1' is not supported (use host, "
                                          "port, sslmode, sslrootcert, connect_timeout or "
                                          "application_name).")
                               .arg(key));
        }
    }
    url.options = options.join(u';');
    return {};
}

Result<DatabaseUrl> parsePostgres(const QString &rest)
{
    DatabaseUrl url;
    url.dialect = Dialect::Postgres;
    const qsizetype qmark = rest.indexOf(u'?');
    const QString beforeQuery = qmark < 0 ? rest : rest.left(qmark);
    const QString query = qmark < 0 ? QString() : rest.mid(qmark + 1);

    // user:password@ — the last '@' ends it, so a password with an unencoded
    // '@' or '/' still parses.
    const qsizetype at = beforeQuery.lastIndexOf(u'@');
    QString hostAndPath = beforeQuery;
    if (at >= 0) {
        const QString userInfo = beforeQuery.left(at);
        hostAndPath = beforeQuery.mid(at + 1);
        const qsizetype colon = userInfo.indexOf(u':');
        url.user = decode(userInfo.left(colon));
        if (colon >= 0)
            url.password = decode(userInfo.mid(colon + 1));
    }
    const qsizetype slash = hostAndPath.indexOf(u'/');
    const QString hostPort = slash < 0 ? hostAndPath : hostAndPath.left(slash);
    url.database = slash < 0 ? QString() : decode(hostAndPath.mid(slash + 1));

    QString portText;
    if (hostPort.startsWith(u'[')) { // [IPv6]:port
        const qsizetype close = hostPort.indexOf(u']');
        if (close < 0)
            return invalid(QStringLiteral("The IPv6 address in the database URL lacks its ']'."));
        url.host = hostPort.mid(1, close - 1);
        if (hostPort.size() > close + 1) {
            if (hostPort.at(close + 1) != u':')
                return invalid(QStringLiteral("Unexpected text after the IPv6 address in the "
                                              "database URL."));
            portText = hostPort.mid(close + 2);
        }
    } else {
        const qsizetype colon = hostPort.lastIndexOf(u':');
        url.host = decode(colon < 0 ? hostPort : hostPort.left(colon));
        if (colon >= 0)
            portText = hostPort.mid(colon + 1);
    }
    if (!portText.isEmpty()) {
        auto port = parsePort(portText);
        if (!port)
            return std::unexpected(port.error());
        url.port = *port;
    }
    if (auto ok = applyQuery(url, query); !ok)
        return std::unexpected(ok.error());
    if (url.database.isEmpty() || url.database.contains(u'/'))
        return invalid(QStringLiteral("The database URL names no database: add it after the "
                                      "host, as in '/dbname'."));
    if (!url.host.isEmpty() && url.host.startsWith(u'/') && !QDir::isAbsolutePath(url.host))
        return invalid(QStringLiteral("The socket folder in the database URL is not an absolute "
                                      "path."));
    return url;
}

} // namespace

QString DatabaseUrl::defaultSqlitePath(const QString &workspacePath)
{
    if (workspacePath.isEmpty())
        return QString();
    return QDir(workspacePath).filePath(QStringLiteral("inventory.db"));
}

Result<DatabaseUrl> DatabaseUrl::parse(const QString &url, const QString &workspacePath)
{
    const QString text = url.trimmed();
    if (text.isEmpty())
        return parseSqlite(QString(), workspacePath);
    if (text.startsWith(u"sqlite:", Qt::CaseInsensitive))
        return parseSqlite(text.mid(7), workspacePath);
    for (QLatin1StringView scheme :
        {QLatin1StringView("postgresql://"), QLatin1StringView("postgres://")}) {
        if (text.startsWith(scheme, Qt::CaseInsensitive))
            return parsePostgres(text.mid(scheme.size()));
    }
    // Name only the scheme: the rest may hold a password.
    const qsizetype colon = text.indexOf(u':');
    const QString scheme = colon < 0 ? QStringLiteral("(none)") : text.left(qMin(colon, 20));
    return invalid(QStringLiteral("The database URL scheme '%1' is not supported: use sqlite: or "
                                  "postgresql://.")
                       .arg(scheme));
}

QString DatabaseUrl::display() const
{
    if (dialect == Dialect::Sqlite)
        return QStringLiteral("sqlite:") + path;
    QString text = QStringLiteral("postgresql://");
    if (!user.isEmpty())
        text += QString::fromUtf8(QUrl::toPercentEncoding(user)) + u'@';
    const bool socket = host.startsWith(u'/');
    if (!socket)
        text += host.contains(u':') ? u'[' + host + u']' : host;
    text += u':' + QString::number(port) + u'/'
        + QString::fromUtf8(QUrl::toPercentEncoding(database));
    QStringList query;
    if (socket)
        query.append(QStringLiteral("host=") + host);
    if (!options.isEmpty())
        query.append(QString(options).replace(u';', u'&'));
    if (!query.isEmpty())
        text += u'?' + query.join(u'&');
    return text;
}

QString DatabaseUrl::redact(QString text) const
{
    // Every occurrence, however short the password: a garbled message is
    // better than a leaked password.
    if (!password.isEmpty()) {
        text.replace(password, QStringLiteral("***"));
        const QString encoded = QString::fromUtf8(QUrl::toPercentEncoding(password));
        if (encoded != password)
            text.replace(encoded, QStringLiteral("***"));
    }
    return text;
}

} // namespace provbench::store
