#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs json-check over the JSONTestSuite parsing cases in tests/json/suite/.
#
#   sh tests/json/run-suite.sh BIN
#
# BIN is the json-check binary. Every y_*.json must be accepted (exit 0) and
# every n_*.json rejected (exit 1), both fed one byte at a time (-c 1) and in
# 4096-byte pieces (-c 4096). Each failure is printed; the last line is
# "json-suite: N passed, M failed" and the exit status is non-zero if M > 0.
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
    echo "usage: sh tests/json/run-suite.sh JSON_CHECK_BINARY" >&2
    exit 2
fi
bin=$1
suite=$(dirname "$0")/suite
passed=0
failed=0

# check FILE CHUNK EXPECTED_STATUS
check() {
    "$bin" -c "$2" < "$1" > /dev/null 2>&1
    status=$?
    if [ "$status" -eq "$3" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $(basename "$1") -c $2: exit $status, expected $3"
    fi
}

found=0
for f in "$suite"/y_*.json "$suite"/n_*.json; do
    [ -f "$f" ] || continue
    found=1
    case $(basename "$f") in
        y_*) want=0 ;;
        *) want=1 ;;
    esac
    check "$f" 1 "$want"
    check "$f" 4096 "$want"
done

if [ "$found" -eq 0 ]; then
    echo "no test files in $suite" >&2
    failed=$((failed + 1))
fi
echo "json-suite: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
