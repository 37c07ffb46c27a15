#pragma once

#include "app/core/error.h"
#include "app/storage/vault.h"

#include <QString>

#include <memory>

class QWidget;

namespace provbench {

class Workspace;

// The GUI's way to the workspace vault. The passphrase comes from the OS
// keyring (qtkeychain, when compiled in) or from the user in a password
// dialog; the unlocked Vault is kept in memory for the rest of the session,
// one per workspace, never on disk. Without a vault, CreateIfMissing offers
// to make one (passphrase twice, at least Vault::kMinPassphraseLength
// characters). Cancel or no passphrase fails closed with a message that says
// what was not done; there is no plaintext fallback.
class VaultPrompt
{
public:
    enum class Mode { Unlock, CreateIfMissing };

    // The cached vault of `workspace`, else asks (modal, over `parent`).
    static Result<std::shared_ptr<const Vault>> vault(
        const Workspace &workspace, QWidget *parent, Mode mode = Mode::Unlock);
    // The cached vault without asking; null when the vault is locked.
    static std::shared_ptr<const Vault> cached(const QString &workspacePath);
    // Puts an unlocked vault in the cache (tests, and a vault just created).
    static void remember(Vault vault);
    // Locks the workspace again (the next use asks).
    static void forget(const QString &workspacePath);
};

} // namespace provbench
