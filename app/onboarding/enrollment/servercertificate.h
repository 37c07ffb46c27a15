#pragma once

#include "app/core/error.h"
#include "app/crypto/certificate.h"
#include "app/crypto/certificateauthority.h"
#include "app/crypto/key.h"

#include <QList>
#include <QString>

// The EST server's TLS certificate, kept in the workspace:
//   est/server.pem       issued by the workspace CA (serverAuth), SANs
//                        DNS:localhost, IP:127.0.0.1, IP:::1 and the listen address
//   est/server.key.pem   its EC P-256 key, encrypted PKCS#8 under the vault passphrase
// It is reused while it is issued by the current CA, covers the names asked
// for and has more than 30 days left; otherwise a new one replaces it.
namespace provbench::enrollment {

struct ServerCertificate
{
    crypto::Certificate certificate;
    crypto::Key key;
    bool reused = false;
};

// `names`: the extra SANs the listen address needs ("IP:10.0.0.5", "DNS:bench.lan").
Result<ServerCertificate> ensureServerCertificate(const Workspace &workspace, const Vault &vault,
    const crypto::CertificateAuthority &ca, const QList<crypto::SubjectAltName> &names);

} // namespace provbench::enrollment
