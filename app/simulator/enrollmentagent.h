#pragma once

#include "app/crypto/certificate.h"
#include "app/crypto/csr.h"
#include "app/crypto/key.h"

#include <QObject>
#include <QPointer>

#include <chrono>
#include <functional>
#include <optional>

namespace provbench::est {
class EstClient;
}

// The firmware side of dynamic onboarding on a simulated Zephyr device: once
// the bench has saved (or committed) the EST bootstrap settings, the device
// "joins the network", generates its own key (it never leaves the device),
// makes a CSR with CN = its id, enrolls over HTTPS with the one-time token,
// keeps the certificate as a file the bench can read back, retries after
// "pending approval" answers, and checks in with its client certificate.
//
// Reads (settings, as the application sees them after commit/save):
//   provbench/est/url    https://host:port[/.well-known/est]
//   provbench/est/id     the device id (CSR common name, Basic user)
//   provbench/est/token  the one-time token (secret; never logged)
//   provbench/est/ca     trust anchor PEM, else the file /lfs/provbench/est-ca.crt
//   provbench/enroll/key key algorithm ("ec-p256" when absent)
// Writes the file /lfs/provbench/device.crt (PEM). Each step is a console log
// line, so the workbench's trace shows it.
namespace provbench::sim {

class SmpSettingsStore;
class SmpFileStore;

class EnrollmentAgent : public QObject
{
    Q_OBJECT
public:
    enum class State { Idle, Enrolling, Pending, Enrolled, CheckedIn, Failed };
    using LogFn = std::function<void(const char *level, const char *module, const QString &text)>;

    struct Options
    {
        std::chrono::milliseconds startDelay{200}; // "joining the network"
        std::chrono::milliseconds timeout{10000};  // per HTTPS request
    };

    EnrollmentAgent(SmpSettingsStore &settings, SmpFileStore &files, LogFn log, Options options,
        QObject *parent = nullptr);
    ~EnrollmentAgent() override;

    // The application's settings changed (commit or save): starts enrolling
    // when the bootstrap is complete and new (another token than last time).
    void settingsApplied();
    // The device rebooted: what was in flight is lost; a saved bootstrap that
    // has not led to a certificate yet is tried again.
    void reboot();

    State state() const { return m_state; }
    QString failureReason() const { return m_reason; }
    QString deviceId() const { return m_deviceId; }
    std::optional<crypto::Certificate> certificate() const { return m_certificate; }
    // The device's public key (its private half stays here).
    QString publicKeyFingerprint() const;
    int attempts() const { return m_attempts; }

    static QString stateName(State state);

    static constexpr char kUrlKey[] = "provbench/est/url";
    static constexpr char kIdKey[] = "provbench/est/id";
    static constexpr char kTokenKey[] = "provbench/est/token";
    static constexpr char kCaKey[] = "provbench/est/ca";
    static constexpr char kKeyAlgorithmKey[] = "provbench/enroll/key";
    static constexpr char kCaFile[] = "/lfs/provbench/est-ca.crt";
    static constexpr char kCertificateFile[] = "/lfs/provbench/device.crt";

Q_SIGNALS:
    void stateChanged(provbench::sim::EnrollmentAgent::State state, const QString &reason);

private:
    void start(quint64 run);
    void enroll(quint64 run);
    void checkIn(quint64 run);
    void setState(State state, const QString &reason = {});
    void failRun(const QString &reason);
    void log(const char *level, const QString &text);

    SmpSettingsStore &m_settings;
    SmpFileStore &m_files;
    LogFn m_log;
    Options m_options;
    State m_state = State::Idle;
    QString m_reason;
    quint64 m_run = 0; // callbacks of an older run are ignored
    QByteArray m_lastToken;
    QString m_deviceId;
    QByteArray m_token;
    std::optional<crypto::Key> m_key;
    std::optional<crypto::CertificateRequest> m_csr;
    std::optional<crypto::Certificate> m_certificate;
    QPointer<est::EstClient> m_client;
    int m_attempts = 0;
};

} // namespace provbench::sim
