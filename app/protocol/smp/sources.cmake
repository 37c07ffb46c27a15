# sources of app/protocol/smp (and the simulated SMP device), added to provbench_core
target_sources(provbench_core PRIVATE
    protocol/smp/smpcodec.h protocol/smp/smpcodec.cpp
    protocol/smp/smpmessages.h protocol/smp/smpmessages.cpp
    protocol/smp/smpclient.h protocol/smp/smpclient.cpp protocol/smp/smpoperations.cpp
    protocol/smp/smpverify.h protocol/smp/smpverify.cpp
    simulator/simulatedsmpstore.h simulator/simulatedsmpstore.cpp
    simulator/smpresponder.h simulator/smpresponder.cpp
    simulator/simulatedsmpdevice.h simulator/simulatedsmpdevice.cpp
)
