#include "app/protocol/smp/smpclient.h"

#include "app/core/duration.h"

#include <QLoggingCategory>

namespace provbench::smp {

Q_LOGGING_CATEGORY(lcSmp, "provbench.smp", QtWarningMsg)

struct SmpClient::Request
{
    Command command;
    QByteArray payload; // CBOR
    QString summary;    // already redacted
    QString subject;
    QByteArray secret; // bytes of the payload to redact in the hex dump
    std::chrono::milliseconds timeout{0};
    int retriesLeft = 0;
    int attempt = 0;
    QList<quint8> seqs;
    Callback<QCborMap> complete;
};

SmpClient::SmpClient(Link *link, QObject *parent) : SmpClient(link, Options{}, parent) { }

SmpClient::SmpClient(Link *link, Options options, QObject *parent)
    : QObject(parent), m_link(link), m_options(options)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SmpClient::handleTimeout);
    if (m_link) {
        connect(m_link, &Link::received, this, &SmpClient::handleBytes);
        connect(m_link, &Link::errorOccurred, this, [this](const Error &error) {
            trace(TraceEntry::Direction::Note, error.message);
            m_linkError = error;
            failAll(error);
        });
    }
}

SmpClient::~SmpClient() = default;

void SmpClient::trace(TraceEntry::Direction dir, const QString &summary, const QString &hex)
{
    Q_EMIT traced(TraceEntry{QDateTime::currentDateTime(), dir, summary, hex});
}

void SmpClient::request(Command command, const QCborMap &body, QString summary, QString subject,
    bool retry, Callback<QCborMap> done, QByteArray secret)
{
    auto req = std::make_unique<Request>();
    req->command = command;
    req->payload = encodeCbor(body);
    req->summary = std::move(summary);
    req->subject = std::move(subject);
    req->secret = std::move(secret);
    req->timeout = m_options.timeout;
    req->retriesLeft = retry ? m_options.retries : 0;
    req->complete = std::move(done);
    m_queue.push_back(std::move(req));
    if (!m_current)
        startNext();
}

void SmpClient::requestVoid(Command command, const QCborMap &body, QString summary, QString subject,
    bool retry, Callback<void> done)
{
    request(command, body, std::move(summary), std::move(subject), retry,
        [done = std::move(done)](Result<QCborMap> r) {
            if (!r)
                return done(std::unexpected(r.error()));
            done({});
        });
}

void SmpClient::startNext()
{
    if (m_current || m_queue.empty())
        return;
    m_current = std::move(m_queue.front());
    m_queue.pop_front();
    sendCurrent();
}

void SmpClient::sendCurrent()
{
    Request &req = *m_current;
    ++req.attempt;
    if (m_linkError) {
        finishCurrent(std::unexpected(*m_linkError));
        return;
    }
    if (!m_link || !m_link->isOpen()) {
        finishCurrent(fail(Error::Code::Io,
            QStringLiteral("The port is not open: reconnect the device and try again.")));
        return;
    }
    const quint8 seq = m_nextSeq++;
    req.seqs.append(seq);
    Header header;
    header.op = req.command.op;
    header.group = req.command.group;
    header.id = req.command.id;
    header.seq = seq;
    auto body = encodePacket(header, req.payload);
    if (!body) {
        finishCurrent(std::unexpected(body.error()));
        return;
    }
    auto wire = m_options.framing == Framing::Raw ? Result<QByteArray>(*body)
                                                  : encodeSerial(*body, m_options.maxFrame);
    if (!wire) {
        finishCurrent(std::unexpected(wire.error()));
        return;
    }
    QList<std::pair<qsizetype, qsizetype>> secrets;
    if (!req.secret.isEmpty()) {
        const qsizetype at = body->lastIndexOf(req.secret);
        if (at >= 0)
            secrets.append({at, req.secret.size()});
    }
    trace(TraceEntry::Direction::Sent,
        QStringLiteral("%1 (seq %2%3)")
            .arg(req.summary)
            .arg(seq)
            .arg(req.attempt > 1 ? QStringLiteral(", attempt %1").arg(req.attempt) : QString()),
        redactedHex(*body, secrets));
    if (auto ok = m_link->write(*wire); !ok) {
        finishCurrent(std::unexpected(ok.error()));
        return;
    }
    m_timer.start(req.timeout);
}

void SmpClient::finishCurrent(Result<QCborMap> result)
{
    m_timer.stop();
    std::unique_ptr<Request> req = std::move(m_current);
    if (!req)
        return;
    QPointer<SmpClient> self(this);
    req->complete(std::move(result));
    // Keep the call stack flat: a multi-chunk transfer queues its next request
    // from this callback.
    if (self)
        QMetaObject::invokeMethod(this, &SmpClient::startNext, Qt::QueuedConnection);
}

