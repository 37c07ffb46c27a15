#pragma once

#include "app/protocol/smp/smpcodec.h"
#include "app/protocol/smp/smpmessages.h"
#include "app/simulator/simconfig.h"
#include "app/simulator/simulatedserialdevice.h"
#include "app/simulator/smpresponder.h"

#include <QElapsedTimer>
#include <QMap>

namespace provbench::sim {

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
    SmpSettingsStore &settings() { return m_responder.settings(); }
    const SmpFileStore &fileStore() const { return m_responder.fileStore(); }
    QMap<QString, QByteArray> files() const { return m_responder.fileStore().files(); }
    int resetCount() const { return m_resets; }
    // Self-enrollment over EST (null when the config turns it off).
    EnrollmentAgent *enrollment() const { return m_responder.enrollment(); }
    bool isRebooting() const { return m_rebooting; }

protected:
    void bytesReceived(QByteArrayView bytes) override;
    void started() override;
    QByteArray noiseLine() override;
    void corruptPacket(QByteArray &packet) override;

private:
    void handle(const smp::Packet &request);
    void respond(const QByteArray &packet);
    void reboot();
    void log(const char *level, const char *module, const QString &text);
    QByteArray formatLog(const char *level, const char *module, const QString &text) const;

    SmpDeviceConfig m_config;
    smp::FrameDecoder m_decoder;
    SmpResponder m_responder;
    QElapsedTimer m_uptime;
    bool m_rebooting = false;
    int m_resets = 0;
};

} // namespace provbench::sim
