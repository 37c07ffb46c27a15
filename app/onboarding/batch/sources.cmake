# app/onboarding/batch: batch commissioning, every device that appears
# identified, matched against a CSV and provisioned, resumable after a crash.
target_sources(provbench_core PRIVATE
    onboarding/batch/deviceidentity.h onboarding/batch/deviceidentity.cpp
    onboarding/batch/deviceprovisioning.h onboarding/batch/deviceprovisioning.cpp
    onboarding/batch/batchrunner.h onboarding/batch/batchrunner.cpp
)
