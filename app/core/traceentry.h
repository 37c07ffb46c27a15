#pragma once

#include <QByteArrayView>
#include <QDateTime>
#include <QList>
#include <QString>

#include <utility>

namespace provbench {

// One line of a device's protocol trace, as shown in the trace panel. Secrets
// are replaced before an entry is made: `summary` and `hex` never contain a
// password.
struct TraceEntry
{
    enum class Direction { Sent, Received, DeviceLog, Note };
    QDateTime time;
    Direction direction = Direction::Note;
    QString summary; // decoded, human readable
    QString hex;     // raw bytes, secrets shown as <redacted N bytes>
};

// Hex dump for a trace with the byte ranges in `secrets` (offset, length) shown
// as "<redacted N bytes>".
QString redactedHex(
    QByteArrayView bytes, const QList<std::pair<qsizetype, qsizetype>> &secrets = {});

} // namespace provbench
