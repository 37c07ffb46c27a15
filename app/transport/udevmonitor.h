#pragma once

#include <QObject>

#include <memory>

namespace provbench {

// Tells when the kernel adds or removes a tty device, through a libudev
// monitor on the netlink socket watched by a QSocketNotifier: no polling and
// no thread. create() returns nullptr where udev is unavailable (not built
// with libudev, or no udev in a container); callers then poll instead.
class UdevMonitor : public QObject
{
    Q_OBJECT
public:
    static UdevMonitor *create(QObject *parent = nullptr);
    ~UdevMonitor() override;

Q_SIGNALS:
    void ttyChanged();

private:
    explicit UdevMonitor(QObject *parent);
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace provbench
