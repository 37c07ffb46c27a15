#pragma once

#include "app/protocol/smp/smpcodec.h"
#include "app/simulator/ble/simulatedperipheral.h"
#include "app/simulator/smpresponder.h"

namespace provbench::sim {

// A Zephyr device with MCUmgr SMP over BLE: the SMP service with its one
// characteristic (write without response, notify). Requests may arrive split
// across writes and are reassembled by the header length; answers larger than
// the MTU go out as several notifications, as Zephyr's SMP BT transport does.
// The SMP server itself is the same SmpResponder the UART device uses.
class SimulatedSmpPeripheral : public SimulatedPeripheral
{
    Q_OBJECT
public:
    SimulatedSmpPeripheral(
        QString address, qint16 rssi, SmpDeviceConfig config, QObject *parent = nullptr);

    SmpResponder &responder() { return m_responder; }
    void setConnected(bool connected) override;

protected:
    void written(const QBluetoothUuid &service, const QBluetoothUuid &uuid,
        const QByteArray &value) override;

private:
    SmpDeviceConfig m_config;
    SmpResponder m_responder;
    smp::PacketReassembler m_reassembler;
    quint64 m_generation = 0;
};

} // namespace provbench::sim
