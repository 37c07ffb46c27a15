#include "ui/profilespanel.h"

#include "app/profiles/profilelibrary.h"
#include "models/profilelistmodel.h"
#include "ui/profilebinder.h"
#include "ui/profileeditor.h"

#include <QCheckBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QToolButton>
#include <QVBoxLayout>

namespace provbench {

using namespace profiles;

namespace {

// Where to write an export and whether its secrets go with it (off unless
// the user ticks the box, with a warning while it is ticked).
class ExportDialog : public QDialog
{
public:
    ExportDialog(const QString &suggestedPath, QWidget *parent) : QDialog(parent)
    {
        setWindowTitle(tr("Export Profile"));
        m_path->setObjectName(QStringLiteral("exportPath"));
        m_path->setText(suggestedPath);
        m_path->setMinimumWidth(360);
        auto *browse = new QPushButton(tr("Browse\u2026"), this);
        connect(browse, &QPushButton::clicked, this, [this] {
            const QString file = QFileDialog::getSaveFileName(
                this, tr("Export Profile"), m_path->text(), tr("Profiles (*.json)"));
            if (!file.isEmpty())
                m_path->setText(file);
        });
        m_secrets->setObjectName(QStringLiteral("includeSecrets"));
        m_warning->setObjectName(QStringLiteral("secretsWarning"));
        m_warning->setWordWrap(true);
        m_warning->setText(
            tr("The file will hold the Wi-Fi passphrase, keys and passwords in plain text. "
               "Anyone who gets it can join the network and pose as your devices."));
        m_warning->setStyleSheet(
            QStringLiteral("QLabel { color: #991b1b; background: #fee2e2; border: 1px solid "
                           "#fca5a5; border-radius: 4px; padding: 6px; }"));
        m_warning->hide();
        auto *note = new QLabel(
            tr("Without secrets, each one is replaced by a marker; whoever imports the file "
               "enters them again."),
            this);
        note->setWordWrap(true);
        note->setEnabled(false);
        connect(m_secrets, &QCheckBox::toggled, m_warning, &QWidget::setVisible);

        auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
        buttons->button(QDialogButtonBox::Ok)->setText(tr("Export"));
        connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

        auto *pathRow = new QHBoxLayout;
        pathRow->addWidget(m_path, 1);
        pathRow->addWidget(browse);
        auto *layout = new QVBoxLayout(this);
        layout->addWidget(new QLabel(tr("Export to:"), this));
        layout->addLayout(pathRow);
        layout->addWidget(m_secrets);
        layout->addWidget(m_warning);
        layout->addWidget(note);
        layout->addStretch(1);
        layout->addWidget(buttons);
    }

