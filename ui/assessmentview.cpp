#include "ui/assessmentview.h"

#include "models/findingsmodel.h"

#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

namespace provbench {

using namespace profiles;

namespace {

QColor howColor(ChangeHow how)
{
    switch (how) {
    case ChangeHow::SiteVisit:
        return QColor(QStringLiteral("#b91c1c"));
    case ChangeHow::Pushed:
        return QColor(QStringLiteral("#b45309"));
    case ChangeHow::Automatic:
        return QColor(QStringLiteral("#15803d"));
    }
    return {};
}

QString howLabel(ChangeHow how)
{
    switch (how) {
    case ChangeHow::SiteVisit:
        return AssessmentView::tr("site visit");
    case ChangeHow::Pushed:
        return AssessmentView::tr("pushed remotely");
    case ChangeHow::Automatic:
        return AssessmentView::tr("automatic");
    }
    return {};
}

QLabel *valueLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

} // namespace

RatingBar::RatingBar(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("scalabilityRating"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
}

void RatingBar::setRating(int rating)
{
    m_rating = std::clamp(rating, 0, 5);
    setToolTip(tr("Scalability %1 of 5").arg(m_rating));
    setAccessibleName(toolTip());
    update();
}

QSize RatingBar::sizeHint() const
{
    return {5 * 22, 14};
}

void RatingBar::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor on = m_rating >= 4 ? QColor(QStringLiteral("#16a34a"))
        : m_rating >= 3             ? QColor(QStringLiteral("#ca8a04"))
                                    : QColor(QStringLiteral("#dc2626"));
    QColor off = palette().color(QPalette::Mid);
    off.setAlpha(90);
    const qreal w = (width() - 4 * 4) / 5.0;
    for (int i = 0; i < 5; ++i) {
        p.setPen(Qt::NoPen);
        p.setBrush(i < m_rating ? on : off);
        p.drawRoundedRect(QRectF(i * (w + 4), 1, w, height() - 2), 3, 3);
    }
}

AssessmentView::AssessmentView(QWidget *parent)
    : QWidget(parent),
      m_title(new QLabel(this)),
      m_kind(new QLabel(this)),
      m_setup(valueLabel(QStringLiteral("setupEffort"), this)),
      m_perDevice(valueLabel(QStringLiteral("perDeviceEffort"), this)),
      m_total(valueLabel(QStringLiteral("totalEffort"), this)),
      m_totalCaption(new QLabel(this)),
      m_rating(new RatingBar(this)),
      m_scalability(valueLabel(QStringLiteral("scalabilitySummary"), this)),
      m_flexibility(valueLabel(QStringLiteral("flexibilityList"), this)),
      m_findingsModel(new FindingsModel(this)),
      m_findings(new QTableView(this))
{
    m_title->setObjectName(QStringLiteral("assessmentTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText);
    m_kind->setObjectName(QStringLiteral("assessmentKind"));
    QFont bold = m_total->font();
    bold.setBold(true);
    m_total->setFont(bold);
    m_scalability->setWordWrap(true);
    m_flexibility->setWordWrap(true);
    m_flexibility->setTextFormat(Qt::RichText);
    m_flexibility->setAlignment(Qt::AlignTop | Qt::AlignLeft);

    m_findings->setObjectName(QStringLiteral("findingsTable"));
    m_findings->setModel(m_findingsModel);
    m_findings->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_findings->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_findings->setWordWrap(false);
    m_findings->verticalHeader()->hide();
    m_findings->verticalHeader()->setDefaultSectionSize(m_findings->fontMetrics().height() + 10);
    m_findings->horizontalHeader()->setHighlightSections(false);
    QHeaderView *header = m_findings->horizontalHeader();
    header->setSectionResizeMode(FindingsModel::SeverityColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(FindingsModel::FindingColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(FindingsModel::FieldColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(FindingsModel::ReferenceColumn, QHeaderView::Stretch);
    m_noFindings = new QLabel(tr("\u2713 No security findings"), this);
    m_noFindings->setObjectName(QStringLiteral("noFindings"));
    m_noFindings->setStyleSheet(QStringLiteral("QLabel { color: #15803d; font-weight: 600; }"));

    auto *titleRow = new QHBoxLayout;
    titleRow->addWidget(m_title, 1);
    titleRow->addWidget(m_kind);

    // Three figures side by side, each a big value over a small caption.
    auto *cards = new QHBoxLayout;
    const auto card = [&](QLabel *value, QLabel *caption) {
        auto *frame = new QFrame(this);
        frame->setObjectName(value->objectName() + QStringLiteral("Card"));
        frame->setFrameShape(QFrame::StyledPanel);
        QFont big = value->font();
        big.setBold(true);
        big.setPointSizeF(big.pointSizeF() * 1.3);
        value->setFont(big);
        caption->setWordWrap(true);
        caption->setStyleSheet(QStringLiteral("QLabel { color: #4b5563; }"));
        auto *l = new QVBoxLayout(frame);
        l->setContentsMargins(10, 6, 10, 6);
        l->setSpacing(1);
        l->addWidget(value);
        l->addWidget(caption);
        l->addStretch(1);
        cards->addWidget(frame, 1);
    };
    m_setupCaption = new QLabel(tr("setup, once per deployment"), this);
    m_perDeviceCaption = new QLabel(this);
    card(m_setup, m_setupCaption);
    card(m_perDevice, m_perDeviceCaption);
    card(m_total, m_totalCaption);

    auto *scaleRow = new QHBoxLayout;
    auto *scaleTitle = new QLabel(tr("Scalability"), this);
    scaleTitle->setFont(bold);
    scaleRow->addWidget(scaleTitle, 0, Qt::AlignTop);
    scaleRow->addWidget(m_rating, 0, Qt::AlignTop);
    scaleRow->addSpacing(6);
    scaleRow->addWidget(m_scalability, 1);

    auto *flexTitle = new QLabel(tr("Later changes"), this);
    flexTitle->setFont(bold);
    auto *findingsTitle = new QLabel(tr("Security findings"), this);
    findingsTitle->setFont(bold);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(titleRow);
    layout->addLayout(cards);
    layout->addLayout(scaleRow);
    layout->addWidget(flexTitle);
    layout->addWidget(m_flexibility);
    layout->addWidget(findingsTitle);
    layout->addWidget(m_noFindings);
    layout->addWidget(m_findings, 1);
    layout->addStretch(0); // takes the space while the table is hidden
    clear();
}

void AssessmentView::clear()
{
    m_title->setText(tr("No profile"));
    m_kind->clear();
    m_kind->setStyleSheet(QString());
    for (QLabel *l : {m_setup, m_perDevice, m_total, m_scalability, m_flexibility})
        l->setText(QStringLiteral("\u2014"));
    m_totalCaption->setText(tr("total"));
    m_perDeviceCaption->setText(tr("per device"));
    m_rating->setRating(0);
    m_findingsModel->setFindings({});
    m_noFindings->hide();
}

void AssessmentView::setAssessment(const Assessment &a, int devices)
{
    m_title->setText(a.profileName);
    const bool isStatic = a.kind == ProfileKind::Static;
    m_kind->setText(isStatic ? tr("Static") : tr("Dynamic"));
    m_kind->setStyleSheet(
        QStringLiteral("QLabel { color: white; background: %1; border-radius: 8px;"
                       " padding: 1px 8px; font-weight: 600; }")
            .arg(isStatic ? QStringLiteral("#2563eb") : QStringLiteral("#7c3aed")));

    const Effort &e = a.effort;
    m_setup->setText(profiles::formatDuration(e.setupMinutes));
    // Per device the engine works in fractions of a minute; keep one decimal.
    m_perDevice->setText(e.perDeviceMinutes < 60
                && std::abs(e.perDeviceMinutes - std::round(e.perDeviceMinutes)) > 0.05
            ? tr("%1 min").arg(e.perDeviceMinutes, 0, 'f', 1)
            : profiles::formatDuration(e.perDeviceMinutes));
    QString perDevice = tr("per device, %n manual step(s)", nullptr, e.manualStepsPerDevice);
    if (e.automatedPerDevice >= 0.5)
        perDevice += tr("; + %1 unattended").arg(profiles::formatDuration(e.automatedPerDevice));
    m_perDeviceCaption->setText(perDevice);
    QStringList steps;
    for (const CostStep &s : e.steps)
        steps << tr("%1: %2%3")
                     .arg(s.label, profiles::formatDuration(s.operatorMinutes),
                         s.perDevice ? tr(" per device") : tr(" once"));
    m_perDevice->setToolTip(steps.join(QLatin1Char('\n')));
    m_totalCaption->setText(tr("total for %n device(s)", nullptr, devices));
    m_total->setText(profiles::formatDuration(e.totalMinutes(devices)));

    m_rating->setRating(a.scalability.rating);
    m_scalability->setText(a.scalability.summary);

    // One line per change; the reasons are in the tooltip to keep the list short.
    QStringList lines;
    QStringList reasons;
    for (const ChangeImpact &c : a.flexibility) {
        const QString color = howColor(c.how).name();
        lines << QStringLiteral("<span style='color:%1'>\u25cf</span> %2 \u2014 "
                                "<b style='color:%1'>%3</b>")
                     .arg(color, c.change.toHtmlEscaped(), howLabel(c.how));
        reasons
            << QStringLiteral("<b>%1</b>: %2").arg(c.change.toHtmlEscaped(), c.why.toHtmlEscaped());
    }
    m_flexibility->setText(
        lines.isEmpty() ? tr("No later changes assessed.") : lines.join(QStringLiteral("<br>")));
    m_flexibility->setToolTip(reasons.join(QStringLiteral("<br>")));
    m_findingsModel->setFindings(a.findings);
    m_noFindings->setVisible(a.findings.isEmpty());
    m_findings->setVisible(!a.findings.isEmpty());
}

} // namespace provbench
