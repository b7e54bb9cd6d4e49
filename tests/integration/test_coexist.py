# SPDX-License-Identifier: MIT
"""The library beside a program that uses mbedTLS on its own
(tests/coexist/coexist.c), against the local identity server over TLS on
loopback. The program calls psa_generate_random() before the client's init,
parses its own CA certificate (freed only after the client is released) and
makes its own verified TLS connection before, between the steps of a polled
token fetch, and after it. Every step must succeed, in both builds:

  build/host-default/coexist      mbedTLS's default configuration, no opt-in:
                                  the opt-ins are refused (ORND_ERR_TLS_SETUP),
                                  mbedTLS allocates with calloc/free
  build/host/tests/coexist-pool   the host configuration with the static pool
                                  and the platform RNG: the program's own
                                  objects share the pool; its peak is printed

The server's log must show the program's own requests and exactly one token
request. Loaded by test_token.py's runner; environment: COEXIST_BIN,
COEXIST_POOL_BIN (defaults above).
"""
import base64
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

from test_token import CA, CLIENT_ID, READ, RUN_LIMIT, SECRET, OrndTest, creds_env  # noqa: E402


def _bin(env, default):
    p = Path(os.environ.get(env) or default)
    return p if p.is_absolute() else REPO / p


DEFAULT_BIN = _bin("COEXIST_BIN", "build/host-default/coexist")
POOL_BIN = _bin("COEXIST_POOL_BIN", "build/host/tests/coexist-pool")


class TestCoexist(OrndTest):
    def run_coexist(self, binary):
        if not os.access(binary, os.X_OK):
            self.fail("%s not built (make coexist)" % binary)
        s = self.server()
        p = subprocess.run([str(binary), str(CA), s.url], env=creds_env(),
                           stdin=subprocess.DEVNULL, capture_output=True, timeout=RUN_LIMIT)
        out = p.stdout.decode()
        self.assertEqual(p.returncode, 0, out + p.stderr.decode())
        self.assertNotIn("FAILED", out)
        lines = out.splitlines()
        self.assertEqual(lines[-1], "coexist: all steps ok", out)
        steps = [line.split(":", 1)[0] for line in lines[:-1]]
        for name in ("psa-random before init", "own-cert", "own-tls before", "client-init",
                     "own-tls during", "polled-fetch", "own-tls after", "header",
                     "own-cert-free", "memory"):
            self.assertIn(name, steps, out)
        # psa_generate_random() and the program's own connection before the
        # client's init; its own connection between the fetch's steps.
        self.assertLess(steps.index("psa-random before init"), steps.index("client-init"))
        self.assertLess(steps.index("own-tls before"), steps.index("client-init"))
        first_during = steps.index("own-tls during")
        self.assertLess(steps.index("client-init"), first_during)
        self.assertLess(first_during, steps.index("polled-fetch"))
        self.assertLess(steps.index("polled-fetch"), steps.index("own-tls after"))
        during = steps.count("own-tls during")
        m = re.search(r"own connections between them: (\d+)", out)
        self.assertEqual(int(m.group(1)), during, out)

        # What the server saw: the program's own requests, in order, and one
        # token request, granted, from the client.
        paths = []
        tokens = []
        for r in s.requests():
            line = base64.b64decode(r["raw_b64"]).split(b"\r\n", 1)[0].decode()
            if line.startswith("GET /coexist/"):
                paths.append(line.split()[1])
                self.assertEqual(r["outcome"], "not_found", r)
            else:
                tokens.append(r)
        self.assertEqual(paths, ["/coexist/before"] + ["/coexist/during"] * during
                         + ["/coexist/after"])
        self.assertEqual(len(tokens), 1, tokens)
        self.assertEqual(tokens[0]["outcome"], "granted")
        self.assert_request(tokens[0], s.port, client_id=CLIENT_ID, secret=SECRET, scope=READ)
        print("\n    " + lines[steps.index("own-cert")] + "\n    " + lines[steps.index("memory")],
              end=" ... ", flush=True)
        return out

    def test_default_configuration_without_opt_ins(self):
        """mbedTLS as an SDK ships it: its own allocator and entropy."""
        out = self.run_coexist(DEFAULT_BIN)
        self.assertIn("opt-ins: ok static pool ORND_ERR_TLS_SETUP, platform RNG "
                      "ORND_ERR_TLS_SETUP", out)
        m = re.search(r"own-cert: ok .* heap \+(\d+) bytes, pool \+0 bytes", out)
        self.assertIsNotNone(m, out)
        self.assertGreater(int(m.group(1)), 0)
        self.assertIn("memory: ok mbedTLS's own allocator (calloc/free), pool "
                      "ORND_ERR_TLS_SETUP", out)

    def test_static_pool_opt_in(self):
        """Both opt-ins: the program's certificate lives in the pool too, and
        all of it is given back by the end."""
        out = self.run_coexist(POOL_BIN)
        self.assertIn("opt-ins: ok static pool ORND_OK, platform RNG ORND_OK", out)
        m = re.search(r"own-cert: ok .* heap \+0 bytes, pool \+(\d+) bytes", out)
        self.assertIsNotNone(m, out)
        self.assertGreater(int(m.group(1)), 0)
        m = re.search(r"memory: ok static pool peak (\d+) bytes, 0 in use at the end", out)
        self.assertIsNotNone(m, out)
        self.assertGreater(int(m.group(1)), 16384)
