#!/bin/sh
# SPDX-License-Identifier: MIT
# `make demo`: a token, API calls and a door, against local servers.
#
# Makes the test PKI, starts tests/server/api_server.py on loopback (the
# OfficeRnD-like API and its identity server in one process) with one demo
# application, then:
#   1. `ornd token --format header` fetches a token and prints the header;
#   2. `ornd api` looks up three members' emails over one connection;
#   3. build/host/door, the example device program, handles two badge
#      events: a member (checked in, door opens) and a stranger.
# The server is stopped on exit; the script exits non-zero if a step fails.
# The demo secret is never printed.
set -eu
cd "$(dirname "$0")/.."

ornd=${ORND_BIN:-build/host/ornd}
certs=build/test-run/certs
run=build/test-run
client_id=demo-device
scope=flex.community.members.read

door=${DOOR_BIN:-build/host/door}
if [ ! -x "$ornd" ] || [ ! -x "$door" ]; then
    echo "demo: $ornd or $door not found; run make first" >&2
    exit 2
fi

sh scripts/make-test-pki.sh "$certs"
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

scopes=flex.community.members.read,flex.community.checkins.create,flex.community.checkins.read,flex.space.locations.read
ORND_DEMO_CLIENTS="$client_id:$secret:$scopes" \
    "${PYTHON:-python3}" tests/server/api_server.py --certs "$certs" --lifetime 60 \
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
id_port=$(sed -n 's/^IDENTITY \([0-9][0-9]*\)$/\1/p' "$out")
if [ -z "$port" ] || [ -z "$id_port" ]; then
    echo "demo: the local servers did not start" >&2
    exit 1
fi

url="https://localhost:$id_port/oauth/token"
api="https://localhost:$port/api/v2/organizations"
echo "demo: local identity server at $url, API at $api/test-org (pid $server_pid)"
echo "demo: application $client_id may use ${scopes}"
echo "demo:          (ORND_CLIENT_ID=$client_id, ORND_CLIENT_SECRET from the environment, not shown)"
export ORND_CLIENT_ID="$client_id"
common="--token-url $url --ca-file $certs/ca.pem"

echo
echo "demo: 1. a token: $ornd token --format header --scope $scope $common"
ORND_CLIENT_SECRET=$secret "$ornd" token --format header --scope "$scope" $common
echo "demo: ornd got a token; the line above is the header to send with every API call"

echo
echo "demo: 2. an API call, the emails picked out as the answer streams:"
echo "demo:    $ornd api GET '/members?\$limit=3' --select 'results[].email' --org test-org ..."
ORND_CLIENT_SECRET=$secret "$ornd" api GET '/members?$limit=3' --select 'results[].email' \
    --scope "$scope" --api-url "$api" --org test-org $common >"$run/demo-emails.txt"
cat "$run/demo-emails.txt"
location=$(ORND_CLIENT_SECRET=$secret "$ornd" api GET /locations --select 'results[]._id' \
    --scope flex.space.locations.read --api-url "$api" --org test-org $common 2>/dev/null | head -n 1)
member=$(head -n 1 "$run/demo-emails.txt")

echo
echo "demo: 3. the door at location $location; badges: $member, stranger@example.com"
printf '%s\nstranger@example.com\n' "$member" |
    ORND_CLIENT_SECRET=$secret ORND_ORG=test-org ORND_LOCATION=$location \
    ORND_TOKEN_URL=$url ORND_API_URL=$api ORND_CA_FILE=$certs/ca.pem "$door" | tee "$run/demo-door.txt"
grep -q "^door: OPEN for " "$run/demo-door.txt" && grep -q "^door: DENIED stranger@example.com" "$run/demo-door.txt"
echo
echo "demo: done"
