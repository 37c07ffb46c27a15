#include "ui/enrollmentpanel.h"

#include "app/crypto/certificateauthority.h"
#include "app/onboarding/enrollment/approvalqueue.h"
#include "app/onboarding/enrollment/esthost.h"
#include "app/profiles/profilelibrary.h"
#include "app/storage/store/store.h"
#include "models/enrollmenteventsmodel.h"
#include "models/enrollmentfeed.h"
#include "models/pendingrequestsmodel.h"
#include "ui/enrollmenttokensbox.h"
#include "ui/vaultprompt.h"

#include <QCheckBox>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace provbench {

namespace {

QString okStyle()
{
    return QStringLiteral("QLabel { color: #065f46; background: #d1fae5; border: 1px solid"
                          " #6ee7b7; border-radius: 4px; padding: 6px; }");
}

QString errorStyle()
{
    return QStringLiteral("QLabel { color: #991b1b; background: #fee2e2; border: 1px solid"
                          " #fca5a5; border-radius: 4px; padding: 6px; }");
}

QString idleStyle()
{
    return QStringLiteral("QLabel { color: #374151; background: #f3f4f6; border: 1px solid"
                          " #d1d5db; border-radius: 4px; padding: 6px; }");
}

// Fixed widths that fit the usual values; `stretch` takes the rest.
void sizeColumns(QTableView *view, const QList<int> &widths, int stretch)
{
    QHeaderView *header = view->horizontalHeader();
    header->setStretchLastSection(false);
    for (int column = 0; column < widths.size(); ++column) {
        header->setSectionResizeMode(
            column, column == stretch ? QHeaderView::Stretch : QHeaderView::Interactive);
        if (column != stretch)
            header->resizeSection(column, widths.at(column));
    }
}

QTableView *makeTable(const QString &name, QWidget *parent)
{
    auto *view = new QTableView(parent);
    view->setObjectName(name);
    view->verticalHeader()->hide();
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    return view;
}

} // namespace

