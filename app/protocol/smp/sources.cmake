# sources of app/protocol/smp, added to provbench_core
