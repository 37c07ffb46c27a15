#pragma once

#include "app/protocol/improv/improvcodec.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QProgressBar;
class QPushButton;
class QStackedWidget;
class QToolButton;

namespace provbench {

class DeviceIdentityView;
class DeviceSession;

// Everything about the selected device and the actions on it: the identity
// form, the failure reason (red, says what to do), Identify, Scan networks
// (results in a pick list that fills the SSID), the Wi-Fi write, hostname and
// device name. For a BLE device the identity shows its address, signal and
// what it advertises; the names box is hidden (Improv over BLE has no name
// commands), and while a Wi-Fi write waits for the device's button an amber
// line says to press it. While the session is busy a progress bar shows its activity
// with a Cancel button and the action buttons are disabled. Results of
// operations appear inline (green or red), never in a modal dialog.
//
// All work is delegated to the DeviceSession, which runs asynchronously; this
// panel only reads the record and calls the session. The password field is
// cleared after a successful write and when another device is selected.
class DeviceDetailPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DeviceDetailPanel(QWidget *parent = nullptr);

    DeviceSession *session() const;
    // nullptr shows a placeholder.
    void setSession(DeviceSession *session);

Q_SIGNALS:
    // "Write credentials…": the main window opens the dialog for the session.
    void writeCredentialsRequested(provbench::DeviceSession *session);

private:
    QWidget *buildDetails();
    void refresh();
    void updateActions();
    void showResult(bool ok, const QString &text);
    void onOperationFinished(const QString &operation, bool ok, const QString &message);
    void onScanFinished(const QList<improv::WifiNetwork> &networks);
    void showScanHint();
    void onNetworkChosen(QListWidgetItem *item);
    void writeWifi();
    void setHostname();
    void setDeviceName();

    // What this panel last showed per device (by id), restored on reselection.
    struct Remembered
    {
        bool ok = true;
        QString result;
        QList<improv::WifiNetwork> networks;
    };

    void showNetworks(const QList<improv::WifiNetwork> &networks);
    Remembered &remembered();

    QPointer<DeviceSession> m_session;
    QHash<QString, Remembered> m_remembered;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_stateBadge = nullptr;
    DeviceIdentityView *m_identity = nullptr;
    QLabel *m_authHint = nullptr;
    QLabel *m_failure = nullptr;
    QLabel *m_result = nullptr;
    QProgressBar *m_progress = nullptr;
    QPushButton *m_cancel = nullptr;
    QWidget *m_busyRow = nullptr;
    QPushButton *m_identify = nullptr;
    QPushButton *m_scan = nullptr;
    QWidget *m_wifiBox = nullptr;  // hidden for devices that do not speak Improv
    QWidget *m_namesBox = nullptr; // Improv over serial only
    QPushButton *m_writeCredentials = nullptr;
    QListWidget *m_networks = nullptr;
    QLineEdit *m_ssid = nullptr;
    QLineEdit *m_password = nullptr;
    QToolButton *m_showPassword = nullptr;
    QPushButton *m_writeWifi = nullptr;
    QLineEdit *m_hostname = nullptr;
    QPushButton *m_setHostname = nullptr;
    QLineEdit *m_deviceName = nullptr;
    QPushButton *m_setDeviceName = nullptr;
};

} // namespace provbench
