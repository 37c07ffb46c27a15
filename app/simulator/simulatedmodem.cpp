#include "app/simulator/simulatedmodem.h"

#include "app/core/logging.h"
#include "app/protocol/atcmd/atcodec.h"

#include <QTimer>

namespace provbench::sim {

namespace {

// Splits AT parameters at commas outside quotes; quotes stay on the values.
QList<QByteArray> splitParams(const QByteArray &text)
{
    QList<QByteArray> params{QByteArray()};
    bool inQuotes = false;
    for (char c : text) {
        if (c == '"')
            inQuotes = !inQuotes;
        if (c == ',' && !inQuotes)
            params.append(QByteArray());
        else
            params.last().append(c);
    }
    return params;
}

bool parseNumber(const QByteArray &text, qint64 max, qint64 *value)
{
    const QByteArray t = text.trimmed();
    if (t.isEmpty() || t.size() > 10)
        return false;
    bool ok = false;
    const qint64 v = t.toLongLong(&ok);
    if (!ok || v < 0 || v > max)
        return false;
    *value = v;
    return true;
}

std::optional<QByteArray> unquote(const QByteArray &text)
{
    const QByteArray t = text.trimmed();
    if (t.size() < 2 || !t.startsWith('"') || !t.endsWith('"'))
        return std::nullopt;
    return t.mid(1, t.size() - 2);
}

bool onlineMode(int mode)
{
    return !at::cfunAllowsCredentialWrites(mode);
}

} // namespace

SimulatedModem::SimulatedModem(ModemConfig config, QObject *parent)
    : SimulatedSerialDevice(
        config.name, config.faults, config.latencyMs, config.logNoise, config.seed, parent),
      m_config(std::move(config)),
      m_mode(m_config.initialMode),
      m_echo(m_config.echo)
{
    setTrailingNewline(false); // every line carries its own CRLF
    for (const ModemCredential &c : std::as_const(m_config.credentials))
        m_store.insert(
            {c.tag, c.type}, StoredItem{c.content, at::contentHash(c.content), c.locked});
}

SimulatedModem::~SimulatedModem() = default;

std::optional<SimulatedModem::StoredItem> SimulatedModem::credential(qint64 tag, int type) const
{
    const auto it = m_store.constFind({tag, type});
    if (it == m_store.constEnd())
        return std::nullopt;
    return *it;
}

void SimulatedModem::setFunctionalMode(int mode)
{
    if (m_mode == mode)
        return;
    m_mode = mode;
    Q_EMIT functionalModeChanged(mode);
}

void SimulatedModem::started()
{
    m_input.clear();
    m_inQuotes = false;
    m_overflow = false;
    m_inputCut = false;
    if (logNoise())
        writeRaw(QByteArrayLiteral("Ready\r\n"));
}

// --- input ------------------------------------------------------------------

void SimulatedModem::bytesReceived(QByteArrayView bytes)
{
    if (m_inputCut)
        return;
    qint64 &cutAt = m_config.disconnectAtInputByte;
    if (cutAt >= 0 && m_inputBytes + bytes.size() >= cutAt) {
        bytes = bytes.first(qMax<qint64>(0, cutAt - m_inputBytes));
        cutAt = -1;
        m_inputCut = true;
        qCInfo(lcSimulator).noquote()
            << "Fault: modem" << m_config.name << "loses the line after receiving"
            << m_inputBytes + bytes.size() << "bytes";
        QTimer::singleShot(0, this, [this] { unplug(); });
    }
    m_inputBytes += bytes.size();
    for (char c : bytes) {
        if (c == '"' && !m_overflow)
            m_inQuotes = !m_inQuotes;
        if ((c == '\r' || c == '\n') && (!m_inQuotes || m_overflow)) {
            const QByteArray line = std::exchange(m_input, {}).trimmed();
            const bool overflow = std::exchange(m_overflow, false);
            m_inQuotes = false;
            if (m_inputCut)
                continue; // the rest of the line never arrives
            if (overflow) {
                error();
                continue;
            }
            if (!line.isEmpty())
                handleCommand(line);
            continue;
        }
        if (m_overflow)
            continue;
        m_input.append(c);
        if (m_input.size() > at::kMaxCommandBytes + 256) {
            m_overflow = true;
            m_input.clear();
        }
    }
}

// --- commands ---------------------------------------------------------------

void SimulatedModem::handleCommand(const QByteArray &line)
{
    const qsizetype comma = line.indexOf(',');
    Q_EMIT commandArrived(
        line.left(comma < 0 ? std::min<qsizetype>(line.size(), 16) : comma).toUpper());
    if (consumeNoAnswer())
        return;
    ++m_commands;
    if (m_config.onlineAfterCommands >= 0 && m_config.onlineAfterCommands-- == 0) {
        qCInfo(lcSimulator) << "Fault: another program sets CFUN=1 on" << m_config.name;
        setFunctionalMode(1);
    }
    if (m_echo)
        sendLater(line + "\r\n");
    const QByteArray upper = line.toUpper();
    const auto eqAt = upper.indexOf('=');
    const QByteArray name = eqAt < 0 ? upper : upper.left(eqAt);
    const QByteArray params = eqAt < 0 ? QByteArray() : line.mid(eqAt + 1);
    qCDebug(lcSimulator).noquote() << m_config.name << "handles" << name;

    if (upper == "AT")
        return ok();
    if (upper == "ATE0" || upper == "ATE1") {
        m_echo = upper == "ATE1";
        return ok();
    }
    if (upper == "AT+CMEE?")
        return ok({QByteArrayLiteral("+CMEE: ") + (m_cmee ? "1" : "0")});
    if (name == "AT+CMEE" && (params == "0" || params == "1")) {
        m_cmee = params == "1";
        return ok();
    }
    if (upper == "AT+CFUN?")
        return ok({QByteArrayLiteral("+CFUN: ") + QByteArray::number(m_mode)});
    if (name == "AT+CFUN" && eqAt >= 0) {
        qint64 mode = 0;
        if (!parseNumber(params, 255, &mode) || !at::isValidCfunMode(int(mode)))
            return error();
        setFunctionalMode(int(mode));
        ok();
        if (m_mode == 1 && logNoise())
            sendLater(QByteArrayLiteral("+CEREG: 2,\"76C1\",\"0102DA04\",7\r\n"), 40);
        return;
    }
    if (upper == "AT+CGMI")
        return ok({QByteArrayLiteral("Nordic Semiconductor ASA")});
    if (upper == "AT+CGMM") {
        QString model = m_config.model;
        if (!model.contains(QLatin1Char('-')))
            model += model.contains(u"9160") ? QStringLiteral("-SICA") : QStringLiteral("-LACA");
        return ok({model.toUtf8()});
    }
    if (upper == "AT+CGMR")
        return ok({m_config.firmware.toUtf8()});
    if (upper == "AT+CGSN")
        return ok({m_config.imei.toUtf8()});
    if (upper == "AT+CGSN=1")
        return ok({"+CGSN: \"" + m_config.imei.toUtf8() + '"'});
    if (name == "AT%CMNG" && eqAt >= 0)
        return handleCmng(params);
    error();
}

void SimulatedModem::handleCmng(const QByteArray &text)
{
    const QList<QByteArray> params = splitParams(text);
    qint64 op = 0;
    if (!parseNumber(params[0], 3, &op))
        return error();
    switch (op) {
    case 0:
        return cmngWrite(params);
    case 1:
        return cmngList(params);
    case 2:
        return cmngRead(params);
    default:
        return cmngDelete(params);
    }
}

void SimulatedModem::cmngWrite(const QList<QByteArray> &params)
{
    qint64 tag = 0;
    qint64 type = 0;
    if (params.size() < 4 || params.size() > 5 || !parseNumber(params[1], at::kMaxSecTag, &tag)
        || !parseNumber(params[2], 5, &type))
        return error();
    const std::optional<QByteArray> content = unquote(params[3]);
    const std::optional<QByteArray> passphrase
        = params.size() == 5 ? unquote(params[4]) : std::optional<QByteArray>(QByteArray());
    if (!content || !passphrase)
        return error();
    if (onlineMode(m_mode))
        return cmeError(518);
    const Key key{tag, int(type)};
    const auto existing = m_store.constFind(key);
    if (existing != m_store.constEnd() && existing->locked)
        return cmeError(519);
    const auto ctype = at::CredentialType(type);
    if (!at::validateContent(ctype, *content) || !at::validatePassphrase(ctype, *passphrase))
        return cmeError(527);
    const qsizetype replaced = existing != m_store.constEnd() ? existing->content.size() : 0;
    const qsizetype items = m_store.size() + (existing != m_store.constEnd() ? 0 : 1);
    if (items > m_config.maxItems || storedBytes() - replaced + content->size() > m_config.maxBytes)
        return cmeError(515);
    m_store.insert(key, StoredItem{*content, at::contentHash(*content), false});
    Q_EMIT credentialsChanged();
    ok();
}

void SimulatedModem::cmngList(const QList<QByteArray> &params)
{
    qint64 tag = -1;
    qint64 type = -1;
    if (params.size() > 3 || (params.size() >= 2 && !parseNumber(params[1], at::kMaxSecTag, &tag))
        || (params.size() == 3 && !parseNumber(params[2], 5, &type)))
        return error();
    QList<QByteArray> lines;
    for (auto it = m_store.constBegin(); it != m_store.constEnd(); ++it) {
        if ((tag >= 0 && it.key().first != tag) || (type >= 0 && it.key().second != type))
            continue;
        lines.append("%CMNG: " + QByteArray::number(it.key().first) + ','
            + QByteArray::number(it.key().second) + ",\"" + it->hash + '"');
    }
    ok(lines);
}

void SimulatedModem::cmngRead(const QList<QByteArray> &params)
{
    qint64 tag = 0;
    qint64 type = 0;
    if (params.size() != 3 || !parseNumber(params[1], at::kMaxSecTag, &tag)
        || !parseNumber(params[2], 5, &type))
        return error();
    const auto it = m_store.constFind({tag, int(type)});
    if (it == m_store.constEnd())
        return cmeError(513);
    // The modem never hands out private keys.
    if (type == int(at::CredentialType::PrivateKey) || it->locked)
        return cmeError(514);
    ok({"%CMNG: " + QByteArray::number(tag) + ',' + QByteArray::number(type) + ",\"" + it->hash
        + "\",\"" + it->content + '"'});
}

void SimulatedModem::cmngDelete(const QList<QByteArray> &params)
{
    qint64 tag = 0;
    qint64 type = 0;
    if (params.size() != 3 || !parseNumber(params[1], at::kMaxSecTag, &tag)
        || !parseNumber(params[2], 5, &type))
        return error();
    if (onlineMode(m_mode))
        return cmeError(518);
    const auto it = m_store.find({tag, int(type)});
    if (it == m_store.end())
        return cmeError(513);
    if (it->locked)
        return cmeError(514);
    m_store.erase(it);
    Q_EMIT credentialsChanged();
    ok();
}

qsizetype SimulatedModem::storedBytes() const
{
    qsizetype total = 0;
    for (const StoredItem &item : m_store)
        total += item.content.size();
    return total;
}

// --- output ---------------------------------------------------------------

void SimulatedModem::reply(const QList<QByteArray> &lines)
{
    for (const QByteArray &line : lines)
        sendLater(line + "\r\n");
}

void SimulatedModem::ok(const QList<QByteArray> &lines)
{
    reply(lines + QList<QByteArray>{QByteArrayLiteral("OK")});
}

void SimulatedModem::error()
{
    reply({QByteArrayLiteral("ERROR")});
}

void SimulatedModem::cmeError(int code)
{
    if (m_cmee)
        reply({QByteArrayLiteral("+CME ERROR: ") + QByteArray::number(code)});
    else
        error();
}

void SimulatedModem::corruptPacket(QByteArray &packet)
{
    // One byte of the text (never the line ending) arrives with its top bit
    // set, as after a UART framing error.
    const qsizetype text = packet.endsWith("\r\n") ? packet.size() - 2 : packet.size();
    if (text <= 0)
        return;
    const qsizetype at = text > 1 ? 1 + (text - 1) / 2 : 0;
    packet[at] = char(quint8(packet[at]) | 0x80);
}

QByteArray SimulatedModem::noiseLine()
{
    if (onlineMode(m_mode)) {
        switch (rng().bounded(4)) {
        case 0:
            return QByteArrayLiteral("+CEREG: 5,\"76C1\",\"0102DA04\",7\r\n");
        case 1:
            return QByteArrayLiteral("+CSCON: 1\r\n");
        case 2:
            return QByteArrayLiteral("+CSCON: 0\r\n");
        default:
            return QByteArrayLiteral("%XTIME: \"80\",\"42201251228580\",\"01\"\r\n");
        }
    }
    return rng().bounded(2) == 0 ? QByteArrayLiteral("%XSIM: 1\r\n")
                                 : QByteArrayLiteral("+CEREG: 0\r\n");
}

} // namespace provbench::sim
