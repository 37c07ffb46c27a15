#include "app/protocol/improv/improvcodec.h"

namespace provbench::improv {

namespace {

constexpr QByteArrayView magicView()
{
    return QByteArrayView(kMagic, kMagicSize);
}

// Longest suffix of `bytes` that is a proper prefix of the magic: those bytes
// may become a packet once more data arrives, so they must not be thrown away.
qsizetype partialMagicSuffix(QByteArrayView bytes)
{
    const QByteArrayView magic = magicView();
    for (qsizetype n = std::min<qsizetype>(bytes.size(), kMagicSize - 1); n > 0; --n) {
        if (bytes.last(n) == magic.first(n))
            return n;
    }
    return 0;
}

QString decodeText(const QByteArray &bytes)
{
    return QString::fromUtf8(bytes);
}

} // namespace

quint8 checksum(QByteArrayView bytes)
{
    quint32 sum = 0;
    for (char c : bytes)
        sum += static_cast<quint8>(c);
    return static_cast<quint8>(sum & 0xFF);
}

QString stateName(State state)
{
    switch (state) {
    case State::Stopped:
        return QStringLiteral("stopped");
    case State::AuthorizationRequired:
        return QStringLiteral("authorization required");
    case State::Ready:
        return QStringLiteral("ready");
    case State::Provisioning:
        return QStringLiteral("provisioning");
    case State::Provisioned:
        return QStringLiteral("provisioned");
    }
    return QStringLiteral("unknown state 0x%1").arg(int(state), 2, 16, QLatin1Char('0'));
}

QString commandName(quint8 command)
{
    switch (Command(command)) {
    case Command::WifiSettings:
        return QStringLiteral("send Wi-Fi settings");
    case Command::CurrentState:
        return QStringLiteral("request current state");
    case Command::DeviceInfo:
        return QStringLiteral("request device info");
    case Command::WifiScan:
        return QStringLiteral("scan Wi-Fi networks");
    case Command::Hostname:
        return QStringLiteral("get/set hostname");
    case Command::DeviceName:
        return QStringLiteral("get/set device name");
    case Command::NetworkState:
        return QStringLiteral("request network state");
    }
    return QStringLiteral("command 0x%1").arg(int(command), 2, 16, QLatin1Char('0'));
}

QString errorName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::None:
        return QStringLiteral("no error");
    case ErrorCode::InvalidRpc:
        return QStringLiteral("invalid RPC packet");
    case ErrorCode::UnknownRpc:
        return QStringLiteral("unknown RPC command");
    case ErrorCode::UnableToConnect:
        return QStringLiteral("unable to connect");
    case ErrorCode::NotAuthorized:
        return QStringLiteral("not authorized");
    case ErrorCode::BadHostname:
        return QStringLiteral("bad hostname");
    case ErrorCode::Unknown:
        return QStringLiteral("unknown error");
    }
    return QStringLiteral("error 0x%1").arg(int(code), 2, 16, QLatin1Char('0'));
}

Result<QByteArray> encodePacket(PacketType type, QByteArrayView data)
{
    if (data.size() > kMaxData)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("An Improv packet carries at most %1 bytes of data, this one "
                           "needs %2: shorten the values sent.")
                .arg(kMaxData)
                .arg(data.size()));
    QByteArray out;
    out.reserve(kHeaderSize + data.size() + 1);
    out.append(magicView());
    out.append(char(kVersion));
    out.append(char(type));
    out.append(char(data.size()));
    out.append(data);
    out.append(char(checksum(out)));
    return out;
}

Result<QByteArray> encodeRpc(const Rpc &rpc)
{
    QByteArray body;
    for (const QByteArray &s : rpc.strings) {
        if (s.size() > kMaxData)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("A value of %1 bytes does not fit an Improv string (at most "
                               "255 bytes): shorten it.")
                    .arg(s.size()));
        body.append(char(s.size()));
        body.append(s);
    }
    if (body.size() > kMaxData - 2)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The values together take %1 bytes; an Improv command carries at "
                           "most 253: shorten the SSID or password.")
                .arg(body.size()));
    QByteArray out;
    out.append(char(rpc.command));
    out.append(char(body.size()));
    out.append(body);
    return out;
}

Result<QByteArray> encodeCommand(Command command, const QList<QByteArray> &strings)
{
    auto rpc = encodeRpc(Rpc{quint8(command), strings});
    if (!rpc)
        return std::unexpected(rpc.error());
    return encodePacket(PacketType::RpcCommand, *rpc);
}

Result<QByteArray> encodeResult(quint8 command, const QList<QByteArray> &strings)
{
    auto rpc = encodeRpc(Rpc{command, strings});
    if (!rpc)
        return std::unexpected(rpc.error());
    return encodePacket(PacketType::RpcResult, *rpc);
}

