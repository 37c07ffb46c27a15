#pragma once

#include "app/protocol/atcmd/atclient.h"

#include <QObject>
#include <QPointer>

namespace provbench::at {

// One credential to write: content already prepared (prepareContent()).
struct CredentialItem
{
    qint64 tag = 0;
    CredentialType type = CredentialType::RootCa;
    QByteArray content;
    QByteArray passphrase; // private keys only; never traced
};

// What happened to one item, and what the modem holds afterwards.
struct ItemReport
{
    enum class Outcome {
        Verified,     // written, and the listed SHA-256 equals the local one
        HashMismatch, // written (OK), but the modem lists another SHA-256
        Failed,       // not written; `holds` says what the modem has instead
        NotAttempted, // an earlier step failed (mode change, link lost)
    };
    enum class Holds {
        New,     // the content ProvBench wrote
        Old,     // what was there before the write
        Nothing, // no item under this sec_tag and type
        Other,   // an item whose hash is neither the old nor the new one
        Unknown, // could not be listed (link lost): reconnect and list
    };
    qint64 tag = 0;
    CredentialType type = CredentialType::RootCa;
    QByteArray localHash;    // SHA-256 of the content written
    QByteArray previousHash; // listed before the write; empty: none (or unknown)
    QByteArray deviceHash;   // listed after the write; empty: none (or unknown)
    Outcome outcome = Outcome::NotAttempted;
    Holds holds = Holds::Unknown;
    QString message; // what happened, and what to do when it went wrong
};

struct WriteReport
{
    QList<ItemReport> items;
    int previousMode = -1;    // CFUN mode found at the start, -1 if unread
    bool modeChanged = false; // ProvBench switched to CFUN=4
    bool restored = false;    // ... and switched back successfully
    QString restoreError;     // set when switching back failed
    bool allVerified() const;
};

QString outcomeName(ItemReport::Outcome outcome);
QString holdsName(ItemReport::Holds holds);

// The credential-write transaction on an nRF91 modem:
//   1. AT+CFUN?  — remember the functional mode;
//   2. AT+CFUN=4 — unless the mode already allows writes (0, 4, ...);
//   3. per item: AT%CMNG=1,tag,type (the old hash), AT%CMNG=0,... (never
//      retried), AT%CMNG=1,tag,type (the new hash, compared with the local
//      SHA-256; listed once more on a mismatch to rule out line noise); after
//      a failed write the listing says whether the modem holds the old item,
//      nothing, or — when only the answer was lost — the new one;
//   4. AT+CFUN=<previous> — whenever step 2 switched, also after failures.
// A lost link ends the transaction: the items not yet reached are reported as
// NotAttempted, the one in flight as Unknown.
class CredentialWriter : public QObject
{
    Q_OBJECT
public:
    explicit CredentialWriter(AtClient *client, QObject *parent = nullptr);
    ~CredentialWriter() override;

    void run(const QList<CredentialItem> &items, std::function<void(WriteReport)> done);
    bool isRunning() const { return m_run != nullptr; }

Q_SIGNALS:
    void stepStarted(const QString &description);
    void itemFinished(const provbench::at::ItemReport &report);

private:
    struct Run;
    void startItem();
    void writeItem();
    void verifyItem(bool secondLook);
    void afterFailedWrite(const Error &error);
    void finishItem();
    void abortRemaining(const QString &message);
    void restoreMode();
    void finish();

    QPointer<AtClient> m_client;
    std::unique_ptr<Run> m_run;
};

} // namespace provbench::at
