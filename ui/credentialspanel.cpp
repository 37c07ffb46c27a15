#include "ui/credentialspanel.h"

#include "app/crypto/opensslutil.h"

#include "app/crypto/certificateauthority.h"
#include "app/crypto/inspect.h"
#include "app/profiles/profilelibrary.h"
#include "ui/vaultprompt.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontDatabase>
#include <QFormLayout>
#include <QFutureWatcher>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace provbench {

using namespace crypto;

namespace {

const QColor kRed(0xb9, 0x1c, 0x1c);
const QColor kAmber(0xb4, 0x53, 0x09);

QString okStyle()
{
    return QStringLiteral("QLabel { color: #065f46; background: #d1fae5; border: 1px solid"
                          " #6ee7b7; border-radius: 4px; padding: 6px; }");
}

QString errorStyle()
{
    return QStringLiteral("QLabel { color: #991b1b; background: #fee2e2; border: 1px solid"
                          " #fca5a5; border-radius: 4px; padding: 6px; }");
}

QString date(const QDateTime &t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-dd"));
}

QString daysLeftText(qint64 days)
{
    if (days < 0)
        return QCoreApplication::translate("CredentialsPanel", "expired %1 days ago").arg(-days);
    return QCoreApplication::translate("CredentialsPanel", "%1 days left").arg(days);
}

QLabel *valueLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setWordWrap(true);
    return label;
}

} // namespace

CredentialsPanel::CredentialsPanel(profiles::ProfileLibrary *library, QWidget *parent)
    : QWidget(parent), m_library(library)
{
    setAcceptDrops(true);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("credentialsMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setChildrenCollapsible(false);
    auto *top = new QWidget(splitter);
    auto *topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(buildCaBox());

    auto *issuedBox = new QGroupBox(tr("Issued certificates"), top);
    m_issued = new QTableWidget(0, 4, issuedBox);
    m_issued->setObjectName(QStringLiteral("issuedTable"));
    m_issued->setHorizontalHeaderLabels(
        {tr("Serial"), tr("Subject"), tr("Not after"), tr("Days left")});
    m_issued->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_issued->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_issued->setWordWrap(false);
    m_issued->setTextElideMode(Qt::ElideMiddle);
    m_issued->verticalHeader()->hide();
    m_issued->horizontalHeader()->setHighlightSections(false);
    m_issued->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_issued->horizontalHeader()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_issued->horizontalHeader()->resizeSection(0, 280);
    m_issued->horizontalHeader()->resizeSection(2, 110);
    m_issued->horizontalHeader()->resizeSection(3, 130);
    auto *issuedLayout = new QVBoxLayout(issuedBox);
    issuedLayout->addWidget(m_issued);
    topLayout->addWidget(issuedBox, 1);

    splitter->addWidget(top);
    splitter->addWidget(buildInspectBox());
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(m_message);
    layout->addWidget(splitter, 1);
    refresh();
}

QWidget *CredentialsPanel::buildCaBox()
{
    auto *box = new QGroupBox(tr("Workspace CA"));
    m_caStack = new QStackedWidget(box);

    m_noCa = new QLabel(tr("This workspace has no CA yet. Create one to issue a certificate to "
                           "each device, or import the CA your organisation already uses "
                           "(certificate and encrypted key)."),
        m_caStack);
    m_noCa->setObjectName(QStringLiteral("noCaLabel"));
    m_noCa->setWordWrap(true);
    m_caStack->addWidget(m_noCa);

    auto *facts = new QWidget(m_caStack);
    auto *form = new QFormLayout(facts);
    form->setContentsMargins(0, 0, 0, 0);
    form->setLabelAlignment(Qt::AlignRight);
    m_subject = valueLabel(QStringLiteral("caSubject"), facts);
    m_fingerprint = valueLabel(QStringLiteral("caFingerprint"), facts);
    m_fingerprint->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_validity = valueLabel(QStringLiteral("caValidity"), facts);
    m_keyType = valueLabel(QStringLiteral("caKeyType"), facts);
    m_issuedCount = valueLabel(QStringLiteral("caIssuedCount"), facts);
    form->addRow(tr("Subject:"), m_subject);
    form->addRow(tr("SHA-256:"), m_fingerprint);
    form->addRow(tr("Valid:"), m_validity);
    form->addRow(tr("Key:"), m_keyType);
    form->addRow(tr("Issued:"), m_issuedCount);
    m_caStack->addWidget(facts);

    m_create = new QPushButton(tr("Create CA\u2026"), box);
    m_create->setObjectName(QStringLiteral("createCaButton"));
    m_create->setToolTip(tr("Make a new root CA for this workspace; its key is stored encrypted "
                            "in the vault."));
    connect(m_create, &QPushButton::clicked, this, &CredentialsPanel::createCa);
    m_import = new QPushButton(tr("Import CA\u2026"), box);
    m_import->setObjectName(QStringLiteral("importCaButton"));
    m_import->setToolTip(tr("Use an existing CA: its certificate (PEM) and encrypted private "
                            "key (PKCS#8 PEM)."));
    connect(m_import, &QPushButton::clicked, this, &CredentialsPanel::importCa);
    m_unlock = new QPushButton(QIcon(QStringLiteral(":/icons/lock.svg")), tr("Unlock"), box);
    m_unlock->setObjectName(QStringLiteral("unlockVaultButton"));
    m_unlock->setToolTip(tr("Unlock the vault to list the certificates this CA issued."));
    connect(m_unlock, &QPushButton::clicked, this, &CredentialsPanel::unlock);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_create);
    buttons->addWidget(m_import);
    buttons->addWidget(m_unlock);
    buttons->addStretch(1);

    auto *layout = new QHBoxLayout(box);
    layout->addWidget(m_caStack, 1);
    layout->addLayout(buttons);
    return box;
}

