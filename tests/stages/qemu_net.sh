#!/bin/sh
# SPDX-License-Identifier: MIT
# title: network firmware on a Cortex-M4: token over QEMU's LAN9118, lwIP and TLS (TAP in a network namespace)
#
# Runs build/mps2-an386/netfw.elf (boards/mps2-an386/netfw.c: the board's
# LAN9118 driver, lwIP 2.2.1 NO_SYS 1, port/lwip/ornd_lwip_raw.c, mbedTLS)
# in qemu-system-arm -M mps2-an386 with its Ethernet on a TAP device, in a
# network namespace this script creates and removes: the firmware is
# 10.77.0.2 on the TAP, whose kernel side is 10.77.0.1; the local identity
# server listens on 127.0.0.1 in the namespace and is reached on 10.77.0.1
# through tests/lwip/relay.py (the server binds loopback only). The
# firmware's configuration maps "localhost" to 10.77.0.1 (host=...), so the
# test PKI's name check holds. It reads its configuration, the CA and its
# entropy (the host's /dev/urandom, a test crutch) over semihosting.
#
# The firmware's wall clock comes from tests/server/sntp_server.py, an SNTP
# (NTP v4) server in the namespace: 10.77.0.1 serves the host's time,
# 10.77.0.3 never answers, 10.77.0.4 says it is 2100. The certificate date
# checks (expired and not-yet-valid leaves, an expired intermediate, a
# valid chain) run against that clock, and without a time nothing is sent.
#
# Where network namespaces or TUN/TAP are not available (not root, no
# CAP_NET_ADMIN, no /dev/net/tun) the stage says SKIPPED loudly and counts
# nothing. Ends with "qemu-net: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."

FW=build/mps2-an386/netfw.elf
QEMU=${QEMU_ARM:-qemu-system-arm}
CERTS=build/test-run/certs
RUN=build/test-run/qemu-net
PY=${PYTHON:-python3}
NS=ornd-qnet-$$
TAP=orndqtap0
ID=qemu-device-3
SECRET='s3cr+t/=&% qemu'
SCOPES=flex.community.members.read,flex.community.checkins.create
LABEL=qemu-net
WHAT="network firmware under QEMU (LAN9118 on a TAP)"
LIFETIME=120
. tests/stages/lib/tap-netns.sh

[ -f "$FW" ] || setup_failed "$FW not built (make BOARD=mps2-an386)"
command -v "$QEMU" >/dev/null 2>&1 || setup_failed "$QEMU not found (Debian package qemu-system-arm)"
tap_netns_up
"$QEMU" --version | head -n 1
echo "namespace $NS: $TAP 10.77.0.1/24 (kernel) <-> 10.77.0.2 (firmware in QEMU, LAN9118)"

# SNTP servers on the TAP's kernel side: the host's time, a silent one,
# one that says 2100-01-01.
inns ip addr add 10.77.0.3/24 dev "$TAP" && inns ip addr add 10.77.0.4/24 dev "$TAP" ||
    setup_failed "second and third TAP addresses"
sntp_server() {
    name=$1 addr=$2
    shift 2
    ip netns exec "$NS" "$PY" tests/server/sntp_server.py --bind "$addr" --log "$RUN/$name.jsonl" \
        --lifetime 900 "$@" >"$RUN/$name.out" 2>&1 &
    pids="$pids $!"
    wait_line "$RUN/$name.out" '^READY' || setup_failed "SNTP server $name: $(cat "$RUN/$name.out")"
}
sntp_server sntp 10.77.0.1
sntp_server sntp-silent 10.77.0.3 --silent
sntp_server sntp-2100 10.77.0.4 --time 4102444800

