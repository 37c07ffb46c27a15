#include "app/profiles/inventorycheck.h"

#include <QHash>

namespace provbench::profiles {

namespace {

QString label(const DeviceVars &d)
{
    return d.serial.isEmpty() ? QStringLiteral("#%1").arg(d.seq) : d.serial;
}

void collect(
    const QString &field, const QList<std::pair<QString, QString>> &values, QList<Collision> &out)
{
    QHash<QString, qsizetype> index;
    QList<Collision> found;
    for (const auto &[device, value] : values) {
        if (value.isEmpty())
            continue;
        const auto it = index.constFind(value);
        if (it == index.constEnd()) {
            index.insert(value, found.size());
            found.append(Collision{field, value, {device}});
        } else {
            found[*it].devices.append(device);
        }
    }
    for (const Collision &c : std::as_const(found)) {
        if (c.devices.size() > 1)
            out.append(c);
    }
}

} // namespace

InventoryCheck checkInventory(const Profile &profile, const QList<DeviceVars> &devices)
{
    InventoryCheck check;
    QList<std::pair<QString, QString>> hostnames, names, addresses;
    for (DeviceVars d : devices) {
        if (d.site.isEmpty())
            d.site = profile.site;
        InventoryCheck::Row row;
        row.device = label(d);
        QStringList errors;
        auto expand = [&](const QString &text, QString &target) {
            if (text.isEmpty())
                return;
            auto v = expandTemplate(text, d);
            if (v)
                target = *v;
            else
                errors.append(v.error().message);
        };
        expand(profile.naming.hostname, row.hostname);
        expand(profile.naming.deviceName, row.deviceName);
        if (!profile.network.ip.dhcp)
            expand(profile.network.ip.address, row.address);
        row.error = errors.join(QLatin1Char(' '));
        hostnames.append({row.device, row.hostname});
        names.append({row.device, row.deviceName});
        addresses.append({row.device, row.address});
        check.rows.append(row);
    }
    collect(QStringLiteral("hostname"), hostnames, check.collisions);
    collect(QStringLiteral("static IP address"), addresses, check.collisions);
    collect(QStringLiteral("device name"), names, check.collisions);
    return check;
}

} // namespace provbench::profiles