QWidget *CredentialsPanel::buildInspectBox()
{
    auto *box = new QGroupBox(tr("Inspect a certificate or key file"));
    m_inspectTitle = new QLabel(tr("Pick a PEM, DER or PKCS#12 file, or drop one on this page, "
                                   "to see its chain, expiry, key match and warnings."),
        box);
    m_inspectTitle->setObjectName(QStringLiteral("inspectTitle"));
    m_inspectTitle->setWordWrap(true);
    m_inspectTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *pick = new QPushButton(tr("Inspect a File\u2026"), box);
    pick->setObjectName(QStringLiteral("inspectFileButton"));
    connect(pick, &QPushButton::clicked, this, &CredentialsPanel::pickFileToInspect);
    auto *row = new QHBoxLayout;
    row->addWidget(m_inspectTitle, 1);
    row->addWidget(pick, 0, Qt::AlignTop);

    m_report = new QTreeWidget(box);
    m_report->setObjectName(QStringLiteral("inspectionReport"));
    m_report->setColumnCount(2);
    m_report->setHeaderLabels({tr("Item"), tr("Value")});
    m_report->header()->resizeSection(0, 260);
    m_report->setAlternatingRowColors(true);
    m_report->setUniformRowHeights(true);

    auto *layout = new QVBoxLayout(box);
    layout->addLayout(row);
    layout->addWidget(m_report, 1);
    return box;
}

void CredentialsPanel::showEvent(QShowEvent *event)
{
    refresh();
    QWidget::showEvent(event);
}

