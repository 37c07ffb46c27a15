#include "app/simulator/enrollmentagent.h"

#include "app/core/logging.h"
#include "app/protocol/est/estclient.h"
#include "app/simulator/simulatedsmpstore.h"

#include <QTimer>
#include <QUrl>

namespace provbench::sim {

EnrollmentAgent::EnrollmentAgent(
    SmpSettingsStore &settings, SmpFileStore &files, LogFn log, Options options, QObject *parent)
    : QObject(parent),
      m_settings(settings),
      m_files(files),
      m_log(std::move(log)),
      m_options(options)
{
}

EnrollmentAgent::~EnrollmentAgent() = default;

QString EnrollmentAgent::stateName(State state)
{
    switch (state) {
    case State::Idle:
        return QStringLiteral("idle");
    case State::Enrolling:
        return QStringLiteral("enrolling");
    case State::Pending:
        return QStringLiteral("pending-approval");
    case State::Enrolled:
        return QStringLiteral("enrolled");
    case State::CheckedIn:
        return QStringLiteral("checked-in");
    case State::Failed:
        return QStringLiteral("failed");
    }
    return QString();
}

QString EnrollmentAgent::publicKeyFingerprint() const
{
    return m_key ? m_key->fingerprint() : QString();
}

void EnrollmentAgent::log(const char *level, const QString &text)
{
    qCInfo(lcSimulator).noquote() << "est:" << text;
    if (m_log)
        m_log(level, "est", text);
}

void EnrollmentAgent::setState(State state, const QString &reason)
{
    m_state = state;
    m_reason = reason;
    Q_EMIT stateChanged(state, reason);
}

void EnrollmentAgent::failRun(const QString &reason)
{
    log("err", QStringLiteral("enrollment failed: %1").arg(reason));
    if (m_client)
        m_client->deleteLater();
    setState(State::Failed, reason);
}

void EnrollmentAgent::settingsApplied()
{
    const auto &active = m_settings.active();
    const QByteArray url = active.value(QLatin1String(kUrlKey));
    const QByteArray id = active.value(QLatin1String(kIdKey));
    const QByteArray token = active.value(QLatin1String(kTokenKey));
    if (url.isEmpty() || id.isEmpty() || token.isEmpty())
        return; // the bootstrap is not complete yet
    if (token == m_lastToken && m_state != State::Idle)
        return; // this bootstrap was (or is being) used
    m_lastToken = token;
    m_deviceId = QString::fromUtf8(id);
    m_token = token;
    m_certificate.reset();
    m_attempts = 0;
    const quint64 run = ++m_run;
    if (m_client)
        m_client->deleteLater();
    setState(State::Enrolling);
    log("inf",
        QStringLiteral("bootstrap for %1 saved; joining the network, then enrolling at %2")
            .arg(m_deviceId, QString::fromUtf8(url)));
    QTimer::singleShot(m_options.startDelay, this, [this, run] { start(run); });
}

void EnrollmentAgent::reboot()
{
    ++m_run;
    if (m_client)
        m_client->deleteLater();
    if (m_state == State::Enrolling || m_state == State::Pending) {
        m_lastToken.clear();
        setState(State::Idle);
        settingsApplied();
    }
}

void EnrollmentAgent::start(quint64 run)
{
    if (run != m_run)
        return;
    const auto &active = m_settings.active();
    QByteArray anchor = active.value(QLatin1String(kCaKey));
    if (anchor.isEmpty())
        anchor = m_files.file(QLatin1String(kCaFile)).value_or(QByteArray());
    if (anchor.isEmpty())
        return failRun(QStringLiteral("no EST trust anchor: write the workspace CA as %1 (or the "
                                      "setting %2)")
                           .arg(QLatin1String(kCaFile), QLatin1String(kCaKey)));
    profiles::KeyAlgorithm algorithm = profiles::KeyAlgorithm::EcP256;
    if (const QByteArray name = active.value(QLatin1String(kKeyAlgorithmKey)); !name.isEmpty()) {
        auto parsed = crypto::keyAlgorithmFromText(QString::fromUtf8(name));
        if (!parsed)
            return failRun(QStringLiteral("unknown key algorithm \"%1\" in %2")
                               .arg(QString::fromUtf8(name), QLatin1String(kKeyAlgorithmKey)));
        algorithm = *parsed;
    }
    auto key = crypto::Key::generate(algorithm);
    if (!key)
        return failRun(QStringLiteral("key generation failed: %1").arg(key.error().message));
    m_key = *key;
    log("inf",
        QStringLiteral("generated a %1 key on the device (fingerprint %2)")
            .arg(m_key->description(), m_key->fingerprint().left(23)));
    auto csr = crypto::CertificateRequest::create(*m_key, QStringLiteral("CN=") + m_deviceId);
    if (!csr)
        return failRun(QStringLiteral("the CSR could not be made: %1").arg(csr.error().message));
    m_csr.emplace(std::move(*csr));

    est::EstClient::Options o;
    o.url = QUrl(QString::fromUtf8(active.value(QLatin1String(kUrlKey))));
    o.trustAnchorPem = anchor;
    o.timeout = m_options.timeout;
    auto *client = new est::EstClient(o, this);
    m_client = client;
    if (auto ok = client->validate(); !ok)
        return failRun(ok.error().message);
    enroll(run);
}

void EnrollmentAgent::enroll(quint64 run)
{
    if (run != m_run || !m_client)
        return;
    ++m_attempts;
    log("inf",
        QStringLiteral("POST %1/simpleenroll as %2 (CSR CN=%2, attempt %3)")
            .arg(m_client->estBase().path(), m_deviceId)
            .arg(m_attempts));
    m_client->simpleEnroll(
        m_deviceId, m_token, *m_csr, [this, run](Result<est::EnrollAnswer> answer) {
            if (run != m_run)
                return;
            if (!answer)
                return failRun(answer.error().message);
            if (answer->status == est::EnrollAnswer::Status::Pending) {
                const auto wait = answer->retryAfter;
                log("inf",
                    QStringLiteral("enrollment pending approval; retrying in %1 s with the "
                                   "same CSR")
                        .arg(wait.count()));
                setState(State::Pending, answer->message);
                QTimer::singleShot(wait, this, [this, run] { enroll(run); });
                return;
            }
            const auto mine = answer->certificateFor(*m_key);
            if (!mine)
                return failRun(QStringLiteral("the server's answer holds no certificate for "
                                              "this device's key"));
            auto pem = mine->toPem();
            if (!pem)
                return failRun(pem.error().message);
            const auto stored = m_files.upload(
                QLatin1String(kCertificateFile), 0, *pem, qint64(pem->size()), false);
            if (stored.error)
                return failRun(QStringLiteral("no room for %1 on the device")
                                   .arg(QLatin1String(kCertificateFile)));
            m_certificate = *mine;
            log("inf",
                QStringLiteral("certificate issued: serial %1, issuer \"%2\", valid until %3; "
                               "stored as %4")
                    .arg(mine->serialHex(), mine->issuer(), mine->notAfter().toString(Qt::ISODate),
                        QLatin1String(kCertificateFile)));
            setState(State::Enrolled);
            checkIn(run);
        });
}

void EnrollmentAgent::checkIn(quint64 run)
{
    if (run != m_run || !m_client)
        return;
    if (auto ok = m_client->setClientIdentity(*m_certificate, *m_key); !ok)
        return failRun(ok.error().message);
    log("inf", QStringLiteral("checking in with the new client certificate"));
    m_client->checkIn(m_deviceId, [this, run](Result<QJsonObject> answer) {
        if (run != m_run)
            return;
        if (!answer)
            return failRun(answer.error().message);
        const QString state = answer->value(QStringLiteral("state")).toString();
        log("inf",
            QStringLiteral("checked in; the server has %1 as \"%2\"")
                .arg(answer->value(QStringLiteral("device")).toString(m_deviceId), state));
        if (m_client)
            m_client->deleteLater();
        setState(State::CheckedIn);
    });
}

} // namespace provbench::sim
