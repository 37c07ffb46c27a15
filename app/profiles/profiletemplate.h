#pragma once

#include "app/core/error.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <functional>

// Per-device templates: text with {placeholders} expanded once per device.
//
//   {serial}       the device's serial number (USB serial, or the id it reports)
//   {mac}          MAC address as 12 lower-case hex digits; {mac:colons} as aa:bb:..
//   {mac6}         the last 6 hex digits of the MAC
//   {seq}          the device's sequence number in a batch; {seq:04} zero-pads to 4;
//                  {seq+100} adds an offset (for addresses), {seq+100:03} both
//   {site}         the site name (the device's, else the profile's)
//   {name}         the device's own name, if it reports one
//   {random:N}     N characters (1-64) from a CSPRNG, lower-case hex
//   {{ and }}      literal braces
//
// Unknown names, bad arguments and unbalanced braces are errors that name the
// placeholder. A value a device lacks (no MAC known yet) is an error at
// expansion that says so, never an empty string.
namespace provbench::profiles {

struct DeviceVars
{
    QString serial;
    QString mac; // any common notation; normalised on use
    QString site;
    QString name;
    int seq = 0;
};

// Syntax check without expanding. Empty list: the template is well formed.
// Messages name the placeholder: "{sequence}: unknown placeholder; use one of
// serial, mac, mac6, seq, site, name, random".
QStringList checkTemplate(const QString &text);
// True when the text contains at least one placeholder that differs per
// device ({serial}, {mac}, {mac6}, {seq}, {random}; not {site}).
bool isPerDevice(const QString &text);
// The names of the placeholders used, e.g. {"serial", "seq"}.
QStringList placeholders(const QString &text);

// Source of {random:N} characters; the default uses QRandomGenerator::system()
// (a CSPRNG). Tests inject a deterministic one.
using RandomSource = std::function<QString(int length)>;

Result<QString> expandTemplate(
    const QString &text, const DeviceVars &vars, const RandomSource &random = {});

// Two or more devices that end up with the same value of one field.
struct Collision
{
    QString field; // "hostname", "static IP address", ...
    QString value;
    QStringList devices; // device labels (serial, or "#seq")
};

struct Expansion
{
    QString device; // label
    QString value;
};

// Expands `text` for every device and reports each value given to more than
// one device. Expansion errors are returned instead (first one).
Result<QList<Collision>> findCollisions(const QString &field, const QString &text,
    const QList<DeviceVars> &devices, const RandomSource &random = {});

QStringList templateVariableNames();

} // namespace provbench::profiles
