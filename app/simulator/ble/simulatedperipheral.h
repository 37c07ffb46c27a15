#pragma once

#include "app/transport/ble/bleadvert.h"
#include "app/transport/ble/gattconnection.h"

#include <QObject>
#include <QRandomGenerator>
#include <QTimer>

namespace provbench::sim {

// A simulated BLE peripheral: what it advertises (with an RSSI that drifts
// like a real one in a room) and a small GATT database. Subclasses implement
// a protocol by overriding written(); reads return the stored value. The
// simulated backend (SimulatedBleBackend) puts it behind the same Scanner and
// GattConnection interfaces as BlueZ.
class SimulatedPeripheral : public QObject
{
    Q_OBJECT
public:
    struct Characteristic
    {
        QBluetoothUuid service;
        QBluetoothUuid uuid;
        QByteArray value;
        bool readable = true;
        bool writable = false;
        bool notifies = false;
    };

    SimulatedPeripheral(
        QString address, QString name, qint16 rssi, quint32 seed, QObject *parent = nullptr);

    QString address() const { return m_address; }
    QString name() const { return m_name; }
    qint16 rssi() const { return m_rssi; }
    // Moves the RSSI by a few dB around its base value, as walking people do.
    void drift();
    void setBaseRssi(qint16 rssi);
    virtual ble::Advert advert() const;

    int mtu() const { return m_mtu; }
    void setMtu(int mtu) { m_mtu = mtu; }
    int latencyMs() const { return m_latencyMs; }
    void setLatencyMs(int ms) { m_latencyMs = ms; }

    bool isConnected() const { return m_connected; }
    // What connecting does to the device (subclasses may start timers).
    virtual void setConnected(bool connected);
    // Simulates the device going out of range or resetting: every connection drops.
    void dropConnection();

    const QList<Characteristic> &characteristics() const { return m_chars; }
    Result<QByteArray> read(const QBluetoothUuid &service, const QBluetoothUuid &uuid) const;
    Result<void> write(const QBluetoothUuid &service, const QBluetoothUuid &uuid,
        const QByteArray &value, ble::WriteMode mode);

Q_SIGNALS:
    void notified(
        const QBluetoothUuid &service, const QBluetoothUuid &uuid, const QByteArray &value);
    void connectionDropped();

protected:
    void addCharacteristic(const Characteristic &characteristic);
    void setValue(const QBluetoothUuid &service, const QBluetoothUuid &uuid,
        const QByteArray &value, bool notify = true);
    virtual void written(
        const QBluetoothUuid &service, const QBluetoothUuid &uuid, const QByteArray &value)
        = 0;
    QList<QBluetoothUuid> m_advertisedServices;
    QHash<QBluetoothUuid, QByteArray> m_serviceData;

private:
    Characteristic *find(const QBluetoothUuid &service, const QBluetoothUuid &uuid);
    const Characteristic *find(const QBluetoothUuid &service, const QBluetoothUuid &uuid) const;

    QString m_address;
    QString m_name;
    qint16 m_baseRssi;
    qint16 m_rssi;
    QRandomGenerator m_rng;
    int m_mtu = 247;
    int m_latencyMs = 25;
    bool m_connected = false;
    QList<Characteristic> m_chars;
};

} // namespace provbench::sim
