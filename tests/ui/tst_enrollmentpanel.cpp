// The Enrollment page as a user drives it, offscreen, against a real HTTPS
// client: a temporary workspace whose vault and CA are made through the
// engine (the vault handed to VaultPrompt, so no passphrase dialog), the
// service started from the panel on 127.0.0.1, any free port; an EstClient
// enrolls over TLS like a device. Last, the tab in the real main window. Set
// PROVBENCH_SCREENSHOT=<file.png> to save a picture of the panel (after the port-in-use test).

#include "app/crypto/certificateauthority.h"
#include "app/crypto/csr.h"
#include "app/onboarding/enrollment/esthost.h"
#include "app/profiles/profilelibrary.h"
#include "app/protocol/est/estclient.h"
#include "app/storage/store/store.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"
#include "models/enrollmenteventsmodel.h"
#include "models/enrollmentfeed.h"
#include "models/pendingrequestsmodel.h"
#include "ui/credentialspanel.h"
#include "ui/enrollmentpanel.h"
#include "ui/enrollmenttokensbox.h"
#include "ui/mainwindow.h"
#include "ui/vaultprompt.h"
#include "ui/workbench.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <map>

using namespace provbench;

namespace {

template<typename T> Result<T> await(std::function<void(std::function<void(Result<T>)>)> call)
{
    std::optional<Result<T>> result;
    call([&result](Result<T> r) { result = std::move(r); });
    if (!QTest::qWaitFor([&result] { return result.has_value(); }, 15000))
        return fail(Error::Code::Timeout, QStringLiteral("no answer within 15 s"));
    return std::move(*result);
}

QString message(const auto &result)
{
    return result ? QString() : result.error().message;
}

} // namespace

class tst_EnrollmentPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void start_withoutCa_refusesAndOffersTheCredentialsPage();
    void pendingRequest_approvedInTable_deviceGetsCertificateOnRetry();
    void deny_withInlineReason_retryRefusedAndReasonAudited();
    void issueToken_fromPanel_shownOnceAndRedeemsOverHttps();
    void start_withVaultLocked_cancelSaysSo_thenUnlockStarts();
    void start_onAPortInUse_saysSoAndStaysStopped();
    void mainWindow_enrollmentTab_afterCredentials_andLeadsThereWithoutCa();
    void cleanupTestCase();

private:
    Result<est::EnrollAnswer> enroll(
        const QString &device, const QByteArray &token, const crypto::Key &key);
    QTableView *pendingTable() const;
    int eventRow(const QString &kind, const QString &device) const;

    QTemporaryDir m_dir;
    QTemporaryDir m_emptyDir;
    std::optional<Workspace> m_ws;
    std::unique_ptr<profiles::ProfileLibrary> m_library;
    std::unique_ptr<EnrollmentPanel> m_panel;
    QByteArray m_caPem;
    std::map<QString, crypto::CertificateRequest> m_csrs;
};

void tst_EnrollmentPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qunsetenv("PROVBENCH_DB");
    auto ws = Workspace::open(m_dir.path());
    QVERIFY(ws);
    m_ws = *ws;
    auto vault = Vault::create(*m_ws, "a test passphrase, long enough");
    QVERIFY2(vault, qPrintable(message(vault)));
    auto ca = crypto::CertificateAuthority::createRoot(*m_ws, *vault, crypto::CaOptions());
    QVERIFY2(ca, qPrintable(message(ca)));
    auto pem = ca->certificate().toPem();
    QVERIFY(pem);
    m_caPem = *pem;
    VaultPrompt::remember(std::move(*vault));
    m_library = std::make_unique<profiles::ProfileLibrary>(*m_ws);

    m_panel = std::make_unique<EnrollmentPanel>(m_library.get());
    m_panel->resize(1300, 800);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QVERIFY(m_panel->feed());
    m_panel->feed()->setInterval(200);
    new QAbstractItemModelTester(m_panel->feed()->pending(),
        QAbstractItemModelTester::FailureReportingMode::QtTest, m_panel.get());
    new QAbstractItemModelTester(m_panel->feed()->events(),
        QAbstractItemModelTester::FailureReportingMode::QtTest, m_panel.get());
}

