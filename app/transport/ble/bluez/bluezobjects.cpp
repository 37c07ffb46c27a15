#include "app/transport/ble/bluez/bluezobjects.h"

#include "app/core/logging.h"

#include <QDBusArgument>
#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusObjectPath>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QDBusReply>
#include <QPointer>
#include <QTimer>

namespace provbench::ble::bluez {

namespace {

// A stuck bluetoothd must not keep a scan or a connection waiting for the
// D-Bus default of 25 s.
constexpr int kCallTimeoutMs = 5000;

ManagedObjects parse(const QDBusMessage &reply)
{
    ManagedObjects result;
    if (reply.arguments().isEmpty()
        || !reply.arguments().constFirst().canConvert<QDBusArgument>()) {
        result.error = QDBusError(QDBusError::InvalidSignature,
            QStringLiteral("BlueZ answered GetManagedObjects with an unexpected type."));
        return result;
    }
    const auto arg = reply.arguments().constFirst().value<QDBusArgument>();
    arg.beginMap();
    while (!arg.atEnd()) {
        QDBusObjectPath path;
        QMap<QString, QVariantMap> interfaces;
        arg.beginMapEntry();
        arg >> path >> interfaces;
        arg.endMapEntry();
        result.objects.insert(path.path(), interfaces);
    }
    arg.endMap();
    return result;
}

} // namespace

QStringList ManagedObjects::pathsWith(const QString &interface) const
{
    QStringList paths;
    for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
        if (it.value().contains(interface))
            paths.append(it.key());
    }
    return paths;
}

QString ManagedObjects::devicePath(const QString &address) const
{
    const QString device = QString::fromUtf16(kDeviceInterface);
    for (auto it = objects.cbegin(); it != objects.cend(); ++it) {
        const auto iface = it.value().constFind(device);
        if (iface != it.value().cend()
            && iface->value(QStringLiteral("Address"))
                    .toString()
                    .compare(address, Qt::CaseInsensitive)
                == 0)
            return it.key();
    }
    return {};
}

void fetchManagedObjects(QObject *context, std::function<void(const ManagedObjects &)> done)
{
    QDBusConnection bus = QDBusConnection::systemBus();
    if (!bus.isConnected()) {
        ManagedObjects failed;
        failed.error = bus.lastError().isValid()
            ? bus.lastError()
            : QDBusError(
                QDBusError::Disconnected, QStringLiteral("The system D-Bus is not reachable."));
        QTimer::singleShot(0, context, [done, failed] { done(failed); });
        return;
    }
    auto call = QDBusMessage::createMethodCall(QString::fromUtf16(kService), QStringLiteral("/"),
        QStringLiteral("org.freedesktop.DBus.ObjectManager"), QStringLiteral("GetManagedObjects"));
    auto *watcher = new QDBusPendingCallWatcher(bus.asyncCall(call, kCallTimeoutMs), context);
    QObject::connect(
        watcher, &QDBusPendingCallWatcher::finished, context, [done](QDBusPendingCallWatcher *w) {
            w->deleteLater();
            const QDBusMessage reply = w->reply();
            if (reply.type() == QDBusMessage::ErrorMessage) {
                ManagedObjects failed;
                failed.error = QDBusError(reply);
                done(failed);
                return;
            }
            done(parse(reply));
        });
}

AdapterStatus statusFromObjects(const ManagedObjects &objects)
{
    const QStringList adapters = objects.pathsWith(QString::fromUtf16(kAdapterInterface));
    if (adapters.isEmpty())
        return {AdapterProblem::NoAdapter, {}, QStringLiteral("BlueZ lists no adapter.")};
    const QString path = adapters.constFirst();
    const QString name = path.section(QLatin1Char('/'), -1);
    const QVariantMap props
        = objects.objects.value(path).value(QString::fromUtf16(kAdapterInterface));
    if (!props.value(QStringLiteral("Powered")).toBool())
        return {AdapterProblem::AdapterOff, name, QStringLiteral("%1 is powered off.").arg(path)};
    return {AdapterProblem::None, name, {}};
}

AdapterStatus statusFromError(const QDBusError &error)
{
    const QString detail = error.name().isEmpty()
        ? error.message()
        : QStringLiteral("%1: %2").arg(error.name(), error.message());
    switch (error.type()) {
    case QDBusError::AccessDenied:
        return {AdapterProblem::NoPermission, {}, detail};
    case QDBusError::ServiceUnknown:
    case QDBusError::Disconnected:
        return {AdapterProblem::BluezNotRunning, {}, detail};
    default:
        break;
    }
    if (error.name() == QLatin1String("org.freedesktop.DBus.Error.NameHasNoOwner"))
        return {AdapterProblem::BluezNotRunning, {}, detail};
    return {AdapterProblem::Failed, {}, detail};
}

void probeAdapter(QObject *context, std::function<void(const AdapterStatus &)> done)
{
    QDBusConnection bus = QDBusConnection::systemBus();
    if (!bus.isConnected() || !bus.interface()) {
        AdapterStatus status = statusFromError(bus.lastError());
        if (status.problem == AdapterProblem::Failed)
            status.problem = AdapterProblem::BluezNotRunning;
        if (status.detail.isEmpty() || status.detail == QLatin1String(": "))
            status.detail = QStringLiteral("The system D-Bus is not reachable.");
        QTimer::singleShot(0, context, [done, status] { done(status); });
        return;
    }
    const QDBusReply<bool> registered
        = bus.interface()->isServiceRegistered(QString::fromUtf16(kService));
    if (!registered.isValid() || !registered.value()) {
        AdapterStatus status = registered.isValid()
            ? AdapterStatus{AdapterProblem::BluezNotRunning, {},
                QStringLiteral("org.bluez is not registered on the system bus.")}
            : statusFromError(registered.error());
        QTimer::singleShot(0, context, [done, status] { done(status); });
        return;
    }
    fetchManagedObjects(context, [done](const ManagedObjects &objects) {
        if (!objects.ok()) {
            qCInfo(lcTransport) << "BlueZ status check failed:" << objects.error.name()
                                << objects.error.message();
            done(statusFromError(objects.error));
            return;
        }
        done(statusFromObjects(objects));
    });
}

int characteristicMtu(const ManagedObjects &objects, const QString &devicePath)
{
    if (devicePath.isEmpty())
        return 0;
    const QString prefix = devicePath + QLatin1Char('/');
    const QString iface = QString::fromUtf16(kCharacteristicInterface);
    int mtu = 0;
    for (auto it = objects.objects.cbegin(); it != objects.objects.cend(); ++it) {
        if (!it.key().startsWith(prefix))
            continue;
        const auto props = it.value().constFind(iface);
        if (props == it.value().cend())
            continue;
        bool ok = false;
        const int value = props->value(QStringLiteral("MTU")).toInt(&ok);
        if (ok)
            mtu = std::max(mtu, value);
    }
    return mtu;
}

} // namespace provbench::ble::bluez
