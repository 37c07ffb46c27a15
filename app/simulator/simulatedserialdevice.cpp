#include "app/simulator/simulatedserialdevice.h"

#include "app/core/logging.h"
#include "app/simulator/ptypair.h"

#include <QSocketNotifier>
#include <QTimer>

#include <cerrno>
#include <unistd.h>

namespace provbench::sim {

namespace {

// Pulling the cable: closing the master discards what the client has not read
// yet, so the device waits for the line to drain first, at least this long
// (the kernel hands written bytes over slightly later) and at most that long.
constexpr int kDrainPollMs = 5;
constexpr int kDrainMinMs = 20;
constexpr int kDrainLimitMs = 500;

} // namespace

SimulatedSerialDevice::SimulatedSerialDevice(
    QString name, SimFaults faults, int latencyMs, bool logNoise, quint32 seed, QObject *parent)
    : QObject(parent),
      m_name(std::move(name)),
      m_faults(faults),
      m_latencyMs(latencyMs),
      m_logNoise(logNoise),
      m_rng(seed),
      m_noiseTimer(new QTimer(this)),
      m_queueTimer(new QTimer(this))
{
    m_noiseTimer->setSingleShot(true);
    connect(m_noiseTimer, &QTimer::timeout, this, &SimulatedSerialDevice::emitNoise);
    // One precise timer for answers: coarse timers may be reordered, and the
    // order of answers is part of every protocol.
    m_queueTimer->setSingleShot(true);
    m_queueTimer->setTimerType(Qt::PreciseTimer);
    connect(m_queueTimer, &QTimer::timeout, this, &SimulatedSerialDevice::runDue);
    m_clock.start();
}

SimulatedSerialDevice::~SimulatedSerialDevice()
{
    // The notifier must go before the descriptor it watches.
    delete m_notifier;
    m_notifier = nullptr;
    m_pty.reset();
}

Result<void> SimulatedSerialDevice::start(const QString &linkPath)
{
    if (m_pty)
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The simulated device is already running on %1: unplug it "
                           "before starting it again.")
                .arg(m_portPath));
    auto pty = PtyPair::open(linkPath);
    if (!pty)
        return std::unexpected(pty.error());
    m_pty = std::move(*pty);
    m_portPath = m_pty->linkPath().isEmpty() ? m_pty->slavePath() : m_pty->linkPath();
    m_bytesSent = 0;
    m_draining = false;
    m_notifier = new QSocketNotifier(m_pty->masterFd(), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &SimulatedSerialDevice::onReadable);
    qCInfo(lcSimulator).noquote() << "Simulated device" << m_name << "on" << m_portPath;
    started();
    if (m_logNoise)
        m_noiseTimer->start(int(m_rng.bounded(300, 901)));
    return {};
}

void SimulatedSerialDevice::unplug()
{
    if (!m_pty)
        return;
    delete m_notifier;
    m_notifier = nullptr;
    m_noiseTimer->stop();
    m_queueTimer->stop();
    m_queue.clear();
    m_draining = false;
    m_pty.reset();
    qCInfo(lcSimulator).noquote() << "Simulated device" << m_name << "unplugged from" << m_portPath;
    Q_EMIT unplugged();
}

bool SimulatedSerialDevice::isRunning() const
{
    return m_pty != nullptr;
}

bool SimulatedSerialDevice::consumeNoAnswer()
{
    if (m_faults.noAnswer <= 0)
        return false;
    --m_faults.noAnswer;
    qCDebug(lcSimulator) << "Fault: not answering a command";
    return true;
}

