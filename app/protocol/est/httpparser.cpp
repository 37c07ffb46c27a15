#include "app/protocol/est/httpparser.h"

namespace provbench::est {

namespace {

bool isTokenChar(char c)
{
    // RFC 9110 tchar
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    switch (c) {
    case '!':
    case '#':
    case '$':
    case '%':
    case '&':
    case '\'':
    case '*':
    case '+':
    case '-':
    case '.':
    case '^':
    case '_':
    case '`':
    case '|':
    case '~':
        return true;
    default:
        return false;
    }
}

bool isToken(QByteArrayView s)
{
    if (s.isEmpty())
        return false;
    for (char c : s) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

bool isFieldValue(QByteArrayView s)
{
    for (char c : s) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && c != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

bool isOriginForm(QByteArrayView target)
{
    if (target.isEmpty() || target.front() != '/')
        return false;
    for (char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || c == '#')
            return false;
    }
    return true;
}

HttpError error(int status, const char *reason)
{
    return HttpError{status, QString::fromLatin1(reason)};
}

} // namespace

std::optional<QByteArray> HttpRequest::header(QByteArrayView name) const
{
    for (const auto &[n, v] : headers) {
        if (n == name)
            return v;
    }
    return std::nullopt;
}

std::optional<HttpError> HttpParser::parseHead(QByteArrayView head)
{
    m_current = HttpRequest{};
    const qsizetype lineEnd = head.indexOf("\r\n");
    const QByteArrayView requestLine = lineEnd < 0 ? head : head.first(lineEnd);
    if (requestLine.size() > m_limits.maxRequestLine)
        return error(414, "request line too long");
    const QList<QByteArray> parts = requestLine.toByteArray().split(' ');
    if (parts.size() != 3)
        return error(400, "malformed request line");
    if (!isToken(parts[0]))
        return error(400, "malformed method");
    if (parts[2] != "HTTP/1.1" && parts[2] != "HTTP/1.0")
        return error(505, "only HTTP/1.1 is supported");
    if (!isOriginForm(parts[1]))
        return error(400, "the request target must be an absolute path");
    m_current.method = parts[0];
    m_current.target = parts[1];
    const qsizetype q = m_current.target.indexOf('?');
    m_current.path = q < 0 ? m_current.target : m_current.target.left(q);
    const bool http11 = parts[2] == "HTTP/1.1";
    m_current.keepAlive = http11;

    QByteArrayView rest = lineEnd < 0 ? QByteArrayView() : head.sliced(lineEnd + 2);
    // The header lines on their own, whatever the request line left over.
    if (rest.size() > m_limits.maxHeaderBytes + 2)
        return error(431, "request header fields too large");
    std::optional<qint64> contentLength;
    bool sawHost = false;
    while (!rest.isEmpty()) {
        qsizetype end = rest.indexOf("\r\n");
        const QByteArrayView line = end < 0 ? rest : rest.first(end);
        rest = end < 0 ? QByteArrayView() : rest.sliced(end + 2);
        if (line.isEmpty())
            continue;
        if (line.front() == ' ' || line.front() == '\t')
            return error(400, "obsolete header line folding");
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return error(400, "malformed header line");
        const QByteArrayView name = line.first(colon);
        if (!isToken(name))
            return error(400, "malformed header name");
        const QByteArray value = line.sliced(colon + 1).toByteArray().trimmed();
        if (!isFieldValue(value))
            return error(400, "control characters in a header value");
        if (m_current.headers.size() >= m_limits.maxHeaders)
            return error(431, "too many header fields");
        const QByteArray lower = name.toByteArray().toLower();
        if (lower == "content-length") {
            bool ok = false;
            const qint64 n = value.toLongLong(&ok);
            if (!ok || n < 0 || value.isEmpty()
                || !std::all_of(
                    value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; }))
                return error(400, "malformed Content-Length");
            if (contentLength && *contentLength != n)
                return error(400, "conflicting Content-Length headers");
            contentLength = n;
        } else if (lower == "transfer-encoding") {
            return error(501, "Transfer-Encoding is not supported; send Content-Length");
        } else if (lower == "host") {
            if (sawHost)
                return error(400, "more than one Host header");
            sawHost = true;
        } else if (lower == "connection") {
            const QByteArray v = value.toLower();
            if (v.contains("close"))
                m_current.keepAlive = false;
            else if (v.contains("keep-alive"))
                m_current.keepAlive = true;
        }
        m_current.headers.append({lower, value});
    }
    if (http11 && !sawHost)
        return error(400, "HTTP/1.1 requests need a Host header");
    const qint64 length = contentLength.value_or(0);
    if (length > m_limits.maxBody)
        return error(413, "request body too large");
    m_bodyLength = length;
    return std::nullopt;
}

HttpParser::Result HttpParser::feed(QByteArrayView bytes)
{
    Result result;
    if (m_state == State::Failed) {
        result.error = m_error;
        return result;
    }
    m_buffer.append(bytes.data(), bytes.size());
    auto failWith = [&](const HttpError &e) {
        m_state = State::Failed;
        m_error = e;
        m_buffer.clear();
        result.error = e;
    };
    for (;;) {
        if (m_state == State::Head) {
            // Tolerate empty lines between requests (RFC 9112 2.2).
            while (m_buffer.startsWith("\r\n"))
                m_buffer.remove(0, 2);
            const qsizetype end = m_buffer.indexOf("\r\n\r\n");
            const qsizetype limit = m_limits.maxRequestLine + 2 + m_limits.maxHeaderBytes + 4;
            if (end < 0) {
                const qsizetype firstLine = m_buffer.indexOf("\r\n");
                // A trailing CR may be the start of the line's CRLF: a line of
                // exactly the limit must not fail just because it arrived in
                // pieces (found by fuzz_httpparser).
                const qsizetype lineSoFar = m_buffer.size() - (m_buffer.endsWith('\r') ? 1 : 0);
                if ((firstLine < 0 && lineSoFar > m_limits.maxRequestLine)
                    || firstLine > m_limits.maxRequestLine)
                    failWith(error(414, "request line too long"));
                else if (m_buffer.size() > limit)
                    failWith(error(431, "request header fields too large"));
                return result;
            }
            // The request line first, as when the head arrives in pieces.
            if (m_buffer.indexOf("\r\n") > m_limits.maxRequestLine) {
                failWith(error(414, "request line too long"));
                return result;
            }
            if (end + 4 > limit) {
                failWith(error(431, "request header fields too large"));
                return result;
            }
            if (auto e = parseHead(QByteArrayView(m_buffer).first(end + 2))) {
                failWith(*e);
                return result;
            }
            m_buffer.remove(0, end + 4);
            m_state = State::Body;
        }
        if (m_state == State::Body) {
            if (m_buffer.size() < m_bodyLength)
                return result;
            m_current.body = m_buffer.left(m_bodyLength);
            m_buffer.remove(0, m_bodyLength);
            result.requests.append(std::move(m_current));
            m_current = HttpRequest{};
            m_state = State::Head;
            if (m_buffer.isEmpty())
                return result;
        }
    }
}

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 414:
        return "URI Too Long";
    case 415:
        return "Unsupported Media Type";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 501:
        return "Not Implemented";
    case 503:
        return "Service Unavailable";
    case 505:
        return "HTTP Version Not Supported";
    default:
        return "Status";
    }
}

QByteArray httpResponse(int status, QByteArrayView contentType, QByteArrayView body,
    const QList<QByteArray> &extraHeaders, bool keepAlive)
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reasonPhrase(status) + "\r\n";
    if (!contentType.isEmpty())
        out += "Content-Type: " + contentType.toByteArray() + "\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const QByteArray &h : extraHeaders)
        out += h + "\r\n";
    out += keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n";
    out += "\r\n";
    out.append(body.data(), body.size());
    return out;
}

} // namespace provbench::est
