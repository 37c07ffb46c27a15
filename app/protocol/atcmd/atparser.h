#pragma once

#include <QByteArray>
#include <QList>

#include <optional>

namespace provbench::at {

// How a command ended: OK, ERROR, +CME ERROR: <n> or +CMS ERROR: <n>.
struct FinalResult
{
    enum class Kind { Ok, Error, CmeError, CmsError };
    Kind kind = Kind::Ok;
    int code = -1; // the number of a CME/CMS error, -1 otherwise
    bool operator==(const FinalResult &) const = default;
};

// Splits the bytes a modem sends into lines and classifies each one relative
// to the command in flight (setCommand()):
//   Echo         the command itself, sent back when echo is on (ATE1)
//   Info         an information line of the command ("+CFUN: 4", "%CMNG: ...",
//                "nRF9160-SICA"); a quoted string that spans lines (PEM in a
//                %CMNG read) is joined into one Info line with LF separators
//   Final        OK / ERROR / +CME ERROR: n / +CMS ERROR: n
//   Notification an unsolicited result code: "+X:" or "%X:" whose prefix is not
//                the command's own ("+CEREG: 2,...", "%XSIM: 1")
//   Garbled      a line with bytes no modem sends as text (>= 0x80, control
//                characters), or one longer than kMaxLine: line noise
//   Noise        junk before a line (binary bytes, stripped so that the line
//                after it still counts), or any text while no command runs
// Lines end at CR or LF; empty lines are skipped. Feeding the same bytes in any
// split gives the same events. Memory is bounded: at most kMaxLine bytes of an
// unfinished line and kMaxQuoted of a quoted one are kept.
class ResponseParser
{
public:
    static constexpr qsizetype kMaxLine = 8192;
    static constexpr qsizetype kMaxQuoted = 16384;

    struct Event
    {
        enum class Kind { Echo, Info, Final, Notification, Garbled, Noise };
        Kind kind = Kind::Noise;
        QByteArray line;
        FinalResult final; // set for Kind::Final
    };

    // The command now in flight (without its terminator); empty: none.
    void setCommand(QByteArrayView command);
    QList<Event> feed(QByteArrayView bytes);
    // Ends a pending quoted line (at the end of input): emitted as it is.
    QList<Event> flush();
    void reset();
    qsizetype bufferedBytes() const { return m_line.size() + m_quoted.size(); }

    static std::optional<FinalResult> parseFinal(QByteArrayView line);
    // "AT+CFUN?" -> "+CFUN", "AT%CMNG=1" -> "%CMNG", "ATE0" -> "".
    static QByteArray commandPrefix(QByteArrayView command);
    static bool isNotification(QByteArrayView line, QByteArrayView ownPrefix);

private:
    void endLine(QList<Event> &events);
    void handleLine(QByteArray line, QList<Event> &events);
    void emitLogical(const QByteArray &line, QList<Event> &events);

    QByteArray m_command;
    QByteArray m_prefix;
    QByteArray m_line;
    QByteArray m_quoted; // a line with an open quote, waiting for its end
    bool m_discarding = false;
};

} // namespace provbench::at
