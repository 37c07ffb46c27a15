#pragma once

#include "app/profiles/profile.h"
#include "app/profiles/profiletemplate.h"

namespace provbench::profiles {

// What a profile's per-device templates give a set of devices, and where two
// devices would end up with the same hostname, device name or static address.
struct InventoryCheck
{
    struct Row
    {
        QString device; // label: serial, or "#seq"
        QString hostname;
        QString deviceName;
        QString address; // empty with DHCP
        QString error;   // why this device's values cannot be computed
    };
    QList<Row> rows;
    QList<Collision> collisions;
};

// Expands the profile's naming and address templates for every device (the
// profile's site fills in a device without one). {random:N} is drawn from the
// system CSPRNG, so random parts never collide in practice and are shown as
// drawn here, not as what a device will get.
InventoryCheck checkInventory(const Profile &profile, const QList<DeviceVars> &devices);

} // namespace provbench::profiles
