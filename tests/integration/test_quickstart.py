# SPDX-License-Identifier: MIT
"""Integration tests of build/host/quickstart (boards/host/quickstart.c, the
program README.md quotes) against the local identity server
(tests/server/identity_server.py), over real TLS on loopback.

The point of the program is "initialise once, fetch many times": seven
calls of ornd_auth_header() on one client must cost one token request
(OfficeRnD allows 5 a minute), which the server's own log confirms. Also
checked: that README.md's code block is the file (tests/docs/readme_example.sh).

Loaded by test_token.py's runner (sh tests/integration/run.sh, counted in
`integration: N passed, M failed`); run alone, it ends with
`quickstart: N passed, M failed`.

Environment: QUICKSTART_BIN (default build/host/quickstart), ORND_TEST_CERTS
as for test_token.py.
"""
import os
import re
import subprocess
import sys
import time
import unittest
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "server"))
sys.path.insert(0, str(HERE))

import testlib  # noqa: E402
from test_token import (CA, CLIENT_ID, READ, RUN_LIMIT, SECRET, OrndTest, Result,  # noqa: E402
                        answer_sent, creds_env, ensure_certs, secret_forms)

_bin = Path(os.environ.get("QUICKSTART_BIN") or "build/host/quickstart")
QUICKSTART = _bin if _bin.is_absolute() else REPO / _bin
README_CHECK = REPO / "tests" / "docs" / "readme_example.sh"

LINE_RE = re.compile(r"^call (\d+): Authorization header, (\d+) bytes$")


class QuickstartTest(OrndTest):
    def setUp(self):
        if not os.access(QUICKSTART, os.X_OK):
            self.fail("quickstart not found or not executable: %s (build it with make)"
                      % QUICKSTART)

    def run_quickstart(self, server, *calls, env=None):
        cmd = [str(QUICKSTART), str(CA), server.url] + list(calls)
        start = time.monotonic()
        p = subprocess.run(cmd, env=env or creds_env(), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=RUN_LIMIT)
        r = Result(p.returncode, p.stdout, p.stderr, time.monotonic() - start, cmd)
        for form in secret_forms(SECRET):
            self.assertNotIn(form, r.out, "secret in stdout\n%s" % r)
            self.assertNotIn(form, r.err, "secret in stderr\n%s" % r)
        return r

    def assert_calls(self, r, record, count):
        """`count` lines, one per call, each the length of the header that
        carries the token the server sent; the token itself never printed."""
        self.assertEqual(r.code, 0, str(r))
        self.assertEqual(r.err, b"", str(r))
        token = answer_sent(record)[2]["access_token"]
        self.assertNotIn(token.encode("ascii"), r.out, str(r))
        header_len = len("Authorization: Bearer ") + len(token)
        lines = r.stdout.splitlines()
        self.assertEqual(len(lines), count, str(r))
        for i, line in enumerate(lines, 1):
            m = LINE_RE.match(line)
            self.assertIsNotNone(m, "line %r\n%s" % (line, r))
            self.assertEqual((int(m.group(1)), int(m.group(2))), (i, header_len), str(r))


class TestQuickstart(QuickstartTest):
    def test_seven_calls_one_token_request(self):
        """Seven headers from one client: one connection, one token request."""
        s = self.server()
        r = self.run_quickstart(s, "7")
        (req,) = self.assert_requests(s, 1, client_id=CLIENT_ID, secret=SECRET, scope=READ)
        self.assertEqual(req["outcome"], "granted")
        self.assertEqual(len(s.events("connect")), 1)
        self.assert_calls(r, req, 7)

    def test_default_is_seven_calls(self):
        s = self.server()
        r = self.run_quickstart(s)
        (req,) = self.assert_requests(s, 1)
        self.assert_calls(r, req, 7)

    def test_wrong_secret_one_request_then_stops(self):
        """A refused secret ends the run after the one request: nothing on
        stdout, the error named on stderr, exit 1."""
        s = self.server()
        r = self.run_quickstart(s, "7", env=creds_env(secret="wrong-" + SECRET))
        self.assertEqual(r.code, 1, str(r))
        self.assertEqual(r.out, b"", str(r))
        self.assertIn("ORND_ERR_OAUTH_INVALID_CLIENT", r.stderr)
        self.assertEqual(len(s.requests()), 1)
        for form in secret_forms("wrong-" + SECRET):
            self.assertNotIn(form, r.err, str(r))

    def test_usage(self):
        """Missing arguments or N < 1: exit 2 and a usage line, no request."""
        s = self.server()
        for args in ([], [str(CA)], [str(CA), s.url, "0"]):
            p = subprocess.run([str(QUICKSTART)] + args, env=creds_env(),
                               stdin=subprocess.DEVNULL, capture_output=True, timeout=RUN_LIMIT)
            self.assertEqual(p.returncode, 2, (args, p))
            self.assertEqual(p.stdout, b"", (args, p))
            self.assertIn(b"usage: quickstart", p.stderr, (args, p))
        self.assert_no_connection(s)


class TestReadme(unittest.TestCase):
    def test_readme_quotes_quickstart_c(self):
        """README.md's library example is boards/host/quickstart.c, byte for byte."""
        p = subprocess.run(["sh", str(README_CHECK)], cwd=REPO, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=RUN_LIMIT)
        self.assertEqual(p.returncode, 0, p.stdout.decode() + p.stderr.decode())


def main():
    ensure_certs()
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    return testlib.run("quickstart", suite)


if __name__ == "__main__":
    sys.exit(main())
