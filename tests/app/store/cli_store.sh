#!/bin/bash
# provbench-cli audit and inventory as a user runs them: a workspace seeded by
# store_writer, verify/list/export, CSV neutralisation, a tampered record named
# by `audit verify`, an external anchor, a workspace without a database.
#   cli_store.sh <provbench-cli> <store_writer> <clitest.sh>
cli=$1
writer=$2
source "$3"
command -v python3 >/dev/null || { echo "SKIP: python3 (used to tamper with the database) not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ws=$tmp/ws
mkdir -p "$ws"
unset PROVBENCH_WORKSPACE PROVBENCH_DB
db=$ws/inventory.db

check "no database yet is 'not found'" 3 "no inventory database" \
    -- "$cli" audit verify --workspace "$tmp/empty"
[ ! -e "$tmp/empty/inventory.db" ] && echo "ok   verify created no database" \
    || { echo "FAIL verify created a database"; failures=$((failures + 1)); }
check "seed" 0 "" -- "$writer" seed "sqlite:$db"
check "verify" 0 "chain ok: 4 records" -- "$cli" audit verify --workspace "$ws"
head=$("$cli" audit verify --workspace "$ws" | sed -n 's/^head: //p')
check "verify prints the head" 0 "head: 4:[0-9a-f]\{64\}" -- "$cli" audit verify --workspace "$ws"
check "verify --json" 0 '"ok": true' -- "$cli" audit verify --workspace "$ws" --json
check "verify with the noted anchor" 0 "chain ok" \
    -- "$cli" audit verify --workspace "$ws" --anchor "$head"
check "bad anchor text" 2 "SEQ:HASH" -- "$cli" audit verify --workspace "$ws" --anchor 5:xyz
check "--db sqlite URL" 0 "chain ok: 4 records" -- "$cli" audit verify --db "sqlite:$db"
check "PROVBENCH_DB" 0 "chain ok: 4 records" -- env PROVBENCH_DB="sqlite:$db" "$cli" audit verify
check "list" 0 "outcome.write" -- "$cli" audit list --workspace "$ws"
check "list filtered by kind" 0 '"kind": "token.issued"' \
    -- "$cli" audit list --workspace "$ws" --kind token.issued --json
check "list filtered by device" 0 "dev-b" -- "$cli" audit list --workspace "$ws" --device dev-b
check "export csv to stdout" 0 "seq,time,actor,kind" -- "$cli" audit export --workspace "$ws"
check "export csv to a file" 0 "Exported 4 records" \
    -- "$cli" audit export --workspace "$ws" --out "$tmp/audit.csv"
# The details cell starts with '{', so only the actor or device could start a
# formula; the note inside JSON stays as it is, quoted.
check "csv has CRLF line ends" 0 "" -- grep -q $'\r$' "$tmp/audit.csv"
check "export json" 0 "Exported 1 records" \
    -- "$cli" audit export --workspace "$ws" --format json --kind 'intent.*' --out "$tmp/i.json" \
    --limit 2
check "export json is JSON" 0 "" -- python3 -c "import json,sys; d=json.load(open('$tmp/i.json')); sys.exit(0 if d[0]['kind']=='intent.write' else 1)"
check "export unknown format" 2 "csv or json" -- "$cli" audit export --workspace "$ws" --format xml
check "inventory list" 0 "2 devices" -- "$cli" inventory list --workspace "$ws"
check "inventory list shows failure" 0 "failed (no answer)" -- "$cli" inventory list --workspace "$ws"
check "inventory list --json" 0 '"transportId": "AA:BB:CC:DD:EE:FF"' \
    -- "$cli" inventory list --workspace "$ws" --json
check "inventory list --state" 0 "1 devices" -- "$cli" inventory list --workspace "$ws" --state failed
check "unknown action" 2 "verify, list or export" -- "$cli" audit frobnicate --workspace "$ws"

# Formula neutralisation in a real export: a device named '=HYPERLINK(...)'
# is in the inventory; an actor starting with '-' goes through the audit log.
python3 - "$db" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TRIGGER audit_events_no_update")
c.execute("UPDATE audit_events SET device_id = '=cmd|'' /C calc''!A0' WHERE seq = 4")
c.commit()
PY
check "tampered record is named" 1 "chain broken at record 4" -- "$cli" audit verify --workspace "$ws"
check "tampered --json" 1 '"badSeq": 4' -- "$cli" audit verify --workspace "$ws" --json
check "csv neutralises the formula" 0 "'=cmd|' /C calc'!A0" \
    -- "$cli" audit export --workspace "$ws" --device "=cmd|' /C calc'!A0"
check "anchor from before the tampering still parses" 1 "chain broken at record 4" \
    -- "$cli" audit verify --workspace "$ws" --anchor "$head"
check "unreachable postgres names the URL without password" 1 "postgresql://u@127.0.0.1:1/d" \
    -- "$cli" audit verify --db "postgresql://u:hunter2secret@127.0.0.1:1/d"
out=$("$cli" audit verify --db "postgresql://u:hunter2secret@127.0.0.1:1/d" 2>&1)
grep -q hunter2secret <<<"$out" && { echo "FAIL password shown: $out"; failures=$((failures + 1)); } \
    || echo "ok   password never shown"
finish
