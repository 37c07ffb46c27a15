#include "app/protocol/improv/improvclient.h"

#include "app/core/duration.h"
#include "app/core/logging.h"

namespace provbench::improv {

namespace {

using Secrets = QList<std::pair<qsizetype, qsizetype>>;

QString joinStrings(const QList<QByteArray> &strings)
{
    QStringList parts;
    for (const QByteArray &s : strings)
        parts.append(QLatin1Char('"') + QString::fromUtf8(s) + QLatin1Char('"'));
    return QLatin1Char('[') + parts.join(QStringLiteral(", ")) + QLatin1Char(']');
}

} // namespace

// One command on its way: what to send, how to describe it, when to give up,
// and what has been collected so far.
struct ImprovClient::Request
{
    enum class Kind { Single, State, Scan };

    Command command = Command::CurrentState;
    Kind kind = Kind::Single;
    QByteArray packet;
    Secrets secrets;
    QString summary; // for the trace, already redacted
    QString subject; // for error messages (SSID, hostname)
    std::chrono::milliseconds timeout{0};
    int retriesLeft = 0;
    int attempt = 0;

    std::optional<State> state;
    QList<Rpc> results;
    std::function<void(Result<Rpc>, const Request &)> complete;
};

ImprovClient::ImprovClient(Link *link, QObject *parent) : ImprovClient(link, Options{}, parent) { }

ImprovClient::ImprovClient(Link *link, Options options, QObject *parent)
    : QObject(parent), m_link(link), m_options(options)
{
    m_timer.setSingleShot(true);
    m_graceTimer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ImprovClient::handleTimeout);
    connect(&m_graceTimer, &QTimer::timeout, this, [this] {
        // The device said "provisioned" but sent no URL: that is allowed.
        if (m_current)
            finishCurrent(Rpc{quint8(m_current->command), {}});
    });
    if (m_link) {
        connect(m_link, &Link::received, this, &ImprovClient::handleBytes);
        connect(m_link, &Link::errorOccurred, this, [this](const Error &error) {
            trace(TraceEntry::Direction::Note, error.message);
            failAll(error, error);
        });
    }
}

ImprovClient::~ImprovClient() = default;

void ImprovClient::trace(TraceEntry::Direction dir, const QString &summary, const QString &hex)
{
    Q_EMIT traced(TraceEntry{QDateTime::currentDateTime(), dir, summary, hex});
}

void ImprovClient::enqueue(std::unique_ptr<Request> request)
{
    m_queue.push_back(std::move(request));
    if (!m_current)
        startNext();
}

void ImprovClient::startNext()
{
    if (m_current || m_queue.empty())
        return;
    m_current = std::move(m_queue.front());
    m_queue.pop_front();
    sendCurrent();
}

void ImprovClient::sendCurrent()
{
    Request &req = *m_current;
    ++req.attempt;
    req.state.reset();
    req.results.clear();
    if (!m_link || !m_link->isOpen()) {
        finishCurrent(fail(Error::Code::Io,
            QStringLiteral("The port is not open: reconnect the device and try again.")));
        return;
    }
    trace(TraceEntry::Direction::Sent,
        req.attempt > 1 ? QStringLiteral("%1 (attempt %2)").arg(req.summary).arg(req.attempt)
                        : req.summary,
        redactedHex(req.packet, req.secrets));
    if (auto ok = m_link->write(req.packet); !ok) {
        finishCurrent(std::unexpected(ok.error()));
        return;
    }
    m_timer.start(req.timeout);
}

void ImprovClient::finishCurrent(Result<Rpc> result)
{
    m_timer.stop();
    m_graceTimer.stop();
    std::unique_ptr<Request> req = std::move(m_current);
    if (!req)
        return;
    QPointer<ImprovClient> self(this);
    req->complete(std::move(result), *req);
    // The callback may have destroyed us or queued more work; start the next
    // request from the event loop to keep the call stack flat.
    if (self)
        QMetaObject::invokeMethod(this, &ImprovClient::startNext, Qt::QueuedConnection);
}

