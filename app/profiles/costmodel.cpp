#include "app/profiles/comparison.h"
#include "app/profiles/findings.h"

#include <cmath>

namespace provbench::profiles {

namespace {

// The documented defaults (docs/profiles.md, "Cost model"). Minutes are what a
// trained operator needs at a prepared bench; calibration replaces them with
// measured means once the audit log has job durations.
struct DefaultStep
{
    const char *id;
    const char *label;
    double operatorMinutes;
    double automatedMinutes;
};

constexpr DefaultStep kDefaults[] = {
    // once per deployment
    {"prepare-profile", "Prepare and check the profile", 15, 0},
    {"plan-ip-addresses", "Plan and reserve the static IP range", 20, 0},
    {"setup-bench-ca", "Set up the workspace CA for bench certificates", 30, 0},
    {"obtain-shared-certificate", "Obtain the shared certificate and key", 30, 0},
    {"setup-est-ca", "Set up the EST service and its CA", 120, 0},
    {"register-fleet-template", "Register the fleet template and claim certificate", 90, 0},
    {"configure-lwm2m-bootstrap", "Configure the LwM2M bootstrap server", 120, 0},
    // per device, at the bench
    {"connect-device", "Connect and identify the device", 1.0, 0},
    {"write-wifi", "Write Wi-Fi credentials", 1.5, 0},
    {"enter-static-ip", "Enter the static IP address", 2.0, 0},
    {"write-endpoints", "Write the endpoint configuration", 1.0, 0},
    {"write-shared-psk", "Write the shared PSK", 1.0, 0},
    {"write-username-password", "Write username and password", 1.0, 0},
    {"write-shared-certificate", "Write the shared certificate and key", 2.0, 0},
    {"generate-bench-key", "Generate the device key on the bench", 0.5, 0.2},
    {"issue-certificate", "Issue the device certificate", 1.0, 0},
    {"write-private-key", "Write the private key", 1.5, 0},
    {"write-certificate", "Write the certificate", 1.5, 0},
    {"verify-credentials", "Verify key and certificate on the device", 1.0, 0},
    {"verify-connection", "Verify the device connects", 1.0, 0},
    {"write-bootstrap", "Write the bootstrap configuration", 1.5, 0},
    {"issue-token", "Issue a one-time enrollment token", 0.5, 0},
    {"approve-enrolment", "Approve the enrollment request", 0.5, 0},
    {"device-self-enrolment", "Device makes its key and enrols itself", 0, 2.0},
    {"verify-check-in", "Verify the device checked in", 0.5, 0},
    {"label-device", "Print and attach the label", 0.5, 0},
};

} // namespace

CostModel::CostModel()
{
    for (const DefaultStep &d : kDefaults)
        m_entries.append({QLatin1String(d.id),
            Entry{QLatin1String(d.label), d.operatorMinutes, d.automatedMinutes, 0}});
}

const CostModel::Entry *CostModel::find(const QString &stepId) const
{
    for (const auto &[id, entry] : m_entries) {
        if (id == stepId)
            return &entry;
    }
    return nullptr;
}

double CostModel::operatorMinutes(const QString &stepId) const
{
    const Entry *e = find(stepId);
    return e ? e->operatorMinutes : 0;
}

double CostModel::automatedMinutes(const QString &stepId) const
{
    const Entry *e = find(stepId);
    return e ? e->automatedMinutes : 0;
}

void CostModel::calibrate(const QString &stepId, double measuredOperatorMinutes, int samples)
{
    // A mean over no jobs, or a nonsense duration, says nothing: keep the default.
    if (samples <= 0 || !std::isfinite(measuredOperatorMinutes) || measuredOperatorMinutes < 0)
        return;
    for (auto &[id, entry] : m_entries) {
        if (id == stepId) {
            entry.operatorMinutes = measuredOperatorMinutes;
            entry.samples = samples;
            return;
        }
    }
}

bool CostModel::isCalibrated(const QString &stepId) const
{
    const Entry *e = find(stepId);
    return e && e->samples > 0;
}

QStringList CostModel::stepIds() const
{
    QStringList ids;
    for (const auto &entry : m_entries)
        ids.append(entry.first);
    return ids;
}

QString CostModel::label(const QString &stepId) const
{
    const Entry *e = find(stepId);
    return e ? e->label : QString();
}

Effort deriveEffort(const Profile &p, const CostModel &model)
{
    Effort effort;
    auto add = [&](const char *id, bool perDevice) {
        const QString key = QLatin1String(id);
        CostStep step{key, model.label(key), model.operatorMinutes(key),
            model.automatedMinutes(key), perDevice};
        step.calibrated = model.isCalibrated(key);
        effort.steps.append(step);
    };

    // Once per deployment.
    add("prepare-profile", false);
    if (!p.network.ip.dhcp)
        add("plan-ip-addresses", false);
    const StaticSettings *s = p.staticSettings();
    const DynamicSettings *d = p.dynamicSettings();
    const StaticCredentialKind cred = s ? s->credentials.kind : StaticCredentialKind::None;
    if (cred == StaticCredentialKind::BenchCertificate)
        add("setup-bench-ca", false);
    if (cred == StaticCredentialKind::SharedCertificate)
        add("obtain-shared-certificate", false);
    if (d) {
        switch (d->method) {
        case EnrollmentMethod::Est:
            add("setup-est-ca", false);
            break;
        case EnrollmentMethod::MqttFleet:
            add("register-fleet-template", false);
            break;
        case EnrollmentMethod::Lwm2mBootstrap:
            add("configure-lwm2m-bootstrap", false);
            break;
        }
    }

    // Per device.
    add("connect-device", true);
    if (p.network.wifi)
        add("write-wifi", true);
    if (!p.network.ip.dhcp)
        add("enter-static-ip", true);
    const bool anyEndpoint = !p.endpoints.mqtt.isEmpty() || !p.endpoints.https.isEmpty()
        || !p.endpoints.coap.isEmpty() || !p.ntp.isEmpty();
    if (s) {
        // A dynamic profile carries its endpoints in the one bootstrap write.
        if (anyEndpoint)
            add("write-endpoints", true);
        switch (cred) {
        case StaticCredentialKind::None:
            break;
        case StaticCredentialKind::SharedPsk:
            add("write-shared-psk", true);
            break;
        case StaticCredentialKind::UsernamePassword:
            add("write-username-password", true);
            break;
        case StaticCredentialKind::SharedCertificate:
            add("write-shared-certificate", true);
            break;
        case StaticCredentialKind::BenchCertificate:
            add("generate-bench-key", true);
            add("issue-certificate", true);
            add("write-private-key", true);
            add("write-certificate", true);
            add("verify-credentials", true);
            break;
        }
        add("verify-connection", true);
    } else if (d) {
        add("write-bootstrap", true);
        if (d->method == EnrollmentMethod::Est) {
            add("issue-token", true);
            if (d->est.manualApproval)
                add("approve-enrolment", true);
        }
        add("device-self-enrolment", true);
        add("verify-check-in", true);
    }
    add("label-device", true);

    for (const CostStep &step : std::as_const(effort.steps)) {
        if (!step.perDevice) {
            effort.setupMinutes += step.operatorMinutes;
            continue;
        }
        effort.perDeviceMinutes += step.operatorMinutes;
        effort.automatedPerDevice += step.automatedMinutes;
        if (step.operatorMinutes > 0)
            ++effort.manualStepsPerDevice;
    }
    return effort;
}

} // namespace provbench::profiles
