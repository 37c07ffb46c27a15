# sources of app/protocol/atcmd, added to provbench_core
