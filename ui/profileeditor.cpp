#include "ui/profileeditor.h"

#include "ui/namingpreview.h"

#include "app/profiles/profilelibrary.h"
#include "ui/dynamicprofileform.h"
#include "ui/profilebinder.h"
#include "ui/profilesections.h"
#include "ui/staticprofileform.h"

#include <QAction>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStyle>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace provbench {

using namespace profiles;

ProfileEditor::ProfileEditor(ProfileLibrary *library, QWidget *parent)
    : QWidget(parent),
      m_library(library),
      m_binder(new ProfileBinder(this)),
      m_stack(new QStackedWidget(this)),
      m_placeholder(new QLabel(this)),
      m_undo(m_binder->undoStack()->createUndoAction(this, tr("Undo"))),
      m_redo(m_binder->undoStack()->createRedoAction(this, tr("Redo"))),
      m_save(new QAction(tr("Save"), this)),
      m_revert(new QAction(tr("Revert"), this))
{
    if (library)
        m_binder->setBaseDirectory(library->workspace().path());

    m_undo->setObjectName(QStringLiteral("undoAction"));
    m_undo->setIcon(
        QIcon::fromTheme(QStringLiteral("edit-undo"), style()->standardIcon(QStyle::SP_ArrowBack)));
    m_undo->setShortcut(QKeySequence::Undo);
    m_redo->setObjectName(QStringLiteral("redoAction"));
    m_redo->setIcon(QIcon::fromTheme(
        QStringLiteral("edit-redo"), style()->standardIcon(QStyle::SP_ArrowForward)));
    m_redo->setShortcuts({QKeySequence(Qt::ControlModifier | Qt::ShiftModifier | Qt::Key_Z),
        QKeySequence(QKeySequence::Redo)});
    m_save->setObjectName(QStringLiteral("saveAction"));
    m_save->setIcon(QIcon::fromTheme(
        QStringLiteral("document-save"), style()->standardIcon(QStyle::SP_DialogSaveButton)));
    m_save->setShortcut(QKeySequence::Save);
    m_revert->setObjectName(QStringLiteral("revertAction"));
    m_revert->setIcon(QIcon::fromTheme(
        QStringLiteral("document-revert"), style()->standardIcon(QStyle::SP_BrowserReload)));
    for (QAction *a : {m_undo, m_redo, m_save, m_revert}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
    }
    connect(m_save, &QAction::triggered, this, &ProfileEditor::save);
    connect(m_revert, &QAction::triggered, this, &ProfileEditor::revert);

    m_placeholder->setObjectName(QStringLiteral("editorPlaceholder"));
    m_placeholder->setText(tr("Select a profile on the left, or create one with New."));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setWordWrap(true);
    m_placeholder->setEnabled(false);
    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(buildEditor());

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);

    connect(m_binder, &ProfileBinder::profileChanged, this, &ProfileEditor::updateHeader);
    connect(m_binder, &ProfileBinder::modifiedChanged, this, &ProfileEditor::modifiedChanged);
    setProfileId(QString());
}

ProfileEditor::~ProfileEditor() = default;

void ProfileEditor::setDevices(DeviceRegistry *devices)
{
    m_preview->setDevices(devices);
}

