#include "app/storage/store/auditrecord.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>
#include <cmath>

namespace provbench::store {

namespace {

void appendString(QByteArray &out, const QString &text)
{
    out += '"';
    for (const char c : text.toUtf8()) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\b':
            out += "\\b";
            break;
        case '\f':
            out += "\\f";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\r':
            out += "\\r";
            break;
        case '\t':
            out += "\\t";
            break;
        default:
            if (u < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[u >> 4];
                out += hex[u & 0xf];
            } else {
                out += c;
            }
        }
    }
    out += '"';
}

void appendNumber(QByteArray &out, double d)
{
    constexpr double kMaxExact = 9007199254740992.0; // 2^53
    if (!std::isfinite(d)) {
        out += "null"; // JSON has no NaN or infinity; QJsonValue cannot hold them either
    } else if (d == std::trunc(d) && std::fabs(d) <= kMaxExact) {
        out += QByteArray::number(static_cast<qint64>(d));
    } else {
        out += QByteArray::number(d, 'g', QLocale::FloatingPointShortest);
    }
}

void appendValue(QByteArray &out, const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Null:
    case QJsonValue::Undefined:
        out += "null";
        break;
    case QJsonValue::Bool:
        out += value.toBool() ? "true" : "false";
        break;
    case QJsonValue::Double:
        appendNumber(out, value.toDouble());
        break;
    case QJsonValue::String:
        appendString(out, value.toString());
        break;
    case QJsonValue::Array: {
        out += '[';
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i) {
            if (i)
                out += ',';
            appendValue(out, array.at(i));
        }
        out += ']';
        break;
    }
    case QJsonValue::Object: {
        const QJsonObject object = value.toObject();
        QStringList keys = object.keys();
        std::sort(keys.begin(), keys.end()); // QString orders by UTF-16 code units
        out += '{';
        for (qsizetype i = 0; i < keys.size(); ++i) {
            if (i)
                out += ',';
            appendString(out, keys[i]);
            out += ':';
            appendValue(out, object.value(keys[i]));
        }
        out += '}';
        break;
    }
    }
}

void appendField(QByteArray &out, const QByteArray &bytes)
{
    out += QByteArray::number(bytes.size());
    out += ':';
    out += bytes;
    out += '\n';
}

} // namespace

QJsonObject AuditRecord::detailsObject() const
{
    return QJsonDocument::fromJson(details).object();
}

QByteArray canonicalJson(const QJsonValue &value)
{
    QByteArray out;
    appendValue(out, value);
    return out;
}

QByteArray canonicalEncoding(const AuditRecord &record)
{
    QByteArray out = "provbench-audit-v1\n";
    appendField(out, QByteArray::number(record.seq));
    appendField(out, record.time.toUtf8());
    appendField(out, record.actor.toUtf8());
    appendField(out, record.kind.toUtf8());
    appendField(out, record.deviceId.toUtf8());
    appendField(out, record.intentSeq > 0 ? QByteArray::number(record.intentSeq) : QByteArray());
    appendField(out, record.details);
    appendField(out, record.prevHash.toUtf8());
    return out;
}

QString recordHash(const AuditRecord &record)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(canonicalEncoding(record), QCryptographicHash::Sha256).toHex());
}

} // namespace provbench::store
