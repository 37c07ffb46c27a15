#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QObject>

namespace provbench {

// An open byte stream to one device (a serial port, a pty, later a BLE GATT
// pipe). Protocol clients speak through a Link and never see what is behind
// it. Contract: received() delivers bytes in order as they arrive, with no
// framing implied; errorOccurred() is emitted once when the link becomes
// unusable (port unplugged, device reset) and is followed by closed().
class Link : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    virtual Result<void> open() = 0;
    virtual void close() = 0;
    virtual bool isOpen() const = 0;
    virtual Result<void> write(QByteArrayView bytes) = 0;
    // For messages and traces, e.g. "/dev/ttyUSB0".
    virtual QString name() const = 0;

Q_SIGNALS:
    void received(const QByteArray &bytes);
    void errorOccurred(const provbench::Error &error);
    void closed();
};

} // namespace provbench
