#pragma once

// Profile fixtures as JSON text. They live in a header because moc does not
// read raw string literals reliably, and the test files need moc.

#include <QJsonDocument>
#include <QJsonObject>

namespace {

// A small valid profile of each kind as JSON text, edited per test row.
QJsonObject staticBase()
{
    return QJsonDocument::fromJson(R"({
        "schema": "provbench.profile/1", "kind": "static", "name": "Office",
        "naming": {"hostname": "office-{seq:03}", "deviceName": "Office {seq}"},
        "network": {"wifi": {"ssid": "Office-IoT", "security": "wpa2-psk", "passphrase": "correct-horse-42"},
                    "ip": {"mode": "dhcp"}},
        "endpoints": {"mqtt": "mqtts://broker.example.net:8883"},
        "ntp": ["pool.ntp.org"],
        "credentials": {"type": "shared-psk", "identity": "office", "psk": "00112233445566778899aabbccddeeff"}
    })")
        .object();
}

QJsonObject dynamicBase()
{
    return QJsonDocument::fromJson(R"({
        "schema": "provbench.profile/1", "kind": "dynamic", "name": "EST",
        "network": {"wifi": {"ssid": "Office-IoT", "security": "wpa2-psk", "passphrase": "correct-horse-42"}},
        "enrollment": {"method": "est", "url": "https://est.example.net/.well-known/est",
                       "trustAnchor": "ca.pem", "token": {"ttlMinutes": 60, "singleUse": true}},
        "deviceKey": {"algorithm": "ec-p256"},
        "certificate": {"lifetimeDays": 90, "renewBeforeDays": 30}
    })")
        .object();
}

} // namespace