# fw NAME SECRET URL [key=value ...]: write the firmware's configuration and
# run it in QEMU in the namespace (60 s at most); sets RC and SECS.
fw() {
    name=$1 secret=$2 url=$3
    shift 3
    cfg=$RUN/$name.conf
    {
        echo "# netfw configuration written by tests/stages/qemu_net.sh"
        echo "url=$url"
        echo "client_id=$ID"
        echo "client_secret=$secret"
        echo "scope=flex.community.members.read"
        echo "ca_file=$CERTS/ca.pem"
        echo "ip=10.77.0.2"
        echo "netmask=255.255.255.0"
        echo "gateway=10.77.0.1"
        echo "host=localhost=10.77.0.1"
        echo "sntp=10.77.0.1"
        echo "sntp_wait_ms=5000"
        for kv in "$@"; do echo "$kv"; done
    } >"$cfg"
    t0=$(date +%s)
    inns timeout 60 "$QEMU" -M mps2-an386 -nographic -monitor none -serial null \
        -semihosting-config enable=on,target=native,arg=netfw,arg="$cfg" \
        -nic tap,ifname="$TAP",script=no,downscript=no,model=lan9118 \
        -kernel "$FW" >"$RUN/$name.stdout" 2>"$RUN/$name.stderr"
    RC=$?
    SECS=$(($(date +%s) - t0))
}

show() { echo "  exit $RC after ${SECS} s; stdout: $(head -c 300 "$RUN/$1.stdout")"; sed 's/^/  stderr: /' "$RUN/$1.stderr" | head -n 20; }


# 1. a token over the emulated Ethernet, lwIP's TCP/IP and TLS
if start_server main; then
    URL=https://localhost:$PORT/oauth/token
    fw ok "$SECRET" "$URL"
    if [ "$RC" -eq 0 ] && grep -qE '^Authorization: Bearer [A-Za-z0-9_.-]{100,}$' "$RUN/ok.stdout" &&
        grep -q 'entropy: the host.s /dev/urandom' "$RUN/ok.stderr" &&
        check_log "$RUN/main.jsonl" "$RUN/ok.stdout" ok1; then
        ok "token fetched by the firmware over LAN9118 + lwIP + TLS, header printed matches the token the server logged (${SECS} s)"
    else
        nok "token fetch by the firmware"; show ok
    fi
    sed -n 's/^netfw: /  /p' "$RUN/ok.stderr"
    # 1a. its time came from the SNTP server, before the handshake: the
    #     clock it printed is the one served (NTP v4, client mode, from the
    #     firmware's address, answered)
    if "$PY" - "$RUN/sntp.jsonl" "$RUN/ok.stderr" <<'PYEOF'
import json, re, sys
recs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
reqs = [r for r in recs if r["event"] == "request"]
answers = [r for r in recs if r["event"] == "answer"]
assert reqs and all(r["peer"] == "10.77.0.2" and r["version"] == 4 and r["mode"] == 3 for r in reqs), reqs
assert answers, recs
assert len({r["transmit"] for r in reqs}) == len(reqs), "each request stamped at random"
err = open(sys.argv[2]).read()
m = re.search(r"^netfw: time from SNTP server 10\.77\.0\.1: unix (\d+) after \d+ ms; "
              r"asked again every 3600 s", err, re.M)
