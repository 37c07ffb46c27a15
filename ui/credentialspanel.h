#pragma once

#include <QWidget>

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QTreeWidget;

namespace provbench {

namespace crypto {
struct InspectionReport;
}
namespace profiles {
class ProfileLibrary;
}

// The workspace's credentials: the CA (none yet: Create CA / Import CA;
// else its subject, SHA-256 fingerprint, validity, key type and how many
// certificates it issued), the certificates it issued with their expiry
// (red under 30 days), and the inspection of any PEM/DER/PKCS#12 file the
// user picks or drops on the page. The CA certificate is public and shown
// without the vault; the issued list needs the vault unlocked (VaultPrompt),
// which "Unlock" asks for. Never shows a private key or a passphrase.
class CredentialsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit CredentialsPanel(profiles::ProfileLibrary *library, QWidget *parent = nullptr);

    // Re-reads the CA and its issued list (after a provisioning run).
    void refresh();
    // Inspects a file and shows the report; false (with the reason shown) when it cannot be read.
    bool inspectFile(const QString &path);

protected:
    void showEvent(QShowEvent *event) override;
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    QWidget *buildCaBox();
    QWidget *buildInspectBox();
    void createCa();
    void importCa();
    void unlock();
    void pickFileToInspect();
    void showReport(const QString &path, const crypto::InspectionReport &report);
    void showMessage(bool ok, const QString &text);

    profiles::ProfileLibrary *m_library;
    QStackedWidget *m_caStack = nullptr;
    QLabel *m_noCa = nullptr;
    QLabel *m_subject = nullptr;
    QLabel *m_fingerprint = nullptr;
    QLabel *m_validity = nullptr;
    QLabel *m_keyType = nullptr;
    QLabel *m_issuedCount = nullptr;
    QPushButton *m_create = nullptr;
    QPushButton *m_import = nullptr;
    QPushButton *m_unlock = nullptr;
    QLabel *m_message = nullptr;
    QTableWidget *m_issued = nullptr;
    QLabel *m_inspectTitle = nullptr;
    QTreeWidget *m_report = nullptr;
};

} // namespace provbench
