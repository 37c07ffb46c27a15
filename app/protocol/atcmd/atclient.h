#pragma once

#include "app/core/traceentry.h"
#include "app/protocol/atcmd/atcodec.h"
#include "app/protocol/atcmd/atparser.h"
#include "app/transport/link.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>

namespace provbench::at {

struct ModemInfo
{
    QString model;    // AT+CGMM, e.g. "nRF9160-SICA"
    QString revision; // AT+CGMR, e.g. "mfw_nrf9160_1.3.6"
    QString imei;     // AT+CGSN
};

// An AT command session with an nRF91-class modem over a Link. Commands are
// queued and sent one at a time (AT has no request ids: the next final result
// code belongs to the command in flight). Unsolicited result codes are passed
// on through notificationReceived(), echo is recognised and skipped, and lines
// damaged on the wire are discarded.
//
// Every operation completes exactly once through its callback, on this
// object's thread, unless the client is destroyed first. Timeouts are per
// command. Only commands that change nothing or can be repeated harmlessly
// (queries, AT%CMNG=1, AT+CFUN=n, AT+CMEE=1) are retried on a timeout or an
// unreadable answer; credential writes and deletes never are — the caller
// verifies them by listing (CredentialWriter does).
//
// AT+CMEE=1 is sent once, before the first command of the session, so errors
// arrive as numbers that errorMessage() can explain.
//
// Trace entries never contain a private key, a PSK or a passphrase: the write
// command is summarised as "AT%CMNG=0,<tag>,2,<redacted N bytes>", and while
// such a command is in flight every line the modem sends that is not a result
// code or a notification is shown as "<redacted N bytes>".
class AtClient : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(Result<T>)>;
    using Lines = QList<QByteArray>;

    struct Options
    {
        std::chrono::milliseconds timeout{3000};       // one attempt of a quick command
        std::chrono::milliseconds writeTimeout{15000}; // NVM writes, CFUN changes
        int retries = 2;
        bool enableCmee = true;
    };

    explicit AtClient(Link *link, QObject *parent = nullptr);
    AtClient(Link *link, Options options, QObject *parent = nullptr);
    ~AtClient() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    Link *link() const { return m_link; }

    // Any command; never retried (its effect is unknown to the client). The
    // information lines are returned; an error result fails with its message.
    void raw(const QByteArray &command, Callback<Lines> done);
    void modemInfo(Callback<ModemInfo> done);
    void functionalMode(Callback<int> done);
    void setFunctionalMode(int mode, Callback<void> done);
    void listCredentials(std::optional<qint64> tag, std::optional<CredentialType> type,
        Callback<QList<CmngEntry>> done);
    // Writes prepared content (see prepareContent()) once, without verifying.
    void writeCredential(qint64 tag, CredentialType type, const QByteArray &content,
        const QByteArray &passphrase, Callback<void> done);
    void deleteCredential(qint64 tag, CredentialType type, Callback<void> done);

    void cancelAll();
    void failAllWith(const Error &error) { failAll(error, error); }
    bool isBusy() const { return m_current != nullptr; }

Q_SIGNALS:
    void notificationReceived(const QByteArray &line);
    void traced(const provbench::TraceEntry &entry);

private:
    struct Request;
    std::unique_ptr<Request> makeRequest(const QByteArray &command, bool repeatable);
    void enqueueStoreChange(
        const Result<QByteArray> &command, qint64 tag, CredentialType type, Callback<void> done);
    void enqueue(std::unique_ptr<Request> request);
    void startNext();
    void sendCurrent();
    void finishCurrent(Result<Lines> result);
    void retryOrFail(const Error &error);
    void handleBytes(const QByteArray &bytes);
    void handleEvent(const ResponseParser::Event &event);
    void handleFinal(const FinalResult &final);
    void handleTimeout();
    void failAll(const Error &current, const Error &queued);
    void trace(TraceEntry::Direction dir, const QString &summary, const QString &hex = {});

    QPointer<Link> m_link;
    Options m_options;
    ResponseParser m_parser;
    std::deque<std::unique_ptr<Request>> m_queue;
    std::unique_ptr<Request> m_current;
    QTimer m_timer;
    bool m_cmeeQueued = false;
};

} // namespace provbench::at
