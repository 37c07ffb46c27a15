#pragma once

#include "app/core/error.h"
#include "app/onboarding/credentialplan.h"
#include "app/onboarding/provisioningjob.h"
#include "app/profiles/profile.h"

#include <QDialog>
#include <QPointer>

#include <memory>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace provbench {

class DeviceSession;
class Link;
struct BleCredentialAccess;
class Vault;
namespace crypto {
class CertificateAuthority;
}
namespace onboarding {
class CryptoMaterial;
class ProtocolProbe;
} // namespace onboarding
namespace profiles {
class ProfileLibrary;
}

// "Write credentials" for one device, the GUI twin of `provbench-cli
// provision`: the user picks a profile and the device's identity (serial,
// MAC, sequence number, prefilled from what the device reported); Start
// takes the port from the session and detects the protocol (a BLE device:
// the session connects and hands over a client for the protocol it found), plans the items,
// unlocks the vault when the plan needs the CA or a ledger exists (through
// VaultPrompt), writes and verifies each item, and records what was handed
// out in the credential ledger. A table shows each item's state as it
// changes (pending, writing, verified, failed, unsupported, not applicable)
// with the device's answer; a summary line and any reuse warning end it.
// Values are never shown. Closing releases the port and asks the session to
// identify the device again; closing is refused while items are being written.
class WriteCredentialsDialog : public QDialog
{
    Q_OBJECT
public:
    enum Column { ItemColumn, StateColumn, DetailColumn };

    WriteCredentialsDialog(DeviceSession *session, profiles::ProfileLibrary *library, int seq = 1,
        QWidget *parent = nullptr);
    ~WriteCredentialsDialog() override;

    bool isRunning() const { return m_running; }
    void done(int result) override;

Q_SIGNALS:
    // After a run, ok when every item was verified.
    void credentialsWritten(bool ok, const QString &summary);

private:
    void start();
    void startBle();
    void onBleAccess(Result<BleCredentialAccess> access);
    void showAuthorizationHint();
    void onProbed(Result<onboarding::DeviceProtocol> protocol);
    void onItemFinished(int index, const onboarding::ItemOutcome &outcome);
    void onJobFinished(bool ok, const QString &message);
    void setRow(int row, const QString &state, const QString &detail, const QColor &color);
    void end(bool ok, const QString &summary, const QStringList &warnings = {});
    void releaseDevice();

    QPointer<DeviceSession> m_session;
    profiles::ProfileLibrary *m_library;
    QComboBox *m_profile;
    QLineEdit *m_serial;
    QLineEdit *m_mac;
    QSpinBox *m_seq;
    QLabel *m_status;
    QTableWidget *m_items;
    QLabel *m_summary;
    QLabel *m_warning;
    QPushButton *m_start;
    QPushButton *m_close;

    bool m_running = false;
    QString m_statusBeforeHint; // restored once the device is authorized
    std::optional<profiles::Profile> m_prof;
    profiles::DeviceVars m_device;
    QList<onboarding::PlanItem> m_plan;
    std::unique_ptr<Link> m_link;
    std::unique_ptr<BleCredentialAccess> m_bleAccess; // BLE: link and client (target moves out)
    std::unique_ptr<onboarding::ProtocolProbe> m_probe;
    std::shared_ptr<const Vault> m_vault;
    std::unique_ptr<crypto::CertificateAuthority> m_ca;
    std::unique_ptr<onboarding::CryptoMaterial> m_crypto;
    std::unique_ptr<onboarding::MaterialProvider> m_profileMaterial;
    std::unique_ptr<onboarding::MaterialProvider> m_material; // records what was handed out
    std::unique_ptr<QObject> m_client;
    std::unique_ptr<onboarding::CredentialTarget> m_target;
    std::unique_ptr<onboarding::ProvisioningJob> m_job;
};

} // namespace provbench
