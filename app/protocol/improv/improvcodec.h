#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

// Improv Wi-Fi over serial: a pure codec. No I/O, no timers, no Qt objects; the
// session (ImprovClient) and the simulated device (sim::SimulatedImprovDevice) sit
// on top of it. Wire layout (see docs/protocols/improv.md):
//
//   "IMPROV" | version 0x01 | type | length | data[length] | checksum
//
// checksum = low byte of the sum of every preceding byte of the packet. RPC
// commands and results nest [command, length, ...] inside `data`.
namespace provbench::improv {

inline constexpr char kMagic[] = "IMPROV";
inline constexpr int kMagicSize = 6;
inline constexpr quint8 kVersion = 0x01;
inline constexpr int kHeaderSize = kMagicSize + 3; // magic, version, type, length
inline constexpr int kMaxData = 255;

enum class PacketType : quint8 {
    CurrentState = 0x01,
    ErrorState = 0x02,
    RpcCommand = 0x03,
    RpcResult = 0x04,
};

enum class Command : quint8 {
    WifiSettings = 0x01,
    CurrentState = 0x02,
    DeviceInfo = 0x03,
    WifiScan = 0x04,
    Hostname = 0x05,
    DeviceName = 0x06,
    NetworkState = 0x07,
};

enum class State : quint8 {
    Stopped = 0x00,
    AuthorizationRequired = 0x01, // BLE only; kept so one enum serves both transports
    Ready = 0x02,                 // "authorized": waiting for Wi-Fi settings
    Provisioning = 0x03,
    Provisioned = 0x04,
};

enum class ErrorCode : quint8 {
    None = 0x00,
    InvalidRpc = 0x01,
    UnknownRpc = 0x02,
    UnableToConnect = 0x03,
    NotAuthorized = 0x04, // BLE only
    BadHostname = 0x05,
    Unknown = 0xFF,
};

// Bits of the first string of a network-state (07) result.
enum NetworkFlag : quint32 {
    NetOnline = 0x01,
    NetWifi = 0x02,
    NetEthernet = 0x04,
    NetThread = 0x08,
    NetModem = 0x10,
};

struct Packet
{
    PacketType type = PacketType::CurrentState;
    QByteArray data;

    bool operator==(const Packet &) const = default;
};

// An RPC as it travels: the command byte and its length-prefixed strings.
// Strings are raw bytes: SSIDs are not guaranteed to be UTF-8.
struct Rpc
{
    quint8 command = 0;
    QList<QByteArray> strings;

    bool operator==(const Rpc &) const = default;
};

struct DeviceInfo
{
    QString firmwareName;
    QString firmwareVersion;
    QString hardware; // chip family, e.g. "ESP32-C3"
    QString deviceName;
    QString osName;    // empty when the device sent only 4 strings
    QString osVersion; // empty when the device sent only 4 strings
};

struct WifiNetwork
{
    QString ssid;
    int rssi = 0;
    bool secured = false;
};

struct NetworkState
{
    quint32 flags = 0;
    QStringList urls;
};

// --- encoding -----------------------------------------------------------

quint8 checksum(QByteArrayView bytes);
QString stateName(State state);
QString commandName(quint8 command);
QString errorName(ErrorCode code);

// A whole packet. Fails when data is longer than 255 bytes.
Result<QByteArray> encodePacket(PacketType type, QByteArrayView data);
// RPC body [command, length, (len, bytes)*]. Fails when a string is longer
// than 255 bytes or the body does not fit one packet.
Result<QByteArray> encodeRpc(const Rpc &rpc);
// Convenience: a whole RPC-command packet.
Result<QByteArray> encodeCommand(Command command, const QList<QByteArray> &strings = {});
Result<QByteArray> encodeResult(quint8 command, const QList<QByteArray> &strings);
QByteArray encodeState(State state);
QByteArray encodeError(ErrorCode code);

// --- decoding -----------------------------------------------------------

// Parses the nested RPC layout of an RpcCommand or RpcResult packet's data.
// Bytes after the declared RPC length are ignored, for forward compatibility.
Result<Rpc> decodeRpc(QByteArrayView data);
// Reads an RpcResult of a device-info command: 4 strings (older firmware)
// or 6 (with OS name and version). More strings are tolerated and ignored.
Result<DeviceInfo> decodeDeviceInfo(const Rpc &rpc);
// One scan result: SSID, RSSI, "YES"/"NO". An empty result (no strings)
// ends a scan and yields std::nullopt.
Result<std::optional<WifiNetwork>> decodeScanEntry(const Rpc &rpc);
Result<NetworkState> decodeNetworkState(const Rpc &rpc);

// Incremental parser for a serial line that carries Improv packets mixed with
// log text, trailing newlines and line noise. Feed bytes as they arrive and
// collect the events; a packet split across reads is completed by a later
// feed. Bytes that cannot start a packet are reported as Noise, grouped into
// lines, so a UI can show the device's own log. A candidate packet with a bad
// checksum is reported and the parser resumes one byte after its magic, so a
// stray "IMPROV" in log text never swallows a real packet behind it.
// Memory stays bounded whatever is fed.
class StreamParser
{
public:
    struct Event
    {
        enum class Kind { Packet, Noise, BadChecksum, BadVersion };
        Kind kind = Kind::Noise;
        Packet packet;   // Kind::Packet
        QByteArray text; // Kind::Noise: one line without its end; others: the raw candidate
    };

    QList<Event> feed(QByteArrayView bytes);
    // Emits any pending partial log line as Noise and forgets partial state.
    QList<Event> flush();
    void reset();
    qsizetype bufferedBytes() const { return m_buffer.size() + m_noise.size(); }

private:
    void emitNoise(QByteArrayView bytes, QList<Event> &out);

    QByteArray m_buffer; // starts at a candidate magic (or a prefix of it)
    QByteArray m_noise;  // an incomplete log line
};

// A sentence for a person: what the error means for this command and what to
// do about it. `subject` names what the command was about (the SSID for a
// Wi-Fi write, the hostname for a hostname change) and may be empty.
QString errorMessage(ErrorCode code, Command command, const QString &subject = {});

} // namespace provbench::improv
