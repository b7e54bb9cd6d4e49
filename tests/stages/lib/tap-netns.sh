# SPDX-License-Identifier: MIT
# Shared by tests/stages/lwip.sh and tests/stages/qemu_net.sh (sourced, from
# the repository's top): a network namespace with a TAP device whose kernel
# side is 10.77.0.1/24 (the device under test is 10.77.0.2), the local
# identity server in it on loopback reached through tests/lwip/relay.py,
# the counting, and the check that the server's log agrees with what the
# device printed. The namespace and everything started in it are removed on
# exit. Where namespaces or TUN/TAP are not available the stage says
# SKIPPED loudly and counts nothing.
#
# The stage sets first: LABEL (its count line), WHAT (what a skip leaves
# untested), NS, TAP, ID, SECRET, SCOPES, RUN, CERTS, PY, LIFETIME (s).
passed=0
failed=0
pids=""

skip() {
    echo "*** SKIPPED: $WHAT NOT RUN: $* ***"
    echo "$LABEL: 0 passed, 0 failed (SKIPPED)"
    exit 0
}

# A prerequisite is missing: one failure, nothing else run.
setup_failed() {
    echo "FAIL - $*"
    echo "$LABEL: 0 passed, 1 failed"
    exit 1
}

ok() { passed=$((passed + 1)); echo "ok   - $*"; }
nok() { failed=$((failed + 1)); echo "FAIL - $*"; }

# (foreground only: a backgrounded function would leave $! naming a subshell)
inns() { ip netns exec "$NS" "$@"; }

cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
    ip netns exec "$NS" ip link del "$TAP" 2>/dev/null
    ip netns del "$NS" 2>/dev/null
}

# The namespace, the test PKI and the TAP device (10.77.0.1/24 on its
# kernel side), or a SKIPPED line.
tap_netns_up() {
    command -v ip >/dev/null 2>&1 || skip "the ip command (iproute2) is not installed"
    [ -c /dev/net/tun ] || skip "no /dev/net/tun (TUN/TAP driver unavailable)"
    rm -rf "$RUN"
    mkdir -p "$RUN"
    if ! ip netns add "$NS" 2>"$RUN/netns.err"; then
        skip "cannot create a network namespace (needs root / CAP_NET_ADMIN): $(cat "$RUN/netns.err")"
    fi
    trap cleanup EXIT
    trap 'exit 1' INT TERM HUP
    sh scripts/make-test-pki.sh "$CERTS" >/dev/null || setup_failed "test PKI"
    if ! { inns ip link set lo up &&
           inns ip tuntap add dev "$TAP" mode tap &&
           inns ip addr add 10.77.0.1/24 dev "$TAP" &&
           inns ip link set "$TAP" up; } 2>"$RUN/tap.err"; then
        skip "cannot create a TAP device in the namespace: $(cat "$RUN/tap.err")"
    fi
}

# wait_line FILE PATTERN: wait (10 s at most) for a line matching PATTERN.
wait_line() {
    i=0
    while [ $i -lt 100 ]; do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# relay PORT: forward 10.77.0.1:PORT to 127.0.0.1:PORT in the namespace.
relay() {
    ip netns exec "$NS" "$PY" tests/lwip/relay.py 10.77.0.1 "$1" "$LIFETIME" \
        >"$RUN/relay-$1" 2>&1 &
    pids="$pids $!"
    wait_line "$RUN/relay-$1" '^READY' || { cat "$RUN/relay-$1"; return 1; }
}

# server NAME SCRIPT [server options]: a local server of tests/server/ in the
# namespace, the device's credentials its only client; sets OUT (its
# stdout, with its port lines) and LOG.
server() {
    name=$1 script=$2
    shift 2
    LOG=$RUN/$name.jsonl
    OUT=$RUN/$name.out
    ip netns exec "$NS" env ORND_TEST_CLIENTS="$ID:$SECRET:$SCOPES" "$PY" "tests/server/$script" \
        --certs "$CERTS" --clients-env ORND_TEST_CLIENTS --log "$LOG" --lifetime "$LIFETIME" \
        --no-ipv6 "$@" >"$OUT" 2>"$RUN/$name.err" &
    pids="$pids $!"
    wait_line "$OUT" '^READY ' || { cat "$RUN/$name.err"; return 1; }
}

# start_server NAME [server options]: the identity server and its relay;
# sets PORT and LOG.
start_server() {
    sname=$1
    shift
    server "$sname" identity_server.py "$@" || return 1
    PORT=$(sed -n 's/^READY \([0-9]*\).*/\1/p' "$OUT")
    relay "$PORT"
}

# check_log LOG STDOUT EXPECT: the server log agrees with what the device
# printed (EXPECT: okN for N headers, invalid_client, tls_error, nothing:
# not even a connection).
check_log() {
    "$PY" - "$1" "$2" "$3" "$ID" "$SECRET" <<'PYEOF'
import base64, json, sys
log, out, expect, cid, secret = sys.argv[1:6]
recs = [json.loads(l) for l in open(log) if l.strip()]
reqs = [r for r in recs if "seq" in r and "form" in r]
conns = [r for r in recs if r.get("event") == "connect"]
if expect.startswith("ok"):
    n = int(expect[2:])
    headers = [l.rstrip("\n") for l in open(out)]
    assert len(headers) == n, ("headers printed", len(headers))
    assert len(reqs) == n, ("requests received", len(reqs))
    assert len(conns) == n and len({c["conn"] for c in conns}) == n, ("connections", conns)
    for c in conns:
        assert c.get("peer") == "127.0.0.1", c  # through the relay
        assert c.get("tls", "").startswith("TLSv1."), c
    for r, h in zip(reqs, headers):
        f = r["form"]
        assert f.get("grant_type") == "client_credentials", f
        assert f.get("client_id") == cid and f.get("client_secret") == secret, f
        assert f.get("scope") == "flex.community.members.read", f
        assert r["status"] == 200, r["status"]
        body = base64.b64decode(r["response_b64"]).split(b"\r\n\r\n", 1)[1]
        token = json.loads(body)["access_token"]
        assert h == "Authorization: Bearer " + token, "header differs from the token served"
    if n > 1:
        assert len(set(headers)) == n, "each fetch got its own token"
    expect += " (%s, %s, %s chain)" % (conns[0]["tls"], conns[0].get("cipher"), conns[0].get("chain"))
elif expect == "invalid_client":
    assert len(reqs) == 1 and reqs[0]["status"] == 401, reqs
    assert reqs[0]["form"].get("client_secret") != secret
    assert open(out).read() == "", "nothing printed on failure"
elif expect == "tls_error":
    assert not reqs, "no request may be sent over an untrusted connection"
    assert any(r.get("event") == "tls_error" for r in recs), recs
elif expect == "nothing":
    assert not reqs and not conns, "no connection at all: %s" % recs
    assert not any(r.get("event") == "tls_error" for r in recs), recs
    assert open(out).read() == "", "nothing printed"

print("server log agrees:", expect)
PYEOF
}
