#pragma once

#include "app/crypto/certificateauthority.h"
#include "app/crypto/key.h"
#include "app/onboarding/provisioningjob.h"
#include "app/profiles/profile.h"

#include <optional>

namespace provbench {
class Vault;
class Workspace;
} // namespace provbench

namespace provbench::onboarding {

// Keys and certificates for a static "bench certificate" profile: a key
// generated here for the device, a certificate for it from the workspace CA
// (subject and DNS name from the profile's templates), and the CA chain.
// The private key exists unencrypted only in memory, on its way to the device;
// the certificate is recorded by the CA (issued.jsonl).
class CryptoMaterial : public MaterialProvider
{
public:
    CryptoMaterial(profiles::Profile profile, const crypto::CertificateAuthority &ca);
    // Generates the device's key on a worker thread (RSA 4096 takes seconds).
    void prepare(std::function<void(Result<void>)> done) override;
    Result<QByteArray> material(const PlanItem &item, const profiles::DeviceVars &device) override;

    // The key and certificate made for the device, once asked for.
    const std::optional<crypto::Key> &key() const { return m_key; }

private:
    Result<crypto::Key *> ensureKey();

    profiles::Profile m_profile;
    const crypto::CertificateAuthority &m_ca;
    std::optional<crypto::Key> m_key;
};

// The HMAC key of the credential ledger: 32 random bytes sealed by the vault
// in <workspace>/ledger.key, made on first use.
Result<QByteArray> ledgerKey(const Workspace &workspace, const Vault &vault);

} // namespace provbench::onboarding
