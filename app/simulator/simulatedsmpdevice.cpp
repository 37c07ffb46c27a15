#include "app/simulator/simulatedsmpdevice.h"

#include "app/core/logging.h"

#include <QTimer>

namespace provbench::sim {

using namespace provbench::smp;

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
      m_responder(m_config, [this](const char *level, const char *module, const QString &text) {
          log(level, module, text);
      })
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
        return formatLog("inf", "app",
            QStringLiteral("settings: %1 saved keys").arg(m_responder.settings().saved().size()));
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

void SimulatedSmpDevice::handle(const Packet &request)
{
    if (m_rebooting)
        return;
    const auto answer = m_responder.answer(request);
    if (answer)
        respond(*answer);
    if (m_responder.takeResetRequest())
        reboot();
}

void SimulatedSmpDevice::respond(const QByteArray &packet)
{
    auto wire = encodeSerial(packet, m_config.maxFrame);
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
    m_responder.reboot();
    QTimer::singleShot(m_config.rebootMs, this, [this] {
        m_rebooting = false;
        if (isRunning() && !isDraining())
            started();
    });
}

} // namespace provbench::sim
