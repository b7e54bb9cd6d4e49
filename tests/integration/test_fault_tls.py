# SPDX-License-Identifier: MIT
"""The fault sweep over real TLS: build/host/tests/fault_tls
(tests/integration/fault_tls.c) fetches tokens from the local identity
server through the fault-injecting transport of tests/faults/ wrapped around
the POSIX port, blocking and polled (a server each), with each fault at each transport call
of the exchange: success or a documented error within the deadline, the
static mbedTLS pool back to its level after every client, and the client
fetching again after its back-off.

Loaded by test_token.py's runner (sh tests/integration/run.sh); run alone,
it ends with `fault-tls: N passed, M failed`.

Environment: FAULT_TLS_BIN (default build/host/tests/fault_tls),
ORND_TEST_CERTS as for test_token.py.
"""
import os
import re
import subprocess
import sys
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "server"))
sys.path.insert(0, str(HERE))

import testlib  # noqa: E402
from test_token import CA, OrndTest, creds_env, ensure_certs  # noqa: E402

_bin = Path(os.environ.get("FAULT_TLS_BIN") or "build/host/tests/fault_tls")
FAULT_TLS = _bin if _bin.is_absolute() else REPO / _bin


class FaultTlsTest(OrndTest):
    def setUp(self):
        if not os.access(FAULT_TLS, os.X_OK):
            self.fail("fault_tls not found or not executable: %s (make test builds it)"
                      % FAULT_TLS)

    def sweep(self, mode):
        s = self.server()  # a server per mode: each lives SERVER_LIFETIME seconds
        p = subprocess.run([str(FAULT_TLS), str(CA), s.url, mode], env=creds_env(),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
        out = p.stdout.decode(errors="replace")
        err = p.stderr.decode(errors="replace")
        sys.stdout.write(out)
        m = re.search(r"fault-tls: (\d+) passed, (\d+) failed", out)
        self.assertIsNotNone(m, out + err)
        self.assertEqual(p.returncode, 0, out + err)
        self.assertEqual(int(m.group(2)), 0, err)
        self.assertGreater(int(m.group(1)), 50, out)
        # the server saw requests: the fetches were real
        self.assertGreater(len(s.requests()), 50)

    def test_every_fault_at_every_call_of_a_blocking_tls_token_fetch(self):
        """Each fault at each call of a blocking fetch: documented outcome, no leak."""
        self.sweep("blocking")

    def test_every_fault_at_every_call_of_a_polled_tls_token_fetch(self):
        """Each fault at each call of a polled fetch: documented outcome, no leak."""
        self.sweep("polled")


def main():
    ensure_certs()
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    return testlib.run("fault-tls", suite)


if __name__ == "__main__":
    sys.exit(main())
