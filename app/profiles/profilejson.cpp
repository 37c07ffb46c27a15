#include "app/profiles/profilejson.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace provbench::profiles {

namespace {

constexpr qsizetype kMaxProfileBytes = 1 << 20;

QString join(const QString &path, const QString &key)
{
    return path.isEmpty() ? key : path + QLatin1Char('.') + key;
}

QString typeName(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Null:
        return QStringLiteral("null");
    case QJsonValue::Bool:
        return QStringLiteral("a boolean");
    case QJsonValue::Double:
        return QStringLiteral("a number");
    case QJsonValue::String:
        return QStringLiteral("a string");
    case QJsonValue::Array:
        return QStringLiteral("a list");
    case QJsonValue::Object:
        return QStringLiteral("an object");
    case QJsonValue::Undefined:
        break;
    }
    return QStringLiteral("nothing");
}

// Reads typed fields out of JSON objects and collects one Issue per problem,
// so a user sees every mistake in a file at once rather than one per attempt.
class Reader
{
public:
    Issues issues;

    void add(const QString &path, const QString &message) { issues.append(Issue{path, message}); }

    void allowOnly(const QJsonObject &o, const QString &path, const QStringList &allowed)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!allowed.contains(it.key()))
                add(join(path, it.key()),
                    QStringLiteral("unknown field; allowed here: %1")
                        .arg(allowed.join(QStringLiteral(", "))));
        }
    }

    QJsonObject object(const QJsonObject &o, const QString &path, const QString &key, bool required)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) {
            if (required)
                add(join(path, key), QStringLiteral("missing; an object is required here"));
            return {};
        }
        if (!v.isObject()) {
            add(join(path, key), QStringLiteral("must be an object, not %1").arg(typeName(v)));
            return {};
        }
        return v.toObject();
    }

    QString string(
        const QJsonObject &o, const QString &path, const QString &key, bool required = false)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) {
            if (required)
                add(join(path, key), QStringLiteral("missing; a text value is required"));
            return {};
        }
        if (!v.isString()) {
            add(join(path, key), QStringLiteral("must be text, not %1").arg(typeName(v)));
            return {};
        }
        return v.toString();
    }

    Secret secret(const QJsonObject &o, const QString &path, const QString &key)
    {
        const QString s = string(o, path, key);
        if (s == QLatin1String(kMaskedSecret))
            return Secret{QString(), true};
        return Secret{s, false};
    }

    int integer(const QJsonObject &o, const QString &path, const QString &key, int fallback)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return fallback;
        const double d = v.toDouble();
        // Range first: converting an out-of-range double to an integer is
        // undefined behaviour, and JSON numbers can be anything.
        if (!v.isDouble() || !std::isfinite(d) || d < -2147483648.0 || d > 2147483647.0
            || d != std::floor(d)) {
            add(join(path, key), QStringLiteral("must be a whole number, not %1").arg(typeName(v)));
            return fallback;
        }
        return int(d);
    }

    bool boolean(const QJsonObject &o, const QString &path, const QString &key, bool fallback)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return fallback;
        if (!v.isBool()) {
            add(join(path, key), QStringLiteral("must be true or false, not %1").arg(typeName(v)));
            return fallback;
        }
        return v.toBool();
    }

    QStringList stringList(const QJsonObject &o, const QString &path, const QString &key)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return {};
        if (!v.isArray()) {
            add(join(path, key),
                QStringLiteral("must be a list of text values, not %1").arg(typeName(v)));
            return {};
        }
        QStringList out;
        const QJsonArray arr = v.toArray();
        for (qsizetype i = 0; i < arr.size(); ++i) {
            if (!arr[i].isString())
                add(QStringLiteral("%1[%2]").arg(join(path, key)).arg(i),
                    QStringLiteral("must be text, not %1").arg(typeName(arr[i])));
            else
                out.append(arr[i].toString());
        }
        return out;
    }

    template<typename E>
    E enumeration(const QJsonObject &o, const QString &path, const QString &key, E fallback,
        std::optional<E> (*fromName)(const QString &), const QStringList &names,
        bool required = false)
    {
        const QString s = string(o, path, key, required);
        if (s.isEmpty())
            return fallback;
        if (auto e = fromName(s))
            return *e;
        add(join(path, key),
            QStringLiteral("\"%1\" is not allowed; use one of %2")
                .arg(s, names.join(QStringLiteral(", "))));
        return fallback;
    }
};

