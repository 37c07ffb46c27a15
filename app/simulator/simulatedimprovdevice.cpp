#include "app/simulator/simulatedimprovdevice.h"

#include "app/core/logging.h"
#include "app/simulator/ptypair.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <unistd.h>

namespace provbench::sim {

using improv::Command;
using improv::ErrorCode;
using improv::State;

namespace {

constexpr int kDrainPollMs = 5;
// Bytes written to the master reach the slave's queue asynchronously (the
// kernel pushes them from a work queue), so an empty queue right after the
// write proves nothing: give them this long to show up first.
constexpr int kDrainMinMs = 20;
constexpr int kDrainLimitMs = 500;

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
    : QObject(parent),
      m_config(std::move(config)),
      m_rng(m_config.seed),
      m_queueTimer(new QTimer(this))
{
    m_noiseTimer = new QTimer(this);
    m_noiseTimer->setSingleShot(true);
    connect(m_noiseTimer, &QTimer::timeout, this, &SimulatedImprovDevice::emitLogLine);
    // Precise, single timer for answers: coarse timers may be reordered, and
    // the order of answers is part of the protocol.
    m_queueTimer->setSingleShot(true);
    m_queueTimer->setTimerType(Qt::PreciseTimer);
    connect(m_queueTimer, &QTimer::timeout, this, &SimulatedImprovDevice::runDue);
    m_clock.start();
}

SimulatedImprovDevice::~SimulatedImprovDevice()
{
    // The notifier must go before the descriptor it watches.
    delete m_notifier;
    m_notifier = nullptr;
    m_pty.reset();
}

Result<void> SimulatedImprovDevice::start(const QString &linkPath)
{
    if (m_pty)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The simulated device is already running on %1: unplug it "
                           "before starting it again.")
                .arg(m_portPath));
    auto pty = PtyPair::open(linkPath);
    if (!pty)
        return std::unexpected(pty.error());
    m_pty = std::move(*pty);
    m_portPath = m_pty->linkPath().isEmpty() ? m_pty->slavePath() : m_pty->linkPath();
    m_parser.reset();
    m_bytesSent = 0;
    m_draining = false;
    m_notifier = new QSocketNotifier(m_pty->masterFd(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SimulatedImprovDevice::onReadable);
    qCInfo(lcSimulator).noquote() << "Simulated" << m_config.firmwareName << "device"
                                  << m_config.deviceName << "on" << m_portPath;

    if (m_config.logNoise) {
        // What a freshly booted firmware prints before anyone is listening.
        logLine('I', "logger:034", QStringLiteral("Log initialized"));
        logLine('I', "app:029", QStringLiteral("Running through setup()..."));
        logLine('C', "improv_serial:032", QStringLiteral("Setting up Improv Serial..."));
        m_noiseTimer->start(int(m_rng.bounded(300, 901)));
    }
    return {};
}

void SimulatedImprovDevice::unplug()
{
    if (!m_pty)
        return;
    delete m_notifier;
    m_notifier = nullptr;
    m_noiseTimer->stop();
    m_queueTimer->stop();
    m_queue.clear();
    m_draining = false;
    m_pty.reset();
    m_parser.reset();
    qCInfo(lcSimulator).noquote() << "Simulated device" << m_config.deviceName << "unplugged from"
                                  << m_portPath;
    Q_EMIT unplugged();
}

bool SimulatedImprovDevice::isRunning() const
{
    return m_pty != nullptr;
}

QString SimulatedImprovDevice::portPath() const
{
    return m_portPath;
}

void SimulatedImprovDevice::factoryReset()
{
    ++m_connectGeneration;
    m_connectedSsid.clear();
    setState(State::Ready);
    if (isRunning() && !m_draining) {
        logLine('W', "app:102", QStringLiteral("Factory reset: Wi-Fi credentials erased"));
        sendState();
    }
}

// --- input ----------------------------------------------------------------

void SimulatedImprovDevice::onReadable()
{
    char buf[512];
    for (;;) {
        if (!m_pty)
            return;
        const ssize_t n = ::read(m_pty->masterFd(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            // Cannot happen while the slave is held open; do not spin if it does.
            qCWarning(lcSimulator) << "Reading the pty of" << m_config.deviceName << "failed";
            m_notifier->setEnabled(false);
            return;
        }
        if (m_draining)
            continue; // the cable is being pulled: the device hears nothing more

        for (const auto &event : m_parser.feed(QByteArrayView(buf, n))) {
            if (event.kind != improv::StreamParser::Event::Kind::Packet) {
                qCDebug(lcSimulator) << "Ignoring line bytes" << event.text.size();
                continue;
            }
            if (event.packet.type != improv::PacketType::RpcCommand) {
                qCDebug(lcSimulator) << "Ignoring packet of type" << int(event.packet.type);
                continue;
            }
            if (m_config.faults.noAnswer > 0) {
                --m_config.faults.noAnswer;
                qCDebug(lcSimulator) << "Fault: not answering a command";
                continue;
            }
            auto rpc = improv::decodeRpc(event.packet.data);
            if (!rpc) {
                sendLater(improv::encodeError(ErrorCode::InvalidRpc));
                continue;
            }
            schedule(m_config.latencyMs, [this, r = *rpc] { handleCommand(r); });
        }
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
            const int rssi = net.rssi + int(m_rng.bounded(-3, 4));
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
        if (isRunning() && !m_draining)
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
            QStringLiteral("  IP Address: 192.168.4.%1").arg(m_rng.bounded(20, 200)));
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

void SimulatedImprovDevice::sendPacket(const QByteArray &packet)
{
    QByteArray bytes = packet;
    SimFaults &f = m_config.faults;
    if (f.badChecksum > 0 && !bytes.isEmpty()) {
        --f.badChecksum;
        bytes.back() = char(quint8(bytes.back()) ^ 0x5A);
    }
    if (f.dropBytes > 0 && bytes.size() > 1) {
        --f.dropBytes;
        bytes.remove(bytes.size() / 2, 1);
    }
    if (f.garbage > 0) {
        --f.garbage;
        QByteArray junk;
        const int n = int(m_rng.bounded(4, 17));
        while (junk.size() < n) {
            const char c = char(m_rng.bounded(0, 256));
            if (c != 'I') // never the start of a magic: the junk must not frame a packet
                junk.append(c);
        }
        bytes.prepend(junk);
    }
    if (m_config.trailingNewline)
        bytes.append('\n');
    writeRaw(std::move(bytes));
}

void SimulatedImprovDevice::sendLater(const QByteArray &packet, int extraDelayMs)
{
    schedule(m_config.latencyMs + extraDelayMs, [this, packet] { sendPacket(packet); });
}

void SimulatedImprovDevice::schedule(int delayMs, std::function<void()> action)
{
    qint64 due = m_clock.elapsed() + qMax(0, delayMs);
    if (!m_queue.isEmpty())
        due = qMax(due, m_queue.last().due);
    m_queue.append(Pending{due, std::move(action)});
    if (m_queue.size() == 1)
        m_queueTimer->start(int(qMax<qint64>(0, due - m_clock.elapsed())));
}

void SimulatedImprovDevice::runDue()
{
    while (!m_queue.isEmpty() && m_queue.first().due <= m_clock.elapsed()) {
        const Pending step = m_queue.takeFirst();
        step.action();
        if (!isRunning() || m_draining)
            return; // unplug() or a disconnect fault emptied the queue
    }
    if (!m_queue.isEmpty())
        m_queueTimer->start(int(qMax<qint64>(0, m_queue.first().due - m_clock.elapsed())));
}

void SimulatedImprovDevice::writeRaw(QByteArray bytes)
{
    if (!m_pty || m_draining || bytes.isEmpty())
        return;
    qint64 &cutAt = m_config.faults.disconnectAtByte;
    const bool cut = cutAt >= 0 && m_bytesSent + bytes.size() >= cutAt;
    if (cut)
        bytes.truncate(qMax<qint64>(0, cutAt - m_bytesSent));

    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n
            = ::write(m_pty->masterFd(), bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // The client is not reading and the line buffer is full: like a
            // UART with nobody listening, the rest is lost.
            qCDebug(lcSimulator) << "Line full, dropped" << bytes.size() - done << "bytes";
            break;
        }
        done += n;
        m_bytesSent += n;
    }

    if (cut) {
        cutAt = -1;
        qCInfo(lcSimulator).noquote()
            << "Fault: disconnecting" << m_config.deviceName << "after" << m_bytesSent << "bytes";
        // Let the client read what was sent before the cable goes: closing
        // the master hangs the slave up and discards unread bytes.
        m_draining = true;
        m_queue.clear();
        m_queueTimer->stop();
        m_noiseTimer->stop();
        m_drainClock.start();
        QTimer::singleShot(kDrainMinMs, this, &SimulatedImprovDevice::checkDrained);
    }
}

void SimulatedImprovDevice::checkDrained()
{
    if (!m_pty || !m_draining)
        return;
    if (m_pty->unreadByClient() == 0 || m_drainClock.elapsed() >= kDrainLimitMs) {
        unplug();
        return;
    }
    QTimer::singleShot(kDrainPollMs, this, &SimulatedImprovDevice::checkDrained);
}

void SimulatedImprovDevice::setState(State state)
{
    if (m_state == state)
        return;
    m_state = state;
    Q_EMIT stateChanged(state);
}

void SimulatedImprovDevice::logLine(char level, const char *tag, const QString &text)
{
    if (!m_config.logNoise)
        return;
    QByteArray line
        = "[" + QByteArray(1, level) + "][" + QByteArray(tag) + "]: " + text.toUtf8() + "\r\n";
    writeRaw(std::move(line));
}

void SimulatedImprovDevice::emitLogLine()
{
    if (!isRunning() || m_draining || !m_config.logNoise)
        return;
    switch (m_rng.bounded(6)) {
    case 0:
        logLine('D', "sensor:094",
            QStringLiteral("'Temperature': Sending state %1 C with 1 decimals of accuracy")
                .arg(18.0 + m_rng.bounded(60) / 10.0, 0, 'f', 1));
        break;
    case 1:
        logLine('D', "sensor:094",
            QStringLiteral("'Humidity': Sending state %1 % with 0 decimals of accuracy")
                .arg(m_rng.bounded(35, 65)));
        break;
    case 2:
        logLine('I', "wifi:412", QStringLiteral("Starting scan..."));
        break;
    case 3:
        logLine(
            'D', "wifi:286", QStringLiteral("Found networks: %1").arg(m_config.networks.size()));
        break;
    case 4:
        logLine('V', "component:204",
            QStringLiteral("Component improv_serial took a long time for an operation (%1 ms).")
                .arg(m_rng.bounded(31, 80)));
        break;
    default:
        logLine('D', "improv_serial:143",
            QStringLiteral("Improv state: %1").arg(improv::stateName(m_state)));
        break;
    }
    m_noiseTimer->start(int(m_rng.bounded(300, 901)));
}

} // namespace provbench::sim
