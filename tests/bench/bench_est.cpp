// EST enrollments per second over TLS on this machine, beside what they are
// made of, all measured in one run (docs/performance.md):
//
//   tls handshake        a new TLS 1.3 connection to the EST server, nothing else
//   signing              CertificateAuthority::issue alone (CSR check, signature,
//                        issued.jsonl), in-process
//   service, no TLS      EstService::handle: token check, CSR checks, audit
//                        records, signing, token consumption (durable SQLite)
//   enroll, new conn     HTTPS simpleenroll, one new TLS connection each
//   enroll, keep-alive   HTTPS simpleenroll, all on one connection
//
//   bench_est [N enrollments per HTTPS method, default 200]
//
// The server runs on the main thread's event loop, as in `est serve`; the
// client is a second thread with blocking QSslSocket calls (on a 2-core
// machine both ends get a core). Device keys and CSRs are made before the
// clock starts: they are the device's work, not the server's.
#include "app/crypto/certificateauthority.h"
#include "app/onboarding/enrollment/estserver.h"
#include "app/onboarding/enrollment/servercertificate.h"
#include "app/protocol/est/estcodec.h"
#include "app/storage/store/store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QThread>

#include <cstdio>
#include <cstdlib>
#include <functional>

using namespace provbench;
using namespace provbench::enrollment;

namespace {

[[noreturn]] void die(const QString &what)
{
    std::fprintf(stderr, "bench_est: %s\n", qPrintable(what));
    std::exit(1);
}

struct Device
{
    QString id;
    QString token;
    QByteArray csrBody;
};

// Reads one response; returns its status (0 on a broken connection).
int readResponse(QSslSocket &s)
{
    QByteArray buffer;
    for (;;) {
        const qsizetype end = buffer.indexOf("\r\n\r\n");
        if (end >= 0) {
            const qsizetype cl = buffer.toLower().indexOf("content-length:");
            const qsizetype eol = buffer.indexOf("\r\n", cl);
            const qint64 length
                = cl < 0 ? 0 : buffer.mid(cl + 15, eol - cl - 15).trimmed().toLongLong();
            if (buffer.size() >= end + 4 + length)
                return buffer.mid(9, 3).toInt();
        }
        if (!s.waitForReadyRead(30000))
            return 0;
        buffer += s.readAll();
    }
}

QByteArray enrollRequest(const Device &d, bool keepAlive)
{
    return "POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: 127.0.0.1\r\n"
           "Content-Type: application/pkcs10\r\nAuthorization: "
        + est::basicAuthHeader(d.id, d.token.toLatin1())
        + "\r\nContent-Length: " + QByteArray::number(d.csrBody.size()) + "\r\n"
        + (keepAlive ? "" : "Connection: close\r\n") + "\r\n" + d.csrBody;
}

struct Row
{
    const char *name;
    int count;
    qint64 ms;
};

int g_failuresBefore = 0;
int *g_failures = nullptr;

void print(const Row &r)
{
    if (g_failures && *g_failures != g_failuresBefore) {
        std::fprintf(
            stderr, "bench_est: %d failures in '%s'\n", *g_failures - g_failuresBefore, r.name);
        g_failuresBefore = *g_failures;
    }
    const double per = double(r.ms) / r.count;
    std::printf("%-28s %6d %10lld %12.2f %12.1f\n", r.name, r.count, static_cast<long long>(r.ms),
        per, per > 0 ? 1000.0 / per : 0.0);
    std::fflush(stdout);
}

// Runs `work` on a client thread while the main thread serves; returns ms.
qint64 onClientThread(const std::function<void()> &work)
{
    QElapsedTimer timer;
    QEventLoop loop;
    QThread *thread = QThread::create(work);
    QObject::connect(thread, &QThread::finished, &loop, &QEventLoop::quit);
    timer.start();
    thread->start();
    loop.exec();
    const qint64 ms = timer.elapsed();
    thread->wait();
    delete thread;
    return ms;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int n = argc > 1 ? std::atoi(argv[1]) : 200;
    if (n < 1)
        die(QStringLiteral("N must be at least 1"));
    QTemporaryDir dir;
    auto ws = Workspace::open(dir.path());
    auto vault = Vault::create(*ws, "bench passphrase for est");
    if (!vault)
        die(vault.error().message);
    auto ca = crypto::CertificateAuthority::createRoot(*ws, *vault, {});
    if (!ca)
        die(ca.error().message);
    auto store = store::Store::open(QString(), dir.path(), QStringLiteral("bench"));
    if (!store)
        die(store.error().message);
    auto tls = ensureServerCertificate(*ws, *vault, *ca, {});
    if (!tls)
        die(tls.error().message);
    TokenService tokens(**store);
    EstService service(*ca, **store, tokens);
    EstServerOptions options;
    options.maxConnections = 1024;
    EstServer server(service, tls->certificate, tls->key, ca->chain(), options);
    if (auto ok = server.listen(); !ok)
        die(ok.error().message);
    const quint16 port = server.port();

    // Devices: 3 sets of n (service, new connection, keep-alive), prepared up front.
    QList<Device> devices;
    for (int i = 0; i < 3 * n; ++i) {
        Device d;
        d.id = QStringLiteral("bench-%1").arg(i);
        auto key = crypto::Key::generate(profiles::KeyAlgorithm::EcP256);
        auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("CN=") + d.id);
        d.csrBody = est::encodeCsrBody(*csr);
        store::InventoryDevice record;
        record.id = d.id;
        if (!(*store)->inventory().upsert(record))
            die(QStringLiteral("inventory"));
        auto t = tokens.issue(d.id, std::chrono::hours(1), true);
        if (!t)
            die(t.error().message);
        d.token = t->token;
        devices.append(d);
    }
    QSslConfiguration clientTls = QSslConfiguration::defaultConfiguration();
    clientTls.setCaCertificates({QSslCertificate(*ca->certificate().toDer(), QSsl::Der)});

