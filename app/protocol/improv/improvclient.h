#pragma once

#include "app/core/traceentry.h"
#include "app/protocol/improv/improvcodec.h"
#include "app/transport/link.h"

#include <QDateTime>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <chrono>
#include <deque>
#include <functional>

namespace provbench {

namespace improv {

// An Improv Wi-Fi session over a Link (serial). Requests are queued and sent one
// at a time, since Improv has no request ids: a result is matched to the one
// command in flight by its command byte, and an error-state packet fails it.
//
// Every operation completes exactly once through its callback, on this object's
// thread, unless the client is destroyed first. Timeouts are per command; read
// commands and idempotent sets are retried (Options::retries) on timeout, a
// Wi-Fi write never is, because resending restarts the device's connection
// attempt: the caller verifies with requestState() instead.
class ImprovClient : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Callback = std::function<void(Result<T>)>;

    struct Options
    {
        std::chrono::milliseconds timeout{3000};      // one attempt of a quick command
        std::chrono::milliseconds wifiTimeout{30000}; // joining a network takes time
        std::chrono::milliseconds scanTimeout{15000}; // whole scan, all results
        // After a "provisioned" state answer, how long to wait for the URL result.
        std::chrono::milliseconds urlGrace{400};
        int retries = 2;
    };

    struct StateReport
    {
        State state = State::Stopped;
        QStringList urls; // set when provisioned and the device sent its URL
    };

    explicit ImprovClient(Link *link, QObject *parent = nullptr);
    ImprovClient(Link *link, Options options, QObject *parent = nullptr);
    ~ImprovClient() override;

    void setOptions(const Options &options) { m_options = options; }
    const Options &options() const { return m_options; }
    Link *link() const { return m_link; }

    void requestState(Callback<StateReport> done);
    void deviceInfo(Callback<DeviceInfo> done);
    void scanWifi(Callback<QList<WifiNetwork>> done);
    // Result: the URL(s) the device offers after joining (often empty).
    void writeWifi(const QString &ssid, const QString &password, Callback<QStringList> done);
    void hostname(Callback<QString> done);
    void setHostname(const QString &hostname, Callback<QString> done);
    void deviceName(Callback<QString> done);
    void setDeviceName(const QString &name, Callback<QString> done);
    void networkState(Callback<NetworkState> done);

    // Fails the request in flight and every queued one with Error::Code::Cancelled.
    void cancelAll();
    // Fails the request in flight and every queued one with `error`, e.g. when
    // the owner learns that the port vanished.
    void failAllWith(const Error &error) { failAll(error, error); }
    bool isBusy() const { return m_current != nullptr; }

    // Last state and error the device reported on its own or in an answer.
    std::optional<State> lastState() const { return m_lastState; }

Q_SIGNALS:
    void stateReported(provbench::improv::State state);
    void errorReported(provbench::improv::ErrorCode code);
    void traced(const provbench::TraceEntry &entry);

private:
    struct Request;
    std::unique_ptr<Request> makeRequest(
        Command command, const QList<QByteArray> &strings, QString summary);
    void requestString(
        Command command, const QString &summary, const QString &value, Callback<QString> done);
    void enqueue(std::unique_ptr<Request> request);
    void startNext();
    void sendCurrent();
    void finishCurrent(Result<Rpc> result);
    void handleBytes(const QByteArray &bytes);
    void handlePacket(const Packet &packet);
    void handleTimeout();
    void failAll(const Error &current, const Error &queued);
    void trace(TraceEntry::Direction dir, const QString &summary, const QString &hex = {});

    QPointer<Link> m_link;
    Options m_options;
    StreamParser m_parser;
    std::deque<std::unique_ptr<Request>> m_queue;
    std::unique_ptr<Request> m_current;
    QTimer m_timer;
    QTimer m_graceTimer;
    std::optional<State> m_lastState;
};

} // namespace improv
} // namespace provbench
