// The HTML board report: counts, devices, fingerprints, the sign-off block,
// and every outside text escaped.

#include "app/onboarding/journey/board.h"
#include "app/onboarding/journey/boardreport.h"
#include "app/storage/store/inventory.h"

#include <QTest>

using namespace provbench;
using namespace provbench::journey;

namespace {

constexpr qint64 kT0 = 1'700'000'000'000;

JourneyEvent ev(qint64 seq, EventKind kind, const QString &device, const QString &reason = {})
{
    JourneyEvent e;
    e.seq = seq;
    e.kind = kind;
    e.deviceId = device;
    e.timeMs = kT0 + seq * 1000;
    e.reason = reason;
    e.step = QStringLiteral("write");
    e.recordKind = eventKindName(kind);
    return e;
}

} // namespace

class tst_BoardReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void report_countsDevicesAndSignOff();
    void report_escapesHostileText();
    void report_siteFilterListsOnlyThatSite();
};

namespace {

Board makeBoard()
{
    Board board([] { return kT0 + 3'600'000; });
    store::InventoryDevice hostile;
    hostile.id = QStringLiteral("dev-<1>");
    hostile.name = QStringLiteral("<script>alert('x')</script> & \"co\"");
    hostile.site = QStringLiteral("Berlin & Co");
    board.updateInfo(hostile);
    store::InventoryDevice plain;
    plain.id = QStringLiteral("dev-2");
    plain.name = QStringLiteral("sensor-2");
    plain.site = QStringLiteral("Hamburg");
    board.updateInfo(plain);
    board.apply(ev(1, EventKind::Discovered, QStringLiteral("dev-<1>")));
    board.apply(ev(2, EventKind::Discovered, QStringLiteral("dev-2")));
    board.apply(ev(3, EventKind::Discovered, QStringLiteral("dev-3")));
    board.apply(ev(4, EventKind::VerifyOk, QStringLiteral("dev-2")));
    board.apply(
        ev(5, EventKind::Failure, QStringLiteral("dev-<1>"), QStringLiteral("bad <psk> & more")));
    return board;
}

} // namespace

void tst_BoardReport::report_countsDevicesAndSignOff()
{
    const Board board = makeBoard();
    BoardReportOptions options;
    options.workspace = QStringLiteral("/srv/bench");
    options.fingerprints.insert(QStringLiteral("dev-2"), {QStringLiteral("sha256:abcdef")});
    options.generatedAtMs = kT0;
    const QString html = boardReportHtml(board, options);
    QVERIFY(html.startsWith(u"<!DOCTYPE html>"));
    QVERIFY(html.contains(u"<h1>Onboarding report</h1>"));
    QVERIFY(html.contains(u"/srv/bench"));
    QVERIFY(html.contains(formatAuditTime(kT0)));
    QVERIFY(html.contains(u"<tr><th>Devices</th><td>3</td></tr>"));
    QVERIFY(html.contains(u"<tr><td>Discovered</td><td>1</td><td>0</td></tr>"));
    QVERIFY(html.contains(u"<tr><td>Onboarded</td><td>1</td><td>0</td></tr>"));
    QVERIFY(html.contains(u"<tr><td>Failed</td><td>1</td><td>0</td></tr>"));
    QVERIFY(html.contains(u"<td>sha256:abcdef</td>"));
    QVERIFY(html.contains(u"<h2>Sign-off</h2>"));
    for (const char *line : {"<th>Name</th>", "<th>Date</th>", "<th>Signature</th>"})
        QVERIFY2(html.contains(QLatin1String(line)), line);
}

void tst_BoardReport::report_escapesHostileText()
{
    BoardReportOptions options;
    options.title = QStringLiteral("Report <b>&</b>");
    options.workspace = QStringLiteral("/tmp/<ws>");
    const QString html = boardReportHtml(makeBoard(), options);
    QVERIFY(!html.contains(u"<script>"));
    QVERIFY(!html.contains(u"<b>"));
    QVERIFY(html.contains(u"&lt;script&gt;alert('x')&lt;/script&gt; &amp; &quot;co&quot;"));
    QVERIFY(html.contains(u"<td>dev-&lt;1&gt;</td>"));
    QVERIFY(html.contains(u"<td>Berlin &amp; Co</td>"));
    QVERIFY(html.contains(u"bad &lt;psk&gt; &amp; more (step: write)"));
    QVERIFY(html.contains(u"<h1>Report &lt;b&gt;&amp;&lt;/b&gt;</h1>"));
    QVERIFY(html.contains(u"/tmp/&lt;ws&gt;"));
}

void tst_BoardReport::report_siteFilterListsOnlyThatSite()
{
    BoardReportOptions options;
    options.site = QStringLiteral("Hamburg");
    const QString html = boardReportHtml(makeBoard(), options);
    QVERIFY(html.contains(u"<td>sensor-2</td>"));
    QVERIFY(!html.contains(u"dev-3"));
    QVERIFY(html.contains(u"<tr><th>Devices</th><td>1</td></tr>"));
}

QTEST_GUILESS_MAIN(tst_BoardReport)
#include "tst_boardreport.moc"
