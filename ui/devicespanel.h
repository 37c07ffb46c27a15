#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QTableView;

namespace provbench {

class DeviceFilterProxy;
class DeviceModel;
class DeviceRegistry;

// The list of devices: a filter line, a state filter, "Probe new ports"
// (DeviceRegistry::setAutoIdentify) and a sortable table with painted state
// badges. Emits currentDeviceChanged with the device id whenever the current
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

    QByteArray saveHeaderState() const;
    void restoreHeaderState(const QByteArray &state);
    void resetLayout();

Q_SIGNALS:
    void currentDeviceChanged(const QString &id);

private:
    void applyStateFilter();
    void emitCurrent();
    void selectFirstIfNone();

    DeviceRegistry *m_registry;
    DeviceModel *m_model;
    DeviceFilterProxy *m_proxy;
    QLineEdit *m_filter;
    QComboBox *m_stateCombo;
    QCheckBox *m_presentOnly;
    QCheckBox *m_probe;
    QTableView *m_view;
    QString m_lastEmitted;
};

} // namespace provbench