EnrollmentPanel::EnrollmentPanel(
    profiles::ProfileLibrary *library, StoreOpener openStore, QWidget *parent)
    : QWidget(parent), m_library(library), m_openStore(std::move(openStore))
{
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("enrollmentMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_tokens = new EnrollmentTokensBox([this] { return store(); }, this);
    auto *lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(m_tokens);
    lower->addWidget(buildEventsBox());
    lower->setStretchFactor(0, 2);
    lower->setStretchFactor(1, 3);
    lower->setSizes({650, 710});
    lower->setChildrenCollapsible(false);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(buildPendingBox());
    splitter->addWidget(lower);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->addWidget(buildServiceBox());
    layout->addWidget(splitter, 1);
    m_body = splitter;
    updateServiceState();
}

EnrollmentPanel::~EnrollmentPanel()
{
    // The server refers to the store: stop it first.
    m_host.reset();
}

QWidget *EnrollmentPanel::buildServiceBox()
{
    auto *box = new QGroupBox(tr("EST service"), this);
    m_listen = new QLineEdit(QStringLiteral("127.0.0.1:8443"), box);
    m_listen->setObjectName(QStringLiteral("listenAddress"));
    m_listen->setToolTip(tr("Address and port to serve on: 127.0.0.1:8443 for this machine "
                            "only, 0.0.0.0:8443 for every network, port 0 for any free port."));
    m_listen->setMaximumWidth(220);
    m_manual = new QCheckBox(tr("Hold every enrollment for approval"), box);
    m_manual->setObjectName(QStringLiteral("manualApproval"));
    m_manual->setToolTip(tr("Without this, only devices whose profile asks for manual approval "
                            "wait for a decision. Applies when the service starts."));
    m_start = new QPushButton(tr("Start"), box);
    m_start->setObjectName(QStringLiteral("startService"));
    connect(m_start, &QPushButton::clicked, this, [this] { startService(); });
    m_stop = new QPushButton(tr("Stop"), box);
    m_stop->setObjectName(QStringLiteral("stopService"));
    connect(m_stop, &QPushButton::clicked, this, &EnrollmentPanel::stopService);
    connect(m_listen, &QLineEdit::returnPressed, this, [this] { startService(); });

    m_state = new QLabel(box);
    m_state->setObjectName(QStringLiteral("serviceState"));
    m_state->setWordWrap(true);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_fix = new QPushButton(box);
    m_fix->setObjectName(QStringLiteral("serviceFix"));
    m_fix->hide();
    connect(m_fix, &QPushButton::clicked, this, [this] {
        if (m_fixKind == Fix::OpenCredentials)
            Q_EMIT openCredentialsRequested();
        else if (m_fixKind == Fix::Unlock)
            startService();
    });
    m_counts = new QLabel(box);
    m_counts->setObjectName(QStringLiteral("serviceCounts"));

    auto *row = new QHBoxLayout;
    row->addWidget(new QLabel(tr("Listen on:"), box));
    row->addWidget(m_listen);
    row->addWidget(m_manual);
    row->addStretch(1);
    row->addWidget(m_counts);
    row->addWidget(m_start);
    row->addWidget(m_stop);
    auto *stateRow = new QHBoxLayout;
    stateRow->addWidget(m_state, 1);
    stateRow->addWidget(m_fix, 0, Qt::AlignVCenter);
    auto *layout = new QVBoxLayout(box);
    layout->addLayout(row);
    layout->addLayout(stateRow);
    return box;
}

QWidget *EnrollmentPanel::buildPendingBox()
{
    auto *box = new QGroupBox(tr("Waiting for approval"), this);
    m_pendingBox = box;
    m_pending = makeTable(QStringLiteral("pendingTable"), box);
    m_approve = new QPushButton(tr("Approve"), box);
    m_approve->setObjectName(QStringLiteral("approveRequest"));
    m_approve->setToolTip(tr("The device gets its certificate when it retries with the same CSR."));
    connect(m_approve, &QPushButton::clicked, this, [this] { approveSelected(); });
    m_deny = new QPushButton(tr("Deny\u2026"), box);
    m_deny->setObjectName(QStringLiteral("denyRequest"));
    m_deny->setToolTip(tr("The device's retry is refused (403); a decision cannot be changed."));
    connect(m_deny, &QPushButton::clicked, this, &EnrollmentPanel::beginDeny);

    m_denyRow = new QWidget(box);
    m_denyReason = new QLineEdit(m_denyRow);
    m_denyReason->setObjectName(QStringLiteral("denyReason"));
    m_denyReason->setPlaceholderText(tr("Reason (optional, goes into the audit log)"));
    auto *confirm = new QPushButton(tr("Deny Request"), m_denyRow);
    confirm->setObjectName(QStringLiteral("confirmDeny"));
    auto *cancel = new QPushButton(tr("Cancel"), m_denyRow);
    connect(confirm, &QPushButton::clicked, this, [this] { denySelected(m_denyReason->text()); });
    connect(m_denyReason, &QLineEdit::returnPressed, confirm, &QPushButton::click);
    connect(cancel, &QPushButton::clicked, m_denyRow, &QWidget::hide);
    auto *denyLayout = new QHBoxLayout(m_denyRow);
    denyLayout->setContentsMargins(0, 0, 0, 0);
    denyLayout->addWidget(m_denyReason, 1);
    denyLayout->addWidget(confirm);
    denyLayout->addWidget(cancel);
    m_denyRow->hide();

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_denyRow, 1);
    buttons->addStretch(0);
    buttons->addWidget(m_approve);
    buttons->addWidget(m_deny);
    // Decisions and database problems are said here, next to the list, so
    // the rest of the page does not move.
    m_message->setParent(box);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_pending, 1);
    layout->addWidget(m_message);
    layout->addLayout(buttons);
    updateDecisionButtons();
    return box;
}

QWidget *EnrollmentPanel::buildEventsBox()
{
    auto *box = new QGroupBox(tr("Recent enrollment events"), this);
    m_events = makeTable(QStringLiteral("eventsTable"), box);
    auto *layout = new QVBoxLayout(box);
    layout->addWidget(m_events);
    return box;
}

