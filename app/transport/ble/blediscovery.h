#pragma once

#include "app/transport/ble/bledevicetable.h"
#include "app/transport/ble/blescanner.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>

namespace provbench::ble {

// Continuous LE discovery as the Devices page and `ble scan` see it: a Scanner
// feeding a DeviceTable, with ageing. Devices not heard from for maxAge are
// removed (deviceRemoved). The scanner's adapter status is passed through so
// the caller can show why BLE is unavailable; serial discovery never depends
// on this object.
class Discovery : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        std::chrono::seconds maxAge{30};
        std::chrono::milliseconds expireEvery{1000};
    };

    // Does not take ownership of the scanner unless it is a child of this.
    explicit Discovery(Scanner *scanner, QObject *parent = nullptr);
    Discovery(Scanner *scanner, Options options, QObject *parent = nullptr);

    void start();
    void stop();
    bool isActive() const;
    AdapterStatus status() const;
    Scanner *scanner() const { return m_scanner; }

    const DeviceTable &table() const { return m_table; }
    const BleDevice *find(const QString &address) const { return m_table.find(address); }

Q_SIGNALS:
    void deviceAdded(const provbench::ble::BleDevice &device);
    void deviceUpdated(const provbench::ble::BleDevice &device);
    void deviceRemoved(const QString &address);
    void statusChanged(const provbench::ble::AdapterStatus &status);
    void activeChanged(bool active);

private:
    void onAdvert(const Advert &advert);
    void onStatus(const AdapterStatus &status);
    void expire();

    QPointer<Scanner> m_scanner;
    Options m_options;
    DeviceTable m_table;
    QTimer m_expireTimer;
    // While the adapter is unusable nothing can be heard; after it recovers,
    // devices get a full maxAge to be heard again before anything ages out.
    bool m_adapterDown = false;
    QDateTime m_graceUntil;
};

} // namespace provbench::ble
