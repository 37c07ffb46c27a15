#include "ui/boardexport.h"

#include "app/onboarding/journey/board.h"
#include "app/onboarding/journey/boardreport.h"
#include "app/storage/store/store.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QPrinter>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTextDocument>

namespace provbench {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("BoardExport", text);
}

Result<void> writePdf(const QString &html, const QString &path)
{
    // QPrinter reports no errors: write next to the target, check, then rename.
    const QString partial = path + QStringLiteral(".part");
    QFile::remove(partial);
    {
        QTextDocument document;
        document.setHtml(html);
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        printer.setOutputFileName(partial);
        printer.setPageSize(QPageSize(QPageSize::A4));
        document.print(&printer);
    }
    QFile file(partial);
    if (!file.open(QIODevice::ReadOnly) || !file.read(4).startsWith("%PDF")) {
        QFile::remove(partial);
        return fail(Error::Code::Io,
            tr("Could not write the PDF report to %1. Choose a folder you can write to.")
                .arg(QDir::toNativeSeparators(path)));
    }
    file.close();
    QFile::remove(path);
    if (!QFile::rename(partial, path)) {
        QFile::remove(partial);
        return fail(Error::Code::Io,
            tr("Could not save the PDF report as %1. Check that the file is not open elsewhere "
               "and that the folder is writable.")
                .arg(QDir::toNativeSeparators(path)));
    }
    return {};
}

} // namespace

Result<void> exportBoardReport(
    const journey::Board &board, store::Store *store, const QString &site, const QString &path)
{
    journey::BoardReportOptions options;
    options.site = site;
    if (store) {
        options.workspace = store->database().display();
        auto fingerprints = journey::inventoryFingerprints(*store);
        if (!fingerprints)
            return std::unexpected(fingerprints.error());
        options.fingerprints = std::move(*fingerprints);
    }
    const QString html = journey::boardReportHtml(board, options);
    if (path.endsWith(QStringLiteral(".pdf"), Qt::CaseInsensitive))
        return writePdf(html, path);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(html.toUtf8()) < 0 || !file.commit())
        return fail(Error::Code::Io,
            tr("Could not write the report to %1: %2. Choose a folder you can write to.")
                .arg(QDir::toNativeSeparators(path), file.errorString()));
    return {};
}

Result<QString> exportBoardReportWithDialog(
    QWidget *parent, const journey::Board &board, store::Store *store, const QString &site)
{
    const QString pdfFilter = tr("PDF report (*.pdf)");
    const QString htmlFilter = tr("HTML report (*.html)");
    QString chosenFilter = pdfFilter;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString path = QFileDialog::getSaveFileName(parent, tr("Export Board Report"),
        QDir(folder).filePath(QStringLiteral("onboarding-report.pdf")),
        pdfFilter + QStringLiteral(";;") + htmlFilter, &chosenFilter);
    if (path.isEmpty())
        return QString();
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix != u"pdf" && suffix != u"html" && suffix != u"htm")
        path += chosenFilter == htmlFilter ? QStringLiteral(".html") : QStringLiteral(".pdf");
    if (auto written = exportBoardReport(board, store, site, path); !written)
        return std::unexpected(written.error());
    return path;
}

} // namespace provbench
