#!/bin/bash
# The EST service as a device sees it, with independent clients only: the
# openssl command line makes keys and CSRs and checks the answers, curl talks
# HTTPS to `provbench-cli est serve`, python3's ssl module plays a slowloris
# client. Then `audit verify` and the audit events the run must have left.
#   cli_est.sh <provbench-cli> <clitest.sh> <est-onboarding.json sample profile>
cli=$1
source "$2"
sample=$3
for tool in openssl curl python3 base64; do
    command -v $tool >/dev/null || { echo "SKIP: $tool is not installed"; exit 0; }
done
tmp=$(mktemp -d)
server=
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
unset PROVBENCH_WORKSPACE PROVBENCH_DB
export PROVBENCH_PASSPHRASE="cli-est test passphrase"
ws=$tmp/ws

check "ca init" 0 "" -- "$cli" ca init --workspace "$ws"
mkdir -p "$ws/profiles"
cp "$sample" "$ws/profiles/est-onboarding.json"
sed -e 's/"manualApproval": false/"manualApproval": true/' \
    -e 's/"name": "EST onboarding"/"name": "EST approval"/' "$sample" >"$ws/profiles/est-approval.json"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base=https://127.0.0.1:$port
"$cli" est serve --workspace "$ws" --listen "127.0.0.1:$port" --read-timeout 2 >"$tmp/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do grep -q "Press Ctrl+C" "$tmp/serve.log" && break; sleep 0.5; done
check "serve prints the URL" 0 "https://127.0.0.1:$port/.well-known/est" -- cat "$tmp/serve.log"
ca_fp=$(openssl x509 -in "$ws/ca/ca.pem" -noout -fingerprint -sha256 | sed 's/.*=//' | tr 'A-F' 'a-f')
check "serve prints the CA fingerprint" 0 "$ca_fp" -- cat "$tmp/serve.log"

# token <device> [options]: the last line of `token issue`.
token() { local d=$1; shift; "$cli" token issue --workspace "$ws" --device "$d" "$@" | tail -n 1; }
# csr <cn> <keyfile> <newkey args...>: base64 of a DER CSR made by openssl.
csr() {
    local cn=$1 key=$2; shift 2
    openssl req -new "$@" -nodes -keyout "$key" -subj "/CN=$cn" -outform DER 2>/dev/null | base64
}
# enroll <out> <device> <token> <csr file> [path]: prints the HTTP status.
enroll() {
    printf 'user = "%s:%s"\n' "$2" "$3" | curl -sS -K - --cacert "$ws/ca/ca.pem" \
        -H 'Content-Type: application/pkcs10' --data-binary @"$4" -o "$1" -w '%{http_code}' \
        "$base/.well-known/est/${5:-simpleenroll}"
}
# certs <body> <pem out>: the certificates of a certs-only answer.
certs() { tr -d '\r' <"$1" | base64 -d | openssl pkcs7 -inform DER -print_certs -out "$2"; }
status_is() { # status_is <name> <want> <got>
    if [ "$3" = "$2" ]; then echo "ok   $1"; else echo "FAIL $1: HTTP $3, wanted $2"; failures=$((failures + 1)); fi
}

# cacerts
code=$(curl -sS --cacert "$ws/ca/ca.pem" -o "$tmp/cacerts" -w '%{http_code}' "$base/.well-known/est/cacerts")
status_is "cacerts" 200 "$code"
certs "$tmp/cacerts" "$tmp/cacerts.pem"
check "cacerts holds the workspace CA" 0 "$ca_fp" \
    -- bash -c "openssl x509 -in '$tmp/cacerts.pem' -noout -fingerprint -sha256 | tr 'A-F' 'a-f'"

# enroll with a one-time token
tok=$(token dev-1 --profile "EST onboarding")
check "token is 43 base64url characters" 0 "" -- bash -c "[[ '$tok' =~ ^[A-Za-z0-9_-]{43}$ ]]"
csr dev-1 "$tmp/dev1.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 >"$tmp/dev1.csr"
status_is "simpleenroll with the token" 200 "$(enroll "$tmp/dev1.p7" dev-1 "$tok" "$tmp/dev1.csr")"
certs "$tmp/dev1.p7" "$tmp/dev1.pem"
check "issued certificate verifies against the CA" 0 ": OK" \
    -- openssl verify -CAfile "$ws/ca/ca.pem" "$tmp/dev1.pem"
check "issued certificate names the device" 0 "CN *= *dev-1" \
    -- openssl x509 -in "$tmp/dev1.pem" -noout -subject
check "issued certificate is for client auth" 0 "TLS Web Client Authentication" \
    -- openssl x509 -in "$tmp/dev1.pem" -noout -ext extendedKeyUsage
