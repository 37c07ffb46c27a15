#include "app/onboarding/devicerecord.h"

namespace provbench {

QString DeviceRecord::identitySummary() const
{
    if (!info)
        return QString();
    QString s = info->firmwareName;
    if (!info->firmwareVersion.isEmpty())
        s += QLatin1Char(' ') + info->firmwareVersion;
    if (!info->hardware.isEmpty())
        s += QStringLiteral(" on ") + info->hardware;
    return s;
}

} // namespace provbench
