// The Profiles panel as a user drives it, offscreen: a new static profile
// made through the New menu, a too-short Wi-Fi passphrase typed into the form
// and its inline issue, undo, the unsaved marker and Save into the workspace.
// Set PROVBENCH_SCREENSHOT=<file.png> to save a picture of the panel.

#include "app/profiles/profilelibrary.h"
#include "app/storage/workspace.h"
#include "models/profilelistmodel.h"
#include "ui/profilebinder.h"
#include "ui/profileeditor.h"
#include "ui/profilespanel.h"

#include <QAction>
#include <QApplication>
#include <QFileInfo>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

#include <sys/stat.h>

using namespace provbench;
using namespace provbench::profiles;

namespace {
const QString kPassphrasePath = QStringLiteral("network.wifi.passphrase");
} // namespace

class tst_ProfilesPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void newStatic_shortPassphrase_inlineIssueUndoSave();
    void libraryChange_reloadsUnmodifiedOpenProfile();

private:
    template<typename T> T *child(const QString &name) const
    {
        T *w = m_panel->findChild<T *>(name);
        if (!w)
            qWarning("no object named %s", qPrintable(name));
        return w;
    }
    QLabel *issueLabel(const QString &path) const
    {
        return child<QLabel>(path + QStringLiteral("#issue"));
    }

    QTemporaryDir m_dir;
    std::unique_ptr<ProfileLibrary> m_library;
    std::unique_ptr<ProfilesPanel> m_panel;
};

void tst_ProfilesPanel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    auto workspace = Workspace::open(m_dir.path());
    QVERIFY(workspace);
    m_library = std::make_unique<ProfileLibrary>(*workspace);
    QVERIFY(m_library->installSamples());
    m_panel = std::make_unique<ProfilesPanel>(m_library.get());
    m_panel->resize(1280, 800);
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
    // The first profile opens on its own.
    QTRY_VERIFY(!m_panel->editor()->profileId().isEmpty());
}

void tst_ProfilesPanel::cleanupTestCase()
{
    if (const QByteArray shot = qgetenv("PROVBENCH_SCREENSHOT"); !shot.isEmpty() && m_panel)
        m_panel->grab().save(QString::fromLocal8Bit(shot));
    m_panel.reset();
    m_library.reset();
}

void tst_ProfilesPanel::newStatic_shortPassphrase_inlineIssueUndoSave()
{
    ProfileEditor *editor = m_panel->editor();
    QVERIFY(!editor->isModified());
    child<QAction>(QStringLiteral("newStaticAction"))->trigger();
    const QString id = m_panel->currentProfileId();
    QCOMPARE(id, QStringLiteral("new-static-profile"));
    QCOMPARE(editor->profileId(), id);
    QCOMPARE(m_library->entries().size(), 4);
    QVERIFY(!child<QWidget>(QStringLiteral("staticForm"))->isHidden());
    QVERIFY(child<QWidget>(QStringLiteral("dynamicForm"))->isHidden());

    auto *passphrase = child<QLineEdit>(kPassphrasePath);
    QVERIFY(passphrase);
    QCOMPARE(passphrase->echoMode(), QLineEdit::Password);
    passphrase->setFocus();
    QTest::keyClicks(passphrase, QStringLiteral("short12"));
    QCOMPARE(editor->binder()->profile().network.wifi->passphrase.value, QStringLiteral("short12"));
    QLabel *issue = issueLabel(kPassphrasePath);
    QVERIFY(!issue->isHidden());
    QVERIFY2(issue->text().contains(QStringLiteral("8 to 63")), qPrintable(issue->text()));
    QVERIFY(!passphrase->styleSheet().isEmpty()); // red border
    QVERIFY(child<QLabel>(QStringLiteral("issueCount"))->text().contains(QStringLiteral("issue")));
    QVERIFY(editor->isModified());
    QVERIFY(!child<QLabel>(QStringLiteral("modifiedMarker"))->isHidden());
    // Seven keystrokes, one undoable edit.
    QCOMPARE(editor->binder()->undoStack()->count(), 1);

    QTest::keyClick(passphrase, Qt::Key_Return); // ends the typing run
    QTest::keyClicks(passphrase, QStringLiteral("3"));
    QVERIFY(issue->isHidden());
    QVERIFY(passphrase->styleSheet().isEmpty());
    QCOMPARE(editor->binder()->undoStack()->count(), 2);

    editor->undoAction()->trigger();
    QCOMPARE(passphrase->text(), QStringLiteral("short12"));
    QVERIFY(!issue->isHidden());
    editor->redoAction()->trigger();
    QCOMPARE(passphrase->text(), QStringLiteral("short123"));
    QVERIFY(issue->isHidden());

    // The same through the keyboard: Ctrl+Z reaches the editor's stack, not
    // the line edit's own undo.
    m_panel->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_panel.get()));
    passphrase->setFocus();
    QTest::keyClick(passphrase, Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(passphrase->text(), QStringLiteral("short12"));
    QTest::keyClick(passphrase, Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
    QCOMPARE(passphrase->text(), QStringLiteral("short123"));

    // The SSID too, so the profile is valid and the secret is not shown.
    auto *ssid = child<QLineEdit>(QStringLiteral("network.wifi.ssid"));
    QTest::keyClicks(ssid, QStringLiteral("Office-IoT"));
    QVERIFY(issueLabel(QStringLiteral("network.wifi.ssid"))->isHidden());

    editor->saveAction()->trigger();
    QVERIFY(!editor->isModified());
    QVERIFY(child<QLabel>(QStringLiteral("modifiedMarker"))->isHidden());
    const QString file
        = m_library->workspace().profilesDir() + QLatin1Char('/') + id + QStringLiteral(".json");
    QVERIFY(QFileInfo::exists(file));
    struct stat st
    {
    };
    QCOMPARE(::stat(QFile::encodeName(file).constData(), &st), 0);
    QCOMPARE(st.st_mode & 0777, mode_t(0600));
    const auto saved = m_library->load(id);
    QVERIFY(saved);
    QCOMPARE(saved->network.wifi->passphrase.value, QStringLiteral("short123"));
    QCOMPARE(saved->network.wifi->ssid, QStringLiteral("Office-IoT"));
    // Still selected after the library reloaded.
    QCOMPARE(m_panel->currentProfileId(), id);
}

void tst_ProfilesPanel::libraryChange_reloadsUnmodifiedOpenProfile()
{
    const QString id = m_panel->currentProfileId();
    QVERIFY(!m_panel->editor()->isModified());
    auto profile = m_library->load(id);
    QVERIFY(profile);
    profile->site = QStringLiteral("warehouse");
    QVERIFY(m_library->save(id, *profile));
    QCOMPARE(child<QLineEdit>(QStringLiteral("site"))->text(), QStringLiteral("warehouse"));
    QVERIFY(!m_panel->editor()->isModified());

    QVERIFY(m_library->remove(id));
    QVERIFY(m_panel->editor()->profileId() != id);
    QCOMPARE(m_panel->editor()->profileId(), m_panel->currentProfileId());
}

QTEST_MAIN(tst_ProfilesPanel)
#include "tst_profilespanel.moc"