void tst_EnrollmentPanel::start_withoutCa_refusesAndOffersTheCredentialsPage()
{
    auto ws = Workspace::open(m_emptyDir.path());
    QVERIFY(ws);
    profiles::ProfileLibrary library(*ws);
    EnrollmentPanel panel(&library);
    panel.show();
    QSignalSpy credentials(&panel, &EnrollmentPanel::openCredentialsRequested);

    QVERIFY(!panel.startService());
    QVERIFY(!panel.host() || !panel.host()->isRunning());
    auto *state = panel.findChild<QLabel *>(QStringLiteral("serviceState"));
    QVERIFY(state->text().contains(QStringLiteral("no CA yet")));
    QVERIFY(state->text().contains(QStringLiteral("Credentials page")));
    auto *fix = panel.findChild<QPushButton *>(QStringLiteral("serviceFix"));
    QVERIFY(fix->isVisible());
    QTest::mouseClick(fix, Qt::LeftButton);
    QCOMPARE(credentials.count(), 1);
    QVERIFY(panel.findChild<QPushButton *>(QStringLiteral("startService"))->isEnabled());
}

void tst_EnrollmentPanel::pendingRequest_approvedInTable_deviceGetsCertificateOnRetry()
{
    m_panel->findChild<QLineEdit *>(QStringLiteral("listenAddress"))
        ->setText(QStringLiteral("127.0.0.1:0"));
    m_panel->findChild<QCheckBox *>(QStringLiteral("manualApproval"))->setChecked(true);
    QTest::mouseClick(
        m_panel->findChild<QPushButton *>(QStringLiteral("startService")), Qt::LeftButton);
    QVERIFY(m_panel->host()->isRunning());
    const QString state = m_panel->findChild<QLabel *>(QStringLiteral("serviceState"))->text();
    QVERIFY2(
        state.contains(
            QStringLiteral("https://127.0.0.1:%1/.well-known/est").arg(m_panel->host()->port())),
        qPrintable(state));
    QVERIFY(state.contains(m_panel->host()->caFingerprint()));

    QVERIFY(m_panel->tokensBox()->issue(QStringLiteral("dev-1"), 60, true));
    const QByteArray token = m_panel->tokensBox()->shownToken().toLatin1();
    QCOMPARE(token.size(), 43);
    m_panel->tokensBox()->hideToken();
    auto key = crypto::Key::generate(profiles::KeyAlgorithm::EcP256);
    QVERIFY(key);

    auto first = enroll(QStringLiteral("dev-1"), token, *key);
    QVERIFY2(first, qPrintable(message(first)));
    QCOMPARE(first->status, est::EnrollAnswer::Status::Pending);

    PendingRequestsModel *pending = m_panel->feed()->pending();
    QTRY_COMPARE(pending->rowCount(), 1);
    auto cell = [pending](int column) { return pending->index(0, column).data().toString(); };
    QCOMPARE(cell(PendingRequestsModel::DeviceColumn), QStringLiteral("dev-1"));
    QCOMPARE(cell(PendingRequestsModel::KeyColumn), QStringLiteral("EC P-256"));
    QVERIFY(cell(PendingRequestsModel::SubjectColumn).contains(QStringLiteral("dev-1")));
    QVERIFY2(cell(PendingRequestsModel::PeerColumn).startsWith(QStringLiteral("127.0.0.1:")),
        qPrintable(cell(PendingRequestsModel::PeerColumn)));

    auto *approve = m_panel->findChild<QPushButton *>(QStringLiteral("approveRequest"));
    QVERIFY(!approve->isEnabled());
    pendingTable()->selectRow(0);
    QVERIFY(approve->isEnabled());
    QTest::mouseClick(approve, Qt::LeftButton);
    QTRY_COMPARE(pending->rowCount(), 0);

    auto retry = enroll(QStringLiteral("dev-1"), token, *key);
    QVERIFY2(retry, qPrintable(message(retry)));
    QCOMPARE(retry->status, est::EnrollAnswer::Status::Issued);
    auto cert = retry->certificateFor(*key);
    QVERIFY(cert);
    QCOMPARE(cert->commonName(), QStringLiteral("dev-1"));
    QTRY_VERIFY(eventRow(QStringLiteral("cert.issued"), QStringLiteral("dev-1")) >= 0);
    QVERIFY(eventRow(QStringLiteral("enroll.approved"), QStringLiteral("dev-1")) >= 0);
    QVERIFY(eventRow(QStringLiteral("enroll.pending"), QStringLiteral("dev-1")) >= 0);
    QTRY_VERIFY(m_panel->findChild<QLabel *>(QStringLiteral("serviceCounts"))
                    ->text()
                    .contains(QStringLiteral("enrollments: 1")));
}