void ImprovClient::handleTimeout()
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
    QString message;
    if (req.command == Command::WifiSettings) {
        message = QStringLiteral("The device did not report whether it joined \"%1\" within %2 s. "
                                 "Its state is unknown: identify it to read its state, then try "
                                 "again if needed.")
                      .arg(req.subject, secondsText(req.timeout));
    } else {
        message
            = QStringLiteral("No answer from %1 to \"%2\" within %3 s (%4 attempts). Check that "
                             "the device runs firmware with Improv Wi-Fi on this port at %5, "
                             "and that no other program has the port open.")
                  .arg(m_link ? m_link->name() : QStringLiteral("the device"),
                      commandName(quint8(req.command)), secondsText(req.timeout))
                  .arg(req.attempt)
                  .arg(QStringLiteral("115200 baud"));
    }
    finishCurrent(fail(Error::Code::Timeout, message));
}

void ImprovClient::handleBytes(const QByteArray &bytes)
{
    const QList<StreamParser::Event> events = m_parser.feed(bytes);
    for (const StreamParser::Event &ev : events) {
        switch (ev.kind) {
        case StreamParser::Event::Kind::Packet:
            handlePacket(ev.packet);
            break;
        case StreamParser::Event::Kind::Noise:
            trace(TraceEntry::Direction::DeviceLog, QString::fromUtf8(ev.text).trimmed());
            break;
        case StreamParser::Event::Kind::BadChecksum:
            trace(TraceEntry::Direction::Note,
                QStringLiteral("Discarded a packet with a bad checksum (line noise?)"),
                redactedHex(ev.text));
            break;
        case StreamParser::Event::Kind::BadVersion:
            trace(TraceEntry::Direction::Note,
                QStringLiteral("Skipped a packet of an unsupported Improv version"),
                redactedHex(ev.text));
            break;
        }
    }
}

void ImprovClient::handlePacket(const Packet &packet)
{
    QByteArray raw = *encodePacket(packet.type, packet.data);
    const QString hex = redactedHex(raw);
    switch (packet.type) {
    case PacketType::CurrentState: {
        if (packet.data.isEmpty()) {
            trace(TraceEntry::Direction::Received, QStringLiteral("empty state packet (ignored)"),
                hex);
            return;
        }
        const State s = State(quint8(packet.data[0]));
        m_lastState = s;
        trace(TraceEntry::Direction::Received, QStringLiteral("state: %1").arg(stateName(s)), hex);
        Q_EMIT stateReported(s);
        if (!m_current)
            return;
        Request &req = *m_current;
        req.state = s;
        if (req.command == Command::CurrentState) {
            if (s == State::Provisioned)
                m_graceTimer.start(m_options.urlGrace);
            else
                finishCurrent(Rpc{quint8(req.command), {}});
        } else if (req.command == Command::WifiSettings && s == State::Provisioned) {
            // The URL result normally follows at once; do not wait for it forever.
            m_graceTimer.start(std::max(m_options.urlGrace, std::chrono::milliseconds(1000)));
        }
        return;
    }
    case PacketType::ErrorState: {
        const ErrorCode code
            = packet.data.isEmpty() ? ErrorCode::Unknown : ErrorCode(quint8(packet.data[0]));
        trace(TraceEntry::Direction::Received,
            QStringLiteral("error state: %1").arg(errorName(code)), hex);
        Q_EMIT errorReported(code);
        if (code == ErrorCode::None || !m_current)
            return;
        const Request &req = *m_current;
        const Error::Code kind
            = code == ErrorCode::UnknownRpc ? Error::Code::Unsupported : Error::Code::Device;
        finishCurrent(fail(kind, errorMessage(code, req.command, req.subject), int(code)));
        return;
    }
    case PacketType::RpcResult: {
        auto rpc = decodeRpc(packet.data);
        if (!rpc) {
            trace(TraceEntry::Direction::Received,
                QStringLiteral("malformed RPC result: %1").arg(rpc.error().message), hex);
            // A corrupt answer is as good as none: let the timeout retry.
            return;
        }
        trace(TraceEntry::Direction::Received,
            QStringLiteral("result of %1: %2")
                .arg(commandName(rpc->command), joinStrings(rpc->strings)),
            hex);
        if (!m_current || rpc->command != quint8(m_current->command)) {
            qCDebug(lcImprov) << "unsolicited RPC result for command" << rpc->command;
            return;
        }
        if (m_current->kind == Request::Kind::Scan) {
            if (rpc->strings.isEmpty())
                finishCurrent(Rpc{quint8(m_current->command), {}});
            else
                m_current->results.append(*rpc);
            return;
        }
        finishCurrent(std::move(*rpc));
        return;
    }
    case PacketType::RpcCommand:
        trace(TraceEntry::Direction::Received,
            QStringLiteral("RPC command from the device (echo?), ignored"), hex);
        return;
    }
    trace(TraceEntry::Direction::Received,
        QStringLiteral("packet of unknown type 0x%1 (ignored)")
            .arg(int(packet.type), 2, 16, QLatin1Char('0')),
        hex);
}