void SmpClient::handleTimeout()
{
    if (!m_current)
        return;
    Request &req = *m_current;
    if (req.retriesLeft > 0) {
        --req.retriesLeft;
        trace(TraceEntry::Direction::Note,
            QStringLiteral("No answer within %1 s, sending again").arg(secondsText(req.timeout)));
        sendCurrent();
        return;
    }
    const QString cmd = commandName(req.command.op, req.command.group, req.command.id);
    const bool ble = m_options.framing == Framing::Raw;
    QString message
        = QStringLiteral("No answer from %1 to \"%2\" within %3 s (%4 attempts). Check that the "
                         "firmware has MCUmgr SMP over %5, that no other program is using the "
                         "device, and that requests fit the device's buffer (--mtu, now %6 bytes).")
              .arg(m_link ? m_link->name() : QStringLiteral("the device"), cmd,
                  secondsText(req.timeout))
              .arg(req.attempt)
              .arg(ble ? QStringLiteral("Bluetooth (CONFIG_MCUMGR_TRANSPORT_BT)")
                       : QStringLiteral("this UART (CONFIG_MCUMGR_TRANSPORT_UART)"))
              .arg(m_options.mtu);
    finishCurrent(fail(Error::Code::Timeout, message));
}

void SmpClient::handleBytes(const QByteArray &bytes)
{
    const auto events
        = m_options.framing == Framing::Raw ? m_reassembler.feed(bytes) : m_decoder.feed(bytes);
    for (const FrameDecoder::Event &ev : events) {
        switch (ev.kind) {
        case FrameDecoder::Event::Kind::Packet:
            handlePacket(ev.bytes);
            break;
        case FrameDecoder::Event::Kind::ConsoleText: {
            const QString line = QString::fromUtf8(ev.bytes).trimmed();
            if (!line.isEmpty())
                trace(TraceEntry::Direction::DeviceLog, line);
            break;
        }
        case FrameDecoder::Event::Kind::BadFrame:
            trace(TraceEntry::Direction::Note,
                QStringLiteral("Discarded a damaged SMP packet: %1 (line noise?)").arg(ev.reason));
            break;
        }
    }
}

void SmpClient::handlePacket(const QByteArray &body)
{
    auto packet = decodePacket(body);
    if (!packet) {
        trace(TraceEntry::Direction::Received,
            QStringLiteral("malformed SMP packet: %1").arg(packet.error().message),
            redactedHex(body));
        return;
    }
    const Header &h = packet->header;
    Request *req = m_current.get();
    const bool matches = req && quint8(h.op) == quint8(req->command.op) + 1
        && h.group == req->command.group && h.id == req->command.id && req->seqs.contains(h.seq);
    const bool secret = req && matches && isSecretName(req->subject);
    auto map = decodeCbor(packet->payload);
    QList<std::pair<qsizetype, qsizetype>> secrets;
    if (secret && map) {
        for (const char *k : {"val", "data"}) {
            const QByteArray v = map->value(QLatin1String(k)).toByteArray();
            const qsizetype at = v.isEmpty() ? -1 : body.lastIndexOf(v);
            if (at >= 0)
                secrets.append({at, v.size()});
        }
    }
    const QString summary = QStringLiteral("%1 %2 (seq %3): %4")
                                .arg(commandName(h.op, h.group, h.id), opName(h.op))
                                .arg(h.seq)
                                .arg(map ? describeBody(*map, secret) : map.error().message);
    trace(TraceEntry::Direction::Received, summary, redactedHex(body, secrets));
    if (!matches) {
        qCDebug(lcSmp) << "unsolicited SMP packet, group" << h.group << "id" << h.id << "seq"
                       << h.seq;
        return;
    }
    if (!map) {
        finishCurrent(std::unexpected(map.error()));
        return;
    }
    if (const auto err = responseError(*map)) {
        finishCurrent(std::unexpected(toError(*err,
            commandName(req->command.op, req->command.group, req->command.id), req->subject)));
        return;
    }
    finishCurrent(std::move(*map));
}

void SmpClient::failAll(const Error &error)
{
    std::deque<std::unique_ptr<Request>> pending;
    pending.swap(m_queue);
    if (m_current)
        finishCurrent(std::unexpected(error));
    for (auto &req : pending)
        req->complete(std::unexpected(error));
}

void SmpClient::cancelAll()
{
    failAll(Error::make(Error::Code::Cancelled, QStringLiteral("Cancelled.")));
}

} // namespace provbench::smp
