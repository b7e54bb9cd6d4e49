#!/bin/sh
# SPDX-License-Identifier: MIT
# Make a throwaway test PKI for the local identity server.
#
#   sh scripts/make-test-pki.sh OUTDIR
#
# Writes into OUTDIR (created if needed):
#   ca.pem ca.key                  test CA (ECDSA P-256) the client trusts
#   server.pem server.key          localhost, 127.0.0.1, ::1 (ECDSA P-256, by ca)
#   server-rsa.pem server-rsa.key  same names, RSA-2048 key (signed by ca)
#   wronghost.pem wronghost.key    wrong.example only (by ca)
#   expired.pem expired.key        localhost, validity entirely in the past (by ca)
#   future.pem future.key          localhost, validity entirely in the future (by ca)
#   intermediate.pem .key          an intermediate CA (by ca), valid
#   intermediate-expired.pem .key  an intermediate CA (by ca), validity in the past
#   chained.pem chained.key        localhost by intermediate; the PEM holds the
#                                  leaf then the intermediate (the chain served)
#   chained-int-expired.pem .key   localhost, valid, by intermediate-expired; the
#                                  PEM holds the leaf then that intermediate
#   other-ca.pem other-ca.key      a second, unrelated CA (ECDSA P-256)
#   untrusted.pem untrusted.key    localhost, signed by other-ca
#   nosan.pem nosan.key            CN=localhost and no subjectAltName at all (by ca)
#   dnsonly.pem dnsonly.key        DNS:localhost only, no IP entries (by ca)
#
# Idempotent: when every file is present and the CA is valid for at least one
# more day, nothing is done. Otherwise a fresh set is made in a scratch
# directory and moved into place file by file. Nothing here is secret; the
# files must never be committed.
set -eu

