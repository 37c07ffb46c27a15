#include "app/simulator/simulatedsmpdevice.h"

#include "app/core/logging.h"

#include <QCryptographicHash>
#include <QTimer>

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

SmpDeviceConfig demoSmpConfig(int index)
{
    SmpDeviceConfig c;
    c.seed = quint32(index + 1);
    switch (index % 3) {
    case 0:
        c.name = QStringLiteral("zephyr-sensor-%1").arg(index + 1);
        c.firmware = QStringLiteral("Zephyr 3.6.0");
        c.board = QStringLiteral("nrf52840dk");
        c.settings.insert(QStringLiteral("app/name"), "sensor");
        break;
    case 1:
        c.name = QStringLiteral("ncs-wifi-%1").arg(index + 1);
        c.firmware = QStringLiteral("nRF Connect SDK 2.6.1");
        c.board = QStringLiteral("nrf7002dk");
        c.settings.insert(QStringLiteral("wifi/ssid"), "ProvBench-Lab");
        c.files.insert(QStringLiteral("/lfs/ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        break;
    default:
        c.name = QStringLiteral("legacy-gw-%1").arg(index + 1);
        c.firmware = QStringLiteral("Zephyr 2.7.5");
        c.board = QStringLiteral("nrf5340dk");
        c.legacyErrors = true;
        break;
    }
    return c;
}

SimulatedSmpDevice::SimulatedSmpDevice(SmpDeviceConfig config, QObject *parent)
    : SimulatedSerialDevice(
        config.name, config.faults, config.latencyMs, config.logNoise, config.seed, parent),
      m_config(std::move(config)),
      m_settings(m_config.settings),
      m_files(m_config.maxFileSize, m_config.maxTotalSize, m_config.files)
{
    m_uptime.start();
}

SimulatedSmpDevice::~SimulatedSmpDevice() = default;

QByteArray SimulatedSmpDevice::formatLog(
    const char *level, const char *module, const QString &text) const
{
    const qint64 ms = m_uptime.elapsed();
    const QString stamp = QStringLiteral("[%1:%2:%3.%4,000]")
                              .arg(ms / 3600000, 2, 10, QLatin1Char('0'))
                              .arg(ms / 60000 % 60, 2, 10, QLatin1Char('0'))
                              .arg(ms / 1000 % 60, 2, 10, QLatin1Char('0'))
                              .arg(ms % 1000, 3, 10, QLatin1Char('0'));
    return (stamp
        + QStringLiteral(" <%1> %2: %3\r\n").arg(QLatin1String(level), QLatin1String(module), text))
        .toUtf8();
}

void SimulatedSmpDevice::log(const char *level, const char *module, const QString &text)
{
    if (logNoise())
        writeRaw(formatLog(level, module, text));
}

void SimulatedSmpDevice::started()
{
    m_decoder.reset();
    m_uptime.restart();
    if (!logNoise())
        return;
    const bool ncs = m_config.firmware.startsWith(QLatin1String("nRF"));
    const QString version = m_config.firmware.section(QLatin1Char(' '), -1);
    writeRaw(QStringLiteral("*** Booting %1 v%2 ***\r\n")
                 .arg(ncs ? QStringLiteral("nRF Connect SDK") : QStringLiteral("Zephyr OS build"),
                     version)
                 .toUtf8());
    log("inf", "littlefs", QStringLiteral("LittleFS version 2.8, disk version 2.1"));
    log("inf", "app",
        QStringLiteral("%1 on %2 ready, SMP over UART").arg(m_config.name, m_config.board));
}

QByteArray SimulatedSmpDevice::noiseLine()
{
    switch (rng().bounded(4)) {
    case 0:
        return formatLog("inf", "sensor",
            QStringLiteral("temperature %1.%2 C")
                .arg(rng().bounded(18, 30))
                .arg(rng().bounded(10)));
    case 1:
        return formatLog("dbg", "net_mgmt", QStringLiteral("heartbeat"));
    case 2:
        return formatLog("wrn", "bt_hci_core", QStringLiteral("opcode 0x0c03 status 0x0c"));
    default:
        return formatLog(
            "inf", "app", QStringLiteral("settings: %1 saved keys").arg(m_settings.saved().size()));
    }
}

void SimulatedSmpDevice::corruptPacket(QByteArray &packet)
{
    // Change the first character of the last base64 quantum, which holds the
    // end of the CRC: the packet stays well-formed but fails its CRC check.
    qsizetype end = packet.lastIndexOf('\n');
    if (end < 0)
        end = packet.size();
    while (end > 0 && packet[end - 1] == '=')
        --end;
    const qsizetype lineStart = packet.lastIndexOf('\n', end - 1) + 1;
    const qsizetype textStart = lineStart + 2;
    const qsizetype textLen = end - textStart;
    if (textLen <= 0) {
        SimulatedSerialDevice::corruptPacket(packet);
        return;
    }
    const qsizetype quantum = textStart + (textLen - 1) / 4 * 4;
    packet[quantum] = packet[quantum] == 'A' ? 'B' : 'A';
}

void SimulatedSmpDevice::bytesReceived(QByteArrayView bytes)
{
    for (const auto &ev : m_decoder.feed(bytes)) {
        if (ev.kind != FrameDecoder::Event::Kind::Packet || m_rebooting)
            continue;
        auto packet = decodePacket(ev.bytes);
        if (!packet) {
            log("err", "smp", QStringLiteral("malformed request dropped"));
            continue;
        }
        if (ev.bytes.size() > m_config.mtu) {
            log("err", "smp_uart",
                QStringLiteral("request of %1 bytes does not fit the %2-byte buffer, dropped")
                    .arg(ev.bytes.size())
                    .arg(m_config.mtu));
            continue;
        }
        if (packet->header.op != Op::Read && packet->header.op != Op::Write)
            continue;
        if (consumeNoAnswer())
            continue;
        schedule(latencyMs(), [this, p = *packet] { handle(p); });
    }
}

QCborMap SimulatedSmpDevice::failure(quint16 group, int groupRc, int legacyRc) const
{
    if (m_config.legacyErrors)
        return errorBody(DeviceError{true, 0, legacyRc});
    return errorBody(DeviceError{false, group, groupRc});
}

void SimulatedSmpDevice::handle(const Packet &request)
{
    if (m_rebooting)
        return;
    auto body = decodeCbor(request.payload);
    if (!body) {
        respond(request.header, errorBody(DeviceError{true, 0, ErrInval}));
        return;
    }
    const Header &h = request.header;
    switch (h.group) {
    case GroupOs:
        respond(h, handleOs(h, *body));
        break;
    case GroupSettings:
        respond(h, handleSettings(h, *body));
        break;
    case GroupFs:
        respond(h, handleFs(h, *body));
        break;
    default:
        respond(h, errorBody(DeviceError{true, 0, ErrNotSup}));
        break;
    }
    if (h.group == GroupOs && h.id == kReset.id && h.op == Op::Write)
        reboot();
}

QCborMap SimulatedSmpDevice::handleOs(const Header &h, const QCborMap &body)
{
    if (h.id == kEcho.id && h.op == Op::Write) {
        const QCborValue d = body.value(key("d"));
        if (!d.isString())
            return errorBody(DeviceError{true, 0, ErrInval});
        return QCborMap{{key("r"), d.toString()}};
    }
    if (h.id == kReset.id && h.op == Op::Write)
        return QCborMap{};
    return errorBody(DeviceError{true, 0, ErrNotSup});
}

QCborMap SimulatedSmpDevice::handleSettings(const Header &h, const QCborMap &body)
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
        return QCborMap{};
    case 3:
        if (write)
            m_settings.save();
        else
            m_settings.load();
        log("inf", "settings_mgmt",
            write ? QStringLiteral("settings saved") : QStringLiteral("settings loaded"));
        return QCborMap{};
    default:
        break;
    }
    return errorBody(DeviceError{true, 0, ErrNotSup});
}

QCborMap SimulatedSmpDevice::handleFs(const Header &h, const QCborMap &body)
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

void SimulatedSmpDevice::respond(const Header &request, const QCborMap &body)
{
    Header h = request;
    h.op = Op(quint8(request.op) + 1);
    auto packet = encodePacket(h, encodeCbor(body));
    if (!packet)
        return;
    auto wire = encodeSerial(*packet, m_config.maxFrame);
    if (!wire) {
        qCWarning(lcSimulator).noquote() << "Cannot frame an SMP answer:" << wire.error().message;
        return;
    }
    sendPacket(*wire);
}

void SimulatedSmpDevice::reboot()
{
    ++m_resets;
    m_rebooting = true;
    m_settings.load();
    m_files.abortUpload();
    QTimer::singleShot(m_config.rebootMs, this, [this] {
        m_rebooting = false;
        if (isRunning() && !isDraining())
            started();
    });
}

} // namespace provbench::sim
