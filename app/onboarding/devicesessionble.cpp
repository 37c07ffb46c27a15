// DeviceSession: the flows of BLE devices, over a BleSession. Kept apart from
// the serial flows in devicesession.cpp; both report through the same record.

#include "app/onboarding/devicesession.h"

namespace provbench {

void DeviceSession::setBleBackend(ble::Backend *backend)
{
    if (!m_record.isBle())
        return;
    m_ble = std::make_unique<BleSession>(backend, m_record.ble.advert.address);
    m_ble->setOptions(m_bleOptions);
    connect(m_ble.get(), &BleSession::traced, this, &DeviceSession::appendTrace);
    connect(m_ble.get(), &BleSession::progress, this, [this](const QString &activity, int percent) {
        if (isBusy())
            step(activity, percent);
    });
    connect(m_ble.get(), &BleSession::connectedChanged, this, [this](bool connected) {
        if (m_record.connected == connected)
            return;
        m_record.connected = connected;
        Q_EMIT recordChanged();
    });
    connect(m_ble.get(), &BleSession::authorizationRequired, this, [this] {
        m_bleAuthPending = true;
        if (isBusy())
            step(
                QStringLiteral("Authorization required \u2014 press the button on the device"), 40);
    });
    connect(m_ble.get(), &BleSession::improvStateChanged, this, &DeviceSession::onBleImprovState);
}

void DeviceSession::setBleOptions(const BleSession::Options &options)
{
    m_bleOptions = options;
    if (m_ble)
        m_ble->setOptions(options);
}

// Without a backend the session still exists and says why it cannot connect.
void DeviceSession::ensureBleSession()
{
    if (!m_ble)
        setBleBackend(nullptr);
}

bool DeviceSession::isConnected() const
{
    return m_ble && m_ble->isConnected();
}

void DeviceSession::updateBle(const ble::BleDevice &device)
{
    if (!m_record.isBle())
        return;
    const bool wasPresent = m_record.present;
    m_record.ble = device;
    m_record.present = true;
    // What the device answered over GATT beats what it advertises.
    if (!m_record.info)
        m_record.protocols = bleProtocolLabels(device);
    // While connected the client reports the state first hand.
    if (device.improv && !isConnected() && m_record.improvState != device.improv->state)
        m_record.improvState = device.improv->state;
    if (!wasPresent)
        m_record.lastChange = QDateTime::currentDateTime();
    Q_EMIT recordChanged();
}

void DeviceSession::onBleImprovState(improv::State state)
{
    m_record.improvState = state;
    if (isBusy() && m_bleAuthPending && state != improv::State::AuthorizationRequired) {
        m_bleAuthPending = false;
        step(m_record.state == OnboardingState::Provisioning
                ? QStringLiteral("Authorized: sending the Wi-Fi settings")
                : QStringLiteral("Authorized"),
            55);
        return;
    }
    if (isBusy() && m_record.state == OnboardingState::Provisioning
        && state == improv::State::Provisioning) {
        step(QStringLiteral("The device is joining the network"), 70);
        return;
    }
    Q_EMIT recordChanged();
}

void DeviceSession::identifyBle(const QString &op)
{
    ensureBleSession();
    m_ble->identify([this, op](Result<BleSession::Identity> id) {
        if (!id)
            return failOperation(op, id.error());
        improv::DeviceInfo info = id->info.value_or(improv::DeviceInfo{});
        if (info.deviceName.isEmpty())
            info.deviceName = m_record.ble.advert.name;
        if (id->kind == BleSession::Kind::Smp) {
            info.firmwareName = QStringLiteral("Zephyr / MCUmgr");
            m_record.info = info;
            m_record.protocols = {QString(kSmpBleLabel)};
            setState(OnboardingState::Identified);
            return finish(op, {});
        }
        m_record.protocols = {QString(kImprovBleLabel)};
        m_record.improvState = id->improv.state;
        if (id->info || !m_record.info)
            m_record.info = info;
        if (!id->info && id->improv.state == improv::State::AuthorizationRequired) {
            appendTrace(TraceEntry{QDateTime::currentDateTime(), TraceEntry::Direction::Note,
                QStringLiteral("The device tells its firmware only once authorized: press its "
                               "button, then identify it again."),
                {}});
        }
        const bool provisioned = id->improv.state == improv::State::Provisioned;
        setState(provisioned ? OnboardingState::Provisioned : OnboardingState::Identified);
        finish(op, {});
    });
}

void DeviceSession::scanNetworksBle(const QString &op)
{
    ensureBleSession();
    m_bleAuthPending = false;
    m_ble->scanWifi([this, op](Result<QList<improv::WifiNetwork>> nets) {
        m_bleAuthPending = false;
        if (!nets)
            return finish(op, std::unexpected(nets.error()));
        Q_EMIT scanFinished(*nets);
        finish(op, {});
    });
}

void DeviceSession::provisionWifiBle(
    const QString &op, const QString &ssid, const QString &password)
{
    ensureBleSession();
    setState(OnboardingState::Provisioning);
    m_bleAuthPending = false;
    m_ble->writeWifi(ssid, password, [this, op, ssid](Result<QStringList> urls) {
        // Cancelled while waiting for the button: nothing was sent.
        const bool nothingSent = m_bleAuthPending;
        m_bleAuthPending = false;
        if (!urls)
            return failOperation(op, urls.error(), !nothingSent);
        m_record.ssid = ssid;
        m_record.urls = *urls;
        m_record.improvState = improv::State::Provisioned;
        setState(OnboardingState::Provisioned);
        finish(op, {});
    });
}

void DeviceSession::openCredentialAccess(std::function<void(Result<BleCredentialAccess>)> done)
{
    if (!m_record.isBle()) {
        done(fail(Error::Code::InvalidArgument,
            QStringLiteral("%1 is not a Bluetooth device; open its port instead.")
                .arg(m_record.displayName())));
        return;
    }
    if (isBusy()) {
        done(fail(Error::Code::InvalidArgument,
            QStringLiteral("The device is busy with \"%1\": wait for it to finish or cancel it "
                           "first.")
                .arg(m_record.activity)));
        return;
    }
    if (!m_record.present) {
        done(fail(Error::Code::NotFound,
            QStringLiteral("%1 is not advertising any more: bring it closer or wake it up, and "
                           "wait for it to appear again.")
                .arg(m_record.displayName())));
        return;
    }
    ensureBleSession();
    m_ble->openCredentialAccess(std::move(done));
}

} // namespace provbench
