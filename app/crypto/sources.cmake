# sources of app/crypto, added to provbench_core