csr dev-1 "$tmp/dev1b.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 >"$tmp/dev1b.csr"
status_is "replayed token" 401 "$(enroll "$tmp/out" dev-1 "$tok" "$tmp/dev1b.csr")"
status_is "wrong token" 401 "$(enroll "$tmp/out" dev-1 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" "$tmp/dev1b.csr")"
code=$(curl -sS --cacert "$ws/ca/ca.pem" -H 'Content-Type: application/pkcs10' \
    --data-binary @"$tmp/dev1b.csr" -o /dev/null -w '%{http_code}' "$base/.well-known/est/simpleenroll")
status_is "no credentials" 401 "$code"

# re-enroll with the issued certificate as the TLS client certificate
code=$(curl -sS --cacert "$ws/ca/ca.pem" --cert "$tmp/dev1.pem" --key "$tmp/dev1.key" \
    -H 'Content-Type: application/pkcs10' --data-binary @"$tmp/dev1b.csr" -o "$tmp/dev1b.p7" \
    -w '%{http_code}' "$base/.well-known/est/simplereenroll")
status_is "simplereenroll with the current certificate" 200 "$code"
certs "$tmp/dev1b.p7" "$tmp/dev1b.pem"
check "renewed certificate verifies" 0 ": OK" -- openssl verify -CAfile "$ws/ca/ca.pem" "$tmp/dev1b.pem"
code=$(curl -sS --cacert "$ws/ca/ca.pem" --cert "$tmp/dev1.pem" --key "$tmp/dev1.key" \
    -H 'Content-Type: application/pkcs10' --data-binary @"$tmp/dev1b.csr" -o /dev/null \
    -w '%{http_code}' "$base/.well-known/est/simplereenroll")
status_is "simplereenroll with the replaced certificate" 401 "$code"
code=$(curl -sS --cacert "$ws/ca/ca.pem" -H 'Content-Type: application/pkcs10' \
    --data-binary @"$tmp/dev1b.csr" -o /dev/null -w '%{http_code}' "$base/.well-known/est/simplereenroll")
status_is "simplereenroll without a certificate" 401 "$code"

# check-in with the current certificate
code=$(curl -sS --cacert "$ws/ca/ca.pem" --cert "$tmp/dev1b.pem" --key "$tmp/dev1b.key" \
    -H 'Content-Type: application/json' -d '{"firmware":"1.0.3"}' -o "$tmp/checkin" \
    -w '%{http_code}' "$base/provbench/v1/checkin")
status_is "check-in" 200 "$code"
check "check-in answer" 0 '{"device":"dev-1","state":"checked-in"}' -- cat "$tmp/checkin"

# expired token (ttl 0.03 min = 1.8 s)
tok2=$(token dev-2 --ttl 0.03)
csr dev-2 "$tmp/dev2.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 >"$tmp/dev2.csr"
sleep 2.5
status_is "expired token" 401 "$(enroll "$tmp/out" dev-2 "$tok2" "$tmp/dev2.csr")"

# CSR checks (a refused CSR does not use up the token)
tok3=$(token dev-3 --profile "EST onboarding")
echo "bm90IGEgY3NyIGF0IGFsbA==" >"$tmp/bad.csr"
status_is "malformed CSR" 400 "$(enroll "$tmp/out" dev-3 "$tok3" "$tmp/bad.csr")"
check "malformed CSR reason" 0 "Malformed CSR" -- cat "$tmp/out"
head -c 70000 /dev/zero | base64 >"$tmp/big.csr"
status_is "oversize body" 413 "$(enroll "$tmp/out" dev-3 "$tok3" "$tmp/big.csr")"
csr dev-3 "$tmp/rsa.key" -newkey rsa:1024 >"$tmp/rsa1024.csr"
status_is "RSA 1024" 400 "$(enroll "$tmp/out" dev-3 "$tok3" "$tmp/rsa1024.csr")"
check "RSA 1024 reason" 0 "2048" -- cat "$tmp/out"
csr dev-3 "$tmp/ed.key" -newkey ed25519 >"$tmp/ed.csr"
status_is "key type the profile does not allow" 400 "$(enroll "$tmp/out" dev-3 "$tok3" "$tmp/ed.csr")"
check "profile key reason" 0 "allows only EC P-256" -- cat "$tmp/out"
csr someone-else "$tmp/other.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 >"$tmp/other.csr"
status_is "CN mismatch" 400 "$(enroll "$tmp/out" dev-3 "$tok3" "$tmp/other.csr")"
csr dev-3 "$tmp/dev3.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 >"$tmp/dev3.csr"
status_is "token still good after refused CSRs" 200 "$(enroll "$tmp/out" dev-3 "$tok3" "$tmp/dev3.csr")"