    QString path() const { return m_path->text().trimmed(); }
    bool includeSecrets() const { return m_secrets->isChecked(); }

private:
    QLineEdit *m_path = new QLineEdit(this);
    QCheckBox *m_secrets = new QCheckBox(tr("Include secrets"), this);
    QLabel *m_warning = new QLabel(this);
};

} // namespace

ProfilesPanel::ProfilesPanel(ProfileLibrary *library, QWidget *parent)
    : QWidget(parent),
      m_library(library),
      m_model(new ProfileListModel(library, this)),
      m_view(new QListView(this)),
      m_editor(new ProfileEditor(library, this)),
      m_splitter(new QSplitter(Qt::Horizontal, this)),
      m_new(new QToolButton(this)),
      m_duplicate(new QPushButton(tr("Duplicate"), this)),
      m_rename(new QPushButton(tr("Rename\u2026"), this)),
      m_delete(new QPushButton(tr("Delete"), this)),
      m_import(new QPushButton(tr("Import\u2026"), this)),
      m_export(new QPushButton(tr("Export\u2026"), this))
{
    m_view->setObjectName(QStringLiteral("profileList"));
    m_view->setModel(m_model);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setIconSize(QSize(20, 20));
    m_view->setSpacing(2);
    m_view->setUniformItemSizes(true);
    m_editor->setObjectName(QStringLiteral("profileEditor"));

    auto *newMenu = new QMenu(m_new);
    QAction *newStatic = newMenu->addAction(tr("Static profile"));
    newStatic->setObjectName(QStringLiteral("newStaticAction"));
    newStatic->setToolTip(tr("Fixed settings and credentials written on the bench."));
    QAction *newDynamic = newMenu->addAction(tr("Dynamic profile"));
    newDynamic->setObjectName(QStringLiteral("newDynamicAction"));
    newDynamic->setToolTip(tr("Bootstrap material only; devices enroll for their own "
                              "credentials."));
    connect(newStatic, &QAction::triggered, this, [this] { newProfile(ProfileKind::Static); });
    connect(newDynamic, &QAction::triggered, this, [this] { newProfile(ProfileKind::Dynamic); });
    m_new->setObjectName(QStringLiteral("newProfileButton"));
    m_new->setText(tr("New"));
    m_new->setMenu(newMenu);
    m_new->setPopupMode(QToolButton::InstantPopup);
    m_new->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_new->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    m_new->setMinimumHeight(m_duplicate->sizeHint().height());

    m_duplicate->setObjectName(QStringLiteral("duplicateButton"));
    m_rename->setObjectName(QStringLiteral("renameButton"));
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    m_import->setObjectName(QStringLiteral("importButton"));
    m_export->setObjectName(QStringLiteral("exportButton"));
    connect(m_duplicate, &QPushButton::clicked, this, &ProfilesPanel::duplicateCurrent);
    connect(m_rename, &QPushButton::clicked, this, &ProfilesPanel::renameCurrent);
    connect(m_delete, &QPushButton::clicked, this, &ProfilesPanel::deleteCurrent);
    connect(m_import, &QPushButton::clicked, this, &ProfilesPanel::importProfile);
    connect(m_export, &QPushButton::clicked, this, &ProfilesPanel::exportCurrent);

    auto *title = new QLabel(tr("Profiles"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    title->setFont(titleFont);

    auto *buttons = new QGridLayout;
    buttons->setSpacing(4);
    buttons->addWidget(m_new, 0, 0);
    buttons->addWidget(m_duplicate, 0, 1);
    buttons->addWidget(m_rename, 0, 2);
    buttons->addWidget(m_delete, 1, 0);
    buttons->addWidget(m_import, 1, 1);
    buttons->addWidget(m_export, 1, 2);

    auto *side = new QWidget(m_splitter);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(6, 6, 0, 6);
    sideLayout->addWidget(title);
    sideLayout->addWidget(m_view, 1);
    sideLayout->addLayout(buttons);

    m_splitter->setObjectName(QStringLiteral("profilesSplitter"));
    m_splitter->addWidget(side);
    m_splitter->addWidget(m_editor);
    m_splitter->setChildrenCollapsible(false);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_splitter);
    resetLayout();

    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
        &ProfilesPanel::currentChanged);
    connect(m_editor, &ProfileEditor::modifiedChanged, this, &ProfilesPanel::updateButtons);
    if (library)
        connect(library, &ProfileLibrary::changed, this, &ProfilesPanel::libraryChanged);
    libraryChanged();
}

void ProfilesPanel::resetLayout()
{
    m_splitter->setSizes({300, 980});
}

QByteArray ProfilesPanel::saveSplitterState() const
{
    return m_splitter->saveState();
}

void ProfilesPanel::restoreSplitterState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_splitter->restoreState(state);
}

QString ProfilesPanel::currentProfileId() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() ? current.data(ProfileListModel::IdRole).toString() : QString();
}

void ProfilesPanel::selectProfile(const QString &id)
{
    const QModelIndex index = m_model->indexOf(id);
    if (!index.isValid())
        return;
    m_view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect);
    m_view->scrollTo(index);
}

bool ProfilesPanel::maybeLeave()
{
    return m_editor->maybeSave();
}

void ProfilesPanel::currentChanged(const QModelIndex &current, const QModelIndex &previous)
{
    if (m_reverting)
        return;
    const QString id = current.data(ProfileListModel::IdRole).toString();
    if (id != m_editor->profileId()) {
        if (!m_editor->maybeSave()) {
            // Cancelled: stay on the profile being edited.
            m_reverting = true;
            m_view->selectionModel()->setCurrentIndex(
                previous, QItemSelectionModel::ClearAndSelect);
            m_reverting = false;
            return;
        }
        m_editor->setProfileId(id);
    }
    updateButtons();
}

