#include "app/onboarding/protocolprobe.h"

#include "app/protocol/atcmd/atclient.h"
#include "app/protocol/improv/improvclient.h"
#include "app/protocol/smp/smpclient.h"
#include "app/transport/link.h"

#include <QTimer>

namespace provbench::onboarding {

ProtocolProbe::ProtocolProbe(Link *link, QObject *parent) : QObject(parent), m_link(link) { }

void ProtocolProbe::run(std::function<void(Result<DeviceProtocol>)> done)
{
    m_done = std::move(done);
    m_step = -1;
    next();
}

void ProtocolProbe::next()
{
    ++m_step;
    // Each probe's client goes away before the next starts, so no two parsers
    // read the same bytes. Deleting it from its own callback is deferred.
    if (m_client)
        m_client.release()->deleteLater();
    auto answered = [this](DeviceProtocol protocol) {
        QTimer::singleShot(0, this, [this, protocol] {
            m_client.reset();
            m_done(protocol);
        });
    };
    auto silent = [this] { QTimer::singleShot(0, this, &ProtocolProbe::next); };
    const std::optional<DeviceProtocol> candidate
        = m_step < m_candidates.size() ? std::optional(m_candidates.at(m_step)) : std::nullopt;
    switch (candidate.value_or(DeviceProtocol(-1))) {
    case DeviceProtocol::Smp: {
        smp::SmpClient::Options o;
        o.timeout = m_timeout;
        o.retries = 0;
        auto *client = new smp::SmpClient(m_link, o);
        m_client.reset(client);
        client->echo(QStringLiteral("provbench"), [answered, silent](Result<QString> r) {
            r ? answered(DeviceProtocol::Smp) : silent();
        });
        return;
    }
    case DeviceProtocol::Nrf91At: {
        at::AtClient::Options o;
        o.timeout = m_timeout;
        o.retries = 0;
        o.enableCmee = false;
        auto *client = new at::AtClient(m_link, o);
        m_client.reset(client);
        client->modemInfo([answered, silent](Result<at::ModemInfo> r) {
            r ? answered(DeviceProtocol::Nrf91At) : silent();
        });
        return;
    }
    case DeviceProtocol::Improv: {
        improv::ImprovClient::Options o;
        o.timeout = m_timeout;
        o.retries = 0;
        auto *client = new improv::ImprovClient(m_link, o);
        m_client.reset(client);
        client->requestState([answered, silent](Result<improv::ImprovClient::StateReport> r) {
            r ? answered(DeviceProtocol::Improv) : silent();
        });
        return;
    }
    }
    m_client.reset();
    m_done(fail(Error::Code::Unsupported,
        QStringLiteral("%1 answered none of MCUmgr SMP (echo), AT (AT+CGMM) and Improv "
                       "Wi-Fi (state request). Check that the device is running and that "
                       "the port and baud rate are right, or name the protocol with "
                       "--protocol.")
            .arg(m_link->name())));
}

} // namespace provbench::onboarding
