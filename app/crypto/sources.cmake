# sources of app/crypto (and the vault in app/storage), added to provbench_core
target_sources(provbench_core PRIVATE
    crypto/opensslutil.h crypto/opensslutil.cpp
    crypto/aead.h crypto/aead.cpp
    crypto/key.h crypto/key.cpp
    crypto/san.h crypto/san.cpp
    crypto/csr.h crypto/csr.cpp
    crypto/certificate.h crypto/certificate.cpp
    crypto/certbuilder.h crypto/certbuilder.cpp
    crypto/certificateauthority.h crypto/certificateauthority.cpp
    storage/vault.h storage/vault.cpp
)
target_sources(provbench_core PRIVATE
    crypto/pkcs12.h crypto/pkcs12.cpp
    storage/passphrase.h storage/passphrase.cpp
)
target_sources(provbench_core PRIVATE
    crypto/inspect.h crypto/inspect.cpp
)
target_sources(provbench_core PRIVATE
    crypto/pkcs7.h crypto/pkcs7.cpp
)
