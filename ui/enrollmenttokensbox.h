#pragma once

#include <QGroupBox>

#include <functional>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace provbench {

class EnrollmentFeed;

namespace store {
class Store;
}

// "Enrollment tokens" on the Enrollment page: issue a one-time token for a
// device id (lifetime in minutes, single use or not), shown once in a
// read-only field with a Copy button and gone when dismissed or when the next
// one is issued; it is never written to the settings, a log or the table.
// Below, the newest tokens from the feed (only the typed device's while a
// device id is typed): id, device, issued, expires, single use, used (by
// whom), never the secret.
class EnrollmentTokensBox : public QGroupBox
{
    Q_OBJECT
public:
    // `store` is asked for when a token is issued (it may open the database).
    EnrollmentTokensBox(std::function<store::Store *()> store, QWidget *parent = nullptr);

    void setFeed(EnrollmentFeed *feed);
    // Issues a token as the button does; false (with the reason shown) on failure.
    bool issue(const QString &deviceId, int ttlMinutes, bool singleUse);
    // The token on show, empty when none (tests).
    QString shownToken() const;
    void hideToken();

Q_SIGNALS:
    void tokenIssued(const QString &deviceId);

private:
    void issueFromForm();
    void fillTable();
    void showMessage(bool ok, const QString &text);

    std::function<store::Store *()> m_store;
    EnrollmentFeed *m_feed = nullptr;
    QLineEdit *m_device;
    QSpinBox *m_ttl;
    QCheckBox *m_singleUse;
    QPushButton *m_issue;
    QWidget *m_tokenRow;
    QLabel *m_tokenCaption;
    QLineEdit *m_token;
    QLabel *m_message;
    QTableWidget *m_table;
};

} // namespace provbench
