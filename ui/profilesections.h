#pragma once

class QGroupBox;
class QWidget;

namespace provbench {

class ProfileBinder;
class NamingPreview;

// The form sections every profile has, bound to `binder`:
//  - General: name, description, site, hostname and device-name templates,
//    and a live preview of both for a sample device the user can edit
//    (serial, MAC, sequence number);
//  - Network: Wi-Fi (SSID, security, passphrase with a show toggle, hidden)
//    and IP (DHCP, or a static address template, prefix, gateway, DNS);
//  - Services: MQTT/HTTPS/CoAP endpoints and NTP servers.
QGroupBox *buildGeneralSection(
    ProfileBinder *binder, QWidget *parent, NamingPreview **preview = nullptr);
QGroupBox *buildNetworkSection(ProfileBinder *binder, QWidget *parent);
QGroupBox *buildServicesSection(ProfileBinder *binder, QWidget *parent);

} // namespace provbench
