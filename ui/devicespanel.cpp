#include "ui/devicespanel.h"

#include "app/onboarding/deviceregistry.h"
#include "models/devicefilterproxy.h"
#include "models/devicemodel.h"
#include "ui/statebadgedelegate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace provbench {

DevicesPanel::DevicesPanel(DeviceRegistry *registry, QWidget *parent)
    : QWidget(parent),
      m_registry(registry),
      m_model(new DeviceModel(registry, this)),
      m_proxy(new DeviceFilterProxy(this)),
      m_filter(new QLineEdit(this)),
      m_stateCombo(new QComboBox(this)),
      m_presentOnly(new QCheckBox(tr("Plugged in only"), this)),
      m_probe(new QCheckBox(tr("Probe new ports"), this)),
      m_view(new QTableView(this))
{
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("deviceFilter"));
    m_filter->setPlaceholderText(tr("Filter by port, bridge, identity or protocol"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &DeviceFilterProxy::setFilterText);

    m_stateCombo->setObjectName(QStringLiteral("stateFilter"));
    m_stateCombo->addItem(tr("All states"), -1);
    for (OnboardingState s : {OnboardingState::Discovered, OnboardingState::Identified,
             OnboardingState::Provisioning, OnboardingState::Provisioned, OnboardingState::Failed})
        m_stateCombo->addItem(DeviceModel::stateDisplayName(s), int(s));
    connect(m_stateCombo, &QComboBox::currentIndexChanged, this, &DevicesPanel::applyStateFilter);

    m_presentOnly->setObjectName(QStringLiteral("presentOnly"));
    m_presentOnly->setToolTip(tr("Hide devices whose port has disappeared."));
    connect(m_presentOnly, &QCheckBox::toggled, m_proxy, &DeviceFilterProxy::setPresentOnly);

    m_probe->setObjectName(QStringLiteral("probeNewPorts"));
    m_probe->setToolTip(tr("Ask every newly found port whether it speaks Improv. Turn this "
                           "off for ports where unexpected bytes could disturb the device."));
    m_probe->setChecked(registry && registry->autoIdentify());
    connect(m_probe, &QCheckBox::toggled, this, [this](bool on) {
        if (m_registry)
            m_registry->setAutoIdentify(on);
    });

    m_view->setObjectName(QStringLiteral("deviceTable"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(DeviceModel::State, new StateBadgeDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(-1, Qt::AscendingOrder); // registry order until the user sorts
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 14);
    m_view->horizontalHeader()->setHighlightSections(false);
    resetLayout();

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &DevicesPanel::emitCurrent);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &DevicesPanel::selectFirstIfNone);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &DevicesPanel::emitCurrent);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &DevicesPanel::emitCurrent);

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_stateCombo);
    auto *options = new QHBoxLayout;
    options->addWidget(m_probe);
    options->addWidget(m_presentOnly);
    options->addStretch(1);

    auto *title = new QLabel(tr("Devices"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    title->setFont(titleFont);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(title);
    layout->addLayout(filters);
    layout->addLayout(options);
    layout->addWidget(m_view, 1);

    QTimer::singleShot(0, this, &DevicesPanel::selectFirstIfNone);
}

void DevicesPanel::resetLayout()
{
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    header->setSectionResizeMode(DeviceModel::Identity, QHeaderView::Stretch);
    header->setMinimumSectionSize(60);
    // Short, predictable columns fit their content; the identity takes the rest.
    for (int column : {DeviceModel::Port, DeviceModel::Bridge, DeviceModel::Protocol})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    // Fixed so the column does not jump when a percentage appears in a badge.
    QFont bold = m_view->font();
    bold.setWeight(QFont::DemiBold);
    header->resizeSection(DeviceModel::State,
        QFontMetrics(bold).horizontalAdvance(QStringLiteral("Provisioning 100%")) + 40);
}

QByteArray DevicesPanel::saveHeaderState() const
{
    return m_view->horizontalHeader()->saveState();
}

void DevicesPanel::restoreHeaderState(const QByteArray &state)
{
    if (!state.isEmpty())
        m_view->horizontalHeader()->restoreState(state);
}

QString DevicesPanel::currentDeviceId() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    return current.isValid() ? current.data(DeviceModel::IdRole).toString() : QString();
}

void DevicesPanel::selectDevice(const QString &id)
{
    QModelIndex source = m_model->indexOf(id);
    if (!source.isValid())
        return;
    QModelIndex proxied = m_proxy->mapFromSource(source);
    if (!proxied.isValid()) {
        m_filter->clear();
        m_stateCombo->setCurrentIndex(0);
        m_presentOnly->setChecked(false);
        proxied = m_proxy->mapFromSource(source);
    }
    m_view->selectionModel()->setCurrentIndex(
        proxied, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->scrollTo(proxied);
}

void DevicesPanel::applyStateFilter()
{
    const int value = m_stateCombo->currentData().toInt();
    m_proxy->setStateFilter(
        value < 0 ? std::nullopt : std::optional<OnboardingState>(OnboardingState(value)));
}

void DevicesPanel::selectFirstIfNone()
{
    if (!m_view->selectionModel()->currentIndex().isValid() && m_proxy->rowCount() > 0) {
        const QModelIndex first = m_proxy->index(0, 0);
        m_view->selectionModel()->setCurrentIndex(
            first, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    }
    emitCurrent();
}

void DevicesPanel::emitCurrent()
{
    const QString id = currentDeviceId();
    if (id == m_lastEmitted)
        return;
    m_lastEmitted = id;
    Q_EMIT currentDeviceChanged(id);
}

} // namespace provbench
