#include "app/simulator/ble/simulatedimprovperipheral.h"

namespace provbench::sim {

using namespace provbench::improv;
namespace ib = provbench::improv::ble;

SimulatedImprovPeripheral::SimulatedImprovPeripheral(
    QString address, qint16 rssi, SimDeviceConfig config, Options options, QObject *parent)
    : SimulatedPeripheral(std::move(address), config.deviceName, rssi, config.seed, parent),
      m_config(std::move(config)),
      m_options(options),
      m_state(options.requireAuthorization ? State::AuthorizationRequired : State::Ready)
{
    const QBluetoothUuid svc = ib::serviceUuid();
    addCharacteristic(
        {svc, ib::currentStateUuid(), QByteArray(1, char(m_state)), true, false, true});
    addCharacteristic({svc, ib::errorStateUuid(), QByteArray(1, '\0'), true, false, true});
    addCharacteristic({svc, ib::rpcCommandUuid(), {}, false, true, false});
    addCharacteristic({svc, ib::rpcResultUuid(), {}, true, false, true});
    const quint8 caps = ib::CapIdentify | ib::CapDeviceInfo | ib::CapWifiScan;
    addCharacteristic({svc, ib::capabilitiesUuid(), QByteArray(1, char(caps)), true, false, false});
    m_advertisedServices = {svc};
    m_serviceData.insert(
        QBluetoothUuid(quint16(ib::kServiceDataUuid)), QByteArray::fromRawData("\0\0\0\0\0\0", 6));
    m_serviceData[QBluetoothUuid(quint16(ib::kServiceDataUuid))][0] = char(m_state);
    m_serviceData[QBluetoothUuid(quint16(ib::kServiceDataUuid))][1] = char(caps);
}

void SimulatedImprovPeripheral::later(int ms, std::function<void()> action)
{
    const quint64 generation = m_generation;
    QTimer::singleShot(ms, this, [this, generation, action] {
        if (generation == m_generation)
            action();
    });
}

void SimulatedImprovPeripheral::setConnected(bool connected)
{
    SimulatedPeripheral::setConnected(connected);
    if (!connected) {
        ++m_generation;
        m_rpcBuffer.clear();
        // A join in progress finishes on the device even without a client.
        return;
    }
    if (m_state == State::AuthorizationRequired && m_options.autoAuthorizeMs >= 0)
        later(m_options.autoAuthorizeMs, [this] { pressButton(); });
}

void SimulatedImprovPeripheral::pressButton()
{
    if (m_state == State::AuthorizationRequired)
        setState(State::Ready);
}

void SimulatedImprovPeripheral::setState(State state)
{
    m_state = state;
    m_serviceData[QBluetoothUuid(quint16(ib::kServiceDataUuid))][0] = char(state);
    setValue(ib::serviceUuid(), ib::currentStateUuid(), QByteArray(1, char(state)));
}

void SimulatedImprovPeripheral::setError(ErrorCode error)
{
    setValue(ib::serviceUuid(), ib::errorStateUuid(), QByteArray(1, char(error)));
}

void SimulatedImprovPeripheral::sendResult(ib::Command command, const QList<QByteArray> &strings)
{
    auto rpc = ib::encodeRpc(command, strings);
    if (rpc)
        setValue(ib::serviceUuid(), ib::rpcResultUuid(), *rpc);
}

void SimulatedImprovPeripheral::written(
    const QBluetoothUuid &, const QBluetoothUuid &uuid, const QByteArray &value)
{
    if (uuid != ib::rpcCommandUuid())
        return;
    m_rpcBuffer += value;
    if (m_rpcBuffer.size() < 2)
        return;
    const qsizetype total = 2 + quint8(m_rpcBuffer.at(1)) + 1;
    if (m_rpcBuffer.size() < total)
        return; // more pieces to come
    const QByteArray bytes = m_rpcBuffer.left(total);
    m_rpcBuffer.clear();
    auto rpc = ib::decodeRpc(bytes);
    if (!rpc) {
        later(latencyMs(), [this] { setError(ErrorCode::InvalidRpc); });
        return;
    }
    later(latencyMs(), [this, r = *rpc] { handle(r); });
}

void SimulatedImprovPeripheral::handle(const Rpc &rpc)
{
    setError(ErrorCode::None);
    const auto command = ib::Command(rpc.command);
    if (m_state == State::AuthorizationRequired && command != ib::Command::Identify) {
        setError(ErrorCode::NotAuthorized);
        return;
    }
    switch (command) {
    case ib::Command::Identify:
        return;
    case ib::Command::DeviceInfo: {
        QList<QByteArray> info{m_config.firmwareName.toUtf8(), m_config.firmwareVersion.toUtf8(),
            m_config.hardware.toUtf8(), m_config.deviceName.toUtf8()};
        if (!m_config.fourStringInfo)
            info << m_config.osName.toUtf8() << m_config.osVersion.toUtf8();
        sendResult(command, info);
        return;
    }
    case ib::Command::WifiScan: {
        int delay = 0;
        for (const SimNetwork &n : m_config.networks) {
            delay += 40;
            later(delay, [this, n] {
                sendResult(ib::Command::WifiScan,
                    {n.ssid.toUtf8(), QByteArray::number(n.rssi),
                        n.password.isEmpty() ? QByteArray("NO") : QByteArray("YES")});
            });
        }
        later(delay + 40, [this] { sendResult(ib::Command::WifiScan, {}); });
        return;
    }
    case ib::Command::WifiSettings: {
        if (rpc.strings.size() != 2) {
            setError(ErrorCode::InvalidRpc);
            return;
        }
        const QString ssid = QString::fromUtf8(rpc.strings.at(0));
        const QString password = QString::fromUtf8(rpc.strings.at(1));
        setState(State::Provisioning);
        // The join completes on the device whether or not the client stays.
        QTimer::singleShot(m_config.connectMs, this, [this, ssid, password] {
            bool ok = false;
            for (const SimNetwork &n : m_config.networks)
                ok = ok || (n.ssid == ssid && n.password == password);
            if (!ok) {
                setError(ErrorCode::UnableToConnect);
                setState(State::Ready);
                return;
            }
            m_connectedSsid = ssid;
            setState(State::Provisioned);
            sendResult(ib::Command::WifiSettings,
                {QStringLiteral("http://%1.local").arg(m_config.hostname).toUtf8()});
        });
        return;
    }
    }
    setError(ErrorCode::UnknownRpc);
}

} // namespace provbench::sim
