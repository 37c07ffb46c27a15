#pragma once

#include "app/protocol/improv/improvble.h"
#include "app/simulator/ble/simulatedperipheral.h"
#include "app/simulator/simconfig.h"

namespace provbench::sim {

// An Improv Wi-Fi device over BLE, as ESPHome and similar firmware implement
// it (docs/protocols/improv.md): it advertises the Improv service and 0x4677
// service data, reassembles RPC writes split across ATT packets by their
// declared length, checks the checksum, and answers through the state, error
// and RPC-result characteristics. With requireAuthorization it starts in
// "authorization required" and refuses Wi-Fi settings until pressButton()
// (or, in demo mode, autoAuthorizeMs after a client connects).
class SimulatedImprovPeripheral : public SimulatedPeripheral
{
    Q_OBJECT
public:
    struct Options
    {
        bool requireAuthorization = true;
        int autoAuthorizeMs = -1; // -1: only pressButton() authorizes
    };

    SimulatedImprovPeripheral(QString address, qint16 rssi, SimDeviceConfig config, Options options,
        QObject *parent = nullptr);

    improv::State state() const { return m_state; }
    QString connectedSsid() const { return m_connectedSsid; }
    void pressButton();
    void setConnected(bool connected) override;

protected:
    void written(const QBluetoothUuid &service, const QBluetoothUuid &uuid,
        const QByteArray &value) override;

private:
    void handle(const improv::Rpc &rpc);
    void setState(improv::State state);
    void setError(improv::ErrorCode error);
    void sendResult(improv::ble::Command command, const QList<QByteArray> &strings);
    void later(int ms, std::function<void()> action);

    SimDeviceConfig m_config;
    Options m_options;
    improv::State m_state;
    QByteArray m_rpcBuffer;
    QString m_connectedSsid;
    quint64 m_generation = 0; // a disconnect cancels answers still pending
};

} // namespace provbench::sim
