#include "app/onboarding/bleimprovtarget.h"

namespace provbench::onboarding {

using State = ItemOutcome::State;
using Holds = ItemOutcome::DeviceHolds;

BleImprovTarget::BleImprovTarget(improv::ble::Client *client, QObject *parent)
    : CredentialTarget(parent), m_client(client)
{
}

void BleImprovTarget::write(
    const PlanItem &item, const QByteArray &value, std::function<void(ItemOutcome)> done)
{
    if (item.target != PlanItem::Target::WifiCredentials) {
        const bool name = item.target == PlanItem::Target::Hostname
            || item.target == PlanItem::Target::DeviceName;
        done(ItemOutcome{State::Unsupported, Holds::Old,
            name ? QStringLiteral("Improv over Bluetooth has no command for names; set it over "
                                  "USB serial or in the device's own settings.")
                 : QStringLiteral("Improv Wi-Fi carries Wi-Fi settings and names only."),
            false});
        return;
    }
    if (!m_client) {
        done(ItemOutcome{State::Failed, Holds::Old,
            QStringLiteral("The Bluetooth session ended before the Wi-Fi settings were sent; "
                           "nothing was written."),
            true});
        return;
    }
    const QString ssid = item.profileValue;
    m_client->writeWifi(ssid, QString::fromUtf8(value), [done, ssid](Result<QStringList> r) {
        if (r) {
            // The client verified it: the device reported Provisioned and a
            // read-back of the state agreed.
            done(ItemOutcome{
                State::Verified, Holds::New, QStringLiteral("joined \"%1\"").arg(ssid), false});
            return;
        }
        ItemOutcome o{State::Failed, Holds::Unknown, r.error().message, false};
        switch (r.error().code) {
        case Error::Code::Device:
        case Error::Code::InvalidArgument:
        case Error::Code::Unsupported:
            o.holds = Holds::Old; // refused: the device keeps what it had
            break;
        case Error::Code::Io:
            o.linkLost = true;
            break;
        default:
            break;
        }
        done(o);
    });
}

} // namespace provbench::onboarding