void ImprovClient::failAll(const Error &current, const Error &queued)
{
    // Take the queue first: a callback may enqueue new work, which must survive.
    std::deque<std::unique_ptr<Request>> pending;
    pending.swap(m_queue);
    if (m_current)
        finishCurrent(std::unexpected(current));
    for (auto &req : pending)
        req->complete(std::unexpected(queued), *req);
}

void ImprovClient::cancelAll()
{
    const Error cancelled = Error::make(Error::Code::Cancelled, QStringLiteral("Cancelled."));
    Error current = cancelled;
    if (m_current && m_current->command == Command::WifiSettings)
        current.message = QStringLiteral("Cancelled while the device was joining \"%1\"; it may "
                                         "still finish joining: identify it to read its state.")
                              .arg(m_current->subject);
    if (m_current)
        trace(TraceEntry::Direction::Note, current.message);
    failAll(current, cancelled);
}

// --- operations ---------------------------------------------------------------

std::unique_ptr<ImprovClient::Request> ImprovClient::makeRequest(
    Command command, const QList<QByteArray> &strings, QString summary)
{
    auto req = std::make_unique<Request>();
    req->command = command;
    req->packet = *encodeCommand(command, strings); // callers validated the sizes
    req->summary = std::move(summary);
    req->timeout = m_options.timeout;
    req->retriesLeft = m_options.retries;
    return req;
}

namespace {

QString firstString(const Rpc &rpc)
{
    return rpc.strings.isEmpty() ? QString() : QString::fromUtf8(rpc.strings.first());
}

bool validHostname(const QString &name)
{
    if (name.isEmpty() || name.size() > 63 || name.startsWith(QLatin1Char('-'))
        || name.endsWith(QLatin1Char('-')))
        return false;
    return std::all_of(name.begin(), name.end(), [](QChar c) {
        return (c.unicode() < 128 && c.isLetterOrNumber()) || c == QLatin1Char('-');
    });
}

} // namespace

void ImprovClient::requestState(Callback<StateReport> done)
{
    auto req = makeRequest(Command::CurrentState, {}, QStringLiteral("request current state"));
    req->kind = Request::Kind::State;
    req->complete = [done = std::move(done)](Result<Rpc> r, const Request &req) {
        if (!r)
            return done(std::unexpected(r.error()));
        if (!req.state)
            return done(fail(Error::Code::Protocol,
                QStringLiteral("The device answered without reporting its state.")));
        StateReport rep{*req.state, {}};
        for (const QByteArray &s : r->strings)
            rep.urls.append(QString::fromUtf8(s));
        done(rep);
    };
    enqueue(std::move(req));
}

void ImprovClient::deviceInfo(Callback<DeviceInfo> done)
{
    auto req = makeRequest(Command::DeviceInfo, {}, QStringLiteral("request device info"));
    req->complete = [done = std::move(done)](Result<Rpc> r, const Request &) {
        if (!r)
            return done(std::unexpected(r.error()));
        done(decodeDeviceInfo(*r));
    };
    enqueue(std::move(req));
}

void ImprovClient::scanWifi(Callback<QList<WifiNetwork>> done)
{
    auto req = makeRequest(Command::WifiScan, {}, QStringLiteral("scan Wi-Fi networks"));
    req->kind = Request::Kind::Scan;
    req->timeout = m_options.scanTimeout;
    req->complete = [done = std::move(done)](Result<Rpc> r, const Request &req) {
        if (!r)
            return done(std::unexpected(r.error()));
        QList<WifiNetwork> nets;
        for (const Rpc &entry : req.results) {
            auto net = decodeScanEntry(entry);
            if (!net)
                return done(std::unexpected(net.error()));
            if (*net)
                nets.append(**net);
        }
        std::stable_sort(nets.begin(), nets.end(),
            [](const WifiNetwork &a, const WifiNetwork &b) { return a.rssi > b.rssi; });
        done(nets);
    };
    enqueue(std::move(req));
}

