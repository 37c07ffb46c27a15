#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"

#include <optional>

namespace provbench::store {
class Store;
}

// Each device's current certificate (table device_certificates): the one the
// EST service issued last. Re-enrollment and check-in accept only it.
namespace provbench::enrollment {

struct CurrentCertificate
{
    QString deviceId;
    QString fingerprint; // SHA-256 of the DER certificate, "ab:cd:.."
    QString serial;
    QString notAfter;
    QString issuedAt;
};

class DeviceCertificates
{
public:
    explicit DeviceCertificates(store::Store &store) : m_store(store) { }
    Result<std::optional<CurrentCertificate>> current(const QString &deviceId) const;
    Result<void> setCurrent(const QString &deviceId, const crypto::Certificate &certificate);

private:
    store::Store &m_store;
};

} // namespace provbench::enrollment
