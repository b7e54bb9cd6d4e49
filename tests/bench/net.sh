#!/bin/sh
# SPDX-License-Identifier: MIT
# One token fetch, then a second one resuming the session, per TLS version x
# certificate chain against the local identity server (run by
# tests/server/api_server.py, whose control socket counts the token
# endpoint's full and resumed handshakes); prints one JSON object keyed
# "tls1.2-ecdsa", ..., each bench_net's JSON plus "server": those counters.
#   net.sh BENCH_NET_BIN CERTS_EC_DIR CERTS_RSA_DIR
set -eu
bin=$1 ec=$2 rsa=$3
py=${PYTHON:-python3}
tmp=$(mktemp -d)
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
printf '{'
sep=
for tls in 1.2 1.3; do
    for chain in ecdsa rsa2048; do
        dir=$ec
        [ "$chain" = rsa2048 ] && dir=$rsa
        : >"$tmp/out"
        # the client identity_server.py has by default: the same token answer
        "$py" tests/server/api_server.py --certs "$dir" --tls "$tls" --control \
            --no-ipv6 --lifetime 60 \
            --client demo-id:demo-secret:flex.community.members.read,flex.community.checkins.create \
            >"$tmp/out" 2>"$tmp/err" &
        srv=$!
        i=0
        while ! grep -q '^READY' "$tmp/out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
        port=$(sed -n 's/^IDENTITY //p' "$tmp/out")
        control=$(sed -n 's/^CONTROL //p' "$tmp/out")
        [ -n "$port" ] && [ -n "$control" ] || { cat "$tmp/err" >&2; exit 1; }
        # a failed fetch still prints its JSON (rc, error): the table shows it
        res=$("$bin" 127.0.0.1 "$port" "$dir/ca.pem") || true
        case $res in '{'*) ;; *) echo "bench_net failed: $res" >&2; exit 1 ;; esac
        res=$("$py" tests/bench/counters.py "$control" "$res" identity_connections \
            identity_handshakes_full identity_handshakes_resumed token_requests)
        kill "$srv"; wait "$srv" 2>/dev/null || true
        srv=
        printf '%s"tls%s-%s": %s' "$sep" "$tls" "$chain" "$res"
        sep=', '
    done
done
printf '}\n'
