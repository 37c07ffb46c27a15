#pragma once

#include "app/transport/link.h"

class QSerialPort;

namespace provbench {

// A Link over QSerialPort. Accepts device names ("ttyUSB0") and paths, including
// pty slaves and symlinks to them. 8N1, no flow control; 115200 baud unless
// set otherwise (what ESPHome and most Improv firmwares use).
class SerialLink : public Link
{
    Q_OBJECT
public:
    explicit SerialLink(
        const QString &portPath, qint32 baudRate = 115200, QObject *parent = nullptr);
    ~SerialLink() override;

    Result<void> open() override;
    void close() override;
    bool isOpen() const override;
    Result<void> write(QByteArrayView bytes) override;
    QString name() const override { return m_path; }

private:
    void handleError();

    QString m_path;
    qint32 m_baudRate;
    QSerialPort *m_port;
    bool m_failed = false;
};

} // namespace provbench
