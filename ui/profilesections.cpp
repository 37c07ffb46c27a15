#include "ui/profilesections.h"

#include "app/profiles/profiletemplate.h"
#include "ui/namingpreview.h"
#include "ui/profilebinder.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>

namespace provbench {

using namespace profiles;

namespace {

QFormLayout *newForm(QGroupBox *box)
{
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    return form;
}

WifiConfig &wifi(Profile &p)
{
    if (!p.network.wifi)
        p.network.wifi = WifiConfig{};
    return *p.network.wifi;
}

WifiConfig wifiOf(const Profile &p)
{
    return p.network.wifi.value_or(WifiConfig{});
}

} // namespace

QGroupBox *buildGeneralSection(ProfileBinder *b, QWidget *parent, NamingPreview **preview)
{
    auto *box = new QGroupBox(QObject::tr("General"), parent);
    QFormLayout *form = newForm(box);
    b->addText(
        form, QObject::tr("Name"), QStringLiteral("name"), [](const Profile &p) { return p.name; },
        [](Profile &p, const QString &v) { p.name = v; });
    b->addText(
        form, QObject::tr("Description"), QStringLiteral("description"),
        [](const Profile &p) { return p.description; },
        [](Profile &p, const QString &v) { p.description = v; });
    QLineEdit *site = b->addText(
        form, QObject::tr("Site"), QStringLiteral("site"), [](const Profile &p) { return p.site; },
        [](Profile &p, const QString &v) { p.site = v; });
    site->setPlaceholderText(QObject::tr("Used for {site} in templates"));
    QLineEdit *host = b->addText(
        form, QObject::tr("Hostname"), QStringLiteral("naming.hostname"),
        [](const Profile &p) { return p.naming.hostname; },
        [](Profile &p, const QString &v) { p.naming.hostname = v; });
    host->setPlaceholderText(QStringLiteral("sensor-{seq:03}"));
    host->setToolTip(
        QObject::tr("Template: %1").arg(templateVariableNames().join(QStringLiteral(", "))));
    QLineEdit *name = b->addText(
        form, QObject::tr("Device name"), QStringLiteral("naming.deviceName"),
        [](const Profile &p) { return p.naming.deviceName; },
        [](Profile &p, const QString &v) { p.naming.deviceName = v; });
    name->setPlaceholderText(QStringLiteral("Sensor {seq} ({site})"));
    name->setToolTip(host->toolTip());
    auto *namingPreview = new NamingPreview(b, box);
    if (preview)
        *preview = namingPreview;
    form->addRow(QObject::tr("Preview"), namingPreview);
    return box;
}

QGroupBox *buildNetworkSection(ProfileBinder *b, QWidget *parent)
{
    auto *box = new QGroupBox(QObject::tr("Network"), parent);
    QFormLayout *form = newForm(box);
    QCheckBox *useWifi = b->addCheck(
        form, QObject::tr("Connects over Wi-Fi"), QStringLiteral("network.wifi"),
        [](const Profile &p) { return p.network.wifi.has_value(); },
        [](Profile &p, const bool &on) {
            if (on)
                wifi(p);
            else
                p.network.wifi.reset();
        });
    useWifi->setToolTip(QObject::tr("Off for wired or cellular devices."));
    QLineEdit *ssid = b->addText(
        form, QObject::tr("SSID"), QStringLiteral("network.wifi.ssid"),
        [](const Profile &p) { return wifiOf(p).ssid; },
        [](Profile &p, const QString &v) { wifi(p).ssid = v; });
    ProfileBinder::Choices securities;
    for (WifiSecurity s :
        {WifiSecurity::Wpa2Psk, WifiSecurity::Wpa2Wpa3, WifiSecurity::Wpa3Sae, WifiSecurity::Open})
        securities.append({wifiSecurityLabel(s), int(s)});
    QComboBox *security = b->addCombo(
        form, QObject::tr("Security"), QStringLiteral("network.wifi.security"), securities,
        [](const Profile &p) { return int(wifiOf(p).security); },
        [](Profile &p, const int &v) { wifi(p).security = WifiSecurity(v); });
    QLineEdit *passphrase = b->addSecret(
        form, QObject::tr("Passphrase"), QStringLiteral("network.wifi.passphrase"),
        [](const Profile &p) { return wifiOf(p).passphrase; },
        [](Profile &p, const Secret &v) { wifi(p).passphrase = v; });
    QCheckBox *hidden = b->addCheck(
        form, QObject::tr("Hidden network (SSID not broadcast)"),
        QStringLiteral("network.wifi.hidden"), [](const Profile &p) { return wifiOf(p).hidden; },
        [](Profile &p, const bool &v) { wifi(p).hidden = v; });

    QComboBox *mode = b->addCombo(
        form, QObject::tr("IP address"), QStringLiteral("network.ip.mode"),
        {{QObject::tr("DHCP"), 1}, {QObject::tr("Static"), 0}},
        [](const Profile &p) { return p.network.ip.dhcp ? 1 : 0; },
        [](Profile &p, const int &v) { p.network.ip.dhcp = v == 1; });
    QLineEdit *address = b->addText(
        form, QObject::tr("Address"), QStringLiteral("network.ip.address"),
        [](const Profile &p) { return p.network.ip.address; },
        [](Profile &p, const QString &v) { p.network.ip.address = v; });
    address->setPlaceholderText(QStringLiteral("192.168.10.{seq+100}"));
    QSpinBox *prefix = b->addSpin(
        form, QObject::tr("Prefix length"), QStringLiteral("network.ip.prefixLength"), 1, 32,
        QString(), [](const Profile &p) { return p.network.ip.prefixLength; },
        [](Profile &p, const int &v) { p.network.ip.prefixLength = v; });
    prefix->setPrefix(QStringLiteral("/"));
    QLineEdit *gateway = b->addText(
        form, QObject::tr("Gateway"), QStringLiteral("network.ip.gateway"),
        [](const Profile &p) { return p.network.ip.gateway; },
        [](Profile &p, const QString &v) { p.network.ip.gateway = v; });
    QLineEdit *dns = b->addList(
        form, QObject::tr("DNS servers"), QStringLiteral("network.ip.dns"),
        [](const Profile &p) { return p.network.ip.dns; },
        [](Profile &p, const QStringList &v) { p.network.ip.dns = v; });

    b->onRefresh(box, [=](const Profile &p) {
        const bool hasWifi = p.network.wifi.has_value();
        for (QWidget *w : {static_cast<QWidget *>(ssid), static_cast<QWidget *>(security),
                 static_cast<QWidget *>(passphrase), static_cast<QWidget *>(hidden)})
            b->setRowVisible(w, hasWifi);
        if (hasWifi)
            b->setRowVisible(passphrase,
                p.network.wifi->security != WifiSecurity::Open
                    || !p.network.wifi->passphrase.isEmpty());
        const bool fixed = !p.network.ip.dhcp;
        for (QWidget *w : {static_cast<QWidget *>(address), static_cast<QWidget *>(prefix),
                 static_cast<QWidget *>(gateway), static_cast<QWidget *>(dns)})
            b->setRowVisible(w, fixed);
    });
    Q_UNUSED(mode);
    return box;
}

QGroupBox *buildServicesSection(ProfileBinder *b, QWidget *parent)
{
    auto *box = new QGroupBox(QObject::tr("Services"), parent);
    QFormLayout *form = newForm(box);
    b->addText(
         form, QObject::tr("MQTT broker"), QStringLiteral("endpoints.mqtt"),
         [](const Profile &p) { return p.endpoints.mqtt; },
         [](Profile &p, const QString &v) { p.endpoints.mqtt = v; })
        ->setPlaceholderText(QStringLiteral("mqtts://broker.example.net:8883"));
    b->addText(
         form, QObject::tr("HTTPS API"), QStringLiteral("endpoints.https"),
         [](const Profile &p) { return p.endpoints.https; },
         [](Profile &p, const QString &v) { p.endpoints.https = v; })
        ->setPlaceholderText(QStringLiteral("https://api.example.net"));
    b->addText(
         form, QObject::tr("CoAP server"), QStringLiteral("endpoints.coap"),
         [](const Profile &p) { return p.endpoints.coap; },
         [](Profile &p, const QString &v) { p.endpoints.coap = v; })
        ->setPlaceholderText(QStringLiteral("coaps://coap.example.net:5684"));
    b->addList(
        form, QObject::tr("NTP servers"), QStringLiteral("ntp"),
        [](const Profile &p) { return p.ntp; },
        [](Profile &p, const QStringList &v) { p.ntp = v; });
    return box;
}

} // namespace provbench
