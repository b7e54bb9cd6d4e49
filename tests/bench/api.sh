#!/bin/sh
# SPDX-License-Identifier: MIT
# N API requests (GET /members?$limit=1) three ways -- over one kept-alive
# connection ("keep"), a new connection each resuming the TLS session
# ("close"), a new ornd_api_t and full handshake each ("fresh") -- per TLS
# version against the local API server; its control socket's counters
# (connections, full and resumed handshakes, requests) are reset before each
# run and added to bench_api's JSON as "server". Prints one JSON object keyed
# "tls1.3-keep", ...
#   api.sh BENCH_API_BIN CERTS_DIR [N]
set -eu
bin=$1 certs=$2 n=${3:-10}
py=${PYTHON:-python3}
tmp=$(mktemp -d)
srv=
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
printf '{'
sep=
for tls in 1.3 1.2; do
    : >"$tmp/out"
    "$py" tests/server/api_server.py --certs "$certs" --tls "$tls" --control --no-ipv6 \
        --lifetime 120 --client demo-id:demo-secret:flex.community.members.read \
        >"$tmp/out" 2>"$tmp/err" &
    srv=$!
    i=0
    while ! grep -q '^READY' "$tmp/out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    ident=$(sed -n 's/^IDENTITY //p' "$tmp/out")
    control=$(sed -n 's/^CONTROL //p' "$tmp/out")
    port=$(sed -n 's/^READY //p' "$tmp/out")
    [ -n "$port" ] && [ -n "$control" ] || { cat "$tmp/err" >&2; exit 1; }
    for mode in keep close fresh; do
        "$py" tests/bench/counters.py "$control" --reset
        # a failed run still prints its JSON (rc, error): the table shows it
        res=$("$bin" "$mode" 127.0.0.1 "$ident" "$port" "$certs/ca.pem" "$n") || true
        case $res in '{'*) ;; *) echo "bench_api failed: $res" >&2; exit 1 ;; esac
        res=$("$py" tests/bench/counters.py "$control" "$res" connections handshakes_full \
            handshakes_resumed tls_errors requests closed_by_client closed_idle \
            closed_by_server)
        printf '%s"tls%s-%s": %s' "$sep" "$tls" "$mode" "$res"
        sep=', '
    done
    kill "$srv"; wait "$srv" 2>/dev/null || true
    srv=
done
printf '}\n'