const QStringList kSecurityNames = {QStringLiteral("open"), QStringLiteral("wpa2-psk"),
    QStringLiteral("wpa3-sae"), QStringLiteral("wpa2-wpa3")};
const QStringList kAlgorithmNames
    = {QStringLiteral("ec-p256"), QStringLiteral("ec-p384"), QStringLiteral("ed25519"),
        QStringLiteral("rsa-2048"), QStringLiteral("rsa-3072"), QStringLiteral("rsa-4096")};
const QStringList kCredentialNames
    = {QStringLiteral("none"), QStringLiteral("shared-psk"), QStringLiteral("username-password"),
        QStringLiteral("shared-certificate"), QStringLiteral("bench-certificate")};
const QStringList kMethodNames
    = {QStringLiteral("est"), QStringLiteral("mqtt-fleet"), QStringLiteral("lwm2m-bootstrap")};

void readNetwork(Reader &r, const QJsonObject &root, Profile &p)
{
    const QJsonObject net = r.object(root, {}, QStringLiteral("network"), false);
    r.allowOnly(net, QStringLiteral("network"), {QStringLiteral("wifi"), QStringLiteral("ip")});
    if (net.contains(QStringLiteral("wifi"))) {
        const QString path = QStringLiteral("network.wifi");
        const QJsonObject w
            = r.object(net, QStringLiteral("network"), QStringLiteral("wifi"), false);
        r.allowOnly(w, path,
            {QStringLiteral("ssid"), QStringLiteral("security"), QStringLiteral("passphrase"),
                QStringLiteral("hidden")});
        WifiConfig wifi;
        wifi.ssid = r.string(w, path, QStringLiteral("ssid"), true);
        wifi.security = r.enumeration(w, path, QStringLiteral("security"), WifiSecurity::Wpa2Psk,
            &wifiSecurityFromName, kSecurityNames);
        wifi.passphrase = r.secret(w, path, QStringLiteral("passphrase"));
        wifi.hidden = r.boolean(w, path, QStringLiteral("hidden"), false);
        p.network.wifi = wifi;
    } else {
        p.network.wifi.reset();
    }
    const QString ipPath = QStringLiteral("network.ip");
    const QJsonObject ip = r.object(net, QStringLiteral("network"), QStringLiteral("ip"), false);
    const QString mode = ip.isEmpty() ? QStringLiteral("dhcp")
                                      : r.string(ip, ipPath, QStringLiteral("mode"), true);
    if (mode == u"dhcp") {
        r.allowOnly(ip, ipPath, {QStringLiteral("mode")});
        p.network.ip = IpConfig{};
    } else if (mode == u"static") {
        r.allowOnly(ip, ipPath,
            {QStringLiteral("mode"), QStringLiteral("address"), QStringLiteral("prefixLength"),
                QStringLiteral("gateway"), QStringLiteral("dns")});
        p.network.ip.dhcp = false;
        p.network.ip.address = r.string(ip, ipPath, QStringLiteral("address"), true);
        p.network.ip.prefixLength = r.integer(ip, ipPath, QStringLiteral("prefixLength"), 24);
        p.network.ip.gateway = r.string(ip, ipPath, QStringLiteral("gateway"));
        p.network.ip.dns = r.stringList(ip, ipPath, QStringLiteral("dns"));
    } else if (!mode.isEmpty()) {
        r.add(QStringLiteral("network.ip.mode"),
            QStringLiteral("\"%1\" is not allowed; use dhcp or static").arg(mode));
    }
}

