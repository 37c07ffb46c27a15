#pragma once

#include "app/transport/ble/gattconnection.h"

#include <QHash>
#include <QLowEnergyController>
#include <QLowEnergyService>
#include <QPointer>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <deque>

class QDBusServiceWatcher;

namespace provbench::ble {

// A GATT connection to one peripheral through QLowEnergyController (central
// role) and QLowEnergyService, on QtBluetooth's BlueZ D-Bus backend.
//
// open(): the controller is created on demand (QtBluetooth binds it to the
// adapter that exists at that moment), connects, discovers every service and
// its characteristics and descriptors (values are not read: reading could
// trigger pairing on devices that protect a characteristic) and learns the
// ATT MTU from BlueZ. The whole open() has openTimeout.
//
// Operations run one at a time, first in first out, each matched to Qt's
// characteristicRead / characteristicWritten / descriptorWritten or the
// service's errorOccurred, with operationTimeout each. A timeout fails that
// operation with Timeout and, since an ATT bearer whose request timed out
// cannot be used again, ends the connection as lost. Write-without-response
// completes when QtBluetooth has taken it: Qt reports no success for it, and
// a later refusal by BlueZ surfaces only as a CharacteristicWriteError, which
// then fails the next write with response on that service, if any. A request
// that BlueZ fails is reported after a short grace period, so that a link that
// dropped at the same time is reported as the loss it is.
// subscribe() writes 01 00 (notify) or 02 00 (indicate) to the CCCD (0x2902),
// which QtBluetooth turns into BlueZ's StartNotify.
//
// Notifications are delivered only for subscribed characteristics. BlueZ
// updates a characteristic's Value after a read, and QtBluetooth 6.4 reports
// that as a change; while a read of a subscribed characteristic is in flight,
// changes are held back and the one that merely repeats the read value is
// dropped.
//
// Callbacks run from QtBluetooth's signal handlers: delete the connection
// from one with deleteLater(), never directly.
class BluezGattConnection : public GattConnection
{
    Q_OBJECT
public:
    struct Options
    {
        std::chrono::milliseconds openTimeout{30000};
        std::chrono::milliseconds operationTimeout{10000};
    };

    explicit BluezGattConnection(QString address, QObject *parent = nullptr);
    BluezGattConnection(QString address, Options options, QObject *parent = nullptr);
    ~BluezGattConnection() override;

    QString address() const override { return m_address; }
    void open(Callback<void> done) override;
    void close() override;
    bool isOpen() const override { return m_phase == Phase::Open; }

    QList<QBluetoothUuid> services() const override { return m_serviceOrder; }
    bool hasCharacteristic(
        const QBluetoothUuid &service, const QBluetoothUuid &characteristic) const override;
    int mtu() const override { return m_mtu; }

    void read(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        Callback<QByteArray> done) override;
    void write(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        const QByteArray &value, WriteMode mode, Callback<void> done) override;
    void subscribe(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        Callback<void> done) override;

private:
    enum class Phase { Closed, Connecting, Discovering, ReadingMtu, Open };

    struct Op
    {
        enum class Kind { Read, Write, Subscribe };
        Kind kind = Kind::Read;
        QBluetoothUuid service;
        QBluetoothUuid characteristic;
        QByteArray value; // the write's bytes; the CCCD value for Subscribe
        WriteMode mode = WriteMode::WithResponse;
        Callback<QByteArray> readDone;
        Callback<void> done;
    };
    using CharKey = std::pair<QBluetoothUuid, QBluetoothUuid>;

    // open()
    void onConnected();
    void onDiscoveryFinished();
    void checkDetailsDone();
    void fetchMtu();
    void onControllerError(QLowEnergyController::Error error);
    void onDisconnected();
    void onBluezVanished();
    void failOpen(const Error &error);
    void failOpenAfterCheck(const Error &deviceError);
    void finishOpen(const Result<void> &result);
    void teardown();
    void loseConnection(const Error &error);

    // operations
    void enqueue(Op op);
    void schedulePump();
    void pump();
    void issue();
    void completeHead(const Result<QByteArray> &result);
    void failQueued(const Error &error);
    bool headIs(Op::Kind kind, const QLowEnergyService *service,
        const QBluetoothUuid &characteristic) const;
    void onCharacteristicRead(
        QLowEnergyService *service, const QLowEnergyCharacteristic &c, const QByteArray &value);
    void onCharacteristicWritten(
        QLowEnergyService *service, const QLowEnergyCharacteristic &c, const QByteArray &value);
    void onDescriptorWritten(
        QLowEnergyService *service, const QLowEnergyDescriptor &d, const QByteArray &value);
    void onCharacteristicChanged(
        QLowEnergyService *service, const QLowEnergyCharacteristic &c, const QByteArray &value);
    void onServiceError(QLowEnergyService *service, QLowEnergyService::ServiceError error);
    void onOperationTimeout();
    void releaseHeld(const Op &read, const QByteArray &echo);

    Error opError(const Op &op) const;
    QString deviceError(QLowEnergyController::Error error) const;

    QString m_address;
    Options m_options;
    Phase m_phase = Phase::Closed;
    quint64 m_generation = 0; // bumps on every teardown; stale async results are dropped
    QPointer<QLowEnergyController> m_controller;
    QLowEnergyController::Error m_controllerError = QLowEnergyController::NoError;
    QDBusServiceWatcher *m_bluezWatcher = nullptr;
    QHash<QBluetoothUuid, QLowEnergyService *> m_services;
    QList<QBluetoothUuid> m_serviceOrder;
    bool m_creatingServices = false;
    QList<Callback<void>> m_openWaiters;
    QTimer m_openTimer;
    int m_mtu = 23;

    std::deque<Op> m_queue;
    bool m_inFlight = false; // m_queue.front() was handed to QtBluetooth
    quint64 m_opSerial = 0;
    bool m_pumpScheduled = false;
    QTimer m_opTimer;
    QSet<CharKey> m_subscribed;
    QList<QByteArray> m_held; // changes that arrived during a read of the same characteristic
};

} // namespace provbench::ble
