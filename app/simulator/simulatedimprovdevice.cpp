#include "app/simulator/simulatedimprovdevice.h"

#include "app/core/logging.h"

#include <QTimer>

namespace provbench::sim {

using improv::Command;
using improv::ErrorCode;
using improv::State;

namespace {

bool isValidHostname(const QByteArray &name)
{
    if (name.isEmpty() || name.size() > 63 || name.startsWith('-') || name.endsWith('-'))
        return false;
    for (char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

SimulatedImprovDevice::SimulatedImprovDevice(SimDeviceConfig config, QObject *parent)
    : SimulatedSerialDevice(
        config.deviceName, config.faults, config.latencyMs, config.logNoise, config.seed, parent),
      m_config(std::move(config))
{
    setTrailingNewline(m_config.trailingNewline);
}

SimulatedImprovDevice::~SimulatedImprovDevice() = default;

void SimulatedImprovDevice::started()
{
    m_parser.reset();
    // What a freshly booted firmware prints before anyone is listening.
    logLine('I', "logger:034", QStringLiteral("Log initialized"));
    logLine('I', "app:029", QStringLiteral("Running through setup()..."));
    logLine('C', "improv_serial:032", QStringLiteral("Setting up Improv Serial..."));
}

void SimulatedImprovDevice::factoryReset()
{
    ++m_connectGeneration;
    m_connectedSsid.clear();
    setState(State::Ready);
    if (isRunning() && !isDraining()) {
        logLine('W', "app:102", QStringLiteral("Factory reset: Wi-Fi credentials erased"));
        sendState();
    }
}

// --- input ----------------------------------------------------------------

void SimulatedImprovDevice::bytesReceived(QByteArrayView bytes)
{
    for (const auto &event : m_parser.feed(bytes)) {
        if (event.kind != improv::StreamParser::Event::Kind::Packet) {
            qCDebug(lcSimulator) << "Ignoring line bytes" << event.text.size();
            continue;
        }
        if (event.packet.type != improv::PacketType::RpcCommand) {
            qCDebug(lcSimulator) << "Ignoring packet of type" << int(event.packet.type);
            continue;
        }
        if (consumeNoAnswer())
            continue;
        auto rpc = improv::decodeRpc(event.packet.data);
        if (!rpc) {
            sendLater(improv::encodeError(ErrorCode::InvalidRpc));
            continue;
        }
        schedule(latencyMs(), [this, r = *rpc] { handleCommand(r); });
    }
}

// --- commands -------------------------------------------------------------

void SimulatedImprovDevice::handleCommand(const improv::Rpc &rpc)
{
    qCDebug(lcSimulator).noquote()
        << m_config.deviceName << "handles" << improv::commandName(rpc.command);
    switch (Command(rpc.command)) {
    case Command::WifiSettings:
        handleWifi(rpc);
        return;
    case Command::CurrentState:
        sendState();
        if (m_state == State::Provisioned)
            sendResult(rpc.command, {url()});
        return;
    case Command::DeviceInfo: {
        QList<QByteArray> info{m_config.firmwareName.toUtf8(), m_config.firmwareVersion.toUtf8(),
            m_config.hardware.toUtf8(), m_config.deviceName.toUtf8()};
        if (!m_config.fourStringInfo)
            info << m_config.osName.toUtf8() << m_config.osVersion.toUtf8();
        sendResult(rpc.command, info);
        return;
    }
    case Command::WifiScan:
        logLine('I', "wifi:412", QStringLiteral("Starting scan..."));
        for (const SimNetwork &net : std::as_const(m_config.networks)) {
            const int rssi = net.rssi + int(rng().bounded(-3, 4));
            sendResult(rpc.command,
                {net.ssid.toUtf8(), QByteArray::number(rssi),
                    net.password.isEmpty() ? QByteArrayLiteral("NO") : QByteArrayLiteral("YES")});
        }
        sendResult(rpc.command, {});
        return;
    case Command::Hostname:
    case Command::DeviceName:
        handleGetSet(rpc);
        return;
    case Command::NetworkState:
        if (m_config.legacyFirmware) {
            sendPacket(improv::encodeError(ErrorCode::UnknownRpc));
        } else if (m_state == State::Provisioned) {
            sendResult(
                rpc.command, {QByteArray::number(improv::NetOnline | improv::NetWifi), url()});
        } else {
            sendResult(rpc.command, {QByteArrayLiteral("0")});
        }
        return;
    }
    sendPacket(improv::encodeError(ErrorCode::UnknownRpc));
}

void SimulatedImprovDevice::handleWifi(const improv::Rpc &rpc)
{
    if (rpc.strings.size() != 2) {
        sendPacket(improv::encodeError(ErrorCode::InvalidRpc));
        return;
    }
    const QByteArray ssid = rpc.strings[0];
    const QByteArray password = rpc.strings[1];
    const quint64 generation = ++m_connectGeneration;
    // As ESPHome: a new attempt clears a previous error, then reports progress.
    sendPacket(improv::encodeError(ErrorCode::None));
    setState(State::Provisioning);
    sendState();
    logLine('D', "improv_serial:099",
        QStringLiteral("Received Improv Wi-Fi settings ssid=%1, password=******")
            .arg(QString::fromUtf8(ssid)));
    logLine(
        'I', "wifi:313", QStringLiteral("WiFi Connecting to '%1'...").arg(QString::fromUtf8(ssid)));

    // The join goes on even if the cable is pulled meanwhile (the device keeps
    // power in this model), so its outcome is applied whether or not anyone
    // is listening; only a newer Wi-Fi command or a reset cancels it.
    QTimer::singleShot(m_config.connectMs, this, [this, generation, ssid, password] {
        if (generation != m_connectGeneration)
            return;
        if (isRunning() && !isDraining())
            schedule(0, [this, generation, ssid, password] {
                if (generation == m_connectGeneration)
                    finishConnect(ssid, password);
            });
        else
            finishConnect(ssid, password);
    });
}

void SimulatedImprovDevice::finishConnect(const QByteArray &ssid, const QByteArray &password)
{
    const SimNetwork *network = nullptr;
    for (const SimNetwork &net : std::as_const(m_config.networks)) {
        if (net.ssid.toUtf8() == ssid)
            network = &net;
    }
    const QString ssidText = QString::fromUtf8(ssid);
    if (network && network->password.toUtf8() == password) {
        m_connectedSsid = ssidText;
        logLine('I', "wifi:617", QStringLiteral("WiFi Connected!"));
        logLine('C', "wifi:428",
            QStringLiteral("  IP Address: 192.168.4.%1").arg(rng().bounded(20, 200)));
        setState(State::Provisioned);
        sendState();
        sendResult(quint8(Command::WifiSettings), {url()});
        return;
    }
    m_connectedSsid.clear();
    logLine('W', "wifi:651",
        network ? QStringLiteral("WiFi Connection failed! Reason: Authentication Failed")
                : QStringLiteral("WiFi Connection failed! Reason: No AP found"));
    sendPacket(improv::encodeError(ErrorCode::UnableToConnect));
    setState(State::Ready);
    sendState();
}

void SimulatedImprovDevice::handleGetSet(const improv::Rpc &rpc)
{
    if (m_config.legacyFirmware) {
        sendPacket(improv::encodeError(ErrorCode::UnknownRpc));
        return;
    }
    const bool isHostname = Command(rpc.command) == Command::Hostname;
    QString &value = isHostname ? m_config.hostname : m_config.deviceName;
    if (rpc.strings.size() > 1) {
        sendPacket(improv::encodeError(ErrorCode::InvalidRpc));
        return;
    }
    if (rpc.strings.size() == 1) {
        const QByteArray wanted = rpc.strings.first();
        if (isHostname && !isValidHostname(wanted)) {
            sendPacket(improv::encodeError(ErrorCode::BadHostname));
            return;
        }
        if (!isHostname && wanted.isEmpty()) {
            sendPacket(improv::encodeError(ErrorCode::InvalidRpc));
            return;
        }
        value = QString::fromUtf8(wanted);
        logLine('I', "improv_serial:210",
            QStringLiteral("%1 set to '%2'")
                .arg(isHostname ? QStringLiteral("Hostname") : QStringLiteral("Device name"),
                    value));
    }
    sendResult(rpc.command, {value.toUtf8()});
}

// --- output ---------------------------------------------------------------

QByteArray SimulatedImprovDevice::url() const
{
    return QByteArrayLiteral("http://") + m_config.hostname.toUtf8() + QByteArrayLiteral(".local");
}

void SimulatedImprovDevice::sendState()
{
    sendPacket(improv::encodeState(m_state));
}

void SimulatedImprovDevice::sendResult(quint8 command, const QList<QByteArray> &strings)
{
    auto packet = improv::encodeResult(command, strings);
    if (!packet) {
        // Only reachable with an oversized configuration (a 300-byte SSID...).
        qCWarning(lcSimulator).noquote() << "Cannot encode an answer:" << packet.error().message;
        sendPacket(improv::encodeError(ErrorCode::Unknown));
        return;
    }
    sendPacket(*packet);
}

void SimulatedImprovDevice::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

QByteArray SimulatedImprovDevice::formatLogLine(char level, const char *tag, const QString &text)
{
    return "[" + QByteArray(1, level) + "][" + QByteArray(tag) + "]: " + text.toUtf8() + "\r\n";
}

void SimulatedImprovDevice::logLine(char level, const char *tag, const QString &text)
{
    if (logNoise())
        writeRaw(formatLogLine(level, tag, text));
}

QByteArray SimulatedImprovDevice::noiseLine()
{
    switch (rng().bounded(6)) {
    case 0:
        return formatLogLine('D', "sensor:094",
            QStringLiteral("'Temperature': Sending state %1 C with 1 decimals of accuracy")
                .arg(18.0 + rng().bounded(60) / 10.0, 0, 'f', 1));
    case 1:
        return formatLogLine('D', "sensor:094",
            QStringLiteral("'Humidity': Sending state %1 % with 0 decimals of accuracy")
                .arg(rng().bounded(35, 65)));
    case 2:
        return formatLogLine('I', "wifi:412", QStringLiteral("Starting scan..."));
    case 3:
        return formatLogLine(
            'D', "wifi:286", QStringLiteral("Found networks: %1").arg(m_config.networks.size()));
    case 4:
        return formatLogLine('V', "component:204",
            QStringLiteral("Component improv_serial took a long time for an operation (%1 ms).")
                .arg(rng().bounded(31, 80)));
    default:
        return formatLogLine('D', "improv_serial:143",
            QStringLiteral("Improv state: %1").arg(improv::stateName(m_state)));
    }
}

} // namespace provbench::sim
