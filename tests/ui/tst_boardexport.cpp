// The Board page's report export, offscreen: a PDF through QPrinter and the
// HTML page, from a panel attached to a temporary store.

#include "app/onboarding/journey/journeyevents.h"
#include "app/storage/store/store.h"
#include "ui/boardexport.h"
#include "ui/boardpanel.h"

#include <QApplication>
#include <QFile>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace provbench;

class tst_BoardExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();
    void pageHasTheExportButton();
    void exportPdf_writesAPdfFile();
    void exportHtml_escapesAndListsFingerprints();
    void exportToAMissingFolder_saysWhatToDo();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<store::Store> m_store;
    std::unique_ptr<BoardPanel> m_panel;
};

void tst_BoardExport::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void tst_BoardExport::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    auto opened = store::Store::open(QString(), m_dir->path(), QStringLiteral("test@bench"));
    QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
    m_store = std::move(*opened);
    for (int n = 1; n <= 5; ++n) {
        store::InventoryDevice d;
        d.id = QStringLiteral("dev-%1").arg(n);
        d.name = n == 1 ? QStringLiteral("<script>x</script> & co") : QStringLiteral("sensor");
        d.transport = QStringLiteral("serial");
        if (n == 2)
            d.fingerprints = {QStringLiteral("sha256:feedbeef")};
        QVERIFY(m_store->inventory().upsert(d));
        QVERIFY(journey::recordDiscovered(m_store->audit(), d.id,
            {d.transport, QStringLiteral("/dev/ttyS%1").arg(n), d.name, QString(), {}}));
    }
    auto intent = m_store->audit().appendIntent(QStringLiteral("write"), QStringLiteral("dev-2"));
    QVERIFY(intent);
    QVERIFY(m_store->audit().appendOutcome(
        *intent, true, QStringLiteral("written"), QJsonObject{{QStringLiteral("verified"), true}}));
    m_panel = std::make_unique<BoardPanel>();
    QVERIFY(m_panel->attach(m_store.get()));
    m_panel->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
}

void tst_BoardExport::cleanup()
{
    m_panel.reset();
    m_store.reset();
    m_dir.reset();
}

void tst_BoardExport::pageHasTheExportButton()
{
    auto *button = m_panel->findChild<QPushButton *>(QStringLiteral("boardExportReport"));
    QVERIFY(button);
    QVERIFY(button->isVisible());
    QVERIFY(button->text().startsWith(u"Export report"));
}

void tst_BoardExport::exportPdf_writesAPdfFile()
{
    const QString path = m_dir->filePath(QStringLiteral("report.pdf"));
    auto written = exportBoardReport(m_panel->board(), m_store.get(), QString(), path);
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QVERIFY(file.size() > 1000);
    QVERIFY(file.read(5).startsWith("%PDF"));
    QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
}

void tst_BoardExport::exportHtml_escapesAndListsFingerprints()
{
    const QString path = m_dir->filePath(QStringLiteral("report.html"));
    auto written = exportBoardReport(m_panel->board(), m_store.get(), QString(), path);
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(file.readAll());
    QVERIFY(html.contains(u"&lt;script&gt;x&lt;/script&gt; &amp; co"));
    QVERIFY(!html.contains(u"<script>"));
    QVERIFY(html.contains(u"sha256:feedbeef"));
    QVERIFY(html.contains(u"<tr><td>Onboarded</td><td>1</td><td>0</td></tr>"));
    QVERIFY(html.contains(u"Signature"));
}

void tst_BoardExport::exportToAMissingFolder_saysWhatToDo()
{
    for (const char *name : {"missing/report.pdf", "missing/report.html"}) {
        auto written = exportBoardReport(
            m_panel->board(), m_store.get(), QString(), m_dir->filePath(QLatin1String(name)));
        QVERIFY(!written);
        QVERIFY2(written.error().message.contains(u"Choose a folder"),
            qPrintable(written.error().message));
    }
}

QTEST_MAIN(tst_BoardExport)
#include "tst_boardexport.moc"
