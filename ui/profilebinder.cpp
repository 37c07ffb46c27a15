#include "ui/profilebinder.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QUndoCommand>
#include <QUndoStack>
#include <QVBoxLayout>

namespace provbench {

using namespace profiles;

namespace {

// One field edit: the whole profile before and after, so undo never has to
// know how a field maps into the profile.
class EditCommand : public QUndoCommand
{
public:
    EditCommand(ProfileBinder *binder, QString path, const QString &label, Profile before,
        Profile after, int session)
        : m_binder(binder),
          m_path(std::move(path)),
          m_before(std::move(before)),
          m_after(std::move(after)),
          m_session(session)
    {
        setText(QObject::tr("edit %1").arg(label));
    }

    int id() const override { return m_session < 0 ? -1 : 1; }
    bool mergeWith(const QUndoCommand *other) override
    {
        const auto *o = static_cast<const EditCommand *>(other);
        if (o->m_path != m_path || o->m_session != m_session)
            return false;
        m_after = o->m_after;
        setObsolete(m_after == m_before);
        return true;
    }
    void redo() override { m_binder->apply(m_after); }
    void undo() override { m_binder->apply(m_before); }

private:
    ProfileBinder *m_binder;
    QString m_path;
    Profile m_before;
    Profile m_after;
    int m_session;
};

// The editor's undo stack, not QLineEdit's own, answers Ctrl+Z and
// Ctrl+Shift+Z: a line edit would otherwise claim them as shortcut overrides.
class UndoKeyFilter : public QObject
{
public:
    using QObject::QObject;
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::ShortcutOverride) {
            auto *key = static_cast<QKeyEvent *>(event);
            if (key->matches(QKeySequence::Undo) || key->matches(QKeySequence::Redo)
                || key->keyCombination()
                    == QKeyCombination(Qt::ControlModifier | Qt::ShiftModifier, Qt::Key_Z)) {
                event->ignore();
                return true;
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

QStringList splitList(const QString &text)
{
    static const QRegularExpression separators(QStringLiteral("[,\\s]+"));
    return text.split(separators, Qt::SkipEmptyParts);
}

const QString kInvalidStyle = QStringLiteral(
    "%1 { border: 1px solid #dc2626; border-radius: 3px; padding: 2px; background: #fff7f7; }");

} // namespace

ProfileBinder::ProfileBinder(QObject *parent) : QObject(parent), m_stack(new QUndoStack(this)) { }

ProfileBinder::~ProfileBinder()
{
    // The commands point back here; drop them before the members go.
    m_stack->clear();
}

void ProfileBinder::setProfile(const Profile &profile)
{
    m_stack->clear();
    m_saved = profile;
    apply(profile);
}

void ProfileBinder::markSaved()
{
    m_saved = m_profile;
    m_stack->setClean();
    refresh();
}

void ProfileBinder::edit(const QString &path, const QString &label,
    const std::function<void(Profile &)> &change, bool typing)
{
    Profile after = m_profile;
    change(after);
    if (after == m_profile)
        return;
    m_stack->push(
        new EditCommand(this, path, label, m_profile, after, typing ? m_typingSession : -1));
}

void ProfileBinder::apply(const Profile &profile)
{
    m_profile = profile;
    refresh();
}

void ProfileBinder::refresh()
{
    for (const Binding &b : std::as_const(m_bindings))
        b.load();
    for (qsizetype i = m_refreshers.size() - 1; i >= 0; --i) {
        if (!m_refreshers[i].first)
            m_refreshers.removeAt(i);
    }
    for (const auto &[context, fn] : std::as_const(m_refreshers))
        fn(m_profile);
    m_issues = validate(m_profile);
    showIssues();
    Q_EMIT profileChanged();
    Q_EMIT issuesChanged(int(m_issues.size()));
    if (isModified() != m_wasModified) {
        m_wasModified = isModified();
        Q_EMIT modifiedChanged(m_wasModified);
    }
}

bool ProfileBinder::claims(const Binding &b, const QString &issuePath) const
{
    return issuePath == b.path || issuePath.startsWith(b.path + QLatin1Char('['))
        || issuePath.startsWith(b.path + QLatin1Char('.'));
}

// The most specific visible field for an issue: "network.wifi.passphrase"
// goes under the passphrase, not under the "network.wifi" check box.
const ProfileBinder::Binding *ProfileBinder::owner(const QString &issuePath) const
{
    const Binding *best = nullptr;
    for (const Binding &b : m_bindings) {
        if (claims(b, issuePath) && (!best || b.path.size() > best->path.size()))
            best = &b;
    }
    return best && !best->row->isHidden() ? best : nullptr;
}

void ProfileBinder::showIssues()
{
    QHash<const Binding *, QStringList> messages;
    for (const Issue &issue : std::as_const(m_issues)) {
        if (const Binding *b = owner(issue.path))
            messages[b] << issue.message;
    }
    for (const Binding &b : std::as_const(m_bindings)) {
        const QStringList mine = messages.value(&b);
        const bool invalid = !mine.isEmpty();
        b.issue->setText(mine.join(QLatin1Char('\n')));
        b.issue->setVisible(invalid);
        b.input->setStyleSheet(invalid
                ? kInvalidStyle.arg(QLatin1String(b.input->metaObject()->className()))
                : QString());
    }
}

Issues ProfileBinder::unplacedIssues() const
{
    Issues out;
    for (const Issue &issue : m_issues) {
        if (!owner(issue.path))
            out << issue;
    }
    return out;
}

ProfileBinder::Binding &ProfileBinder::addRow(
    QFormLayout *form, const QString &label, const QString &path, QWidget *input, QWidget *field)
{
    QWidget *parent = form->parentWidget();
    auto *row = new QWidget(parent);
    auto *layout = new QVBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field ? field : input);
    auto *issue = new QLabel(row);
    issue->setObjectName(path + QStringLiteral("#issue"));
    issue->setWordWrap(true);
    issue->setStyleSheet(QStringLiteral("QLabel { color: #b91c1c; }"));
    issue->hide();
    layout->addWidget(issue);
    input->setObjectName(path);
    form->addRow(label, row);

    Binding b;
    b.path = path;
    b.form = form;
    b.row = row;
    b.input = input;
    b.issue = issue;
    m_bindings.append(b);
    return m_bindings.last();
}

void ProfileBinder::watchTyping(QLineEdit *line)
{
    line->installEventFilter(new UndoKeyFilter(line));
    connect(line, &QLineEdit::editingFinished, this, [this] { ++m_typingSession; });
}

QLineEdit *ProfileBinder::addText(QFormLayout *form, const QString &label, const QString &path,
    Getter<QString> get, Setter<QString> set)
{
    auto *line = new QLineEdit(form->parentWidget());
    Binding &b = addRow(form, label, path, line);
    b.load = [this, line, get] {
        const QString value = get(m_profile);
        if (line->text() != value) {
            const QSignalBlocker block(line);
            line->setText(value);
            if (!line->hasFocus())
                line->setCursorPosition(0); // show the start of a long description
        }
    };
    watchTyping(line);
    connect(line, &QLineEdit::textEdited, this, [this, path, label, set](const QString &text) {
        edit(
            path, label, [&](Profile &p) { set(p, text); }, true);
    });
    return line;
}

QLineEdit *ProfileBinder::addSecret(QFormLayout *form, const QString &label, const QString &path,
    Getter<Secret> get, Setter<Secret> set)
{
    auto *line = new QLineEdit(form->parentWidget());
    line->setEchoMode(QLineEdit::Password);
    QAction *show
        = line->addAction(QIcon(QStringLiteral(":/icons/eye.svg")), QLineEdit::TrailingPosition);
    show->setCheckable(true);
    show->setToolTip(tr("Show or hide the value"));
    show->setObjectName(path + QStringLiteral("#show"));
    connect(show, &QAction::toggled, line,
        [line](bool on) { line->setEchoMode(on ? QLineEdit::Normal : QLineEdit::Password); });
    Binding &b = addRow(form, label, path, line);
    b.load = [this, line, get] {
        const Secret value = get(m_profile);
        line->setPlaceholderText(
            value.masked ? tr("Removed by a masked export: enter it again") : QString());
        if (line->text() != value.value) {
            const QSignalBlocker block(line);
            line->setText(value.value);
        }
    };
    watchTyping(line);
    connect(line, &QLineEdit::textEdited, this, [this, path, label, set](const QString &text) {
        edit(
            path, label,
            [&](Profile &p) {
                set(p, Secret{text, false});
            },
            true);
    });
    return line;
}

QLineEdit *ProfileBinder::addList(QFormLayout *form, const QString &label, const QString &path,
    Getter<QStringList> get, Setter<QStringList> set)
{
    auto *line = new QLineEdit(form->parentWidget());
    line->setPlaceholderText(tr("Separate several with commas"));
    Binding &b = addRow(form, label, path, line);
    // Compared as lists, so "a, " being typed is not rewritten to "a".
    b.load = [this, line, get] {
        const QStringList value = get(m_profile);
        if (splitList(line->text()) != value) {
            const QSignalBlocker block(line);
            line->setText(value.join(QStringLiteral(", ")));
        }
    };
    watchTyping(line);
    connect(line, &QLineEdit::textEdited, this, [this, path, label, set](const QString &text) {
        edit(
            path, label, [&](Profile &p) { set(p, splitList(text)); }, true);
    });
    return line;
}

QLineEdit *ProfileBinder::addFile(QFormLayout *form, const QString &label, const QString &path,
    Getter<QString> get, Setter<QString> set)
{
    auto *field = new QWidget(form->parentWidget());
    auto *line = new QLineEdit(field);
    line->setPlaceholderText(tr("PEM file, relative to the workspace"));
    auto *browse = new QPushButton(tr("Browse\u2026"), field);
    browse->setObjectName(path + QStringLiteral("#browse"));
    auto *layout = new QHBoxLayout(field);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(line, 1);
    layout->addWidget(browse);
    Binding &b = addRow(form, label, path, line, field);
    b.load = [this, line, get] {
        const QString value = get(m_profile);
        if (line->text() != value) {
            const QSignalBlocker block(line);
            line->setText(value);
        }
    };
    watchTyping(line);
    connect(line, &QLineEdit::textEdited, this, [this, path, label, set](const QString &text) {
        edit(
            path, label, [&](Profile &p) { set(p, text); }, true);
    });
    connect(browse, &QPushButton::clicked, this, [this, line, path, label, set] {
        const QString start = m_baseDir.isEmpty() ? QDir::homePath() : m_baseDir;
        const QString file = QFileDialog::getOpenFileName(
            line->window(), label, start, tr("PEM files (*.pem *.crt *.key);;All files (*)"));
        if (file.isEmpty())
            return;
        QString value = QFileInfo(file).absoluteFilePath();
        if (!m_baseDir.isEmpty()) {
            const QString relative = QDir(m_baseDir).relativeFilePath(value);
            if (!relative.startsWith(QLatin1String("..")))
                value = relative;
        }
        edit(
            path, label, [&](Profile &p) { set(p, value); }, false);
    });
    return line;
}

QCheckBox *ProfileBinder::addCheck(QFormLayout *form, const QString &label, const QString &path,
    Getter<bool> get, Setter<bool> set)
{
    auto *box = new QCheckBox(label, form->parentWidget());
    Binding &b = addRow(form, QString(), path, box);
    b.load = [this, box, get] {
        const bool value = get(m_profile);
        if (box->isChecked() != value) {
            const QSignalBlocker block(box);
            box->setChecked(value);
        }
    };
    connect(box, &QCheckBox::toggled, this, [this, path, label, set](bool on) {
        edit(
            path, label, [&](Profile &p) { set(p, on); }, false);
    });
    return box;
}

QSpinBox *ProfileBinder::addSpin(QFormLayout *form, const QString &label, const QString &path,
    int min, int max, const QString &suffix, Getter<int> get, Setter<int> set)
{
    auto *spin = new QSpinBox(form->parentWidget());
    spin->setRange(min, max);
    spin->setSuffix(suffix);
    spin->setMaximumWidth(
        spin->fontMetrics().horizontalAdvance(QString::number(max) + suffix) + 60);
    spin->installEventFilter(new UndoKeyFilter(spin));
    Binding &b = addRow(form, label, path, spin);
    b.load = [this, spin, get] {
        const int value = get(m_profile);
        if (spin->value() != value) {
            const QSignalBlocker block(spin);
            spin->setValue(value);
        }
    };
    connect(spin, &QSpinBox::editingFinished, this, [this] { ++m_typingSession; });
    connect(spin, &QSpinBox::valueChanged, this, [this, path, label, set](int value) {
        edit(
            path, label, [&](Profile &p) { set(p, value); }, true);
    });
    return spin;
}

QComboBox *ProfileBinder::addCombo(QFormLayout *form, const QString &label, const QString &path,
    const Choices &choices, Getter<int> get, Setter<int> set)
{
    auto *combo = new QComboBox(form->parentWidget());
    for (const auto &[text, value] : choices)
        combo->addItem(text, value);
    combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    Binding &b = addRow(form, label, path, combo);
    b.load = [this, combo, get] {
        const int index = combo->findData(get(m_profile));
        if (combo->currentIndex() != index) {
            const QSignalBlocker block(combo);
            combo->setCurrentIndex(index);
        }
    };
    connect(combo, &QComboBox::activated, this, [this, combo, path, label, set](int index) {
        const int value = combo->itemData(index).toInt();
        edit(
            path, label, [&](Profile &p) { set(p, value); }, false);
    });
    return combo;
}

void ProfileBinder::setRowVisible(QWidget *input, bool visible)
{
    for (const Binding &b : std::as_const(m_bindings)) {
        if (b.input == input) {
            b.form->setRowVisible(b.row, visible);
            return;
        }
    }
}

void ProfileBinder::onRefresh(QObject *context, const std::function<void(const Profile &)> &fn)
{
    m_refreshers.append({QPointer<QObject>(context), fn});
    fn(m_profile);
}

} // namespace provbench
