#pragma once

#include "app/profiles/profilejson.h"

#include <QObject>
#include <QPointer>

#include <functional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QSpinBox;
class QUndoStack;
class QWidget;

namespace provbench {

// The editing state behind the profile forms: the profile being edited, the
// last saved version, an undo stack and the bindings between form widgets and
// profile fields.
//
// Every widget made by an add*() factory is bound to one field, named by its
// JSON path (also the widget's objectName, so tests and validation find it).
// A user edit becomes an undoable command holding the profile before and
// after; consecutive typing in the same field merges into one command until
// the field loses focus or Return is pressed. After every change (edit, undo,
// redo, load) the widgets are refreshed from the profile, validate() runs and
// each Issue is shown under the field whose path it names (a red message and a
// red border); issues no field claims are reported by unplacedIssues().
class ProfileBinder : public QObject
{
    Q_OBJECT
public:
    template<typename T> using Getter = std::function<T(const profiles::Profile &)>;
    template<typename T> using Setter = std::function<void(profiles::Profile &, const T &)>;
    using Choices = QList<std::pair<QString, int>>;

    explicit ProfileBinder(QObject *parent = nullptr);
    ~ProfileBinder() override;

    QUndoStack *undoStack() const { return m_stack; }
    const profiles::Profile &profile() const { return m_profile; }
    bool isModified() const { return m_profile != m_saved; }
    const profiles::Issues &issues() const { return m_issues; }
    profiles::Issues unplacedIssues() const;

    // Replaces the profile being edited and forgets the undo history.
    void setProfile(const profiles::Profile &profile);
    // The current profile is what is on disk now.
    void markSaved();
    // Folder that relative file names are resolved against (the workspace).
    void setBaseDirectory(const QString &dir) { m_baseDir = dir; }

    // Records an undoable change of the field `path`. `typing`: merge with the
    // previous change of the same field while the user keeps typing.
    void edit(const QString &path, const QString &label,
        const std::function<void(profiles::Profile &)> &change, bool typing);
    // Used by the undo commands.
    void apply(const profiles::Profile &profile);

    QLineEdit *addText(QFormLayout *form, const QString &label, const QString &path,
        Getter<QString> get, Setter<QString> set);
    QLineEdit *addSecret(QFormLayout *form, const QString &label, const QString &path,
        Getter<profiles::Secret> get, Setter<profiles::Secret> set);
    // A comma-separated list (DNS servers, NTP servers).
    QLineEdit *addList(QFormLayout *form, const QString &label, const QString &path,
        Getter<QStringList> get, Setter<QStringList> set);
    // A PEM file name with a Browse button; files inside the base directory
    // are stored relative to it.
    QLineEdit *addFile(QFormLayout *form, const QString &label, const QString &path,
        Getter<QString> get, Setter<QString> set);
    QCheckBox *addCheck(QFormLayout *form, const QString &label, const QString &path,
        Getter<bool> get, Setter<bool> set);
    QSpinBox *addSpin(QFormLayout *form, const QString &label, const QString &path, int min,
        int max, const QString &suffix, Getter<int> get, Setter<int> set);
    QComboBox *addCombo(QFormLayout *form, const QString &label, const QString &path,
        const Choices &choices, Getter<int> get, Setter<int> set);

    // Shows or hides the form row of a bound widget (label, field and issue).
    void setRowVisible(QWidget *input, bool visible);
    // Runs after every change of the profile, e.g. to show the rows that
    // belong to the chosen credential type.
    void onRefresh(QObject *context, const std::function<void(const profiles::Profile &)> &fn);

Q_SIGNALS:
    void profileChanged();
    void modifiedChanged(bool modified);
    void issuesChanged(int count);

private:
    struct Binding
    {
        QString path;
        QFormLayout *form = nullptr;
        QWidget *row = nullptr;
        QWidget *input = nullptr;
        QLabel *issue = nullptr;
        std::function<void()> load;
    };
    Binding &addRow(QFormLayout *form, const QString &label, const QString &path, QWidget *input,
        QWidget *field = nullptr);
    void watchTyping(QLineEdit *line);
    void refresh();
    void showIssues();
    bool claims(const Binding &b, const QString &issuePath) const;
    const Binding *owner(const QString &issuePath) const;

    QUndoStack *m_stack;
    profiles::Profile m_profile;
    profiles::Profile m_saved;
    profiles::Issues m_issues;
    QList<Binding> m_bindings;
    QList<std::pair<QPointer<QObject>, std::function<void(const profiles::Profile &)>>>
        m_refreshers;
    QString m_baseDir;
    int m_typingSession = 0;
    bool m_wasModified = false;
};

} // namespace provbench
