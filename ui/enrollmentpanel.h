#pragma once

#include "app/core/error.h"

#include <QWidget>

#include <functional>
#include <memory>

class QCheckBox;
class QGroupBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace provbench {

class EnrollmentFeed;
class EnrollmentTokensBox;

namespace enrollment {
class EstHost;
}
namespace profiles {
class ProfileLibrary;
}
namespace store {
class Store;
}

// The Enrollment page: the built-in EST service of the workspace
// (docs/est.md) run inside the GUI, and the decisions it waits for.
//
// - Service: listen address, Start/Stop, "hold every enrollment for
//   approval", a state line (the URL and the CA fingerprint, or why it cannot
//   start: no CA -> a button to the Credentials page; vault locked -> Unlock;
//   port in use -> the address) and what it has served since it started.
// - Waiting for approval: the pending requests (device, CSR key and subject,
//   when, from where) with Approve and Deny (an inline, optional reason).
// - Enrollment tokens (EnrollmentTokensBox) and the recent enrollment events
//   of the audit log, newest first.
//
// The lists come from the workspace database through an EnrollmentFeed that
// polls every second while the page is shown, so requests served by
// `provbench-cli est serve` on the same database can be decided here too.
// The database is the one `openStore` gives (the Workbench's, shared with the
// Board), opened on first use; without it the panel opens the workspace's own
// ($PROVBENCH_DB, else its SQLite file). The server runs on the GUI thread's
// event loop: it is asynchronous, and signing a certificate takes ~10 ms.
class EnrollmentPanel : public QWidget
{
    Q_OBJECT
public:
    using StoreOpener = std::function<Result<store::Store *>()>;
    explicit EnrollmentPanel(
        profiles::ProfileLibrary *library, StoreOpener openStore = {}, QWidget *parent = nullptr);
    ~EnrollmentPanel() override;

    // Start as the button does, with the address field's value; false with the reason shown.
    bool startService();
    void stopService();
    bool approveSelected();
    // Denies the selected request with `reason` (may be empty).
    bool denySelected(const QString &reason);

    enrollment::EstHost *host() const { return m_host.get(); }
    EnrollmentFeed *feed() const { return m_feed; }
    EnrollmentTokensBox *tokensBox() const { return m_tokens; }
    // The workspace database, opened on first use; null (and the reason shown) when it cannot be.
    store::Store *store();

Q_SIGNALS:
    // The user asked to go to the Credentials page (to create the CA).
    void openCredentialsRequested();

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    enum class Fix { None, OpenCredentials, Unlock };
    QWidget *buildServiceBox();
    QWidget *buildPendingBox();
    QWidget *buildEventsBox();
    void updateServiceState();
    void showServiceProblem(const QString &text, Fix fix);
    void showMessage(bool ok, const QString &text);
    void updateDecisionButtons();
    void beginDeny();
    qint64 selectedRequest() const;

    profiles::ProfileLibrary *m_library;
    StoreOpener m_openStore;
    std::unique_ptr<store::Store> m_ownStore; // when there is no opener
    store::Store *m_store = nullptr;
    std::unique_ptr<enrollment::EstHost> m_host;
    EnrollmentFeed *m_feed = nullptr;
    QLineEdit *m_listen = nullptr;
    QCheckBox *m_manual = nullptr;
    QPushButton *m_start = nullptr;
    QPushButton *m_stop = nullptr;
    QLabel *m_state = nullptr;
    QPushButton *m_fix = nullptr;
    Fix m_fixKind = Fix::None;
    QString m_problem; // why the service is not running, empty when stopped on purpose
    QLabel *m_counts = nullptr;
    QLabel *m_message = nullptr;
    QGroupBox *m_pendingBox = nullptr;
    QTableView *m_pending = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_deny = nullptr;
    QWidget *m_denyRow = nullptr;
    QLineEdit *m_denyReason = nullptr;
    EnrollmentTokensBox *m_tokens = nullptr;
    QTableView *m_events = nullptr;
    QWidget *m_body = nullptr;
};

} // namespace provbench
