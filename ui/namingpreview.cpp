#include "ui/namingpreview.h"

#include "app/onboarding/deviceregistry.h"
#include "app/onboarding/devicevars.h"
#include "app/profiles/inventorycheck.h"
#include "ui/profilebinder.h"

#include <QComboBox>
#include <QFileInfo>
#include <QGridLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace provbench {

using namespace profiles;

namespace {

QString portLabel(const DeviceRecord &r)
{
    QString label = QFileInfo(r.port.path).fileName();
    if (r.info && !r.info->deviceName.isEmpty())
        label += QStringLiteral(" \u00b7 ") + r.info->deviceName;
    return label;
}

} // namespace

NamingPreview::NamingPreview(ProfileBinder *binder, QWidget *parent)
    : QFrame(parent),
      m_binder(binder),
      m_device(new QComboBox(this)),
      m_serial(new QLineEdit(this)),
      m_mac(new QLineEdit(this)),
      m_seq(new QSpinBox(this)),
      m_result(new QLabel(this)),
      m_inventory(new QLabel(this))
{
    setObjectName(QStringLiteral("namingPreviewBox"));
    setFrameShape(QFrame::StyledPanel);
    setStyleSheet(QStringLiteral(
        "#namingPreviewBox { background: palette(alternate-base); border-radius: 4px; }"));
    m_device->setObjectName(QStringLiteral("previewDevice"));
    m_serial->setObjectName(QStringLiteral("previewSerial"));
    m_serial->setText(QStringLiteral("SN0001"));
    m_mac->setObjectName(QStringLiteral("previewMac"));
    m_mac->setText(QStringLiteral("02:00:00:00:00:01"));
    m_seq->setObjectName(QStringLiteral("previewSeq"));
    m_seq->setRange(0, 999999);
    m_seq->setValue(1);
    for (QLabel *l : {m_result, m_inventory}) {
        l->setWordWrap(true);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_result->setObjectName(QStringLiteral("namingPreview"));
    m_inventory->setObjectName(QStringLiteral("inventoryCollisions"));
    m_inventory->hide();

    // A full MAC must stay readable: the sample takes two rows.
    m_mac->setMinimumWidth(
        m_mac->fontMetrics().horizontalAdvance(QStringLiteral("02:00:00:00:00:01")) + 16);
    auto *grid = new QGridLayout;
    grid->setHorizontalSpacing(6);
    grid->setVerticalSpacing(4);
    grid->addWidget(new QLabel(tr("Device"), this), 0, 0, Qt::AlignRight);
    grid->addWidget(m_device, 0, 1, 1, 3);
    grid->addWidget(new QLabel(tr("serial"), this), 1, 0, Qt::AlignRight);
    grid->addWidget(m_serial, 1, 1);
    grid->addWidget(new QLabel(tr("seq"), this), 1, 2, Qt::AlignRight);
    grid->addWidget(m_seq, 1, 3);
    grid->addWidget(new QLabel(tr("MAC"), this), 2, 0, Qt::AlignRight);
    grid->addWidget(m_mac, 2, 1, 1, 3);
    grid->setColumnStretch(1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addLayout(grid);
    layout->addWidget(m_result);
    layout->addWidget(m_inventory);

    refillDevices();
    connect(m_device, &QComboBox::currentIndexChanged, this, &NamingPreview::deviceChosen);
    connect(m_serial, &QLineEdit::textChanged, this, &NamingPreview::update);
    connect(m_mac, &QLineEdit::textChanged, this, &NamingPreview::update);
    connect(m_seq, &QSpinBox::valueChanged, this, &NamingPreview::update);
    binder->onRefresh(this, [this](const Profile &) { update(); });
}

void NamingPreview::setDevices(DeviceRegistry *devices)
{
    if (m_devices)
        disconnect(m_devices, nullptr, this, nullptr);
    m_devices = devices;
    if (m_devices) {
        connect(m_devices, &DeviceRegistry::deviceAdded, this, &NamingPreview::refillDevices);
        connect(m_devices, &DeviceRegistry::deviceRemoved, this, &NamingPreview::refillDevices);
        // Identification fills in names: keep labels and values current.
        connect(m_devices, &DeviceRegistry::deviceChanged, this, &NamingPreview::refillDevices);
    }
    refillDevices();
}

void NamingPreview::refillDevices()
{
    const QString current = m_device->currentData().toString();
    const QSignalBlocker block(m_device);
    m_device->clear();
    m_device->addItem(tr("Sample device (edit below)"), QString());
    if (m_devices) {
        for (int i = 0; i < m_devices->count(); ++i) {
            const DeviceRecord &r = m_devices->at(i)->record();
            m_device->addItem(portLabel(r), r.id);
        }
    }
    const int index = m_device->findData(current);
    m_device->setCurrentIndex(index < 0 ? 0 : index);
    deviceChosen();
}

void NamingPreview::deviceChosen()
{
    const bool sample = m_device->currentIndex() <= 0;
    for (QWidget *w : std::initializer_list<QWidget *>{m_serial, m_mac, m_seq})
        w->setEnabled(sample);
    if (!sample && m_devices) {
        const int row = m_devices->indexOf(m_device->currentData().toString());
        if (row >= 0) {
            const DeviceVars vars = deviceVarsFor(m_devices->at(row)->record(), row + 1);
            const QSignalBlocker b1(m_serial), b2(m_mac), b3(m_seq);
            m_serial->setText(vars.serial);
            m_mac->setText(vars.mac);
            m_seq->setValue(vars.seq);
        }
    }
    update();
}

QString NamingPreview::labelFor(const QString &inventoryLabel) const
{
    // Devices without a serial are labelled "#<seq>" by the check; seq is the
    // row + 1 here, so name the port instead.
    if (m_devices && inventoryLabel.startsWith(QLatin1Char('#'))) {
        const int row = inventoryLabel.mid(1).toInt() - 1;
        if (row >= 0 && row < m_devices->count())
            return QFileInfo(m_devices->at(row)->record().port.path).fileName();
    }
    return inventoryLabel;
}

void NamingPreview::update()
{
    const Profile p = m_binder->profile();
    DeviceVars vars;
    vars.serial = m_serial->text().trimmed();
    vars.mac = m_mac->text().trimmed();
    vars.site = p.site;
    vars.seq = m_seq->value();
    if (m_device->currentIndex() > 0 && m_devices) {
        const int row = m_devices->indexOf(m_device->currentData().toString());
        if (row >= 0) {
            vars = deviceVarsFor(m_devices->at(row)->record(), row + 1);
            vars.site = p.site;
        }
    }
    QStringList lines;
    const auto line = [&](const QString &what, const QString &text) {
        if (text.isEmpty())
            return;
        const auto value = expandTemplate(text, vars);
        lines << (value ? tr("%1 \u2192 <b>%2</b>").arg(what, value->toHtmlEscaped())
                        : tr("%1 \u2192 <span style='color:#b91c1c'>%2</span>")
                              .arg(what, value.error().message.toHtmlEscaped()));
    };
    line(tr("Hostname"), p.naming.hostname);
    line(tr("Device name"), p.naming.deviceName);
    if (!p.network.ip.dhcp)
        line(tr("Address"), p.network.ip.address);
    if (lines.isEmpty())
        lines << tr("No naming templates: devices keep their own names.");
    m_result->setText(lines.join(QStringLiteral("<br>")));

    if (!m_devices || m_devices->count() < 2) {
        m_inventory->hide();
        return;
    }
    QList<DeviceVars> fleet;
    for (int i = 0; i < m_devices->count(); ++i)
        fleet.append(deviceVarsFor(m_devices->at(i)->record(), i + 1));
    const InventoryCheck check = checkInventory(p, fleet);
    QStringList problems;
    QStringList unresolved;
    for (const InventoryCheck::Row &row : check.rows) {
        if (!row.error.isEmpty()) {
            unresolved << labelFor(row.device);
            if (problems.isEmpty())
                problems << row.error.toHtmlEscaped();
        }
    }
    QStringList items;
    for (const Collision &c : check.collisions) {
        QStringList names;
        for (const QString &d : c.devices)
            names << labelFor(d);
        items << tr("%1 \u201c%2\u201d for %3")
                     .arg(c.field, c.value.toHtmlEscaped(), names.join(QStringLiteral(", ")));
    }
    QStringList text;
    if (!unresolved.isEmpty())
        text << tr("<span style='color:#b45309'>Cannot compute the values of %1 (%2): %3</span>")
                    .arg(unresolved.size() == 1 ? tr("1 device")
                                                : tr("%1 devices").arg(unresolved.size()),
                        unresolved.join(QStringLiteral(", ")), problems.first());
    if (!items.isEmpty())
        text << tr("<span style='color:#b91c1c'>Collisions across the devices on the Devices "
                   "page:<br>%1</span>")
                    .arg(items.join(QStringLiteral("<br>")));
    if (text.isEmpty())
        text << tr("<span style='color:#15803d'>\u2713 No collisions across the %1 devices on "
                   "the Devices page.</span>")
                    .arg(fleet.size());
    m_inventory->setText(text.join(QStringLiteral("<br>")));
    m_inventory->show();
}

} // namespace provbench
