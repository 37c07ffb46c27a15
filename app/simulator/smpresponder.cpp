#include "app/simulator/smpresponder.h"

#include "app/simulator/enrollmentagent.h"

#include <QCryptographicHash>

namespace provbench::sim {

using namespace provbench::smp;

namespace {

QString key(const char *k)
{
    return QString::fromLatin1(k);
}

constexpr int kMaxKey = 64;
constexpr int kMaxValue = 1024;

} // namespace

SmpResponder::SmpResponder(const SmpDeviceConfig &config, LogFn log)
    : m_config(config),
      m_log(std::move(log)),
      m_settings(config.settings),
      m_files(config.maxFileSize, config.maxTotalSize, config.files)
{
    if (config.selfEnroll) {
        EnrollmentAgent::Options o;
        o.startDelay = std::chrono::milliseconds(config.enrollDelayMs);
        m_agent = std::make_unique<EnrollmentAgent>(
            m_settings, m_files,
            [this](const char *level, const char *module, const QString &text) {
                this->log(level, module, text);
            },
            o);
    }
}

SmpResponder::~SmpResponder() = default;

void SmpResponder::log(const char *level, const char *module, const QString &text)
{
    if (m_log)
        m_log(level, module, text);
}

std::optional<QByteArray> SmpResponder::answer(const Packet &request)
{
    if (request.header.op != Op::Read && request.header.op != Op::Write)
        return std::nullopt;
    QCborMap response;
    const Header &h = request.header;
    auto body = decodeCbor(request.payload);
    if (!body) {
        response = errorBody(DeviceError{true, 0, ErrInval});
    } else {
        switch (h.group) {
        case GroupOs:
            response = handleOs(h, *body);
            break;
        case GroupSettings:
            response = handleSettings(h, *body);
            break;
        case GroupFs:
            response = handleFs(h, *body);
            break;
        default:
            response = errorBody(DeviceError{true, 0, ErrNotSup});
            break;
        }
        if (h.group == GroupOs && h.id == kReset.id && h.op == Op::Write)
            m_resetRequested = true;
    }
    Header answerHeader = h;
    answerHeader.op = Op(quint8(h.op) + 1);
    auto packet = encodePacket(answerHeader, encodeCbor(response));
    if (!packet)
        return std::nullopt;
    return *packet;
}

bool SmpResponder::takeResetRequest()
{
    return std::exchange(m_resetRequested, false);
}

void SmpResponder::reboot()
{
    m_settings.load();
    m_files.abortUpload();
    if (m_agent)
        m_agent->reboot();
}

QCborMap SmpResponder::failure(quint16 group, int groupRc, int legacyRc) const
{
    if (m_config.legacyErrors)
        return errorBody(DeviceError{true, 0, legacyRc});
    return errorBody(DeviceError{false, group, groupRc});
}

QCborMap SmpResponder::handleOs(const Header &h, const QCborMap &body)
{
    if (h.id == kEcho.id && h.op == Op::Write) {
        const QCborValue d = body.value(key("d"));
        if (!d.isString())
            return errorBody(DeviceError{true, 0, ErrInval});
        return QCborMap{{key("r"), d.toString()}};
    }
    if (h.id == kReset.id && h.op == Op::Write)
        return QCborMap{};
    // OS info, as Zephyr answers it: uname-like letters joined by spaces; an
    // unknown letter is the group's "invalid format" error. Legacy (SMP v1)
    // firmware predates the command.
    if (h.id == kOsInfo.id && h.op == Op::Read && !m_config.legacyErrors) {
        const QString format = body.value(key("format")).toString(QStringLiteral("s"));
        QStringList parts;
        for (const QChar c : format) {
            switch (c.unicode()) {
            case 's':
                parts << QStringLiteral("Zephyr");
                break;
            case 'n':
                parts << m_config.name;
                break;
            case 'r':
            case 'v':
                parts << m_config.firmware;
                break;
            case 'i':
            case 'm':
                parts << m_config.board;
                break;
            case 'a':
                parts << QStringLiteral("Zephyr") << m_config.name << m_config.firmware
                      << m_config.board;
                break;
            default:
                return errorBody(DeviceError{false, GroupOs, 2}); // OS_MGMT_ERR_INVALID_FORMAT
            }
        }
        return QCborMap{{key("output"), parts.join(QLatin1Char(' '))}};
    }
    return errorBody(DeviceError{true, 0, ErrNotSup});
}

QCborMap SmpResponder::handleSettings(const Header &h, const QCborMap &body)
{
    const QString name = body.value(key("name")).toString();
    const bool write = h.op == Op::Write;
    const bool needsName = h.id == kSettingRead.id || h.id == kSettingDelete.id;
    if (needsName && name.isEmpty())
        return errorBody(DeviceError{true, 0, ErrInval});
    if (needsName && name.size() > kMaxKey)
        return failure(GroupSettings, SettingsErrKeyTooLong, ErrInval);

    switch (h.id) {
    case 0:
        if (write) {
            const QCborValue val = body.value(key("val"));
            if (!val.isByteArray())
                return errorBody(DeviceError{true, 0, ErrInval});
            if (val.toByteArray().size() > kMaxValue)
                return errorBody(DeviceError{true, 0, ErrNoMem});
            m_settings.write(name, val.toByteArray());
            log("dbg", "settings_mgmt", QStringLiteral("staged %1").arg(name));
            return QCborMap{};
        }
        if (const auto v = m_settings.read(name))
            return QCborMap{{key("val"), *v}};
        return failure(GroupSettings, SettingsErrKeyNotFound, ErrNoEnt);
    case 1:
        if (!write)
            break;
        if (!m_settings.remove(name))
            return failure(GroupSettings, SettingsErrKeyNotFound, ErrNoEnt);
        return QCborMap{};
    case 2:
        if (!write)
            break;
        m_settings.commit();
        log("inf", "settings_mgmt", QStringLiteral("settings committed"));
        if (m_agent)
            m_agent->settingsApplied();
        return QCborMap{};
    case 3:
        if (write)
            m_settings.save();
        else
            m_settings.load();
        log("inf", "settings_mgmt",
            write ? QStringLiteral("settings saved") : QStringLiteral("settings loaded"));
        if (write && m_agent)
            m_agent->settingsApplied();
        return QCborMap{};
    default:
        break;
    }
    return errorBody(DeviceError{true, 0, ErrNotSup});
}

QCborMap SmpResponder::handleFs(const Header &h, const QCborMap &body)
{
    const QString path = body.value(key("name")).toString();
    const QCborValue off = body.value(key("off"));
    if (h.id == kFsUpload.id && h.op == Op::Write) {
        const QCborValue data = body.value(key("data"));
        const QCborValue len = body.value(key("len"));
        if (!off.isInteger() || off.toInteger() < 0 || !data.isByteArray()
            || (len.isInteger() && len.toInteger() < 0))
            return errorBody(DeviceError{true, 0, ErrInval});
        const std::optional<qint64> length
            = len.isInteger() ? std::optional<qint64>(len.toInteger()) : std::nullopt;
        const auto answer = m_files.upload(
            path, off.toInteger(), data.toByteArray(), length, m_config.legacyErrors);
        if (answer.error)
            return errorBody(*answer.error);
        if (m_files.file(path) && !m_files.uploadInProgress() && answer.offset > 0
            && off.toInteger() + data.toByteArray().size() == answer.offset)
            log("inf", "fs_mgmt",
                QStringLiteral("%1: %2 bytes written").arg(path).arg(answer.offset));
        return QCborMap{{key("off"), answer.offset}};
    }
    const auto content = m_files.file(path);
    if (h.id == kFsDownload.id && h.op == Op::Read) {
        if (!off.isInteger() || off.toInteger() < 0)
            return errorBody(DeviceError{true, 0, ErrInval});
        if (!content)
            return failure(GroupFs, FsErrNotFound, ErrNoEnt);
        const qint64 at = off.toInteger();
        if (at > content->size())
            return failure(GroupFs, FsErrOffsetLargerThanFile, ErrInval);
        const qint64 room = std::max(16, m_config.mtu - kHeaderSize - 48);
        QCborMap answer{{key("off"), at}, {key("data"), content->mid(at, room)}};
        if (at == 0)
            answer.insert(key("len"), content->size());
        return answer;
    }
    if (h.id == kFsHash.id && h.op == Op::Read) {
        const QString type = body.value(key("type")).toString(QStringLiteral("sha256"));
        if (type != u"sha256")
            return failure(GroupFs, FsErrHashNotFound, ErrInval);
        if (!content)
            return failure(GroupFs, FsErrNotFound, ErrNoEnt);
        return QCborMap{{key("type"), type}, {key("off"), 0}, {key("len"), content->size()},
            {key("output"), QCryptographicHash::hash(*content, QCryptographicHash::Sha256)}};
    }
    return errorBody(DeviceError{true, 0, ErrNotSup});
}

} // namespace provbench::sim
