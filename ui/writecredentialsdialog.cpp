#include "ui/writecredentialsdialog.h"

#include "app/onboarding/handout.h"

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/blesession.h"
#include "app/onboarding/cryptomaterial.h"
#include "app/onboarding/devicesession.h"
#include "app/onboarding/devicevars.h"
#include "app/onboarding/protocolprobe.h"
#include "app/onboarding/protocoltargets.h"
#include "app/profiles/profilelibrary.h"
#include "app/storage/credentialledger.h"
#include "app/storage/vault.h"
#include "app/transport/seriallink.h"
#include "ui/vaultprompt.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace provbench {

using namespace onboarding;
using namespace profiles;

namespace {

const QColor kGreen(0x06, 0x5f, 0x46);
const QColor kRed(0xb9, 0x1c, 0x1c);
const QColor kGrey(0x6b, 0x72, 0x80);
const QColor kBlue(0x1d, 0x4e, 0xd8);

QString labelStyle(const QString &fg, const QString &bg, const QString &border)
{
    return QStringLiteral("QLabel { color: %1; background: %2; border: 1px solid %3;"
                          " border-radius: 4px; padding: 6px; }")
        .arg(fg, bg, border);
}

} // namespace

WriteCredentialsDialog::WriteCredentialsDialog(
    DeviceSession *session, ProfileLibrary *library, int seq, QWidget *parent)
    : QDialog(parent),
      m_session(session),
      m_library(library),
      m_profile(new QComboBox(this)),
      m_serial(new QLineEdit(this)),
      m_mac(new QLineEdit(this)),
      m_seq(new QSpinBox(this)),
      m_status(new QLabel(this)),
      m_items(new QTableWidget(0, 3, this)),
      m_summary(new QLabel(this)),
      m_warning(new QLabel(this)),
      m_start(new QPushButton(tr("Start"), this)),
      m_close(new QPushButton(tr("Close"), this))
{
    setObjectName(QStringLiteral("writeCredentialsDialog"));
    const DeviceRecord record = session ? session->record() : DeviceRecord();
    setWindowTitle(tr("Write Credentials to %1").arg(record.displayName()));
    resize(860, 560);

    m_profile->setObjectName(QStringLiteral("profileCombo"));
    m_profile->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    if (library) {
        for (const ProfileLibrary::Entry &e : library->entries()) {
            if (e.parses)
                m_profile->addItem(e.name, e.id);
        }
    }
    const DeviceVars vars = deviceVarsFor(record, seq);
    m_serial->setObjectName(QStringLiteral("serialEdit"));
    m_serial->setText(vars.serial);
    m_serial->setPlaceholderText(tr("From the label, for {serial}"));
    m_mac->setObjectName(QStringLiteral("macEdit"));
    m_mac->setText(vars.mac);
    m_mac->setPlaceholderText(tr("From the label, for {mac} (SMP and AT do not report it)"));
    m_seq->setObjectName(QStringLiteral("seqSpin"));
    m_seq->setRange(0, 1000000);
    m_seq->setValue(vars.seq);

    auto *form = new QFormLayout;
    form->addRow(tr("Device:"), new QLabel(record.port.path, this));
    form->addRow(tr("Profile:"), m_profile);
    form->addRow(tr("Serial number:"), m_serial);
    form->addRow(tr("MAC address:"), m_mac);
    form->addRow(tr("Sequence number:"), m_seq);

    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_status->setText(record.isBle()
            ? tr("Start connects over Bluetooth (Improv Wi-Fi or MCUmgr SMP), writes every item "
                 "the profile puts on the device and reads each one back.")
            : tr("Start detects the device's protocol (Improv Wi-Fi, MCUmgr SMP or nRF91 AT), "
                 "writes every item the profile puts on it and reads each one back."));
    if (session && record.isBle()) {
        connect(session, &DeviceSession::recordChanged, this,
            &WriteCredentialsDialog::showAuthorizationHint);
    }

    m_items->setObjectName(QStringLiteral("itemsTable"));
    m_items->setHorizontalHeaderLabels({tr("Item"), tr("State"), tr("Detail")});
    m_items->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_items->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_items->setWordWrap(false);
    m_items->verticalHeader()->hide();
    m_items->horizontalHeader()->setHighlightSections(false);
    m_items->horizontalHeader()->resizeSection(ItemColumn, 220);
    m_items->horizontalHeader()->resizeSection(StateColumn, 110);
    m_items->horizontalHeader()->setStretchLastSection(true);

    m_summary->setObjectName(QStringLiteral("summaryLabel"));
    m_summary->setWordWrap(true);
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_summary->hide();
    m_warning->setObjectName(QStringLiteral("reuseWarning"));
    m_warning->setWordWrap(true);
    m_warning->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning->setStyleSheet(labelStyle(
        QStringLiteral("#92400e"), QStringLiteral("#fef3c7"), QStringLiteral("#fcd34d")));
    m_warning->hide();

    m_start->setObjectName(QStringLiteral("startButton"));
    m_start->setDefault(true);
    m_start->setEnabled(m_profile->count() > 0 && session);
    m_close->setObjectName(QStringLiteral("closeButton"));
    m_close->setAutoDefault(false);
    connect(m_start, &QPushButton::clicked, this, &WriteCredentialsDialog::start);
    connect(m_close, &QPushButton::clicked, this, &QDialog::reject);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_start);
    buttons->addWidget(m_close);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_status);
    layout->addWidget(m_items, 1);
    layout->addWidget(m_summary);
    layout->addWidget(m_warning);
    layout->addLayout(buttons);
}