assert m, err
got = int(m.group(1))
assert any(abs(got - a["unix"]) <= 2 for a in answers), (got, answers)
assert err.index("time from SNTP") < err.index("ornd_token_poll"), "the time came first"
print("SNTP: %d request(s), the firmware's clock %d matches the time served" % (len(reqs), got))
PYEOF
    then
        ok "the firmware took its time from the SNTP server (NTP v4) before its first handshake"
    else
        nok "time from SNTP"; show ok
    fi
    # 1b. that fetch never blocked the firmware's super loop: many passes,
    #     lwIP fed the frames it waited for between the polled steps
    frames=$(sed -n 's/^netfw: ornd_token_poll: ORND_OK after [0-9]* loop passes, \([0-9]*\) with a frame$/\1/p' "$RUN/ok.stderr")
    if [ -n "$frames" ] && [ "$frames" -ge 3 ]; then
        ok "the fetch ran from the super loop with ornd_token_poll(), $frames passes feeding lwIP a frame"
    else
        nok "super loop passes during the fetch"; show ok
    fi

    # 1c. the same with the blocking call (the port's poll hook runs lwIP)
    : >"$RUN/main.jsonl"
    fw block "$SECRET" "$URL" mode=block
    if [ "$RC" -eq 0 ] && ! grep -q 'ornd_token_poll' "$RUN/block.stderr" &&
        check_log "$RUN/main.jsonl" "$RUN/block.stdout" ok1; then
        ok "token fetched with the blocking ornd_auth_header() on the target (${SECS} s)"
    else
        nok "blocking fetch on the target"; show block
    fi

    # 2. three fetches, each on a new connection (close + reconnect)
    : >"$RUN/main.jsonl"
    fw three "$SECRET" "$URL" count=3
    if [ "$RC" -eq 0 ] && check_log "$RUN/main.jsonl" "$RUN/three.stdout" ok3; then
        ok "three fetches on three connections, three distinct tokens (${SECS} s)"
    else
        nok "three fetches"; show three
    fi

    # 2b. a TLS 1.2 server with an RSA-2048 certificate
    if start_server tls12 --tls 1.2 --fault cert_rsa@1; then
        fw tls12 "$SECRET" "https://localhost:$PORT/oauth/token"
        if [ "$RC" -eq 0 ] && check_log "$RUN/tls12.jsonl" "$RUN/tls12.stdout" ok1 &&
            grep -q '"tls": "TLSv1.2"' "$RUN/tls12.jsonl" && grep -q '"chain": "server-rsa"' "$RUN/tls12.jsonl"; then
            ok "TLS 1.2 server with an RSA-2048 certificate: token fetched (${SECS} s)"
        else
            nok "TLS 1.2 and RSA"; show tls12
        fi
    else
        nok "TLS 1.2 identity server did not start"
    fi

    # 3. wrong secret: the server answers 401 invalid_client, exit 4
    : >"$RUN/main.jsonl"
    fw bad "wrong-secret" "$URL"
    if [ "$RC" -eq 4 ] && grep -q 'ORND_ERR_OAUTH_INVALID_CLIENT' "$RUN/bad.stderr" &&
        grep -q 'server answered 401 invalid_client' "$RUN/bad.stderr" &&
        check_log "$RUN/main.jsonl" "$RUN/bad.stdout" invalid_client; then
        ok "wrong secret: exit 4, ORND_ERR_OAUTH_INVALID_CLIENT, server answered 401"
    else
        nok "wrong secret"; show bad
    fi

    # 4. server down: nothing listens on that port, the kernel resets
    fw down "$SECRET" "https://localhost:1/oauth/token" timeout_ms=2000
    if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_CONNECT' "$RUN/down.stderr" && [ "$SECS" -le 10 ]; then
        ok "server down (port closed): exit 3, ORND_ERR_CONNECT after ${SECS} s"
    else
        nok "server down (took ${SECS} s)"; show down
    fi
else
    nok "identity server and relay did not start in the namespace"
fi

# 5. server unreachable: nobody has that address (no ARP answer), connect
#    times out within the step timeout
fw unreachable "$SECRET" "https://10.77.0.99:443/oauth/token" timeout_ms=1000
if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_TIMEOUT' "$RUN/unreachable.stderr" && [ "$SECS" -le 10 ]; then
    ok "server unreachable: exit 3, ORND_ERR_TIMEOUT after ${SECS} s (fetch bound 3 x 1 s)"
else
    nok "server unreachable (took ${SECS} s)"; show unreachable
fi

# 6. a certificate of another CA: refused on the target, no request sent
if start_server untrusted --fault cert_untrusted; then
    fw untrusted "$SECRET" "https://localhost:$PORT/oauth/token"
    if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_TLS_CERT' "$RUN/untrusted.stderr" &&
        check_log "$RUN/untrusted.jsonl" "$RUN/untrusted.stdout" tls_error; then
        ok "untrusted certificate: exit 3, ORND_ERR_TLS_CERT, no request sent"
    else
        nok "untrusted certificate"; show untrusted
    fi
else
    nok "second identity server did not start"
fi

