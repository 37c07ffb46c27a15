#include "app/storage/store/auditexport.h"

#include <QJsonDocument>

namespace provbench::store::auditexport {

namespace {

bool startsFormula(const QString &value)
{
    if (value.isEmpty())
        return false;
    switch (value.front().unicode()) {
    case u'=':
    case u'+':
    case u'-':
    case u'@':
    case u'\t':
    case u'\r':
        return true;
    default:
        return false;
    }
}

Result<void> put(QIODevice &out, const QByteArray &bytes)
{
    if (out.write(bytes) != bytes.size())
        return fail(Error::Code::Io,
            QStringLiteral("Could not write the export: %1. Check the disk space and the "
                           "output path.")
                .arg(out.errorString()));
    return {};
}

} // namespace

Result<Format> parseFormat(const QString &name)
{
    if (name.compare(u"csv", Qt::CaseInsensitive) == 0)
        return Format::Csv;
    if (name.compare(u"json", Qt::CaseInsensitive) == 0)
        return Format::Json;
    return fail(Error::Code::InvalidArgument,
        QStringLiteral("The export format '%1' is not known: use csv or json.").arg(name));
}

QString csvCell(const QString &value)
{
    QString cell = startsFormula(value) ? u'\'' + value : value;
    if (cell.contains(u',') || cell.contains(u'"') || cell.contains(u'\r')
        || cell.contains(u'\n')) {
        cell.replace(u'"', QStringLiteral("\"\""));
        cell = u'"' + cell + u'"';
    }
    return cell;
}

QString csvRow(const QStringList &cells)
{
    QStringList out;
    out.reserve(cells.size());
    for (const QString &c : cells)
        out.append(csvCell(c));
    return out.join(u',') + QStringLiteral("\r\n");
}

QStringList csvHeader()
{
    return {QStringLiteral("seq"), QStringLiteral("time"), QStringLiteral("actor"),
        QStringLiteral("kind"), QStringLiteral("device"), QStringLiteral("intent"),
        QStringLiteral("details"), QStringLiteral("prev_hash"), QStringLiteral("hash")};
}

QStringList csvFields(const AuditRecord &r)
{
    return {QString::number(r.seq), r.time, r.actor, r.kind, r.deviceId,
        r.intentSeq > 0 ? QString::number(r.intentSeq) : QString(), QString::fromUtf8(r.details),
        r.prevHash, r.hash};
}

QJsonObject toJson(const AuditRecord &r)
{
    QJsonObject o{{QStringLiteral("seq"), r.seq}, {QStringLiteral("time"), r.time},
        {QStringLiteral("actor"), r.actor}, {QStringLiteral("kind"), r.kind},
        {QStringLiteral("device"), r.deviceId}, {QStringLiteral("details"), r.detailsObject()},
        {QStringLiteral("prev_hash"), r.prevHash}, {QStringLiteral("hash"), r.hash}};
    if (r.intentSeq > 0)
        o.insert(QStringLiteral("intent"), r.intentSeq);
    return o;
}

Result<qint64> write(const AuditLog &log, const AuditFilter &filter, Format format, QIODevice &out)
{
    qint64 count = 0;
    Result<void> written
        = put(out, format == Format::Csv ? csvRow(csvHeader()).toUtf8() : QByteArray("[\n"));
    if (!written)
        return std::unexpected(written.error());
    auto walked = log.forEach(filter, [&](const AuditRecord &r) {
        QByteArray line;
        if (format == Format::Csv) {
            line = csvRow(csvFields(r)).toUtf8();
        } else {
            line = count ? QByteArray(",\n  ") : QByteArray("  ");
            line += QJsonDocument(toJson(r)).toJson(QJsonDocument::Compact);
        }
        written = put(out, line);
        ++count;
        return bool(written);
    });
    if (!walked)
        return std::unexpected(walked.error());
    if (!written)
        return std::unexpected(written.error());
    if (format == Format::Json) {
        if (auto ok = put(out, count ? QByteArray("\n]\n") : QByteArray("]\n")); !ok)
            return std::unexpected(ok.error());
    }
    return count;
}

} // namespace provbench::store::auditexport
