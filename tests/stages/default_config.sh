#!/bin/sh
# SPDX-License-Identifier: MIT
# title: mbedTLS's own default configuration: integration tests against build/host-default/ornd, the needed version and options checked
#
# build/host-default/ (mk/host-default.mk) is the library and the tool built
# against mbedTLS 3.6 with mbedTLS's default configuration, unchanged: its
# own entropy and calloc/free, no opt-in. Runs the integration tests of the
# tool (tests/integration/test_token.py and test_api.py, every class that
# runs the tool; not the door, quickstart, token_race, valgrind or pool-peak
# cases, which run other programs or measure the static pool) with ORND_BIN
# pointing at that tool, then tests/mbedtls-check/check.sh (mbedTLS 2.28
# refused by name, each needed option's #error).
# Last line: "default-config: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
TOOL=build/host-default/ornd
certs=build/test-run/certs
passed=0
failed=0
count() { # count OUTPUT RC: add the last "N passed, M failed" of OUTPUT
    line=$(printf '%s\n' "$1" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    p=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    p=${p:-0}
    f=${f:-0}
    if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
}

if [ ! -x "$TOOL" ]; then
    echo "default-config: $TOOL not built (make host-default)"
    echo "default-config: 0 passed, 1 failed"
    exit 1
fi
mkdir -p build/test-run
sh scripts/make-test-pki.sh "$certs" >/dev/null || {
    echo "default-config: 0 passed, 1 failed"
    exit 1
}
out=$(ORND_BIN=$TOOL ORND_TEST_CERTS=$certs "${PYTHON:-python3}" tests/integration/test_token.py \
    .TestSuccess. .TestDelivery. .TestRejected. .TestUsage. .TestNetwork. .TestMalformed. \
    .TestTryLater. .TestControl. .TestPolled. .TestKeepAlive. .TestTokens. .TestAnswers. \
    .TestCheckins. TestSelect.test_all_pages TestSelect.test_bad_select 2>&1)
rc=$?
printf '%s\n' "$out"
count "$out" "$rc"

out=$(sh tests/mbedtls-check/check.sh 2>&1)
rc=$?
printf '%s\n' "$out"
count "$out" "$rc"

echo "default-config: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
