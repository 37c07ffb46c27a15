#pragma once

#include "app/profiles/profile.h"

#include <QFrame>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace provbench {

class DeviceRegistry;
class ProfileBinder;

// What a profile's naming and address templates give one device, recomputed
// on every change. The device is an editable sample, or one of the devices on
// the Devices page (setDevices); with devices present, the preview also
// reports every hostname, device name or static address that two of them
// would share.
class NamingPreview : public QFrame
{
    Q_OBJECT
public:
    NamingPreview(ProfileBinder *binder, QWidget *parent = nullptr);

    void setDevices(DeviceRegistry *devices);

private:
    void refillDevices();
    void deviceChosen();
    void update();
    QString labelFor(const QString &inventoryLabel) const;

    ProfileBinder *m_binder;
    DeviceRegistry *m_devices = nullptr;
    QComboBox *m_device;
    QLineEdit *m_serial;
    QLineEdit *m_mac;
    QSpinBox *m_seq;
    QLabel *m_result;
    QLabel *m_inventory;
};

} // namespace provbench
