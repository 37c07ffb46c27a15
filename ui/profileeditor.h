#pragma once

#include <QWidget>

class QAction;
class QLabel;
class QStackedWidget;

namespace provbench {

class DeviceRegistry;
class NamingPreview;

namespace profiles {
class ProfileLibrary;
}
class ProfileBinder;

// The form editor for one profile of a ProfileLibrary: the common sections,
// and the static or dynamic form for the profile's kind. Shows the profile's
// validation issues inline after every edit and counts them in the header.
// Undo/Redo (Ctrl+Z, Ctrl+Shift+Z) go through the binder's QUndoStack; Save
// writes the profile back to the library under the same id, Revert reloads
// it. A "•" after the title marks unsaved changes; maybeSave() asks the user
// whether to save, discard or cancel before the profile is left.
class ProfileEditor : public QWidget
{
    Q_OBJECT
public:
    explicit ProfileEditor(profiles::ProfileLibrary *library, QWidget *parent = nullptr);
    ~ProfileEditor() override;

    // Loads the profile `id` (an empty id shows a placeholder). Unsaved
    // changes are dropped: call maybeSave() first.
    void setProfileId(const QString &id);
    QString profileId() const { return m_id; }
    bool isModified() const;
    ProfileBinder *binder() const { return m_binder; }
    // Devices the naming preview can be shown for (the Devices page's).
    void setDevices(DeviceRegistry *devices);

    // Writes the profile; false (after telling the user why) when it failed.
    bool save();
    void revert();
    // True when it is fine to leave the profile: nothing unsaved, or the user
    // chose Save (and it worked) or Discard. False on Cancel.
    bool maybeSave();

    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }
    QAction *saveAction() const { return m_save; }
    QAction *revertAction() const { return m_revert; }

Q_SIGNALS:
    void modifiedChanged(bool modified);
    void saved(const QString &id);

private:
    QWidget *buildEditor();
    void updateHeader();

    profiles::ProfileLibrary *m_library;
    ProfileBinder *m_binder;
    NamingPreview *m_preview = nullptr;
    QString m_id;
    QStackedWidget *m_stack;
    QLabel *m_placeholder;
    QLabel *m_title = nullptr;
    QLabel *m_kind = nullptr;
    QLabel *m_marker = nullptr;
    QLabel *m_issueCount = nullptr;
    QLabel *m_unplaced = nullptr;
    QWidget *m_staticForm = nullptr;
    QWidget *m_dynamicForm = nullptr;
    QAction *m_undo;
    QAction *m_redo;
    QAction *m_save;
    QAction *m_revert;
};

} // namespace provbench
