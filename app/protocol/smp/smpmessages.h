#pragma once

#include "app/core/error.h"
#include "app/protocol/smp/smpcodec.h"

#include <QCborMap>

#include <optional>

// The CBOR bodies of the SMP commands ProvBench uses: request builders and
// response readers, pure and independent of the session. Field names follow
// the MCUmgr group documentation (OS 0, settings 3, file system 8).
namespace provbench::smp {

// MCUmgr's common result codes (mcumgr_err_t).
enum MgmtErr : int {
    ErrOk = 0,
    ErrUnknown = 1,
    ErrNoMem = 2,
    ErrInval = 3,
    ErrTimeout = 4,
    ErrNoEnt = 5,
    ErrBadState = 6,
    ErrMsgSize = 7,
    ErrNotSup = 8,
    ErrCorrupt = 9,
    ErrBusy = 10,
    ErrAccessDenied = 11,
    ErrTooOld = 12,
    ErrTooNew = 13,
};

// Group-specific codes of SMP v2 errors ({"err": {"group": g, "rc": rc}}).
enum SettingsErr : int {
    SettingsErrUnknown = 1,
    SettingsErrKeyTooLong = 2,
    SettingsErrKeyNotFound = 3,
    SettingsErrReadNotSupported = 4,
    SettingsErrRootKeyNotFound = 5,
    SettingsErrWriteNotSupported = 6,
    SettingsErrDeleteNotSupported = 7,
    SettingsErrSaveNotSupported = 8,
};
enum FsErr : int {
    FsErrUnknown = 1,
    FsErrInvalidName = 2,
    FsErrNotFound = 3,
    FsErrIsDirectory = 4,
    FsErrOpenFailed = 5,
    FsErrSeekFailed = 6,
    FsErrReadFailed = 7,
    FsErrTruncateFailed = 8,
    FsErrDeleteFailed = 9,
    FsErrWriteFailed = 10,
    FsErrOffsetNotValid = 11,
    FsErrOffsetLargerThanFile = 12,
    FsErrHashNotFound = 13,
    FsErrMountPointNotFound = 14,
    FsErrReadOnly = 15,
    FsErrFileEmpty = 16,
};

// An error a device reported: legacy (SMP v1 {"rc": rc}, group ignored) or
// SMP v2 ({"err": {"group": g, "rc": rc}}).
struct DeviceError
{
    bool legacy = true;
    quint16 group = 0;
    int rc = 0;

    bool operator==(const DeviceError &) const = default;
};

QByteArray encodeCbor(const QCborMap &map);
// Parses a CBOR payload that must be one map (an empty payload is an empty map).
Result<QCborMap> decodeCbor(QByteArrayView payload);

// The error a response carries, if any ("rc": 0 is success).
std::optional<DeviceError> responseError(const QCborMap &body);
QCborMap errorBody(const DeviceError &error);
// "MGMT_ERR_ENOENT", "SETTINGS_MGMT_ERR_KEY_NOT_FOUND", ...
QString errorName(const DeviceError &error);
// An Error whose message says what happened to `subject` (a key, a path) in
// `command` and what to do about it. deviceCode is the rc.
Error toError(const DeviceError &error, const QString &command, const QString &subject = {});

// Secret-looking names (psk, key, pass, secret, token; any case): their
// values are never traced or printed.
bool isSecretName(const QString &name);

// A one-line, redacting rendering of a CBOR body for traces: byte strings as
// text when short and printable, else "<N bytes>"; the "val" and "data" of a
// secret subject as "<redacted N bytes>".
QString describeBody(const QCborMap &body, bool secret);

// --- requests ----------------------------------------------------------------

QCborMap echoRequest(const QString &text);
// OS info: `format` letters as uname takes them ("n" node name, "s" kernel
// name, "i" hardware platform, "a" all).
QCborMap osInfoRequest(const QString &format);
QCborMap settingNameRequest(const QString &name); // read, delete
QCborMap settingWriteRequest(const QString &name, const QByteArray &value);
// An upload chunk; `totalLength` is sent with the first chunk (off 0) only.
QCborMap uploadRequest(
    const QString &path, qint64 offset, const QByteArray &data, std::optional<qint64> totalLength);
QCborMap downloadRequest(const QString &path, qint64 offset);
QCborMap hashRequest(const QString &path, const QString &type = QStringLiteral("sha256"));

// --- responses (call after responseError() said there is none) ----------------

Result<QString> readEcho(const QCborMap &body);
Result<QString> readOsInfo(const QCborMap &body); // the "output" text
Result<QByteArray> readSettingValue(const QCborMap &body);
// The device's offset after an upload chunk.
Result<qint64> readUploadOffset(const QCborMap &body);
struct DownloadChunk
{
    qint64 offset = 0;
    QByteArray data;
    std::optional<qint64> totalLength; // sent with the chunk at offset 0
};
Result<DownloadChunk> readDownloadChunk(const QCborMap &body);
struct HashResult
{
    QString type;
    qint64 offset = 0;
    qint64 length = -1;
    QByteArray output;
};
Result<HashResult> readHash(const QCborMap &body);

} // namespace provbench::smp
