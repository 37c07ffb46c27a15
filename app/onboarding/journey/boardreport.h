#pragma once

#include "app/core/error.h"

#include <QHash>
#include <QString>
#include <QStringList>

namespace provbench::store {
class Store;
}

namespace provbench::journey {

class Board;

// What a board report says besides the board itself.
struct BoardReportOptions
{
    QString title;            // empty: "Onboarding report"
    QString workspace;        // the workspace folder or database the board was read from
    QString site;             // empty: every site on the board
    qint64 generatedAtMs = 0; // 0: the board's clock
    // Certificate and credential fingerprints per device id (the inventory's).
    QHash<QString, QStringList> fingerprints;
};

// A self-contained HTML page a customer can sign off: the title, workspace
// and site, when it was generated, the devices per stage, one table row per
// device (stage, since, fingerprints, failure reason) and a sign-off block
// with name, date and signature lines. Every text from the board is
// HTML-escaped (device names and reasons come from devices and other benches).
// Only devices of `options.site` are listed when it is set.
QString boardReportHtml(const Board &board, const BoardReportOptions &options = {});

// The fingerprints of every inventory device, for BoardReportOptions.
Result<QHash<QString, QStringList>> inventoryFingerprints(store::Store &store);

} // namespace provbench::journey
