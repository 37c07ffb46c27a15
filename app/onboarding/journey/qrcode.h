#pragma once

#include "app/core/error.h"

#include <QByteArray>
#include <QList>
#include <QString>

// QR codes for device labels, through libqrencode. Pure: text in, a module
// matrix out; drawing it is the UI's business.
namespace provbench::journey {

struct QrMatrix
{
    int size = 0;     // modules per side, without the quiet zone
    QList<bool> dark; // row-major, size * size
    bool at(int x, int y) const { return dark.at(y * size + x); }
};

// Byte mode, error correction M (about 15 % of the symbol may be damaged and
// it still reads), the smallest version that fits. Fails for empty text or
// text too long for any QR version at that level.
Result<QrMatrix> encodeQr(const QByteArray &text);

// What a ProvBench label encodes: "PROVBENCH1;id=<device>;fp=<sha256 hex>".
// Separators inside the values are percent-encoded, so a scanner can split
// the fields safely. The fingerprint may be empty (no certificate yet).
QByteArray labelPayload(const QString &deviceId, const QString &fingerprint);

} // namespace provbench::journey
