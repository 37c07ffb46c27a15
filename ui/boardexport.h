#pragma once

#include "app/core/error.h"

#include <QString>

class QWidget;

namespace provbench {

namespace store {
class Store;
}
namespace journey {
class Board;
}

// The board as a report a customer can sign off (journey::boardReportHtml),
// written as HTML, or as PDF through QPrinter when the path ends in ".pdf".
// `store` (may be null) names the workspace and gives the inventory's
// certificate fingerprints; `site` limits the report to one site.
Result<void> exportBoardReport(
    const journey::Board &board, store::Store *store, const QString &site, const QString &path);

// Asks where to save the report (HTML or PDF) and writes it. Returns the path
// written, an empty string when the user cancelled, or why it failed.
Result<QString> exportBoardReportWithDialog(
    QWidget *parent, const journey::Board &board, store::Store *store, const QString &site);

} // namespace provbench
