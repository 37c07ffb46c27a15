// The credentials GUI as a user drives it, offscreen: a temporary workspace
// with a vault and a CA made through the engine, one simulated Zephyr (SMP)
// device on a pty, the Write Credentials dialog run with the sample
// "bench-certificate-per-device" profile (the vault handed in through
// VaultPrompt, no passphrase dialog), every item verified; then the
// Credentials panel shows the CA and the certificate it issued. Set
// PROVBENCH_SCREENSHOT=<file.png> to save a picture of the panel.

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/devicesession.h"
#include "app/profiles/profilelibrary.h"
#include "app/simulator/simulatedsmpdevice.h"
#include "app/storage/vault.h"
#include "app/storage/workspace.h"
#include "ui/credentialspanel.h"
#include "ui/vaultprompt.h"
#include "ui/writecredentialsdialog.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;
using namespace provbench::profiles;

class tst_Credentials : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void writeDialog_benchCertificateOnSmp_everyItemVerified();
    void credentialsPanel_afterWrite_showsCaAndOneIssuedCertificate();
    void cleanupTestCase();

private:
    QTemporaryDir m_dir;
    QTemporaryDir m_ptyDir;
    std::optional<Workspace> m_ws;
    std::unique_ptr<ProfileLibrary> m_library;
    std::unique_ptr<sim::SimulatedSmpDevice> m_device;
    std::unique_ptr<DeviceSession> m_session;
    std::unique_ptr<CredentialsPanel> m_panel;
};

void tst_Credentials::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    auto ws = Workspace::open(m_dir.path());
    QVERIFY(ws);
    m_ws = *ws;
    auto vault = Vault::create(*m_ws, "a test passphrase, long enough");
    QVERIFY2(vault, qPrintable(vault ? QString() : vault.error().message));
    auto ca = crypto::CertificateAuthority::createRoot(*m_ws, *vault, crypto::CaOptions());
    QVERIFY2(ca, qPrintable(ca ? QString() : ca.error().message));
    VaultPrompt::remember(std::move(*vault));

    m_library = std::make_unique<ProfileLibrary>(*m_ws);
    QVERIFY(m_library->installSamples());

    sim::SmpDeviceConfig config = sim::demoSmpConfig(0);
    config.latencyMs = 2;
    config.logNoise = false;
    m_device = std::make_unique<sim::SimulatedSmpDevice>(config);
    const QString path = m_ptyDir.filePath(QStringLiteral("ttySMP0"));
    auto started = m_device->start(path);
    QVERIFY2(started, qPrintable(started ? QString() : started.error().message));

    DeviceRecord record;
    record.id = path;
    record.port.path = path;
    record.port.portName = QStringLiteral("ttySMP0");
    record.port.userAdded = true;
    m_session = std::make_unique<DeviceSession>(record, DeviceSession::LinkFactory());
}

void tst_Credentials::writeDialog_benchCertificateOnSmp_everyItemVerified()
{
    WriteCredentialsDialog dialog(m_session.get(), m_library.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto *profile = dialog.findChild<QComboBox *>(QStringLiteral("profileCombo"));
    QVERIFY(profile);
    const int index = profile->findData(QStringLiteral("bench-certificate-per-device"));
    QVERIFY(index >= 0);
    profile->setCurrentIndex(index);
    dialog.findChild<QLineEdit *>(QStringLiteral("serialEdit"))->setText(QStringLiteral("SN-0001"));

    auto *start = dialog.findChild<QPushButton *>(QStringLiteral("startButton"));
    QVERIFY(start && start->isEnabled());
    QSignalSpy done(&dialog, &WriteCredentialsDialog::credentialsWritten);
    QTest::mouseClick(start, Qt::LeftButton);
    QVERIFY(done.wait(30000));

    auto *items = dialog.findChild<QTableWidget *>(QStringLiteral("itemsTable"));
    QVERIFY(items->rowCount() > 0);
    for (int row = 0; row < items->rowCount(); ++row) {
        const QString label = items->item(row, WriteCredentialsDialog::ItemColumn)->text();
        QCOMPARE(items->item(row, WriteCredentialsDialog::StateColumn)->text() + u' ' + label,
            QStringLiteral("verified ") + label);
    }
    QCOMPARE(done.first().at(0).toBool(), true);
    QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("summaryLabel"))->isVisible());
    QVERIFY(!dialog.findChild<QLabel *>(QStringLiteral("reuseWarning"))->isVisible());
    // The private key went to the device, not into the dialog.
    QVERIFY(m_device->files().size() > 0);

    QTest::mouseClick(
        dialog.findChild<QPushButton *>(QStringLiteral("closeButton")), Qt::LeftButton);
    QVERIFY(!dialog.isVisible());
}

void tst_Credentials::credentialsPanel_afterWrite_showsCaAndOneIssuedCertificate()
{
    m_panel = std::make_unique<CredentialsPanel>(m_library.get());
    m_panel->resize(1280, 760);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    QCOMPARE(m_panel->findChild<QLabel *>(QStringLiteral("caSubject"))->text(),
        QStringLiteral("CN=ProvBench Workspace CA"));
    QVERIFY(!m_panel->findChild<QPushButton *>(QStringLiteral("createCaButton"))->isVisible());
    auto *issued = m_panel->findChild<QTableWidget *>(QStringLiteral("issuedTable"));
    QCOMPARE(issued->rowCount(), 1);
    QVERIFY(issued->item(0, 1)->text().contains(QLatin1String("SN-0001")));
    QVERIFY(m_panel->inspectFile(
        QDir(crypto::CertificateAuthority::directory(*m_ws)).filePath(QStringLiteral("ca.pem"))));
}

void tst_Credentials::cleanupTestCase()
{
    if (const QByteArray shot = qgetenv("PROVBENCH_SCREENSHOT"); !shot.isEmpty() && m_panel)
        m_panel->grab().save(QString::fromLocal8Bit(shot));
    m_panel.reset();
    m_session.reset();
    m_device.reset();
    if (m_ws)
        VaultPrompt::forget(m_ws->path());
}

QTEST_MAIN(tst_Credentials)
#include "tst_credentials.moc"
