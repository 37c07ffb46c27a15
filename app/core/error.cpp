#include "app/core/error.h"

namespace provbench {

QString errorCodeName(Error::Code code)
{
    switch (code) {
    case Error::Code::InvalidArgument:
        return QStringLiteral("invalid-argument");
    case Error::Code::Io:
        return QStringLiteral("io");
    case Error::Code::Timeout:
        return QStringLiteral("timeout");
    case Error::Code::Protocol:
        return QStringLiteral("protocol");
    case Error::Code::Device:
        return QStringLiteral("device");
    case Error::Code::Cancelled:
        return QStringLiteral("cancelled");
    case Error::Code::Unsupported:
        return QStringLiteral("unsupported");
    case Error::Code::NotFound:
        return QStringLiteral("not-found");
    }
    return QStringLiteral("unknown");
}

} // namespace provbench
