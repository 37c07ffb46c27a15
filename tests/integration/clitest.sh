# Sourced by the CLI test scripts. check <name> <expected exit> <pattern or ''> -- command...
# runs the command, compares its exit code and greps its output; `failures`
# counts what did not hold, and finish() ends the script with the summary line.
failures=0
check() {
    local name=$1 want=$2 pattern=$3
    shift 4
    local output rc
    output=$("$@" 2>&1)
    rc=$?
    if [ "$rc" -ne "$want" ]; then
        echo "FAIL $name: exit $rc, wanted $want"; echo "$output" | sed 's/^/    /'
        failures=$((failures + 1)); return
    fi
    if [ -n "$pattern" ] && ! grep -q -- "$pattern" <<<"$output"; then
        echo "FAIL $name: output lacks '$pattern'"; echo "$output" | sed 's/^/    /'
        failures=$((failures + 1)); return
    fi
    echo "ok   $name"
}
finish() {
    echo "$failures failed"
    [ "$failures" -eq 0 ]
}
