#pragma once

#include "app/core/error.h"
#include "app/crypto/opensslutil.h"

#include <QList>
#include <QString>

// Subject alternative names: DNS names, IP addresses, URIs and e-mail
// addresses, as written on the command line ("DNS:gw-1.example.net",
// "IP:10.0.0.5", "URI:urn:dev:1234") and as stored in certificates and CSRs.
namespace provbench::crypto {

struct SubjectAltName
{
    enum class Type { Dns, Ip, Uri, Email };
    Type type = Type::Dns;
    QString value;

    // "DNS:...", "IP:...", "URI:...", "email:..."
    QString toString() const;
    static Result<SubjectAltName> parse(const QString &text);
    bool operator==(const SubjectAltName &) const = default;
};

// Builds the GENERAL_NAMES for an extension; fails on an unusable value
// (an IP address that does not parse, an empty DNS name, ...).
Result<GeneralNamesPtr> toGeneralNames(const QList<SubjectAltName> &names);
// Reads the names OpenSSL found; other kinds (directory names, ...) are skipped.
QList<SubjectAltName> fromGeneralNames(const GENERAL_NAMES *names);

} // namespace provbench::crypto