void tst_EnrollmentPanel::deny_withInlineReason_retryRefusedAndReasonAudited()
{
    QVERIFY(m_panel->host()->isRunning());
    QVERIFY(m_panel->tokensBox()->issue(QStringLiteral("dev-3"), 60, true));
    const QByteArray token = m_panel->tokensBox()->shownToken().toLatin1();
    auto key = crypto::Key::generate(profiles::KeyAlgorithm::EcP256);
    QVERIFY(key);
    auto first = enroll(QStringLiteral("dev-3"), token, *key);
    QVERIFY2(first, qPrintable(message(first)));
    QCOMPARE(first->status, est::EnrollAnswer::Status::Pending);
    PendingRequestsModel *pending = m_panel->feed()->pending();
    QTRY_COMPARE(pending->rowCount(), 1);

    pendingTable()->selectRow(0);
    auto *reason = m_panel->findChild<QLineEdit *>(QStringLiteral("denyReason"));
    QVERIFY(!reason->isVisible());
    QTest::mouseClick(
        m_panel->findChild<QPushButton *>(QStringLiteral("denyRequest")), Qt::LeftButton);
    QVERIFY(reason->isVisible());
    QTest::keyClicks(reason, QStringLiteral("not from this batch"));
    QTest::mouseClick(
        m_panel->findChild<QPushButton *>(QStringLiteral("confirmDeny")), Qt::LeftButton);
    QTRY_COMPARE(pending->rowCount(), 0);
    QVERIFY(!reason->isVisible());

    const int row = eventRow(QStringLiteral("enroll.denied"), QStringLiteral("dev-3"));
    QVERIFY(row >= 0);
    const QString summary = m_panel->feed()
                                ->events()
                                ->index(row, EnrollmentEventsModel::SummaryColumn)
                                .data()
                                .toString();
    QVERIFY2(summary.contains(QStringLiteral("not from this batch")), qPrintable(summary));

    auto device = m_panel->store()->inventory().get(QStringLiteral("dev-3"));
    QVERIFY(device);
    QCOMPARE(device->state, QStringLiteral("failed"));
    QVERIFY(device->failureReason.contains(QStringLiteral("not from this batch")));

    auto retry = enroll(QStringLiteral("dev-3"), token, *key);
    QVERIFY(!retry);
    QVERIFY2(
        retry.error().message.contains(QStringLiteral("403")), qPrintable(retry.error().message));
}

