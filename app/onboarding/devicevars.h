#pragma once

#include "app/onboarding/devicerecord.h"
#include "app/profiles/profiletemplate.h"

namespace provbench {

// The template variables a discovered device offers: its USB serial number
// (none for ptys), the name it reports, and its position in the list. Improv
// devices do not report a MAC address, so {mac} stays unavailable for them
// and expansion says so.
profiles::DeviceVars deviceVarsFor(const DeviceRecord &record, int seq);

} // namespace provbench
