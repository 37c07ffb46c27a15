#include "app/transport/ble/systembackend.h"

#include "app/transport/ble/blescanner.h"

#if __has_include("app/transport/ble/bluez/bluezbackend.h")
#include "app/transport/ble/bluez/bluezbackend.h"
#define PROVBENCH_HAVE_BLUEZ_BACKEND 1
#endif

#include <QTimer>

namespace provbench::ble {

namespace {

// For builds without a platform backend: every scan and connection fails
// with a message that says so, instead of pretending to find nothing.
class UnavailableBackend : public Backend
{
public:
    static AdapterStatus status()
    {
        return AdapterStatus{AdapterProblem::Failed, {},
            QStringLiteral("this build of ProvBench has no Bluetooth backend for this platform")};
    }

    class NoScanner : public Scanner
    {
    public:
        using Scanner::Scanner;
        void start() override
        {
            QTimer::singleShot(0, this, [this] { Q_EMIT statusChanged(status()); });
        }
        void stop() override { }
        bool isActive() const override { return false; }
        AdapterStatus status() const override { return UnavailableBackend::status(); }
    };

    QString name() const override { return QStringLiteral("none"); }
    Scanner *createScanner(QObject *parent) override { return new NoScanner(parent); }
    GattConnection *createConnection(const QString &, QObject *) override { return nullptr; }
};

} // namespace

std::unique_ptr<Backend> createSystemBackend()
{
#ifdef PROVBENCH_HAVE_BLUEZ_BACKEND
    return std::make_unique<BluezBackend>();
#else
    return std::make_unique<UnavailableBackend>();
#endif
}

} // namespace provbench::ble
