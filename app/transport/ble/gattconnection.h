#pragma once

#include "app/core/error.h"

#include <QBluetoothUuid>
#include <QByteArray>
#include <QList>
#include <QObject>

#include <functional>

namespace provbench::ble {

enum class WriteMode { WithResponse, WithoutResponse };

// One GATT connection to a peripheral: QLowEnergyController against BlueZ, or
// a simulated peripheral. Protocol clients (Improv over BLE, SMP over BLE) use
// only this interface.
//
// Contract:
// - open() connects and discovers every service and characteristic; `done`
//   runs once, with an Error whose message says what to do when it fails
//   (out of range, not connectable, adapter off).
// - read/write/subscribe complete exactly once through their callback, in the
//   order they were issued, unless the connection object is destroyed first.
//   WithoutResponse writes complete when handed to the stack.
// - notified() delivers notifications and indications in order.
// - lost() is emitted once when an open connection drops without close();
//   every pending callback has already failed with the same Error (code Io).
// - close() is idempotent and fails pending callbacks with Cancelled.
class GattConnection : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(Result<T>)>;

    using QObject::QObject;

    virtual QString address() const = 0;
    virtual void open(Callback<void> done) = 0;
    virtual void close() = 0;
    virtual bool isOpen() const = 0;

    virtual QList<QBluetoothUuid> services() const = 0;
    virtual bool hasCharacteristic(
        const QBluetoothUuid &service, const QBluetoothUuid &characteristic) const = 0;
    // ATT MTU negotiated for this connection (23 until negotiated); one write
    // or notification carries at most mtu() - 3 bytes.
    virtual int mtu() const = 0;

    virtual void read(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        Callback<QByteArray> done)
        = 0;
    virtual void write(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        const QByteArray &value, WriteMode mode, Callback<void> done)
        = 0;
    // Enables notifications (or indications when that is all the
    // characteristic offers).
    virtual void subscribe(
        const QBluetoothUuid &service, const QBluetoothUuid &characteristic, Callback<void> done)
        = 0;

Q_SIGNALS:
    void notified(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        const QByteArray &value);
    void lost(const provbench::Error &error);
};

// Creates scanners and connections for one Bluetooth stack.
class Scanner;
class Backend
{
public:
    virtual ~Backend() = default;
    virtual QString name() const = 0; // "BlueZ", "simulated"
    virtual Scanner *createScanner(QObject *parent) = 0;
    virtual GattConnection *createConnection(const QString &address, QObject *parent) = 0;
};

} // namespace provbench::ble
