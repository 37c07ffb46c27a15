#pragma once

#include "app/core/error.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"

#include <QCommandLineOption>
#include <QCommandLineParser>

// Workspace and vault for CLI commands. Every command that touches secrets
// takes --workspace DIR (default: Workspace::defaultPath()) and reads the
// vault passphrase from $PROVBENCH_PASSPHRASE or, failing that, one line of
// stdin (typed without echo on a terminal). Nothing else is tried, so a
// script without either fails closed with a message that says what to set.
namespace provbench::cli {

QCommandLineOption workspaceOption();
// The --workspace value, or Workspace::defaultPath().
QString workspaceArgument(const QCommandLineParser &parser);

struct WorkspaceVault
{
    Workspace workspace;
    Vault vault;
};

enum class VaultMode {
    Unlock,         // the vault must exist
    CreateIfMissing // `ca init`, `ca import`: a new workspace gets its vault
};

// Opens the workspace named by --workspace and unlocks (or creates) its vault.
Result<WorkspaceVault> openWorkspaceAndVault(
    const QCommandLineParser &parser, VaultMode mode = VaultMode::Unlock);
Result<WorkspaceVault> openWorkspaceAndVault(const QString &workspacePath, VaultMode mode);

// The passphrase as the CLI reads it ($PROVBENCH_PASSPHRASE, then stdin).
Result<QByteArray> readVaultPassphrase();

// The value of the environment variable named by an option such as
// --password-env VAR; `what` names the secret for messages.
Result<QByteArray> secretFromEnv(const QString &variable, const QString &what);

} // namespace provbench::cli
