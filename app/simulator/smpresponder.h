#pragma once

#include "app/protocol/smp/smpcodec.h"
#include "app/protocol/smp/smpmessages.h"
#include "app/simulator/simconfig.h"
#include "app/simulator/simulatedsmpstore.h"

#include <QCborMap>
#include <QMap>

#include <functional>
#include <memory>
#include <optional>

namespace provbench::sim {

class EnrollmentAgent;

struct SmpDeviceConfig
{
    QString name = QStringLiteral("zephyr-sensor");
    QString firmware = QStringLiteral("Zephyr 3.6.0"); // or "nRF Connect SDK 2.6.1"
    QString board = QStringLiteral("nrf52840dk");
    int latencyMs = 20;
    bool logNoise = true; // Zephyr log lines between frames and on operations
    quint32 seed = 1;
    SimFaults faults;
    int mtu = 384; // largest SMP packet (header + CBOR) accepted; larger ones are dropped
    int maxFrame = smp::kMaxFrame;
    qint64 maxFileSize = 64 * 1024;
    qint64 maxTotalSize = 256 * 1024;
    bool legacyErrors = false;          // SMP v1 firmware: errors as {"rc": n}
    int rebootMs = 300;                 // silent time after a reset
    QMap<QString, QByteArray> settings; // saved settings at power-on
    QMap<QString, QByteArray> files;
    // Enroll over EST by itself once the bench saves the EST bootstrap
    // (EnrollmentAgent), after "joining the network" for enrollDelayMs.
    bool selfEnroll = true;
    int enrollDelayMs = 200;
};

// The MCUmgr SMP server of a simulated Zephyr device, free of any transport:
// the UART device (SimulatedSmpDevice) and the BLE peripheral
// (SimulatedSmpPeripheral) both hand it request packets and send back what it
// answers. OS echo and reset (group 0), settings (group 3; see
// SmpSettingsStore) and a small file system (group 8; see SmpFileStore). A
// reset request is answered and then reported by takeResetRequest(); the
// transport decides what a reboot means for it and calls reboot().
class SmpResponder
{
public:
    using LogFn = std::function<void(const char *level, const char *module, const QString &text)>;

    SmpResponder(const SmpDeviceConfig &config, LogFn log);
    ~SmpResponder();
    SmpResponder(const SmpResponder &) = delete;
    SmpResponder &operator=(const SmpResponder &) = delete;

    // The answer packet (header + CBOR) to a request; nothing for packets
    // that are not requests.
    std::optional<QByteArray> answer(const smp::Packet &request);
    bool takeResetRequest();
    // Drops unsaved settings and any upload in progress.
    void reboot();

    SmpSettingsStore &settings() { return m_settings; }
    const SmpFileStore &fileStore() const { return m_files; }
    // The self-enrollment of the device; null when the config turns it off.
    EnrollmentAgent *enrollment() const { return m_agent.get(); }

private:
    QCborMap handleOs(const smp::Header &h, const QCborMap &body);
    QCborMap handleSettings(const smp::Header &h, const QCborMap &body);
    QCborMap handleFs(const smp::Header &h, const QCborMap &body);
    QCborMap failure(quint16 group, int groupRc, int legacyRc) const;
    void log(const char *level, const char *module, const QString &text);

    const SmpDeviceConfig &m_config;
    LogFn m_log;
    SmpSettingsStore m_settings;
    SmpFileStore m_files;
    bool m_resetRequested = false;
    std::unique_ptr<EnrollmentAgent> m_agent;
};

} // namespace provbench::sim
