#!/bin/sh
# SPDX-License-Identifier: MIT
# title: lwIP port: token fetch over lwIP's own TCP/IP (TAP in a network namespace)
#
# Runs build/host/lwip/ornd-lwip-demo (port/lwip/ornd_lwip.c, sockets API,
# NO_SYS 0, over lwIP 2.2.1's unix port) and build/host/lwip-nosys/
# ornd-lwip-raw-demo (port/lwip/ornd_lwip_raw.c, raw API, NO_SYS 1, a super
# loop), each blocking, then never blocking with ornd_token_poll() (the
# transports' connect_start), through the same cases, in a network namespace this script creates and removes: lwIP is 10.77.0.2
# on a TAP device whose kernel side is 10.77.0.1; the local identity server
# listens on 127.0.0.1 in the namespace, reached on 10.77.0.1 through
# tests/lwip/relay.py (the server binds loopback only). lwIP resolves
# "localhost" to 10.77.0.1 (port/lwip/host/lwipopts.h), so the test PKI's
# name check holds.
#
# Where network namespaces or TUN/TAP are not available (not root, no
# CAP_NET_ADMIN, no /dev/net/tun) the stage says SKIPPED loudly and counts
# nothing. Ends with "lwip: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."

SOCK_DEMO=build/host/lwip/ornd-lwip-demo
RAW_DEMO=build/host/lwip-nosys/ornd-lwip-raw-demo
CERTS=build/test-run/certs
RUN=build/test-run/lwip
PY=${PYTHON:-python3}
NS=ornd-lwip-$$
TAP=orndtap0
ID=lwip-device-7
SECRET='s3cr+t/=&% lwip'
SCOPES=flex.community.members.read,flex.community.checkins.create
LABEL=lwip
WHAT="lwIP-over-TAP integration test"
LIFETIME=90
. tests/stages/lib/tap-netns.sh

for d in "$SOCK_DEMO" "$RAW_DEMO"; do
    [ -x "$d" ] || setup_failed "$d not built (make lwip)"
done
tap_netns_up
echo "namespace $NS: $TAP 10.77.0.1/24 (kernel) <-> 10.77.0.2 (lwIP)"

# demo NAME SECRET URL [options]: run $DEMO in the namespace; sets RC.
demo() {
    name=$F-$1 secret=$2 url=$3
    shift 3
    inns env PRECONFIGURED_TAPIF="$TAP" ORND_CLIENT_ID="$ID" ORND_CLIENT_SECRET="$secret" \
        timeout 60 "$DEMO" --token-url "$url" --ca-file "$CERTS/ca.pem" \
        --scope flex.community.members.read "$@" $EXTRA >"$RUN/$name.stdout" 2>"$RUN/$name.stderr"
    RC=$?
}

show() { echo "  exit $RC; stdout: $(head -c 300 "$RUN/$F-$1.stdout")"; echo "  stderr: $(head -c 300 "$RUN/$F-$1.stderr")"; }


