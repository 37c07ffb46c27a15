#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QFrame;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace provbench {

class DeviceFilterProxy;
class DeviceModel;
class DeviceRegistry;

// The list of devices, serial and BLE: a filter line, state and transport
// filters, "Probe new ports" (DeviceRegistry::setAutoIdentify), the BLE
// filters (minimum signal, provisionable only) and a sortable table with
// painted state badges and signal bars. When the registry reports that BLE is
// unusable, a banner above the table says why and what to do (with "Try
// again"); it hides itself as soon as the adapter works, and serial devices
// are never affected. Emits currentDeviceChanged with the device id whenever the current
// row changes (an empty id when nothing is selected). Selects the first device
// on its own when devices appear and nothing is selected yet.
class DevicesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DevicesPanel(DeviceRegistry *registry, QWidget *parent = nullptr);

    QString currentDeviceId() const;
    // Selects the row of `id`, clearing the filters if they hide it.
    void selectDevice(const QString &id);

    QTableView *view() const { return m_view; }
    DeviceModel *model() const { return m_model; }

    // The BLE trouble banner (hidden while BLE works).
    QFrame *bleBanner() const { return m_bleBanner; }
    QString bleBannerText() const;

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray &state);
    void resetLayout();

Q_SIGNALS:
    void currentDeviceChanged(const QString &id);

private:
    void applyStateFilter();
    void showBleStatus();
    void syncColumnActions();
    void emitCurrent();
    void selectFirstIfNone();

    DeviceRegistry *m_registry;
    DeviceModel *m_model;
    DeviceFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QComboBox *m_stateCombo;
    QComboBox *m_transportCombo;
    QComboBox *m_signalCombo;
    QCheckBox *m_provisionableOnly;
    QCheckBox *m_presentOnly;
    QCheckBox *m_probe;
    QTableView *m_view;
    QFrame *m_bleBanner;
    QLabel *m_bleBannerText;
    QPushButton *m_bleRetry;
    QString m_lastEmitted;
};

} // namespace provbench