store::Store *EnrollmentPanel::store()
{
    if (m_store)
        return m_store;
    if (!m_library) {
        showMessage(false,
            tr("No workspace is open, so there is no database to enroll devices into (the "
               "start-up message said why)."));
        return nullptr;
    }
    if (m_openStore) {
        auto opened = m_openStore();
        if (!opened || !*opened) {
            showMessage(
                false, opened ? tr("The workspace database is not open.") : opened.error().message);
            return nullptr;
        }
        m_store = *opened;
    } else {
        auto opened = store::Store::open(qEnvironmentVariable("PROVBENCH_DB"),
            m_library->workspace().path(), store::AuditLog::defaultActor());
        if (!opened) {
            showMessage(false, opened.error().message);
            return nullptr;
        }
        m_ownStore = std::move(*opened);
        m_store = m_ownStore.get();
    }
    m_message->hide();
    m_feed = new EnrollmentFeed(*m_store, this);
    m_pending->setModel(m_feed->pending());
    sizeColumns(m_pending, {170, 110, 220, 150, 170}, PendingRequestsModel::SubjectColumn);
    m_events->setModel(m_feed->events());
    sizeColumns(m_events, {135, 110, 110, 200}, EnrollmentEventsModel::SummaryColumn);
    m_tokens->setFeed(m_feed);
    connect(m_pending->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &EnrollmentPanel::updateDecisionButtons);
    // A request decided elsewhere leaves the list: its selection must not
    // slide to the next request, which the user did not pick.
    connect(m_feed->pending(), &QAbstractItemModel::rowsAboutToBeRemoved, this,
        [this](const QModelIndex &, int first, int last) {
            const QModelIndexList rows = m_pending->selectionModel()->selectedRows();
            if (!rows.isEmpty() && rows.first().row() >= first && rows.first().row() <= last) {
                m_pending->selectionModel()->clear();
                m_denyRow->hide();
            }
        });
    connect(m_feed->pending(), &QAbstractItemModel::rowsRemoved, this,
        &EnrollmentPanel::updateDecisionButtons);
    connect(m_feed, &EnrollmentFeed::refreshed, this, [this] {
        const int waiting = m_feed->pending()->rowCount();
        m_pendingBox->setTitle(waiting == 0 ? tr("Waiting for approval: none")
                                            : tr("Waiting for approval: %1").arg(waiting));
        updateServiceState();
    });
    connect(m_feed, &EnrollmentFeed::errorOccurred, this,
        [this](const QString &text) { showMessage(false, text); });
    m_host = std::make_unique<enrollment::EstHost>(m_library->workspace(), *m_store);
    connect(m_host.get(), &enrollment::EstHost::requestHandled, this, [this] {
        updateServiceState();
        // A request may have added a pending one or an event: show it now, not in a second.
        (void)m_feed->refresh();
    });
    m_feed->setActive(isVisible());
    return m_store;
}

bool EnrollmentPanel::startService()
{
    m_problem.clear();
    m_fixKind = Fix::None;
    if (!m_library || !crypto::CertificateAuthority::exists(m_library->workspace())) {
        showServiceProblem(tr("This workspace has no CA yet, so the service has nothing to sign "
                              "certificates with. Create or import one on the Credentials page."),
            Fix::OpenCredentials);
        return false;
    }
    const auto listen = enrollment::parseListenAddress(m_listen->text());
    if (!listen) {
        showServiceProblem(tr("\u201c%1\u201d is not an address and port: type one such as "
                              "127.0.0.1:8443, 0.0.0.0:8443 or [::1]:8443 (port 0: any free port).")
                               .arg(m_listen->text()),
            Fix::None);
        return false;
    }
    if (!store())
        return false;
    auto vault = VaultPrompt::vault(m_library->workspace(), this);
    if (!vault) {
        showServiceProblem(
            tr("The vault is locked, so the CA cannot sign: %1").arg(vault.error().message),
            Fix::Unlock);
        return false;
    }
    enrollment::EstHostOptions options;
    options.address = listen->address;
    options.port = listen->port;
    options.manualApproval = m_manual->isChecked();
    options.profileLookup
        = [library = m_library](const QString &name) -> std::optional<profiles::Profile> {
        auto p = library->resolve(name);
        return p ? std::optional<profiles::Profile>(*p) : std::nullopt;
    };
    if (auto started = m_host->start(**vault, options); !started) {
        showServiceProblem(started.error().message,
            started.error().code == Error::Code::NotFound ? Fix::OpenCredentials : Fix::None);
        return false;
    }
    updateServiceState();
    return true;
}

void EnrollmentPanel::stopService()
{
    if (m_host)
        m_host->stop();
    m_problem.clear();
    m_fixKind = Fix::None;
    updateServiceState();
}

