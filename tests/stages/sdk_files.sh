#!/bin/sh
# SPDX-License-Identifier: MIT
# title: ESP-IDF component and Zephyr module, without their SDKs: every file they name exists, their sources are mk/sources.mk's
#
# tests/sdk/test_sdk_files.py (neither SDK is in Debian's archive, so
# neither is built here). Last line: "sdk-files: N passed, M failed".
set -u
cd "$(dirname "$0")/../.."
out=$("${PYTHON:-python3}" tests/sdk/test_sdk_files.py "$@" 2>&1)
rc=$?
printf '%s\n' "$out"
if ! printf '%s\n' "$out" | tail -n 1 | grep -Eq '^sdk-files: [0-9]+ passed, [0-9]+ failed$'; then
    echo "sdk-files: 0 passed, 1 failed"
    exit 1
fi
exit "$rc"
