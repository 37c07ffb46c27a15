#include "ui/devicespanel.h"

#include "app/onboarding/deviceregistry.h"
#include "models/devicefilterproxy.h"
#include "models/devicemodel.h"
#include "ui/signalbarsdelegate.h"
#include "ui/statebadgedelegate.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
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
      m_transportCombo(new QComboBox(this)),
      m_signalCombo(new QComboBox(this)),
      m_provisionableOnly(new QCheckBox(tr("Provisionable only"), this)),
      m_presentOnly(new QCheckBox(tr("Present only"), this)),
      m_probe(new QCheckBox(tr("Probe new ports"), this)),
      m_view(new QTableView(this)),
      m_bleBanner(new QFrame(this)),
      m_bleBannerText(new QLabel(m_bleBanner)),
      m_bleRetry(new QPushButton(tr("Try Again"), m_bleBanner))
{
    m_proxy->setSourceModel(m_model);

    m_filter->setObjectName(QStringLiteral("deviceFilter"));
    m_filter->setPlaceholderText(tr("Filter by port, address, name, identity or protocol"));
    m_filter->setClearButtonEnabled(true);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &DeviceFilterProxy::setFilterText);

    m_stateCombo->setObjectName(QStringLiteral("stateFilter"));
    m_stateCombo->addItem(tr("All states"), -1);
    for (OnboardingState s : {OnboardingState::Discovered, OnboardingState::Identified,
             OnboardingState::Provisioning, OnboardingState::Provisioned, OnboardingState::Failed})
        m_stateCombo->addItem(DeviceModel::stateDisplayName(s), int(s));
    connect(m_stateCombo, &QComboBox::currentIndexChanged, this, &DevicesPanel::applyStateFilter);

    m_transportCombo->setObjectName(QStringLiteral("transportFilter"));
    m_transportCombo->addItem(tr("All transports"), -1);
    m_transportCombo->addItem(tr("Serial"), int(Transport::Serial));
    m_transportCombo->addItem(tr("BLE"), int(Transport::Ble));
    connect(m_transportCombo, &QComboBox::currentIndexChanged, this, [this] {
        const int value = m_transportCombo->currentData().toInt();
        m_proxy->setTransportFilter(
            value < 0 ? std::nullopt : std::optional<Transport>(Transport(value)));
    });

    m_signalCombo->setObjectName(QStringLiteral("minSignalFilter"));
    m_signalCombo->setToolTip(tr("Hide BLE devices with a weaker (or unknown) signal."));
    m_signalCombo->addItem(tr("Any signal"), 0);
    for (int dBm : {-60, -70, -80, -90})
        m_signalCombo->addItem(tr("Signal \u2265 %1 dBm").arg(dBm), dBm);
    connect(m_signalCombo, &QComboBox::currentIndexChanged, this,
        [this] { m_proxy->setMinRssi(m_signalCombo->currentData().toInt()); });

    m_provisionableOnly->setObjectName(QStringLiteral("provisionableOnly"));
    m_provisionableOnly->setToolTip(
        tr("Hide BLE devices that advertise neither Improv Wi-Fi nor MCUmgr SMP."));
    connect(m_provisionableOnly, &QCheckBox::toggled, m_proxy,
        &DeviceFilterProxy::setProvisionableOnly);

    m_presentOnly->setObjectName(QStringLiteral("presentOnly"));
    m_presentOnly->setToolTip(
        tr("Hide devices whose port has disappeared or that stopped advertising."));
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
    m_view->setItemDelegateForColumn(DeviceModel::Signal, new SignalBarsDelegate(m_view));
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
    // Right-click on the header: show or hide columns (Bridge starts hidden).
    QHeaderView *header = m_view->horizontalHeader();
    header->setContextMenuPolicy(Qt::ActionsContextMenu);
    for (int column = 0; column < DeviceModel::ColumnCount; ++column) {
        auto *action = new QAction(m_model->headerData(column, Qt::Horizontal).toString(), header);
        action->setCheckable(true);
        action->setEnabled(column != DeviceModel::Port && column != DeviceModel::State);
        connect(action, &QAction::toggled, header,
            [header, column](bool on) { header->setSectionHidden(column, !on); });
        header->addAction(action);
    }
    resetLayout();

    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &DevicesPanel::emitCurrent);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &DevicesPanel::selectFirstIfNone);
    connect(m_proxy, &QAbstractItemModel::rowsRemoved, this, &DevicesPanel::emitCurrent);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &DevicesPanel::emitCurrent);

    // "Last seen" ages while no advertisement arrives: repaint it each second.
    auto *ageing = new QTimer(this);
    ageing->setInterval(1000);
    connect(ageing, &QTimer::timeout, m_view->viewport(), qOverload<>(&QWidget::update));
    ageing->start();

    m_bleBanner->setObjectName(QStringLiteral("bleBanner"));
    m_bleBanner->setStyleSheet(
        QStringLiteral("QFrame#bleBanner { background: #fef3c7; border: 1px solid #fcd34d;"
                       " border-radius: 4px; }"
                       " QLabel { color: #78350f; background: transparent; }"));
    m_bleBannerText->setObjectName(QStringLiteral("bleBannerText"));
    m_bleBannerText->setWordWrap(true);
    m_bleBannerText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_bleRetry->setObjectName(QStringLiteral("bleRetryButton"));
    m_bleRetry->setToolTip(tr("Start the Bluetooth scan again."));
    connect(m_bleRetry, &QPushButton::clicked, this, [this] {
        if (m_registry)
            m_registry->restartBle();
    });
    auto *bannerLayout = new QHBoxLayout(m_bleBanner);
    bannerLayout->setContentsMargins(10, 6, 6, 6);
    bannerLayout->addWidget(m_bleBannerText, 1);
    bannerLayout->addWidget(m_bleRetry, 0, Qt::AlignVCenter);
    if (registry)
        connect(registry, &DeviceRegistry::bleStatusChanged, this, &DevicesPanel::showBleStatus);
    showBleStatus();

    auto *filters = new QHBoxLayout;
    filters->addWidget(m_filter, 1);
    filters->addWidget(m_stateCombo);
    filters->addWidget(m_transportCombo);
    auto *options = new QHBoxLayout;
    options->addWidget(m_probe);
    options->addWidget(m_presentOnly);
    options->addStretch(1);
    options->addWidget(m_signalCombo);
    options->addWidget(m_provisionableOnly);

    auto *title = new QLabel(tr("Devices"), this);
    QFont titleFont = title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.15);
    title->setFont(titleFont);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addWidget(title);
    layout->addWidget(m_bleBanner);
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
    // The transport says most of what the bridge would; the bridge is one
    // right-click away (and in the Port tooltip).
    for (int column = 0; column < DeviceModel::ColumnCount; ++column)
        header->setSectionHidden(column, column == DeviceModel::Bridge);
    syncColumnActions();
    // Short, predictable columns fit their content; the identity takes the rest.
    for (int column :
        {DeviceModel::Port, DeviceModel::Transport, DeviceModel::Bridge, DeviceModel::Protocol})
        header->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    // Wide enough for the bars and "-100 dBm" or "seen 59 s ago" without jumping.
    header->resizeSection(DeviceModel::Signal,
        m_view->fontMetrics().horizontalAdvance(QStringLiteral("seen 59 s ago")) + 44);
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
    syncColumnActions();
}

void DevicesPanel::syncColumnActions()
{
    const QHeaderView *header = m_view->horizontalHeader();
    const QList<QAction *> actions = header->actions();
    for (int column = 0; column < actions.size(); ++column) {
        const QSignalBlocker block(actions[column]);
        actions[column]->setChecked(!header->isSectionHidden(column));
    }
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
        m_transportCombo->setCurrentIndex(0);
        m_signalCombo->setCurrentIndex(0);
        m_provisionableOnly->setChecked(false);
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

void DevicesPanel::showBleStatus()
{
    const ble::AdapterStatus status = m_registry ? m_registry->bleStatus() : ble::AdapterStatus{};
    m_bleBannerText->setText(status.ok() ? QString() : status.message());
    m_bleBanner->setVisible(!status.ok());
}

QString DevicesPanel::bleBannerText() const
{
    return m_bleBannerText->text();
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
