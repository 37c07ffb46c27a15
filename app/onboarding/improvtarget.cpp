#include "app/onboarding/improvtarget.h"

namespace provbench::onboarding {

using improv::ImprovClient;
using State = ItemOutcome::State;
using Holds = ItemOutcome::DeviceHolds;

namespace {

// What a failed Improv command leaves on the device.
ItemOutcome failure(const Error &error)
{
    ItemOutcome o{State::Failed, Holds::Unknown, error.message, false};
    switch (error.code) {
    case Error::Code::InvalidArgument:
    case Error::Code::Unsupported:
    case Error::Code::Device: // the device refused: it keeps what it had
        o.holds = Holds::Old;
        break;
    case Error::Code::Io:
        o.linkLost = true;
        break;
    default:
        break;
    }
    return o;
}

} // namespace

ImprovTarget::ImprovTarget(ImprovClient *client, QObject *parent)
    : CredentialTarget(parent), m_client(client)
{
}

void ImprovTarget::write(
    const PlanItem &item, const QByteArray &value, std::function<void(ItemOutcome)> done)
{
    switch (item.target) {
    case PlanItem::Target::WifiCredentials:
        m_client->writeWifi(
            item.profileValue, QString::fromUtf8(value), [this, done, item](Result<QStringList> r) {
                if (!r)
                    return done(failure(r.error()));
                m_client->requestState([done, item](Result<ImprovClient::StateReport> st) {
                    if (!st)
                        return done(ItemOutcome{State::Failed, Holds::Unknown,
                            QStringLiteral("written, but the state could not be read "
                                           "back: %1")
                                .arg(st.error().message),
                            st.error().code == Error::Code::Io});
                    if (st->state != improv::State::Provisioned)
                        return done(ItemOutcome{State::Mismatch, Holds::Unknown,
                            QStringLiteral("the device reports \"%1\" after joining \"%2\"")
                                .arg(improv::stateName(st->state), item.profileValue),
                            false});
                    done(ItemOutcome{State::Verified, Holds::New,
                        QStringLiteral("joined \"%1\"").arg(item.profileValue), false});
                });
            });
        return;
    case PlanItem::Target::Hostname:
    case PlanItem::Target::DeviceName: {
        const QString wanted = QString::fromUtf8(value);
        auto check = [done, wanted](Result<QString> r) {
            if (!r)
                return done(failure(r.error()));
            if (*r != wanted)
                return done(ItemOutcome{State::Mismatch, Holds::Unknown,
                    QStringLiteral("the device answered \"%1\"").arg(*r), false});
            done(ItemOutcome{
                State::Verified, Holds::New, QStringLiteral("\"%1\"").arg(wanted), false});
        };
        if (item.target == PlanItem::Target::Hostname)
            m_client->setHostname(wanted, check);
        else
            m_client->setDeviceName(wanted, check);
        return;
    }
    case PlanItem::Target::Setting:
    case PlanItem::Target::File:
    case PlanItem::Target::SecTag:
        break;
    }
    done(ItemOutcome{State::Unsupported, Holds::Old,
        QStringLiteral("Improv Wi-Fi carries Wi-Fi settings and names only."), false});
}

} // namespace provbench::onboarding
