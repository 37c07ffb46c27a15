#include "app/onboarding/protocoltargets.h"

#include "app/onboarding/improvtarget.h"
#include "app/protocol/atcmd/atclient.h"
#include "app/protocol/atcmd/credentialwriter.h"
#include "app/protocol/improv/improvclient.h"
#include "app/protocol/smp/smpclient.h"
#include "app/protocol/smp/smpverify.h"

namespace provbench::onboarding {

using State = ItemOutcome::State;
using Holds = ItemOutcome::DeviceHolds;

// --- SMP -----------------------------------------------------------------------

namespace {

ItemOutcome fromSmp(const smp::ItemReport &r)
{
    ItemOutcome o;
    o.detail = r.message;
    switch (r.state) {
    case smp::ItemReport::DeviceState::Old:
        o.holds = Holds::Old;
        break;
    case smp::ItemReport::DeviceState::New:
        o.holds = Holds::New;
        break;
    case smp::ItemReport::DeviceState::Unknown:
        o.holds = Holds::Unknown;
        break;
    }
    switch (r.outcome) {
    case smp::ItemReport::Outcome::Verified:
        o.state = State::Verified;
        break;
    case smp::ItemReport::Outcome::Written: // acknowledged, but the read-back failed
    case smp::ItemReport::Outcome::Failed:
        o.state = State::Failed;
        break;
    }
    o.linkLost = r.error && r.error->code == Error::Code::Io;
    return o;
}

} // namespace

SmpTarget::SmpTarget(smp::SmpClient *client, QObject *parent)
    : CredentialTarget(parent), m_client(client)
{
}

void SmpTarget::write(
    const PlanItem &item, const QByteArray &value, std::function<void(ItemOutcome)> done)
{
    auto report = [done](smp::ItemReport r) { done(fromSmp(r)); };
    switch (item.target) {
    case PlanItem::Target::Setting:
        smp::writeSettingVerified(m_client, item.settingKey, value, smp::Persist::Save, report);
        return;
    case PlanItem::Target::File:
        smp::uploadFileVerified(m_client, item.remotePath, value, report);
        return;
    default:
        break;
    }
    done(ItemOutcome{State::Unsupported, Holds::Old,
        QStringLiteral("MCUmgr SMP carries settings and files; this item is neither."), false});
}

// --- nRF91 AT%CMNG -----------------------------------------------------------------

namespace {

ItemOutcome fromAt(const at::ItemReport &r)
{
    ItemOutcome o;
    o.detail = r.message;
    switch (r.holds) {
    case at::ItemReport::Holds::New:
        o.holds = Holds::New;
        break;
    case at::ItemReport::Holds::Old:
        o.holds = Holds::Old;
        break;
    case at::ItemReport::Holds::Nothing:
        o.holds = Holds::Nothing;
        break;
    case at::ItemReport::Holds::Other:
    case at::ItemReport::Holds::Unknown:
        o.holds = Holds::Unknown;
        break;
    }
    switch (r.outcome) {
    case at::ItemReport::Outcome::Verified:
        o.state = State::Verified;
        break;
    case at::ItemReport::Outcome::HashMismatch:
        o.state = State::Mismatch;
        break;
    case at::ItemReport::Outcome::Failed:
    case at::ItemReport::Outcome::NotAttempted:
        o.state = State::Failed;
        break;
    }
    // The writer lists after a failure; only a lost link leaves it unknown.
    o.linkLost = o.state == State::Failed && r.holds == at::ItemReport::Holds::Unknown;
    return o;
}

} // namespace

AtTarget::AtTarget(at::AtClient *client, QObject *parent)
    : CredentialTarget(parent), m_client(client)
{
}

void AtTarget::begin(std::function<void(Result<void>)> done)
{
    m_client->functionalMode([this, done](Result<int> mode) {
        if (!mode)
            return done(std::unexpected(mode.error()));
        if (*mode == 0 || *mode == 4)
            return done({}); // credentials may be written in these modes
        m_client->setFunctionalMode(4, [this, done, previous = *mode](Result<void> ok) {
            if (!ok)
                return done(std::unexpected(ok.error()));
            m_previousMode = previous;
            done({});
        });
    });
}

void AtTarget::write(
    const PlanItem &item, const QByteArray &value, std::function<void(ItemOutcome)> done)
{
    if (item.target != PlanItem::Target::SecTag) {
        done(ItemOutcome{State::Unsupported, Holds::Old,
            QStringLiteral("AT%CMNG stores credentials under a sec_tag only."), false});
        return;
    }
    const auto type = at::CredentialType(item.cmngType);
    auto content = at::prepareContent(type, value);
    if (!content) {
        done(ItemOutcome{State::Failed, Holds::Old, content.error().message, false});
        return;
    }
    // The writer is a transaction; one item at a time keeps per-item
    // reporting, and begin() already took the modem offline, so it does not
    // switch modes again.
    auto *writer = new at::CredentialWriter(m_client, this);
    writer->run({at::CredentialItem{item.secTag, type, *content, {}}},
        [writer, done](at::WriteReport report) {
            writer->deleteLater();
            if (report.items.isEmpty())
                return done(ItemOutcome{State::Failed, Holds::Unknown,
                    QStringLiteral("the modem transaction reported nothing"), false});
            done(fromAt(report.items.first()));
        });
}

void AtTarget::end(std::function<void(Result<void>)> done)
{
    if (m_previousMode < 0)
        return done({});
    const int previous = std::exchange(m_previousMode, -1);
    m_client->setFunctionalMode(previous, [done, previous](Result<void> ok) {
        if (!ok)
            return done(fail(ok.error().code,
                QStringLiteral("The credentials are written, but switching the modem "
                               "back to mode %1 failed: %2 Send AT+CFUN=%1 to bring it "
                               "online.")
                    .arg(previous)
                    .arg(ok.error().message)));
        done({});
    });
}

namespace {

template<typename Client, typename Target>
SerialCredentialAccess access(Link *link, const std::function<void(const TraceEntry &)> &trace)
{
    auto client = std::make_unique<Client>(link);
    if (trace)
        QObject::connect(client.get(), &Client::traced, client.get(), trace);
    auto target = std::make_unique<Target>(client.get());
    return SerialCredentialAccess{std::move(client), std::move(target)};
}

} // namespace

SerialCredentialAccess makeSerialAccess(
    DeviceProtocol protocol, Link *link, const std::function<void(const TraceEntry &)> &trace)
{
    switch (protocol) {
    case DeviceProtocol::Improv:
        return access<improv::ImprovClient, ImprovTarget>(link, trace);
    case DeviceProtocol::Smp:
        return access<smp::SmpClient, SmpTarget>(link, trace);
    case DeviceProtocol::Nrf91At:
        return access<at::AtClient, AtTarget>(link, trace);
    }
    return {};
}

} // namespace provbench::onboarding
