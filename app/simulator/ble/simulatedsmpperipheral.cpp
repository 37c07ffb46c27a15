#include "app/simulator/ble/simulatedsmpperipheral.h"

namespace provbench::sim {

SimulatedSmpPeripheral::SimulatedSmpPeripheral(
    QString address, qint16 rssi, SmpDeviceConfig config, QObject *parent)
    : SimulatedPeripheral(std::move(address), config.name, rssi, config.seed, parent),
      m_config(std::move(config)),
      m_responder(m_config, {})
{
    addCharacteristic({ble::smpServiceUuid(), ble::smpCharacteristicUuid(), {}, false, true, true});
    m_advertisedServices = {ble::smpServiceUuid()};
}

void SimulatedSmpPeripheral::setConnected(bool connected)
{
    SimulatedPeripheral::setConnected(connected);
    if (!connected) {
        ++m_generation;
        m_reassembler.reset();
    }
}

void SimulatedSmpPeripheral::written(
    const QBluetoothUuid &, const QBluetoothUuid &uuid, const QByteArray &value)
{
    if (uuid != ble::smpCharacteristicUuid())
        return;
    for (const auto &event : m_reassembler.feed(value)) {
        if (event.kind != smp::FrameDecoder::Event::Kind::Packet)
            continue;
        auto packet = smp::decodePacket(event.bytes);
        if (!packet)
            continue;
        const auto answer = m_responder.answer(*packet);
        const bool reset = m_responder.takeResetRequest();
        const quint64 generation = m_generation;
        QTimer::singleShot(latencyMs(), this, [this, answer, reset, generation] {
            if (generation != m_generation)
                return;
            if (answer) {
                const int piece = mtu() - 3;
                for (qsizetype at = 0; at < answer->size(); at += piece)
                    Q_EMIT notified(ble::smpServiceUuid(), ble::smpCharacteristicUuid(),
                        answer->mid(at, piece));
            }
            if (reset) {
                m_responder.reboot();
                dropConnection();
            }
        });
    }
}

} // namespace provbench::sim