void readStatic(Reader &r, const QJsonObject &root, StaticSettings &s)
{
    const QString path = QStringLiteral("credentials");
    const QJsonObject c = r.object(root, {}, path, false);
    StaticCredentials &cred = s.credentials;
    cred.kind = c.isEmpty()
        ? StaticCredentialKind::None
        : r.enumeration(c, path, QStringLiteral("type"), StaticCredentialKind::None,
            &credentialKindFromName, kCredentialNames, true);
    QStringList allowed{QStringLiteral("type")};
    switch (cred.kind) {
    case StaticCredentialKind::None:
        break;
    case StaticCredentialKind::SharedPsk:
        allowed << QStringLiteral("identity") << QStringLiteral("psk");
        cred.pskIdentity = r.string(c, path, QStringLiteral("identity"), true);
        cred.psk = r.secret(c, path, QStringLiteral("psk"));
        break;
    case StaticCredentialKind::UsernamePassword:
        allowed << QStringLiteral("username") << QStringLiteral("password");
        cred.username = r.string(c, path, QStringLiteral("username"), true);
        cred.password = r.secret(c, path, QStringLiteral("password"));
        break;
    case StaticCredentialKind::SharedCertificate:
        allowed << QStringLiteral("certificate") << QStringLiteral("privateKey");
        cred.certificateFile = r.string(c, path, QStringLiteral("certificate"), true);
        cred.privateKeyFile = r.string(c, path, QStringLiteral("privateKey"), true);
        break;
    case StaticCredentialKind::BenchCertificate:
        allowed << QStringLiteral("keyAlgorithm") << QStringLiteral("validityDays")
                << QStringLiteral("subject");
        cred.keyAlgorithm = r.enumeration(c, path, QStringLiteral("keyAlgorithm"),
            KeyAlgorithm::EcP256, &keyAlgorithmFromName, kAlgorithmNames);
        cred.validityDays = r.integer(c, path, QStringLiteral("validityDays"), 365);
        if (c.contains(QStringLiteral("subject")))
            cred.subject = r.string(c, path, QStringLiteral("subject"));
        break;
    }
    r.allowOnly(c, path, allowed);
}

