# app/onboarding/journey: every device's onboarding journey computed from the
# audit log, the board's aggregates, and the CSV of expected devices.
target_sources(provbench_core PRIVATE
    onboarding/journey/journey.h onboarding/journey/journey.cpp
    onboarding/journey/board.h onboarding/journey/board.cpp
    onboarding/journey/boardfeed.h onboarding/journey/boardfeed.cpp
    onboarding/journey/journeyevents.h onboarding/journey/journeyevents.cpp
    onboarding/journey/expecteddevices.h onboarding/journey/expecteddevices.cpp
    onboarding/journey/boardreport.h onboarding/journey/boardreport.cpp
    onboarding/journey/registryjourneyrecorder.h onboarding/journey/registryjourneyrecorder.cpp
    onboarding/journey/qrcode.h onboarding/journey/qrcode.cpp
)
# QR labels: libqrencode (Debian: libqrencode-dev).
pkg_check_modules(QRENCODE REQUIRED IMPORTED_TARGET libqrencode)
target_link_libraries(provbench_core PRIVATE PkgConfig::QRENCODE)
