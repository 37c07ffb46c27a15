#include "ui/devicedetailpanel.h"

#include "app/onboarding/devicesession.h"
#include "models/devicemodel.h"
#include "ui/deviceidentityview.h"
#include "ui/statebadgedelegate.h"

#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace provbench {

namespace {

// Four signal bars (filled by RSSI) and, for secured networks, a lock.
QIcon networkIcon(int rssi, bool secured, const QPalette &palette)
{
    const int bars = rssi >= -55 ? 4 : rssi >= -67 ? 3 : rssi >= -78 ? 2 : 1;
    const qreal dpr = 2.0;
    QPixmap pixmap(QSize(36, 16) * dpr);
    pixmap.setDevicePixelRatio(dpr);
    pixmap.fill(Qt::transparent);
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor on = palette.color(QPalette::Text);
    QColor off = on;
    off.setAlpha(50);
    for (int i = 0; i < 4; ++i) {
        const qreal h = 4 + 3.5 * i;
        p.setPen(Qt::NoPen);
        p.setBrush(i < bars ? on : off);
        p.drawRoundedRect(QRectF(1 + i * 4.5, 15 - h, 3, h), 1, 1);
    }
    if (secured)
        QIcon(QStringLiteral(":/icons/lock.svg")).paint(&p, QRect(21, 1, 14, 14));
    return QIcon(pixmap);
}

QString badgeStyle(OnboardingState state)
{
    const StateBadgeDelegate::Palette pal = StateBadgeDelegate::paletteFor(state);
    return QStringLiteral("QLabel { background: %1; color: %2; border: 1px solid %3;"
                          " border-radius: 10px; padding: 2px 10px; font-weight: 600; }")
        .arg(pal.fill.name(), pal.text.name(), pal.accent.name());
}

} // namespace

DeviceDetailPanel::DeviceDetailPanel(QWidget *parent)
    : QWidget(parent), m_stack(new QStackedWidget(this))
{
    auto *placeholder = new QLabel(
        tr("Select a device on the left to see what it is and to provision it."), m_stack);
    placeholder->setObjectName(QStringLiteral("detailPlaceholder"));
    placeholder->setAlignment(Qt::AlignCenter);
    placeholder->setWordWrap(true);
    placeholder->setEnabled(false);
    m_stack->addWidget(placeholder);

    auto *scroll = new QScrollArea(m_stack);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(buildDetails());
    m_stack->addWidget(scroll);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    setSession(nullptr);
}