void readDynamic(Reader &r, const QJsonObject &root, DynamicSettings &d)
{
    const QString path = QStringLiteral("enrollment");
    const QJsonObject e = r.object(root, {}, path, true);
    d.method = r.enumeration(e, path, QStringLiteral("method"), EnrollmentMethod::Est,
        &enrollmentMethodFromName, kMethodNames, !e.isEmpty());
    QStringList allowed{QStringLiteral("method")};
    switch (d.method) {
    case EnrollmentMethod::Est: {
        allowed << QStringLiteral("url") << QStringLiteral("trustAnchor") << QStringLiteral("token")
                << QStringLiteral("manualApproval");
        d.est.url = r.string(e, path, QStringLiteral("url"), true);
        d.est.trustAnchorFile = r.string(e, path, QStringLiteral("trustAnchor"));
        const QString tokenPath = QStringLiteral("enrollment.token");
        const QJsonObject t = r.object(e, path, QStringLiteral("token"), false);
        r.allowOnly(t, tokenPath, {QStringLiteral("ttlMinutes"), QStringLiteral("singleUse")});
        d.est.tokenTtlMinutes = r.integer(t, tokenPath, QStringLiteral("ttlMinutes"), 60);
        d.est.tokenSingleUse = r.boolean(t, tokenPath, QStringLiteral("singleUse"), true);
        d.est.manualApproval = r.boolean(e, path, QStringLiteral("manualApproval"), false);
        break;
    }
    case EnrollmentMethod::MqttFleet: {
        allowed << QStringLiteral("broker") << QStringLiteral("claimCertificate")
                << QStringLiteral("claimKey") << QStringLiteral("template")
                << QStringLiteral("topics");
        d.mqttFleet.brokerUrl = r.string(e, path, QStringLiteral("broker"), true);
        d.mqttFleet.claimCertificateFile
            = r.string(e, path, QStringLiteral("claimCertificate"), true);
        d.mqttFleet.claimKeyFile = r.string(e, path, QStringLiteral("claimKey"), true);
        d.mqttFleet.templateName = r.string(e, path, QStringLiteral("template"), true);
        const QString topicsPath = QStringLiteral("enrollment.topics");
        const QJsonObject t = r.object(e, path, QStringLiteral("topics"), false);
        r.allowOnly(t, topicsPath, {QStringLiteral("request"), QStringLiteral("response")});
        d.mqttFleet.requestTopic = r.string(t, topicsPath, QStringLiteral("request"));
        d.mqttFleet.responseTopic = r.string(t, topicsPath, QStringLiteral("response"));
        break;
    }
    case EnrollmentMethod::Lwm2mBootstrap:
        allowed << QStringLiteral("serverUri") << QStringLiteral("pskIdentity")
                << QStringLiteral("psk");
        d.lwm2m.serverUri = r.string(e, path, QStringLiteral("serverUri"), true);
        d.lwm2m.pskIdentity = r.string(e, path, QStringLiteral("pskIdentity"), true);
        d.lwm2m.psk = r.secret(e, path, QStringLiteral("psk"));
        break;
    }
    r.allowOnly(e, path, allowed);

    const QJsonObject key = r.object(root, {}, QStringLiteral("deviceKey"), false);
    r.allowOnly(key, QStringLiteral("deviceKey"), {QStringLiteral("algorithm")});
    d.deviceKey = r.enumeration(key, QStringLiteral("deviceKey"), QStringLiteral("algorithm"),
        KeyAlgorithm::EcP256, &keyAlgorithmFromName, kAlgorithmNames);
    const QString certPath = QStringLiteral("certificate");
    const QJsonObject cert = r.object(root, {}, certPath, false);
    r.allowOnly(
        cert, certPath, {QStringLiteral("lifetimeDays"), QStringLiteral("renewBeforeDays")});
    d.certificateLifetimeDays = r.integer(cert, certPath, QStringLiteral("lifetimeDays"), 365);
    d.renewBeforeDays = r.integer(cert, certPath, QStringLiteral("renewBeforeDays"), 30);
}

