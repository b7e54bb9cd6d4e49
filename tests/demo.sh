#!/bin/sh
# `make demo`: fetch a token from a local identity server with the host tool.
#
# Makes the test PKI, starts tests/server/identity_server.py on loopback with
# one demo client, runs `ornd token --format header` against it and prints the
# Authorization header. The server is stopped on exit; the script exits with
# ornd's status. The demo secret is never printed.
set -eu
cd "$(dirname "$0")/.."

ornd=${ORND_BIN:-build/host/ornd}
certs=build/test-run/certs
run=build/test-run
client_id=demo-device
scope=flex.community.members.read

if [ ! -x "$ornd" ]; then
    echo "demo: $ornd not found; run make first" >&2
    exit 2
fi

sh tests/server/make-certs.sh "$certs"
echo "demo: test certificates in $certs (CA: $certs/ca.pem)"

mkdir -p "$run"
out=$(mktemp "$run/demo-server.XXXXXX")
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -f "$out"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A fresh random secret each run; it only lives in this shell and the server.
secret="demo-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"

ORND_DEMO_CLIENTS="$client_id:$secret:flex.community.members.read,flex.community.checkins.create" \
    "${PYTHON:-python3}" tests/server/identity_server.py --certs "$certs" --lifetime 30 \
    --clients-env ORND_DEMO_CLIENTS >"$out" 2>/dev/null &
server_pid=$!

port=
i=0
while [ $i -lt 100 ]; do
    port=$(sed -n 's/^READY \([0-9][0-9]*\)$/\1/p' "$out")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
    i=$((i + 1))
done
if [ -z "$port" ]; then
    echo "demo: the identity server did not start" >&2
    exit 1
fi

url="https://localhost:$port/oauth/token"
echo "demo: local identity server listening at $url (pid $server_pid)"
echo "demo: client $client_id may use flex.community.members.read and flex.community.checkins.create"
echo "demo: running: $ornd token --format header --scope $scope --token-url $url --ca-file $certs/ca.pem"
echo "demo:          (ORND_CLIENT_ID=$client_id, ORND_CLIENT_SECRET from the environment, not shown)"

status=0
ORND_CLIENT_ID=$client_id ORND_CLIENT_SECRET=$secret \
    "$ornd" token --format header --scope "$scope" --token-url "$url" \
    --ca-file "$certs/ca.pem" || status=$?

if [ "$status" -eq 0 ]; then
    echo "demo: ornd got a token; the line above is the header to send with every API call"
else
    echo "demo: ornd failed with exit status $status" >&2
fi
exit "$status"
