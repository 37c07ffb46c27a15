#pragma once

#include <QString>

#include <chrono>

namespace provbench {

// A timeout for a message: "0.5", "3", "120", "3600" (seconds, no exponent
// and no trailing zeros), so "within 0.5 s" never reads "within 0 s".
inline QString secondsText(std::chrono::milliseconds ms)
{
    return QString::number(double(ms.count()) / 1000.0, 'g', 6);
}

} // namespace provbench
