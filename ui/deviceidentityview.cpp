#include "ui/deviceidentityview.h"

#include "app/onboarding/devicerecord.h"
#include "models/devicemodel.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>

namespace provbench {

DeviceIdentityView::DeviceIdentityView(QWidget *parent) : QGroupBox(tr("Identity"), parent)
{
    auto *left = new QFormLayout;
    auto *right = new QFormLayout;
    for (QFormLayout *form : {left, right}) {
        form->setLabelAlignment(Qt::AlignRight);
        form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    }
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 3);
    layout->addSpacing(12);
    layout->addLayout(right, 2);
    addField(left, QStringLiteral("port"), tr("Port:"));
    addField(left, QStringLiteral("bridge"), tr("Bridge:"));
    addField(left, QStringLiteral("vidpid"), tr("VID:PID:"));
    addField(left, QStringLiteral("serial"), tr("Serial number:"));
    addField(left, QStringLiteral("protocols"), tr("Protocols:"));
    addField(left, QStringLiteral("url"), tr("URL:"));
    m_fields[QStringLiteral("url")]->setTextInteractionFlags(Qt::TextBrowserInteraction);
    m_fields[QStringLiteral("url")]->setOpenExternalLinks(true);
    addField(right, QStringLiteral("firmware"), tr("Firmware:"));
    addField(right, QStringLiteral("version"), tr("Version:"));
    addField(right, QStringLiteral("hardware"), tr("Hardware:"));
    addField(right, QStringLiteral("os"), tr("OS:"));
    addField(right, QStringLiteral("devicename"), tr("Device name:"));
    addField(right, QStringLiteral("hostname"), tr("Hostname:"));
    addField(right, QStringLiteral("wifi"), tr("Wi-Fi:"));
    m_fields[QStringLiteral("wifi")]->setWordWrap(false); // SSIDs read badly when broken
}

void DeviceIdentityView::addField(QFormLayout *form, const QString &key, const QString &label)
{
    auto *value = new QLabel(this);
    value->setObjectName(QStringLiteral("field_") + key);
    value->setTextInteractionFlags(Qt::TextSelectableByMouse);
    value->setWordWrap(true);
    form->addRow(label, value);
    m_fields.insert(key, value);
    m_forms.insert(key, form);
}

void DeviceIdentityView::setFieldLabel(const QString &key, const QString &text)
{
    QFormLayout *form = m_forms.value(key);
    if (auto *label
        = form ? qobject_cast<QLabel *>(form->labelForField(m_fields.value(key))) : nullptr)
        label->setText(text);
}

void DeviceIdentityView::setField(const QString &key, const QString &text)
{
    m_fields.value(key)->setText(text.isEmpty() ? QStringLiteral("\u2014") : text);
}

void DeviceIdentityView::showRecord(const DeviceRecord &r)
{
    // The rows are relabelled rather than hidden: rows of a nested form that
    // were hidden once do not come back reliably in Qt 6.4.
    const bool bleImprov = r.isBle() && r.speaksImprov();
    setFieldLabel(QStringLiteral("port"), r.isBle() ? tr("Address:") : tr("Port:"));
    setFieldLabel(QStringLiteral("bridge"), r.isBle() ? tr("Signal:") : tr("Bridge:"));
    setFieldLabel(QStringLiteral("vidpid"), r.isBle() ? tr("Advertises:") : tr("VID:PID:"));
    setFieldLabel(QStringLiteral("serial"),
        !r.isBle()      ? tr("Serial number:")
            : bleImprov ? tr("Improv state:")
                        : tr("Connection:"));
    if (r.isBle()) {
        setField(QStringLiteral("port"),
            r.ble.advert.address + (r.connected ? tr(" (connected)") : QString()));
        QString signal;
        if (r.ble.advert.rssi != 0)
            signal = tr("%1 dBm (%2 of 4 bars)")
                         .arg(r.ble.advert.rssi)
                         .arg(ble::signalBars(r.ble.advert.rssi));
        if (r.ble.lastSeen.isValid())
            signal += tr(", last seen %1")
                          .arg(DeviceModel::lastSeenText(
                              r.ble.lastSeen, QDateTime::currentDateTimeUtc()));
        setField(QStringLiteral("bridge"), signal);
        setField(QStringLiteral("vidpid"), ble::protocolSummary(r.ble));
        QString improvState;
        if (r.improvState) {
            improvState = *r.improvState == improv::State::AuthorizationRequired
                ? tr("Authorization required (press the button on the device)")
                : improv::stateName(*r.improvState);
            improvState[0] = improvState[0].toUpper();
        }
        setField(QStringLiteral("serial"),
            bleImprov         ? improvState
                : r.connected ? tr("Connected")
                              : tr("Not connected (connects when needed)"));
    } else {
        setField(QStringLiteral("port"), r.port.path);
        setField(
            QStringLiteral("bridge"), r.port.bridge.isEmpty() ? r.port.description : r.port.bridge);
        setField(QStringLiteral("vidpid"), r.port.vidPid());
        setField(QStringLiteral("serial"), r.port.serialNumber);
    }
    setField(QStringLiteral("protocols"), r.protocols.join(QLatin1String(", ")));
    setField(QStringLiteral("firmware"), r.info ? r.info->firmwareName : QString());
    setField(QStringLiteral("version"), r.info ? r.info->firmwareVersion : QString());
    setField(QStringLiteral("hardware"), r.info ? r.info->hardware : QString());
    setField(QStringLiteral("os"),
        r.info ? QString(r.info->osName + QLatin1Char(' ') + r.info->osVersion).trimmed()
               : QString());
    setField(QStringLiteral("devicename"), r.info ? r.info->deviceName : QString());
    setField(QStringLiteral("hostname"), r.hostname);
    setField(QStringLiteral("wifi"), r.ssid);
    QStringList links;
    for (const QString &url : r.urls) {
        links << QStringLiteral("<a href=\"%1\">%2</a>")
                     .arg(url.toHtmlEscaped(), url.toHtmlEscaped());
    }
    setField(QStringLiteral("url"), links.join(QStringLiteral("<br>")));
}

} // namespace provbench