    std::printf("%-28s %6s %10s %12s %12s\n", "what", "count", "total ms", "ms each", "per second");

    // TLS handshake alone.
    int failures = 0;
    g_failures = &failures;
    qint64 ms = onClientThread([&] {
        for (int i = 0; i < n; ++i) {
            QSslSocket s;
            s.setSslConfiguration(clientTls);
            s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
            if (!s.waitForEncrypted(10000))
                ++failures;
            s.disconnectFromHost();
            if (s.state() != QAbstractSocket::UnconnectedState)
                s.waitForDisconnected(1000);
        }
    });
    print({"tls handshake", n, ms});

    // Signing alone.
    {
        auto key = crypto::Key::generate(profiles::KeyAlgorithm::EcP256);
        auto csr = crypto::CertificateRequest::create(*key, QStringLiteral("CN=sign-only"));
        crypto::IssueOptions io;
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < n; ++i) {
            if (!ca->issue(*csr, io))
                ++failures;
        }
        print({"signing (CA issue)", n, timer.elapsed()});
    }

    // The service without sockets.
    {
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < n; ++i) {
            const Device &d = devices[i];
            est::HttpParser parser;
            auto parsed = parser.feed(enrollRequest(d, true));
            if (parsed.requests.size() != 1
                || service.handle(parsed.requests.first(), EstPeer{QStringLiteral("bench"), {}})
                        .status
                    != 200)
                ++failures;
        }
        print({"service, no TLS", n, timer.elapsed()});
    }

    // HTTPS, a new connection per enrollment.
    ms = onClientThread([&] {
        for (int i = n; i < 2 * n; ++i) {
            QSslSocket s;
            s.setSslConfiguration(clientTls);
            s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
            if (!s.waitForEncrypted(10000)) {
                ++failures;
                continue;
            }
            s.write(enrollRequest(devices[i], false));
            if (const int status = readResponse(s); status != 200) {
                std::fprintf(stderr, "new connection: HTTP %d\n", status);
                ++failures;
            }
            s.disconnectFromHost();
        }
    });
    print({"enroll, new TLS connection", n, ms});

    // HTTPS, keep-alive.
    ms = onClientThread([&] {
        QSslSocket s;
        s.setSslConfiguration(clientTls);
        s.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
        if (!s.waitForEncrypted(10000)) {
            failures += n;
            return;
        }
        for (int i = 2 * n; i < 3 * n; ++i) {
            s.write(enrollRequest(devices[i], true));
            if (readResponse(s) != 200)
                ++failures;
        }
        s.disconnectFromHost();
    });
    print({"enroll, keep-alive", n, ms});

    if (failures)
        die(QStringLiteral("%1 operations failed").arg(failures));
    return 0;
}