QByteArray encodeState(State state)
{
    const char b = char(state);
    return *encodePacket(PacketType::CurrentState, QByteArrayView(&b, 1));
}

QByteArray encodeError(ErrorCode code)
{
    const char b = char(code);
    return *encodePacket(PacketType::ErrorState, QByteArrayView(&b, 1));
}

Result<Rpc> decodeRpc(QByteArrayView data)
{
    if (data.size() < 2)
        return fail(Error::Code::Protocol,
            QStringLiteral("The device sent an RPC of %1 bytes; at least 2 are needed.")
                .arg(data.size()));
    Rpc rpc;
    rpc.command = quint8(data[0]);
    const qsizetype declared = quint8(data[1]);
    if (declared > data.size() - 2)
        return fail(Error::Code::Protocol,
            QStringLiteral("The device's RPC declares %1 bytes of data but carries %2.")
                .arg(declared)
                .arg(data.size() - 2));
    qsizetype pos = 2;
    const qsizetype end = 2 + declared;
    while (pos < end) {
        const qsizetype len = quint8(data[pos]);
        ++pos;
        if (len > end - pos)
            return fail(Error::Code::Protocol,
                QStringLiteral("A string in the device's RPC claims %1 bytes but only %2 "
                               "remain.")
                    .arg(len)
                    .arg(end - pos));
        rpc.strings.append(data.sliced(pos, len).toByteArray());
        pos += len;
    }
    return rpc;
}

Result<DeviceInfo> decodeDeviceInfo(const Rpc &rpc)
{
    if (rpc.strings.size() < 4)
        return fail(Error::Code::Protocol,
            QStringLiteral("The device info answer has %1 strings; Improv devices send 4 "
                           "or 6.")
                .arg(rpc.strings.size()));
    DeviceInfo info;
    info.firmwareName = decodeText(rpc.strings[0]);
    info.firmwareVersion = decodeText(rpc.strings[1]);
    info.hardware = decodeText(rpc.strings[2]);
    info.deviceName = decodeText(rpc.strings[3]);
    if (rpc.strings.size() >= 6) {
        info.osName = decodeText(rpc.strings[4]);
        info.osVersion = decodeText(rpc.strings[5]);
    }
    return info;
}

Result<std::optional<WifiNetwork>> decodeScanEntry(const Rpc &rpc)
{
    if (rpc.strings.isEmpty())
        return std::optional<WifiNetwork>{};
    if (rpc.strings.size() < 3)
        return fail(Error::Code::Protocol,
            QStringLiteral("A Wi-Fi scan result has %1 strings; 3 are expected (SSID, "
                           "RSSI, secured).")
                .arg(rpc.strings.size()));
    WifiNetwork net;
    net.ssid = decodeText(rpc.strings[0]);
    bool ok = false;
    net.rssi = rpc.strings[1].trimmed().toInt(&ok);
    if (!ok)
        return fail(Error::Code::Protocol,
            QStringLiteral("The device reported RSSI \"%1\" for \"%2\", which is not a "
                           "number.")
                .arg(decodeText(rpc.strings[1]), net.ssid));
    // ESPHome sends "YES"/"NO"; other firmwares name the security ("WPA2",
    // "WPA/WPA2"). Only an explicit "no authentication" value means open, so a
    // network is never shown as open by mistake.
    const QByteArray auth = rpc.strings[2].trimmed().toUpper();
    net.secured = !(auth == "NO" || auth == "OPEN" || auth == "NONE" || auth == "0");
    return std::optional<WifiNetwork>(net);
}

Result<NetworkState> decodeNetworkState(const Rpc &rpc)
{
    NetworkState st;
    if (rpc.strings.isEmpty())
        return fail(Error::Code::Protocol,
            QStringLiteral("The network state answer is empty; the first string should "
                           "hold the connection flags."));
    bool ok = false;
    st.flags = rpc.strings[0].trimmed().toUInt(&ok, 10);
    if (!ok)
        return fail(Error::Code::Protocol,
            QStringLiteral("The network state flags \"%1\" are not a decimal number.")
                .arg(decodeText(rpc.strings[0])));
    for (qsizetype i = 1; i < rpc.strings.size(); ++i)
        st.urls.append(decodeText(rpc.strings[i]));
    return st;
}

// --- StreamParser -----------------------------------------------------------

void StreamParser::emitNoise(QByteArrayView bytes, QList<Event> &out)
{
    // Log text is grouped into lines; very long runs without a newline (binary
    // garbage) are cut so memory stays bounded.
    constexpr qsizetype kMaxLine = 512;
    for (char c : bytes) {
        if (c == '\n' || c == '\r') {
            if (!m_noise.isEmpty())
                out.append(Event{Event::Kind::Noise, {}, std::exchange(m_noise, {})});
            continue;
        }
        m_noise.append(c);
        if (m_noise.size() >= kMaxLine)
            out.append(Event{Event::Kind::Noise, {}, std::exchange(m_noise, {})});
    }
}

