#pragma once

#include "app/protocol/improv/improvcodec.h"

#include <QBluetoothUuid>

// Improv Wi-Fi over Bluetooth LE: a pure codec for what travels in GATT
// characteristics and advertisements (docs/protocols/improv.md). The GATT
// session on top of it is separate; nothing here does I/O.
//
// On BLE an RPC carries its own checksum: [command, length, data..., sum],
// where sum is the low byte of the sum of every preceding byte. Results come
// back in the same framing on the RPC-result characteristic.
namespace provbench::improv::ble {

// 00467768-6228-2272-4663-277478268000 and its characteristics ...8001-8005.
QBluetoothUuid serviceUuid();
QBluetoothUuid currentStateUuid(); // read, notify
QBluetoothUuid errorStateUuid();   // read, notify
QBluetoothUuid rpcCommandUuid();   // write
QBluetoothUuid rpcResultUuid();    // notify
QBluetoothUuid capabilitiesUuid(); // read
// 16-bit UUID under which advertisements carry [state, capabilities, 0, 0, 0, 0].
inline constexpr quint16 kServiceDataUuid = 0x4677;

// Command ids differ from serial Improv.
enum class Command : quint8 {
    WifiSettings = 0x01,
    Identify = 0x02, // the device blinks or beeps; there is no result
    DeviceInfo = 0x03,
    WifiScan = 0x04,
};

enum Capability : quint8 {
    CapIdentify = 0x01,
    CapDeviceInfo = 0x02,
    CapWifiScan = 0x04,
};

// [command, length, (len, bytes)*, checksum]. Fails like encodeRpc when the
// strings do not fit.
Result<QByteArray> encodeRpc(Command command, const QList<QByteArray> &strings = {});
// A Wi-Fi settings RPC; the password is only in the returned bytes.
Result<QByteArray> encodeWifiSettings(const QByteArray &ssid, const QByteArray &password);
// Checks the checksum and the declared lengths, then the nested strings.
Result<Rpc> decodeRpc(QByteArrayView bytes);

// What an Improv device advertises.
struct Advertisement
{
    State state = State::AuthorizationRequired;
    quint8 capabilities = 0;
    bool operator==(const Advertisement &) const = default;
};
// Service data under kServiceDataUuid; at least 2 bytes (state, capabilities).
Result<Advertisement> decodeServiceData(QByteArrayView bytes);

// A state or error characteristic holds one byte.
Result<State> decodeState(QByteArrayView bytes);
Result<ErrorCode> decodeError(QByteArrayView bytes);

// Splits a write into pieces that fit the link: an ATT write carries MTU - 3
// bytes. The device reassembles them by the RPC's declared length.
QList<QByteArray> splitForMtu(QByteArrayView bytes, int mtu);

} // namespace provbench::improv::ble
