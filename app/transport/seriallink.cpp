#include "app/transport/seriallink.h"

#include "app/core/logging.h"

#include <QFileInfo>
#include <QSerialPort>

namespace provbench {

namespace {

QString openFailureMessage(
    const QString &path, QSerialPort::SerialPortError err, const QString &detail)
{
    switch (err) {
    case QSerialPort::DeviceNotFoundError:
        return QStringLiteral("Cannot open %1: the port does not exist. Check that the device is "
                              "plugged in and pick the port again.")
            .arg(path);
    case QSerialPort::PermissionError:
        return QStringLiteral("Cannot open %1: permission denied or already in use by another "
                              "program. Close other serial monitors, or add your user to the "
                              "'dialout' group and log in again.")
            .arg(path);
    default:
        return QStringLiteral("Cannot open %1: %2. Unplug and replug the device and try again.")
            .arg(path, detail);
    }
}

} // namespace

SerialLink::SerialLink(const QString &portPath, qint32 baudRate, QObject *parent)
    : Link(parent), m_path(portPath), m_baudRate(baudRate), m_port(new QSerialPort(this))
{
    connect(m_port, &QSerialPort::readyRead, this, [this] {
        const QByteArray bytes = m_port->readAll();
        if (!bytes.isEmpty())
            Q_EMIT received(bytes);
    });
    connect(m_port, &QSerialPort::errorOccurred, this, [this](QSerialPort::SerialPortError err) {
        if (err != QSerialPort::NoError && m_port->isOpen())
            handleError();
    });
}

SerialLink::~SerialLink() = default;

Result<void> SerialLink::open()
{
    if (m_port->isOpen())
        return {};
    // QSerialPort treats a name with a slash as a path; resolving symlinks keeps
    // its lock file name meaningful for links such as /tmp/sim/ttySIM0.
    const QFileInfo fi(m_path);
    if (!fi.exists())
        return fail(Error::Code::NotFound,
            openFailureMessage(m_path, QSerialPort::DeviceNotFoundError, {}));
    m_port->setPortName(fi.isSymLink() ? fi.canonicalFilePath() : m_path);
    m_port->setBaudRate(m_baudRate);
    m_port->setDataBits(QSerialPort::Data8);
    m_port->setParity(QSerialPort::NoParity);
    m_port->setStopBits(QSerialPort::OneStop);
    m_port->setFlowControl(QSerialPort::NoFlowControl);
    m_failed = false;
    if (!m_port->open(QIODevice::ReadWrite)) {
        const auto err = m_port->error();
        const QString detail = m_port->errorString();
        m_port->clearError();
        return fail(
            err == QSerialPort::DeviceNotFoundError ? Error::Code::NotFound : Error::Code::Io,
            openFailureMessage(m_path, err, detail));
    }
    qCDebug(lcTransport) << "opened" << m_path;
    return {};
}

void SerialLink::close()
{
    if (!m_port->isOpen())
        return;
    m_port->close();
    Q_EMIT closed();
}

bool SerialLink::isOpen() const
{
    return m_port->isOpen();
}

Result<void> SerialLink::write(QByteArrayView bytes)
{
    if (!m_port->isOpen())
        return fail(Error::Code::Io,
            QStringLiteral("%1 is not open: reconnect the device and try again.").arg(m_path));
    const qint64 n = m_port->write(bytes.data(), bytes.size());
    if (n != bytes.size())
        return fail(Error::Code::Io,
            QStringLiteral("Writing to %1 failed (%2): check the cable and try again.")
                .arg(m_path, m_port->errorString()));
    return {};
}

void SerialLink::handleError()
{
    if (m_failed)
        return;
    m_failed = true;
    const QString detail = m_port->errorString();
    qCInfo(lcTransport) << "link error on" << m_path << detail;
    m_port->clearError();
    Q_EMIT errorOccurred(Error::make(Error::Code::Io,
        QStringLiteral("The connection to %1 was lost (%2): check the cable or whether the "
                       "device reset, then try again.")
            .arg(m_path, detail)));
    close();
}

} // namespace provbench
