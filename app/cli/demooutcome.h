#pragma once

#include <QList>
#include <QString>

#include <functional>

namespace provbench::cli {

// One line of the headless demo's final table.
struct DemoOutcome
{
    QString port; // a pty name, or a BLE address
    QString identity;
    QString networks;
    QString ssid;
    bool ok = false;
    bool expected = false;
    QString message;
    qint64 ms = 0;
    QString okWord = QStringLiteral("PROVISIONED"); // what success is called in the table
};

// The Bluetooth LE part of the demo, on simulated peripherals: scans, writes
// Wi-Fi to the Improv device that needs its button pressed (waiting for it),
// and runs an SMP echo over BLE. `say` prints a progress line.
QList<DemoOutcome> runBleDemo(const std::function<void(const QString &)> &say);

// The batch part: a CSV-driven batch over mixed simulated devices (Improv,
// MCUmgr SMP, nRF91) in a throwaway workspace with its own vault and CA; one
// device is not in the CSV and is listed, not touched.
QList<DemoOutcome> runBatchDemo(const std::function<void(const QString &)> &say);

} // namespace provbench::cli