# 6b. certificate dates, checked on the target against the SNTP time: an
#     expired leaf, a not-yet-valid one, an expired intermediate are
#     refused before any request (the secret never leaves the device)
for c in "cert_expired:expired leaf" "cert_future:not-yet-valid leaf" \
         "cert_int_expired:leaf under an expired intermediate"; do
    fault=${c%%:*} what=${c#*:}
    if start_server "$fault" --fault "$fault"; then
        fw "$fault" "$SECRET" "https://localhost:$PORT/oauth/token"
        if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_TLS_CERT_EXPIRED' "$RUN/$fault.stderr" &&
            check_log "$RUN/$fault.jsonl" "$RUN/$fault.stdout" tls_error; then
            ok "$what: refused on the target (ORND_ERR_TLS_CERT_EXPIRED), no request sent"
        else
            nok "$what"; show "$fault"
        fi
    else
        nok "identity server ($fault) did not start"
    fi
done
# 6c. a valid chain through an intermediate is accepted
if start_server chain --fault cert_chain; then
    fw chain "$SECRET" "https://localhost:$PORT/oauth/token"
    if [ "$RC" -eq 0 ] && check_log "$RUN/chain.jsonl" "$RUN/chain.stdout" ok1 &&
        grep -q '"chain": "chained"' "$RUN/chain.jsonl"; then
        ok "valid leaf and intermediate: token fetched"
    else
        nok "valid chain through an intermediate"; show chain
    fi
else
    nok "identity server (cert_chain) did not start"
fi
# 6d. the SNTP server says 2100: today's valid certificate has expired by
#     the firmware's clock (the dates are checked against the SNTP time)
if start_server in2100; then
    fw in2100 "$SECRET" "https://localhost:$PORT/oauth/token" sntp=10.77.0.4
    if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_TLS_CERT_EXPIRED' "$RUN/in2100.stderr" &&
        grep -q 'time from SNTP server 10.77.0.4: unix 41024448' "$RUN/in2100.stderr" &&
        check_log "$RUN/in2100.jsonl" "$RUN/in2100.stdout" tls_error; then
        ok "SNTP says 2100: a certificate valid today is refused as expired, no request sent"
    else
        nok "dates against the SNTP time (2100)"; show in2100
    fi
else
    nok "identity server (2100) did not start"
fi

# 6e. no SNTP answer: the time is unknown, the firmware connects nowhere
#     and says why (exit 6: try later)
if start_server notime; then
    fw notime "$SECRET" "https://localhost:$PORT/oauth/token" sntp=10.77.0.3 sntp_wait_ms=3000
    if [ "$RC" -eq 6 ] && grep -q 'ORND_ERR_TIME_UNKNOWN' "$RUN/notime.stderr" &&
        grep -q 'no SNTP answer from 10.77.0.3 within 3000 ms' "$RUN/notime.stderr" &&
        grep -q 'give the platform a unix_time' "$RUN/notime.stderr" &&
        grep -q '"peer": "10.77.0.2"' "$RUN/sntp-silent.jsonl" &&
        check_log "$RUN/notime.jsonl" "$RUN/notime.stdout" nothing; then
        ok "no SNTP answer: ORND_ERR_TIME_UNKNOWN, exit 6, nothing sent to the identity server"
    else
        nok "no SNTP answer"; show notime
    fi
    # 6f. the same with the INSECURE opt-in: it connects without time and says so
    : >"$RUN/notime.jsonl"
    fw optin "$SECRET" "https://localhost:$PORT/oauth/token" sntp=10.77.0.3 sntp_wait_ms=3000 \
        insecure_accept_unknown_time=1
    if [ "$RC" -eq 0 ] && grep -q 'certificate dates are NOT checked' "$RUN/optin.stderr" &&
        check_log "$RUN/notime.jsonl" "$RUN/optin.stdout" ok1; then
        ok "insecure_accept_unknown_time=1: token fetched without a time, and it says dates are not checked"
    else
        nok "opt-in without time"; show optin
    fi
else
    nok "identity server (no time) did not start"
fi

# 6g. the clock is refreshed: with sntp_refresh_s=15 and the network run
#     17 s more after the fetch, lwIP's SNTP client asks again and the
#     answer sets the clock (the board's default interval is 3600 s)
before=$(grep -c '"event": "answer"' "$RUN/sntp.jsonl")
if start_server refresh; then
    fw refresh "$SECRET" "https://localhost:$PORT/oauth/token" sntp_refresh_s=15 linger_ms=17000
    after=$(grep -c '"event": "answer"' "$RUN/sntp.jsonl")
    if [ "$RC" -eq 0 ] && grep -q 'asked again every 15 s' "$RUN/refresh.stderr" &&
        grep -q '^netfw: SNTP answers taken: 2$' "$RUN/refresh.stderr" &&
        [ $((after - before)) -eq 2 ] && check_log "$RUN/refresh.jsonl" "$RUN/refresh.stdout" ok1; then
        ok "the clock is refreshed: a second SNTP request 15 s after the first, answered and taken (${SECS} s)"
    else
        nok "SNTP refresh (answers served: $((after - before)))"; show refresh
    fi
else
    nok "identity server (refresh) did not start"
fi

# 6h. the offline firmware's placeholder entropy is not in netfw.elf (its
#     entropy is the platform's member, the semihosting test crutch)
NM=${ARM_NM:-arm-none-eabi-nm}
if "$NM" build/mps2-an386/firmware.elf | grep -q ' insecure_entropy$' &&
    ! "$NM" "$FW" | grep -q 'insecure_entropy\|mps2_platform' &&
    "$NM" "$FW" | grep -q ' crutch_entropy$'; then
    ok "netfw.elf links no placeholder entropy (firmware.elf's); its entropy is crutch_entropy"
else
    nok "placeholder entropy in netfw.elf"
fi

# 7. the server accepts and never answers: the receive times out, bounded
#    by the client's 3 x step timeout
if start_server stall --fault stall; then
    fw stall "$SECRET" "https://localhost:$PORT/oauth/token" timeout_ms=1000
    if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_TIMEOUT' "$RUN/stall.stderr" && [ "$SECS" -le 10 ]; then
        ok "server stalls: exit 3, ORND_ERR_TIMEOUT after ${SECS} s (bound 3 x 1 s + slack)"
    else
        nok "server stalls (took ${SECS} s)"; show stall
    fi
else
    nok "third identity server did not start"
fi

# 8. then an API request: the firmware fetches a token and GETs a members
#    page over a second connection (polled from its super loop, then with
#    the blocking call), printing each results[].email as the answer
#    streams: the same emails the host tool gets from the same server
relays=0
if server api api_server.py; then
    IDP=$(sed -n 's/^IDENTITY \([0-9]*\).*/\1/p' "$OUT")
    APIP=$(sed -n 's/^READY \([0-9]*\).*/\1/p' "$OUT")
    relay "$IDP" && relay "$APIP" && relays=2
fi
if [ "$relays" -eq 2 ]; then
    inns env ORND_CLIENT_ID="$ID" ORND_CLIENT_SECRET="$SECRET" build/host/ornd api GET \
        '/members?$limit=3' --select 'results[].email' --scope flex.community.members.read \
        --token-url "https://localhost:$IDP/oauth/token" \
        --api-url "https://localhost:$APIP/api/v2/organizations" --org test-org \
        --ca-file "$CERTS/ca.pem" >"$RUN/api-host.stdout" 2>"$RUN/api-host.stderr"
    for mode in poll block; do
        fw "api-$mode" "$SECRET" "https://localhost:$IDP/oauth/token" "mode=$mode" \
            "api_url=https://localhost:$APIP/api/v2/organizations" org=test-org \
            'api_get=/members?$limit=3'
        sed -n 's/^email: //p' "$RUN/api-$mode.stdout" >"$RUN/api-$mode.emails"
        if [ "$RC" -eq 0 ] && [ "$(wc -l <"$RUN/api-$mode.emails")" -eq 3 ] &&
            cmp -s "$RUN/api-$mode.emails" "$RUN/api-host.stdout" &&
            grep -q 'GET /members?$limit=3: ORND_OK, HTTP 200' "$RUN/api-$mode.stderr" &&
            { [ "$mode" = block ] || grep -q '^netfw: ornd_api_poll: ORND_OK after' "$RUN/api-$mode.stderr"; }; then
            ok "API request from the firmware ($mode): token, then GET /members, 3 emails picked out as it streamed, the same as the host tool's"
        else
            nok "API request from the firmware ($mode)"; show "api-$mode"
            echo "  host tool: $(cat "$RUN/api-host.stdout" "$RUN/api-host.stderr" | head -c 300)"
        fi
    done
else
    nok "API server and relays did not start"
fi

echo "qemu-net: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