void EnrollmentPanel::updateServiceState()
{
    const bool running = m_host && m_host->isRunning();
    m_start->setEnabled(!running);
    m_stop->setEnabled(running);
    m_listen->setEnabled(!running);
    m_manual->setEnabled(!running);
    m_fix->setVisible(!running && m_fixKind != Fix::None);
    if (running) {
        m_state->setStyleSheet(okStyle());
        m_state->setText(
            tr("Serving <b>%1</b> \u2014 CA fingerprint <tt>%2</tt>%3")
                .arg(m_host->url().toHtmlEscaped(), m_host->caFingerprint(),
                    m_host->manualApproval() ? tr(" \u2014 every enrollment waits for approval")
                                             : QString()));
        m_counts->setText(tr("Requests: %1 \u00b7 enrollments: %2 \u00b7 open connections: %3")
                              .arg(m_host->requestsServed())
                              .arg(m_host->enrollmentsServed())
                              .arg(m_host->openConnections()));
        return;
    }
    m_counts->clear();
    if (!m_problem.isEmpty()) {
        m_state->setStyleSheet(errorStyle());
        m_state->setText(m_problem.toHtmlEscaped());
        return;
    }
    m_state->setStyleSheet(idleStyle());
    m_state->setText(tr("Stopped. Start serves enrollment over HTTPS with certificates from the "
                        "workspace CA; devices trust its certificate (ca/ca.pem)."));
}

void EnrollmentPanel::showServiceProblem(const QString &text, Fix fix)
{
    m_problem = text;
    m_fixKind = fix;
    m_fix->setText(fix == Fix::OpenCredentials ? tr("Go to Credentials") : tr("Unlock\u2026"));
    updateServiceState();
}

void EnrollmentPanel::showMessage(bool ok, const QString &text)
{
    m_message->setStyleSheet(ok ? okStyle() : errorStyle());
    m_message->setText(text.toHtmlEscaped());
    m_message->setVisible(!text.isEmpty());
}

qint64 EnrollmentPanel::selectedRequest() const
{
    if (!m_feed || !m_pending->selectionModel())
        return 0;
    const QModelIndexList rows = m_pending->selectionModel()->selectedRows();
    return rows.isEmpty() ? 0 : m_feed->pending()->requestIdAt(rows.first().row());
}

void EnrollmentPanel::updateDecisionButtons()
{
    const bool selected = selectedRequest() != 0;
    m_approve->setEnabled(selected);
    m_deny->setEnabled(selected);
    if (!selected)
        m_denyRow->hide();
}

void EnrollmentPanel::beginDeny()
{
    m_denyReason->clear();
    m_denyRow->show();
    m_denyReason->setFocus();
}

bool EnrollmentPanel::approveSelected()
{
    const qint64 id = selectedRequest();
    if (id == 0 || !store())
        return false;
    enrollment::ApprovalQueue queue(*m_store);
    auto decided = queue.approve(id, m_store->audit().actor());
    if (!decided) {
        showMessage(false, decided.error().message);
        (void)m_feed->refresh();
        return false;
    }
    showMessage(true,
        tr("Approved request %1 of %2: the device gets its certificate when it "
           "retries.")
            .arg(id)
            .arg(decided->deviceId));
    (void)m_feed->refresh();
    return true;
}

bool EnrollmentPanel::denySelected(const QString &reason)
{
    const qint64 id = selectedRequest();
    if (id == 0 || !store())
        return false;
    enrollment::ApprovalQueue queue(*m_store);
    auto decided = queue.deny(id, m_store->audit().actor(), reason);
    if (!decided) {
        showMessage(false, decided.error().message);
        (void)m_feed->refresh();
        return false;
    }
    QString why = tr("enrollment request %1 denied").arg(id);
    if (!reason.trimmed().isEmpty())
        why += QStringLiteral(": ") + reason.trimmed();
    (void)m_store->inventory().setState(decided->deviceId, QStringLiteral("failed"), why);
    m_denyRow->hide();
    showMessage(
        true, tr("Denied request %1 of %2; its retry is refused.").arg(id).arg(decided->deviceId));
    (void)m_feed->refresh();
    return true;
}

void EnrollmentPanel::showEvent(QShowEvent *event)
{
    if (store())
        m_feed->setActive(true);
    QWidget::showEvent(event);
}

void EnrollmentPanel::hideEvent(QHideEvent *event)
{
    // While hidden nothing is shown, so nothing is polled; the service keeps running.
    if (m_feed)
        m_feed->setActive(false);
    QWidget::hideEvent(event);
}

} // namespace provbench
