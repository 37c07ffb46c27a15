#include "app/onboarding/devicevars.h"

namespace provbench {

profiles::DeviceVars deviceVarsFor(const DeviceRecord &record, int seq)
{
    profiles::DeviceVars vars;
    vars.serial = record.port.serialNumber;
    vars.name = record.info ? record.info->deviceName : QString();
    vars.seq = seq;
    return vars;
}

} // namespace provbench