QWidget *DeviceDetailPanel::buildDetails()
{
    auto *page = new QWidget;

    m_title = new QLabel(page);
    m_title->setObjectName(QStringLiteral("detailTitle"));
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    m_title->setFont(titleFont);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_stateBadge = new QLabel(page);
    m_stateBadge->setObjectName(QStringLiteral("stateBadge"));
    auto *header = new QHBoxLayout;
    header->addWidget(m_title, 1);
    header->addWidget(m_stateBadge);

    m_failure = new QLabel(page);
    m_failure->setObjectName(QStringLiteral("failureLabel"));
    m_failure->setWordWrap(true);
    m_failure->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_failure->setStyleSheet(
        QStringLiteral("QLabel { color: #991b1b; background: #fee2e2; border: 1px solid #fca5a5;"
                       " border-radius: 4px; padding: 6px; }"));

    m_authHint = new QLabel(page);
    m_authHint->setObjectName(QStringLiteral("authorizationHint"));
    m_authHint->setWordWrap(true);
    m_authHint->setStyleSheet(
        QStringLiteral("QLabel { color: #78350f; background: #fef3c7; border: 1px solid #fcd34d;"
                       " border-radius: 4px; padding: 6px; font-weight: 600; }"));
    m_authHint->hide();

    m_result = new QLabel(page);
    m_result->setObjectName(QStringLiteral("resultLabel"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_busyRow = new QWidget(page);
    m_progress = new QProgressBar(m_busyRow);
    m_progress->setObjectName(QStringLiteral("activityProgress"));
    m_progress->setTextVisible(true);
    m_cancel = new QPushButton(tr("Cancel"), m_busyRow);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->cancel();
    });
    auto *busyLayout = new QHBoxLayout(m_busyRow);
    busyLayout->setContentsMargins(0, 0, 0, 0);
    busyLayout->addWidget(m_progress, 1);
    busyLayout->addWidget(m_cancel);

    // Identity: two columns of facts.
    m_identity = new DeviceIdentityView(page);

    m_identify = new QPushButton(
        QIcon(QStringLiteral(":/icons/identify.svg")), tr("Identify / refresh"), page);
    m_identify->setObjectName(QStringLiteral("identifyButton"));
    m_identify->setToolTip(tr("Ask the device for its state and identity."));
    connect(m_identify, &QPushButton::clicked, this, [this] {
        if (m_session)
            m_session->identify();
    });
    m_scan = new QPushButton(QIcon(QStringLiteral(":/icons/wifi.svg")), tr("Scan networks"), page);
    m_scan->setObjectName(QStringLiteral("scanButton"));
    m_scan->setToolTip(tr("Ask the device which Wi-Fi networks it can see."));
    connect(m_scan, &QPushButton::clicked, this, [this] {
        if (!m_session)
            return;
        m_networks->clear();
        m_session->scanNetworks();
    });
    m_writeCredentials = new QPushButton(tr("Write credentials\u2026"), page);
    m_writeCredentials->setObjectName(QStringLiteral("writeCredentialsButton"));
    m_writeCredentials->setToolTip(
        tr("Write a profile's settings, keys and certificates to the device and verify each."));
    connect(m_writeCredentials, &QPushButton::clicked, this, [this] {
        if (m_session)
            Q_EMIT writeCredentialsRequested(m_session);
    });
    auto *actions = new QHBoxLayout;
    actions->addWidget(m_identify);
    actions->addWidget(m_scan);
    actions->addWidget(m_writeCredentials);
    actions->addStretch(1);

    // Wi-Fi: the scan results on the left, the credentials on the right.
    auto *wifi = new QGroupBox(tr("Wi-Fi"), page);
    m_wifiBox = wifi;
    m_networks = new QListWidget(wifi);
    m_networks->setObjectName(QStringLiteral("networkList"));
    m_networks->setIconSize(QSize(36, 16));
    m_networks->setMinimumHeight(72);
    m_networks->setMaximumHeight(96);
    m_networks->setWordWrap(true);
    m_networks->setToolTip(tr("Networks the device sees. Pick one to fill in the SSID."));
    connect(m_networks, &QListWidget::itemClicked, this, &DeviceDetailPanel::onNetworkChosen);
    connect(m_networks, &QListWidget::itemActivated, this, &DeviceDetailPanel::onNetworkChosen);
    m_ssid = new QLineEdit(wifi);
    m_ssid->setObjectName(QStringLiteral("ssidEdit"));
    m_ssid->setPlaceholderText(tr("Network name"));
    m_ssid->setMaxLength(32);
    m_password = new QLineEdit(wifi);
    m_password->setObjectName(QStringLiteral("passwordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("Leave empty if open"));
    m_password->setMaxLength(63);
    m_showPassword = new QToolButton(wifi);
    m_showPassword->setObjectName(QStringLiteral("showPasswordButton"));
    m_showPassword->setIcon(QIcon(QStringLiteral(":/icons/eye.svg")));
    m_showPassword->setCheckable(true);
    m_showPassword->setToolTip(tr("Show the password"));
    connect(m_showPassword, &QToolButton::toggled, this, [this](bool show) {
        m_password->setEchoMode(show ? QLineEdit::Normal : QLineEdit::Password);
    });
    auto *passwordRow = new QHBoxLayout;
    passwordRow->addWidget(m_password, 1);
    passwordRow->addWidget(m_showPassword);
    m_writeWifi = new QPushButton(tr("Write Wi-Fi"), wifi);
    m_writeWifi->setObjectName(QStringLiteral("writeWifiButton"));
    m_writeWifi->setToolTip(tr("Send the credentials and verify that the device joined."));
    connect(m_writeWifi, &QPushButton::clicked, this, &DeviceDetailPanel::writeWifi);
    connect(m_password, &QLineEdit::returnPressed, this, &DeviceDetailPanel::writeWifi);
    auto *credentials = new QFormLayout;
    credentials->addRow(tr("SSID:"), m_ssid);
    credentials->addRow(tr("Password:"), passwordRow);
    credentials->addRow(QString(), m_writeWifi);
    auto *wifiLayout = new QHBoxLayout(wifi);
    wifiLayout->addWidget(m_networks, 4);
    wifiLayout->addLayout(credentials, 5);

    // Names.
    auto *names = new QGroupBox(tr("Names"), page);
    m_namesBox = names;
    m_hostname = new QLineEdit(names);
    m_hostname->setObjectName(QStringLiteral("hostnameEdit"));
    m_setHostname = new QPushButton(tr("Set"), names);
    m_setHostname->setObjectName(QStringLiteral("setHostnameButton"));
    connect(m_setHostname, &QPushButton::clicked, this, &DeviceDetailPanel::setHostname);
    m_deviceName = new QLineEdit(names);
    m_deviceName->setObjectName(QStringLiteral("deviceNameEdit"));
    m_setDeviceName = new QPushButton(tr("Set"), names);
    m_setDeviceName->setObjectName(QStringLiteral("setDeviceNameButton"));
    connect(m_setDeviceName, &QPushButton::clicked, this, &DeviceDetailPanel::setDeviceName);
    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_hostname, 1);
    hostRow->addWidget(m_setHostname);
    auto *nameRow = new QHBoxLayout;
    nameRow->addWidget(m_deviceName, 1);
    nameRow->addWidget(m_setDeviceName);
    auto *namesLayout = new QFormLayout(names);
    namesLayout->addRow(tr("Hostname:"), hostRow);
    namesLayout->addRow(tr("Device name:"), nameRow);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addLayout(header);
    layout->addWidget(m_failure);
    layout->addWidget(m_busyRow);
    layout->addWidget(m_authHint);
    layout->addWidget(m_result);
    layout->addWidget(m_identity);
    layout->addLayout(actions);
    layout->addWidget(wifi);
    layout->addWidget(names);
    layout->addStretch(1);
    return page;
}

DeviceSession *DeviceDetailPanel::session() const
{
    return m_session;
}

void DeviceDetailPanel::setSession(DeviceSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    showScanHint();
    m_password->clear();
    m_showPassword->setChecked(false);
    m_result->clear();
    m_result->hide();
    if (session) {
        connect(session, &DeviceSession::recordChanged, this, &DeviceDetailPanel::refresh);
        connect(session, &DeviceSession::operationFinished, this,
            &DeviceDetailPanel::onOperationFinished);
        connect(session, &DeviceSession::scanFinished, this, &DeviceDetailPanel::onScanFinished);
        connect(session, &QObject::destroyed, this, [this] { setSession(nullptr); });
        const DeviceRecord &r = session->record();
        const Remembered &last = remembered();
        if (!last.networks.isEmpty())
            showNetworks(last.networks);
        if (!last.result.isEmpty()) {
            m_stack->setCurrentIndex(1);
            showResult(last.ok, last.result);
        }
        m_ssid->setText(r.ssid);
        m_hostname->setText(r.hostname);
        m_deviceName->setText(r.info ? r.info->deviceName : QString());
    }
    m_stack->setCurrentIndex(session ? 1 : 0);
    refresh();
}

DeviceDetailPanel::Remembered &DeviceDetailPanel::remembered()
{
    return m_remembered[m_session ? m_session->record().id : QString()];
}

void DeviceDetailPanel::refresh()
{
    if (!m_session) {
        updateActions();
        return;
    }
    const DeviceRecord &r = m_session->record();

    const QString name = r.info && !r.info->deviceName.isEmpty() ? r.info->deviceName : QString();
    if (r.isBle()) {
        const QString shown = name.isEmpty() ? r.ble.advert.name : name;
        m_title->setText(shown.isEmpty() ? r.ble.advert.address
                                         : tr("%1 \u00b7 %2").arg(shown, r.ble.advert.address));
    } else {
        m_title->setText(
            name.isEmpty() ? r.port.portName : tr("%1 on %2").arg(name, r.port.portName));
    }
    m_stateBadge->setText(r.present ? DeviceModel::stateDisplayName(r.state)
            : r.isBle()             ? tr("Out of range")
                                    : tr("Unplugged"));
    m_stateBadge->setStyleSheet(badgeStyle(r.present ? r.state : OnboardingState::Discovered));

    m_identity->showRecord(r);

    // Wi-Fi, scan and names are Improv commands: a device identified as
    // another protocol gets its settings through Write credentials instead.
    // Improv over BLE has no name commands.
    const bool improv = r.speaksImprov();
    m_wifiBox->setVisible(improv);
    m_namesBox->setVisible(improv && !r.isBle());
    m_scan->setVisible(improv);
    m_writeCredentials->setVisible(!r.isBle() || improv || r.speaksSmpOverBle());

    const bool waitsForButton = r.isBle() && r.improvState == improv::State::AuthorizationRequired;
    const bool writing = m_session->isBusy() && r.state == OnboardingState::Provisioning;
    m_authHint->setText(writing
            ? tr("Press the button on the device to authorize it: the Wi-Fi settings are sent "
                 "as soon as it is pressed.")
            : tr("This device accepts Wi-Fi settings only after its button is pressed; Write "
                 "Wi-Fi waits for it."));
    m_authHint->setVisible(waitsForButton && r.present);

    // Fill the name editors from the device unless the user is editing them.
    if (!m_hostname->isModified() && !m_hostname->hasFocus())
        m_hostname->setText(r.hostname);
    if (!m_deviceName->isModified() && !m_deviceName->hasFocus())
        m_deviceName->setText(name);

    QString failure;
    if (!r.present && r.isBle())
        failure = tr("%1 stopped advertising (out of range, switched off or connected to "
                     "something else). Bring it closer or wake it up; it comes back as soon as "
                     "it is heard again.")
                      .arg(r.displayName());
    else if (!r.present)
        failure = tr("The port %1 is gone. Plug the device back in (or restart the simulator) "
                     "to work with it again.")
                      .arg(r.port.path);
    else if (r.state == OnboardingState::Failed)
        failure = r.failureReason.isEmpty()
            ? tr("The last operation failed. Check the trace below, then try again.")
            : r.failureReason;
    // The result line already says it when it reports the same failure.
    m_failure->setText(failure);
    m_failure->setVisible(
        !failure.isEmpty() && (m_result->isHidden() || !m_result->text().contains(failure)));

    m_busyRow->setVisible(m_session->isBusy());
    if (m_session->isBusy()) {
        if (r.progress >= 0) {
            m_progress->setRange(0, 100);
            m_progress->setValue(r.progress);
            m_progress->setFormat(r.activity + QStringLiteral(" \u2014 %p%"));
        } else {
            m_progress->setRange(0, 0); // busy indicator
            m_progress->setFormat(r.activity);
        }
    }
    updateActions();
}

void DeviceDetailPanel::updateActions()
{
    const bool usable = m_session && !m_session->isBusy() && m_session->record().present;
    for (QWidget *w : {static_cast<QWidget *>(m_identify), static_cast<QWidget *>(m_scan),
             static_cast<QWidget *>(m_writeCredentials), static_cast<QWidget *>(m_writeWifi),
             static_cast<QWidget *>(m_setHostname), static_cast<QWidget *>(m_setDeviceName)})
        w->setEnabled(usable);
    m_cancel->setEnabled(m_session && m_session->isBusy());
}

void DeviceDetailPanel::showResult(bool ok, const QString &text)
{
    m_result->setStyleSheet(ok
            ? QStringLiteral("QLabel { color: #065f46; background: #d1fae5; border: 1px solid"
                             " #6ee7b7; border-radius: 4px; padding: 6px; }")
            : QStringLiteral("QLabel { color: #991b1b; background: #fee2e2; border: 1px solid"
                             " #fca5a5; border-radius: 4px; padding: 6px; }"));
    m_result->setText(text);
    m_result->setVisible(!text.isEmpty());
    refresh();
}

void DeviceDetailPanel::onOperationFinished(
    const QString &operation, bool ok, const QString &message)
{
    if (ok) {
        QString text = message.isEmpty() ? tr("%1: done.").arg(operation) : message;
        if (m_session && m_session->record().state == OnboardingState::Provisioned
            && !m_session->record().ssid.isEmpty() && operation.contains(QLatin1String("Wi-Fi"))) {
            text = tr("%1: done. The device joined \u201c%2\u201d.")
                       .arg(operation, m_session->record().ssid);
            m_password->clear();
        }
        showResult(true, text);
    } else {
        showResult(false, message.isEmpty() ? tr("%1 failed.").arg(operation) : message);
    }
    remembered().ok = ok;
    remembered().result = m_result->text();
}

void DeviceDetailPanel::onScanFinished(const QList<improv::WifiNetwork> &networks)
{
    remembered().networks = networks;
    showNetworks(networks);
    if (networks.isEmpty()) {
        showResult(false,
            tr("The device sees no Wi-Fi networks. Move it closer to the access "
               "point, or type the SSID of a hidden network."));
    }
}

void DeviceDetailPanel::showNetworks(const QList<improv::WifiNetwork> &networks)
{
    m_networks->clear();
    QList<improv::WifiNetwork> sorted = networks;
    std::ranges::sort(sorted, [](const auto &a, const auto &b) { return a.rssi > b.rssi; });
    for (const improv::WifiNetwork &net : sorted) {
        auto *item = new QListWidgetItem(networkIcon(net.rssi, net.secured, m_networks->palette()),
            tr("%1   %2 dBm%3")
                .arg(net.ssid)
                .arg(net.rssi)
                .arg(net.secured ? QString() : tr(", open")),
            m_networks);
        item->setData(Qt::UserRole, net.ssid);
        item->setData(Qt::UserRole + 1, net.secured);
        item->setToolTip(net.secured ? tr("Secured network: enter its password.")
                                     : tr("Open network: no password needed."));
    }
    if (networks.isEmpty())
        showScanHint();
}

void DeviceDetailPanel::showScanHint()
{
    m_networks->clear();
    auto *hint = new QListWidgetItem(
        tr("Press \u201cScan networks\u201d to list the networks this device sees."), m_networks);
    hint->setFlags(Qt::NoItemFlags);
}

void DeviceDetailPanel::onNetworkChosen(QListWidgetItem *item)
{
    if (!item || !(item->flags() & Qt::ItemIsEnabled))
        return;
    m_ssid->setText(item->data(Qt::UserRole).toString());
    if (item->data(Qt::UserRole + 1).toBool()) {
        m_password->setFocus();
    } else {
        m_password->clear();
        m_writeWifi->setFocus();
    }
}

void DeviceDetailPanel::writeWifi()
{
    if (!m_session || !m_writeWifi->isEnabled())
        return;
    const QString ssid = m_ssid->text();
    if (ssid.trimmed().isEmpty()) {
        showResult(false,
            tr("Enter the SSID of the network the device should join, or pick "
               "one from a scan."));
        m_ssid->setFocus();
        return;
    }
    m_result->clear();
    m_result->hide();
    m_session->provisionWifi(ssid, m_password->text());
}

void DeviceDetailPanel::setHostname()
{
    if (!m_session)
        return;
    m_hostname->setModified(false);
    m_session->setHostname(m_hostname->text().trimmed());
}

void DeviceDetailPanel::setDeviceName()
{
    if (!m_session)
        return;
    m_deviceName->setModified(false);
    m_session->setDeviceName(m_deviceName->text().trimmed());
}

} // namespace provbench
