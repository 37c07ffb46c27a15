#pragma once

#include "app/profiles/profile.h"

#include <QByteArray>
#include <QJsonObject>

#include <expected>

namespace provbench::profiles {

// One problem with a profile, pointing at the field: path is the JSON path
// ("network.wifi.passphrase"), message says what is allowed
// ("WPA2-PSK needs 8 to 63 characters"). toString() joins them with ": ".
struct Issue
{
    QString path;
    QString message;

    QString toString() const
    {
        return path.isEmpty() ? message : path + QStringLiteral(": ") + message;
    }
    bool operator==(const Issue &) const = default;
};

using Issues = QList<Issue>;

// Reads a profile from JSON text. Strict: unknown keys, wrong types, unknown
// enum names, a missing or foreign schema and a newer schema version are all
// refused, each with an Issue naming the field. Structure only: values are
// checked by validate(), so an editor can load a half-finished profile.
// Bounded: input over 1 MiB is refused before parsing.
std::expected<Profile, Issues> parseProfile(const QByteArray &json);

// Value checks: ranges, lengths, URL schemes, addresses, template syntax,
// secrets removed by a masked export. Empty result: ready to use.
Issues validate(const Profile &profile);

enum class SecretPolicy {
    Include, // write secret values (the workspace's own files)
    Mask,    // replace each set secret by the "<redacted>" marker (exports, reports)
};

inline constexpr char kMaskedSecret[] = "<redacted>";

// Writes the canonical JSON form (stable key order, defaults included), so
// that parseProfile(toJson(p)) == p for a profile without masked secrets.
QJsonObject toJsonObject(const Profile &profile, SecretPolicy secrets);
QByteArray toJson(const Profile &profile, SecretPolicy secrets);

// Convenience for messages: every issue on its own line.
QString describe(const Issues &issues);

} // namespace provbench::profiles
