#include "ui/comparepanel.h"

#include "app/storage/credentialledger.h"

#include "app/profiles/profilelibrary.h"
#include "app/storage/workspace.h"
#include "models/profilediffmodel.h"
#include "models/profilelistmodel.h"
#include "ui/assessmentview.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace provbench {

using namespace profiles;

ComparePanel::ComparePanel(ProfileLibrary *library, QWidget *parent)
    : QWidget(parent),
      m_library(library),
      m_profiles(new ProfileListModel(library, this)),
      m_left(new QComboBox(this)),
      m_right(new QComboBox(this)),
      m_devices(new QSpinBox(this)),
      m_export(new QPushButton(tr("Export Report\u2026"), this)),
      m_recommendation(new QLabel(this)),
      m_diffModel(new ProfileDiffModel(this)),
      m_diff(new QTableView(this)),
      m_diffSummary(new QLabel(this)),
      m_leftView(new AssessmentView(this)),
      m_rightView(new AssessmentView(this)),
      m_splitter(new QSplitter(Qt::Vertical, this))
{
    for (QComboBox *combo : {m_left, m_right}) {
        combo->setModel(m_profiles);
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
        combo->setMinimumContentsLength(20);
        connect(combo, &QComboBox::currentIndexChanged, this, &ComparePanel::recompute);
    }
    m_left->setObjectName(QStringLiteral("leftProfile"));
    m_right->setObjectName(QStringLiteral("rightProfile"));
    m_devices->setObjectName(QStringLiteral("deviceCount"));
    m_devices->setRange(1, 100000);
    m_devices->setValue(5);
    m_devices->setGroupSeparatorShown(true);
    m_devices->setMinimumWidth(
        m_devices->fontMetrics().horizontalAdvance(QStringLiteral("100,000")) + 40);
    connect(m_devices, &QSpinBox::valueChanged, this, &ComparePanel::recompute);

    auto *top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Compare"), this));
    top->addWidget(m_left);
    top->addWidget(new QLabel(tr("with"), this));
    top->addWidget(m_right);
    top->addSpacing(12);
    top->addWidget(new QLabel(tr("for"), this));
    top->addWidget(m_devices);
    top->addWidget(new QLabel(tr("devices"), this));
    for (int n : {5, 500}) {
        auto *quick = new QPushButton(QString::number(n), this);
        quick->setObjectName(QStringLiteral("devices%1").arg(n));
        quick->setToolTip(tr("Compare for %1 devices").arg(n));
        quick->setFixedWidth(quick->fontMetrics().horizontalAdvance(QStringLiteral("5000")) + 16);
        connect(quick, &QPushButton::clicked, this, [this, n] { setDevices(n); });
        top->addWidget(quick);
    }
    top->addStretch(1);
    m_export->setObjectName(QStringLiteral("exportReport"));
    connect(m_export, &QPushButton::clicked, this, &ComparePanel::exportReport);
    top->addWidget(m_export);

    m_recommendation->setObjectName(QStringLiteral("recommendation"));
    m_recommendation->setWordWrap(true);
    m_recommendation->setTextFormat(Qt::PlainText);
    m_recommendation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont big = m_recommendation->font();
    big.setPointSizeF(big.pointSizeF() * 1.1);
    m_recommendation->setFont(big);
    m_recommendation->setStyleSheet(
        QStringLiteral("QLabel { background: #eff6ff; color: #1e3a8a; border: 1px solid #bfdbfe;"
                       " border-radius: 6px; padding: 8px 12px; }"));

    m_diff->setObjectName(QStringLiteral("diffTable"));
    m_diff->setModel(m_diffModel);
    m_diff->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_diff->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_diff->setWordWrap(false);
    m_diff->setTextElideMode(Qt::ElideMiddle);
    m_diff->verticalHeader()->hide();
    m_diff->verticalHeader()->setDefaultSectionSize(m_diff->fontMetrics().height() + 8);
    m_diff->horizontalHeader()->setHighlightSections(false);
    m_diff->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_diff->horizontalHeader()->setSectionResizeMode(
        ProfileDiffModel::Field, QHeaderView::Interactive);
    m_diff->horizontalHeader()->resizeSection(ProfileDiffModel::Field, 200);
    m_diffSummary->setObjectName(QStringLiteral("diffSummary"));

    auto *diffPane = new QWidget(m_splitter);
    auto *diffLayout = new QVBoxLayout(diffPane);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    diffLayout->addWidget(m_diffSummary);
    diffLayout->addWidget(m_diff, 1);

    m_leftView->setObjectName(QStringLiteral("leftAssessment"));
    m_rightView->setObjectName(QStringLiteral("rightAssessment"));
    auto *assessments = new QWidget(m_splitter);
    auto *assessLayout = new QHBoxLayout(assessments);
    assessLayout->setContentsMargins(0, 0, 0, 0);
    assessLayout->addWidget(m_leftView, 1);
    auto *line = new QFrame(assessments);
    line->setFrameShape(QFrame::VLine);
    line->setFrameShadow(QFrame::Sunken);
    assessLayout->addWidget(line);
    assessLayout->addWidget(m_rightView, 1);

    m_splitter->setObjectName(QStringLiteral("compareSplitter"));
    m_splitter->addWidget(diffPane);
    m_splitter->addWidget(assessments);
    m_splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_recommendation);
    layout->addWidget(m_splitter, 1);
    resetLayout();

    if (library)
        connect(library, &ProfileLibrary::changed, this, &ComparePanel::recompute);
    // A reset (rare: the library re-sorted) keeps the chosen profiles by id.
    connect(m_profiles, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        m_keepLeft = leftId();
        m_keepRight = rightId();
    });
    connect(m_profiles, &QAbstractItemModel::modelReset, this, [this] {
        pickDefaults(true);
        setProfiles(m_keepLeft, m_keepRight);
    });
    pickDefaults(true);
    recompute();
}