void ProfilesPanel::libraryChanged()
{
    const QString open = m_editor->profileId();
    if (!open.isEmpty() && !m_model->indexOf(open).isValid()) {
        // The open profile's file is gone (deleted, renamed elsewhere).
        m_editor->setProfileId(currentProfileId());
    } else if (!open.isEmpty() && !m_editor->isModified() && m_library) {
        const auto onDisk = m_library->load(open);
        if (onDisk && *onDisk != m_editor->binder()->profile())
            m_editor->setProfileId(open);
    }
    if (!m_view->selectionModel()->currentIndex().isValid() && m_model->rowCount() > 0)
        selectProfile(m_model->idAt(0));
    updateButtons();
}

void ProfilesPanel::updateButtons()
{
    const bool has = !currentProfileId().isEmpty();
    for (QPushButton *b : {m_duplicate, m_rename, m_delete, m_export})
        b->setEnabled(has && m_library);
    m_new->setEnabled(m_library);
    m_import->setEnabled(m_library);
}

void ProfilesPanel::showError(const QString &title, const QString &message)
{
    QMessageBox::warning(this, title, message);
}

void ProfilesPanel::newProfile(ProfileKind kind)
{
    if (!m_library || !maybeLeave())
        return;
    const Result<QString> id = m_library->create(defaultProfile(kind));
    if (!id)
        return showError(tr("New Profile"), id.error().message);
    selectProfile(*id);
}

void ProfilesPanel::duplicateCurrent()
{
    const QString id = currentProfileId();
    if (!m_library || id.isEmpty() || !maybeLeave())
        return;
    const Result<QString> copy = m_library->duplicate(id);
    if (!copy)
        return showError(tr("Duplicate Profile"), copy.error().message);
    selectProfile(*copy);
}

void ProfilesPanel::renameCurrent()
{
    const QString id = currentProfileId();
    if (!m_library || id.isEmpty() || !maybeLeave())
        return;
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Rename Profile"), tr("New name:"),
        QLineEdit::Normal, m_editor->binder()->profile().name, &ok);
    if (!ok || name.trimmed().isEmpty())
        return;
    const Result<QString> newId = m_library->rename(id, name);
    if (!newId)
        return showError(tr("Rename Profile"), newId.error().message);
    selectProfile(*newId);
}

void ProfilesPanel::deleteCurrent()
{
    const QString id = currentProfileId();
    if (!m_library || id.isEmpty())
        return;
    const QString name = m_view->selectionModel()->currentIndex().data().toString();
    const auto answer = QMessageBox::question(this, tr("Delete Profile"),
        tr("Delete the profile \u201c%1\u201d? Its file is removed from the workspace; "
           "this cannot be undone.")
            .arg(name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return;
    // Unsaved edits of a deleted profile go with it.
    m_editor->setProfileId(QString());
    if (const Result<void> ok = m_library->remove(id); !ok)
        showError(tr("Delete Profile"), ok.error().message);
}

void ProfilesPanel::importProfile()
{
    if (!m_library || !maybeLeave())
        return;
    const QString file = QFileDialog::getOpenFileName(
        this, tr("Import Profile"), QDir::homePath(), tr("Profiles (*.json);;All files (*)"));
    if (file.isEmpty())
        return;
    const Result<QString> id = m_library->importFile(file);
    if (!id)
        return showError(tr("Import Profile"), id.error().message);
    selectProfile(*id);
}

void ProfilesPanel::exportCurrent()
{
    const QString id = currentProfileId();
    if (!m_library || id.isEmpty() || !maybeLeave())
        return;
    ExportDialog dialog(QDir::home().filePath(id + QStringLiteral(".json")), this);
    if (dialog.exec() != QDialog::Accepted || dialog.path().isEmpty())
        return;
    const Result<void> ok = m_library->exportTo(id, dialog.path(), dialog.includeSecrets());
    if (!ok)
        return showError(tr("Export Profile"), ok.error().message);
}

} // namespace provbench