std::pair<int, int> lineColumn(const QByteArray &text, qsizetype offset)
{
    int line = 1;
    int column = 1;
    for (qsizetype i = 0; i < offset && i < text.size(); ++i) {
        if (text[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    return {line, column};
}

} // namespace

std::expected<Profile, Issues> parseProfile(const QByteArray &json)
{
    if (json.size() > kMaxProfileBytes)
        return std::unexpected(Issues{{QString(),
            QStringLiteral("the file has %1 bytes; a profile "
                           "has at most 1 MiB: is this the "
                           "right file?")
                .arg(json.size())}});
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError) {
        const auto [line, column] = lineColumn(json, error.offset);
        return std::unexpected(Issues{{QString(),
            QStringLiteral("not valid JSON at line %1, column "
                           "%2: %3")
                .arg(line)
                .arg(column)
                .arg(error.errorString())}});
    }
    if (!doc.isObject())
        return std::unexpected(Issues{{QString(),
            QStringLiteral("a profile is a JSON object ({ ... }), not a list or a "
                           "value")}});
    const QJsonObject root = doc.object();
    Reader r;

    const QString schema = r.string(root, {}, QStringLiteral("schema"), true);
    if (!schema.isEmpty()) {
        const QString prefix = QLatin1String(kSchemaPrefix);
        bool ok = false;
        const int version = schema.startsWith(prefix) ? schema.mid(prefix.size()).toInt(&ok) : 0;
        if (!ok || version < 1)
            return std::unexpected(Issues{{QStringLiteral("schema"),
                QStringLiteral("\"%1\" is not a ProvBench profile schema; "
                               "expected \"%2%3\"")
                    .arg(schema, prefix)
                    .arg(kSchemaVersion)}});
        if (version > kSchemaVersion)
            return std::unexpected(Issues{{QStringLiteral("schema"),
                QStringLiteral("this profile uses %1, which is newer than "
                               "this ProvBench understands (%2%3): update "
                               "ProvBench to open it")
                    .arg(schema, prefix)
                    .arg(kSchemaVersion)}});
    }
    const auto kind = r.enumeration(root, {}, QStringLiteral("kind"), ProfileKind::Static,
        &kindFromName, {QStringLiteral("static"), QStringLiteral("dynamic")}, true);

    QStringList allowed{QStringLiteral("schema"), QStringLiteral("kind"), QStringLiteral("name"),
        QStringLiteral("description"), QStringLiteral("site"), QStringLiteral("naming"),
        QStringLiteral("network"), QStringLiteral("endpoints"), QStringLiteral("ntp")};
    if (kind == ProfileKind::Static)
        allowed << QStringLiteral("credentials");
    else
        allowed << QStringLiteral("enrollment") << QStringLiteral("deviceKey")
                << QStringLiteral("certificate");
    for (auto it = root.begin(); it != root.end(); ++it) {
        if (allowed.contains(it.key()))
            continue;
        const bool otherKind = it.key() == u"credentials" || it.key() == u"enrollment"
            || it.key() == u"deviceKey" || it.key() == u"certificate";
        r.add(it.key(),
            otherKind ? QStringLiteral("only %1 profiles have this; remove it or change "
                                       "\"kind\"")
                            .arg(kind == ProfileKind::Static ? QStringLiteral("dynamic")
                                                             : QStringLiteral("static"))
                      : QStringLiteral("unknown field; allowed here: %1")
                            .arg(allowed.join(QStringLiteral(", "))));
    }

    Profile p;
    p.name = r.string(root, {}, QStringLiteral("name"), true);
    p.description = r.string(root, {}, QStringLiteral("description"));
    p.site = r.string(root, {}, QStringLiteral("site"));
    const QJsonObject naming = r.object(root, {}, QStringLiteral("naming"), false);
    r.allowOnly(naming, QStringLiteral("naming"),
        {QStringLiteral("hostname"), QStringLiteral("deviceName")});
    p.naming.hostname = r.string(naming, QStringLiteral("naming"), QStringLiteral("hostname"));
    p.naming.deviceName = r.string(naming, QStringLiteral("naming"), QStringLiteral("deviceName"));
    readNetwork(r, root, p);
    const QJsonObject ep = r.object(root, {}, QStringLiteral("endpoints"), false);
    r.allowOnly(ep, QStringLiteral("endpoints"),
        {QStringLiteral("mqtt"), QStringLiteral("https"), QStringLiteral("coap")});
    p.endpoints.mqtt = r.string(ep, QStringLiteral("endpoints"), QStringLiteral("mqtt"));
    p.endpoints.https = r.string(ep, QStringLiteral("endpoints"), QStringLiteral("https"));
    p.endpoints.coap = r.string(ep, QStringLiteral("endpoints"), QStringLiteral("coap"));
    p.ntp = r.stringList(root, {}, QStringLiteral("ntp"));

    if (kind == ProfileKind::Static) {
        StaticSettings s;
        readStatic(r, root, s);
        p.settings = s;
    } else {
        DynamicSettings d;
        readDynamic(r, root, d);
        p.settings = d;
    }
    if (!r.issues.isEmpty())
        return std::unexpected(r.issues);
    return p;
}

} // namespace provbench::profiles
