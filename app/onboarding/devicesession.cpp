#include "app/onboarding/devicesession.h"

#include "app/core/logging.h"
#include "app/onboarding/protocolprobe.h"
#include "app/protocol/atcmd/atclient.h"
#include "app/transport/seriallink.h"

namespace provbench {

namespace {

constexpr qsizetype kMaxTrace = 5000;

} // namespace

DeviceSession::DeviceSession(DeviceRecord record, LinkFactory linkFactory, QObject *parent)
    : QObject(parent), m_record(std::move(record)), m_linkFactory(std::move(linkFactory))
{
    if (!m_linkFactory) {
        m_linkFactory = [](const QString &path) -> std::unique_ptr<Link> {
            return std::make_unique<SerialLink>(path);
        };
    }
    if (!m_record.firstSeen.isValid())
        m_record.firstSeen = QDateTime::currentDateTime();
    m_record.lastChange = m_record.firstSeen;
}

DeviceSession::~DeviceSession()
{
    // The clients hold callbacks into this object: destroy them before the
    // link they listen to, and all before our members go.
    m_ble.reset();
    m_client.reset();
    m_link.reset();
}

void DeviceSession::setClientOptions(const improv::ImprovClient::Options &options)
{
    m_clientOptions = options;
    if (m_client)
        m_client->setOptions(options);
}

Result<improv::ImprovClient *> DeviceSession::ensureClient()
{
    if (m_client && m_link && m_link->isOpen())
        return m_client.get();
    dropLink();
    m_link = m_linkFactory(m_record.port.path);
    if (auto ok = m_link->open(); !ok) {
        m_link.reset();
        return std::unexpected(ok.error());
    }
    m_client = std::make_unique<improv::ImprovClient>(m_link.get(), m_clientOptions);
    connect(m_client.get(), &improv::ImprovClient::traced, this, &DeviceSession::appendTrace);
    connect(m_client.get(), &improv::ImprovClient::stateReported, this, [this](improv::State s) {
        if (m_record.improvState != s) {
            m_record.improvState = s;
            Q_EMIT recordChanged();
        }
    });
    // A lost link cannot be reused; it is dropped from the event loop because
    // we are inside its own signal here.
    connect(m_link.get(), &Link::closed, this, [this] {
        QMetaObject::invokeMethod(this, &DeviceSession::dropLink, Qt::QueuedConnection);
    });
    return m_client.get();
}

void DeviceSession::dropLink()
{
    if (m_link && m_link->isOpen())
        return; // reopened meanwhile
    m_client.reset();
    m_link.reset();
}

bool DeviceSession::begin(const QString &operation, const QString &activity, int progress)
{
    if (isBusy()) {
        Q_EMIT operationFinished(operation, false,
            QStringLiteral("The device is busy with \"%1\": wait for it to "
                           "finish or cancel it first.")
                .arg(m_record.activity));
        return false;
    }
    if (!m_record.present) {
        Q_EMIT operationFinished(operation, false,
            m_record.isBle()
                ? QStringLiteral("%1 is not advertising any more: bring it closer or wake it up, "
                                 "and wait for it to appear again.")
                      .arg(m_record.displayName())
                : QStringLiteral("%1 is not connected: plug the device in again "
                                 "and wait for it to appear.")
                      .arg(m_record.port.path));
        return false;
    }
    m_stateBefore = m_record.state;
    m_record.activity = activity;
    m_record.progress = progress;
    m_record.lastChange = QDateTime::currentDateTime();
    Q_EMIT recordChanged();
    return true;
}

void DeviceSession::step(const QString &activity, int progress)
{
    m_record.activity = activity;
    m_record.progress = progress;
    Q_EMIT recordChanged();
}

void DeviceSession::finish(const QString &operation, const Result<void> &result)
{
    m_record.activity.clear();
    m_record.progress = -1;
    m_record.lastChange = QDateTime::currentDateTime();
    const QString message = result ? QString() : result.error().message;
    appendTrace(TraceEntry{QDateTime::currentDateTime(), TraceEntry::Direction::Note,
        result ? QStringLiteral("%1: done").arg(operation)
               : QStringLiteral("%1 failed: %2").arg(operation, message),
        {}});
    Q_EMIT recordChanged();
    Q_EMIT operationFinished(operation, bool(result), message);
}

void DeviceSession::setState(OnboardingState state, const QString &reason)
{
    m_record.state = state;
    m_record.failureReason = state == OnboardingState::Failed ? reason : QString();
    m_record.lastChange = QDateTime::currentDateTime();
    qCInfo(lcOnboarding) << m_record.id << "->" << onboardingStateName(state);
    Q_EMIT recordChanged();
}

void DeviceSession::appendTrace(const TraceEntry &entry)
{
    if (m_trace.size() >= kMaxTrace)
        m_trace.removeFirst();
    m_trace.append(entry);
    Q_EMIT traceAppended(entry);
}

void DeviceSession::clearTrace()
{
    m_trace.clear();
    Q_EMIT traceCleared();
}

// A failed read leaves the device where it was (a device that did not answer
// an identify is reported Failed, since it was expected to speak Improv); a
// cancelled one too.
void DeviceSession::failOperation(const QString &operation, const Error &error, bool writeInFlight)
{
    if (error.code == Error::Code::Cancelled && !writeInFlight)
        setState(m_stateBefore);
    else
        setState(OnboardingState::Failed, error.message);
    finish(operation, std::unexpected(error));
}

void DeviceSession::identify()
{
    const QString op = QStringLiteral("Identify");
    if (!begin(op, QStringLiteral("Identifying"), 10))
        return;
    if (m_record.isBle())
        return identifyBle(op);
    auto client = ensureClient();
    if (!client)
        return failOperation(op, client.error());
    (*client)->requestState([this, op](Result<improv::ImprovClient::StateReport> st) {
        if (!st && st.error().code == Error::Code::Timeout)
            return identifyOtherProtocols(op, st.error());
        if (!st)
            return failOperation(op, st.error());
        m_record.improvState = st->state;
        if (!st->urls.isEmpty())
            m_record.urls = st->urls;
        step(QStringLiteral("Reading device info"), 50);
        m_client->deviceInfo([this, op](Result<improv::DeviceInfo> info) {
            if (!info)
                return failOperation(op, info.error());
            m_record.info = *info;
            m_record.protocols = {QStringLiteral("Improv Wi-Fi (serial)")};
            step(QStringLiteral("Reading hostname"), 80);
            m_client->hostname([this, op](Result<QString> host) {
                // Older firmware does not know the hostname command: not a failure.
                if (host)
                    m_record.hostname = *host;
                else if (host.error().code == Error::Code::Cancelled)
                    return failOperation(op, host.error());
                const bool provisioned = m_record.improvState == improv::State::Provisioned;
                setState(provisioned ? OnboardingState::Provisioned : OnboardingState::Identified);
                finish(op, {});
            });
        });
    });
}

// Improv stayed silent: the device may be a Zephyr board (MCUmgr SMP) or an
// nRF91 modem (AT). Neither is asked unless Improv failed, since Improv is
// what most devices on a bench speak.
void DeviceSession::identifyOtherProtocols(const QString &op, const Error &improvError)
{
    step(QStringLiteral("Trying MCUmgr SMP and AT"), 60);
    auto *probe = new onboarding::ProtocolProbe(m_link.get(), this);
    probe->setCandidates({onboarding::DeviceProtocol::Smp, onboarding::DeviceProtocol::Nrf91At});
    probe->run([this, op, probe, improvError](Result<onboarding::DeviceProtocol> found) {
        probe->deleteLater();
        if (!found)
            return failOperation(op,
                Error::make(Error::Code::Timeout,
                    QStringLiteral("%1 It did not answer MCUmgr SMP or AT either.")
                        .arg(improvError.message)));
        if (*found == onboarding::DeviceProtocol::Smp) {
            improv::DeviceInfo info;
            info.firmwareName = QStringLiteral("Zephyr / MCUmgr");
            m_record.info = info;
            m_record.protocols = {QStringLiteral("MCUmgr SMP (serial)")};
            setState(OnboardingState::Identified);
            return finish(op, {});
        }
        // An nRF91 modem names itself: model, firmware and IMEI.
        auto *at = new at::AtClient(m_link.get(), this);
        at->modemInfo([this, op, at](Result<at::ModemInfo> modem) {
            at->deleteLater();
            if (!modem)
                return failOperation(op, modem.error());
            improv::DeviceInfo info;
            info.firmwareName = modem->revision;
            info.hardware = modem->model;
            info.deviceName = QStringLiteral("IMEI %1").arg(modem->imei);
            m_record.info = info;
            m_record.protocols = {QStringLiteral("nRF91 AT%CMNG (serial)")};
            setState(OnboardingState::Identified);
            finish(op, {});
        });
    });
}

bool DeviceSession::speaksImprov(const QString &op)
{
    if (m_record.speaksImprov())
        return true;
    Q_EMIT operationFinished(op, false,
        QStringLiteral("This device speaks %1, not Improv Wi-Fi: use \"Write "
                       "credentials\u2026\" with a profile instead.")
            .arg(m_record.protocols.join(QStringLiteral(", "))));
    return false;
}

void DeviceSession::scanNetworks()
{
    const QString op = QStringLiteral("Scan networks");
    if (!speaksImprov(op) || !begin(op, QStringLiteral("Scanning Wi-Fi networks"), 20))
        return;
    if (m_record.isBle())
        return scanNetworksBle(op);
    auto client = ensureClient();
    if (!client) {
        finish(op, std::unexpected(client.error()));
        return;
    }
    (*client)->scanWifi([this, op](Result<QList<improv::WifiNetwork>> nets) {
        if (!nets) {
            // A failed scan changes nothing about the device's onboarding.
            finish(op, std::unexpected(nets.error()));
            return;
        }
        Q_EMIT scanFinished(*nets);
        finish(op, {});
    });
}

void DeviceSession::provisionWifi(const QString &ssid, const QString &password)
{
    const QString op = QStringLiteral("Write Wi-Fi");
    if (!speaksImprov(op) || !begin(op, QStringLiteral("Checking device state"), 5))
        return;
    if (m_record.isBle())
        return provisionWifiBle(op, ssid, password);
    auto client = ensureClient();
    if (!client)
        return failOperation(op, client.error());
    setState(OnboardingState::Provisioning);
    (*client)->requestState(
        [this, op, ssid, password](Result<improv::ImprovClient::StateReport> st) {
            if (!st)
                return failOperation(op, st.error());
            if (st->state == improv::State::Provisioning)
                return failOperation(op,
                    Error::make(Error::Code::Device,
                        QStringLiteral("The device is already busy joining a network: wait "
                                       "a few seconds, identify it, then try again.")));
            step(QStringLiteral("Joining \"%1\"").arg(ssid), 30);
            m_client->writeWifi(ssid, password, [this, op, ssid](Result<QStringList> urls) {
                if (!urls)
                    return failOperation(op, urls.error(), true);
                step(QStringLiteral("Verifying"), 85);
                m_client->requestState([this, op, ssid, urls = *urls](
                                           Result<improv::ImprovClient::StateReport> after) {
                    if (!after)
                        return failOperation(op,
                            Error::make(after.error().code,
                                QStringLiteral("The device accepted the credentials for \"%1\" "
                                               "but its state could not be read back: %2")
                                    .arg(ssid, after.error().message)),
                            true);
                    if (after->state != improv::State::Provisioned)
                        return failOperation(op,
                            Error::make(Error::Code::Device,
                                QStringLiteral("The device accepted the credentials for \"%1\" "
                                               "but now reports \"%2\" instead of provisioned: "
                                               "identify it and write the credentials again.")
                                    .arg(ssid, improv::stateName(after->state))),
                            true);
                    m_record.ssid = ssid;
                    m_record.urls = after->urls.isEmpty() ? urls : after->urls;
                    setState(OnboardingState::Provisioned);
                    finish(op, {});
                });
            });
        });
}

void DeviceSession::setStringValue(bool hostname, const QString &value)
{
    const QString op
        = hostname ? QStringLiteral("Set hostname") : QStringLiteral("Set device name");
    if (m_record.isBle()) {
        Q_EMIT operationFinished(op, false,
            QStringLiteral("Improv over Bluetooth has no command for names: set it over USB "
                           "serial or in the device's own settings."));
        return;
    }
    if (!speaksImprov(op)
        || !begin(op,
            hostname ? QStringLiteral("Setting hostname") : QStringLiteral("Setting device name"),
            50))
        return;
    auto client = ensureClient();
    if (!client) {
        finish(op, std::unexpected(client.error()));
        return;
    }
    auto done = [this, op, hostname](Result<QString> v) {
        if (!v) {
            finish(op, std::unexpected(v.error()));
            return;
        }
        if (hostname)
            m_record.hostname = *v;
        else if (m_record.info)
            m_record.info->deviceName = *v;
        finish(op, {});
    };
    if (hostname)
        (*client)->setHostname(value, done);
    else
        (*client)->setDeviceName(value, done);
}

void DeviceSession::setHostname(const QString &hostname)
{
    setStringValue(true, hostname);
}

void DeviceSession::setDeviceName(const QString &name)
{
    setStringValue(false, name);
}

void DeviceSession::cancel()
{
    if (m_ble)
        m_ble->cancel();
    if (m_client)
        m_client->cancelAll();
}

void DeviceSession::markAbsent()
{
    if (!m_record.present)
        return;
    m_record.present = false;
    m_record.lastChange = QDateTime::currentDateTime();
    if (m_record.isBle()) {
        // A running BLE operation ends on its own: the connection reports the
        // loss with what reached the device. Without one, nothing is lost.
        Q_EMIT recordChanged();
        return;
    }
    if (m_client && m_client->isBusy()) {
        const bool writing = m_record.state == OnboardingState::Provisioning;
        const QString msg = writing
            ? QStringLiteral("The device was unplugged during \"%1\": the Wi-Fi credentials may "
                             "or may not have been stored. Plug it in again and identify it to "
                             "read its state.")
                  .arg(m_record.activity)
            : QStringLiteral("The device was unplugged during \"%1\": plug it in again and retry.")
                  .arg(m_record.activity);
        const Error err = Error::make(Error::Code::Io, msg);
        m_client->failAllWith(err);
    }
    dropLinkNow();
    Q_EMIT recordChanged();
}

Result<void> DeviceSession::releasePort()
{
    if (isBusy())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("The device is busy with \"%1\": wait for it to finish or "
                           "cancel it first.")
                .arg(m_record.activity));
    dropLinkNow();
    // A BLE device allows one central connection: close ours so the next
    // user (a batch) can connect.
    if (m_ble)
        m_ble->close();
    return {};
}

void DeviceSession::dropLinkNow()
{
    m_client.reset();
    if (m_link)
        m_link->close();
    m_link.reset();
}

void DeviceSession::markPresent(const PortInfo &port)
{
    m_record.port = port;
    m_record.present = true;
    m_record.lastChange = QDateTime::currentDateTime();
    Q_EMIT recordChanged();
}

} // namespace provbench
