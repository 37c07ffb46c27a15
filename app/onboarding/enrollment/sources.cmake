# app/onboarding/enrollment: the built-in EST enrollment service (docs/est.md):
# one-time tokens, manual approval, the request logic and the TLS server.
target_sources(provbench_core PRIVATE
    onboarding/enrollment/tokenservice.h onboarding/enrollment/tokenservice.cpp
    onboarding/enrollment/approvalqueue.h onboarding/enrollment/approvalqueue.cpp
    onboarding/enrollment/devicecertificates.h onboarding/enrollment/devicecertificates.cpp
    onboarding/enrollment/estservice.h onboarding/enrollment/estservice.cpp
    onboarding/enrollment/estservicepolicy.cpp
    onboarding/enrollment/servercertificate.h onboarding/enrollment/servercertificate.cpp
    onboarding/enrollment/estserver.h onboarding/enrollment/estserver.cpp
    onboarding/enrollment/esthost.h onboarding/enrollment/esthost.cpp
)
