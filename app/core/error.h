#pragma once

#include <QString>

#include <expected>

namespace provbench {

// What went wrong, in a form code can branch on (code) and a person can act on
// (message). Messages are complete sentences that say what to do next; they
// never contain secrets.
struct Error
{
    enum class Code {
        InvalidArgument, // the caller passed something unusable (bad SSID length, ...)
        Io,              // the link failed: port vanished, write failed
        Timeout,         // the device did not answer in time
        Protocol,        // the device answered with something we cannot parse
        Device,          // the device answered with an explicit error
        Cancelled,       // the user or caller stopped the operation
        Unsupported,     // the device does not implement the operation
        NotFound,        // a port, file or device that does not exist
    };

    Code code = Code::InvalidArgument;
    QString message;
    // Device-specific error number (an Improv error code, a CME error, ...),
    // -1 when there is none.
    int deviceCode = -1;

    static Error make(Code c, QString msg, int deviceCode = -1)
    {
        return Error{c, std::move(msg), deviceCode};
    }
};

template<typename T> using Result = std::expected<T, Error>;

inline std::unexpected<Error> fail(Error::Code code, QString message, int deviceCode = -1)
{
    return std::unexpected(Error{code, std::move(message), deviceCode});
}

QString errorCodeName(Error::Code code);

} // namespace provbench