void CredentialsPanel::refresh()
{
    const bool haveWorkspace = m_library != nullptr;
    const bool haveCa = haveWorkspace && CertificateAuthority::exists(m_library->workspace());
    m_create->setVisible(!haveCa);
    m_import->setVisible(!haveCa);
    m_create->setEnabled(haveWorkspace);
    m_import->setEnabled(haveWorkspace);
    m_unlock->hide();
    m_issued->setRowCount(0);
    if (!haveWorkspace) {
        m_noCa->setText(tr("No workspace is open, so there is no CA (the start-up message said "
                           "why)."));
        m_caStack->setCurrentIndex(0);
        return;
    }
    if (!haveCa) {
        m_caStack->setCurrentIndex(0);
        return;
    }
    const Workspace &ws = m_library->workspace();
    // The certificate is public: shown without unlocking the vault.
    auto pem = Workspace::readFile(
        QDir(CertificateAuthority::directory(ws)).filePath(QStringLiteral("ca.pem")));
    auto report = pem ? inspect(*pem) : Result<InspectionReport>(std::unexpected(pem.error()));
    if (!report || report->certificates.isEmpty()) {
        m_caStack->setCurrentIndex(0);
        m_noCa->setText(tr("The CA certificate cannot be read: %1")
                            .arg(report ? tr("no certificate in ca.pem") : report.error().message));
        return;
    }
    m_caStack->setCurrentIndex(1);
    const CertificateInfo &ca = report->certificates.first();
    m_subject->setText(ca.subject);
    m_fingerprint->setText(ca.fingerprint);
    m_validity->setText(
        tr("%1 to %2 (%3)").arg(date(ca.notBefore), date(ca.notAfter), daysLeftText(ca.daysLeft)));
    m_validity->setStyleSheet(
        ca.daysLeft < 30 ? QStringLiteral("QLabel { color: #b91c1c; }") : QString());
    m_keyType->setText(ca.keyType);

    const std::shared_ptr<const Vault> vault = VaultPrompt::cached(ws.path());
    if (!vault) {
        m_issuedCount->setText(tr("unlock the vault to list the issued certificates"));
        m_unlock->show();
        return;
    }
    auto opened = CertificateAuthority::open(ws, *vault);
    auto issued
        = opened ? opened->issued() : Result<QList<IssuedRecord>>(std::unexpected(opened.error()));
    if (!issued) {
        m_issuedCount->setText(issued.error().message);
        return;
    }
    m_issuedCount->setText(
        issued->size() == 1 ? tr("1 certificate") : tr("%1 certificates").arg(issued->size()));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_issued->setSortingEnabled(false);
    m_issued->setRowCount(int(issued->size()));
    for (int row = 0; row < issued->size(); ++row) {
        const IssuedRecord &r = issued->at(row);
        const qint64 days = now.daysTo(r.notAfter);
        auto *serial = new QTableWidgetItem(r.serial);
        serial->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
        serial->setToolTip(tr("SHA-256 %1").arg(r.fingerprint));
        auto *left = new QTableWidgetItem;
        left->setData(Qt::DisplayRole, days);
        left->setText(daysLeftText(days));
        if (days < 30)
            left->setForeground(kRed);
        m_issued->setItem(row, 0, serial);
        m_issued->setItem(row, 1, new QTableWidgetItem(r.subject));
        m_issued->setItem(row, 2, new QTableWidgetItem(date(r.notAfter)));
        m_issued->setItem(row, 3, left);
    }
    m_issued->setSortingEnabled(true);
    // Soonest to expire first: those are the ones to act on.
    m_issued->sortByColumn(3, Qt::AscendingOrder);
}