WriteCredentialsDialog::~WriteCredentialsDialog()
{
    // The job refers to the target, the target to the client, the client to the link.
    m_job.reset();
    m_target.reset();
    m_client.reset();
    m_probe.reset();
    m_bleAccess.reset();
    m_link.reset();
}

void WriteCredentialsDialog::done(int result)
{
    if (m_running)
        return; // the device is being written: closing now would leave it unreported
    releaseDevice();
    QDialog::done(result);
}

void WriteCredentialsDialog::releaseDevice()
{
    const bool hadLink = m_link != nullptr || m_bleAccess != nullptr;
    m_job.reset();
    m_target.reset();
    m_client.reset();
    m_probe.reset();
    m_bleAccess.reset();
    if (m_link)
        m_link->close();
    m_link.reset();
    if (hadLink && m_session)
        m_session->identify();
}

void WriteCredentialsDialog::setRow(
    int row, const QString &state, const QString &detail, const QColor &color)
{
    auto *stateItem = new QTableWidgetItem(state);
    stateItem->setForeground(color);
    QFont bold = stateItem->font();
    bold.setBold(true);
    stateItem->setFont(bold);
    m_items->setItem(row, StateColumn, stateItem);
    auto *detailItem = new QTableWidgetItem(detail);
    detailItem->setToolTip(detail);
    m_items->setItem(row, DetailColumn, detailItem);
}

void WriteCredentialsDialog::start()
{
    if (m_running || !m_session || !m_library)
        return;
    releaseDevice();
    m_items->setRowCount(0);
    m_summary->hide();
    m_warning->hide();

    auto prof = m_library->load(m_profile->currentData().toString());
    if (!prof) {
        end(false, prof.error().message);
        return;
    }
    if (const Issues issues = validate(*prof); !issues.isEmpty()) {
        end(false,
            tr("The profile has problems; fix them on the Profiles page first:\n%1")
                .arg(describe(issues)));
        return;
    }
    m_prof = *prof;
    m_device = DeviceVars();
    m_device.serial = m_serial->text().trimmed();
    m_device.mac = m_mac->text().trimmed();
    m_device.seq = m_seq->value();
    m_device.name = m_session->record().info ? m_session->record().info->deviceName : QString();

    if (m_session->record().isBle()) {
        startBle();
        return;
    }
    if (auto released = m_session->releasePort(); !released) {
        end(false, released.error().message);
        return;
    }
    m_link = std::make_unique<SerialLink>(m_session->record().port.path);
    if (auto opened = m_link->open(); !opened) {
        m_link.reset();
        end(false, opened.error().message);
        return;
    }
    m_running = true;
    for (QWidget *w : {static_cast<QWidget *>(m_start), static_cast<QWidget *>(m_close),
             static_cast<QWidget *>(m_profile), static_cast<QWidget *>(m_serial),
             static_cast<QWidget *>(m_mac), static_cast<QWidget *>(m_seq)})
        w->setEnabled(false);
    m_status->setText(tr("Finding out which protocol the device speaks\u2026"));
    m_probe = std::make_unique<ProtocolProbe>(m_link.get());
    // The probe may answer synchronously or later; either way from the event loop is safest.
    m_probe->run([this](Result<DeviceProtocol> found) {
        QMetaObject::invokeMethod(
            this, [this, found] { onProbed(found); }, Qt::QueuedConnection);
    });
}

