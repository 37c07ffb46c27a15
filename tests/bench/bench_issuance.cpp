// Per-device credential issuance, measured: an EC P-256 key, a CSR and a
// certificate from the workspace CA, N times, in three ways in the same run:
//
//   engine            Key::generate + CertificateRequest::create + CA::issue
//                     (issue includes the issued.jsonl record, as in the product)
//   engine + PKCS#8   the same, plus the key encrypted for storage (scrypt N=2^14)
//   openssl CLI       `openssl genpkey`, `openssl req -new`, `openssl x509 -req`
//                     per device, as a shell script would do it (QProcess)
//
//   bench_issuance [N] [openssl-N]       (defaults 200 and 50)
//
// Not a ctest test: run it on demand and copy the table into docs/performance.md.
#include "app/crypto/certificateauthority.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>

#include <cstdio>

using namespace provbench;
using namespace provbench::crypto;

namespace {

struct Row
{
    const char *name;
    int devices = 0;
    qint64 ms = 0;
};

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "bench_issuance: %s\n", qPrintable(what));
    std::exit(1);
}

template<typename T> T must(Result<T> r)
{
    if (!r)
        die(r.error().message);
    return std::move(*r);
}

bool run(const QStringList &args)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("openssl"), args);
    const bool ok
        = p.waitForFinished(60000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!ok)
        std::fprintf(stderr, "%s\n", p.readAll().constData());
    return ok;
}

Row engine(const CertificateAuthority &ca, const Vault *vault, int n, const char *name)
{
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i) {
        const Key key = must(Key::generate(KeyAlgorithm::EcP256));
        const QString subject = QStringLiteral("CN=dev-%1").arg(i);
        const CertificateRequest csr = must(CertificateRequest::create(key, subject));
        IssueOptions opts;
        opts.subject = subject;
        must(ca.issue(csr, opts));
        if (vault)
            must(vault->encryptPrivateKey(key));
    }
    return {name, n, t.elapsed()};
}

Row opensslCli(const QString &dir, int n)
{
    const QString caKey = dir + QStringLiteral("/ca.key");
    const QString caCert = dir + QStringLiteral("/ca.pem");
    if (!run({QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
            QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
            QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
            QStringLiteral("-keyout"), caKey, QStringLiteral("-out"), caCert,
            QStringLiteral("-days"), QStringLiteral("3650"), QStringLiteral("-subj"),
            QStringLiteral("/CN=Bench CA")}))
        die(QStringLiteral("openssl could not make the CA"));
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < n; ++i) {
        const QString base = dir + QStringLiteral("/dev-%1").arg(i);
        const QString key = base + QStringLiteral(".key");
        const QString csr = base + QStringLiteral(".csr");
        const QString cert = base + QStringLiteral(".pem");
        if (!run({QStringLiteral("genpkey"), QStringLiteral("-algorithm"), QStringLiteral("EC"),
                QStringLiteral("-pkeyopt"), QStringLiteral("ec_paramgen_curve:P-256"),
                QStringLiteral("-out"), key})
            || !run({QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-key"), key,
                QStringLiteral("-subj"), QStringLiteral("/CN=dev-%1").arg(i),
                QStringLiteral("-out"), csr})
            || !run({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"), csr,
                QStringLiteral("-CA"), caCert, QStringLiteral("-CAkey"), caKey,
                QStringLiteral("-CAcreateserial"), QStringLiteral("-days"), QStringLiteral("365"),
                QStringLiteral("-sha256"), QStringLiteral("-out"), cert}))
            die(QStringLiteral("openssl failed for device %1").arg(i));
    }
    return {"openssl CLI (3 processes)", n, t.elapsed()};
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    const int n = args.size() > 1 ? args.at(1).toInt() : 200;
    const int nCli = args.size() > 2 ? args.at(2).toInt() : 50;
    if (n < 1 || nCli < 1)
        die(QStringLiteral("usage: bench_issuance [N] [openssl-N]"));

    QTemporaryDir tmp;
    auto ws = must(Workspace::open(tmp.filePath(QStringLiteral("ws"))));
    Vault vault = must(Vault::create(ws, "benchmark passphrase"));
    const CertificateAuthority ca = must(CertificateAuthority::createRoot(ws, vault, {}));

    QList<Row> rows;
    rows.append(engine(ca, nullptr, n, "engine: key + CSR + cert"));
    rows.append(engine(ca, &vault, n, "engine + encrypted PKCS#8"));
    rows.append(opensslCli(tmp.filePath(QString()), nCli));

    std::printf(
        "%-30s %8s %10s %12s %14s\n", "method", "devices", "total ms", "ms/device", "devices/s");
    for (const Row &r : rows)
        std::printf("%-30s %8d %10lld %12.2f %14.1f\n", r.name, r.devices, r.ms,
            double(r.ms) / r.devices, r.ms > 0 ? 1000.0 * r.devices / double(r.ms) : 0.0);
    return 0;
}
