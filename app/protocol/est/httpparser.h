#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <utility>

// A small, strict HTTP/1.1 request parser for the EST service. It accepts
// what RFC 7030 clients send and refuses everything else with the status code
// to answer: no chunked bodies, no obsolete line folding, no header or body
// beyond the limits, no absolute-form targets. Pure: bytes in, requests out;
// the server owns sockets and timers.
namespace provbench::est {

struct HttpLimits
{
    int maxRequestLine = 2048;
    int maxHeaderBytes = 8192; // all header lines together
    int maxHeaders = 48;
    qint64 maxBody = 64 * 1024;
};

struct HttpRequest
{
    QByteArray method; // "GET", "POST"
    QByteArray target; // origin-form: "/.well-known/est/simpleenroll"
    QByteArray path;   // target without the query
    QList<std::pair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    QByteArray body;
    bool keepAlive = true; // HTTP/1.1 default unless "Connection: close"

    // First value of a header (name lower-case), or nullopt.
    std::optional<QByteArray> header(QByteArrayView name) const;
};

// Why a request was refused: the status to answer and a short reason for the
// response body and the audit log (never echoes request bytes).
struct HttpError
{
    int status = 400;
    QString reason;
};

// Incremental parser: feed bytes as they arrive; each call returns what is now
// complete. After an error the connection must be closed (the stream position
// is unknown); further feeds return the same error.
class HttpParser
{
public:
    explicit HttpParser(HttpLimits limits = {}) : m_limits(limits) { }

    struct Result
    {
        QList<HttpRequest> requests;
        std::optional<HttpError> error;
    };
    Result feed(QByteArrayView bytes);
    // Bytes of a request still incomplete (for the read timeout: a client
    // that stops half-way is closed).
    bool inRequest() const { return !m_buffer.isEmpty() || m_state != State::Head; }
    qsizetype bufferedBytes() const { return m_buffer.size(); }
    // The head of the current request is complete and its body is arriving.
    bool inBody() const { return m_state == State::Body; }

private:
    enum class State { Head, Body, Failed };
    std::optional<HttpError> parseHead(QByteArrayView head);

    HttpLimits m_limits;
    State m_state = State::Head;
    QByteArray m_buffer;
    HttpRequest m_current;
    qint64 m_bodyLength = 0;
    HttpError m_error;
};

// A complete response with Content-Length; `extraHeaders` as "Name: value".
QByteArray httpResponse(int status, QByteArrayView contentType, QByteArrayView body,
    const QList<QByteArray> &extraHeaders = {}, bool keepAlive = true);
QByteArray reasonPhrase(int status);

} // namespace provbench::est
