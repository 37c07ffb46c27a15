#include "app/profiles/comparison.h"

#include "app/profiles/findings.h"
#include "app/profiles/profiletemplate.h"

#include <algorithm>
#include <climits>
#include <cmath>

namespace provbench::profiles {

namespace {

// A working week of operator time, and five of them: the points where a
// roll-out stops being an afternoon job and becomes a project.
constexpr double kWeekHours = 40;
constexpr double kMonthHours = 200;

// True when each device has its own secret that a person generates, reads
// or writes at the bench (and so has to keep safe).
bool benchHandlesPerDeviceSecrets(const Profile &p)
{
    if (const StaticSettings *s = p.staticSettings()) {
        const StaticCredentials &c = s->credentials;
        if (c.kind == StaticCredentialKind::BenchCertificate)
            return true;
        if (c.kind == StaticCredentialKind::UsernamePassword)
            return isPerDevice(c.password.value);
        return false;
    }
    const DynamicSettings *d = p.dynamicSettings();
    return d->method == EnrollmentMethod::Lwm2mBootstrap && isPerDevice(d->lwm2m.psk.value);
}

Scalability rateScalability(const Profile &p, const Effort &e, int devices)
{
    int rating = 5;
    const double perDevice = e.perDeviceMinutes;
    if (perDevice > 12)
        rating -= 3;
    else if (perDevice > 8)
        rating -= 2;
    else if (perDevice > 4)
        rating -= 1;
    const bool benchSecrets = benchHandlesPerDeviceSecrets(p);
    if (benchSecrets)
        rating -= 1;
    const double hours = e.totalMinutes(devices) / 60.0;
    if (hours > kMonthHours)
        rating -= 2;
    else if (hours > kWeekHours)
        rating -= 1;
    rating = std::clamp(rating, 1, 5);

    Scalability s;
    s.rating = rating;
    s.summary = QStringLiteral("%1 of operator time per device in %2 manual step(s); %3 for %4 "
                               "device(s), of which %5 is one-time setup%6.")
                    .arg(QStringLiteral("%1 min").arg(perDevice, 0, 'f', 1))
                    .arg(e.manualStepsPerDevice)
                    .arg(formatDuration(e.totalMinutes(devices)))
                    .arg(devices)
                    .arg(formatDuration(e.setupMinutes))
                    .arg(benchSecrets
                            ? QStringLiteral("; every device's own secret is handled at the bench")
                            : QString());
    return s;
}

ChangeImpact impact(const char *change, ChangeHow how, QString why)
{
    return ChangeImpact{QLatin1String(change), how, std::move(why)};
}

QList<ChangeImpact> flexibilityOf(const Profile &p)
{
    QList<ChangeImpact> out;
    const StaticSettings *s = p.staticSettings();
    const DynamicSettings *d = p.dynamicSettings();
    const bool lwm2m = d && d->method == EnrollmentMethod::Lwm2mBootstrap;
    const QString benchWritten = QStringLiteral("written at the bench and nothing in the profile "
                                                "can change it remotely");

    if (p.network.wifi) {
        if (lwm2m)
            out.append(impact("Change the Wi-Fi network or passphrase", ChangeHow::Pushed,
                QStringLiteral("the LwM2M management session can write new connectivity "
                               "settings before the old network goes away")));
        else
            out.append(impact("Change the Wi-Fi network or passphrase", ChangeHow::SiteVisit,
                QStringLiteral("SSID \"%1\" is %2").arg(p.network.wifi->ssid, benchWritten)));
    }

    if (lwm2m)
        out.append(impact("Change the server endpoint", ChangeHow::Pushed,
            QStringLiteral("the bootstrap server %1 hands out the server objects; change them "
                           "there and trigger a bootstrap")
                .arg(d->lwm2m.serverUri)));
    else
        out.append(impact("Change the server endpoint", ChangeHow::SiteVisit,
            d ? QStringLiteral("the endpoints ride in the bootstrap write; %1 only issues "
                               "certificates")
                    .arg(enrollmentMethodLabel(d->method))
              : QStringLiteral("the endpoint URLs are %1").arg(benchWritten)));

    if (s) {
        const StaticCredentials &c = s->credentials;
        const QString kind = credentialKindLabel(c.kind);
        const bool shared = c.kind == StaticCredentialKind::SharedPsk
            || c.kind == StaticCredentialKind::SharedCertificate
            || (c.kind == StaticCredentialKind::UsernamePassword && !isPerDevice(c.password.value));
        if (c.kind != StaticCredentialKind::None) {
            out.append(impact("Rotate device credentials", ChangeHow::SiteVisit,
                shared ? QStringLiteral("%1: every device holds the same value, so all of them "
                                        "must be rewritten at the bench at once")
                             .arg(kind)
                       : QStringLiteral("%1: each device's credential was %2")
                             .arg(kind, benchWritten)));
        }
        if (c.kind == StaticCredentialKind::BenchCertificate
            || c.kind == StaticCredentialKind::SharedCertificate)
            out.append(impact("Renew certificates", ChangeHow::SiteVisit,
                c.kind == StaticCredentialKind::BenchCertificate
                    ? QStringLiteral("certificates expire after %1 days with no renewal "
                                     "protocol: every device comes back to the bench")
                          .arg(c.validityDays)
                    : QStringLiteral("the shared certificate has no renewal protocol")));
        if (c.kind != StaticCredentialKind::None)
            out.append(
                impact("Revoke one device", shared ? ChangeHow::SiteVisit : ChangeHow::Pushed,
                    shared ? QStringLiteral("revoking the shared %1 locks out every device; the "
                                            "others need a new one at the bench")
                                 .arg(kind)
                           : QStringLiteral("the device has its own credential: revoke it on the "
                                            "server, the others are unaffected")));
    } else {
        const bool renews = d->renewBeforeDays > 0;
        const QString method = enrollmentMethodLabel(d->method);
        const ChangeHow manual = lwm2m ? ChangeHow::Pushed : ChangeHow::SiteVisit;
        const QString manualWhy = lwm2m
            ? QStringLiteral("renewal is off, but the bootstrap server can provision new "
                             "credentials on request")
            : QStringLiteral("renewBeforeDays is 0: the device never re-enrols on its own and "
                             "%1 gives the server no way to ask it to")
                  .arg(method);
        out.append(impact("Rotate device credentials", renews ? ChangeHow::Automatic : manual,
            renews ? QStringLiteral("the device makes a new key and re-enrols via %1 %2 days "
                                    "before its certificate expires")
                         .arg(method)
                         .arg(d->renewBeforeDays)
                   : manualWhy));
        out.append(impact("Renew certificates", renews ? ChangeHow::Automatic : manual,
            renews ? QStringLiteral("%1-day certificates renew %2 days before expiry")
                         .arg(d->certificateLifetimeDays)
                         .arg(d->renewBeforeDays)
                   : manualWhy));
        out.append(impact("Revoke one device", ChangeHow::Pushed,
            QStringLiteral("each device enrolled its own certificate: revoke that one at the CA")));
    }

    if (p.network.ip.dhcp)
        out.append(impact("Renumber IP addresses", ChangeHow::Automatic,
            QStringLiteral("addresses come from DHCP; change the scope on the server")));
    else
        out.append(impact("Renumber IP addresses", ChangeHow::SiteVisit,
            QStringLiteral("address %1 is written into each device").arg(p.network.ip.address)));
    return out;
}

std::optional<int> breakEven(const Effort &l, const Effort &r)
{
    const double slope = l.perDeviceMinutes - r.perDeviceMinutes;
    if (std::abs(slope) < 1e-9)
        return std::nullopt;
    const double n = (r.setupMinutes - l.setupMinutes) / slope;
    // Lines that cross before the first device (or absurdly far out) do not
    // cross within any fleet anyone provisions by hand.
    if (!std::isfinite(n) || n < 1 || n > INT_MAX / 2)
        return std::nullopt;
    return int(std::ceil(n - 1e-9));
}

QString quoted(const QString &name)
{
    return QStringLiteral("\"%1\"").arg(name);
}

QString recommend(const Comparison &c)
{
    const Assessment &l = c.left;
    const Assessment &r = c.right;
    const int n = c.devices;
    const double tl = l.effort.totalMinutes(n);
    const double tr = r.effort.totalMinutes(n);
    const int hl = l.count(Severity::High);
    const int hr = r.count(Severity::High);

    const Assessment *pick = nullptr;
    QString reason;
    if ((hl == 0) != (hr == 0)) {
        pick = hl == 0 ? &l : &r;
        const Assessment &other = hl == 0 ? r : l;
        reason = QStringLiteral("it has no high-severity findings while %1 has %2")
                     .arg(quoted(other.profileName))
                     .arg(std::max(hl, hr));
        const double mine = pick->effort.totalMinutes(n);
        const double theirs = other.effort.totalMinutes(n);
        if (mine > theirs)
            reason += QStringLiteral(", worth the extra %1 of operator time")
                          .arg(formatDuration(mine - theirs));
    } else {
        const bool tie = std::abs(tl - tr) < 0.5;
        if (tie) {
            const int ml = l.count(Severity::Medium);
            const int mr = r.count(Severity::Medium);
            pick = mr < ml ? &r : &l;
            reason = QStringLiteral("both take the same operator time, and it has %1 "
                                    "medium-severity finding(s) against %2")
                         .arg(std::min(ml, mr))
                         .arg(std::max(ml, mr));
        } else {
            pick = tl < tr ? &l : &r;
            reason = QStringLiteral("it takes %1 less operator time")
                         .arg(formatDuration(std::abs(tl - tr)));
        }
        if (hl > 0)
            reason += QStringLiteral(", but both carry high-severity findings: fix those first");
    }

    QString crossing;
    if (c.breakEvenDevices) {
        const bool leftCheaperSetup = l.effort.setupMinutes <= r.effort.setupMinutes;
        const Assessment &smallFleet = leftCheaperSetup ? l : r;
        const Assessment &bigFleet = leftCheaperSetup ? r : l;
        crossing = QStringLiteral("The effort lines cross at %1 devices: below that %2 costs "
                                  "less, from there on %3.")
                       .arg(*c.breakEvenDevices)
                       .arg(quoted(smallFleet.profileName), quoted(bigFleet.profileName));
    } else if (std::abs(l.effort.perDeviceMinutes - r.effort.perDeviceMinutes) < 1e-9
        && std::abs(l.effort.setupMinutes - r.effort.setupMinutes) < 1e-9) {
        crossing = QStringLiteral("Both take the same time at any fleet size.");
    } else {
        crossing = QStringLiteral("%1 costs less at every fleet size; the lines never cross.")
                       .arg(quoted(l.effort.totalMinutes(1) <= r.effort.totalMinutes(1)
                               ? l.profileName
                               : r.profileName));
    }

    return QStringLiteral("For %1 device(s), prefer %2: %3. Operator time: %4 for %5, %6 for "
                          "%7; high-severity findings: %8 and %9. %10")
        .arg(QString::number(n), quoted(pick->profileName), reason, formatDuration(tl),
            quoted(l.profileName), formatDuration(tr), quoted(r.profileName), QString::number(hl),
            QString::number(hr))
        .arg(crossing);
}

} // namespace

QString formatDuration(double minutes)
{
    const qint64 total = std::llround(std::max(0.0, minutes));
    if (total < 60)
        return QStringLiteral("%1 min").arg(total);
    return QStringLiteral("%1 h %2 min").arg(total / 60).arg(total % 60, 2, 10, QLatin1Char('0'));
}

int Assessment::siteVisitChanges() const
{
    return int(std::count_if(flexibility.cbegin(), flexibility.cend(),
        [](const ChangeImpact &c) { return c.how == ChangeHow::SiteVisit; }));
}

int Assessment::count(Severity s) const
{
    return int(std::count_if(
        findings.cbegin(), findings.cend(), [s](const Finding &f) { return f.severity == s; }));
}

Assessment assess(
    const Profile &profile, int devices, const CostModel &model, const UsageFacts &usage)
{
    const int n = std::max(devices, 1);
    Assessment a;
    a.profileName = profile.name;
    a.kind = profile.kind();
    a.effort = deriveEffort(profile, model);
    a.scalability = rateScalability(profile, a.effort, n);
    a.flexibility = flexibilityOf(profile);
    a.findings = securityFindings(profile, n) + reusedCredentialFindings(usage);
    return a;
}

Comparison compareProfiles(const Profile &left, const Profile &right, int devices,
    const CostModel &model, const UsageFacts &leftUsage, const UsageFacts &rightUsage)
{
    Comparison c;
    c.devices = std::max(devices, 1);
    c.diff = diffProfiles(left, right);
    c.left = assess(left, c.devices, model, leftUsage);
    c.right = assess(right, c.devices, model, rightUsage);
    c.breakEvenDevices = breakEven(c.left.effort, c.right.effort);
    // Comparing a profile with itself has no winner; say so instead of
    // "preferring" one of two identical sides.
    c.recommendation = left == right
        ? QStringLiteral("Both sides are the same profile: pick two different profiles to compare.")
        : recommend(c);
    return c;
}

} // namespace provbench::profiles
