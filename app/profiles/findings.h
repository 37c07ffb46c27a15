#pragma once

#include "app/profiles/comparison.h"

#include <QList>
#include <QString>

// Security finding rules. Each rule is a small pure function of a profile (and,
// where the fleet size matters, the device count) that returns zero or more
// findings; securityFindings() runs them all in a fixed order. Rule ids,
// triggers, severities and references are documented in docs/profiles.md.
//
// References name ETSI EN 303 645 V2.1.1 provisions, OWASP IoT Top 10 (2018)
// items and, where neither fits, the RFC or guideline the rule rests on.
namespace provbench::profiles {

// Stable rule ids (the `rule` field of a Finding).
inline constexpr char kRuleSharedSecret[] = "shared-secret";
inline constexpr char kRuleOffDeviceKey[] = "off-device-key";
inline constexpr char kRuleNoRotation[] = "no-rotation";
inline constexpr char kRuleWeakPassword[] = "weak-password";
inline constexpr char kRulePlaintextEndpoint[] = "plaintext-endpoint";
inline constexpr char kRuleOpenWifi[] = "open-wifi";
inline constexpr char kRuleIpCollision[] = "ip-collision";
inline constexpr char kRuleIpOutOfRange[] = "ip-out-of-range";
inline constexpr char kRuleEstToken[] = "est-token-policy";
inline constexpr char kRuleReusedCredential[] = "reused-credential";

// Limits the rules apply.
inline constexpr int kMinPasswordLength = 12;
inline constexpr int kMaxCertificateDays = 825; // CA/Browser Forum BR 6.3.2 (2018)
inline constexpr int kMaxTokenTtlMinutes = 24 * 60;
inline constexpr int kMaxSimulatedDevices = 10000; // bound for the collision rules

QList<Finding> sharedSecretFindings(const Profile &profile);
QList<Finding> offDeviceKeyFindings(const Profile &profile);
QList<Finding> rotationFindings(const Profile &profile);
QList<Finding> weakPasswordFindings(const Profile &profile);
QList<Finding> plaintextEndpointFindings(const Profile &profile);
QList<Finding> openWifiFindings(const Profile &profile);
// Expands the static address template for synthetic devices with
// seq 1..min(devices, kMaxSimulatedDevices) and reports real collisions.
QList<Finding> collisionFindings(const Profile &profile, int devices);
QList<Finding> estTokenFindings(const Profile &profile);
// From the credential ledger: the same credential was handed to several
// devices provisioned with this profile.
QList<Finding> reusedCredentialFindings(const UsageFacts &usage);

// All rules, in the order above.
QList<Finding> securityFindings(const Profile &profile, int devices);

// Why a password is weak, one short reason each ("only digits", "a common
// default password", ...); empty when none applies. `ssid` is compared too.
// A template is judged by its literal text and its placeholders.
struct PasswordReasons
{
    QStringList reasons;
    Severity severity = Severity::Info;
    bool derivable = false; // made from device identity alone
    bool common = false;    // in the embedded list of default passwords
};
PasswordReasons passwordWeakness(const QString &password, const QString &ssid);

// --- shared with comparison.cpp (implemented in costmodel.cpp) ------------------

// The steps a profile needs, derived from its fields, priced with `model`
// (docs/profiles.md lists every step id and when it applies).
Effort deriveEffort(const Profile &profile, const CostModel &model);

} // namespace provbench::profiles
