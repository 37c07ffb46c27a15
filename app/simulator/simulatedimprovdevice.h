#pragma once

#include "app/protocol/improv/improvcodec.h"
#include "app/simulator/simconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QRandomGenerator>

#include <functional>
#include <memory>

class QSocketNotifier;
class QTimer;

namespace provbench::sim {

class PtyPair;

// A simulated Improv Wi-Fi serial device behind a pty. The device side of the
// protocol is implemented for real on top of the same codec the client uses:
// it parses commands from the line (resynchronising like a firmware would),
// answers with state, error and RPC-result packets after its latency, prints
// log noise between packets and injects the configured faults. A client
// reaches it through the pty slave (or the symlink made by start()) with
// QSerialPort like any other port.
class SimulatedImprovDevice : public QObject
{
    Q_OBJECT
public:
    explicit SimulatedImprovDevice(SimDeviceConfig config, QObject *parent = nullptr);
    ~SimulatedImprovDevice() override;

    // Opens a pty pair and, when linkPath is non-empty, makes linkPath a
    // symlink to the slave (replacing a stale link). Fails with a message that
    // says what to do (e.g. the folder is not writable).
    Result<void> start(const QString &linkPath = {});
    // Simulates pulling the cable: closes the pty and removes the link.
    void unplug();
    bool isRunning() const;

    // The path a client opens: the link when one was made, else the slave.
    QString portPath() const;
    const SimDeviceConfig &config() const { return m_config; }
    void setFaults(const SimFaults &faults) { m_config.faults = faults; }
    improv::State state() const { return m_state; }
    QString connectedSsid() const { return m_connectedSsid; }
    QString hostname() const { return m_config.hostname; }
    QString deviceName() const { return m_config.deviceName; }
    // Simulates a factory reset: forgets Wi-Fi, back to Ready.
    void factoryReset();

Q_SIGNALS:
    void stateChanged(provbench::improv::State state);
    void unplugged();

private:
    // An answer step due at a point in time. Steps run strictly in the order
    // they were scheduled, so answers keep the order of the commands.
    struct Pending
    {
        qint64 due = 0;
        std::function<void()> action;
    };

    void onReadable();
    void handleCommand(const improv::Rpc &rpc);
    void handleWifi(const improv::Rpc &rpc);
    void handleGetSet(const improv::Rpc &rpc);
    void finishConnect(const QByteArray &ssid, const QByteArray &password);
    void sendPacket(const QByteArray &packet);
    void sendLater(const QByteArray &packet, int extraDelayMs = 0);
    void sendResult(quint8 command, const QList<QByteArray> &strings);
    void sendState();
    void schedule(int delayMs, std::function<void()> action);
    void runDue();
    void writeRaw(QByteArray bytes);
    void setState(improv::State state);
    void emitLogLine();
    void logLine(char level, const char *tag, const QString &text);
    void checkDrained();
    QByteArray url() const;

    SimDeviceConfig m_config;
    std::unique_ptr<PtyPair> m_pty;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_noiseTimer = nullptr;
    improv::StreamParser m_parser;
    improv::State m_state = improv::State::Ready;
    QString m_connectedSsid;
    qint64 m_bytesSent = 0;
    QRandomGenerator m_rng;
    QString m_portPath;
    QTimer *m_queueTimer = nullptr;
    QList<Pending> m_queue;
    QElapsedTimer m_clock;
    quint64 m_connectGeneration = 0; // a newer Wi-Fi command or a reset cancels a join
    bool m_draining = false;         // disconnect-at fired: waiting for the client to read
    QElapsedTimer m_drainClock;
};

} // namespace provbench::sim
