#include "ui/tracepanel.h"

#include "app/onboarding/devicesession.h"
#include "models/tracemodel.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QIcon>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>

namespace provbench {

TracePanel::TracePanel(QWidget *parent)
    : QWidget(parent),
      m_model(new TraceModel(this)),
      m_view(new QTableView(this)),
      m_title(new QLabel(this)),
      m_copy(new QPushButton(QIcon(QStringLiteral(":/icons/copy.svg")), tr("Copy"), this)),
      m_clear(new QPushButton(QIcon(QStringLiteral(":/icons/clear.svg")), tr("Clear"), this))
{
    m_view->setObjectName(QStringLiteral("traceTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->verticalHeader()->hide();
    const int rowHeight
        = qMax(m_view->fontMetrics().height(),
              QFontMetrics(QFontDatabase::systemFont(QFontDatabase::FixedFont)).height())
        + 6;
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(rowHeight);
    m_view->horizontalHeader()->setHighlightSections(false);
    resetLayout();

    m_title->setObjectName(QStringLiteral("traceTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_copy->setObjectName(QStringLiteral("copyTraceButton"));
    m_copy->setToolTip(tr("Copy the selected rows, or the whole trace when none is selected."));
    connect(m_copy, &QPushButton::clicked, this, &TracePanel::copy);
    m_clear->setObjectName(QStringLiteral("clearTraceButton"));
    m_clear->setToolTip(tr("Forget this device's trace."));
    connect(m_clear, &QPushButton::clicked, this, [this] {
        if (DeviceSession *s = m_model->session())
            s->clearTrace();
    });

    // Follow the end only while the user looks at the end.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this, [this] {
        const QScrollBar *bar = m_view->verticalScrollBar();
        m_follow = bar->value() >= bar->maximum() - 2;
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, [this] {
        if (m_follow)
            m_view->scrollToBottom();
        updateTitle();
    });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TracePanel::updateTitle);
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        m_view->scrollToBottom();
        updateTitle();
    });

    auto *top = new QHBoxLayout;
    top->addWidget(m_title, 1);
    top->addWidget(m_copy);
    top->addWidget(m_clear);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_view, 1);
    updateTitle();
}

void TracePanel::resetLayout()
{
    QHeaderView *header = m_view->horizontalHeader();
    const QFontMetrics fixed(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    const QFontMetrics fm = m_view->fontMetrics();
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setStretchLastSection(true);
    header->resizeSection(
        TraceModel::Time, fixed.horizontalAdvance(QStringLiteral("00:00:00.000")) + 20);
    header->resizeSection(
        TraceModel::Direction, fm.horizontalAdvance(QStringLiteral("\u2190 received")) + 24);
    header->resizeSection(TraceModel::Summary, fm.horizontalAdvance(QLatin1Char('x')) * 82);
}

QByteArray TracePanel::saveHeaderState() const
{
    return m_view->horizontalHeader()->saveState();
}

void TracePanel::restoreHeaderState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
}

void TracePanel::setSession(DeviceSession *session)
{
    m_model->setSession(session);
    m_follow = true;
    m_view->scrollToBottom();
    updateTitle();
}

void TracePanel::updateTitle()
{
    const DeviceSession *s = m_model->session();
    m_copy->setEnabled(m_model->rowCount() > 0);
    m_clear->setEnabled(s && m_model->rowCount() > 0);
    if (!s) {
        m_title->setText(tr("Trace"));
        return;
    }
    m_title->setText(tr("Trace \u2014 %1").arg(s->record().port.portName));
}

QString TracePanel::selectedText() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        rows << index.row();
    if (rows.isEmpty()) {
        for (int row = 0; row < m_model->rowCount(); ++row)
            rows << row;
    }
    std::ranges::sort(rows);
    QStringList lines;
    lines.reserve(rows.size());
    for (int row : rows)
        lines << m_model->lineForRow(row);
    return lines.join(QLatin1Char('\n'));
}

void TracePanel::copy()
{
    const QString text = selectedText();
    if (!text.isEmpty())
        QApplication::clipboard()->setText(text + QLatin1Char('\n'));
}

} // namespace provbench
