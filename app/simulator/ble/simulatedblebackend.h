#pragma once

#include "app/simulator/ble/simulatedperipheral.h"
#include "app/transport/ble/blescanner.h"
#include "app/transport/ble/gattconnection.h"

#include <QList>
#include <QPointer>
#include <deque>

namespace provbench::sim {

// Simulated peripherals behind the same Scanner and GattConnection
// interfaces as BlueZ, for demo mode and tests. Each scanner reports every
// peripheral about once per advertisingIntervalMs with a drifting RSSI. The
// adapter status can be set, so the GUI's trouble banner can be shown
// without real hardware.
class SimulatedBleBackend : public QObject, public ble::Backend
{
    Q_OBJECT
public:
    explicit SimulatedBleBackend(QObject *parent = nullptr);
    ~SimulatedBleBackend() override;

    // Takes ownership.
    void addPeripheral(SimulatedPeripheral *peripheral);
    // Goes silent (out of range): no more advertisements, connections drop.
    void removePeripheral(const QString &address);
    SimulatedPeripheral *peripheral(const QString &address) const;
    QList<SimulatedPeripheral *> peripherals() const { return m_peripherals; }

    void setAdapterStatus(const ble::AdapterStatus &status);
    ble::AdapterStatus adapterStatus() const { return m_status; }
    void setAdvertisingIntervalMs(int ms) { m_intervalMs = ms; }
    int advertisingIntervalMs() const { return m_intervalMs; }

    QString name() const override { return QStringLiteral("simulated"); }
    ble::Scanner *createScanner(QObject *parent) override;
    ble::GattConnection *createConnection(const QString &address, QObject *parent) override;

Q_SIGNALS:
    void adapterStatusChanged(const provbench::ble::AdapterStatus &status);

private:
    QList<SimulatedPeripheral *> m_peripherals;
    ble::AdapterStatus m_status;
    int m_intervalMs = 1000;
};

// Three demo peripherals: an Improv device that needs its button pressed
// (pressed automatically a few seconds after a connection), an Improv device
// that is already authorized, and a Zephyr device with SMP over BLE.
void addDemoPeripherals(SimulatedBleBackend &backend);

} // namespace provbench::sim