void WriteCredentialsDialog::startBle()
{
    m_running = true;
    for (QWidget *w : {static_cast<QWidget *>(m_start), static_cast<QWidget *>(m_close),
             static_cast<QWidget *>(m_profile), static_cast<QWidget *>(m_serial),
             static_cast<QWidget *>(m_mac), static_cast<QWidget *>(m_seq)})
        w->setEnabled(false);
    m_status->setText(tr("Connecting over Bluetooth\u2026"));
    QPointer<WriteCredentialsDialog> self(this);
    m_session->openCredentialAccess([self](Result<BleCredentialAccess> access) {
        if (self)
            self->onBleAccess(std::move(access));
    });
}

void WriteCredentialsDialog::onBleAccess(Result<BleCredentialAccess> access)
{
    if (!access) {
        end(false, access.error().message);
        return;
    }
    m_bleAccess = std::make_unique<BleCredentialAccess>(std::move(*access));
    onProbed(m_bleAccess->protocol);
}

void WriteCredentialsDialog::showAuthorizationHint()
{
    if (!m_session || !m_running || !m_job)
        return;
    const bool waiting = m_session->record().improvState == improv::State::AuthorizationRequired;
    const QString hint = tr("Waiting for authorization: press the button on the device. The "
                            "Wi-Fi settings are sent as soon as it is pressed.");
    if (waiting && m_status->text() != hint) {
        m_statusBeforeHint = m_status->text();
        m_status->setText(hint);
    } else if (!waiting && m_status->text() == hint) {
        m_status->setText(m_statusBeforeHint);
    }
}

void WriteCredentialsDialog::onProbed(Result<DeviceProtocol> protocol)
{
    m_probe.reset();
    if (!protocol) {
        end(false, protocol.error().message);
        return;
    }
    const DeviceProtocol proto = *protocol;
    m_plan = planCredentials(*m_prof, proto);
    m_status->setText(tr("%1 \u2014 %2 items from \u201c%3\u201d.")
                          .arg(protocolName(proto))
                          .arg(m_plan.size())
                          .arg(m_prof->name));
    m_items->setRowCount(int(m_plan.size()));
    for (int row = 0; row < m_plan.size(); ++row) {
        auto *label = new QTableWidgetItem(m_plan[row].label);
        label->setData(Qt::UserRole, m_plan[row].id);
        m_items->setItem(row, ItemColumn, label);
        setRow(row, tr("pending"), m_plan[row].note, kGrey);
    }

    const Workspace &ws = m_library->workspace();
    if (planNeedsCa(m_plan) || Vault::exists(ws)) {
        auto vault = VaultPrompt::vault(ws, this);
        if (!vault) {
            end(false, vault.error().message);
            return;
        }
        m_vault = *vault;
    }
    if (planNeedsCa(m_plan)) {
        auto ca = crypto::CertificateAuthority::open(ws, *m_vault);
        if (!ca) {
            end(false,
                tr("%1\nCreate or import the workspace CA on the Credentials page first.")
                    .arg(ca.error().message));
            return;
        }
        m_ca = std::make_unique<crypto::CertificateAuthority>(std::move(*ca));
        m_crypto = std::make_unique<CryptoMaterial>(*m_prof, *m_ca);
    }
    m_profileMaterial = std::make_unique<ProfileMaterial>(*m_prof, ws.path(), m_crypto.get());
    m_material = std::make_unique<RecordingMaterial>(m_profileMaterial.get());

    // Over BLE the session made the client and the target.
    if (m_bleAccess) {
        m_target = std::move(m_bleAccess->target);
    } else {
        auto access = makeSerialAccess(proto, m_link.get());
        m_client = std::move(access.client);
        m_target = std::move(access.target);
    }
    m_job = std::make_unique<ProvisioningJob>(m_plan, m_target.get(), m_material.get(), m_device);
    connect(m_job.get(), &ProvisioningJob::itemStarted, this, [this](int row) {
        setRow(row, tr("writing\u2026"), QString(), kBlue);
        showAuthorizationHint();
    });
    connect(
        m_job.get(), &ProvisioningJob::itemFinished, this, &WriteCredentialsDialog::onItemFinished);
    connect(m_job.get(), &ProvisioningJob::finished, this, &WriteCredentialsDialog::onJobFinished);
    m_job->start();
}

