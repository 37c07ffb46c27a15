#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <memory>

// Where the vault passphrase comes from. Each source either gives a
// passphrase, reports that it has none (Code::NotFound: try the next one), or
// fails (any other code: a keyring that cannot be reached, ...). A chain tries
// its sources in order and fails closed: when none gives a passphrase the
// result is an error, never an empty or default passphrase, and never a
// passphrase read from a plaintext file.
namespace provbench {

class PassphraseSource
{
public:
    virtual ~PassphraseSource() = default;
    // "$PROVBENCH_PASSPHRASE", "stdin", "the keyring" (for messages).
    virtual QString name() const = 0;
    virtual Result<QByteArray> passphrase() = 0;
};

// An environment variable ($PROVBENCH_PASSPHRASE by default).
class EnvironmentSource : public PassphraseSource
{
public:
    explicit EnvironmentSource(QByteArray variable = "PROVBENCH_PASSPHRASE");
    QString name() const override;
    Result<QByteArray> passphrase() override;

private:
    QByteArray m_variable;
};

// One line of standard input (without the line break). On a terminal the
// line is read with echo off after `prompt` on stderr. Reads once: later
// calls return the same line, so several prompts do not consume several lines.
class StdinSource : public PassphraseSource
{
public:
    explicit StdinSource(QString prompt = QStringLiteral("Vault passphrase: "));
    QString name() const override;
    Result<QByteArray> passphrase() override;

private:
    QString m_prompt;
    std::optional<Result<QByteArray>> m_cached;
};

// The OS keyring through qtkeychain: service "ProvBench", key = the workspace
// path. Without qtkeychain in the build, or without a reachable keyring
// (Secret Service, KWallet), passphrase() fails with a message that says so.
// Blocks on a local event loop for at most `timeoutMs`.
class KeychainSource : public PassphraseSource
{
public:
    explicit KeychainSource(QString workspacePath, int timeoutMs = 10000);
    QString name() const override;
    Result<QByteArray> passphrase() override;
    // Saves the passphrase for this workspace in the keyring.
    Result<void> store(const QByteArray &passphrase);
    static bool isCompiledIn();

private:
    QString m_workspacePath;
    int m_timeoutMs;
};

class PassphraseChain : public PassphraseSource
{
public:
    void append(std::unique_ptr<PassphraseSource> source);
    QString name() const override;
    // The first passphrase a source gives. None: Code::NotFound with "no vault
    // passphrase: set $PROVBENCH_PASSPHRASE, pipe it on stdin, or store it in
    // the keyring", followed by what each source reported.
    Result<QByteArray> passphrase() override;

private:
    QList<std::shared_ptr<PassphraseSource>> m_sources;
};

} // namespace provbench
