#include "ui/pipelineview.h"

#include "models/stagecountsmodel.h"

#include <QAbstractItemModel>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

namespace provbench {

using journey::Stage;

namespace {

constexpr int kMargin = 8;
constexpr int kArrow = 14; // gap between journey boxes, holding the arrow
constexpr int kFailedGap = 28;
constexpr int kJourneyStages = int(Stage::Onboarded) + 1;

QColor accentOf(Stage stage)
{
    switch (stage) {
    case Stage::Onboarded:
        return QColor(0x16, 0xa3, 0x4a);
    case Stage::Failed:
        return QColor(0xdc, 0x26, 0x26);
    case Stage::Discovered:
        return QColor(0x6b, 0x72, 0x80);
    default:
        return QColor(0x25, 0x63, 0xeb);
    }
}

} // namespace

PipelineView::PipelineView(QWidget *parent) : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void PipelineView::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        auto repaint = [this] { update(); };
        connect(m_model, &QAbstractItemModel::dataChanged, this, repaint);
        connect(m_model, &QAbstractItemModel::modelReset, this, repaint);
        connect(m_model, &QAbstractItemModel::layoutChanged, this, repaint);
    }
    update();
}

void PipelineView::setSelectedStage(std::optional<Stage> stage)
{
    if (m_selected == stage)
        return;
    m_selected = stage;
    update();
}

int PipelineView::count(Stage stage, int role) const
{
    if (!m_model || int(stage) >= m_model->rowCount())
        return 0;
    return m_model->index(int(stage), 0).data(role).toInt();
}

QRect PipelineView::stageRect(Stage stage) const
{
    const int height = this->height() - 2 * kMargin;
    const int available = width() - 2 * kMargin - (kJourneyStages - 1) * kArrow - kFailedGap;
    const int boxWidth = std::max(40, available / (kJourneyStages + 1));
    int x = kMargin;
    if (stage == Stage::Failed)
        x += kJourneyStages * (boxWidth + kArrow) - kArrow + kFailedGap;
    else
        x += int(stage) * (boxWidth + kArrow);
    return QRect(x, kMargin, boxWidth, height);
}

std::optional<Stage> PipelineView::stageAt(const QPoint &pos) const
{
    for (int i = 0; i < journey::kStageCount; ++i) {
        if (stageRect(Stage(i)).contains(pos))
            return Stage(i);
    }
    return std::nullopt;
}

QSize PipelineView::sizeHint() const
{
    return QSize(900, 96);
}

QSize PipelineView::minimumSizeHint() const
{
    return QSize(8 * 48, 84);
}

void PipelineView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    QFont titleFont = font();
    QFont countFont = font();
    countFont.setPointSizeF(countFont.pointSizeF() * 1.9);
    countFont.setBold(true);
    QFont smallFont = font();
    smallFont.setPointSizeF(smallFont.pointSizeF() * 0.9);

    for (int i = 0; i < journey::kStageCount; ++i) {
        const Stage stage = Stage(i);
        const QRectF box = QRectF(stageRect(stage)).adjusted(0.5, 0.5, -0.5, -0.5);
        const int devices = count(stage, StageCountsModel::CountRole);
        const int stuck = count(stage, StageCountsModel::StuckCountRole);
        const QColor accent = accentOf(stage);
        const bool selected = m_selected == stage;

        QColor fill = pal.color(QPalette::Base);
        if (selected)
            fill = accent.lighter(185);
        else if (m_hover == stage)
            fill = pal.color(QPalette::AlternateBase);
        QPainterPath path;
        path.addRoundedRect(box, 6, 6);
        p.fillPath(path, fill);
        p.setPen(QPen(selected ? accent : pal.color(QPalette::Mid), selected ? 2 : 1));
        p.drawPath(path);
        // The stage's colour as a strip on top; dimmed while it holds nobody.
        QColor strip = devices > 0 ? accent : pal.color(QPalette::Midlight);
        p.fillRect(QRectF(box.left() + 6, box.top() + 1, box.width() - 12, 3), strip);

        const QRectF inner = box.adjusted(6, 8, -6, -4);
        p.setFont(titleFont);
        p.setPen(pal.color(QPalette::Text));
        const QString title = p.fontMetrics().elidedText(
            journey::stageTitle(stage), Qt::ElideRight, int(inner.width()));
        p.drawText(inner, Qt::AlignHCenter | Qt::AlignTop, title);

        p.setFont(countFont);
        p.setPen(devices > 0 ? accent.darker(115) : pal.color(QPalette::PlaceholderText));
        p.drawText(inner, Qt::AlignCenter, QString::number(devices));

        p.setFont(smallFont);
        if (stuck > 0) {
            p.setPen(QColor(0xb4, 0x53, 0x09));
            p.drawText(inner, Qt::AlignHCenter | Qt::AlignBottom, tr("%n stuck", nullptr, stuck));
        }

        if (i + 1 < kJourneyStages) {
            // The arrow to the next stage.
            const qreal y = box.center().y();
            const qreal x0 = box.right() + 2;
            const qreal x1 = x0 + kArrow - 4;
            p.setPen(QPen(pal.color(QPalette::Mid), 1.5));
            p.drawLine(QPointF(x0, y), QPointF(x1, y));
            p.drawLine(QPointF(x1 - 4, y - 4), QPointF(x1, y));
            p.drawLine(QPointF(x1 - 4, y + 4), QPointF(x1, y));
        }
    }
    // Failed stands apart: a thin separator before it.
    const QRect failed = stageRect(Stage::Failed);
    p.setPen(QPen(pal.color(QPalette::Midlight), 1, Qt::DashLine));
    const int sx = failed.left() - kFailedGap / 2;
    p.drawLine(sx, failed.top() + 6, sx, failed.bottom() - 6);
}

void PipelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const std::optional<Stage> stage = stageAt(event->position().toPoint());
    if (!stage)
        return;
    setSelectedStage(m_selected == stage ? std::nullopt : stage);
    emit stageClicked(m_selected);
}

void PipelineView::mouseMoveEvent(QMouseEvent *event)
{
    const std::optional<Stage> stage = stageAt(event->position().toPoint());
    if (stage != m_hover) {
        m_hover = stage;
        setCursor(stage ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
    QWidget::mouseMoveEvent(event);
}

void PipelineView::leaveEvent(QEvent *event)
{
    m_hover.reset();
    update();
    QWidget::leaveEvent(event);
}

bool PipelineView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const std::optional<Stage> stage = stageAt(help->pos())) {
            const int devices = count(*stage, StageCountsModel::CountRole);
            const int stuck = count(*stage, StageCountsModel::StuckCountRole);
            QString text
                = tr("%1: %n device(s)", nullptr, devices).arg(journey::stageTitle(*stage));
            if (stuck > 0)
                text += tr(", %n stuck", nullptr, stuck);
            text += tr("\nClick to list them; click again to show every stage.");
            QToolTip::showText(help->globalPos(), text, this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace provbench
