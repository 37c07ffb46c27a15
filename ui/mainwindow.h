#pragma once

#include <QMainWindow>

class QLabel;
class QSplitter;

namespace provbench {

class DeviceDetailPanel;
class DevicesPanel;
class TracePanel;
class Workbench;

// Wires the panels together and nothing more: the devices list drives the
// detail and trace panels; the menus add a port path, reset the layout and
// show About; the status bar counts devices per state. In demo mode a banner
// names the simulator folder and the demo Wi-Fi credentials. Geometry, window
// state, splitter sizes and column widths persist through QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Workbench *workbench, QWidget *parent = nullptr);
    ~MainWindow() override;

    DevicesPanel *devicesPanel() const { return m_devices; }
    DeviceDetailPanel *detailPanel() const { return m_detail; }
    TracePanel *tracePanel() const { return m_trace; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildMenus();
    void showDevice(const QString &id);
    void updateStatus();
    void addPortPath();
    void resetLayout();
    void saveSettings() const;
    void restoreSettings();

    Workbench *m_workbench;
    DevicesPanel *m_devices;
    DeviceDetailPanel *m_detail;
    TracePanel *m_trace;
    QSplitter *m_vertical;
    QSplitter *m_horizontal;
    QLabel *m_counts;
};

} // namespace provbench
