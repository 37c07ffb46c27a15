#include "app/core/traceentry.h"

#include <QStringList>

namespace provbench {

QString redactedHex(QByteArrayView bytes, const QList<std::pair<qsizetype, qsizetype>> &secrets)
{
    QStringList parts;
    qsizetype i = 0;
    while (i < bytes.size()) {
        bool redacted = false;
        for (const auto &[offset, length] : secrets) {
            if (i == offset && length > 0) {
                const qsizetype n = std::min(length, bytes.size() - offset);
                parts.append(QStringLiteral("<redacted %1 bytes>").arg(n));
                i += n;
                redacted = true;
                break;
            }
        }
        if (redacted)
            continue;
        parts.append(QStringLiteral("%1").arg(quint8(bytes[i]), 2, 16, QLatin1Char('0')));
        ++i;
    }
    return parts.join(QLatin1Char(' '));
}

} // namespace provbench
