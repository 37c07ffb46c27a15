#pragma once

#include "app/core/traceentry.h"
#include "app/protocol/smp/smpcodec.h"
#include "app/protocol/smp/smpmessages.h"
#include "app/transport/link.h"

#include <QCborMap>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>
#include <memory>

namespace provbench::smp {

// An MCUmgr SMP (v2) session over a serial Link. Requests are queued and sent
// one at a time; a response is matched by op, group, command id and sequence
// number (any sequence number the request used, so a late answer to an earlier
// attempt still counts). Console text between frames goes to the trace as
// device log.
//
// Every operation completes exactly once through its callback, on this
// object's thread, unless the client is destroyed first. Timeouts are per
// request; every request except reset and delete is retried on timeout
// (Options::retries), including upload chunks, which are resent at the same
// offset: the device answers with its own offset and the upload continues
// from there. Trace entries show the SMP packet (header + CBOR), not the
// base64 line; values of secret-looking settings keys and files (see
// isSecretName) appear as "<redacted N bytes>".
class SmpClient : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(Result<T>)>;

    // How packets travel: base64 console frames with CRC on a UART, or raw
    // packets on a transport that delimits them itself (BLE; see
    // PacketReassembler).
    enum class Framing { Serial, Raw };

    struct Options
    {
        Framing framing = Framing::Serial;
        std::chrono::milliseconds timeout{3000}; // one attempt of one request
        int retries = 2;
        // Largest SMP packet (header + CBOR) the device accepts; upload chunks
        // are sized to fit. Zephyr's default net_buf is 384 bytes.
        int mtu = 384;
        int maxFrame = kMaxFrame;
    };

    // Where an upload got to, for deciding what the device holds after a failure.
    struct UploadReport
    {
        qint64 acknowledged = 0;     // bytes the device confirmed
        bool firstChunkSent = false; // the device may have started a new file
        bool finalChunkSent = false; // the device may hold the complete new file
    };
    using UploadCallback = std::function<void(Result<void>, const UploadReport &)>;

    explicit SmpClient(Link *link, QObject *parent = nullptr);
    SmpClient(Link *link, Options options, QObject *parent = nullptr);
    ~SmpClient() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    Link *link() const { return m_link; }

    void echo(const QString &text, Callback<QString> done);
    // MCUmgr OS info (group 0, id 7) in uname's letters: "n" is the node
    // (host) name, which Zephyr makes unique with CONFIG_NET_HOSTNAME_UNIQUE.
    // Firmware built without CONFIG_MCUMGR_GRP_OS_INFO answers "not supported".
    void osInfo(const QString &format, Callback<QString> done);
    // The device answers, then reboots (and drops unsaved settings).
    void reset(Callback<void> done);
    void readSetting(const QString &key, Callback<QByteArray> done);
    void writeSetting(const QString &key, const QByteArray &value, Callback<void> done);
    void deleteSetting(const QString &key, Callback<void> done);
    void commitSettings(Callback<void> done);
    void saveSettings(Callback<void> done);
    void loadSettings(Callback<void> done);
    void uploadFile(const QString &path, const QByteArray &data, UploadCallback done);
    void downloadFile(const QString &path, Callback<QByteArray> done);
    // SHA-256 of a file as the device computes it (32 bytes).
    void hashFile(const QString &path, Callback<QByteArray> done);

    // Data bytes per upload chunk for `path` under Options::mtu (at least 1).
    int uploadChunkSize(const QString &path) const;

    void cancelAll();
    void failAllWith(const Error &error) { failAll(error); }
    bool isBusy() const { return m_current != nullptr; }
    // False once the link reported an error: nothing more can be sent.
    bool isLinkUsable() const { return m_link && m_link->isOpen() && !m_linkError; }

Q_SIGNALS:
    void traced(const provbench::TraceEntry &entry);
    void transferProgress(const QString &path, qint64 done, qint64 total);

private:
    struct Request;
    struct Upload;
    struct Download;

    // The low-level request: completes with the response body, or an Error
    // translated from the device's error.
    void request(Command command, const QCborMap &body, QString summary, QString subject,
        bool retry, Callback<QCborMap> done, QByteArray secret = {});
    void requestVoid(Command command, const QCborMap &body, QString summary, QString subject,
        bool retry, Callback<void> done);
    void startNext();
    void sendCurrent();
    void finishCurrent(Result<QCborMap> result);
    void handleBytes(const QByteArray &bytes);
    void handlePacket(const QByteArray &body);
    void handleTimeout();
    void failAll(const Error &error);
    void uploadStep(const std::shared_ptr<Upload> &upload);
    void downloadStep(const std::shared_ptr<Download> &download);
    void trace(TraceEntry::Direction dir, const QString &summary, const QString &hex = {});

    QPointer<Link> m_link;
    Options m_options;
    FrameDecoder m_decoder;
    PacketReassembler m_reassembler;
    std::deque<std::unique_ptr<Request>> m_queue;
    std::unique_ptr<Request> m_current;
    QTimer m_timer;
    quint8 m_nextSeq = 0;
    std::optional<Error> m_linkError; // set once the link failed; later requests fail fast
};

} // namespace provbench::smp
