#!/bin/sh
# SPDX-License-Identifier: MIT
# title: README's example built outside the tree with pkg-config, CMake find_package and add_subdirectory, each run against the identity server
#
# tests/consumer/test_consumer.py: `make install` to a temporary prefix, the
# example built three ways in a temporary directory, each program's seven
# headers checked against the one token request the server saw.
# Last line: "consumer: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
certs=build/test-run/certs
mkdir -p build/test-run
for tool in "${CMAKE:-cmake}" "${PKG_CONFIG:-pkg-config}"; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "consumer: $tool not found (Debian packages cmake, pkg-config; .ci/run installs them)"
        echo "consumer: 0 passed, 1 failed"
        exit 1
    fi
done
sh scripts/make-test-pki.sh "$certs" >/dev/null || {
    echo "consumer: 0 passed, 1 failed"
    exit 1
}
out=$(ORND_TEST_CERTS=$certs "${PYTHON:-python3}" tests/consumer/test_consumer.py "$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if ! printf '%s\n' "$out" | tail -n 1 | grep -Eq '^consumer: [0-9]+ passed, [0-9]+ failed$'; then
    echo "consumer: 0 passed, 1 failed"
    exit 1
fi
exit "$rc"
