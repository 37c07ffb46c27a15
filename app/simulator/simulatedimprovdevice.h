#pragma once

#include "app/protocol/improv/improvcodec.h"
#include "app/simulator/simconfig.h"
#include "app/simulator/simulatedserialdevice.h"

#include <QElapsedTimer>

#include <functional>
#include <memory>

namespace provbench::sim {

// A simulated Improv Wi-Fi serial device behind a pty. The device side of the
// protocol is implemented for real on top of the same codec the client uses:
// it parses commands from the line (resynchronising like a firmware would),
// answers with state, error and RPC-result packets after its latency, prints
// log noise between packets and injects the configured faults. A client
// reaches it through the pty slave (or the symlink made by start()) with
// QSerialPort like any other port.
class SimulatedImprovDevice : public SimulatedSerialDevice
{
    Q_OBJECT
public:
    explicit SimulatedImprovDevice(SimDeviceConfig config, QObject *parent = nullptr);
    ~SimulatedImprovDevice() override;

    const SimDeviceConfig &config() const { return m_config; }
    improv::State state() const { return m_state; }
    QString connectedSsid() const { return m_connectedSsid; }
    QString hostname() const { return m_config.hostname; }
    QString deviceName() const { return m_config.deviceName; }
    // Simulates a factory reset: forgets Wi-Fi, back to Ready.
    void factoryReset();

Q_SIGNALS:
    void stateChanged(provbench::improv::State state);

protected:
    void bytesReceived(QByteArrayView bytes) override;
    void started() override;
    QByteArray noiseLine() override;

private:
    void handleCommand(const improv::Rpc &rpc);
    void handleWifi(const improv::Rpc &rpc);
    void handleGetSet(const improv::Rpc &rpc);
    void finishConnect(const QByteArray &ssid, const QByteArray &password);
    void sendResult(quint8 command, const QList<QByteArray> &strings);
    void sendState();
    void setState(improv::State state);
    void logLine(char level, const char *tag, const QString &text);
    static QByteArray formatLogLine(char level, const char *tag, const QString &text);
    QByteArray url() const;

    SimDeviceConfig m_config;
    improv::StreamParser m_parser;
    improv::State m_state = improv::State::Ready;
    QString m_connectedSsid;
    quint64 m_connectGeneration = 0; // a newer Wi-Fi command or a reset cancels a join
};

} // namespace provbench::sim
