#pragma once

#include <QGroupBox>
#include <QHash>

class QFormLayout;
class QLabel;

namespace provbench {

struct DeviceRecord;

// The "Identity" box of the detail panel: two columns of facts about one
// device record. The first four rows say how the device is reached: port,
// USB bridge, VID:PID and serial number for a serial device; address, signal
// (RSSI, bars, last seen), what it advertises and its Improv state (or its
// connection) for a BLE device. Then protocols, URL, and what the device
// reported about itself. Values are selectable; field labels are named
// "field_<key>" for tests.
class DeviceIdentityView : public QGroupBox
{
    Q_OBJECT
public:
    explicit DeviceIdentityView(QWidget *parent = nullptr);

    void showRecord(const DeviceRecord &record);
    QLabel *field(const QString &key) const { return m_fields.value(key); }

private:
    void addField(QFormLayout *form, const QString &key, const QString &label);
    void setFieldLabel(const QString &key, const QString &text);
    void setField(const QString &key, const QString &text);

    QHash<QString, QLabel *> m_fields;
    QHash<QString, QFormLayout *> m_forms; // to relabel a field's row
};

} // namespace provbench
