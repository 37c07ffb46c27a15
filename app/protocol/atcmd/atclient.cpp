#include "app/protocol/atcmd/atclient.h"

#include "app/core/duration.h"

namespace provbench::at {

namespace {

QString hexOf(QByteArrayView bytes)
{
    return redactedHex(bytes.first(std::min<qsizetype>(bytes.size(), 256)));
}

bool isTextLine(QByteArrayView line)
{
    return std::all_of(line.begin(), line.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

} // namespace

// One command on its way.
struct AtClient::Request
{
    QByteArray command;
    QString summary; // redacted
    bool secret = false;
    bool repeatable = false; // may be sent again (see the class comment)
    ErrorContext context;
    std::chrono::milliseconds timeout{0};
    int retriesLeft = 0;
    int attempt = 0;
    Lines lines;
    bool damaged = false; // a line of the answer was garbled on the wire
    // Checks the information lines of a successful answer; a failure makes a
    // repeatable command go again (a byte lost on the line), else it fails.
    std::function<Result<void>(const Lines &)> check;
    std::function<void(Result<Lines>)> complete;
};

AtClient::AtClient(Link *link, QObject *parent) : AtClient(link, Options{}, parent) { }

AtClient::AtClient(Link *link, Options options, QObject *parent)
    : QObject(parent), m_link(link), m_options(options)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &AtClient::handleTimeout);
    if (m_link) {
        connect(m_link, &Link::received, this, &AtClient::handleBytes);
        connect(m_link, &Link::errorOccurred, this, [this](const Error &error) {
            trace(TraceEntry::Direction::Note, error.message);
            failAll(error, error);
        });
    }
}

AtClient::~AtClient() = default;

void AtClient::trace(TraceEntry::Direction dir, const QString &summary, const QString &hex)
{
    Q_EMIT traced(TraceEntry{QDateTime::currentDateTime(), dir, summary, hex});
}

std::unique_ptr<AtClient::Request> AtClient::makeRequest(const QByteArray &command, bool repeatable)
{
    auto req = std::make_unique<Request>();
    req->command = command;
    req->summary = redactedCommand(command);
    req->secret = commandCarriesSecret(command);
    req->repeatable = repeatable;
    req->context.command = req->summary;
    req->timeout = m_options.timeout;
    req->retriesLeft = repeatable ? m_options.retries : 0;
    return req;
}

void AtClient::enqueue(std::unique_ptr<Request> request)
{
    if (!m_cmeeQueued && m_options.enableCmee) {
        m_cmeeQueued = true;
        auto cmee = makeRequest(cmeeOn(), true);
        cmee->complete = [this](Result<Lines> r) {
            if (!r && r.error().code != Error::Code::Io)
                trace(TraceEntry::Direction::Note,
                    QStringLiteral("The modem did not accept AT+CMEE=1; errors will come without "
                                   "codes."));
        };
        m_queue.push_back(std::move(cmee));
    }
    m_queue.push_back(std::move(request));
    if (!m_current)
        startNext();
}

void AtClient::startNext()
{
    if (m_current || m_queue.empty())
        return;
    m_current = std::move(m_queue.front());
    m_queue.pop_front();
    sendCurrent();
}

void AtClient::sendCurrent()
{
    Request &req = *m_current;
    ++req.attempt;
    req.lines.clear();
    req.damaged = false;
    if (!m_link || !m_link->isOpen()) {
        finishCurrent(fail(Error::Code::Io,
            QStringLiteral("The port is not open: reconnect the modem and try again.")));
        return;
    }
    m_parser.setCommand(req.command);
    trace(TraceEntry::Direction::Sent,
        req.attempt > 1 ? QStringLiteral("%1 (attempt %2)").arg(req.summary).arg(req.attempt)
                        : req.summary);
    if (auto ok = m_link->write(QByteArray(req.command + "\r\n")); !ok) {
        finishCurrent(std::unexpected(ok.error()));
        return;
    }
    m_timer.start(req.timeout);
}

void AtClient::finishCurrent(Result<Lines> result)
{
    m_timer.stop();
    m_parser.setCommand({});
    std::unique_ptr<Request> req = std::move(m_current);
    if (!req)
        return;
    QPointer<AtClient> self(this);
    req->complete(std::move(result));
    if (self)
        QMetaObject::invokeMethod(this, &AtClient::startNext, Qt::QueuedConnection);
}

void AtClient::retryOrFail(const Error &error)
{
    Request &req = *m_current;
    if (req.retriesLeft > 0) {
        --req.retriesLeft;
        trace(TraceEntry::Direction::Note, error.message + QStringLiteral(" Sending again."));
        sendCurrent();
        return;
    }
    finishCurrent(std::unexpected(error));
}

void AtClient::handleTimeout()
{
    if (!m_current)
        return;
    Request &req = *m_current;
    const QString port = m_link ? m_link->name() : QStringLiteral("the modem");
    if (req.repeatable && req.retriesLeft > 0) {
        retryOrFail(Error::make(Error::Code::Timeout,
            QStringLiteral("No answer to %1 within %2 s.")
                .arg(req.summary, secondsText(req.timeout))));
        return;
    }
    QString message;
    if (!req.repeatable) {
        message = QStringLiteral("No answer from %1 to %2 within %3 s: the modem may or may not "
                                 "have carried it out. List the credentials to see what it "
                                 "holds.")
                      .arg(port, req.summary, secondsText(req.timeout));
    } else {
        message = QStringLiteral("No answer from %1 to %2 within %3 s (%4 attempts). Check that "
                                 "this port is the modem's AT interface (115200 baud), that the "
                                 "firmware passes AT commands through, and that no other program "
                                 "has the port open.")
                      .arg(port, req.summary, secondsText(req.timeout))
                      .arg(req.attempt);
    }
    finishCurrent(fail(Error::Code::Timeout, message));
}

void AtClient::handleBytes(const QByteArray &bytes)
{
    for (const ResponseParser::Event &ev : m_parser.feed(bytes))
        handleEvent(ev);
}

void AtClient::handleEvent(const ResponseParser::Event &ev)
{
    using Kind = ResponseParser::Event::Kind;
    const bool secret = m_current && m_current->secret;
    const auto shown = [&](const QByteArray &line) {
        return secret ? QStringLiteral("<redacted %1 bytes>").arg(line.size())
                      : QString::fromUtf8(line);
    };
    switch (ev.kind) {
    case Kind::Echo:
        trace(TraceEntry::Direction::Received,
            QStringLiteral("echo: %1").arg(m_current ? m_current->summary : QString()));
        return;
    case Kind::Info:
        trace(TraceEntry::Direction::Received, shown(ev.line));
        if (m_current)
            m_current->lines.append(ev.line);
        return;
    case Kind::Notification:
        trace(TraceEntry::Direction::Received,
            QStringLiteral("notification: %1").arg(shown(ev.line)));
        Q_EMIT notificationReceived(ev.line);
        return;
    case Kind::Garbled:
        trace(TraceEntry::Direction::Note, QStringLiteral("Discarded a damaged line (line noise?)"),
            secret ? shown(ev.line) : hexOf(ev.line));
        if (m_current)
            m_current->damaged = true;
        return;
    case Kind::Noise:
        trace(TraceEntry::Direction::DeviceLog,
            isTextLine(ev.line) && !secret ? QString::fromUtf8(ev.line) : hexOf(ev.line));
        return;
    case Kind::Final:
        trace(TraceEntry::Direction::Received, QString::fromUtf8(ev.line));
        handleFinal(ev.final);
        return;
    }
}

void AtClient::handleFinal(const FinalResult &final)
{
    if (!m_current)
        return;
    Request &req = *m_current;
    switch (final.kind) {
    case FinalResult::Kind::Ok: {
        if (req.repeatable && req.damaged) {
            retryOrFail(Error::make(Error::Code::Protocol,
                QStringLiteral("A line of the answer to %1 was damaged on the wire.")
                    .arg(req.summary)));
            return;
        }
        if (req.check) {
            if (auto ok = req.check(req.lines); !ok) {
                if (req.repeatable)
                    retryOrFail(ok.error());
                else
                    finishCurrent(std::unexpected(ok.error()));
                return;
            }
        }
        finishCurrent(std::move(req.lines));
        return;
    }
    case FinalResult::Kind::CmeError:
        finishCurrent(
            fail(Error::Code::Device, cmeErrorMessage(final.code, req.context), final.code));
        return;
    case FinalResult::Kind::CmsError:
        finishCurrent(fail(Error::Code::Device,
            QStringLiteral("The modem answered %1 with +CMS ERROR: %2 (an SMS service error).")
                .arg(req.summary)
                .arg(final.code),
            final.code));
        return;
    case FinalResult::Kind::Error:
        finishCurrent(fail(Error::Code::Device, plainErrorMessage(req.context)));
        return;
    }
}

void AtClient::failAll(const Error &current, const Error &queued)
{
    std::deque<std::unique_ptr<Request>> pending;
    pending.swap(m_queue);
    if (m_current)
        finishCurrent(std::unexpected(current));
    for (auto &req : pending)
        req->complete(std::unexpected(queued));
}

void AtClient::cancelAll()
{
    const Error cancelled = Error::make(Error::Code::Cancelled, QStringLiteral("Cancelled."));
    Error current = cancelled;
    if (m_current && !m_current->repeatable)
        current.message = QStringLiteral("Cancelled while %1 was in flight; the modem may still "
                                         "carry it out: list the credentials to see.")
                              .arg(m_current->summary);
    failAll(current, cancelled);
}

// --- operations -----------------------------------------------------------------

void AtClient::raw(const QByteArray &command, Callback<Lines> done)
{
    auto req = makeRequest(command, false);
    req->timeout = m_options.writeTimeout;
    req->complete = std::move(done);
    enqueue(std::move(req));
}

void AtClient::modemInfo(Callback<ModemInfo> done)
{
    auto info = std::make_shared<ModemInfo>();
    auto step = [this](const QByteArray &cmd, QString *field, Callback<void> next) {
        auto req = makeRequest(cmd, true);
        req->check = [cmd](const Lines &lines) -> Result<void> {
            if (auto v = parseSingleValue(lines, QString::fromLatin1(cmd)); !v)
                return std::unexpected(v.error());
            return {};
        };
        req->complete = [cmd, field, next = std::move(next)](Result<Lines> r) {
            if (!r)
                return next(std::unexpected(r.error()));
            *field = *parseSingleValue(*r, QString::fromLatin1(cmd));
            next({});
        };
        enqueue(std::move(req));
    };
    // Queued together, so no other command can slip in between.
    auto failed = std::make_shared<bool>(false);
    auto onStep = [failed, done](Result<void> r) {
        if (!r && !*failed) {
            *failed = true;
            done(std::unexpected(r.error()));
        }
    };
    step(modelQuery(), &info->model, onStep);
    step(revisionQuery(), &info->revision, onStep);
    step(imeiQuery(), &info->imei, [failed, done, info, onStep](Result<void> r) {
        if (!r)
            return onStep(r);
        if (!*failed)
            done(*info);
    });
}

void AtClient::functionalMode(Callback<int> done)
{
    auto req = makeRequest(cfunQuery(), true);
    req->check = [](const Lines &lines) -> Result<void> {
        if (auto m = parseCfun(lines); !m)
            return std::unexpected(m.error());
        return {};
    };
    req->complete = [done = std::move(done)](Result<Lines> r) {
        if (!r)
            return done(std::unexpected(r.error()));
        done(parseCfun(*r));
    };
    enqueue(std::move(req));
}

void AtClient::setFunctionalMode(int mode, Callback<void> done)
{
    auto cmd = cfunSet(mode);
    if (!cmd)
        return done(std::unexpected(cmd.error()));
    // Setting the same mode twice is harmless, so this is retried like a query.
    auto req = makeRequest(*cmd, true);
    req->timeout = m_options.writeTimeout;
    req->complete = [done = std::move(done)](Result<Lines> r) {
        if (!r)
            return done(std::unexpected(r.error()));
        done({});
    };
    enqueue(std::move(req));
}

void AtClient::listCredentials(
    std::optional<qint64> tag, std::optional<CredentialType> type, Callback<QList<CmngEntry>> done)
{
    auto cmd = cmngList(tag, type);
    if (!cmd)
        return done(std::unexpected(cmd.error()));
    auto req = makeRequest(*cmd, true);
    req->context.tag = tag.value_or(-1);
    req->context.type = type;
    req->check = [](const Lines &lines) -> Result<void> {
        if (auto l = parseCmngList(lines); !l)
            return std::unexpected(l.error());
        return {};
    };
    req->complete = [done = std::move(done)](Result<Lines> r) {
        if (!r)
            return done(std::unexpected(r.error()));
        done(parseCmngList(*r));
    };
    enqueue(std::move(req));
}

void AtClient::writeCredential(qint64 tag, CredentialType type, const QByteArray &content,
    const QByteArray &passphrase, Callback<void> done)
{
    enqueueStoreChange(cmngWrite(tag, type, content, passphrase), tag, type, std::move(done));
}

void AtClient::deleteCredential(qint64 tag, CredentialType type, Callback<void> done)
{
    enqueueStoreChange(cmngDelete(tag, type), tag, type, std::move(done));
}

// Writes and deletes change the modem's store: never resent on a timeout
// (the caller lists to learn what happened) and given the longer NVM timeout.
void AtClient::enqueueStoreChange(
    const Result<QByteArray> &command, qint64 tag, CredentialType type, Callback<void> done)
{
    if (!command)
        return done(std::unexpected(command.error()));
    auto req = makeRequest(*command, false);
    req->timeout = m_options.writeTimeout;
    req->context.tag = tag;
    req->context.type = type;
    req->complete = [done = std::move(done)](Result<Lines> r) {
        if (!r)
            return done(std::unexpected(r.error()));
        done({});
    };
    enqueue(std::move(req));
}

} // namespace provbench::at
