#include "app/storage/passphrase.h"

#include <QEventLoop>
#include <QStringList>
#include <QTimer>

#ifdef PROVBENCH_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

#include <cstdio>
#include <termios.h>
#include <unistd.h>

namespace provbench {

namespace {

constexpr char kKeychainService[] = "ProvBench";
constexpr int kMaxPassphraseBytes = 1024;

// Reads one line from fd 0 without stdio buffering beyond the line itself.
Result<QByteArray> readLine()
{
    QByteArray line;
    char c = 0;
    while (true) {
        const ssize_t n = ::read(STDIN_FILENO, &c, 1);
        if (n < 0)
            return fail(
                Error::Code::Io, QStringLiteral("Reading the passphrase from stdin failed."));
        if (n == 0 || c == '\n')
            break;
        if (line.size() >= kMaxPassphraseBytes)
            return fail(Error::Code::InvalidArgument,
                QStringLiteral("The line on stdin is longer than %1 bytes: is it a passphrase?")
                    .arg(kMaxPassphraseBytes));
        line.append(c);
    }
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}

} // namespace

EnvironmentSource::EnvironmentSource(QByteArray variable) : m_variable(std::move(variable)) { }

QString EnvironmentSource::name() const
{
    return QStringLiteral("$") + QString::fromLatin1(m_variable);
}

Result<QByteArray> EnvironmentSource::passphrase()
{
    const QByteArray value = qgetenv(m_variable.constData());
    if (value.isEmpty())
        return fail(Error::Code::NotFound, QStringLiteral("%1 is not set").arg(name()));
    return value;
}

StdinSource::StdinSource(QString prompt) : m_prompt(std::move(prompt)) { }

QString StdinSource::name() const
{
    return QStringLiteral("stdin");
}

Result<QByteArray> StdinSource::passphrase()
{
    if (m_cached)
        return *m_cached;
    const bool tty = ::isatty(STDIN_FILENO) == 1;
    termios saved{};
    const bool echoOff = tty && ::tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        std::fputs(m_prompt.toLocal8Bit().constData(), stderr);
        std::fflush(stderr);
    }
    if (echoOff) {
        termios quiet = saved;
        quiet.c_lflag &= ~tcflag_t(ECHO);
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    auto line = readLine();
    if (echoOff)
        ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    if (tty) {
        std::fputs("\n", stderr);
        std::fflush(stderr);
    }
    if (line && line->isEmpty())
        line = fail(Error::Code::NotFound, QStringLiteral("stdin gave no line"));
    m_cached = line;
    return line;
}

KeychainSource::KeychainSource(QString workspacePath, int timeoutMs)
    : m_workspacePath(std::move(workspacePath)), m_timeoutMs(timeoutMs)
{
}

QString KeychainSource::name() const
{
    return QStringLiteral("the keyring");
}

bool KeychainSource::isCompiledIn()
{
#ifdef PROVBENCH_HAVE_KEYCHAIN
    return true;
#else
    return false;
#endif
}

#ifdef PROVBENCH_HAVE_KEYCHAIN
namespace {

// Runs a keychain job to completion; fails on a job error or the timeout.
Result<void> runJob(QKeychain::Job &job, int timeoutMs, const QString &what)
{
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    bool finished = false;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, [&] {
        finished = true;
        loop.quit();
    });
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    job.setAutoDelete(false);
    job.start();
    timer.start(timeoutMs);
    if (!finished)
        loop.exec();
    if (!finished)
        return fail(Error::Code::Timeout,
            QStringLiteral("the keyring did not answer within %1 s while %2")
                .arg(timeoutMs / 1000)
                .arg(what));
    if (job.error() == QKeychain::EntryNotFound)
        return fail(Error::Code::NotFound,
            QStringLiteral("the keyring has no passphrase for this workspace"));
    if (job.error() != QKeychain::NoError)
        return fail(Error::Code::Unsupported,
            QStringLiteral("the keyring cannot be used (%1) while %2; no Secret Service or "
                           "KWallet is running")
                .arg(job.errorString(), what));
    return {};
}

} // namespace
#endif

Result<QByteArray> KeychainSource::passphrase()
{
#ifdef PROVBENCH_HAVE_KEYCHAIN
    QKeychain::ReadPasswordJob job(QString::fromLatin1(kKeychainService));
    job.setKey(m_workspacePath);
    if (auto ok = runJob(job, m_timeoutMs, QStringLiteral("reading the passphrase")); !ok)
        return std::unexpected(ok.error());
    QByteArray value = job.binaryData();
    if (value.isEmpty())
        value = job.textData().toUtf8();
    if (value.isEmpty())
        return fail(Error::Code::NotFound,
            QStringLiteral("the keyring has an empty entry for this workspace"));
    return value;
#else
    return fail(Error::Code::Unsupported,
        QStringLiteral("this build of ProvBench has no keyring support (qtkeychain)"));
#endif
}

Result<void> KeychainSource::store(const QByteArray &passphrase)
{
#ifdef PROVBENCH_HAVE_KEYCHAIN
    QKeychain::WritePasswordJob job(QString::fromLatin1(kKeychainService));
    job.setKey(m_workspacePath);
    job.setBinaryData(passphrase);
    auto ok = runJob(job, m_timeoutMs, QStringLiteral("storing the passphrase"));
    if (!ok)
        return fail(ok.error().code,
            QStringLiteral("Cannot store the passphrase: %1. Keep it in $PROVBENCH_PASSPHRASE "
                           "or type it when asked.")
                .arg(ok.error().message));
    return {};
#else
    Q_UNUSED(passphrase);
    return fail(Error::Code::Unsupported,
        QStringLiteral("This build of ProvBench has no keyring support (qtkeychain): keep the "
                       "passphrase in $PROVBENCH_PASSPHRASE or type it when asked."));
#endif
}

void PassphraseChain::append(std::unique_ptr<PassphraseSource> source)
{
    m_sources.append(std::shared_ptr<PassphraseSource>(std::move(source)));
}

QString PassphraseChain::name() const
{
    QStringList names;
    for (const auto &s : m_sources)
        names.append(s->name());
    return names.join(QStringLiteral(", "));
}

Result<QByteArray> PassphraseChain::passphrase()
{
    QStringList reasons;
    for (const auto &source : m_sources) {
        auto value = source->passphrase();
        if (value)
            return value;
        reasons.append(value.error().message);
    }
    QString message = QStringLiteral("No vault passphrase: set $PROVBENCH_PASSPHRASE, pipe it on "
                                     "stdin, or store it in the keyring.");
    if (!reasons.isEmpty())
        message += QStringLiteral(" (%1)").arg(reasons.join(QStringLiteral("; ")));
    return fail(Error::Code::NotFound, message);
}

} // namespace provbench
