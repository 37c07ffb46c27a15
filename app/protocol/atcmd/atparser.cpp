#include "app/protocol/atcmd/atparser.h"

namespace provbench::at {

namespace {

bool isTextByte(char c)
{
    const auto u = quint8(c);
    return (u >= 0x20 && u < 0x7F) || c == '\t';
}

bool isText(QByteArrayView line)
{
    return std::all_of(line.begin(), line.end(), isTextByte);
}

bool quotesOpen(QByteArrayView line)
{
    return std::count(line.begin(), line.end(), '"') % 2 != 0;
}

bool parseCode(QByteArrayView text, int *code)
{
    text = text.trimmed();
    if (text.isEmpty() || text.size() > 6)
        return false;
    int v = 0;
    for (char c : text) {
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *code = v;
    return true;
}

} // namespace

std::optional<FinalResult> ResponseParser::parseFinal(QByteArrayView line)
{
    line = line.trimmed();
    if (line == "OK")
        return FinalResult{FinalResult::Kind::Ok, -1};
    if (line == "ERROR")
        return FinalResult{FinalResult::Kind::Error, -1};
    int code = -1;
    if (line.startsWith("+CME ERROR:")) {
        // A textual CME error (AT+CMEE=2) carries no number we can act on.
        if (!parseCode(line.sliced(11), &code))
            code = -1;
        return FinalResult{code < 0 ? FinalResult::Kind::Error : FinalResult::Kind::CmeError, code};
    }
    if (line.startsWith("+CMS ERROR:")) {
        if (!parseCode(line.sliced(11), &code))
            code = -1;
        return FinalResult{code < 0 ? FinalResult::Kind::Error : FinalResult::Kind::CmsError, code};
    }
    return std::nullopt;
}

QByteArray ResponseParser::commandPrefix(QByteArrayView command)
{
    if (command.size() < 3 || command.first(2).toByteArray().toUpper() != "AT")
        return {};
    const char lead = command[2];
    if (lead != '+' && lead != '%' && lead != '#')
        return {};
    qsizetype end = 3;
    while (end < command.size()) {
        const char c = command[end];
        const bool name = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '_';
        if (!name)
            break;
        ++end;
    }
    return command.first(end).sliced(2).toByteArray().toUpper();
}

bool ResponseParser::isNotification(QByteArrayView line, QByteArrayView ownPrefix)
{
    if (line.isEmpty() || (line[0] != '+' && line[0] != '%' && line[0] != '#'))
        return false;
    const qsizetype colon = line.indexOf(':');
    if (colon < 2)
        return false;
    const qsizetype quote = line.indexOf('"');
    if (quote >= 0 && quote < colon)
        return false;
    const QByteArrayView prefix = line.first(colon);
    for (char c : prefix.sliced(1)) {
        const bool name = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '_';
        if (!name)
            return false;
    }
    return prefix != ownPrefix;
}

void ResponseParser::setCommand(QByteArrayView command)
{
    m_command = command.toByteArray();
    m_prefix = commandPrefix(command);
}

void ResponseParser::reset()
{
    m_command.clear();
    m_prefix.clear();
    m_line.clear();
    m_quoted.clear();
    m_discarding = false;
}

QList<ResponseParser::Event> ResponseParser::feed(QByteArrayView bytes)
{
    QList<Event> events;
    for (char c : bytes) {
        if (c == '\r' || c == '\n') {
            if (m_discarding)
                m_discarding = false;
            else
                endLine(events);
            continue;
        }
        if (m_discarding)
            continue;
        m_line.append(c);
        if (m_line.size() >= kMaxLine) {
            events.append(Event{Event::Kind::Garbled, m_line, {}});
            m_line.clear();
            m_discarding = true;
        }
    }
    return events;
}

QList<ResponseParser::Event> ResponseParser::flush()
{
    QList<Event> events;
    if (!m_line.isEmpty())
        endLine(events);
    m_discarding = false;
    if (!m_quoted.isEmpty()) {
        const QByteArray pending = std::exchange(m_quoted, {});
        emitLogical(pending, events);
    }
    return events;
}

void ResponseParser::endLine(QList<Event> &events)
{
    QByteArray line = std::exchange(m_line, {});
    // Junk before a line (a framing error, a glitch at power-up) is noise; the
    // text after it is still read, so one bad byte does not cost a response.
    qsizetype start = 0;
    while (start < line.size() && !isTextByte(line[start]))
        ++start;
    if (start > 0) {
        events.append(Event{Event::Kind::Noise, line.first(start), {}});
        line.remove(0, start);
    }
    if (line.trimmed().isEmpty())
        return;
    handleLine(std::move(line), events);
}

void ResponseParser::handleLine(QByteArray line, QList<Event> &events)
{
    const std::optional<FinalResult> final = parseFinal(line);
    if (!m_quoted.isEmpty()) {
        if (!final && isText(line)) {
            m_quoted += '\n' + line;
            if (!quotesOpen(m_quoted)) {
                emitLogical(std::exchange(m_quoted, {}), events);
            } else if (m_quoted.size() > kMaxQuoted) {
                events.append(Event{Event::Kind::Garbled, std::exchange(m_quoted, {}), {}});
            }
            return;
        }
        // A final result code or noise ends an unterminated quote: the quote was
        // lost on the line, the lines after it must not be swallowed.
        emitLogical(std::exchange(m_quoted, {}), events);
    }
    if (!isText(line)) {
        events.append(Event{Event::Kind::Garbled, line, {}});
        return;
    }
    if (final) {
        events.append(
            Event{m_command.isEmpty() ? Event::Kind::Noise : Event::Kind::Final, line, *final});
        return;
    }
    if (isNotification(line, m_prefix)) {
        events.append(Event{Event::Kind::Notification, line, {}});
        return;
    }
    if (m_command.isEmpty()) {
        events.append(Event{Event::Kind::Noise, line, {}});
        return;
    }
    if (quotesOpen(line)) {
        m_quoted = line;
        return;
    }
    emitLogical(line, events);
}

void ResponseParser::emitLogical(const QByteArray &line, QList<Event> &events)
{
    if (m_command.isEmpty())
        events.append(Event{Event::Kind::Noise, line, {}});
    else if (line == m_command)
        events.append(Event{Event::Kind::Echo, line, {}});
    else
        events.append(Event{Event::Kind::Info, line, {}});
}

} // namespace provbench::at
