#include "app/cli/clivault.h"

#include "app/storage/passphrase.h"

namespace provbench::cli {

QCommandLineOption workspaceOption()
{
    return QCommandLineOption(QStringLiteral("workspace"),
        QStringLiteral("Workspace folder (default: $PROVBENCH_WORKSPACE, else the user's data "
                       "folder)."),
        QStringLiteral("DIR"));
}

QString workspaceArgument(const QCommandLineParser &parser)
{
    const QString value = parser.value(QStringLiteral("workspace"));
    return value.isEmpty() ? Workspace::defaultPath() : value;
}

Result<QByteArray> readVaultPassphrase()
{
    // One StdinSource per process: a second prompt must not eat a second line.
    static PassphraseChain chain = [] {
        PassphraseChain c;
        c.append(std::make_unique<EnvironmentSource>());
        c.append(std::make_unique<StdinSource>());
        return c;
    }();
    auto passphrase = chain.passphrase();
    // No passphrase is a usage problem (exit 2), not a missing port.
    if (!passphrase && passphrase.error().code == Error::Code::NotFound)
        return fail(Error::Code::InvalidArgument, passphrase.error().message);
    return passphrase;
}

Result<WorkspaceVault> openWorkspaceAndVault(const QString &workspacePath, VaultMode mode)
{
    auto ws = Workspace::open(workspacePath);
    if (!ws)
        return std::unexpected(ws.error());
    auto passphrase = readVaultPassphrase();
    if (!passphrase)
        return std::unexpected(passphrase.error());
    auto vault = mode == VaultMode::CreateIfMissing && !Vault::exists(*ws)
        ? Vault::create(*ws, *passphrase)
        : Vault::unlock(*ws, *passphrase);
    if (!vault)
        return std::unexpected(vault.error());
    return WorkspaceVault{*ws, std::move(*vault)};
}

Result<WorkspaceVault> openWorkspaceAndVault(const QCommandLineParser &parser, VaultMode mode)
{
    return openWorkspaceAndVault(workspaceArgument(parser), mode);
}

Result<QByteArray> secretFromEnv(const QString &variable, const QString &what)
{
    const QByteArray value = qgetenv(variable.toLatin1().constData());
    if (value.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("$%1 is empty or not set: put %2 in it (the variable's name is given "
                           "so the secret never appears on the command line).")
                .arg(variable, what));
    return value;
}

} // namespace provbench::cli
