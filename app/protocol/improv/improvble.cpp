#include "app/protocol/improv/improvble.h"

namespace provbench::improv::ble {

namespace {

QBluetoothUuid characteristic(quint16 last)
{
    return QBluetoothUuid(
        QStringLiteral("00467768-6228-2272-4663-27747826%1").arg(last, 4, 16, QLatin1Char('0')));
}

} // namespace

QBluetoothUuid serviceUuid()
{
    return characteristic(0x8000);
}
QBluetoothUuid currentStateUuid()
{
    return characteristic(0x8001);
}
QBluetoothUuid errorStateUuid()
{
    return characteristic(0x8002);
}
QBluetoothUuid rpcCommandUuid()
{
    return characteristic(0x8003);
}
QBluetoothUuid rpcResultUuid()
{
    return characteristic(0x8004);
}
QBluetoothUuid capabilitiesUuid()
{
    return characteristic(0x8005);
}

Result<QByteArray> encodeRpc(Command command, const QList<QByteArray> &strings)
{
    auto body = improv::encodeRpc(Rpc{quint8(command), strings});
    if (!body)
        return std::unexpected(body.error());
    body->append(char(checksum(*body)));
    return *body;
}

Result<QByteArray> encodeWifiSettings(const QByteArray &ssid, const QByteArray &password)
{
    if (ssid.isEmpty() || ssid.size() > 32)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("A Wi-Fi SSID has 1 to 32 bytes; this one has %1.").arg(ssid.size()));
    return encodeRpc(Command::WifiSettings, {ssid, password});
}

Result<Rpc> decodeRpc(QByteArrayView bytes)
{
    if (bytes.size() < 3)
        return fail(Error::Code::Protocol,
            QStringLiteral("A BLE Improv RPC has at least 3 bytes (command, length, "
                           "checksum); this one has %1.")
                .arg(bytes.size()));
    const qsizetype declared = quint8(bytes[1]);
    if (bytes.size() != declared + 3)
        return fail(Error::Code::Protocol,
            QStringLiteral("The RPC declares %1 bytes of data but %2 arrived: a write was "
                           "cut or merged. Reconnect and try again.")
                .arg(declared)
                .arg(bytes.size() - 3));
    if (checksum(bytes.first(bytes.size() - 1)) != quint8(bytes.back()))
        return fail(Error::Code::Protocol,
            QStringLiteral("The RPC's checksum does not match its bytes: the data was "
                           "damaged on the way. Try again."));
    return improv::decodeRpc(bytes.first(bytes.size() - 1));
}

Result<Advertisement> decodeServiceData(QByteArrayView bytes)
{
    if (bytes.size() < 2)
        return fail(Error::Code::Protocol,
            QStringLiteral("Improv service data has at least 2 bytes (state, "
                           "capabilities); this one has %1.")
                .arg(bytes.size()));
    auto state = decodeState(bytes.first(1));
    if (!state)
        return std::unexpected(state.error());
    return Advertisement{*state, quint8(bytes[1])};
}

Result<State> decodeState(QByteArrayView bytes)
{
    if (bytes.size() != 1)
        return fail(Error::Code::Protocol,
            QStringLiteral("The Improv state characteristic holds one byte; it held %1.")
                .arg(bytes.size()));
    const quint8 v = quint8(bytes[0]);
    if (v < quint8(State::AuthorizationRequired) || v > quint8(State::Provisioned))
        return fail(Error::Code::Protocol,
            QStringLiteral("0x%1 is not an Improv state (01 to 04).")
                .arg(v, 2, 16, QLatin1Char('0')));
    return State(v);
}

Result<ErrorCode> decodeError(QByteArrayView bytes)
{
    if (bytes.size() != 1)
        return fail(Error::Code::Protocol,
            QStringLiteral("The Improv error characteristic holds one byte; it held %1.")
                .arg(bytes.size()));
    return ErrorCode(quint8(bytes[0]));
}

QList<QByteArray> splitForMtu(QByteArrayView bytes, int mtu)
{
    // 23 is the smallest ATT MTU; 3 bytes of every write are the ATT header.
    const qsizetype piece = std::max(23, mtu) - 3;
    QList<QByteArray> pieces;
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        pieces.append(bytes.sliced(at, std::min(piece, bytes.size() - at)).toByteArray());
    return pieces;
}

} // namespace provbench::improv::ble
