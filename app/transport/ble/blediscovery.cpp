#include "app/transport/ble/blediscovery.h"

namespace provbench::ble {

Discovery::Discovery(Scanner *scanner, QObject *parent) : Discovery(scanner, Options{}, parent) { }

Discovery::Discovery(Scanner *scanner, Options options, QObject *parent)
    : QObject(parent), m_scanner(scanner), m_options(options)
{
    m_expireTimer.setInterval(m_options.expireEvery);
    connect(&m_expireTimer, &QTimer::timeout, this, &Discovery::expire);
    if (!m_scanner)
        return;
    connect(m_scanner, &Scanner::advertised, this, &Discovery::onAdvert);
    connect(m_scanner, &Scanner::statusChanged, this, &Discovery::onStatus);
    connect(m_scanner, &Scanner::activeChanged, this, &Discovery::activeChanged);
}

void Discovery::start()
{
    m_expireTimer.start();
    if (m_scanner)
        m_scanner->start();
}

void Discovery::stop()
{
    m_expireTimer.stop();
    if (m_scanner)
        m_scanner->stop();
}

bool Discovery::isActive() const
{
    return m_scanner && m_scanner->isActive();
}

AdapterStatus Discovery::status() const
{
    if (!m_scanner)
        return AdapterStatus{AdapterProblem::Failed, {}, QStringLiteral("no Bluetooth backend")};
    return m_scanner->status();
}

void Discovery::onAdvert(const Advert &advert)
{
    const auto change = m_table.update(advert, QDateTime::currentDateTimeUtc());
    const BleDevice *device = m_table.find(advert.address);
    if (!device)
        return;
    if (change == DeviceTable::Change::Added)
        Q_EMIT deviceAdded(*device);
    else if (change == DeviceTable::Change::Updated)
        Q_EMIT deviceUpdated(*device);
}

void Discovery::onStatus(const AdapterStatus &status)
{
    if (!status.ok()) {
        m_adapterDown = true;
    } else if (m_adapterDown) {
        m_adapterDown = false;
        m_graceUntil = QDateTime::currentDateTimeUtc().addSecs(m_options.maxAge.count());
    }
    Q_EMIT statusChanged(status);
}

void Discovery::expire()
{
    // While the adapter is unusable nothing can be heard, so nothing ages out:
    // the page keeps the last known picture instead of emptying itself. The
    // outage is not silence either, hence the grace period after recovery.
    if (!status().ok() || m_adapterDown)
        return;
    if (m_graceUntil.isValid() && QDateTime::currentDateTimeUtc() < m_graceUntil)
        return;
    const QStringList gone = m_table.expire(QDateTime::currentDateTimeUtc(), m_options.maxAge);
    for (const QString &address : gone)
        Q_EMIT deviceRemoved(address);
}

} // namespace provbench::ble