# cases: run every case with $DEMO, labelled $F
cases() {
    # 1. a token over lwIP's TCP/IP and TLS, header printed, server agrees
    if start_server $F-main; then
        URL=https://localhost:$PORT/oauth/token
        demo ok "$SECRET" "$URL"
        if [ "$RC" -eq 0 ] && grep -qE '^Authorization: Bearer [A-Za-z0-9_.-]{100,}$' "$RUN/$F-ok.stdout" &&
            check_log "$RUN/$F-main.jsonl" "$RUN/$F-ok.stdout" ok1; then
            ok "$F: token fetched over lwIP (TAP, TLS), Authorization header printed, server saw the right form"
        else
            nok "$F: token fetch over lwIP"; show ok
        fi

        # 2. three fetches, each on a new lwIP connection (close + reconnect)
        : >"$RUN/$F-main.jsonl"
        demo three "$SECRET" "$URL" --count 3
        if [ "$RC" -eq 0 ] && check_log "$RUN/$F-main.jsonl" "$RUN/$F-three.stdout" ok3; then
            ok "$F: three fetches on three lwIP connections, three distinct tokens"
        else
            nok "$F: three fetches over lwIP"; show three
        fi

        # 2b. the port clock wraps at 2^32 ms during the fetches
        : >"$RUN/$F-main.jsonl"
        demo wrap "$SECRET" "$URL" --count 3 --wrap-in-ms 20
        end=$(sed -n 's/.*port clock at the end \([0-9]*\)/\1/p' "$RUN/$F-wrap.stderr")
        if [ "$RC" -eq 0 ] && grep -q 'port clock now 42949' "$RUN/$F-wrap.stderr" &&
            [ -n "$end" ] && [ "$end" -lt 100000 ] &&
            check_log "$RUN/$F-main.jsonl" "$RUN/$F-wrap.stdout" ok3; then
            ok "$F: three fetches across the 32-bit wrap of the port clock (clock ${end} ms past the wrap at the end)"
        else
            nok "$F: fetches across the clock wrap"; show wrap
        fi

        # 3. wrong secret: rejected by the server, exit 4, invalid_client
        : >"$RUN/$F-main.jsonl"
        demo bad "wrong-secret" "$URL"
        if [ "$RC" -eq 4 ] && grep -q 'ORND_ERR_OAUTH_INVALID_CLIENT' "$RUN/$F-bad.stderr" &&
            grep -q 'server answered 401 invalid_client' "$RUN/$F-bad.stderr" &&
            check_log "$RUN/$F-main.jsonl" "$RUN/$F-bad.stdout" invalid_client; then
            ok "$F: wrong secret: exit 4, ORND_ERR_OAUTH_INVALID_CLIENT, server answered 401"
        else
            nok "$F: wrong secret"; show bad
        fi

        # 4. nothing listens on that port: the kernel resets, lwIP's connect fails
        demo refused "$SECRET" "https://localhost:1/oauth/token"
        if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_CONNECT' "$RUN/$F-refused.stderr"; then
            ok "$F: closed port: exit 3, ORND_ERR_CONNECT"
        else
            nok "$F: closed port"; show refused
        fi

        # 5. a name lwIP cannot resolve (no DNS server, not in its host table)
        demo nodns "$SECRET" "https://no-such-host.invalid:$PORT/oauth/token"
        if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_DNS' "$RUN/$F-nodns.stderr"; then
            ok "$F: unknown host name: exit 3, ORND_ERR_DNS"
        else
            nok "$F: unknown host name"; show nodns
        fi
    else
        nok "$F: identity server and relay did not start in the namespace"
    fi

    # 6. certificate signed by another CA: TLS refuses it, no request is sent
    if start_server $F-untrusted --fault cert_untrusted; then
        demo untrusted "$SECRET" "https://localhost:$PORT/oauth/token"
        if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_TLS_CERT' "$RUN/$F-untrusted.stderr" &&
            check_log "$RUN/$F-untrusted.jsonl" "$RUN/$F-untrusted.stdout" tls_error; then
            ok "$F: untrusted certificate: exit 3, ORND_ERR_TLS_CERT, no request sent"
        else
            nok "$F: untrusted certificate"; show untrusted
        fi
    else
        nok "$F: second identity server did not start"
    fi

    # 7. nobody has that address (no ARP answer): connect times out
    t0=$(date +%s)
    demo blackhole "$SECRET" "https://10.77.0.99:443/oauth/token" --timeout-ms 1000
    t=$(($(date +%s) - t0))
    if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_TIMEOUT' "$RUN/$F-blackhole.stderr" && [ "$t" -le 10 ]; then
        ok "$F: unanswered address: exit 3, ORND_ERR_TIMEOUT from connect after ${t} s"
    else
        nok "$F: unanswered address (took ${t} s)"; show blackhole
    fi

    # 8. the server reads the request and never answers: the port's receive
    #    times out (step timeout 1 s), the run ends within the client's bound
    if start_server $F-stall --fault stall; then
        t0=$(date +%s)
        demo stall "$SECRET" "https://localhost:$PORT/oauth/token" --timeout-ms 1000
        t=$(($(date +%s) - t0))
        if [ "$RC" -eq 3 ] && grep -q 'ORND_ERR_TIMEOUT' "$RUN/$F-stall.stderr" && [ "$t" -le 10 ]; then
            ok "$F: server stalls: exit 3, ORND_ERR_TIMEOUT after ${t} s (bound 3 x 1 s + slack)"
        else
            nok "$F: server stalls (took ${t} s)"; show stall
        fi
    else
        nok "$F: third identity server did not start"
    fi
}

F=sockets DEMO=$SOCK_DEMO EXTRA=
cases
# The sockets port never blocking: an application task's loop calling
# ornd_token_poll() once a pass (lwIP runs in its own thread).
F=sockets-poll DEMO=$SOCK_DEMO EXTRA="--poll 1"
cases
passes=$(sed -n 's/.*ORND_OK after \([0-9]*\) loop passes$/\1/p' "$RUN/sockets-poll-ok.stderr")
if [ -n "$passes" ] && [ "$passes" -ge 3 ]; then
    ok "sockets-poll: the fetch spanned $passes loop passes (the transport's connect_start)"
else
    nok "sockets-poll: loop passes during the fetch"; echo "  $(cat "$RUN/sockets-poll-ok.stderr")"
fi
F=raw DEMO=$RAW_DEMO EXTRA=
cases
# The raw port never blocking: the same cases with the demo's super loop
# calling ornd_token_poll() once a pass (lwIP runs between the passes).
F=raw-poll DEMO=$RAW_DEMO EXTRA="--poll 1"
cases
# ... and the loop went round while the fetch was under way, feeding lwIP
# the frames it waited for (handshake, answer) between the polled steps.
frames=$(sed -n 's/.*ORND_OK after \([0-9]*\) loop passes, \([0-9]*\) with a frame/\2/p' "$RUN/raw-poll-ok.stderr")
if [ -n "$frames" ] && [ "$frames" -ge 3 ]; then
    ok "raw-poll: the fetch spanned many loop passes, $frames of them feeding lwIP a frame"
else
    nok "raw-poll: loop passes during the fetch"; echo "  $(cat "$RUN/raw-poll-ok.stderr")"
fi

echo "lwip: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
