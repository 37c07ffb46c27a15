#pragma once

#include "app/core/error.h"
#include "app/simulator/simconfig.h"

#include <QElapsedTimer>
#include <QObject>
#include <QRandomGenerator>

#include <functional>

class QSocketNotifier;
class QTimer;

namespace provbench::sim {

class PtyPair;

// The protocol-neutral half of a simulated serial device: a pty (and a link
// to its slave), bytes in through bytesReceived(), answers out after the
// device's latency in the order they were scheduled, log noise between
// packets, and the byte-level faults of SimFaults applied to what the device
// sends. Subclasses implement one device protocol on top (Improv, SMP, AT).
//
// Faults: sendPacket() applies bad-checksum (corruptPacket(), overridable),
// drop and garbage to one packet each; disconnect-at counts every byte
// written, log lines included; consumeNoAnswer() tells a subclass to ignore a
// command.
class SimulatedSerialDevice : public QObject
{
    Q_OBJECT
public:
    SimulatedSerialDevice(QString name, SimFaults faults, int latencyMs, bool logNoise,
        quint32 seed, QObject *parent = nullptr);
    ~SimulatedSerialDevice() override;

    // Opens a pty pair and, when linkPath is non-empty, makes linkPath a
    // symlink to the slave (replacing a stale link).
    Result<void> start(const QString &linkPath = {});
    // Simulates pulling the cable: closes the pty and removes the link. The
    // device keeps its state, as a board that stays powered would.
    void unplug();
    bool isRunning() const;
    // The path a client opens: the link when one was made, else the slave.
    QString portPath() const { return m_portPath; }
    QString name() const { return m_name; }
    void setFaults(const SimFaults &faults) { m_faults = faults; }
    const SimFaults &faults() const { return m_faults; }

Q_SIGNALS:
    void unplugged();

protected:
    // Bytes from the client, in order. Not called while the cable is being pulled.
    virtual void bytesReceived(QByteArrayView bytes) = 0;
    // After start(): print a boot banner, reset parsers.
    virtual void started() { }
    // One line of log noise (with its line ending), or empty for none now.
    virtual QByteArray noiseLine() { return {}; }
    // The bad-checksum fault: make the packet fail its integrity check.
    virtual void corruptPacket(QByteArray &packet);

    void sendPacket(const QByteArray &packet);
    void sendLater(const QByteArray &packet, int extraDelayMs = 0);
    void schedule(int delayMs, std::function<void()> action);
    void writeRaw(QByteArray bytes);
    bool consumeNoAnswer();
    bool isDraining() const { return m_draining; }
    int latencyMs() const { return m_latencyMs; }
    bool logNoise() const { return m_logNoise; }
    void setTrailingNewline(bool on) { m_trailingNewline = on; }
    QRandomGenerator &rng() { return m_rng; }

private:
    struct Pending
    {
        qint64 due = 0;
        std::function<void()> action;
    };
    void onReadable();
    void runDue();
    void checkDrained();
    void emitNoise();

    QString m_name;
    SimFaults m_faults;
    int m_latencyMs;
    bool m_logNoise;
    bool m_trailingNewline = false;
    QRandomGenerator m_rng;
    std::unique_ptr<PtyPair> m_pty;
    QSocketNotifier *m_notifier = nullptr;
    QTimer *m_noiseTimer;
    QTimer *m_queueTimer;
    QList<Pending> m_queue;
    QElapsedTimer m_clock;
    QElapsedTimer m_drainClock;
    QString m_portPath;
    qint64 m_bytesSent = 0;
    bool m_draining = false;
};

} // namespace provbench::sim
