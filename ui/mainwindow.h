#pragma once

#include <QMainWindow>

class QLabel;
class QSplitter;
class QTabWidget;

namespace provbench {

class BatchPanel;
class BoardPanel;
class ComparePanel;
class CredentialsPanel;
class DeviceDetailPanel;
class DeviceSession;
class DevicesPanel;
class EnrollmentPanel;
class ProfilesPanel;
class TracePanel;
class Workbench;

// Wires the panels together and nothing more. Seven pages: Devices (the
// devices list drives the detail and trace panels), Profiles (library and
// editor), Compare and Credentials (the workspace CA; a device's "Write
// credentials" opens the dialog), Enrollment (the built-in EST service; its
// "Go to Credentials" leads to the CA), Board (every device's onboarding
// journey; a double-click leads back to Devices) and Batch (commission every
// device that appears, several at once, from a CSV). Leaving the Profiles page or closing the
// window with unsaved profile changes asks first. The menus add a port path, switch pages, reset
// the layout and show About; the status bar counts devices per state. In demo mode a banner names
// the simulator folder and the demo Wi-Fi credentials. Geometry, window state, the current page,
// splitter sizes and column widths persist through QSettings.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Workbench *workbench, QWidget *parent = nullptr);
    ~MainWindow() override;

    DevicesPanel *devicesPanel() const { return m_devices; }
    DeviceDetailPanel *detailPanel() const { return m_detail; }
    TracePanel *tracePanel() const { return m_trace; }
    ProfilesPanel *profilesPanel() const { return m_profiles; }
    ComparePanel *comparePanel() const { return m_compare; }
    // The onboarding board (tab "Board", --page board); it opens the workspace
    // store the first time it is shown.
    BoardPanel *boardPanel() const { return m_board; }
    // The Batch page (tab "Batch", --page batch).
    BatchPanel *batchPanel() const { return m_batch; }
    CredentialsPanel *credentialsPanel() const { return m_credentials; }
    EnrollmentPanel *enrollmentPanel() const { return m_enrollment; }

    enum class Page { Devices, Profiles, Compare, Credentials, Enrollment };
    void showPage(Page page);
    // "devices", "profiles", "compare", "credentials", "enrollment", "board" or
    // "batch"; false for another name.
    bool showPage(const QString &name);

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
    void pageChanged(int index);
    void writeCredentials(DeviceSession *session);
    // A device double-clicked on the board: show it on the Devices page when it is there.
    void showBoardDevice(const QString &id);
    // False when closing must wait (the user chose to let the batch finish,
    // or cancelled).
    bool maybeCloseDuringBatch();

    Workbench *m_workbench;
    DevicesPanel *m_devices;
    DeviceDetailPanel *m_detail;
    TracePanel *m_trace;
    QSplitter *m_vertical;
    QSplitter *m_horizontal;
    QLabel *m_counts;
    BoardPanel *m_board = nullptr;
    BatchPanel *m_batch = nullptr;
    ProfilesPanel *m_profiles;
    ComparePanel *m_compare;
    CredentialsPanel *m_credentials;
    EnrollmentPanel *m_enrollment;
    QTabWidget *m_pages;
    int m_lastPage = 0;
    bool m_closeWhenBatchIdle = false; // closes by itself once the batch is idle
};

} // namespace provbench
