#!/bin/bash
# Seeds for fuzz_httpparser and fuzz_estbody (throwaway keys, made here).
# The first byte of each input selects the split size (httpparser) or the
# decoder (estbody: 0 base64, 1 CSR, 2 certs-only, 3 Basic credentials).
set -e
cd "$(dirname "$0")/corpus"
mkdir -p httpparser estbody
h=httpparser
seed() { printf '%b' "$2" >"$h/$1"; }
seed get '\x05GET /.well-known/est/cacerts HTTP/1.1\r\nHost: localhost\r\n\r\n'
seed post '\x03POST /.well-known/est/simpleenroll HTTP/1.1\r\nHost: a\r\nContent-Type: application/pkcs10\r\nAuthorization: Basic ZGV2LTE6dG9rZW4=\r\nContent-Length: 5\r\n\r\nhello'
seed pipelined '\x01GET / HTTP/1.1\r\nHost: a\r\n\r\nPOST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nokGET /y HTTP/1.0\r\n\r\n'
seed chunked '\x07POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'
seed folding '\x02GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n'
seed conflict '\x04POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc'
seed nohost '\x09GET / HTTP/1.1\r\nConnection: close\r\n\r\n'
seed oversize '\x0bPOST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999\r\n\r\n'
seed keepalive '\x10GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: b\r\n\r\n'
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/k" -subj /CN=seed-ca \
    -days 30 -out "$tmp/ca.pem" 2>/dev/null
openssl req -new -key "$tmp/k" -subj /CN=dev-1 -outform DER -out "$tmp/csr.der"
openssl crl2pkcs7 -nocrl -certfile "$tmp/ca.pem" -outform DER -out "$tmp/p7.der"
{ printf '\x00'; printf 'aGVsbG8=\r\n'; } >estbody/base64
{ printf '\x00'; printf 'aG=sbG8'; } >estbody/base64-bad
{ printf '\x01'; base64 "$tmp/csr.der"; } >estbody/csr
{ printf '\x01'; base64 -w0 "$tmp/csr.der"; } >estbody/csr-oneline
{ printf '\x02'; base64 "$tmp/p7.der"; } >estbody/certsonly
{ printf '\x03'; printf 'Basic ZGV2LTE6dG9rZW4='; } >estbody/basic
