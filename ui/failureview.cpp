#include "ui/failureview.h"

#include "models/failurebreakdownmodel.h"

#include <QAbstractItemModel>
#include <QMouseEvent>
#include <QPainter>

namespace provbench {

namespace {
constexpr int kPad = 8;
const QColor kRed(0xdc, 0x26, 0x26);
} // namespace

FailureView::FailureView(QWidget *parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

void FailureView::setModel(QAbstractItemModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    if (m_model) {
        auto changed = [this] {
            updateGeometry();
            update();
        };
        connect(m_model, &QAbstractItemModel::dataChanged, this, changed);
        connect(m_model, &QAbstractItemModel::rowsInserted, this, changed);
        connect(m_model, &QAbstractItemModel::rowsRemoved, this, changed);
        connect(m_model, &QAbstractItemModel::modelReset, this, changed);
    }
    update();
}

void FailureView::setSelectedReason(const QString &reason)
{
    if (m_selected == reason)
        return;
    m_selected = reason;
    update();
}

QList<FailureView::Row> FailureView::rows() const
{
    QList<Row> out;
    if (!m_model)
        return out;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        const QModelIndex i = m_model->index(r, 0);
        out.append(Row{i.data(FailureBreakdownModel::ReasonRole).toString(),
            i.data(FailureBreakdownModel::CountRole).toInt(),
            i.data(FailureBreakdownModel::DeviceIdsRole).toStringList()});
    }
    std::stable_sort(out.begin(), out.end(), [](const Row &a, const Row &b) {
        return a.count != b.count ? a.count > b.count : a.reason < b.reason;
    });
    return out;
}

QStringList FailureView::reasons() const
{
    QStringList out;
    for (const Row &row : rows())
        out << row.reason;
    return out;
}

int FailureView::headerHeight() const
{
    return fontMetrics().height() + 2 * kPad;
}

int FailureView::rowHeight() const
{
    return 2 * fontMetrics().height() + 14;
}

QRect FailureView::rowRect(int row) const
{
    return QRect(kPad / 2, headerHeight() + row * rowHeight(), width() - kPad, rowHeight() - 2);
}

QSize FailureView::sizeHint() const
{
    const int n = m_model ? std::max(1, m_model->rowCount()) : 1;
    return QSize(360, headerHeight() + n * rowHeight() + kPad);
}

void FailureView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QPalette &pal = palette();
    p.fillRect(rect(), pal.color(QPalette::Base));
    const QFontMetrics fm = fontMetrics();
    const QList<Row> all = rows();
    int total = 0;
    for (const Row &row : all)
        total += row.count;

    QFont bold = font();
    bold.setBold(true);
    p.setFont(bold);
    p.setPen(pal.color(QPalette::Text));
    p.drawText(QRect(kPad, kPad, width() - 2 * kPad, fm.height()), Qt::AlignLeft | Qt::AlignVCenter,
        all.isEmpty() ? tr("Failures") : tr("Failures: %n device(s)", nullptr, total));
    p.setFont(font());
    if (all.isEmpty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRect(kPad, headerHeight(), width() - 2 * kPad, rowHeight()),
            Qt::AlignLeft | Qt::AlignVCenter, tr("No device has failed."));
        return;
    }

    int max = 1;
    for (const Row &row : all)
        max = std::max(max, row.count);
    const QString widest = QString::number(max);
    const int countWidth = fm.horizontalAdvance(widest) + 12;
    for (int i = 0; i < all.size(); ++i) {
        const Row &row = all[i];
        const QRect r = rowRect(i);
        if (r.top() > height())
            break;
        if (row.reason == m_selected) {
            p.fillRect(r, kRed.lighter(190));
            p.setPen(kRed);
            p.drawRect(r.adjusted(0, 0, -1, -1));
        }
        // The count, then a bar for its share under the reason.
        const QRect line1(r.left() + 4, r.top() + 3, r.width() - 8, fm.height());
        p.setPen(kRed.darker(120));
        p.setFont(bold);
        p.drawText(line1.adjusted(0, 0, -(line1.width() - countWidth), 0),
            Qt::AlignLeft | Qt::AlignVCenter, QString::number(row.count));
        p.setFont(font());
        p.setPen(pal.color(QPalette::Text));
        const QRect reasonRect = line1.adjusted(countWidth, 0, 0, 0);
        p.drawText(reasonRect, Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(row.reason, Qt::ElideRight, reasonRect.width()));

        const int barWidth = std::max(2, int(double(row.count) / max * (countWidth - 6)));
        p.fillRect(QRect(r.left() + 4, line1.bottom() + 4, barWidth, 4), kRed);
        p.setPen(pal.color(QPalette::PlaceholderText));
        const QRect line2(reasonRect.left(), line1.bottom() + 2, reasonRect.width(), fm.height());
        const QString devices = row.devices.join(QStringLiteral(", "));
        p.drawText(line2, Qt::AlignLeft | Qt::AlignVCenter,
            fm.elidedText(devices, Qt::ElideRight, line2.width()));
    }
}

void FailureView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const QList<Row> all = rows();
    for (int i = 0; i < all.size(); ++i) {
        if (!rowRect(i).contains(event->position().toPoint()))
            continue;
        if (all[i].reason == m_selected) {
            setSelectedReason({});
            emit reasonClicked({}, {});
        } else {
            setSelectedReason(all[i].reason);
            emit reasonClicked(all[i].reason, all[i].devices);
        }
        return;
    }
}

} // namespace provbench