# manual approval: 202 + Retry-After, approve, the retry gets the certificate
tok4=$(token dev-4 --profile "EST approval")
csr dev-4 "$tmp/dev4.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 >"$tmp/dev4.csr"
hdr=$(printf 'user = "dev-4:%s"\n' "$tok4" | curl -sS -K - --cacert "$ws/ca/ca.pem" -D - -o /dev/null \
    -H 'Content-Type: application/pkcs10' --data-binary @"$tmp/dev4.csr" "$base/.well-known/est/simpleenroll")
check "pending: 202" 0 "HTTP/1.1 202" -- echo "$hdr"
check "pending: Retry-After" 0 "Retry-After: 10" -- echo "$hdr"
check "est pending lists it" 0 "dev-4" -- "$cli" est pending --workspace "$ws"
req=$("$cli" est pending --workspace "$ws" | awk '$2 == "dev-4" { print $1 }')
check "est approve" 0 "Approved enrollment request $req" -- "$cli" est approve --workspace "$ws" --request "$req"
check "approve twice is refused" 2 "already approved" -- "$cli" est approve --workspace "$ws" --request "$req"
status_is "retry after approval" 200 "$(enroll "$tmp/dev4.p7" dev-4 "$tok4" "$tmp/dev4.csr")"
certs "$tmp/dev4.p7" "$tmp/dev4.pem"
check "approved certificate verifies" 0 ": OK" -- openssl verify -CAfile "$ws/ca/ca.pem" "$tmp/dev4.pem"
tok5=$(token dev-5 --profile "EST approval")
csr dev-5 "$tmp/dev5.key" -newkey ec -pkeyopt ec_paramgen_curve:P-256 >"$tmp/dev5.csr"
status_is "second pending" 202 "$(enroll "$tmp/out" dev-5 "$tok5" "$tmp/dev5.csr")"
req5=$("$cli" est pending --workspace "$ws" | awk '$2 == "dev-5" { print $1 }')
check "est deny" 0 "Denied enrollment request $req5" -- "$cli" est deny --workspace "$ws" --request "$req5"
status_is "retry after denial" 403 "$(enroll "$tmp/out" dev-5 "$tok5" "$tmp/dev5.csr")"

# a client that stops in the middle of its header is disconnected
check "slowloris client is disconnected" 0 "closed after" -- python3 - "$port" "$ws/ca/ca.pem" <<'PY'
import socket, ssl, sys, time
ctx = ssl.create_default_context(cafile=sys.argv[2])
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", int(sys.argv[1]))), server_hostname="127.0.0.1")
s.sendall(b"POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Le")
start = time.monotonic()
s.settimeout(20)
data = b""
try:
    while True:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
except (ssl.SSLError, ConnectionError):
    pass
elapsed = time.monotonic() - start
print(data.split(b"\r\n")[0].decode(errors="replace"))
print("closed after %.1f s" % elapsed if elapsed < 10 else "still open after %.1f s" % elapsed)
PY

kill -TERM "$server"
wait "$server"
rc=$?
server=
check "SIGTERM stops the service cleanly" 0 "" -- test "$rc" -eq 0
check "serve says it stopped" 0 "EST service stopped" -- cat "$tmp/serve.log"

check "audit verify" 0 "chain ok" -- "$cli" audit verify --workspace "$ws"
for kind in token.issued enroll.request intent.sign outcome.sign cert.issued checkin failure \
    enroll.pending enroll.approved enroll.denied; do
    check "audit has $kind" 0 "\"kind\": \"$kind\"" -- "$cli" audit list --workspace "$ws" --kind $kind --json
done
check "expired token audited as such" 0 "Expired enrollment token" \
    -- "$cli" audit list --workspace "$ws" --kind failure --json
check "replay audited as such" 0 "Replayed enrollment token" \
    -- "$cli" audit list --workspace "$ws" --kind failure --json
check "inventory: dev-1 checked in" 0 "checked-in" -- "$cli" inventory list --workspace "$ws" --json
"$cli" audit export --workspace "$ws" --format json >"$tmp/export.json" 2>/dev/null \
    || "$cli" audit export --workspace "$ws" >"$tmp/export.json"
leaks=0
for t in "$tok" "$tok2" "$tok3" "$tok4" "$tok5"; do
    grep -qF -- "$t" "$tmp/export.json" "$tmp/serve.log" "$ws/inventory.db" && leaks=1
done
check "no token in the audit log, database or server output" 0 "" -- test $leaks -eq 0
finish
