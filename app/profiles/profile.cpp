#include "app/profiles/profile.h"

namespace provbench::profiles {

namespace {

// One table per enum: JSON name and human label side by side, so the two can
// never drift apart.
template<typename E> struct Named
{
    E value;
    const char *name;
    const char *label;
};

constexpr Named<ProfileKind> kKinds[] = {
    {ProfileKind::Static, "static", "Static"},
    {ProfileKind::Dynamic, "dynamic", "Dynamic"},
};
constexpr Named<WifiSecurity> kSecurities[] = {
    {WifiSecurity::Open, "open", "Open (no password)"},
    {WifiSecurity::Wpa2Psk, "wpa2-psk", "WPA2-PSK"},
    {WifiSecurity::Wpa3Sae, "wpa3-sae", "WPA3-SAE"},
    {WifiSecurity::Wpa2Wpa3, "wpa2-wpa3", "WPA2/WPA3 mixed"},
};
constexpr Named<KeyAlgorithm> kAlgorithms[] = {
    {KeyAlgorithm::EcP256, "ec-p256", "EC P-256"},
    {KeyAlgorithm::EcP384, "ec-p384", "EC P-384"},
    {KeyAlgorithm::Ed25519, "ed25519", "Ed25519"},
    {KeyAlgorithm::Rsa2048, "rsa-2048", "RSA 2048"},
    {KeyAlgorithm::Rsa3072, "rsa-3072", "RSA 3072"},
    {KeyAlgorithm::Rsa4096, "rsa-4096", "RSA 4096"},
};
constexpr Named<StaticCredentialKind> kCredentials[] = {
    {StaticCredentialKind::None, "none", "None"},
    {StaticCredentialKind::SharedPsk, "shared-psk", "Shared PSK"},
    {StaticCredentialKind::UsernamePassword, "username-password", "Username and password"},
    {StaticCredentialKind::SharedCertificate, "shared-certificate", "Shared certificate"},
    {StaticCredentialKind::BenchCertificate, "bench-certificate",
        "Per-device certificate made on the bench"},
};
constexpr Named<EnrollmentMethod> kMethods[] = {
    {EnrollmentMethod::Est, "est", "EST (RFC 7030)"},
    {EnrollmentMethod::MqttFleet, "mqtt-fleet", "MQTT fleet provisioning"},
    {EnrollmentMethod::Lwm2mBootstrap, "lwm2m-bootstrap", "LwM2M bootstrap"},
};

template<typename E, std::size_t N> QString nameOf(const Named<E> (&table)[N], E value)
{
    for (const auto &n : table) {
        if (n.value == value)
            return QLatin1String(n.name);
    }
    return QString();
}

template<typename E, std::size_t N> QString labelOf(const Named<E> (&table)[N], E value)
{
    for (const auto &n : table) {
        if (n.value == value)
            return QLatin1String(n.label);
    }
    return QString();
}

template<typename E, std::size_t N>
std::optional<E> fromName(const Named<E> (&table)[N], const QString &name)
{
    for (const auto &n : table) {
        if (name == QLatin1String(n.name))
            return n.value;
    }
    return std::nullopt;
}

} // namespace

QString kindName(ProfileKind kind)
{
    return nameOf(kKinds, kind);
}
QString wifiSecurityName(WifiSecurity security)
{
    return nameOf(kSecurities, security);
}
QString keyAlgorithmName(KeyAlgorithm algorithm)
{
    return nameOf(kAlgorithms, algorithm);
}
QString credentialKindName(StaticCredentialKind kind)
{
    return nameOf(kCredentials, kind);
}
QString enrollmentMethodName(EnrollmentMethod method)
{
    return nameOf(kMethods, method);
}
std::optional<ProfileKind> kindFromName(const QString &name)
{
    return fromName(kKinds, name);
}
std::optional<WifiSecurity> wifiSecurityFromName(const QString &name)
{
    return fromName(kSecurities, name);
}
std::optional<KeyAlgorithm> keyAlgorithmFromName(const QString &name)
{
    return fromName(kAlgorithms, name);
}
std::optional<StaticCredentialKind> credentialKindFromName(const QString &name)
{
    return fromName(kCredentials, name);
}
std::optional<EnrollmentMethod> enrollmentMethodFromName(const QString &name)
{
    return fromName(kMethods, name);
}
QString wifiSecurityLabel(WifiSecurity security)
{
    return labelOf(kSecurities, security);
}
QString keyAlgorithmLabel(KeyAlgorithm algorithm)
{
    return labelOf(kAlgorithms, algorithm);
}
QString credentialKindLabel(StaticCredentialKind kind)
{
    return labelOf(kCredentials, kind);
}
QString enrollmentMethodLabel(EnrollmentMethod method)
{
    return labelOf(kMethods, method);
}

Profile defaultProfile(ProfileKind kind)
{
    Profile p;
    p.name = kind == ProfileKind::Static ? QStringLiteral("New static profile")
                                         : QStringLiteral("New dynamic profile");
    p.naming.hostname = QStringLiteral("device-{seq:03}");
    p.naming.deviceName = QStringLiteral("Device {seq}");
    p.network.wifi = WifiConfig{};
    p.ntp = {QStringLiteral("pool.ntp.org")};
    if (kind == ProfileKind::Static) {
        p.settings = StaticSettings{};
    } else {
        DynamicSettings d;
        d.est.url = QStringLiteral("https://est.example.net/.well-known/est");
        p.settings = d;
    }
    return p;
}

} // namespace provbench::profiles
