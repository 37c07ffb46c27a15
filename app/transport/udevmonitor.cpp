#include "app/transport/udevmonitor.h"

#include "app/core/logging.h"

#include <QFileInfo>
#include <QSocketNotifier>

#ifdef PROVBENCH_HAVE_UDEV
#include <libudev.h>
#endif

namespace provbench {

struct UdevMonitor::Private
{
#ifdef PROVBENCH_HAVE_UDEV
    udev *context = nullptr;
    udev_monitor *monitor = nullptr;
#endif
    QSocketNotifier *notifier = nullptr;
};

UdevMonitor::UdevMonitor(QObject *parent) : QObject(parent), d(std::make_unique<Private>()) { }

UdevMonitor::~UdevMonitor()
{
#ifdef PROVBENCH_HAVE_UDEV
    if (d->monitor)
        udev_monitor_unref(d->monitor);
    if (d->context)
        udev_unref(d->context);
#endif
}

UdevMonitor *UdevMonitor::create(QObject *parent)
{
#ifdef PROVBENCH_HAVE_UDEV
    // Without a running udevd (containers, minimal chroots) the netlink socket
    // opens fine but never delivers an event; polling is the only honest option.
    if (!QFileInfo::exists(QStringLiteral("/run/udev/control")))
        return nullptr;
    std::unique_ptr<UdevMonitor> self(new UdevMonitor(parent));
    self->d->context = udev_new();
    if (!self->d->context)
        return nullptr;
    self->d->monitor = udev_monitor_new_from_netlink(self->d->context, "udev");
    if (!self->d->monitor)
        return nullptr;
    if (udev_monitor_filter_add_match_subsystem_devtype(self->d->monitor, "tty", nullptr) < 0
        || udev_monitor_enable_receiving(self->d->monitor) < 0) {
        qCInfo(lcTransport) << "udev monitor unavailable; falling back to polling";
        return nullptr;
    }
    const int fd = udev_monitor_get_fd(self->d->monitor);
    if (fd < 0)
        return nullptr;
    UdevMonitor *raw = self.get();
    raw->d->notifier = new QSocketNotifier(fd, QSocketNotifier::Read, raw);
    connect(raw->d->notifier, &QSocketNotifier::activated, raw, [raw] {
        // Drain every queued event, then report once.
        while (udev_device *dev = udev_monitor_receive_device(raw->d->monitor))
            udev_device_unref(dev);
        Q_EMIT raw->ttyChanged();
    });
    return self.release();
#else
    Q_UNUSED(parent);
    return nullptr;
#endif
}

} // namespace provbench
