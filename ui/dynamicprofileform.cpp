#include "ui/dynamicprofileform.h"

#include "ui/profilebinder.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace provbench {

using namespace profiles;

namespace {

DynamicSettings settingsOf(const Profile &p)
{
    const DynamicSettings *d = p.dynamicSettings();
    return d ? *d : DynamicSettings{};
}

template<typename F> void withSettings(Profile &p, F fn)
{
    if (DynamicSettings *d = p.dynamicSettings())
        fn(*d);
}

QFormLayout *newForm(QGroupBox *box)
{
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);
    return form;
}

} // namespace

DynamicProfileForm::DynamicProfileForm(ProfileBinder *b, QWidget *parent) : QWidget(parent)
{
    auto *box = new QGroupBox(tr("Enrollment"), this);
    QFormLayout *form = newForm(box);
    ProfileBinder::Choices methods;
    for (EnrollmentMethod m :
        {EnrollmentMethod::Est, EnrollmentMethod::MqttFleet, EnrollmentMethod::Lwm2mBootstrap})
        methods.append({enrollmentMethodLabel(m), int(m)});
    b->addCombo(
        form, tr("Method"), QStringLiteral("enrollment.method"), methods,
        [](const Profile &p) { return int(settingsOf(p).method); },
        [](Profile &p, const int &v) {
            withSettings(p, [&](DynamicSettings &d) { d.method = EnrollmentMethod(v); });
        });

    // EST
    QLineEdit *url = b->addText(
        form, tr("EST server"), QStringLiteral("enrollment.url"),
        [](const Profile &p) { return settingsOf(p).est.url; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.est.url = v; });
        });
    url->setPlaceholderText(QStringLiteral("https://est.example.net/.well-known/est"));
    QLineEdit *anchor = b->addFile(
        form, tr("Trust anchor"), QStringLiteral("enrollment.trustAnchor"),
        [](const Profile &p) { return settingsOf(p).est.trustAnchorFile; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.est.trustAnchorFile = v; });
        });
    QSpinBox *ttl = b->addSpin(
        form, tr("Token lifetime"), QStringLiteral("enrollment.token.ttlMinutes"), 1, 10080,
        tr(" min"), [](const Profile &p) { return settingsOf(p).est.tokenTtlMinutes; },
        [](Profile &p, const int &v) {
            withSettings(p, [&](DynamicSettings &d) { d.est.tokenTtlMinutes = v; });
        });
    QCheckBox *singleUse = b->addCheck(
        form, tr("Token can be used once only"), QStringLiteral("enrollment.token.singleUse"),
        [](const Profile &p) { return settingsOf(p).est.tokenSingleUse; },
        [](Profile &p, const bool &v) {
            withSettings(p, [&](DynamicSettings &d) { d.est.tokenSingleUse = v; });
        });
    QCheckBox *approval = b->addCheck(
        form, tr("An operator approves each enrollment"),
        QStringLiteral("enrollment.manualApproval"),
        [](const Profile &p) { return settingsOf(p).est.manualApproval; },
        [](Profile &p, const bool &v) {
            withSettings(p, [&](DynamicSettings &d) { d.est.manualApproval = v; });
        });

    // MQTT fleet provisioning
    QLineEdit *broker = b->addText(
        form, tr("Fleet broker"), QStringLiteral("enrollment.broker"),
        [](const Profile &p) { return settingsOf(p).mqttFleet.brokerUrl; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.mqttFleet.brokerUrl = v; });
        });
    broker->setPlaceholderText(QStringLiteral("mqtts://fleet.example.net:8883"));
    QLineEdit *claimCert = b->addFile(
        form, tr("Claim certificate"), QStringLiteral("enrollment.claimCertificate"),
        [](const Profile &p) { return settingsOf(p).mqttFleet.claimCertificateFile; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.mqttFleet.claimCertificateFile = v; });
        });
    QLineEdit *claimKey = b->addFile(
        form, tr("Claim key"), QStringLiteral("enrollment.claimKey"),
        [](const Profile &p) { return settingsOf(p).mqttFleet.claimKeyFile; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.mqttFleet.claimKeyFile = v; });
        });
    QLineEdit *templ = b->addText(
        form, tr("Template"), QStringLiteral("enrollment.template"),
        [](const Profile &p) { return settingsOf(p).mqttFleet.templateName; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.mqttFleet.templateName = v; });
        });
    QLineEdit *request = b->addText(
        form, tr("Request topic"), QStringLiteral("enrollment.topics.request"),
        [](const Profile &p) { return settingsOf(p).mqttFleet.requestTopic; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.mqttFleet.requestTopic = v; });
        });
    QLineEdit *response = b->addText(
        form, tr("Response topic"), QStringLiteral("enrollment.topics.response"),
        [](const Profile &p) { return settingsOf(p).mqttFleet.responseTopic; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.mqttFleet.responseTopic = v; });
        });

    // LwM2M bootstrap
    QLineEdit *server = b->addText(
        form, tr("Bootstrap server"), QStringLiteral("enrollment.serverUri"),
        [](const Profile &p) { return settingsOf(p).lwm2m.serverUri; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.lwm2m.serverUri = v; });
        });
    server->setPlaceholderText(QStringLiteral("coaps://bootstrap.example.net:5684"));
    QLineEdit *pskIdentity = b->addText(
        form, tr("PSK identity"), QStringLiteral("enrollment.pskIdentity"),
        [](const Profile &p) { return settingsOf(p).lwm2m.pskIdentity; },
        [](Profile &p, const QString &v) {
            withSettings(p, [&](DynamicSettings &d) { d.lwm2m.pskIdentity = v; });
        });
    pskIdentity->setPlaceholderText(QStringLiteral("{serial}"));
    QLineEdit *psk = b->addSecret(
        form, tr("PSK (hex)"), QStringLiteral("enrollment.psk"),
        [](const Profile &p) { return settingsOf(p).lwm2m.psk; },
        [](Profile &p, const Secret &v) {
            withSettings(p, [&](DynamicSettings &d) { d.lwm2m.psk = v; });
        });
    psk->setToolTip(tr("Hex digits, or a template such as {random:32} for one per device."));

    auto *keyBox = new QGroupBox(tr("Device key and certificate"), this);
    QFormLayout *keyForm = newForm(keyBox);
    ProfileBinder::Choices algorithms;
    for (KeyAlgorithm a : {KeyAlgorithm::EcP256, KeyAlgorithm::EcP384, KeyAlgorithm::Ed25519,
             KeyAlgorithm::Rsa2048, KeyAlgorithm::Rsa3072, KeyAlgorithm::Rsa4096})
        algorithms.append({keyAlgorithmLabel(a), int(a)});
    b->addCombo(
        keyForm, tr("Key made on the device"), QStringLiteral("deviceKey.algorithm"), algorithms,
        [](const Profile &p) { return int(settingsOf(p).deviceKey); },
        [](Profile &p, const int &v) {
            withSettings(p, [&](DynamicSettings &d) { d.deviceKey = KeyAlgorithm(v); });
        });
    b->addSpin(
        keyForm, tr("Certificate lifetime"), QStringLiteral("certificate.lifetimeDays"), 1, 3650,
        tr(" days"), [](const Profile &p) { return settingsOf(p).certificateLifetimeDays; },
        [](Profile &p, const int &v) {
            withSettings(p, [&](DynamicSettings &d) { d.certificateLifetimeDays = v; });
        });
    QSpinBox *renew = b->addSpin(
        keyForm, tr("Renew before expiry"), QStringLiteral("certificate.renewBeforeDays"), 0, 3650,
        tr(" days"), [](const Profile &p) { return settingsOf(p).renewBeforeDays; },
        [](Profile &p, const int &v) {
            withSettings(p, [&](DynamicSettings &d) { d.renewBeforeDays = v; });
        });
    renew->setSpecialValueText(tr("Never (no automatic renewal)"));

    b->onRefresh(this, [=](const Profile &p) {
        const EnrollmentMethod method = settingsOf(p).method;
        const auto show = [&](std::initializer_list<QWidget *> widgets, bool on) {
            for (QWidget *w : widgets)
                b->setRowVisible(w, on);
        };
        show({url, anchor, ttl, singleUse, approval}, method == EnrollmentMethod::Est);
        show({broker, claimCert, claimKey, templ, request, response},
            method == EnrollmentMethod::MqttFleet);
        show({server, pskIdentity, psk}, method == EnrollmentMethod::Lwm2mBootstrap);
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(box);
    layout->addWidget(keyBox);
}

} // namespace provbench
