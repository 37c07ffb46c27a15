#include "ui/enrollmenttokensbox.h"

#include "app/onboarding/enrollment/tokenservice.h"
#include "app/storage/store/store.h"
#include "models/enrollmentfeed.h"

#include <QCheckBox>
#include <QClipboard>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace provbench {

namespace {
QString shortTime(const QDateTime &t)
{
    return t.isValid() ? t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")) : QString();
}
} // namespace

EnrollmentTokensBox::EnrollmentTokensBox(std::function<store::Store *()> store, QWidget *parent)
    : QGroupBox(tr("Enrollment tokens"), parent),
      m_store(std::move(store)),
      m_device(new QLineEdit(this)),
      m_ttl(new QSpinBox(this)),
      m_singleUse(new QCheckBox(tr("Single use"), this)),
      m_issue(new QPushButton(tr("Issue Token\u2026"), this)),
      m_tokenRow(new QWidget(this)),
      m_tokenCaption(new QLabel(m_tokenRow)),
      m_token(new QLineEdit(m_tokenRow)),
      m_message(new QLabel(this)),
      m_table(new QTableWidget(this))
{
    m_device->setObjectName(QStringLiteral("tokenDevice"));
    m_device->setPlaceholderText(tr("Device id (the CN of its CSR)"));
    m_ttl->setObjectName(QStringLiteral("tokenTtl"));
    m_ttl->setRange(1, 60 * 24 * 30);
    m_ttl->setValue(60);
    m_ttl->setSuffix(tr(" min"));
    m_ttl->setToolTip(tr("Minutes until the token expires (at most 30 days)."));
    m_singleUse->setObjectName(QStringLiteral("tokenSingleUse"));
    m_singleUse->setChecked(true);
    m_singleUse->setToolTip(
        tr("A single-use token is spent when the device gets its certificate; otherwise it "
           "works until it expires."));
    m_issue->setObjectName(QStringLiteral("issueToken"));
    connect(m_issue, &QPushButton::clicked, this, &EnrollmentTokensBox::issueFromForm);
    connect(m_device, &QLineEdit::returnPressed, this, &EnrollmentTokensBox::issueFromForm);
    connect(m_device, &QLineEdit::textChanged, this, &EnrollmentTokensBox::fillTable);
    auto *form = new QHBoxLayout;
    form->addWidget(m_device, 1);
    form->addWidget(m_ttl);
    form->addWidget(m_singleUse);
    form->addWidget(m_issue);

    m_tokenCaption->setWordWrap(true);
    m_token->setObjectName(QStringLiteral("issuedToken"));
    m_token->setReadOnly(true);
    m_token->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    auto *copy = new QPushButton(QIcon(QStringLiteral(":/icons/copy.svg")), tr("Copy"), m_tokenRow);
    copy->setObjectName(QStringLiteral("copyToken"));
    connect(copy, &QPushButton::clicked, this,
        [this] { QGuiApplication::clipboard()->setText(m_token->text()); });
    auto *done = new QPushButton(tr("Done"), m_tokenRow);
    done->setObjectName(QStringLiteral("hideToken"));
    done->setToolTip(tr("Forget the token; it cannot be shown again."));
    connect(done, &QPushButton::clicked, this, &EnrollmentTokensBox::hideToken);
    auto *tokenLayout = new QVBoxLayout(m_tokenRow);
    tokenLayout->setContentsMargins(0, 0, 0, 0);
    auto *tokenLine = new QHBoxLayout;
    tokenLine->addWidget(m_token, 1);
    tokenLine->addWidget(copy);
    tokenLine->addWidget(done);
    tokenLayout->addWidget(m_tokenCaption);
    tokenLayout->addLayout(tokenLine);
    m_tokenRow->setStyleSheet(QStringLiteral("QWidget#tokenRow { background: #fffbeb; border: 1px "
                                             "solid #fcd34d; border-radius: 4px; }"));
    m_tokenRow->setObjectName(QStringLiteral("tokenRow"));
    m_tokenRow->setAttribute(Qt::WA_StyledBackground);
    m_tokenRow->hide();

    m_message->setObjectName(QStringLiteral("tokenMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    m_table->setObjectName(QStringLiteral("tokensTable"));
    m_table->setColumnCount(5);
    m_table->setHorizontalHeaderLabels(
        {tr("Device"), tr("Token id"), tr("Issued"), tr("Expires"), tr("Used")});
    m_table->verticalHeader()->hide();
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_tokenRow);
    layout->addWidget(m_message);
    layout->addWidget(m_table, 1);
}

void EnrollmentTokensBox::setFeed(EnrollmentFeed *feed)
{
    m_feed = feed;
    connect(feed, &EnrollmentFeed::tokensChanged, this, &EnrollmentTokensBox::fillTable);
    fillTable();
}

void EnrollmentTokensBox::issueFromForm()
{
    issue(m_device->text(), m_ttl->value(), m_singleUse->isChecked());
}

bool EnrollmentTokensBox::issue(const QString &deviceId, int ttlMinutes, bool singleUse)
{
    const QString id = deviceId.trimmed();
    if (id.isEmpty()) {
        showMessage(false, tr("Type the device id first: the CN its CSR will carry."));
        return false;
    }
    store::Store *store = m_store();
    if (!store)
        return false; // the page says why the database cannot be opened
    store::InventoryDevice record;
    record.id = id;
    if (auto ok = store->inventory().upsert(record); !ok) {
        showMessage(false, ok.error().message);
        return false;
    }
    enrollment::TokenService tokens(*store);
    auto issued = tokens.issue(id, std::chrono::minutes(ttlMinutes), singleUse);
    if (!issued) {
        showMessage(false, issued.error().message);
        return false;
    }
    (void)store->inventory().setState(id, QStringLiteral("token-issued"));
    m_tokenCaption->setText(
        tr("<b>Token %1 for %2</b>, %3, expires %4. It is shown only now: copy it to the "
           "device (EST user <tt>%2</tt>, password = this token).")
            .arg(issued->id, id.toHtmlEscaped(), singleUse ? tr("single use") : tr("reusable"),
                shortTime(issued->expiresAt)));
    m_token->setText(issued->token);
    m_token->setCursorPosition(0);
    m_tokenRow->show();
    m_message->hide();
    m_device->clear(); // ready for the next device; the caption names this one
    if (m_feed)
        (void)m_feed->refresh();
    Q_EMIT tokenIssued(id);
    return true;
}

QString EnrollmentTokensBox::shownToken() const
{
    return m_token->text();
}

void EnrollmentTokensBox::hideToken()
{
    // A token copied with Copy must not outlive Done on the clipboard, where
    // any other program could read it; anything else there is left alone.
    QClipboard *clipboard = QGuiApplication::clipboard();
    if (!m_token->text().isEmpty() && clipboard->text() == m_token->text())
        clipboard->clear();
    m_token->clear();
    m_tokenRow->hide();
}

void EnrollmentTokensBox::fillTable()
{
    if (!m_feed)
        return;
    // While a device id is typed, only its tokens (the ones it could still use).
    const QString device = m_device->text().trimmed();
    QList<enrollment::TokenRecord> tokens;
    for (const enrollment::TokenRecord &t : m_feed->tokens()) {
        if (device.isEmpty() || t.deviceId.startsWith(device, Qt::CaseInsensitive))
            tokens.append(t);
    }
    m_table->setRowCount(int(tokens.size()));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (int row = 0; row < tokens.size(); ++row) {
        const enrollment::TokenRecord &t = tokens.at(row);
        QString used;
        if (t.usedAt.isValid())
            used = tr("%1 by %2").arg(shortTime(t.usedAt), t.usedBy);
        else if (t.expiresAt.isValid() && t.expiresAt <= now)
            used = tr("expired unused");
        else
            used = t.singleUse ? tr("not yet (single use)") : tr("not yet (reusable)");
        const QStringList cells
            = {t.deviceId, t.id, shortTime(t.createdAt), shortTime(t.expiresAt), used};
        for (int column = 0; column < cells.size(); ++column)
            m_table->setItem(row, column, new QTableWidgetItem(cells.at(column)));
    }
}

void EnrollmentTokensBox::showMessage(bool ok, const QString &text)
{
    m_message->setStyleSheet(ok ? QStringLiteral("QLabel { color: #065f46; }")
                                : QStringLiteral("QLabel { color: #991b1b; }"));
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
}

} // namespace provbench
