#pragma once

#include "app/core/error.h"
#include "app/profiles/profile.h"

#include <QList>
#include <QString>

namespace provbench::sim {

// One Wi-Fi network the simulated device can "see". An empty password means an
// open network.
struct SimNetwork
{
    QString ssid;
    int rssi = -60;
    QString password;
};

// Faults a simulated device injects, each counted down as it fires, so a test
// can say "the next two answers have a bad checksum" and then see recovery.
// Text form (devsim --fault, tests): comma-separated key=value, e.g.
//   "bad-checksum=2,drop=3,disconnect-at=120,no-answer=1,garbage=1"
struct SimFaults
{
    int badChecksum = 0;          // corrupt the checksum of the next N packets sent
    int dropBytes = 0;            // drop one byte from each of the next N packets sent
    qint64 disconnectAtByte = -1; // after sending this many bytes in total, unplug
    int noAnswer = 0;             // ignore the next N commands entirely
    int garbage = 0;              // prefix the next N packets with random binary junk

    bool operator==(const SimFaults &) const = default;
};

// Parses the text form above. Unknown keys and bad numbers are errors that
// name the offending part.
Result<SimFaults> parseFaults(const QString &spec);
QString faultsToString(const SimFaults &faults);

struct SimDeviceConfig
{
    QString firmwareName = QStringLiteral("ESPHome");
    QString firmwareVersion = QStringLiteral("2024.6.1");
    QString hardware = QStringLiteral("ESP32-C3");
    QString deviceName = QStringLiteral("sim-device");
    QString hostname = QStringLiteral("sim-device");
    QString osName = QStringLiteral("ESP-IDF");
    QString osVersion = QStringLiteral("5.1.4");
    bool fourStringInfo = false; // older firmware: device info without OS strings
    bool legacyFirmware = false; // answers commands 05-07 with "unknown RPC" (error 02)
    QList<SimNetwork> networks;
    int latencyMs = 30;          // delay before each answer
    int connectMs = 1200;        // time to "join" a network
    bool logNoise = true;        // print ESPHome-like log lines between packets
    bool trailingNewline = true; // send '\n' after each packet, as many firmwares do
    SimFaults faults;
    quint32 seed = 1; // drives RSSI jitter and noise, for reproducible runs
};

// A distinct, plausible identity per index (chip, firmware, name) sharing the
// demo Wi-Fi environment below; index 0 is an ESPHome ESP32-C3, others vary
// (WLED on ESP8266 with 4-string info, an older firmware without 05-07, ...).
SimDeviceConfig demoConfig(int index);
// The demo Wi-Fi environment: "ProvBench-Lab" (password "correct-horse-42"),
// "Warehouse-2G" ("pallet-jack-7"), "Guest" (open) and a weak far network.
QList<SimNetwork> demoNetworks();

// A static profile for the simulated lab network (demoNetworks()[0]): Wi-Fi
// only, no credentials, no host name, `deviceName` as its device name
// template (empty: none). What simulated Improv devices can take in a demo
// batch, a benchmark or a test, since they carry Wi-Fi and names only.
profiles::Profile labWifiProfile(const QString &name = QStringLiteral("Lab Wi-Fi"),
    const QString &deviceName = QStringLiteral("lab-{serial}"));

} // namespace provbench::sim
