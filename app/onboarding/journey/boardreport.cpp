#include "app/onboarding/journey/boardreport.h"

#include "app/onboarding/journey/board.h"
#include "app/storage/store/store.h"

namespace provbench::journey {

namespace {

QString esc(const QString &text)
{
    return text.toHtmlEscaped();
}

QString cell(const QString &text)
{
    return QStringLiteral("<td>") + esc(text) + QStringLiteral("</td>");
}

} // namespace

QString boardReportHtml(const Board &board, const BoardReportOptions &options)
{
    const QString title
        = options.title.isEmpty() ? QStringLiteral("Onboarding report") : options.title;
    const qint64 generated = options.generatedAtMs ? options.generatedAtMs : board.now();
    BoardFilter filter;
    filter.site = options.site;
    const StageCounts counts = board.counts(filter);

    QString html;
    html += QStringLiteral("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                           "<title>%1</title>\n<style>"
                           "body{font-family:sans-serif;font-size:10pt}"
                           "table{border-collapse:collapse}"
                           "th,td{border:1px solid #888;padding:2px 6px;text-align:left}"
                           "</style></head><body>\n")
                .arg(esc(title));
    html += QStringLiteral("<h1>%1</h1>\n<table class=\"meta\">\n").arg(esc(title));
    html += QStringLiteral("<tr><th>Workspace</th>") + cell(options.workspace)
        + QStringLiteral("</tr>\n");
    html += QStringLiteral("<tr><th>Site</th>")
        + cell(options.site.isEmpty() ? QStringLiteral("All sites") : options.site)
        + QStringLiteral("</tr>\n");
    html += QStringLiteral("<tr><th>Generated</th>") + cell(formatAuditTime(generated))
        + QStringLiteral("</tr>\n");
    html += QStringLiteral("<tr><th>Devices</th>") + cell(QString::number(counts.total))
        + QStringLiteral("</tr>\n</table>\n");

    html += QStringLiteral("<h2>Devices per stage</h2>\n<table class=\"stages\">\n"
                           "<tr><th>Stage</th><th>Devices</th><th>Stuck</th></tr>\n");
    for (int i = 0; i < kStageCount; ++i) {
        const auto stage = Stage(i);
        html += QStringLiteral("<tr>") + cell(stageTitle(stage))
            + cell(QString::number(counts.at(stage))) + cell(QString::number(counts.stuckAt(stage)))
            + QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</table>\n");

    html += QStringLiteral(
        "<h2>Devices</h2>\n<table class=\"devices\">\n<tr><th>Device</th><th>Name</th>"
        "<th>Site</th><th>Stage</th><th>Since</th><th>Certificate fingerprint</th>"
        "<th>Failure</th></tr>\n");
    for (int i = 0; i < board.size(); ++i) {
        const Journey &j = board.at(i);
        if (!Board::matches(j, filter))
            continue;
        QString failure;
        if (j.stage() == Stage::Failed) {
            failure = j.failureReason();
            if (!j.failureStep().isEmpty())
                failure += QStringLiteral(" (step: ") + j.failureStep() + u')';
        }
        QString stage = stageTitle(j.stage());
        if (j.stuck)
            stage += QStringLiteral(" (stuck)");
        html += QStringLiteral("<tr>") + cell(j.id()) + cell(j.name) + cell(j.site) + cell(stage)
            + cell(j.sinceMs() ? formatAuditTime(j.sinceMs()) : QString())
            + cell(options.fingerprints.value(j.id()).join(u' ')) + cell(failure)
            + QStringLiteral("</tr>\n");
    }
    html += QStringLiteral("</table>\n");

    html += QStringLiteral("<h2>Sign-off</h2>\n<table class=\"signoff\">\n"
                           "<tr><th>Name</th><td>______________________________</td></tr>\n"
                           "<tr><th>Date</th><td>______________________________</td></tr>\n"
                           "<tr><th>Signature</th><td>______________________________</td></tr>\n"
                           "</table>\n</body></html>\n");
    return html;
}

Result<QHash<QString, QStringList>> inventoryFingerprints(store::Store &store)
{
    auto devices = store.inventory().list();
    if (!devices)
        return std::unexpected(devices.error());
    QHash<QString, QStringList> result;
    for (const store::InventoryDevice &d : std::as_const(*devices))
        if (!d.fingerprints.isEmpty())
            result.insert(d.id, d.fingerprints);
    return result;
}

} // namespace provbench::journey