if [ $# -ne 1 ]; then
    echo "usage: $0 OUTDIR" >&2
    exit 2
fi
out=$1
mkdir -p "$out"

files="ca.pem ca.key server.pem server.key server-rsa.pem server-rsa.key
wronghost.pem wronghost.key expired.pem expired.key other-ca.pem other-ca.key
untrusted.pem untrusted.key future.pem future.key intermediate.pem intermediate.key
intermediate-expired.pem intermediate-expired.key chained.pem chained.key
chained-int-expired.pem chained-int-expired.key nosan.pem nosan.key dnsonly.pem dnsonly.key"

complete=1
for f in $files; do
    [ -s "$out/$f" ] || complete=0
done
if [ "$complete" = 1 ] &&
    openssl x509 -in "$out/ca.pem" -noout -checkend 86400 >/dev/null 2>&1 &&
    openssl x509 -in "$out/server.pem" -noout -checkend 86400 >/dev/null 2>&1; then
    exit 0
fi

tmp=$(mktemp -d "${out%/}/.make-certs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
serial() { echo "0x$(openssl rand -hex 8)"; }

# Extensions of a TLS server certificate; $1 is the subjectAltName value.
leaf_ext() {
    cat >"$tmp/leaf.ext" <<EOF
[ leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $1
EOF
}

# make_ca NAME "SUBJECT" (path length 1: a CA signs leaves and
# intermediates)
make_ca() {
    ec_key "$tmp/$1.key"
    openssl req -new -x509 -key "$tmp/$1.key" -sha256 -days 30 -subj "$2" \
        -set_serial "$(serial)" \
        -addext "basicConstraints = critical, CA:TRUE, pathlen:1" \
        -addext "keyUsage = critical, keyCertSign, cRLSign" \
        -addext "subjectKeyIdentifier = hash" \
        -out "$tmp/$1.pem"
}

# make_leaf NAME CA "CN" "SAN" [rsa]
make_leaf() {
    if [ "${5:-}" = rsa ]; then
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/$1.key" 2>/dev/null
    else
        ec_key "$tmp/$1.key"
    fi
    openssl req -new -key "$tmp/$1.key" -subj "/O=ornd-lite test/CN=$3" -out "$tmp/$1.csr"
    leaf_ext "$4"
    openssl x509 -req -in "$tmp/$1.csr" -CA "$tmp/$2.pem" -CAkey "$tmp/$2.key" \
        -set_serial "$(serial)" -sha256 -days 30 \
        -extfile "$tmp/leaf.ext" -extensions leaf -out "$tmp/$1.pem" 2>/dev/null
}

names="DNS:localhost, IP:127.0.0.1, IP:::1"

make_ca ca "/O=ornd-lite test/CN=ornd-lite test CA"
make_ca other-ca "/O=unrelated test/CN=unrelated test CA"
make_leaf server ca localhost "$names"
make_leaf server-rsa ca localhost "$names" rsa
make_leaf wronghost ca wrong.example "DNS:wrong.example"
make_leaf untrusted other-ca localhost "$names"
make_leaf dnsonly ca localhost "DNS:localhost"
# no subjectAltName: the leaf extensions without that line
ec_key "$tmp/nosan.key"
openssl req -new -key "$tmp/nosan.key" -subj "/O=ornd-lite test/CN=localhost" -out "$tmp/nosan.csr"
leaf_ext "DNS:localhost"
grep -v '^subjectAltName' "$tmp/leaf.ext" >"$tmp/nosan.ext"
openssl x509 -req -in "$tmp/nosan.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" \
    -set_serial "$(serial)" -sha256 -days 30 \
    -extfile "$tmp/nosan.ext" -extensions leaf -out "$tmp/nosan.pem" 2>/dev/null

# Certificates with chosen dates: `openssl x509 -req` in OpenSSL 3.0 cannot
# set a start date in the past, `openssl ca` can (-startdate/-enddate).
# ca_issue NAME ISSUER SECTION DATES...: a key and a certificate for NAME
# (CN localhost for a leaf, "ornd-lite test NAME" for a CA) with the
# extensions of SECTION (leaf or intermediate), issued by ISSUER with
# `openssl ca` for DATES (-days N, or -startdate X -enddate Y).
cat >"$tmp/ext.cnf" <<EOF
[ intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
EOF
leaf_ext "$names"
cat "$tmp/leaf.ext" >>"$tmp/ext.cnf"
ca_issue() {
    name=$1 issuer=$2 section=$3
    shift 3
    ec_key "$tmp/$name.key"
    cn=localhost
    [ "$section" = leaf ] || cn="ornd-lite test $name"
    openssl req -new -key "$tmp/$name.key" -subj "/O=ornd-lite test/CN=$cn" -out "$tmp/$name.csr"
    rm -rf "$tmp/db"
    mkdir "$tmp/db"
    : >"$tmp/db/index.txt"
    openssl rand -hex 8 >"$tmp/db/serial"
    cat >"$tmp/ca.cnf" <<EOF
[ ca ]
default_ca = test_ca
[ test_ca ]
database = $tmp/db/index.txt
new_certs_dir = $tmp/db
serial = $tmp/db/serial
certificate = $tmp/$issuer.pem
private_key = $tmp/$issuer.key
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
[ any ]
organizationName = optional
commonName = supplied
EOF
    cat "$tmp/ext.cnf" >>"$tmp/ca.cnf"
    openssl ca -batch -notext -config "$tmp/ca.cnf" -extensions "$section" "$@" \
        -in "$tmp/$name.csr" -out "$tmp/$name.pem" 2>/dev/null
}

ca_issue expired ca leaf -startdate 20200101000000Z -enddate 20200201000000Z
ca_issue future ca leaf -startdate 20990101000000Z -enddate 20990201000000Z
ca_issue intermediate ca intermediate -days 30
ca_issue intermediate-expired ca intermediate -startdate 20200101000000Z -enddate 20200201000000Z
ca_issue chained intermediate leaf -days 30
cat "$tmp/intermediate.pem" >>"$tmp/chained.pem"
ca_issue chained-int-expired intermediate-expired leaf -days 30
cat "$tmp/intermediate-expired.pem" >>"$tmp/chained-int-expired.pem"

for f in $files; do
    chmod 0644 "$tmp/$f"
    mv -f "$tmp/$f" "$out/$f"
done
