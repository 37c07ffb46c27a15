#include "app/protocol/smp/smpmessages.h"

#include <QCborArray>
#include <QCborStreamReader>
#include <QCborValue>

namespace provbench::smp {

namespace {

QString key(const char *k)
{
    return QString::fromLatin1(k);
}

// QCborValue::toInteger() converts a floating-point value without a range
// check (undefined behaviour for huge values): a device answer is read as an
// integer only when it is one.
qint64 integerOr(const QCborValue &v, qint64 fallback)
{
    return v.isInteger() ? v.toInteger() : fallback;
}

Result<qint64> readUnsigned(const QCborMap &body, const char *name, bool required = true)
{
    const QCborValue v = body.value(key(name));
    if (v.isUndefined() && !required)
        return -1;
    if (!v.isInteger() || v.toInteger() < 0)
        return fail(Error::Code::Protocol,
            QStringLiteral("The device's answer lacks a valid \"%1\" (a non-negative integer).")
                .arg(key(name)));
    return v.toInteger();
}

Result<QByteArray> readBytes(const QCborMap &body, const char *name)
{
    const QCborValue v = body.value(key(name));
    if (!v.isByteArray())
        return fail(Error::Code::Protocol,
            QStringLiteral("The device's answer lacks \"%1\" as a byte string.").arg(key(name)));
    return v.toByteArray();
}

QString settingsRcName(int rc)
{
    static const char *names[] = {"OK", "UNKNOWN", "KEY_TOO_LONG", "KEY_NOT_FOUND",
        "READ_NOT_SUPPORTED", "ROOT_KEY_NOT_FOUND", "WRITE_NOT_SUPPORTED", "DELETE_NOT_SUPPORTED",
        "SAVE_NOT_SUPPORTED"};
    if (rc >= 0 && rc < int(std::size(names)))
        return QStringLiteral("SETTINGS_MGMT_ERR_") + QLatin1String(names[rc]);
    return QStringLiteral("SETTINGS_MGMT_ERR_%1").arg(rc);
}

QString fsRcName(int rc)
{
    static const char *names[] = {"OK", "UNKNOWN", "FILE_INVALID_NAME", "FILE_NOT_FOUND",
        "FILE_IS_DIRECTORY", "FILE_OPEN_FAILED", "FILE_SEEK_FAILED", "FILE_READ_FAILED",
        "FILE_TRUNCATE_FAILED", "FILE_DELETE_FAILED", "FILE_WRITE_FAILED", "FILE_OFFSET_NOT_VALID",
        "FILE_OFFSET_LARGER_THAN_FILE", "CHECKSUM_HASH_NOT_FOUND", "MOUNT_POINT_NOT_FOUND",
        "READ_ONLY_FILESYSTEM", "FILE_EMPTY"};
    if (rc >= 0 && rc < int(std::size(names)))
        return QStringLiteral("FS_MGMT_ERR_") + QLatin1String(names[rc]);
    return QStringLiteral("FS_MGMT_ERR_%1").arg(rc);
}

QString mgmtRcName(int rc)
{
    static const char *names[] = {"EOK", "EUNKNOWN", "ENOMEM", "EINVAL", "ETIMEOUT", "ENOENT",
        "EBADSTATE", "EMSGSIZE", "ENOTSUP", "ECORRUPT", "EBUSY", "EACCESSDENIED",
        "UNSUPPORTED_TOO_OLD", "UNSUPPORTED_TOO_NEW"};
    if (rc >= 0 && rc < int(std::size(names)))
        return QStringLiteral("MGMT_ERR_") + QLatin1String(names[rc]);
    if (rc >= 256)
        return QStringLiteral("MGMT_ERR_EPERUSER+%1").arg(rc - 256);
    return QStringLiteral("MGMT_ERR_%1").arg(rc);
}

// The advice for a common code, keyed by what it means for the user.
QString legacyAdvice(int rc)
{
    switch (rc) {
    case ErrNoMem:
        return QStringLiteral("the device is out of memory: free space on it (delete files) or "
                              "use smaller chunks (--mtu)");
    case ErrInval:
        return QStringLiteral("the device rejected a value as invalid: check the key, path and "
                              "value format");
    case ErrTimeout:
        return QStringLiteral("the device timed out internally: try again");
    case ErrNoEnt:
        return QStringLiteral("no such setting/file on the device: check the name");
    case ErrBadState:
        return QStringLiteral("the device is in a state that does not allow this: finish or "
                              "cancel what it is doing (an upload, a reboot), then try again");
    case ErrMsgSize:
        return QStringLiteral("the answer would not fit the device's buffer: use smaller "
                              "chunks (--mtu)");
    case ErrNotSup:
        return QStringLiteral("the firmware does not support this command: enable the "
                              "matching MCUmgr group (Kconfig) in the firmware");
    case ErrCorrupt:
        return QStringLiteral("the device found corrupt data: write it again");
    case ErrBusy:
        return QStringLiteral("the device is busy with another command: wait and try again");
    case ErrAccessDenied:
        return QStringLiteral("the device denied access: the firmware's access hook refuses "
                              "this key or path");
    case ErrTooOld:
    case ErrTooNew:
        return QStringLiteral("the device speaks another SMP protocol version: update the "
                              "firmware or the workbench");
    default:
        return QStringLiteral("the device reported an unknown error: check its log");
    }
}

QString groupAdvice(quint16 group, int rc)
{
    if (group == GroupSettings) {
        switch (rc) {
        case SettingsErrKeyTooLong:
            return QStringLiteral("the key name is too long for the firmware: use a shorter key");
        case SettingsErrKeyNotFound:
        case SettingsErrRootKeyNotFound:
            return QStringLiteral("no such setting on the device: check the key (its subtree "
                                  "must have a handler in the firmware)");
        case SettingsErrReadNotSupported:
        case SettingsErrWriteNotSupported:
        case SettingsErrDeleteNotSupported:
        case SettingsErrSaveNotSupported:
            return QStringLiteral("the firmware's handler for this key does not allow it");
        default:
            break;
        }
    } else if (group == GroupFs) {
        switch (rc) {
        case FsErrInvalidName:
            return QStringLiteral("the path is not valid on the device: use an absolute path "
                                  "on a mounted file system, e.g. /lfs/cert.pem");
        case FsErrNotFound:
            return QStringLiteral("no such file on the device: check the path");
        case FsErrIsDirectory:
            return QStringLiteral("the path is a directory: name a file");
        case FsErrOffsetNotValid:
        case FsErrOffsetLargerThanFile:
            return QStringLiteral("the transfer lost its place: start it again");
        case FsErrMountPointNotFound:
            return QStringLiteral("no file system is mounted there: check the path's mount "
                                  "point");
        case FsErrReadOnly:
            return QStringLiteral("the file system is read-only");
        case FsErrHashNotFound:
            return QStringLiteral("the firmware does not offer this hash type: enable SHA-256 "
                                  "in fs_mgmt");
        case FsErrFileEmpty:
            return QStringLiteral("the file is empty");
        case FsErrOpenFailed:
        case FsErrSeekFailed:
        case FsErrReadFailed:
        case FsErrTruncateFailed:
        case FsErrDeleteFailed:
        case FsErrWriteFailed:
            return QStringLiteral("the device's file system failed (full or damaged?): free "
                                  "space and try again");
        default:
            break;
        }
    }
    return QStringLiteral("the device reported an error: check its log");
}

} // namespace

QByteArray encodeCbor(const QCborMap &map)
{
    return map.toCborValue().toCbor();
}

Result<QCborMap> decodeCbor(QByteArrayView payload)
{
    if (payload.isEmpty())
        return QCborMap();
    QCborParserError error;
    const QByteArray bytes = payload.toByteArray();
    const QCborValue value = QCborValue::fromCbor(bytes, &error);
    if (error.error != QCborError::NoError)
        return fail(Error::Code::Protocol,
            QStringLiteral("The device sent an SMP body that is not valid CBOR (%1 at byte %2).")
                .arg(error.errorString())
                .arg(error.offset));
    if (!value.isMap())
        return fail(Error::Code::Protocol,
            QStringLiteral("The device sent an SMP body that is not a CBOR map."));
    return value.toMap();
}

std::optional<DeviceError> responseError(const QCborMap &body)
{
    const QCborValue err = body.value(key("err"));
    if (err.isMap()) {
        const QCborMap m = err.toMap();
        const qint64 rc = integerOr(m.value(key("rc")), ErrUnknown);
        if (rc == 0)
            return std::nullopt;
        // An rc outside 1..65535 is not a code we can name; clamping it could
        // even turn it into 0, "no error".
        const int code = rc > 0 && rc <= 0xffff ? int(rc) : int(ErrUnknown);
        return DeviceError{false, quint16(integerOr(m.value(key("group")), 0)), code};
    }
    const QCborValue rc = body.value(key("rc"));
    if (rc.isInteger() && rc.toInteger() != 0)
        return DeviceError{true, 0, int(std::clamp<qint64>(rc.toInteger(), -1, 0xffff))};
    return std::nullopt;
}

QCborMap errorBody(const DeviceError &e)
{
    if (e.legacy)
        return QCborMap{{key("rc"), e.rc}};
    return QCborMap{{key("err"), QCborMap{{key("group"), e.group}, {key("rc"), e.rc}}}};
}

QString errorName(const DeviceError &e)
{
    if (e.legacy)
        return mgmtRcName(e.rc);
    if (e.group == GroupSettings)
        return settingsRcName(e.rc);
    if (e.group == GroupFs)
        return fsRcName(e.rc);
    return QStringLiteral("group %1 error %2").arg(e.group).arg(e.rc);
}

Error toError(const DeviceError &e, const QString &command, const QString &subject)
{
    const QString advice = e.legacy ? legacyAdvice(e.rc) : groupAdvice(e.group, e.rc);
    const QString what
        = subject.isEmpty() ? command : QStringLiteral("%1 \"%2\"").arg(command, subject);
    const bool unsupported = (e.legacy && e.rc == ErrNotSup)
        || (!e.legacy && e.group == GroupSettings && e.rc >= SettingsErrReadNotSupported
            && e.rc != SettingsErrRootKeyNotFound);
    return Error::make(unsupported ? Error::Code::Unsupported : Error::Code::Device,
        QStringLiteral("The device refused %1 (%2): %3.").arg(what, errorName(e), advice), e.rc);
}

bool isSecretName(const QString &name)
{
    static const char *words[] = {"psk", "key", "pass", "secret", "token"};
    for (const char *w : words) {
        if (name.contains(QLatin1String(w), Qt::CaseInsensitive))
            return true;
    }
    return false;
}

// --- requests --------------------------------------------------------------------

QCborMap echoRequest(const QString &text)
{
    return QCborMap{{key("d"), text}};
}

QCborMap osInfoRequest(const QString &format)
{
    return QCborMap{{key("format"), format}};
}

QCborMap settingNameRequest(const QString &name)
{
    return QCborMap{{key("name"), name}};
}

QCborMap settingWriteRequest(const QString &name, const QByteArray &value)
{
    // "val" last, so a trace can find and redact it at the end of the body.
    return QCborMap{{key("name"), name}, {key("val"), value}};
}

QCborMap uploadRequest(
    const QString &path, qint64 offset, const QByteArray &data, std::optional<qint64> totalLength)
{
    QCborMap m{{key("name"), path}, {key("off"), offset}};
    if (totalLength)
        m.insert(key("len"), *totalLength);
    m.insert(key("data"), data);
    return m;
}

QCborMap downloadRequest(const QString &path, qint64 offset)
{
    return QCborMap{{key("name"), path}, {key("off"), offset}};
}

QCborMap hashRequest(const QString &path, const QString &type)
{
    return QCborMap{{key("name"), path}, {key("type"), type}};
}

// --- responses ---------------------------------------------------------------------

Result<QString> readEcho(const QCborMap &body)
{
    const QCborValue r = body.value(key("r"));
    if (!r.isString())
        return fail(Error::Code::Protocol,
            QStringLiteral("The device's echo answer lacks the text (\"r\")."));
    return r.toString();
}

Result<QString> readOsInfo(const QCborMap &body)
{
    const QCborValue o = body.value(key("output"));
    if (!o.isString())
        return fail(Error::Code::Protocol,
            QStringLiteral("The device's OS info answer lacks the text (\"output\")."));
    return o.toString();
}

Result<QByteArray> readSettingValue(const QCborMap &body)
{
    return readBytes(body, "val");
}

Result<qint64> readUploadOffset(const QCborMap &body)
{
    return readUnsigned(body, "off");
}

Result<DownloadChunk> readDownloadChunk(const QCborMap &body)
{
    auto off = readUnsigned(body, "off");
    if (!off)
        return std::unexpected(off.error());
    auto data = readBytes(body, "data");
    if (!data)
        return std::unexpected(data.error());
    auto len = readUnsigned(body, "len", false);
    if (!len)
        return std::unexpected(len.error());
    DownloadChunk chunk{*off, *data, std::nullopt};
    if (*len >= 0)
        chunk.totalLength = *len;
    return chunk;
}

Result<HashResult> readHash(const QCborMap &body)
{
    auto output = readBytes(body, "output");
    if (!output)
        return std::unexpected(output.error());
    HashResult h;
    h.type = body.value(key("type")).toString();
    h.offset = std::max<qint64>(0, integerOr(body.value(key("off")), 0));
    h.length = integerOr(body.value(key("len")), -1);
    h.output = *output;
    return h;
}

namespace {

bool printable(const QByteArray &bytes)
{
    const QString s = QString::fromUtf8(bytes);
    if (s.toUtf8() != bytes)
        return false;
    return std::all_of(s.begin(), s.end(), [](QChar c) { return c.isPrint(); });
}

QString describeValue(const QCborValue &v, bool redact)
{
    if (v.isByteArray()) {
        const QByteArray b = v.toByteArray();
        if (redact)
            return QStringLiteral("<redacted %1 bytes>").arg(b.size());
        if (b.size() <= 48 && printable(b))
            return QLatin1Char('\'') + QString::fromUtf8(b) + QLatin1Char('\'');
        return QStringLiteral("<%1 bytes>").arg(b.size());
    }
    if (v.isString())
        return QLatin1Char('"') + v.toString().left(64) + QLatin1Char('"');
    if (v.isMap())
        return describeBody(v.toMap(), redact);
    if (v.isInteger())
        return QString::number(v.toInteger());
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    if (v.isArray())
        return QStringLiteral("[%1 items]").arg(v.toArray().size());
    return QStringLiteral("<%1>").arg(int(v.type()));
}

} // namespace

QString describeBody(const QCborMap &body, bool secret)
{
    QStringList parts;
    for (auto it = body.begin(); it != body.end(); ++it) {
        const QString k = it.key().isString() ? it.key().toString()
                                              : QStringLiteral("#%1").arg(integerOr(it.key(), -1));
        const bool redact = secret && (k == u"val" || k == u"data");
        parts.append(k + QStringLiteral(": ") + describeValue(it.value(), redact));
    }
    return QLatin1Char('{') + parts.join(QStringLiteral(", ")) + QLatin1Char('}');
}

} // namespace provbench::smp