QWidget *ProfileEditor::buildEditor()
{
    auto *page = new QWidget(m_stack);

    m_title = new QLabel(page);
    m_title->setObjectName(QStringLiteral("editorTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.25);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText);
    m_marker = new QLabel(QStringLiteral("\u2022"), page);
    m_marker->setObjectName(QStringLiteral("modifiedMarker"));
    m_marker->setFont(titleFont);
    m_marker->setStyleSheet(QStringLiteral("QLabel { color: #d97706; }"));
    m_marker->setToolTip(tr("Unsaved changes"));
    m_kind = new QLabel(page);
    m_kind->setObjectName(QStringLiteral("kindBadge"));
    m_issueCount = new QLabel(page);
    m_issueCount->setObjectName(QStringLiteral("issueCount"));

    auto *header = new QHBoxLayout;
    header->addWidget(m_title);
    header->addWidget(m_marker);
    header->addSpacing(6);
    header->addWidget(m_kind);
    header->addSpacing(6);
    header->addWidget(m_issueCount);
    header->addStretch(1);
    for (QAction *a : {m_undo, m_redo, m_revert, m_save}) {
        auto *button = new QToolButton(page);
        button->setDefaultAction(a);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        button->setObjectName(a->objectName() + QStringLiteral("Button"));
        header->addWidget(button);
    }

    m_unplaced = new QLabel(page);
    m_unplaced->setObjectName(QStringLiteral("unplacedIssues"));
    m_unplaced->setWordWrap(true);
    m_unplaced->setTextFormat(Qt::PlainText);
    m_unplaced->setStyleSheet(
        QStringLiteral("QLabel { color: #991b1b; background: #fee2e2; border: 1px solid #fca5a5;"
                       " border-radius: 4px; padding: 6px; }"));

    auto *body = new QWidget;
    auto *left = new QVBoxLayout;
    left->addWidget(buildGeneralSection(m_binder, body, &m_preview));
    left->addWidget(buildNetworkSection(m_binder, body));
    left->addStretch(1);
    auto *right = new QVBoxLayout;
    right->addWidget(buildServicesSection(m_binder, body));
    m_staticForm = new StaticProfileForm(m_binder, body);
    m_staticForm->setObjectName(QStringLiteral("staticForm"));
    m_dynamicForm = new DynamicProfileForm(m_binder, body);
    m_dynamicForm->setObjectName(QStringLiteral("dynamicForm"));
    right->addWidget(m_staticForm);
    right->addWidget(m_dynamicForm);
    right->addStretch(1);
    auto *columns = new QHBoxLayout(body);
    columns->setContentsMargins(0, 0, 6, 0);
    columns->addLayout(left, 1);
    columns->addSpacing(8);
    columns->addLayout(right, 1);

    auto *scroll = new QScrollArea(page);
    scroll->setObjectName(QStringLiteral("editorScroll"));
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(body);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 0, 0);
    layout->addLayout(header);
    layout->addWidget(m_unplaced);
    layout->addWidget(scroll, 1);
    return page;
}

void ProfileEditor::setProfileId(const QString &id)
{
    Profile profile = defaultProfile(ProfileKind::Static);
    QString shownId;
    if (!id.isEmpty() && m_library) {
        if (auto loaded = m_library->load(id)) {
            profile = *loaded;
            shownId = id;
        } else {
            m_placeholder->setText(loaded.error().message);
        }
    } else {
        m_placeholder->setText(tr("Select a profile on the left, or create one with New."));
    }
    m_id = shownId;
    m_binder->setProfile(profile);
    m_stack->setCurrentIndex(m_id.isEmpty() ? 0 : 1);
    updateHeader();
}

bool ProfileEditor::isModified() const
{
    return !m_id.isEmpty() && m_binder->isModified();
}

bool ProfileEditor::save()
{
    if (m_id.isEmpty() || !m_library)
        return false;
    const Result<void> ok = m_library->save(m_id, m_binder->profile());
    if (!ok) {
        QMessageBox::warning(this, tr("Save Profile"), ok.error().message);
        return false;
    }
    m_binder->markSaved();
    Q_EMIT saved(m_id);
    return true;
}

void ProfileEditor::revert()
{
    setProfileId(m_id);
}

bool ProfileEditor::maybeSave()
{
    if (!isModified())
        return true;
    const auto answer = QMessageBox::question(this, tr("Unsaved Changes"),
        tr("The profile \u201c%1\u201d has unsaved changes. Save them?")
            .arg(m_binder->profile().name),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Save)
        return save();
    if (answer == QMessageBox::Discard) {
        revert();
        return true;
    }
    return false;
}

void ProfileEditor::updateHeader()
{
    const Profile &p = m_binder->profile();
    m_title->setText(p.name.isEmpty() ? tr("(unnamed profile)") : p.name);
    m_marker->setVisible(isModified());
    m_save->setEnabled(!m_id.isEmpty() && isModified());
    m_revert->setEnabled(!m_id.isEmpty() && isModified());

    const bool isStatic = p.kind() == ProfileKind::Static;
    m_kind->setText(isStatic ? tr("Static") : tr("Dynamic"));
    m_kind->setStyleSheet(
        QStringLiteral("QLabel { color: white; background: %1; border-radius: 8px;"
                       " padding: 1px 8px; font-weight: 600; }")
            .arg(isStatic ? QStringLiteral("#2563eb") : QStringLiteral("#7c3aed")));
    m_staticForm->setVisible(isStatic);
    m_dynamicForm->setVisible(!isStatic);

    const qsizetype issues = m_binder->issues().size();
    if (issues == 0) {
        m_issueCount->setText(tr("\u2713 Ready to use"));
        m_issueCount->setStyleSheet(QStringLiteral("QLabel { color: #15803d; font-weight: 600; }"));
    } else {
        m_issueCount->setText(tr("%n issue(s)", nullptr, int(issues)));
        m_issueCount->setStyleSheet(QStringLiteral("QLabel { color: #b91c1c; font-weight: 600; }"));
    }
    const Issues unplaced = m_binder->unplacedIssues();
    m_unplaced->setText(describe(unplaced));
    m_unplaced->setVisible(!unplaced.isEmpty());
}

} // namespace provbench