void ComparePanel::resetLayout()
{
    m_splitter->setSizes({300, 480});
}

QByteArray ComparePanel::saveSplitterState() const
{
    return m_splitter->saveState();
}

void ComparePanel::restoreSplitterState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_splitter->restoreState(state);
}

// The first static profile on the left and the first dynamic one on the right,
// the comparison people come for; any two profiles when the kinds are missing.
void ComparePanel::pickDefaults(bool force)
{
    int firstStatic = -1;
    int firstDynamic = -1;
    for (int row = 0; row < m_profiles->rowCount(); ++row) {
        const int kind = m_profiles->index(row).data(ProfileListModel::KindRole).toInt();
        if (kind == int(ProfileKind::Static) && firstStatic < 0)
            firstStatic = row;
        if (kind == int(ProfileKind::Dynamic) && firstDynamic < 0)
            firstDynamic = row;
    }
    const int rows = m_profiles->rowCount();
    if (force || m_left->currentIndex() < 0)
        m_left->setCurrentIndex(firstStatic >= 0 ? firstStatic : (rows > 0 ? 0 : -1));
    if (force || m_right->currentIndex() < 0)
        m_right->setCurrentIndex(firstDynamic >= 0 ? firstDynamic : (rows > 1 ? 1 : rows - 1));
}

void ComparePanel::setProfiles(const QString &leftId, const QString &rightId)
{
    const QModelIndex l = m_profiles->indexOf(leftId);
    const QModelIndex r = m_profiles->indexOf(rightId);
    if (l.isValid())
        m_left->setCurrentIndex(l.row());
    if (r.isValid())
        m_right->setCurrentIndex(r.row());
}

void ComparePanel::setDevices(int devices)
{
    m_devices->setValue(devices);
}

QString ComparePanel::leftId() const
{
    return m_profiles->idAt(m_left->currentIndex());
}

QString ComparePanel::rightId() const
{
    return m_profiles->idAt(m_right->currentIndex());
}

void ComparePanel::recompute()
{
    if (m_left->currentIndex() < 0 || m_right->currentIndex() < 0)
        pickDefaults(false);
    m_comparison.reset();
    QStringList problems;
    std::optional<Profile> left;
    std::optional<Profile> right;
    if (!m_library || m_profiles->rowCount() == 0) {
        problems << tr("There are no profiles to compare yet: create some on the Profiles page.");
    } else {
        for (const auto &[id, out] : {std::pair{leftId(), &left}, std::pair{rightId(), &right}}) {
            if (id.isEmpty())
                continue;
            if (auto loaded = m_library->load(id))
                *out = *loaded;
            else
                problems << loaded.error().message;
        }
    }
    if (left && right) {
        // Reused credentials the workspace ledger saw count as findings too.
        auto usage = [&](const Profile &p) {
            UsageFacts facts;
            if (auto f = CredentialLedger::usageOf(m_library->workspace(), p.name))
                facts = UsageFacts{f->devices, f->reusedCredentials, f->examples};
            else
                problems << f.error().message;
            return facts;
        };
        m_comparison = compareProfiles(
            *left, *right, m_devices->value(), CostModel(), usage(*left), usage(*right));
        m_recommendation->setText(m_comparison->recommendation);
        m_diffModel->setComparison(*m_comparison);
        m_leftView->setAssessment(m_comparison->left, m_comparison->devices);
        m_rightView->setAssessment(m_comparison->right, m_comparison->devices);
        m_diffSummary->setText(tr("%1 of %n field(s) differ", nullptr, m_diffModel->rowCount())
                                   .arg(m_diffModel->differingRows()));
    } else {
        if (problems.isEmpty())
            problems << tr("Choose two profiles to compare.");
        m_recommendation->setText(problems.join(QLatin1Char('\n')));
        m_diffModel->clear();
        m_leftView->clear();
        m_rightView->clear();
        m_diffSummary->clear();
    }
    m_export->setEnabled(m_comparison.has_value());
}

void ComparePanel::exportReport()
{
    if (!m_comparison)
        return;
    const QString suggested
        = QDir::home().filePath(QStringLiteral("comparison-%1-vs-%2.md").arg(leftId(), rightId()));
    const QString file = QFileDialog::getSaveFileName(
        this, tr("Export Comparison Report"), suggested, tr("Markdown (*.md)"));
    if (file.isEmpty())
        return;
    const Result<void> ok
        = Workspace::writeFile(file, comparisonToMarkdown(*m_comparison).toUtf8());
    if (!ok)
        QMessageBox::warning(this, tr("Export Comparison Report"), ok.error().message);
}

} // namespace provbench
