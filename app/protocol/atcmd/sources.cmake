# sources of app/protocol/atcmd (and the simulated nRF91 modem), added to provbench_core
target_sources(provbench_core PRIVATE
    protocol/atcmd/atcodec.h protocol/atcmd/atcodec.cpp protocol/atcmd/atlines.cpp
    protocol/atcmd/atparser.h protocol/atcmd/atparser.cpp
    protocol/atcmd/atclient.h protocol/atcmd/atclient.cpp
    protocol/atcmd/credentialwriter.h protocol/atcmd/credentialwriter.cpp
    simulator/simulatedmodem.h simulator/simulatedmodem.cpp simulator/simulatedmodemconfig.cpp
)