void SimulatedSerialDevice::onReadable()
{
    char buf[512];
    for (;;) {
        if (!m_pty)
            return;
        const ssize_t n = ::read(m_pty->masterFd(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            // Cannot happen while the slave is held open; do not spin if it does.
            qCWarning(lcSimulator) << "Reading the pty of" << m_name << "failed";
            m_notifier->setEnabled(false);
            return;
        }
        if (m_draining)
            continue; // the cable is being pulled: the device hears nothing more
        bytesReceived(QByteArrayView(buf, n));
    }
}

void SimulatedSerialDevice::corruptPacket(QByteArray &packet)
{
    if (!packet.isEmpty())
        packet.back() = char(quint8(packet.back()) ^ 0x5A);
}

void SimulatedSerialDevice::sendPacket(const QByteArray &packet)
{
    QByteArray bytes = packet;
    if (m_faults.badChecksum > 0 && !bytes.isEmpty()) {
        --m_faults.badChecksum;
        corruptPacket(bytes);
    }
    if (m_faults.dropBytes > 0 && bytes.size() > 1) {
        --m_faults.dropBytes;
        bytes.remove(bytes.size() / 2, 1);
    }
    if (m_faults.garbage > 0) {
        --m_faults.garbage;
        QByteArray junk;
        const int n = int(m_rng.bounded(4, 17));
        while (junk.size() < n) {
            // Never a byte that could start a frame of any of our protocols
            // ("IMPROV", SMP's 0x06/0x04, AT's letters): junk must stay junk.
            const char c = char(m_rng.bounded(0x80, 0x100));
            junk.append(c);
        }
        bytes.prepend(junk);
    }
    if (m_trailingNewline)
        bytes.append('\n');
    writeRaw(std::move(bytes));
}

void SimulatedSerialDevice::sendLater(const QByteArray &packet, int extraDelayMs)
{
    schedule(m_latencyMs + extraDelayMs, [this, packet] { sendPacket(packet); });
}

void SimulatedSerialDevice::schedule(int delayMs, std::function<void()> action)
{
    qint64 due = m_clock.elapsed() + qMax(0, delayMs);
    if (!m_queue.isEmpty())
        due = qMax(due, m_queue.last().due);
    m_queue.append(Pending{due, std::move(action)});
    if (m_queue.size() == 1)
        m_queueTimer->start(int(qMax<qint64>(0, due - m_clock.elapsed())));
}

void SimulatedSerialDevice::runDue()
{
    while (!m_queue.isEmpty() && m_queue.first().due <= m_clock.elapsed()) {
        const Pending step = m_queue.takeFirst();
        step.action();
        if (!isRunning() || m_draining)
            return; // unplug() or a disconnect fault emptied the queue
    }
    if (!m_queue.isEmpty())
        m_queueTimer->start(int(qMax<qint64>(0, m_queue.first().due - m_clock.elapsed())));
}

void SimulatedSerialDevice::writeRaw(QByteArray bytes)
{
    if (!m_pty || m_draining || bytes.isEmpty())
        return;
    qint64 &cutAt = m_faults.disconnectAtByte;
    const bool cut = cutAt >= 0 && m_bytesSent + bytes.size() >= cutAt;
    if (cut)
        bytes.truncate(qMax<qint64>(0, cutAt - m_bytesSent));

    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t n
            = ::write(m_pty->masterFd(), bytes.constData() + done, size_t(bytes.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            // The client is not reading and the line buffer is full: like a
            // UART with nobody listening, the rest is lost.
            qCDebug(lcSimulator) << "Line full, dropped" << bytes.size() - done << "bytes";
            break;
        }
        done += n;
        m_bytesSent += n;
    }

    if (cut) {
        cutAt = -1;
        qCInfo(lcSimulator).noquote()
            << "Fault: disconnecting" << m_name << "after" << m_bytesSent << "bytes";
        m_draining = true;
        m_queue.clear();
        m_queueTimer->stop();
        m_noiseTimer->stop();
        m_drainClock.start();
        QTimer::singleShot(kDrainMinMs, this, &SimulatedSerialDevice::checkDrained);
    }
}

void SimulatedSerialDevice::checkDrained()
{
    if (!m_pty || !m_draining)
        return;
    if (m_pty->unreadByClient() == 0 || m_drainClock.elapsed() >= kDrainLimitMs) {
        unplug();
        return;
    }
    QTimer::singleShot(kDrainPollMs, this, &SimulatedSerialDevice::checkDrained);
}

void SimulatedSerialDevice::emitNoise()
{
    if (!isRunning() || m_draining || !m_logNoise)
        return;
    writeRaw(noiseLine());
    m_noiseTimer->start(int(m_rng.bounded(300, 901)));
}

} // namespace provbench::sim