void WriteCredentialsDialog::onItemFinished(int index, const ItemOutcome &outcome)
{
    const PlanItem &item = m_plan.at(index);
    QString state;
    QColor color = kRed;
    QString detail = outcome.detail;
    switch (outcome.state) {
    case ItemOutcome::State::Pending:
        state = tr("pending");
        color = kGrey;
        break;
    case ItemOutcome::State::Verified:
        state = tr("verified");
        color = kGreen;
        break;
    case ItemOutcome::State::Mismatch:
        state = tr("failed");
        detail = tr("read back differs: %1").arg(outcome.detail);
        break;
    case ItemOutcome::State::Failed:
        state = tr("failed");
        if (outcome.holds != ItemOutcome::DeviceHolds::Unknown)
            detail = tr("%1 (device holds: %2)").arg(outcome.detail, holdsName(outcome.holds));
        break;
    case ItemOutcome::State::Unsupported:
        state = item.notApplicable ? tr("not applicable") : tr("unsupported");
        color = item.notApplicable ? kGrey : QColor(0xb4, 0x53, 0x09);
        break;
    }
    setRow(index, state, detail, color);
}

void WriteCredentialsDialog::onJobFinished(bool ok, const QString &message)
{
    // Record what was handed out, verified or not: a device that failed
    // verification may still hold the credential.
    QStringList reuse;
    const Workspace &ws = m_library->workspace();
    const QString deviceId
        = m_device.serial.isEmpty() ? m_session->record().port.path : m_device.serial;
    if (m_vault) {
        auto key = ledgerKey(ws, *m_vault);
        auto ledger = key ? CredentialLedger::open(ws, *key)
                          : Result<CredentialLedger>(std::unexpected(key.error()));
        if (!ledger) {
            reuse
                << tr("The credential ledger could not be updated: %1").arg(ledger.error().message);
        } else {
            const auto &given = static_cast<RecordingMaterial *>(m_material.get())->given();
            auto reused
                = recordHandout(*ledger, m_plan, m_job->outcomes(), given, deviceId, m_prof->name);
            if (reused)
                reuse << *reused;
            else
                reuse << tr("The credential ledger could not be updated: %1")
                             .arg(reused.error().message);
        }
    }
    end(ok, message, reuse);
}

void WriteCredentialsDialog::end(bool ok, const QString &summary, const QStringList &warnings)
{
    m_running = false;
    // The material held the device's private key in memory: drop it now.
    m_material.reset();
    m_profileMaterial.reset();
    m_crypto.reset();
    m_summary->setStyleSheet(ok ? labelStyle(QStringLiteral("#065f46"), QStringLiteral("#d1fae5"),
                                 QStringLiteral("#6ee7b7"))
                                : labelStyle(QStringLiteral("#991b1b"), QStringLiteral("#fee2e2"),
                                    QStringLiteral("#fca5a5")));
    m_summary->setText(summary);
    m_summary->show();
    m_warning->setText(warnings.join(QLatin1Char('\n')));
    m_warning->setVisible(!warnings.isEmpty());
    m_start->setText(tr("Start Again"));
    for (QWidget *w : {static_cast<QWidget *>(m_start), static_cast<QWidget *>(m_close),
             static_cast<QWidget *>(m_profile), static_cast<QWidget *>(m_serial),
             static_cast<QWidget *>(m_mac), static_cast<QWidget *>(m_seq)})
        w->setEnabled(true);
    Q_EMIT credentialsWritten(ok, summary);
}

} // namespace provbench