QList<StreamParser::Event> StreamParser::feed(QByteArrayView bytes)
{
    QList<Event> out;
    m_buffer.append(bytes);
    const QByteArrayView magic = magicView();

    for (;;) {
        const qsizetype at = m_buffer.indexOf(magic);
        if (at < 0) {
            // Keep a possible start of the magic, report the rest as log text.
            const qsizetype keep = partialMagicSuffix(m_buffer);
            emitNoise(QByteArrayView(m_buffer).first(m_buffer.size() - keep), out);
            m_buffer.remove(0, m_buffer.size() - keep);
            return out;
        }
        if (at > 0) {
            emitNoise(QByteArrayView(m_buffer).first(at), out);
            m_buffer.remove(0, at);
        }
        if (m_buffer.size() < kHeaderSize)
            return out; // wait for the rest of the header

        // Not a packet after all (e.g. "IMPROV" inside a log line): report it,
        // then give its first byte back to the log text and rescan from the next.
        auto reject = [&](Event::Kind kind, QByteArray candidate) {
            out.append(Event{kind, {}, std::move(candidate)});
            emitNoise(QByteArrayView(m_buffer).first(1), out);
            m_buffer.remove(0, 1);
        };
        if (quint8(m_buffer[kMagicSize]) != kVersion) {
            reject(Event::Kind::BadVersion, m_buffer.first(kHeaderSize));
            continue;
        }
        const qsizetype length = quint8(m_buffer[kMagicSize + 2]);
        const qsizetype total = kHeaderSize + length + 1;
        if (m_buffer.size() < total)
            return out; // wait for data and checksum

        const QByteArrayView candidate = QByteArrayView(m_buffer).first(total);
        if (checksum(candidate.first(total - 1)) != quint8(candidate[total - 1])) {
            reject(Event::Kind::BadChecksum, candidate.toByteArray());
            continue;
        }
        // A packet begins here: whatever log line was in progress has ended.
        if (!m_noise.isEmpty())
            out.append(Event{Event::Kind::Noise, {}, std::exchange(m_noise, {})});
        Packet p;
        p.type = PacketType(quint8(m_buffer[kMagicSize + 1]));
        p.data = m_buffer.sliced(kHeaderSize, length);
        out.append(Event{Event::Kind::Packet, std::move(p), {}});
        m_buffer.remove(0, total);
    }
}

QList<StreamParser::Event> StreamParser::flush()
{
    QList<Event> out;
    emitNoise(m_buffer, out);
    m_buffer.clear();
    if (!m_noise.isEmpty())
        out.append(Event{Event::Kind::Noise, {}, std::exchange(m_noise, {})});
    return out;
}

void StreamParser::reset()
{
    m_buffer.clear();
    m_noise.clear();
}

// --- messages -----------------------------------------------------------------

QString errorMessage(ErrorCode code, Command command, const QString &subject)
{
    const QString what = commandName(quint8(command));
    switch (code) {
    case ErrorCode::None:
        return QString();
    case ErrorCode::InvalidRpc:
        return QStringLiteral("The device rejected the \"%1\" request as malformed. Check that the "
                              "values are valid (SSID 1-32 bytes, password at most 63) and try "
                              "again; if it persists, the firmware may use a different Improv "
                              "version.")
            .arg(what);
    case ErrorCode::UnknownRpc:
        return QStringLiteral("The device's firmware does not support \"%1\". Update the firmware "
                              "to a version with full Improv support, or skip this step.")
            .arg(what);
    case ErrorCode::UnableToConnect:
        if (command == Command::WifiSettings && !subject.isEmpty())
            return QStringLiteral("The device could not join \"%1\": check the password and that "
                                  "the network is in range of the device.")
                .arg(subject);
        return QStringLiteral("The device could not connect to the network: check the Wi-Fi "
                              "credentials and that the network is in range.");
    case ErrorCode::NotAuthorized:
        return QStringLiteral("The device has not authorized this request: press the button on "
                              "the device (or power-cycle it) and try again.");
    case ErrorCode::BadHostname:
        if (subject.isEmpty())
            return QStringLiteral("The device reported a bad hostname: set a hostname of 1-63 "
                                  "letters, digits and hyphens, not starting or ending with a "
                                  "hyphen.");
        return QStringLiteral("The device refused the hostname \"%1\": use 1-63 letters, digits "
                              "and hyphens, not starting or ending with a hyphen.")
            .arg(subject);
    case ErrorCode::Unknown:
        break;
    }
    return QStringLiteral("The device reported an unspecified error (0x%1) for \"%2\". Check the "
                          "device log in the trace panel, power-cycle the device and try again.")
        .arg(int(code), 2, 16, QLatin1Char('0'))
        .arg(what);
}

} // namespace provbench::improv
