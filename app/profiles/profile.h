#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <variant>

// Provisioning profiles: what a device is given at commissioning time.
//
// A *static* profile carries fixed settings and credential material prepared
// on the bench; a *dynamic* one carries only bootstrap material, and the
// device obtains its own per-device credentials when it comes online (EST,
// MQTT fleet provisioning, LwM2M bootstrap). Plain data: parsing and
// validation live in profilejson.h, template expansion in profiletemplate.h.
// JSON form and field names: docs/profiles.md.
namespace provbench::profiles {

inline constexpr char kSchemaPrefix[] = "provbench.profile/";
inline constexpr int kSchemaVersion = 1;

// A value that must never be shown, logged or exported unless the user asks.
// `masked` marks a value removed by a masked export: the profile still loads
// for editing, but validation reports that the value must be entered again.
struct Secret
{
    QString value;
    bool masked = false;

    bool isEmpty() const { return value.isEmpty() && !masked; }
    bool operator==(const Secret &) const = default;
};

enum class ProfileKind { Static, Dynamic };

enum class WifiSecurity { Open, Wpa2Psk, Wpa3Sae, Wpa2Wpa3 };

enum class KeyAlgorithm { EcP256, EcP384, Ed25519, Rsa2048, Rsa3072, Rsa4096 };

struct WifiConfig
{
    QString ssid;
    WifiSecurity security = WifiSecurity::Wpa2Psk;
    Secret passphrase;
    bool hidden = false;
    bool operator==(const WifiConfig &) const = default;
};

struct IpConfig
{
    bool dhcp = true;
    QString address; // template allowed, e.g. "192.168.10.{seq+100}"
    int prefixLength = 24;
    QString gateway;
    QStringList dns;
    bool operator==(const IpConfig &) const = default;
};

struct NetworkConfig
{
    std::optional<WifiConfig> wifi; // absent: wired or cellular
    IpConfig ip;
    bool operator==(const NetworkConfig &) const = default;
};

// Where the device talks to after commissioning; empty strings are unused.
struct Endpoints
{
    QString mqtt;  // mqtt:// or mqtts://
    QString https; // http:// or https://
    QString coap;  // coap:// or coaps://
    bool operator==(const Endpoints &) const = default;
};

struct Naming
{
    QString hostname;   // template, e.g. "sensor-{seq:03}"
    QString deviceName; // template, e.g. "Sensor {seq} ({site})"
    bool operator==(const Naming &) const = default;
};

// --- static ------------------------------------------------------------------

enum class StaticCredentialKind {
    None,
    SharedPsk,         // one PSK (hex) + identity for every device
    UsernamePassword,  // username may be a template; the password is shared unless templated
    SharedCertificate, // one certificate + private key copied to every device
    BenchCertificate,  // a key and certificate made per device on the bench, then written
};

struct StaticCredentials
{
    StaticCredentialKind kind = StaticCredentialKind::None;
    QString pskIdentity;     // SharedPsk (template allowed)
    Secret psk;              // SharedPsk: hex, 16-128 digits
    QString username;        // UsernamePassword (template allowed)
    Secret password;         // UsernamePassword (template allowed, e.g. "{random:20}")
    QString certificateFile; // SharedCertificate: PEM, relative to the workspace
    QString privateKeyFile;  // SharedCertificate: PEM, relative to the workspace
    KeyAlgorithm keyAlgorithm = KeyAlgorithm::EcP256; // BenchCertificate
    int validityDays = 365;                           // BenchCertificate
    QString subject = QStringLiteral("CN={serial}");  // BenchCertificate (template)
    bool operator==(const StaticCredentials &) const = default;
};

struct StaticSettings
{
    StaticCredentials credentials;
    bool operator==(const StaticSettings &) const = default;
};

// --- dynamic -----------------------------------------------------------------

enum class EnrollmentMethod { Est, MqttFleet, Lwm2mBootstrap };

struct EstEnrollment
{
    QString url;             // https://host[:port][/.well-known/est]
    QString trustAnchorFile; // PEM of the EST server's CA, relative to the workspace
    int tokenTtlMinutes = 60;
    bool tokenSingleUse = true;
    bool manualApproval = false;
    bool operator==(const EstEnrollment &) const = default;
};

struct MqttFleetEnrollment
{
    QString brokerUrl;            // mqtts://
    QString claimCertificateFile; // shared claim certificate (PEM), relative to the workspace
    QString claimKeyFile;
    QString templateName;
    QString requestTopic;
    QString responseTopic;
    bool operator==(const MqttFleetEnrollment &) const = default;
};

struct Lwm2mBootstrap
{
    QString serverUri;   // coaps://host:5684
    QString pskIdentity; // template allowed, e.g. "{serial}"
    Secret psk;          // hex; a template such as "{random:32}" makes it per device
    bool operator==(const Lwm2mBootstrap &) const = default;
};

struct DynamicSettings
{
    EnrollmentMethod method = EnrollmentMethod::Est;
    EstEnrollment est;
    MqttFleetEnrollment mqttFleet;
    Lwm2mBootstrap lwm2m;
    KeyAlgorithm deviceKey = KeyAlgorithm::EcP256; // generated on the device
    int certificateLifetimeDays = 365;
    int renewBeforeDays = 30; // 0: never renewed automatically
    bool operator==(const DynamicSettings &) const = default;
};

// --- the profile ---------------------------------------------------------------

struct Profile
{
    QString name;
    QString description;
    QString site; // default for {site}
    Naming naming;
    NetworkConfig network;
    Endpoints endpoints;
    QStringList ntp;
    std::variant<StaticSettings, DynamicSettings> settings;

    ProfileKind kind() const
    {
        return std::holds_alternative<StaticSettings>(settings) ? ProfileKind::Static
                                                                : ProfileKind::Dynamic;
    }
    const StaticSettings *staticSettings() const { return std::get_if<StaticSettings>(&settings); }
    const DynamicSettings *dynamicSettings() const
    {
        return std::get_if<DynamicSettings>(&settings);
    }
    StaticSettings *staticSettings() { return std::get_if<StaticSettings>(&settings); }
    DynamicSettings *dynamicSettings() { return std::get_if<DynamicSettings>(&settings); }
    bool operator==(const Profile &) const = default;
};

// Names as they appear in JSON ("wpa2-psk", "ec-p256", "shared-psk", "est", ...)
// and the reverse lookups (nullopt for an unknown name).
QString kindName(ProfileKind kind);
QString wifiSecurityName(WifiSecurity security);
QString keyAlgorithmName(KeyAlgorithm algorithm);
QString credentialKindName(StaticCredentialKind kind);
QString enrollmentMethodName(EnrollmentMethod method);
std::optional<ProfileKind> kindFromName(const QString &name);
std::optional<WifiSecurity> wifiSecurityFromName(const QString &name);
std::optional<KeyAlgorithm> keyAlgorithmFromName(const QString &name);
std::optional<StaticCredentialKind> credentialKindFromName(const QString &name);
std::optional<EnrollmentMethod> enrollmentMethodFromName(const QString &name);
// Human labels for forms and reports ("WPA2-PSK", "EC P-256", "Shared PSK", "EST").
QString wifiSecurityLabel(WifiSecurity security);
QString keyAlgorithmLabel(KeyAlgorithm algorithm);
QString credentialKindLabel(StaticCredentialKind kind);
QString enrollmentMethodLabel(EnrollmentMethod method);

// A new profile of the given kind with sensible defaults (valid once the
// user fills in the network and endpoint fields).
Profile defaultProfile(ProfileKind kind);

} // namespace provbench::profiles
