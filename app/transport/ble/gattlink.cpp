#include "app/transport/ble/gattlink.h"

namespace provbench::ble {

GattLink::GattLink(GattConnection *connection, QBluetoothUuid service,
    QBluetoothUuid characteristic, QObject *parent)
    : Link(parent), m_connection(connection), m_service(service), m_characteristic(characteristic)
{
    if (m_connection) {
        connect(m_connection, &GattConnection::notified, this, &GattLink::onNotified);
        connect(m_connection, &GattConnection::lost, this, &GattLink::onLost);
    }
}

void GattLink::attach(GattConnection *connection, const QBluetoothUuid &service,
    const QBluetoothUuid &characteristic, GattConnection::Callback<void> done)
{
    QPointer<GattConnection> c(connection);
    auto subscribe = [c, service, characteristic, done]() {
        if (!c)
            return done(fail(Error::Code::Cancelled, QStringLiteral("The connection was closed.")));
        if (!c->hasCharacteristic(service, characteristic)) {
            return done(fail(Error::Code::Unsupported,
                QStringLiteral("%1 does not offer the GATT characteristic %2 of service %3. Check "
                               "that its firmware enables this transport.")
                    .arg(c->address(), characteristic.toString(QUuid::WithoutBraces),
                        service.toString(QUuid::WithoutBraces))));
        }
        c->subscribe(service, characteristic, done);
    };
    if (connection->isOpen()) {
        subscribe();
        return;
    }
    connection->open([subscribe, done](Result<void> opened) {
        if (!opened)
            return done(std::unexpected(opened.error()));
        subscribe();
    });
}

Result<void> GattLink::open()
{
    if (!m_connection || !m_connection->isOpen()) {
        return fail(Error::Code::Io,
            QStringLiteral("The Bluetooth connection to %1 is not open; connect again.")
                .arg(name()));
    }
    m_open = true;
    m_failed = false;
    return {};
}

void GattLink::close()
{
    if (!m_open)
        return;
    m_open = false;
    Q_EMIT closed();
}

bool GattLink::isOpen() const
{
    return m_open && !m_failed && m_connection && m_connection->isOpen();
}

int GattLink::pieceSize() const
{
    return qMax(20, (m_connection ? m_connection->mtu() : 23) - 3);
}

Result<void> GattLink::write(QByteArrayView bytes)
{
    if (!isOpen()) {
        return fail(Error::Code::Io,
            QStringLiteral("The Bluetooth connection to %1 is closed; connect again.").arg(name()));
    }
    const int piece = pieceSize();
    QPointer<GattLink> self(this);
    for (qsizetype at = 0; at < bytes.size(); at += piece) {
        const QByteArray chunk
            = bytes.sliced(at, qMin<qsizetype>(piece, bytes.size() - at)).toByteArray();
        m_connection->write(m_service, m_characteristic, chunk, WriteMode::WithoutResponse,
            [self](Result<void> result) {
                // Loss is reported once through onLost; other failures here
                // mean the stack refused the write.
                if (!self || result || result.error().code == Error::Code::Io || self->m_failed)
                    return;
                if (result.error().code == Error::Code::Cancelled)
                    return;
                self->m_failed = true;
                Q_EMIT self->errorOccurred(result.error());
                self->close();
            });
    }
    return {};
}

QString GattLink::name() const
{
    return m_connection ? m_connection->address() : QStringLiteral("(disconnected)");
}

void GattLink::onNotified(
    const QBluetoothUuid &service, const QBluetoothUuid &characteristic, const QByteArray &value)
{
    if (m_open && service == m_service && characteristic == m_characteristic)
        Q_EMIT received(value);
}

void GattLink::onLost(const Error &error)
{
    if (!m_open || m_failed)
        return;
    m_failed = true;
    Q_EMIT errorOccurred(error);
    close();
}

} // namespace provbench::ble
