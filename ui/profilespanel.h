#pragma once

#include "app/profiles/profile.h"

#include <QWidget>

class QListView;
class QPushButton;
class QSplitter;
class QToolButton;

namespace provbench {

namespace profiles {
class ProfileLibrary;
}
class ProfileEditor;
class ProfileListModel;

// The profile library on the left (New static/dynamic, Duplicate, Rename,
// Delete, Import, Export) and the form editor for the selected profile on the
// right. Leaving a profile with unsaved changes (another profile, Rename,
// Delete) asks first; maybeLeave() does the same for the main window when the
// page changes or the window closes. The list follows the library, so
// profiles changed elsewhere (the CLI, another panel) show up at once, and an
// unmodified open profile is reloaded when its file changes.
class ProfilesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ProfilesPanel(profiles::ProfileLibrary *library, QWidget *parent = nullptr);

    ProfileEditor *editor() const { return m_editor; }
    QListView *view() const { return m_view; }
    ProfileListModel *model() const { return m_model; }

    QString currentProfileId() const;
    void selectProfile(const QString &id);
    bool maybeLeave();

    // The actions behind the buttons; the dialogs they need are shown here.
    void newProfile(profiles::ProfileKind kind);
    void duplicateCurrent();
    void renameCurrent();
    void deleteCurrent();
    void importProfile();
    void exportCurrent();

    QByteArray saveSplitterState() const;
    void restoreSplitterState(const QByteArray &state);
    void resetLayout();

private:
    void currentChanged(const QModelIndex &current, const QModelIndex &previous);
    void libraryChanged();
    void updateButtons();
    void showError(const QString &title, const QString &message);

    profiles::ProfileLibrary *m_library;
    ProfileListModel *m_model;
    QListView *m_view;
    ProfileEditor *m_editor;
    QSplitter *m_splitter;
    QToolButton *m_new;
    QPushButton *m_duplicate;
    QPushButton *m_rename;
    QPushButton *m_delete;
    QPushButton *m_import;
    QPushButton *m_export;
    bool m_reverting = false;
};

} // namespace provbench
