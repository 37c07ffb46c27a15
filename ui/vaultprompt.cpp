#include "ui/vaultprompt.h"

#include "app/storage/passphrase.h"
#include "app/storage/workspace.h"

#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHash>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace provbench {

namespace {

QHash<QString, std::shared_ptr<const Vault>> &cache()
{
    static QHash<QString, std::shared_ptr<const Vault>> vaults;
    return vaults;
}

// Asks for the passphrase; `create` asks twice and enforces the minimum length.
class PassphraseDialog : public QDialog
{
public:
    PassphraseDialog(const QString &workspacePath, bool create, QWidget *parent)
        : QDialog(parent),
          m_create(create),
          m_passphrase(new QLineEdit(this)),
          m_repeat(new QLineEdit(this)),
          m_error(new QLabel(this)),
          m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
    {
        setObjectName(QStringLiteral("vaultPassphraseDialog"));
        setWindowTitle(
            create ? tr("Create the Workspace Vault") : tr("Unlock the Workspace Vault"));
        auto *intro = new QLabel(create
                ? tr("This workspace has no vault yet. The vault encrypts the CA key and every "
                     "key made on the bench (scrypt + AES-256), and keys the credential ledger. "
                     "Choose a passphrase of at least %1 characters: there is no way to recover "
                     "the keys without it.")
                      .arg(Vault::kMinPassphraseLength)
                : tr("The vault of %1 holds the CA key and the credential ledger key. Enter its "
                     "passphrase to unlock it for this session.")
                      .arg(workspacePath),
            this);
        intro->setWordWrap(true);
        for (QLineEdit *edit : {m_passphrase, m_repeat}) {
            edit->setEchoMode(QLineEdit::Password);
            edit->setMinimumWidth(320);
            connect(edit, &QLineEdit::textChanged, this, &PassphraseDialog::check);
        }
        m_passphrase->setObjectName(QStringLiteral("vaultPassphrase"));
        m_repeat->setObjectName(QStringLiteral("vaultPassphraseRepeat"));
        m_error->setObjectName(QStringLiteral("vaultError"));
        m_error->setWordWrap(true);
        m_error->setStyleSheet(QStringLiteral("QLabel { color: #991b1b; }"));
        m_error->hide();

        auto *form = new QFormLayout;
        form->addRow(tr("Passphrase:"), m_passphrase);
        if (create)
            form->addRow(tr("Repeat:"), m_repeat);
        else
            m_repeat->hide();
        if (KeychainSource::isCompiledIn()) {
            m_remember = new QCheckBox(tr("Remember in the keyring"), this);
            m_remember->setObjectName(QStringLiteral("rememberInKeyring"));
            m_remember->setToolTip(
                tr("Store the passphrase in the desktop keyring so this workspace unlocks "
                   "without asking."));
            form->addRow(QString(), m_remember);
        }
        connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

        auto *layout = new QVBoxLayout(this);
        layout->addWidget(intro);
        layout->addLayout(form);
        layout->addWidget(m_error);
        layout->addWidget(m_buttons);
        check();
    }

    QByteArray passphrase() const { return m_passphrase->text().toUtf8(); }
    bool remember() const { return m_remember && m_remember->isChecked(); }
    void showError(const QString &text)
    {
        m_error->setText(text);
        m_error->setVisible(!text.isEmpty());
        m_passphrase->selectAll();
        m_passphrase->setFocus();
    }
    void clear()
    {
        m_passphrase->clear();
        m_repeat->clear();
    }

private:
    void check()
    {
        QString problem;
        if (m_create) {
            const qsizetype n = m_passphrase->text().size();
            if (n > 0 && n < Vault::kMinPassphraseLength)
                problem = tr("%1 more characters: a short passphrase can be guessed by anyone who "
                             "copies the workspace.")
                              .arg(Vault::kMinPassphraseLength - n);
            else if (!m_repeat->text().isEmpty() && m_repeat->text() != m_passphrase->text())
                problem = tr("The two passphrases differ.");
        }
        m_error->setText(problem);
        m_error->setVisible(!problem.isEmpty());
        const bool ok = m_create ? m_passphrase->text().size() >= Vault::kMinPassphraseLength
                && m_repeat->text() == m_passphrase->text()
                                 : !m_passphrase->text().isEmpty();
        m_buttons->button(QDialogButtonBox::Ok)->setEnabled(ok);
    }

    bool m_create;
    QLineEdit *m_passphrase;
    QLineEdit *m_repeat;
    QLabel *m_error;
    QCheckBox *m_remember = nullptr;
    QDialogButtonBox *m_buttons;
};

Error cancelled(bool create)
{
    return Error::make(Error::Code::InvalidArgument,
        create ? QCoreApplication::translate("VaultPrompt",
            "No vault was created, so nothing that needs the CA or the credential "
            "ledger was done.")
               : QCoreApplication::translate("VaultPrompt",
                   "The vault stays locked, so nothing that needs the CA or the credential "
                   "ledger was done."));
}

} // namespace

Result<std::shared_ptr<const Vault>> VaultPrompt::vault(
    const Workspace &workspace, QWidget *parent, Mode mode)
{
    if (auto known = cached(workspace.path()))
        return known;
    const bool create = !Vault::exists(workspace);
    if (create && mode == Mode::Unlock)
        return fail(Error::Code::NotFound,
            QCoreApplication::translate("VaultPrompt",
                "This workspace has no vault yet: create the CA on the Credentials page first."));

    // The keyring first; any failure there just means asking.
    if (!create && KeychainSource::isCompiledIn()) {
        KeychainSource keyring(workspace.path(), 3000);
        if (auto stored = keyring.passphrase()) {
            if (auto unlocked = Vault::unlock(workspace, *stored)) {
                remember(std::move(*unlocked));
                return cached(workspace.path());
            }
        }
    }

    PassphraseDialog dialog(workspace.path(), create, parent);
    for (;;) {
        if (dialog.exec() != QDialog::Accepted)
            return std::unexpected(cancelled(create));
        QByteArray passphrase = dialog.passphrase();
        auto opened
            = create ? Vault::create(workspace, passphrase) : Vault::unlock(workspace, passphrase);
        if (!opened) {
            passphrase.fill('\0');
            dialog.showError(opened.error().message);
            continue;
        }
        QString warning;
        if (dialog.remember()) {
            KeychainSource keyring(workspace.path(), 3000);
            if (auto stored = keyring.store(passphrase); !stored)
                warning = stored.error().message;
        }
        passphrase.fill('\0');
        dialog.clear();
        remember(std::move(*opened));
        if (!warning.isEmpty())
            qWarning("keyring: %s", qUtf8Printable(warning));
        return cached(workspace.path());
    }
}

std::shared_ptr<const Vault> VaultPrompt::cached(const QString &workspacePath)
{
    return cache().value(workspacePath);
}

void VaultPrompt::remember(Vault vault)
{
    const QString path = vault.workspacePath();
    cache().insert(path, std::make_shared<const Vault>(std::move(vault)));
}

void VaultPrompt::forget(const QString &workspacePath)
{
    cache().remove(workspacePath);
}

} // namespace provbench
