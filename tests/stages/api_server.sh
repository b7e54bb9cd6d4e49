#!/bin/sh
# SPDX-License-Identifier: MIT
# title: local API server self-tests (tests/server/api_server.py, Python client)
#
# Checks what the local OfficeRnD-like API server claims (keep-alive, idle
# close, TLS 1.2/1.3 resumption counted, cursor paging, 401/403/429/503,
# revocation, check-in, faults, counters) with Python's http.client and ssl.
# Last line: "api-server: N passed, M failed"; exit status non-zero on failure.
set -u
cd "$(dirname "$0")/../.."
certs=build/test-run/certs
mkdir -p build/test-run
sh scripts/make-test-pki.sh "$certs" || {
    echo "api-server: 0 passed, 1 failed"
    exit 1
}
out=$(ORND_TEST_CERTS=$certs "${PYTHON:-python3}" tests/server/test_api_server.py "$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if ! printf '%s\n' "$out" | tail -n 1 | grep -Eq '^api-server: [0-9]+ passed, [0-9]+ failed$'; then
    # The test program died before counting: report it as one failure.
    echo "api-server: 0 passed, 1 failed"
    exit 1
fi
exit "$rc"
