#include "ui/staticprofileform.h"

#include "ui/profilebinder.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace provbench {

using namespace profiles;

namespace {

StaticCredentials credentialsOf(const Profile &p)
{
    const StaticSettings *s = p.staticSettings();
    return s ? s->credentials : StaticCredentials{};
}

// Applies `fn` to the credentials of a static profile; no-op on a dynamic one.
template<typename F> void withCredentials(Profile &p, F fn)
{
    if (StaticSettings *s = p.staticSettings())
        fn(s->credentials);
}

} // namespace

StaticProfileForm::StaticProfileForm(ProfileBinder *b, QWidget *parent) : QWidget(parent)
{
    auto *box = new QGroupBox(tr("Credentials written on the bench"), this);
    auto *form = new QFormLayout(box);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignRight | Qt::AlignVCenter);

    ProfileBinder::Choices kinds;
    for (StaticCredentialKind k : {StaticCredentialKind::None, StaticCredentialKind::SharedPsk,
             StaticCredentialKind::UsernamePassword, StaticCredentialKind::SharedCertificate,
             StaticCredentialKind::BenchCertificate})
        kinds.append({credentialKindLabel(k), int(k)});
    b->addCombo(
        form, tr("Type"), QStringLiteral("credentials.type"), kinds,
        [](const Profile &p) { return int(credentialsOf(p).kind); },
        [](Profile &p, const int &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.kind = StaticCredentialKind(v); });
        });

    auto *hint = new QLabel(box);
    hint->setObjectName(QStringLiteral("credentialsHint"));
    hint->setWordWrap(true);
    hint->setStyleSheet(QStringLiteral("QLabel { color: #4b5563; }"));
    form->addRow(QString(), hint);

    QLineEdit *identity = b->addText(
        form, tr("PSK identity"), QStringLiteral("credentials.identity"),
        [](const Profile &p) { return credentialsOf(p).pskIdentity; },
        [](Profile &p, const QString &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.pskIdentity = v; });
        });
    identity->setPlaceholderText(QStringLiteral("{serial}"));
    QLineEdit *psk = b->addSecret(
        form, tr("PSK (hex)"), QStringLiteral("credentials.psk"),
        [](const Profile &p) { return credentialsOf(p).psk; },
        [](Profile &p, const Secret &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.psk = v; });
        });
    QLineEdit *username = b->addText(
        form, tr("Username"), QStringLiteral("credentials.username"),
        [](const Profile &p) { return credentialsOf(p).username; },
        [](Profile &p, const QString &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.username = v; });
        });
    QLineEdit *password = b->addSecret(
        form, tr("Password"), QStringLiteral("credentials.password"),
        [](const Profile &p) { return credentialsOf(p).password; },
        [](Profile &p, const Secret &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.password = v; });
        });
    password->setToolTip(tr("A template such as {random:20} gives every device its own."));
    QLineEdit *certificate = b->addFile(
        form, tr("Certificate"), QStringLiteral("credentials.certificate"),
        [](const Profile &p) { return credentialsOf(p).certificateFile; },
        [](Profile &p, const QString &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.certificateFile = v; });
        });
    QLineEdit *key = b->addFile(
        form, tr("Private key"), QStringLiteral("credentials.privateKey"),
        [](const Profile &p) { return credentialsOf(p).privateKeyFile; },
        [](Profile &p, const QString &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.privateKeyFile = v; });
        });
    ProfileBinder::Choices algorithms;
    for (KeyAlgorithm a : {KeyAlgorithm::EcP256, KeyAlgorithm::EcP384, KeyAlgorithm::Ed25519,
             KeyAlgorithm::Rsa2048, KeyAlgorithm::Rsa3072, KeyAlgorithm::Rsa4096})
        algorithms.append({keyAlgorithmLabel(a), int(a)});
    QComboBox *algorithm = b->addCombo(
        form, tr("Key algorithm"), QStringLiteral("credentials.keyAlgorithm"), algorithms,
        [](const Profile &p) { return int(credentialsOf(p).keyAlgorithm); },
        [](Profile &p, const int &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.keyAlgorithm = KeyAlgorithm(v); });
        });
    QSpinBox *validity = b->addSpin(
        form, tr("Validity"), QStringLiteral("credentials.validityDays"), 1, 3650, tr(" days"),
        [](const Profile &p) { return credentialsOf(p).validityDays; },
        [](Profile &p, const int &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.validityDays = v; });
        });
    QLineEdit *subject = b->addText(
        form, tr("Subject"), QStringLiteral("credentials.subject"),
        [](const Profile &p) { return credentialsOf(p).subject; },
        [](Profile &p, const QString &v) {
            withCredentials(p, [&](StaticCredentials &c) { c.subject = v; });
        });
    subject->setPlaceholderText(QStringLiteral("CN={serial},O=Example"));

    b->onRefresh(this, [=](const Profile &p) {
        const StaticCredentialKind kind = credentialsOf(p).kind;
        const auto show = [&](std::initializer_list<QWidget *> widgets, bool on) {
            for (QWidget *w : widgets)
                b->setRowVisible(w, on);
        };
        show({identity, psk}, kind == StaticCredentialKind::SharedPsk);
        show({username, password}, kind == StaticCredentialKind::UsernamePassword);
        show({certificate, key}, kind == StaticCredentialKind::SharedCertificate);
        show({algorithm, validity, subject}, kind == StaticCredentialKind::BenchCertificate);
        switch (kind) {
        case StaticCredentialKind::None:
            hint->setText(tr("Nothing but the network settings is written."));
            break;
        case StaticCredentialKind::SharedPsk:
            hint->setText(tr("Every device gets the same pre-shared key."));
            break;
        case StaticCredentialKind::UsernamePassword:
            hint->setText(tr("Templates in the username or password make them per device."));
            break;
        case StaticCredentialKind::SharedCertificate:
            hint->setText(tr("One certificate and key are copied to every device."));
            break;
        case StaticCredentialKind::BenchCertificate:
            hint->setText(tr("A key and a certificate from the workspace CA are made on the bench "
                             "for each device, then written to it."));
            break;
        }
    });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(box);
}

} // namespace provbench
