#pragma once

#include "app/protocol/smp/smpcodec.h"
#include "app/protocol/smp/smpmessages.h"
#include "app/simulator/simconfig.h"
#include "app/simulator/simulatedserialdevice.h"
#include "app/simulator/simulatedsmpstore.h"

#include <QElapsedTimer>
#include <QMap>

namespace provbench::sim {

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
};

// A distinct, plausible Zephyr / nRF Connect SDK device per index.
SmpDeviceConfig demoSmpConfig(int index);

// A simulated Zephyr device with MCUmgr SMP over its console UART, behind a
// pty: OS echo and reset, settings (group 3; see SmpSettingsStore for the
// staged/commit/save rules) and a small file system (group 8: upload,
// download, SHA-256; see SmpFileStore). Requests larger than `mtu` are dropped
// with an error in the log, as a full net_buf would. A reset answers, then
// drops unsaved settings and any upload in progress, prints a boot banner and
// ignores input for rebootMs. All SimFaults apply: bad-checksum corrupts the
// CRC of one answer, drop and garbage damage one answer each, no-answer
// ignores requests, disconnect-at pulls the cable after N bytes sent.
class SimulatedSmpDevice : public SimulatedSerialDevice
{
    Q_OBJECT
public:
    explicit SimulatedSmpDevice(SmpDeviceConfig config, QObject *parent = nullptr);
    ~SimulatedSmpDevice() override;

    const SmpDeviceConfig &config() const { return m_config; }
    SmpSettingsStore &settings() { return m_settings; }
    const SmpFileStore &fileStore() const { return m_files; }
    QMap<QString, QByteArray> files() const { return m_files.files(); }
    int resetCount() const { return m_resets; }
    bool isRebooting() const { return m_rebooting; }

protected:
    void bytesReceived(QByteArrayView bytes) override;
    void started() override;
    QByteArray noiseLine() override;
    void corruptPacket(QByteArray &packet) override;

private:
    void handle(const smp::Packet &request);
    QCborMap handleOs(const smp::Header &h, const QCborMap &body);
    QCborMap handleSettings(const smp::Header &h, const QCborMap &body);
    QCborMap handleFs(const smp::Header &h, const QCborMap &body);
    QCborMap failure(quint16 group, int groupRc, int legacyRc) const;
    void respond(const smp::Header &request, const QCborMap &body);
    void reboot();
    void log(const char *level, const char *module, const QString &text);
    QByteArray formatLog(const char *level, const char *module, const QString &text) const;

    SmpDeviceConfig m_config;
    smp::FrameDecoder m_decoder;
    SmpSettingsStore m_settings;
    SmpFileStore m_files;
    QElapsedTimer m_uptime;
    bool m_rebooting = false;
    int m_resets = 0;
};

} // namespace provbench::sim
