#!/bin/sh
# SPDX-License-Identifier: MIT
# What src/tls.c says about the mbedTLS it is compiled against:
#  - mbedTLS 2.28's headers (a stand-in version.h, mbedtls-2.28/) stop the
#    build with the message that names the version needed;
#  - mbedTLS 3.6 with its own default configuration, unchanged, passes
#    every check of the list of needed options;
#  - with each needed option taken out of that configuration, the build
#    stops with the #error that names the option.
# Last line: "mbedtls-check: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
MBEDTLS_DIR=${MBEDTLS_DIR:-build/deps/mbedtls-3.6.7}
CC=${CC:-cc}
OUT=build/test-run/mbedtls-check
mkdir -p "$OUT"
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $*"; }
bad() { failed=$((failed + 1)); echo "FAIL $*"; }

compile() { # compile LOG FLAGS...: src/tls.c, syntax only
    log=$1
    shift
    "$CC" -std=c11 -fsyntax-only -Iinclude "$@" src/tls.c >"$log" 2>&1
}

# 1. mbedTLS 2.28
if compile "$OUT/2.28.log" -isystem tests/mbedtls-check/mbedtls-2.28; then
    bad "mbedTLS 2.28 headers: src/tls.c compiled"
elif grep -q 'error: #error "ornd-lite needs mbedTLS 3.6 LTS or a later 3.x' "$OUT/2.28.log"; then
    ok "mbedTLS 2.28 headers: stopped by \"ornd-lite needs mbedTLS 3.6 LTS or a later 3.x\""
else
    bad "mbedTLS 2.28 headers: no message naming the version"
    cat "$OUT/2.28.log"
fi

# 2. the default configuration, unchanged
if compile "$OUT/default.log" -isystem "$MBEDTLS_DIR/include"; then
    ok "mbedTLS $(basename "$MBEDTLS_DIR") default configuration: src/tls.c compiles"
else
    bad "mbedTLS default configuration: src/tls.c does not compile"
    cat "$OUT/default.log"
fi

# 3. each needed option, taken out (MBEDTLS_USER_CONFIG_FILE is read after
# the default configuration).
for opt in $(sed -n 's/^#error "ornd-lite needs \(MBEDTLS_[A-Z0-9_]*\).*/\1/p' src/tls.c); do
    cfg=$OUT/without_$opt.h
    printf '/* SPDX-License-Identifier: MIT */\n#undef %s\n' "$opt" >"$cfg"
    # The TLS 1.2 / 1.3 pair is needed as "one of": take both out.
    [ "$opt" = MBEDTLS_SSL_PROTO_TLS1_2 ] && printf '#undef MBEDTLS_SSL_PROTO_TLS1_3\n' >>"$cfg"
    if compile "$OUT/without_$opt.log" -isystem "$MBEDTLS_DIR/include" \
        "-DMBEDTLS_USER_CONFIG_FILE=\"$(pwd)/$cfg\""; then
        bad "without $opt: src/tls.c compiled"
    elif grep -q "#error \"ornd-lite needs $opt" "$OUT/without_$opt.log"; then
        ok "without $opt: stopped by the #error naming it"
    else
        bad "without $opt: no #error naming it"
        cat "$OUT/without_$opt.log"
    fi
done
echo "mbedtls-check: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