void tst_EnrollmentPanel::issueToken_fromPanel_shownOnceAndRedeemsOverHttps()
{
    QTest::mouseClick(
        m_panel->findChild<QPushButton *>(QStringLiteral("stopService")), Qt::LeftButton);
    QVERIFY(!m_panel->host()->isRunning());
    m_panel->findChild<QCheckBox *>(QStringLiteral("manualApproval"))->setChecked(false);
    QVERIFY(m_panel->startService());

    auto *device = m_panel->findChild<QLineEdit *>(QStringLiteral("tokenDevice"));
    device->setText(QStringLiteral("dev-2"));
    QTest::mouseClick(
        m_panel->findChild<QPushButton *>(QStringLiteral("issueToken")), Qt::LeftButton);
    auto *shown = m_panel->findChild<QLineEdit *>(QStringLiteral("issuedToken"));
    QVERIFY(shown->isVisible());
    const QByteArray token = shown->text().toLatin1();
    QCOMPARE(token.size(), 43);

    auto *table = m_panel->findChild<QTableWidget *>(QStringLiteral("tokensTable"));
    QTRY_VERIFY(table->rowCount() >= 1);
    QCOMPARE(table->item(0, 0)->text(), QStringLiteral("dev-2"));
    for (int row = 0; row < table->rowCount(); ++row) {
        for (int column = 0; column < table->columnCount(); ++column)
            QVERIFY(!table->item(row, column)->text().contains(QString::fromLatin1(token)));
    }

    auto key = crypto::Key::generate(profiles::KeyAlgorithm::EcP256);
    QVERIFY(key);
    auto answer = enroll(QStringLiteral("dev-2"), token, *key);
    QVERIFY2(answer, qPrintable(message(answer)));
    QCOMPARE(answer->status, est::EnrollAnswer::Status::Issued);
    QVERIFY(answer->certificateFor(*key));
    QTRY_VERIFY(table->item(0, 4)->text().contains(QStringLiteral("127.0.0.1")));
    QVERIFY(device->text().isEmpty()); // ready for the next device
    device->setText(QStringLiteral("dev-2"));
    for (int row = 0; row < table->rowCount(); ++row)
        QCOMPARE(table->item(row, 0)->text(), QStringLiteral("dev-2")); // the typed device's only
    device->clear();
    QVERIFY(table->rowCount() >= 3); // dev-1, dev-3 and dev-2

    QTest::mouseClick(
        m_panel->findChild<QPushButton *>(QStringLiteral("hideToken")), Qt::LeftButton);
    QVERIFY(!shown->isVisible());
    QVERIFY(m_panel->tokensBox()->shownToken().isEmpty());

    auto replay = enroll(QStringLiteral("dev-2"), token, *key);
    QVERIFY(!replay);
    QVERIFY2(
        replay.error().message.contains(QStringLiteral("401")), qPrintable(replay.error().message));
}

// Answers the next modal dialog (the passphrase prompt): cancels it, or types
// `passphrase` into its field and accepts.
void answerPrompt(const QString &passphrase)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, passphrase] {
        auto *dialog = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        timer->deleteLater();
        if (passphrase.isEmpty()) {
            dialog->reject();
            return;
        }
        dialog->findChild<QLineEdit *>()->setText(passphrase);
        dialog->accept();
    });
    timer->start();
}

void tst_EnrollmentPanel::start_withVaultLocked_cancelSaysSo_thenUnlockStarts()
{
    m_panel->stopService();
    VaultPrompt::forget(m_dir.path());

    answerPrompt(QString());
    QVERIFY(!m_panel->startService());
    const QString state = m_panel->findChild<QLabel *>(QStringLiteral("serviceState"))->text();
    QVERIFY2(state.contains(QStringLiteral("vault is locked")), qPrintable(state));
    auto *fix = m_panel->findChild<QPushButton *>(QStringLiteral("serviceFix"));
    QVERIFY(fix->isVisible());
    QVERIFY(fix->text().startsWith(QStringLiteral("Unlock")));

    answerPrompt(QStringLiteral("a test passphrase, long enough"));
    QTest::mouseClick(fix, Qt::LeftButton);
    QVERIFY(m_panel->host()->isRunning());
    QVERIFY(!fix->isVisible());
    QVERIFY(VaultPrompt::cached(m_dir.path()));
}

