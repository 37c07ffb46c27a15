#pragma once

#include "app/simulator/simconfig.h"
#include "app/simulator/simulatedserialdevice.h"

#include <QMap>

#include <optional>

namespace provbench::sim {

// A credential in the simulated modem's store before anyone talks to it.
// `locked` marks an item the modem protects (as it does with its own keys):
// writing over it answers 519, deleting or reading it 514.
struct ModemCredential
{
    qint64 tag = 0;
    int type = 0;
    QByteArray content;
    bool locked = false;
};

struct ModemConfig
{
    QString name = QStringLiteral("sim-nrf91");
    QString model = QStringLiteral("nRF9160"); // AT+CGMM answers "nRF9160-SICA"
    QString firmware = QStringLiteral("mfw_nrf9160_1.3.6");
    QString imei = QStringLiteral("352656100367872");
    int latencyMs = 20;
    bool logNoise = true; // unsolicited +CEREG/+CSCON/%XSIM lines now and then
    quint32 seed = 1;
    SimFaults faults;
    QList<ModemCredential> credentials;

    int initialMode = 1;        // CFUN after boot: 1 = the application brought it online
    bool echo = false;          // ATE1 at boot
    int maxItems = 16;          // 515 beyond this many items ...
    qsizetype maxBytes = 16384; // ... or this much content in total

    // Modem-specific faults (SimFaults cover what the device sends):
    qint64 disconnectAtInputByte = -1; // unplug after receiving this many bytes
    int onlineAfterCommands = -1;      // after N commands "another program" sets CFUN=1
};

// A distinct, plausible modem per index: 0 an nRF9160 DK online with nRF Cloud
// credentials under sec_tag 16842753 and a protected modem-reserved item; 1 an
// nRF9161 in CFUN=0 with an empty store; others vary name, IMEI and seed.
ModemConfig demoModemConfig(int index);

// A simulated nRF91-class cellular modem behind a pty, speaking the AT
// commands ProvBench uses (nRF91 AT command reference semantics):
//   AT, ATE0/ATE1, AT+CMEE=0|1 / ?, AT+CFUN=<n> / ?, AT+CGMI, AT+CGMM, AT+CGMR,
//   AT+CGSN[=1], AT%CMNG=0|1|2|3. Anything else answers ERROR.
// - CFUN: 0 off, 1 normal (online), 4 offline and the other Nordic modes;
//   writes and deletes are refused with 518 in 1, 2 and 21.
// - CMEE: numeric "+CME ERROR: n" only when on; a plain ERROR otherwise.
// - Credentials: (sec_tag, type) -> content; listing shows the SHA-256 of the
//   content as upper-case hex (exactly the bytes between the quotes). A write
//   over an existing item replaces it (the Nordic reference: "write or
//   update"), except a locked one (519). 513 deleting or reading a missing
//   item, 514 reading a private key or touching a locked item, 515 when the
//   store is full, 527 for content that is not the type's PEM/hex.
// - A command takes effect only once its whole line (up to CR or LF outside
//   quotes) has arrived, so a cut cable never leaves a partial credential.
// - Echo is off by default. Faults: SimFaults apply per response line
//   (bad-checksum sets the top bit of one byte of the line, as a UART framing
//   error would), plus the modem-specific ones in ModemConfig.
class SimulatedModem : public SimulatedSerialDevice
{
    Q_OBJECT
public:
    struct StoredItem
    {
        QByteArray content;
        QByteArray hash;
        bool locked = false;
    };
    using Key = std::pair<qint64, int>;

    explicit SimulatedModem(ModemConfig config, QObject *parent = nullptr);
    ~SimulatedModem() override;

    const ModemConfig &config() const { return m_config; }
    int functionalMode() const { return m_mode; }
    // As another program on the modem would: no answer is sent.
    void setFunctionalMode(int mode);
    bool cmeeEnabled() const { return m_cmee; }
    bool echoEnabled() const { return m_echo; }
    const QMap<Key, StoredItem> &credentials() const { return m_store; }
    std::optional<StoredItem> credential(qint64 tag, int type) const;
    int commandsHandled() const { return m_commands; }
    qint64 bytesReceivedTotal() const { return m_inputBytes; }
    void setDisconnectAtInputByte(qint64 offset) { m_config.disconnectAtInputByte = offset; }
    void setOnlineAfterCommands(int n) { m_config.onlineAfterCommands = n; }

Q_SIGNALS:
    // A complete command line arrived; `name` is the command up to its first
    // parameter ("AT%CMNG=0", "AT+CFUN?"), never its content. Emitted before
    // faults are applied, so a test can arm a fault for exactly this command.
    void commandArrived(const QByteArray &name);
    void functionalModeChanged(int mode);
    void credentialsChanged();

protected:
    void bytesReceived(QByteArrayView bytes) override;
    void started() override;
    QByteArray noiseLine() override;
    void corruptPacket(QByteArray &packet) override;

private:
    void handleCommand(const QByteArray &line);
    void handleCmng(const QByteArray &params);
    void cmngWrite(const QList<QByteArray> &params);
    void cmngList(const QList<QByteArray> &params);
    void cmngRead(const QList<QByteArray> &params);
    void cmngDelete(const QList<QByteArray> &params);
    void reply(const QList<QByteArray> &lines);
    void ok(const QList<QByteArray> &lines = {});
    void error();
    void cmeError(int code);
    qsizetype storedBytes() const;

    ModemConfig m_config;
    QMap<Key, StoredItem> m_store;
    int m_mode = 1;
    bool m_cmee = false;
    bool m_echo = false;
    QByteArray m_input;
    bool m_inQuotes = false;
    bool m_overflow = false;
    qint64 m_inputBytes = 0;
    bool m_inputCut = false;
    int m_commands = 0;
};

} // namespace provbench::sim
