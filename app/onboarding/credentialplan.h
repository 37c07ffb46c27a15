#pragma once

#include "app/profiles/profile.h"

#include <QList>
#include <QString>

// What a profile puts on one device, item by item, for the protocol the
// device speaks. Pure: the plan says what goes where and where each value
// comes from; generating keys, issuing certificates and writing are done by
// the provisioning job that walks the plan.
//
// Where items go (documented in docs/provisioning.md):
//   Improv Wi-Fi  Wi-Fi SSID + passphrase (one write), hostname, device name.
//   SMP (Zephyr)  settings keys under "provbench/..." and files under /lfs/provbench/;
//                 for a dynamic EST profile the bootstrap: est/url, the trust anchor
//                 file est-ca.crt, est/id, enroll/key and, written last, est/token.
//   nRF91 AT      credentials under one sec_tag: CA (0), client cert (1), key (2),
//                 PSK (3), PSK identity (4).
// Anything a protocol cannot carry is planned as Unsupported with the reason,
// so the user sees it instead of it being silently left out.
namespace provbench::onboarding {

enum class DeviceProtocol { Improv, Smp, Nrf91At };

QString protocolName(DeviceProtocol protocol);

struct PlanItem
{
    enum class Source {
        ProfileValue,      // a value of the profile, templates expanded per device
        GeneratedKey,      // a private key generated on the bench for this device
        IssuedCertificate, // a certificate from the workspace CA for that key
        CaCertificate,     // the workspace CA chain
        TrustAnchorFile,   // a PEM file named by the profile (EST trust anchor, shared cert)
        EnrollmentToken,   // a one-time EST token issued for this device when it is written
        DeviceId,          // the id the bench knows the device by (inventory, token, CSR CN)
        Unsupported,       // the protocol cannot carry it: `note` says why
    };
    enum class Target { WifiCredentials, Hostname, DeviceName, Setting, File, SecTag };

    QString id;    // stable: "wifi", "mqtt-url", "client-key", ...
    QString label; // "Client private key"
    Source source = Source::ProfileValue;
    Target target = Target::Setting;
    QString profileValue; // Source::ProfileValue: the (template) text
    QString file;         // Source::TrustAnchorFile: path relative to the workspace
    QString settingKey;   // Target::Setting
    QString remotePath;   // Target::File
    int secTag = -1;      // Target::SecTag
    int cmngType = -1;    // Target::SecTag: 0 CA, 1 cert, 2 key, 3 PSK, 4 identity
    bool secret = false;  // never shown, logged or traced
    // Unsupported because the device does not use it (Wi-Fi on a cellular
    // modem), not because it cannot be carried: skipping it is no failure.
    bool notApplicable = false;
    QString note; // why Unsupported, or a remark for the user
};

struct PlanOptions
{
    int secTag = 42; // nRF91: where the credentials go
};

QList<PlanItem> planCredentials(
    const profiles::Profile &profile, DeviceProtocol protocol, const PlanOptions &options = {});

} // namespace provbench::onboarding
