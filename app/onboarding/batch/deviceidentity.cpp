#include "app/onboarding/batch/deviceidentity.h"

#include "app/onboarding/protocolprobe.h"
#include "app/protocol/atcmd/atclient.h"
#include "app/protocol/improv/improvclient.h"
#include "app/protocol/smp/smpclient.h"
#include "app/transport/link.h"

#include <QPointer>

namespace provbench::onboarding::batch {

void DeviceIdentity::addKey(const QString &key)
{
    const QString k = key.trimmed();
    if (k.isEmpty())
        return;
    for (const QString &have : std::as_const(keys))
        if (have.compare(k, Qt::CaseInsensitive) == 0)
            return;
    keys << k;
}

int matchExpected(const DeviceIdentity &identity, const QList<journey::ExpectedDevice> &expected)
{
    for (const QString &key : identity.keys) {
        for (qsizetype i = 0; i < expected.size(); ++i)
            if (expected[i].serialNumber.trimmed().compare(key, Qt::CaseInsensitive) == 0)
                return int(i);
    }
    return -1;
}

QList<DeviceProtocol> probeOrder(const PortInfo &port)
{
    using P = DeviceProtocol;
    const QList<P> fallback{P::Smp, P::Nrf91At, P::Improv};
    if (!port.vendorId)
        return fallback;
    switch (*port.vendorId) {
    case 0x303a: // Espressif (USB-Serial/JTAG, CDC)
    case 0x10c4: // Silicon Labs CP210x
    case 0x1a86: // WCH CH34x
        return {P::Improv, P::Smp, P::Nrf91At};
    case 0x1915:                      // Nordic
        if (port.productId == 0x910a) // Thingy:91
            return {P::Nrf91At, P::Smp, P::Improv};
        return fallback;
    default: // SEGGER J-Link (nRF DKs), FTDI, ...: either kind; SMP answers fastest
        return fallback;
    }
}

SerialIdentifier::SerialIdentifier(Link *link, PortInfo port, QObject *parent)
    : QObject(parent), m_link(link), m_port(std::move(port))
{
}

SerialIdentifier::~SerialIdentifier() = default;

void SerialIdentifier::run(std::function<void(Result<DeviceIdentity>)> done)
{
    m_done = std::move(done);
    m_identity = {};
    m_identity.transport = QStringLiteral("serial");
    m_identity.address = m_port.path;
    m_identity.addKey(m_port.serialNumber);
    if (!m_port.serialNumber.isEmpty())
        m_identity.facts.insert(QStringLiteral("usbSerial"), m_port.serialNumber);
    if (!m_port.vidPid().isEmpty())
        m_identity.facts.insert(QStringLiteral("usb"), m_port.vidPid());
    auto *probe = new ProtocolProbe(m_link);
    probe->setTimeout(m_probeTimeout);
    probe->setCandidates(probeOrder(m_port));
    m_worker.reset(probe);
    QPointer<SerialIdentifier> self(this);
    probe->run([this, self](Result<DeviceProtocol> found) {
        if (!self)
            return;
        if (!found)
            return finish(std::unexpected(found.error()));
        readIdentity(*found);
    });
}

void SerialIdentifier::readIdentity(DeviceProtocol protocol)
{
    m_identity.protocol = protocol;
    m_identity.facts.insert(QStringLiteral("protocol"), protocolName(protocol));
    // The probe is still on the stack of its own callback: let it go later.
    if (QObject *probe = m_worker.release())
        probe->deleteLater();
    QPointer<SerialIdentifier> self(this);
    switch (protocol) {
    case DeviceProtocol::Nrf91At: {
        auto *at = new at::AtClient(m_link);
        m_worker.reset(at);
        at->modemInfo([this, self](Result<at::ModemInfo> modem) {
            if (!self)
                return;
            if (!modem)
                return finish(std::unexpected(modem.error()));
            m_identity.addKey(modem->imei);
            m_identity.name
                = modem->imei.isEmpty() ? QString() : QStringLiteral("IMEI ") + modem->imei;
            m_identity.facts.insert(QStringLiteral("model"), modem->model);
            m_identity.facts.insert(QStringLiteral("firmware"), modem->revision);
            m_identity.facts.insert(QStringLiteral("imei"), modem->imei);
            finish(m_identity);
        });
        return;
    }
    case DeviceProtocol::Smp: {
        auto *smp = new smp::SmpClient(m_link);
        m_worker.reset(smp);
        smp->osInfo(QStringLiteral("n"), [this, self](Result<QString> node) {
            if (!self)
                return;
            if (node) {
                m_identity.addKey(*node);
                m_identity.name = node->trimmed();
                m_identity.facts.insert(QStringLiteral("nodeName"), m_identity.name);
            } else if (m_identity.keys.isEmpty()) {
                return finish(std::unexpected(Error::make(Error::Code::Device,
                    QStringLiteral("The MCUmgr device did not tell its name (%1) and its port has "
                                   "no USB serial number, so it cannot be matched. Build the "
                                   "firmware with CONFIG_MCUMGR_GRP_OS_INFO.")
                        .arg(node.error().message))));
            }
            finish(m_identity);
        });
        return;
    }
    case DeviceProtocol::Improv: {
        auto *improv = new improv::ImprovClient(m_link);
        m_worker.reset(improv);
        improv->deviceInfo([this, self](Result<improv::DeviceInfo> info) {
            if (!self)
                return;
            if (!info)
                return finish(std::unexpected(info.error()));
            m_identity.addKey(info->deviceName);
            m_identity.name = info->deviceName;
            m_identity.facts.insert(QStringLiteral("firmware"),
                QStringLiteral("%1 %2").arg(info->firmwareName, info->firmwareVersion).trimmed());
            m_identity.facts.insert(QStringLiteral("hardware"), info->hardware);
            finish(m_identity);
        });
        return;
    }
    }
}

void SerialIdentifier::finish(Result<DeviceIdentity> result)
{
    if (QObject *worker = m_worker.release())
        worker->deleteLater();
    if (auto done = std::exchange(m_done, nullptr))
        done(std::move(result));
}

} // namespace provbench::onboarding::batch