void tst_EnrollmentPanel::start_onAPortInUse_saysSoAndStaysStopped()
{
    QTcpServer blocker;
    QVERIFY(blocker.listen(QHostAddress::LocalHost, 0));
    EnrollmentPanel second(m_library.get());
    second.show();
    second.findChild<QLineEdit *>(QStringLiteral("listenAddress"))
        ->setText(QStringLiteral("127.0.0.1:%1").arg(blocker.serverPort()));
    QVERIFY(!second.startService());
    QVERIFY(!second.host()->isRunning());
    const QString state = second.findChild<QLabel *>(QStringLiteral("serviceState"))->text();
    QVERIFY2(state.contains(QStringLiteral("cannot listen")), qPrintable(state));
    QVERIFY(second.findChild<QPushButton *>(QStringLiteral("startService"))->isEnabled());

    if (const QString shot = qEnvironmentVariable("PROVBENCH_SCREENSHOT"); !shot.isEmpty())
        m_panel->grab().save(shot);
}

void tst_EnrollmentPanel::mainWindow_enrollmentTab_afterCredentials_andLeadsThereWithoutCa()
{
    Workbench workbench;
    Workbench::Options options;
    options.includeSystemPorts = false;
    options.ble = false;
    options.workspacePath = m_emptyDir.path();
    QVERIFY(workbench.start(options));
    MainWindow window(&workbench);
    window.show();
    auto *pages = window.findChild<QTabWidget *>(QStringLiteral("pages"));
    const int credentials = pages->indexOf(window.credentialsPanel());
    const int enrollment = pages->indexOf(window.enrollmentPanel());
    QCOMPARE(enrollment, credentials + 1);
    QCOMPARE(pages->tabText(enrollment), QStringLiteral("Enrollment"));

    QVERIFY(window.showPage(QStringLiteral("enrollment")));
    QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.enrollmentPanel()));
    QVERIFY(!window.enrollmentPanel()->startService());
    auto *fix = window.enrollmentPanel()->findChild<QPushButton *>(QStringLiteral("serviceFix"));
    QTRY_VERIFY(fix->isVisible());
    QTest::mouseClick(fix, Qt::LeftButton);
    QCOMPARE(pages->currentWidget(), static_cast<QWidget *>(window.credentialsPanel()));
}

void tst_EnrollmentPanel::cleanupTestCase()
{
    m_panel.reset();
    VaultPrompt::forget(m_dir.path());
}

Result<est::EnrollAnswer> tst_EnrollmentPanel::enroll(
    const QString &device, const QByteArray &token, const crypto::Key &key)
{
    const QString csrKey = device + u'/' + key.fingerprint();
    if (!m_csrs.contains(csrKey)) {
        auto made = crypto::CertificateRequest::create(key, QStringLiteral("CN=") + device);
        if (!made)
            return std::unexpected(made.error());
        m_csrs.emplace(csrKey, std::move(*made));
    }
    const crypto::CertificateRequest *csr = &m_csrs.at(csrKey);
    est::EstClient::Options options;
    options.url = QUrl(QStringLiteral("https://127.0.0.1:%1").arg(m_panel->host()->port()));
    options.trustAnchorPem = m_caPem;
    est::EstClient client(options);
    return await<est::EnrollAnswer>(
        [&](auto done) { client.simpleEnroll(device, token, *csr, std::move(done)); });
}

QTableView *tst_EnrollmentPanel::pendingTable() const
{
    return m_panel->findChild<QTableView *>(QStringLiteral("pendingTable"));
}

int tst_EnrollmentPanel::eventRow(const QString &kind, const QString &device) const
{
    const EnrollmentEventsModel *events = m_panel->feed()->events();
    for (int row = 0; row < events->rowCount(); ++row) {
        const QModelIndex index = events->index(row, 0);
        if (index.data(EnrollmentEventsModel::KindRole).toString() == kind
            && index.data(EnrollmentEventsModel::DeviceIdRole).toString() == device)
            return row;
    }
    return -1;
}

QTEST_MAIN(tst_EnrollmentPanel)
#include "tst_enrollmentpanel.moc"
