#!/bin/sh
# SPDX-License-Identifier: MIT
# Integration tests of the host tool against the local identity server.
#
#   sh tests/integration/run.sh [TEST-NAME-PART...]
#
# Makes the throwaway test PKI in build/test-run/certs, then runs
# tests/integration/test_token.py (ORND_BIN, ORND_VALGRIND=1 are honoured),
# whose runner also loads every other test_*.py here (test_api.py,
# test_quickstart.py) and counts them all in one line.
set -eu
cd "$(dirname "$0")/../.."
certs=build/test-run/certs
sh scripts/make-test-pki.sh "$certs"
ORND_TEST_CERTS=$certs exec "${PYTHON:-python3}" tests/integration/test_token.py "$@"
