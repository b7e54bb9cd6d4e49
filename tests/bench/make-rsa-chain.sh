#!/bin/sh
# SPDX-License-Identifier: MIT
# An all-RSA-2048 certificate chain for the TLS pool figures of `make bench`:
#   OUTDIR/ca.pem                 RSA-2048 test CA (what the client trusts)
#   OUTDIR/server.pem server.key  RSA-2048 leaf for localhost/127.0.0.1/::1
# The identity server serves server.pem from --certs OUTDIR. Throwaway, never
# committed; re-running does nothing while the chain is valid for a day.
set -eu
out=$1
mkdir -p "$out"
if [ -s "$out/ca.pem" ] && [ -s "$out/server.key" ] &&
    openssl x509 -in "$out/server.pem" -noout -checkend 86400 >/dev/null 2>&1; then
    exit 0
fi
tmp=$(mktemp -d "${out%/}/.rsa.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/ca.key" 2>/dev/null
openssl req -new -x509 -key "$tmp/ca.key" -sha256 -days 30 \
    -subj "/O=ornd-lite bench/CN=ornd-lite bench RSA CA" \
    -addext "basicConstraints = critical, CA:TRUE, pathlen:0" \
    -addext "keyUsage = critical, keyCertSign, cRLSign" -out "$tmp/ca.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/server.key" 2>/dev/null
openssl req -new -key "$tmp/server.key" -subj "/O=ornd-lite bench/CN=localhost" -out "$tmp/server.csr"
printf '%s\n' '[ leaf ]' 'basicConstraints = critical, CA:FALSE' \
    'keyUsage = critical, digitalSignature, keyEncipherment' 'extendedKeyUsage = serverAuth' \
    'subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1' >"$tmp/leaf.ext"
openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
    -set_serial 0x0b5e7c4a11 -sha256 -days 30 -extfile "$tmp/leaf.ext" -extensions leaf \
    -out "$tmp/server.pem" 2>/dev/null
for f in ca.pem server.pem server.key; do mv -f "$tmp/$f" "$out/$f"; done
