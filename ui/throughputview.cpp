#include "ui/throughputview.h"

#include <QPainter>

#include <cmath>

namespace provbench {

namespace {

constexpr qint64 kMinuteMs = 60'000;

// 1, 2, 5, 10, 20, 50, ...: a round step that gives at most `ticks` lines.
int niceStep(int max, int ticks)
{
    int step = 1;
    for (int scale = 1;; scale *= 10) {
        for (int m : {1, 2, 5}) {
            step = m * scale;
            if (max / step <= ticks)
                return step;
        }
    }
}

} // namespace

ThroughputView::ThroughputView(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void ThroughputView::setBoard(const journey::Board *board)
{
    m_board = board;
    refresh();
}

void ThroughputView::setFilter(const journey::BoardFilter &filter)
{
    m_filter = filter;
    m_filter.stage.reset(); // throughput counts onboardings, whatever the stage filter
    refresh();
}

void ThroughputView::setMinutes(int minutes)
{
    m_minutes = std::max(2, minutes);
    refresh();
}

void ThroughputView::refresh()
{
    m_bars.clear();
    m_rate = 0;
    if (m_board) {
        // One point per minute, each counting the onboardings of the minute before it.
        const QList<journey::ThroughputPoint> points = m_board->throughput(
            qint64(m_minutes - 1) * kMinuteMs, kMinuteMs, kMinuteMs, m_filter);
        for (const journey::ThroughputPoint &point : points)
            m_bars << int(std::lround(point.perMinute));
        m_rate = m_board->onboardedPerMinute();
    }
    update();
}

void ThroughputView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QFontMetrics fm = p.fontMetrics();

    // Title on the left, the current rate on the right; the title gives way.
    const QRect titleRect(8, 4, width() - 16, fm.height());
    const QString rate = tr("now %1/min (5 min avg)").arg(m_rate, 0, 'f', 1);
    const int rateWidth = fm.horizontalAdvance(rate) + 12;
    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(titleRect.adjusted(0, 0, -rateWidth, 0), Qt::AlignLeft | Qt::AlignVCenter,
        p.fontMetrics().elidedText(
            tr("Onboarded per minute"), Qt::ElideRight, titleRect.width() - rateWidth));
    p.setFont(font());
    p.setPen(pal.color(QPalette::PlaceholderText));
    p.drawText(titleRect, Qt::AlignRight | Qt::AlignVCenter, rate);

    int max = 0;
    for (int v : m_bars)
        max = std::max(max, v);
    const int step = niceStep(std::max(max, 4), 4);
    const int top = ((std::max(max, 1) + step - 1) / step) * step;

    const int axisLeft = 8 + fm.horizontalAdvance(QString::number(top)) + 6;
    const QRect plot(axisLeft, titleRect.bottom() + 10, width() - axisLeft - 12,
        height() - titleRect.bottom() - 10 - fm.height() - 10);
    if (plot.width() < 20 || plot.height() < 20)
        return;

    // Horizontal grid lines with their values.
    for (int v = 0; v <= top; v += step) {
        const int y = plot.bottom() - int(double(v) / top * plot.height());
        p.setPen(QPen(pal.color(v == 0 ? QPalette::Mid : QPalette::Midlight), 1));
        p.drawLine(plot.left(), y, plot.right(), y);
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(0, y - fm.height() / 2, axisLeft - 4, fm.height()),
            Qt::AlignRight | Qt::AlignVCenter, QString::number(v));
    }

    const int n = int(m_bars.size());
    if (n == 0)
        return;
    const double slot = double(plot.width()) / n;
    const QColor barColor(0x16, 0xa3, 0x4a);
    for (int i = 0; i < n; ++i) {
        if (m_bars[i] <= 0)
            continue;
        const double h = double(m_bars[i]) / top * plot.height();
        const QRectF bar(plot.left() + i * slot + slot * 0.15, plot.bottom() - h, slot * 0.7, h);
        p.fillRect(bar, barColor);
    }

    // Minutes ago under the bars: the oldest, a few in between, and "now".
    p.setPen(pal.color(QPalette::PlaceholderText));
    const int labelStep = std::max(1, niceStep(n, std::max(1, plot.width() / 60)));
    for (int ago = 0; ago < n; ago += labelStep) {
        const int i = n - 1 - ago;
        const int x = int(plot.left() + (i + 0.5) * slot);
        const QString text = ago == 0 ? tr("now") : tr("-%1 min").arg(ago);
        const int w = fm.horizontalAdvance(text);
        const int left = std::clamp(x - w / 2, 0, width() - w);
        p.drawText(QRect(left, plot.bottom() + 4, w, fm.height()), Qt::AlignCenter, text);
        p.drawLine(x, plot.bottom(), x, plot.bottom() + 3);
    }
}

} // namespace provbench
