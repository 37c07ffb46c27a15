#include "app/onboarding/journey/qrcode.h"

#include <qrencode.h>

#include <cerrno>
#include <memory>

namespace provbench::journey {

namespace {
struct QrFree
{
    void operator()(QRcode *code) const { QRcode_free(code); }
};
} // namespace

Result<QrMatrix> encodeQr(const QByteArray &text)
{
    if (text.isEmpty())
        return fail(Error::Code::InvalidArgument, QStringLiteral("A QR code needs some text."));
    errno = 0;
    std::unique_ptr<QRcode, QrFree> code(QRcode_encodeData(int(text.size()),
        reinterpret_cast<const unsigned char *>(text.constData()), 0, QR_ECLEVEL_M));
    if (!code) {
        return fail(Error::Code::InvalidArgument,
            errno == ERANGE
                ? QStringLiteral("%1 bytes do not fit in a QR code; shorten the label text.")
                      .arg(text.size())
                : QStringLiteral("The QR code could not be made (libqrencode failed)."));
    }
    QrMatrix m;
    m.size = code->width;
    m.dark.resize(qsizetype(m.size) * m.size);
    for (qsizetype i = 0; i < m.dark.size(); ++i)
        m.dark[i] = (code->data[i] & 0x01) != 0; // bit 0: dark module
    return m;
}

QByteArray labelPayload(const QString &deviceId, const QString &fingerprint)
{
    // ';', '=' and '%' would break the field syntax: percent-encode them (and
    // anything outside printable ASCII).
    const QByteArray keep = "-._~:/@!$&'()*+,";
    return "PROVBENCH1;id=" + deviceId.toUtf8().toPercentEncoding(keep)
        + ";fp=" + fingerprint.toUtf8().toPercentEncoding(keep);
}

} // namespace provbench::journey
