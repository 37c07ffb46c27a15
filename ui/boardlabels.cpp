#include "ui/boardlabels.h"

#include <QFile>
#include <QFileDialog>
#include <QPageLayout>
#include <QPainter>
#include <QPrinter>

namespace provbench {

namespace {
constexpr int kQuietZone = 4; // modules of white around the symbol (ISO/IEC 18004)
constexpr int kColumns = 3;
constexpr int kRows = 8;
constexpr double kLabelWidthMm = 70.0;
constexpr double kLabelHeightMm = 37.0;

void paintLabel(QPainter &p, const QRectF &cell, const journey::QrMatrix &code,
    const DeviceLabel &label, double dpmm)
{
    const double pad = 2.5 * dpmm;
    const double qrSide = cell.height() - 2 * pad;
    const QImage qr = renderQr(code, 8);
    p.drawImage(QRectF(cell.left() + pad, cell.top() + pad, qrSide, qrSide), qr);
    const QRectF text(cell.left() + 2 * pad + qrSide, cell.top() + pad,
        cell.width() - 3 * pad - qrSide, cell.height() - 2 * pad);
    QFont bold(QStringLiteral("DejaVu Sans"));
    bold.setPointSizeF(8);
    bold.setBold(true);
    QFont small(QStringLiteral("DejaVu Sans Mono"));
    small.setPointSizeF(6);
    p.setPen(Qt::black);
    p.setFont(bold);
    p.drawText(text, Qt::AlignLeft | Qt::AlignTop | Qt::TextWrapAnywhere,
        label.name.isEmpty() ? label.id : label.name);
    p.setFont(small);
    const QString fp = label.fingerprint.isEmpty()
        ? QStringLiteral("no certificate yet")
        : QStringLiteral("SHA-256 %1…").arg(label.fingerprint.left(23));
    p.drawText(text, Qt::AlignLeft | Qt::AlignBottom | Qt::TextWrapAnywhere,
        label.id + QLatin1Char('\n') + fp);
}

} // namespace

Result<QImage> renderLabel(const DeviceLabel &label, int dpi)
{
    auto code = journey::encodeQr(journey::labelPayload(label.id, label.fingerprint));
    if (!code)
        return std::unexpected(code.error());
    const double dpmm = dpi / 25.4;
    QImage image(qRound(kLabelWidthMm * dpmm), qRound(kLabelHeightMm * dpmm), QImage::Format_RGB32);
    image.setDotsPerMeterX(qRound(dpmm * 1000));
    image.setDotsPerMeterY(qRound(dpmm * 1000));
    image.fill(Qt::white);
    QPainter p(&image);
    paintLabel(p, QRectF(0, 0, image.width(), image.height()), *code, label, dpmm);
    return image;
}

QImage renderQr(const journey::QrMatrix &matrix, int moduleSize)
{
    const int side = (matrix.size + 2 * kQuietZone) * moduleSize;
    QImage image(side, side, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter p(&image);
    for (int y = 0; y < matrix.size; ++y) {
        for (int x = 0; x < matrix.size; ++x) {
            if (matrix.at(x, y))
                p.fillRect((x + kQuietZone) * moduleSize, (y + kQuietZone) * moduleSize, moduleSize,
                    moduleSize, Qt::black);
        }
    }
    return image;
}

Result<void> printLabels(const QList<DeviceLabel> &labels, const QString &pdfPath)
{
    if (labels.isEmpty())
        return fail(Error::Code::InvalidArgument,
            QStringLiteral("There are no devices to label: clear the filters or onboard a device "
                           "first."));
    // Encode everything first: a label that cannot be made stops the sheet
    // before any file is written.
    QList<journey::QrMatrix> codes;
    for (const DeviceLabel &l : labels) {
        auto code = journey::encodeQr(journey::labelPayload(l.id, l.fingerprint));
        if (!code)
            return fail(code.error().code,
                QStringLiteral("Label for %1: %2").arg(l.id, code.error().message));
        codes.append(*code);
    }
    const QString partial = pdfPath + QStringLiteral(".part");
    {
        QPrinter printer(QPrinter::HighResolution);
        printer.setOutputFormat(QPrinter::PdfFormat);
        printer.setOutputFileName(partial);
        printer.setPageLayout(QPageLayout(QPageSize(QPageSize::A4), QPageLayout::Portrait,
            QMarginsF(0, 0, 0, 0), QPageLayout::Millimeter));
        printer.setCreator(QStringLiteral("ProvBench"));
        QPainter p;
        if (!p.begin(&printer))
            return fail(Error::Code::Io,
                QStringLiteral("Cannot write %1: check that the folder exists and is writable.")
                    .arg(pdfPath));
        const double dpmm = printer.resolution() / 25.4;
        const QRectF page = printer.pageLayout().fullRectPixels(printer.resolution());
        const double marginX = (page.width() - kColumns * kLabelWidthMm * dpmm) / 2;
        const double marginY = (page.height() - kRows * kLabelHeightMm * dpmm) / 2;
        for (int i = 0; i < labels.size(); ++i) {
            const int onPage = i % (kColumns * kRows);
            if (i > 0 && onPage == 0)
                printer.newPage();
            const QRectF cell(marginX + (onPage % kColumns) * kLabelWidthMm * dpmm,
                marginY + (onPage / kColumns) * kLabelHeightMm * dpmm, kLabelWidthMm * dpmm,
                kLabelHeightMm * dpmm);
            paintLabel(p, cell, codes.at(i), labels.at(i), dpmm);
        }
        if (!p.end())
            return fail(Error::Code::Io, QStringLiteral("Writing %1 failed.").arg(pdfPath));
    }
    QFile::remove(pdfPath);
    if (!QFile::rename(partial, pdfPath)) {
        QFile::remove(partial);
        return fail(Error::Code::Io,
            QStringLiteral("Cannot write %1: check that the folder is writable.").arg(pdfPath));
    }
    return {};
}

Result<QString> printLabelsWithDialog(QWidget *parent, const QList<DeviceLabel> &labels)
{
    const QString path = QFileDialog::getSaveFileName(parent, QObject::tr("Save device labels"),
        QStringLiteral("device-labels.pdf"), QObject::tr("PDF (*.pdf)"));
    if (path.isEmpty())
        return QString();
    if (auto ok = printLabels(labels, path); !ok)
        return std::unexpected(ok.error());
    return path;
}

} // namespace provbench
