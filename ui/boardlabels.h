#pragma once

#include "app/core/error.h"
#include "app/onboarding/journey/qrcode.h"

#include <QImage>
#include <QList>
#include <QString>

class QWidget;

namespace provbench {

// One device label: a QR code of journey::labelPayload(id, fingerprint) with
// the id, the name and the start of the fingerprint printed beside it.
struct DeviceLabel
{
    QString id;
    QString name;
    QString fingerprint; // SHA-256 of the device certificate, "ab:cd:…"; may be empty
};

// The QR code as a black-on-white image with the 4-module quiet zone scanners
// need, `moduleSize` pixels per module.
QImage renderQr(const journey::QrMatrix &matrix, int moduleSize);

// One label as printed (70 x 37 mm at `dpi`), for previews and checks.
Result<QImage> renderLabel(const DeviceLabel &label, int dpi = 300);

// Writes the labels to a PDF (A4, 3 x 8 labels per page, 70 x 37 mm, common
// label sheets) through QPrinter. Fails with what to do when a label's text
// does not fit a QR code or the file cannot be written.
Result<void> printLabels(const QList<DeviceLabel> &labels, const QString &pdfPath);

// Asks where to save the label sheet and writes it; an empty string when the
// user cancelled.
Result<QString> printLabelsWithDialog(QWidget *parent, const QList<DeviceLabel> &labels);

} // namespace provbench
