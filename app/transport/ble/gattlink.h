#pragma once

#include "app/transport/ble/gattconnection.h"
#include "app/transport/link.h"

#include <QBluetoothUuid>
#include <QPointer>

namespace provbench::ble {

// A Link over one GATT characteristic that carries a byte stream both ways:
// writes go out as write-without-response pieces of at most mtu() - 3 bytes,
// notifications come back through received(). This is how SMP runs over BLE
// (with SmpClient::Options::Framing::Raw). The connection must be open and
// the characteristic subscribed before use: attach() does both.
//
// Connection loss becomes errorOccurred() followed by closed(), as for a
// serial port that was unplugged. close() does not close the connection,
// which may carry other services.
class GattLink : public Link
{
    Q_OBJECT
public:
    GattLink(GattConnection *connection, QBluetoothUuid service, QBluetoothUuid characteristic,
        QObject *parent = nullptr);

    // Opens the connection when needed, checks that the characteristic
    // exists and subscribes to it.
    static void attach(GattConnection *connection, const QBluetoothUuid &service,
        const QBluetoothUuid &characteristic, GattConnection::Callback<void> done);

    Result<void> open() override;
    void close() override;
    bool isOpen() const override;
    Result<void> write(QByteArrayView bytes) override;
    QString name() const override;

    // Bytes per write: the ATT payload of one packet.
    int pieceSize() const;

private:
    void onNotified(const QBluetoothUuid &service, const QBluetoothUuid &characteristic,
        const QByteArray &value);
    void onLost(const Error &error);

    QPointer<GattConnection> m_connection;
    QBluetoothUuid m_service;
    QBluetoothUuid m_characteristic;
    bool m_open = false;
    bool m_failed = false;
};

} // namespace provbench::ble