void ImprovClient::writeWifi(
    const QString &ssid, const QString &password, Callback<QStringList> done)
{
    const QByteArray ssidBytes = ssid.toUtf8();
    const QByteArray pwBytes = password.toUtf8();
    if (ssidBytes.isEmpty() || ssidBytes.size() > 32)
        return done(fail(Error::Code::InvalidArgument,
            QStringLiteral("A Wi-Fi SSID has 1 to 32 bytes; \"%1\" has %2. Pick the "
                           "network from a scan or check the name.")
                .arg(ssid)
                .arg(ssidBytes.size())));
    if (!pwBytes.isEmpty() && (pwBytes.size() < 8 || pwBytes.size() > 63))
        return done(fail(Error::Code::InvalidArgument,
            QStringLiteral("A WPA2 passphrase has 8 to 63 characters (this one has "
                           "%1); leave it empty only for an open network.")
                .arg(pwBytes.size())));

    auto req = makeRequest(Command::WifiSettings, {ssidBytes, pwBytes},
        QStringLiteral("send Wi-Fi settings: SSID \"%1\", password <redacted>").arg(ssid));
    // Layout: header | command, length | ssid length, ssid | password length |
    // password | checksum. The checksum is redacted too: it is a sum over the
    // password bytes.
    const qsizetype pwOffset = kHeaderSize + 2 + 1 + ssidBytes.size() + 1;
    req->secrets = {{pwOffset, pwBytes.size()}, {req->packet.size() - 1, 1}};
    req->subject = ssid;
    req->timeout = m_options.wifiTimeout;
    req->retriesLeft = 0; // see the class comment
    req->complete = [done = std::move(done)](Result<Rpc> r, const Request &) {
        if (!r)
            return done(std::unexpected(r.error()));
        QStringList urls;
        for (const QByteArray &s : r->strings)
            urls.append(QString::fromUtf8(s));
        done(urls);
    };
    enqueue(std::move(req));
}

void ImprovClient::requestString(
    Command command, const QString &summary, const QString &value, Callback<QString> done)
{
    QList<QByteArray> args;
    if (!value.isNull())
        args.append(value.toUtf8());
    auto req = makeRequest(command, args, summary);
    req->subject = value;
    // Setting the same value twice is harmless, so sets are retried like reads.
    req->complete = [done = std::move(done)](Result<Rpc> r, const Request &) {
        if (!r)
            return done(std::unexpected(r.error()));
        done(firstString(*r));
    };
    enqueue(std::move(req));
}

void ImprovClient::hostname(Callback<QString> done)
{
    requestString(Command::Hostname, QStringLiteral("get hostname"), QString(), std::move(done));
}

void ImprovClient::setHostname(const QString &hostname, Callback<QString> done)
{
    if (!validHostname(hostname))
        return done(fail(Error::Code::InvalidArgument,
            QStringLiteral("\"%1\" is not a valid hostname: use 1-63 letters, digits "
                           "and hyphens, not starting or ending with a hyphen.")
                .arg(hostname)));
    requestString(Command::Hostname, QStringLiteral("set hostname to \"%1\"").arg(hostname),
        hostname, std::move(done));
}

void ImprovClient::deviceName(Callback<QString> done)
{
    requestString(
        Command::DeviceName, QStringLiteral("get device name"), QString(), std::move(done));
}

void ImprovClient::setDeviceName(const QString &name, Callback<QString> done)
{
    if (name.isEmpty() || name.toUtf8().size() > 255)
        return done(fail(Error::Code::InvalidArgument,
            QStringLiteral("A device name has 1 to 255 bytes: enter a shorter, "
                           "non-empty name.")));
    requestString(Command::DeviceName, QStringLiteral("set device name to \"%1\"").arg(name), name,
        std::move(done));
}

void ImprovClient::networkState(Callback<NetworkState> done)
{
    auto req = makeRequest(Command::NetworkState, {}, QStringLiteral("request network state"));
    req->complete = [done = std::move(done)](Result<Rpc> r, const Request &) {
        if (!r)
            return done(std::unexpected(r.error()));
        done(decodeNetworkState(*r));
    };
    enqueue(std::move(req));
}

} // namespace provbench::improv
