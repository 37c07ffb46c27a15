#!/bin/bash
# A scripted CLI session with the workspace CA: ca init/show/import,
# cert issue (new key, PKCS#12, CSR) and inspect, wrong and missing
# passphrases, and finally a scan of the workspace that must find no
# unencrypted private key.
#   cli_crypto.sh <provbench-cli> <clitest.sh>
cli=$1
source "$2"
command -v openssl >/dev/null || { echo "SKIP: openssl not installed"; exit 0; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ws=$tmp/ws
export PROVBENCH_PASSPHRASE='bench vault passphrase'
unset PROVBENCH_WORKSPACE

check "no passphrase fails closed" 2 "No vault passphrase" \
    -- env -u PROVBENCH_PASSPHRASE "$cli" ca init --workspace "$ws"
[ ! -e "$ws/vault.json" ] && echo "ok   nothing created without a passphrase" \
    || { echo "FAIL vault created without a passphrase"; failures=$((failures + 1)); }
check "short passphrase refused" 2 "at least 12" \
    -- env PROVBENCH_PASSPHRASE=short "$cli" ca init --workspace "$ws"
check "ca init" 0 "Created the workspace CA" -- "$cli" ca init --workspace "$ws" --days 400
check "ca init twice refused" 2 "never overwritten" -- "$cli" ca init --workspace "$ws"
check "ca show json" 0 '"issued": 0' -- "$cli" ca show --workspace "$ws" --json
check "wrong passphrase" 2 "does not unlock the vault" \
    -- env PROVBENCH_PASSPHRASE='not the passphrase' "$cli" ca show --workspace "$ws"
check "passphrase on stdin" 0 "EC P-256" \
    -- bash -c "echo '$PROVBENCH_PASSPHRASE' | env -u PROVBENCH_PASSPHRASE '$cli' ca show --workspace '$ws'"
check "profile samples" 0 "" -- "$cli" profile samples --workspace "$ws"
check "cert issue with new key" 0 '"serial"' \
    -- "$cli" cert issue --workspace "$ws" --profile bench-certificate-per-device --serial SN-1 \
       --san IP:10.20.0.101 --json
check "openssl verifies the device certificate" 0 ": OK" \
    -- openssl verify -CAfile "$ws/ca/ca.pem" "$ws/devices/SN-1/cert.pem"
check "certificate is for SSL clients" 0 "SSL client : Yes" \
    -- openssl x509 -in "$ws/devices/SN-1/cert.pem" -noout -purpose
check "subject and SANs from the profile templates" 0 "DNS:plc-gw-SN-1, IP Address:10.20.0.101" \
    -- openssl x509 -in "$ws/devices/SN-1/cert.pem" -noout -ext subjectAltName
check "device key decrypts with the vault passphrase" 0 "" \
    -- openssl pkcs8 -in "$ws/devices/SN-1/key.pem" -passin env:PROVBENCH_PASSPHRASE -out /dev/null
check "p12 needs its password variable" 2 "PROVBENCH_P12_PASSWORD" \
    -- env -u PROVBENCH_P12_PASSWORD "$cli" cert issue --workspace "$ws" \
       --profile bench-certificate-per-device --serial SN-2 --p12 "$tmp/sn2.p12"
check "cert issue as PKCS#12" 0 "PKCS#12" \
    -- env PROVBENCH_P12_PASSWORD='p12 secret' "$cli" cert issue --workspace "$ws" \
       --profile bench-certificate-per-device --serial SN-2 --p12 "$ws/devices/SN-2/sn2.p12"
check "openssl reads the PKCS#12" 0 "MAC: sha256" \
    -- openssl pkcs12 -info -noout -in "$ws/devices/SN-2/sn2.p12" -passin pass:'p12 secret'
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/dev3.key" \
    -out "$tmp/dev3.csr" -subj /CN=ignored 2>/dev/null
check "cert issue from a CSR" 0 "CN=SN-3" \
    -- "$cli" cert issue --workspace "$ws" --profile bench-certificate-per-device --serial SN-3 \
       --csr "$tmp/dev3.csr"
check "CSR certificate verifies" 0 ": OK" \
    -- openssl verify -CAfile "$ws/ca/ca.pem" "$ws/devices/SN-3/cert.pem"
check "ca show counts issued" 0 '"issued": 3' -- "$cli" ca show --workspace "$ws" --json
check "cert inspect" 0 "signature verifies" \
    -- bash -c "cat '$ws/devices/SN-1/cert.pem' '$ws/ca/ca.pem' > '$tmp/chain.pem' && '$cli' cert inspect '$tmp/chain.pem'"
check "cert inspect p12 without password" 2 "give its password" \
    -- "$cli" cert inspect "$ws/devices/SN-2/sn2.p12"
check "cert inspect p12" 0 '"chainOrdered": true' \
    -- env P12PW='p12 secret' "$cli" cert inspect "$ws/devices/SN-2/sn2.p12" --password-env P12PW --json
check "cert inspect warns about a plain key" 0 "unencrypted private key" \
    -- "$cli" cert inspect "$tmp/dev3.key"

# An outside CA, imported into a second workspace.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/ext.key" \
    -out "$tmp/ext.pem" -days 30 -subj "/CN=Outside CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl pkcs8 -topk8 -v2 aes-256-cbc -scrypt -in "$tmp/ext.key" -out "$tmp/ext.enc.key" \
    -passout pass:'outside key pass'
check "ca import refuses a plain key" 2 "not encrypted" \
    -- "$cli" ca import --workspace "$tmp/ws2" --cert "$tmp/ext.pem" --key "$tmp/ext.key"
check "ca import wrong key passphrase" 2 "does not unlock" \
    -- env KP=wrong "$cli" ca import --workspace "$tmp/ws2" --cert "$tmp/ext.pem" \
       --key "$tmp/ext.enc.key" --key-passphrase-env KP
check "ca import" 0 "Imported the CA" \
    -- env KP='outside key pass' "$cli" ca import --workspace "$tmp/ws2" --cert "$tmp/ext.pem" \
       --key "$tmp/ext.enc.key" --key-passphrase-env KP
# An intermediate in a third workspace, signed by the outside CA.
check "ca init intermediate" 0 "intermediate" \
    -- env KP='outside key pass' "$cli" ca init --workspace "$tmp/ws3" --subject "CN=Line 2 CA" \
       --parent-cert "$tmp/ext.pem" --parent-key "$tmp/ext.enc.key" --key-passphrase-env KP
check "profile samples (ws3)" 0 "" -- "$cli" profile samples --workspace "$tmp/ws3"
check "issue behind the intermediate" 0 "" \
    -- "$cli" cert issue --workspace "$tmp/ws3" --profile bench-certificate-per-device --serial SN-9
check "openssl verifies through the intermediate" 0 ": OK" \
    -- openssl verify -CAfile "$tmp/ext.pem" -untrusted "$tmp/ws3/ca/ca.pem" \
       "$tmp/ws3/devices/SN-9/cert.pem"

# The scan: every private key the session left in the workspaces is encrypted.
plain=$(grep -rlE -- "-----BEGIN (RSA |EC |)PRIVATE KEY-----" "$ws" "$tmp/ws2" "$tmp/ws3" || true)
encrypted=$(grep -rl -- "-----BEGIN ENCRYPTED PRIVATE KEY-----" "$ws" "$tmp/ws2" "$tmp/ws3" | wc -l)
if [ -n "$plain" ]; then
    echo "FAIL unencrypted private key(s) in the workspace:"; echo "$plain" | sed 's/^/    /'
    failures=$((failures + 1))
elif [ "$encrypted" -lt 4 ]; then
    echo "FAIL expected at least 4 encrypted keys, found $encrypted"; failures=$((failures + 1))
else
    echo "ok   workspace scan: $encrypted encrypted private keys, no unencrypted one"
fi
bad_modes=$(find "$ws" -type f ! -perm 600; find "$ws" -type d ! -perm 700)
[ -z "$bad_modes" ] && echo "ok   files 0600, folders 0700" \
    || { echo "FAIL permissions:"; echo "$bad_modes"; failures=$((failures + 1)); }
finish