void CredentialsPanel::showMessage(bool ok, const QString &text)
{
    m_message->setStyleSheet(ok ? okStyle() : errorStyle());
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

void CredentialsPanel::unlock()
{
    auto vault = VaultPrompt::vault(m_library->workspace(), this);
    if (!vault)
        showMessage(false, vault.error().message);
    else
        showMessage(true, tr("The vault is unlocked for this session."));
    refresh();
}

void CredentialsPanel::createCa()
{
    if (!m_library)
        return;
    QDialog dialog(this);
    dialog.setWindowTitle(tr("Create the Workspace CA"));
    auto *subject = new QLineEdit(CaOptions().subject, &dialog);
    subject->setMinimumWidth(320);
    auto *algorithm = new QComboBox(&dialog);
    for (KeyAlgorithm a : {KeyAlgorithm::EcP256, KeyAlgorithm::EcP384, KeyAlgorithm::Ed25519,
             KeyAlgorithm::Rsa2048, KeyAlgorithm::Rsa3072, KeyAlgorithm::Rsa4096})
        algorithm->addItem(profiles::keyAlgorithmLabel(a), int(a));
    auto *days = new QSpinBox(&dialog);
    days->setRange(30, 36500);
    days->setValue(CaOptions().days);
    days->setSuffix(tr(" days"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto *form = new QFormLayout(&dialog);
    form->addRow(tr("Subject:"), subject);
    form->addRow(tr("Key:"), algorithm);
    form->addRow(tr("Validity:"), days);
    form->addRow(buttons);
    if (dialog.exec() != QDialog::Accepted)
        return;

    const Workspace &ws = m_library->workspace();
    auto vault = VaultPrompt::vault(ws, this, VaultPrompt::Mode::CreateIfMissing);
    if (!vault) {
        showMessage(false, vault.error().message);
        return;
    }
    CaOptions options;
    options.subject = subject->text().trimmed();
    options.keyAlgorithm = KeyAlgorithm(algorithm->currentData().toInt());
    options.days = days->value();
    // An RSA 4096 CA key takes seconds: make it on a worker thread and keep
    // the window responsive. The vault is only read there.
    setEnabled(false);
    showMessage(true, tr("Creating the CA key (%1)\u2026").arg(algorithm->currentText()));
    // Shared ownership keeps the unlocked vault alive while the worker runs.
    std::shared_ptr<const Vault> unlocked = *vault;
    auto *watcher = new QFutureWatcher<Result<CertificateAuthority>>(this);
    connect(watcher, &QFutureWatcher<Result<CertificateAuthority>>::finished, this,
        [this, watcher, subjectText = options.subject] {
            const Result<CertificateAuthority> ca = watcher->result();
            watcher->deleteLater();
            setEnabled(true);
            if (!ca)
                showMessage(false, ca.error().message);
            else
                showMessage(true, tr("The workspace CA \u201c%1\u201d is ready.").arg(subjectText));
            refresh();
        });
    watcher->setFuture(QtConcurrent::run([ws, unlocked, options] {
        auto ca = CertificateAuthority::createRoot(ws, *unlocked, options);
        crypto::releaseThreadState(); // the pool's thread lives on
        return ca;
    }));
}

void CredentialsPanel::importCa()
{
    if (!m_library)
        return;
    const QString certPath
        = QFileDialog::getOpenFileName(this, tr("CA Certificate (with its issuers)"),
            QDir::homePath(), tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    if (certPath.isEmpty())
        return;
    const QString keyPath
        = QFileDialog::getOpenFileName(this, tr("CA Private Key (encrypted PKCS#8)"),
            QFileInfo(certPath).path(), tr("PEM keys (*.pem *.key);;All files (*)"));
    if (keyPath.isEmpty())
        return;
    bool ok = false;
    QByteArray keyPassphrase = QInputDialog::getText(this, tr("Import CA"),
        tr("Passphrase of %1:").arg(QFileInfo(keyPath).fileName()), QLineEdit::Password, QString(),
        &ok)
                                   .toUtf8();
    if (!ok)
        return;
    auto cert = Workspace::readFile(certPath);
    auto key = Workspace::readFile(keyPath);
    if (!cert || !key) {
        showMessage(false, (!cert ? cert.error() : key.error()).message);
        return;
    }
    const Workspace &ws = m_library->workspace();
    auto vault = VaultPrompt::vault(ws, this, VaultPrompt::Mode::CreateIfMissing);
    if (!vault) {
        showMessage(false, vault.error().message);
        return;
    }
    auto ca = CertificateAuthority::importExisting(ws, **vault, *cert, *key, keyPassphrase);
    keyPassphrase.fill('\0');
    if (!ca)
        showMessage(false, ca.error().message);
    else
        showMessage(true,
            tr("Imported the CA \u201c%1\u201d; its key is now stored under the vault passphrase.")
                .arg(ca->certificate().commonName()));
    refresh();
}

void CredentialsPanel::pickFileToInspect()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Inspect a File"), QDir::homePath(),
        tr("Certificates and keys (*.pem *.crt *.cer *.der *.key *.csr *.p12 *.pfx);;All files "
           "(*)"));
    if (!path.isEmpty())
        inspectFile(path);
}

bool CredentialsPanel::inspectFile(const QString &path)
{
    auto data = Workspace::readFile(path, kMaxInspectBytes);
    if (!data) {
        showMessage(false, data.error().message);
        return false;
    }
    auto report = inspect(*data);
    if (!report) {
        // PKCS#12 (and only it) cannot be read at all without its password.
        bool ok = false;
        QByteArray password
            = QInputDialog::getText(this, tr("Inspect %1").arg(QFileInfo(path).fileName()),
                tr("%1\n\nPassword of the file:").arg(report.error().message), QLineEdit::Password,
                QString(), &ok)
                  .toUtf8();
        if (!ok) {
            showMessage(false, report.error().message);
            return false;
        }
        report = inspect(*data, password);
        password.fill('\0');
        if (!report) {
            showMessage(false, report.error().message);
            return false;
        }
    }
    m_message->hide();
    showReport(path, *report);
    return true;
}

void CredentialsPanel::showReport(const QString &path, const InspectionReport &report)
{
    m_report->clear();
    m_inspectTitle->setText(tr("<b>%1</b> \u2014 %2").arg(path.toHtmlEscaped(), report.format));
    auto add = [](QTreeWidgetItem *parent, const QString &name, const QString &value) {
        auto *item = new QTreeWidgetItem(parent, {name, value});
        item->setToolTip(1, value);
        return item;
    };

    auto *chain = new QTreeWidgetItem(m_report,
        {tr("Certificates (%1)").arg(report.certificates.size()),
            report.certificates.size() > 1
                ? (report.chainOrdered ? tr("chain in order") : tr("chain not in order"))
                : QString()});
    for (int i = 0; i < report.certificates.size(); ++i) {
        const CertificateInfo &c = report.certificates[i];
        auto *cert = new QTreeWidgetItem(
            chain, {tr("#%1 %2").arg(i + 1).arg(c.subject), daysLeftText(c.daysLeft)});
        if (c.daysLeft < 30)
            cert->setForeground(1, kRed);
        add(cert, tr("Issuer"), c.issuer);
        add(cert, tr("Serial"), c.serial);
        add(cert, tr("Valid"), tr("%1 to %2").arg(date(c.notBefore), date(c.notAfter)));
        add(cert, tr("Key"), c.keyType);
        add(cert, tr("Signature"), c.signatureAlgorithm);
        add(cert, tr("CA"), c.isCa ? tr("yes") : tr("no"));
        if (!c.sans.isEmpty())
            add(cert, tr("Alternative names"), c.sans.join(QStringLiteral(", ")));
        add(cert, tr("SHA-256"), c.fingerprint);
        QString issuedBy = tr("issuer not in the file");
        if (c.issuerIndex == i)
            issuedBy = tr("self-signed");
        else if (c.issuerIndex >= 0)
            issuedBy = tr("#%1").arg(c.issuerIndex + 1);
        if (c.issuerIndex >= 0)
            issuedBy += c.signatureVerifies ? tr(", signature verifies")
                                            : tr(", signature does NOT verify");
        auto *by = add(cert, tr("Issued by"), issuedBy);
        if (c.issuerIndex >= 0 && !c.signatureVerifies)
            by->setForeground(1, kRed);
        add(cert, tr("Private key"),
            c.keyIndex >= 0 ? tr("matches key #%1").arg(c.keyIndex + 1) : tr("not in the file"));
    }
    if (!report.keys.isEmpty()) {
        auto *keys
            = new QTreeWidgetItem(m_report, {tr("Keys (%1)").arg(report.keys.size()), QString()});
        for (int i = 0; i < report.keys.size(); ++i) {
            const KeyInfo &k = report.keys[i];
            add(keys, tr("#%1 %2").arg(i + 1).arg(k.kind),
                k.keyType.isEmpty()
                    ? tr("encrypted: type unknown without the password")
                    : tr("%1%2").arg(k.keyType,
                        k.publicKeyFingerprint.isEmpty()
                            ? QString()
                            : tr(", public key SHA-256 %1").arg(k.publicKeyFingerprint.left(16))));
        }
    }
    if (!report.requests.isEmpty()) {
        auto *requests = new QTreeWidgetItem(
            m_report, {tr("Requests (%1)").arg(report.requests.size()), QString()});
        for (const RequestInfo &r : report.requests)
            add(requests, r.subject,
                tr("%1, signature %2")
                    .arg(r.keyType, r.signatureVerifies ? tr("verifies") : tr("does NOT verify")));
    }
    auto *warnings = new QTreeWidgetItem(m_report,
        {tr("Warnings (%1)").arg(report.warnings.size()),
            report.warnings.isEmpty() ? tr("none") : QString()});
    for (const QString &w : report.warnings)
        add(warnings, QString(), w)->setForeground(1, kAmber);
    if (!report.warnings.isEmpty())
        warnings->setForeground(0, kAmber);
    if (!report.notes.isEmpty()) {
        auto *notes = new QTreeWidgetItem(
            m_report, {tr("Skipped (%1)").arg(report.notes.size()), QString()});
        for (const QString &n : report.notes)
            add(notes, QString(), n);
    }
    m_report->expandAll();
    // Long chains: keep the per-certificate details folded after the first.
    for (int i = 1; i < chain->childCount(); ++i)
        chain->child(i)->setExpanded(report.certificates.size() <= 2);
}

void CredentialsPanel::dragEnterEvent(QDragEnterEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile())
        event->acceptProposedAction();
}

void CredentialsPanel::dropEvent(QDropEvent *event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (urls.size() == 1 && urls.first().isLocalFile()) {
        event->acceptProposedAction();
        inspectFile(urls.first().toLocalFile());
    }
}

} // namespace provbench
