#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Integration tests: the host tool `ornd token` against the local identity
server (tests/server/identity_server.py), normal cases and every fault.

Everything talks to loopback only. Each test starts its own server, which
ends by itself after a bounded lifetime and is stopped when the test ends.

Environment:
  ORND_BIN         the tool (default build/host/ornd, relative to the repo root)
  ORND_TEST_CERTS  test PKI directory (default build/test-run/certs; made with
                   scripts/make-test-pki.sh when missing)
  ORND_VALGRIND=1  also run two success cases under valgrind

Prints `integration: N passed, M failed` at the end and exits non-zero when
M > 0.
"""

import base64
import importlib
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests" / "server"))

import testlib  # noqa: E402  (shared with tests/server/test_api_server.py)


def _repo_path(env, default):
    p = Path(os.environ.get(env) or default)
    return p if p.is_absolute() else REPO / p


ORND = _repo_path("ORND_BIN", "build/host/ornd")
CERTS = _repo_path("ORND_TEST_CERTS", "build/test-run/certs")
RUN_DIR = REPO / "build" / "test-run"
SERVER = REPO / "tests" / "server" / "identity_server.py"
MAKE_CERTS = REPO / "scripts" / "make-test-pki.sh"
CA = CERTS / "ca.pem"

# the version the library says it is (include/ornd/version.h, its one place)
VERSION = re.search(r'#define ORND_VERSION_STRING "([^"]+)"',
                    (REPO / "include" / "ornd" / "version.h").read_text()).group(1)

READ = "flex.community.members.read"
CREATE = "flex.community.checkins.create"
BOOKINGS = "flex.space.bookings.read"

# The main client's secret holds every character that needs care in a form
# body, and a non-ASCII one: + / = & % space " ' é ~ !
CLIENT_ID = "5f3a9c2e7b1d4e6f8a0b2c4d"
SECRET = "s3cr+t/=&% \"q'\u00e9~!tail"
# A client allowed to read only.
LIMITED_ID = "limited-reader"
LIMITED_SECRET = "limited-secret-5aY7"

TOKEN_RE = re.compile(r"^[A-Za-z0-9_.-]+$")
TIMEOUT = "2"           # --timeout for ordinary runs (seconds)
RUN_LIMIT = 30          # hard limit for one ornd run (seconds)
SERVER_LIFETIME = "60"  # every server exits by itself after this


# ---- helpers ------------------------------------------------------------------

FORM_KEEP = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-._")


def form_encode(text):
    """application/x-www-form-urlencoded as the tool must write it: ALPHA,
    DIGIT and *-._ kept, space as +, every other byte %XX upper-case."""
    out = []
    for b in text.encode("utf-8"):
        if b in FORM_KEEP:
            out.append(chr(b))
        elif b == 0x20:
            out.append("+")
        else:
            out.append("%%%02X" % b)
    return "".join(out)


def expected_body(client_id, secret, scope):
    return ("client_id=%s&client_secret=%s&grant_type=client_credentials&scope=%s"
            % (form_encode(client_id), form_encode(secret), form_encode(scope))).encode("ascii")


def expected_head(port, body_len):
    """The request head the tool sends, line by line."""
    return [
        "POST /oauth/token HTTP/1.1",
        "Host: localhost:%d" % port,
        "User-Agent: ornd-lite/" + VERSION,
        "Accept: application/json",
        "Content-Type: application/x-www-form-urlencoded",
        "Content-Length: %d" % body_len,
        "Connection: close",
    ]


def dechunk(data):
    """Body of a chunked message (extensions and trailers ignored)."""
    out = b""
    while True:
        line, _, data = data.partition(b"\r\n")
        size = int(line.split(b";", 1)[0], 16)
        if size == 0:
            return out
        out += data[:size]
        data = data[size + 2:]


def answer_sent(record):
    """(status, headers dict, parsed JSON body) of the answer the server sent
    for one logged request."""
    raw = base64.b64decode(record["response_b64"])
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("ascii").split("\r\n")
    status = int(lines[0].split(" ")[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("transfer-encoding") == "chunked":
        body = dechunk(body)
    return status, headers, json.loads(body)


def secret_forms(secret):
    """Every spelling of a secret that must never reach stdout or stderr."""
    forms = {secret.encode("utf-8"), form_encode(secret).encode("ascii"),
             json.dumps(secret)[1:-1].encode("utf-8")}
    return [f for f in forms if f]


class Result:
    def __init__(self, code, out, err, elapsed, cmd):
        self.code = code
        self.out = out
        self.err = err
        self.elapsed = elapsed
        self.cmd = cmd

    @property
    def stdout(self):
        return self.out.decode("utf-8", "replace")

    @property
    def stderr(self):
        return self.err.decode("utf-8", "replace")

    def __str__(self):
        return ("exit %s after %.2fs\n--- stdout ---\n%s\n--- stderr ---\n%s"
                % (self.code, self.elapsed, self.stdout, self.stderr))


class Server(testlib.ServerProcess):
    """One identity server process on loopback, stopped by stop()."""

    def __init__(self, faults=(), tls="any", control=False):
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="server-", dir=RUN_DIR))
        self.log_path = self.dir / "requests.jsonl"
        cmd = [sys.executable, str(SERVER), "--certs", str(CERTS), "--log", str(self.log_path),
               "--lifetime", SERVER_LIFETIME, "--tls", tls,
               "--client", "%s:%s:%s,%s" % (CLIENT_ID, SECRET, READ, CREATE),
               "--client", "%s:%s:%s" % (LIMITED_ID, LIMITED_SECRET, READ)]
        for f in faults:
            cmd += ["--fault", f]
        if control:
            cmd.append("--control")
        env = dict(os.environ, PYTHONUTF8="1")
        self.stderr_file = open(self.dir / "stderr.txt", "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr_file,
                                     stdin=subprocess.DEVNULL, env=env)
        self.port = None
        self.control_port = None
        deadline = time.monotonic() + 10
        buf = b""
        while self.port is None:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("identity server did not start: %s"
                                   % (self.dir / "stderr.txt").read_text(errors="replace"))
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 4096)
            if not chunk:
                continue
            buf += chunk
            for line in buf.decode().splitlines():
                word = line.split()
                if len(word) == 2 and word[0] == "CONTROL":
                    self.control_port = int(word[1])
                if len(word) == 2 and word[0] == "READY":
                    self.port = int(word[1])

    @property
    def url(self):
        return "https://localhost:%d/oauth/token" % self.port

    def records(self):
        if not self.log_path.exists():
            return []
        with open(self.log_path, encoding="ascii") as f:
            return [json.loads(line) for line in f if line.strip()]

    def requests(self):
        return [r for r in self.records() if "raw_b64" in r]

    def events(self, kind):
        return [r for r in self.records() if r.get("event") == kind]

    def set_faults(self, *specs):
        req = urllib.request.Request("http://127.0.0.1:%d/faults" % self.control_port,
                                     data=" ".join(specs).encode(), method="POST")
        with urllib.request.urlopen(req, timeout=5) as resp:
            return json.load(resp)["faults"]


def creds_env(client_id=CLIENT_ID, secret=SECRET):
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if client_id is not None:
        env["ORND_CLIENT_ID"] = client_id.encode("utf-8")
    if secret is not None:
        env["ORND_CLIENT_SECRET"] = secret.encode("utf-8")
    return env


# ---- base class ---------------------------------------------------------------

class OrndTest(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        if not os.access(ORND, os.X_OK):
            self.fail("ornd binary not found or not executable: %s (build it with make)" % ORND)

    def server(self, *faults, **kw):
        s = Server(faults, **kw)
        self.addCleanup(s.stop)
        return s

    def run_ornd(self, args, env=None, limit=RUN_LIMIT, valgrind=False):
        cmd = [str(ORND), "token"] + list(args)
        if valgrind:
            cmd = ["valgrind", "-q", "--error-exitcode=99", "--leak-check=full"] + cmd
        if env is None:
            env = creds_env()
        start = time.monotonic()
        p = subprocess.run(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=limit)
        r = Result(p.returncode, p.stdout, p.stderr, time.monotonic() - start, cmd)
        for secret in (SECRET, LIMITED_SECRET, "wrong-" + SECRET):
            for form in secret_forms(secret):
                self.assertNotIn(form, p.stdout, "secret in stdout\n%s" % r)
                self.assertNotIn(form, p.stderr, "secret in stderr\n%s" % r)
        return r

    def token_args(self, server, scope=READ, timeout=TIMEOUT, fmt=None, extra=()):
        args = ["--scope", scope, "--token-url", server.url, "--ca-file", str(CA),
                "--timeout", timeout]
        if fmt:
            args += ["--format", fmt]
        return args + list(extra)

    # -- assertions --

    def assert_request(self, record, port, client_id=CLIENT_ID, secret=SECRET, scope=READ):
        """The logged request is exactly the head and body the tool must send."""
        raw = base64.b64decode(record["raw_b64"])
        head, sep, body = raw.partition(b"\r\n\r\n")
        self.assertEqual(sep, b"\r\n\r\n", raw)
        self.assertEqual(body, expected_body(client_id, secret, scope))
        self.assertEqual(head.decode("ascii").split("\r\n"), expected_head(port, len(body)))
        self.assertEqual(raw, head + b"\r\n\r\n" + expected_body(client_id, secret, scope))

    def assert_requests(self, server, count, **kw):
        reqs = server.requests()
        self.assertEqual(len(reqs), count, "requests received: %s" % reqs)
        for r in reqs:
            self.assertFalse(r.get("incomplete"), r)
            self.assert_request(r, server.port, **kw)
        return reqs

    def assert_no_connection(self, server):
        self.assertEqual(server.requests(), [])
        self.assertEqual(server.events("connect"), [])
        self.assertEqual(server.events("tls_error"), [])

    def assert_failed(self, r, code, *needles):
        """Exit status `code`, nothing on stdout, stderr lines `ornd: ...`
        naming the cause (each needle, case-insensitive, in stderr)."""
        self.assertEqual(r.code, code, str(r))
        self.assertEqual(r.out, b"", str(r))
        lines = r.stderr.splitlines()
        self.assertTrue(lines, "no error message\n%s" % r)
        for line in lines:
            self.assertTrue(line.startswith("ornd: "), "stderr line %r\n%s" % (line, r))
        for n in needles:
            self.assertIn(n.lower(), r.stderr.lower(), str(r))

    def assert_token_json(self, r, record, scope=READ):
        """stdout is the one-line JSON answer holding the token the server sent."""
        self.assertEqual(r.code, 0, str(r))
        status, _, answer = answer_sent(record)
        self.assertEqual(status, 200)
        token = answer["access_token"]
        m = re.fullmatch(r'\{"access_token":"([^"]*)","token_type":"Bearer",'
                         r'"expires_in":(\d+),"scope":"([^"]*)"\}\n', r.stdout)
        self.assertIsNotNone(m, str(r))
        self.assertEqual(m.group(1), token)
        self.assertTrue(3590 <= int(m.group(2)) <= 3599, m.group(2))
        self.assertEqual(m.group(3), scope)
        self.assertEqual(r.err, b"", str(r))
        return token


# ---- success ------------------------------------------------------------------

class TestSuccess(OrndTest):
    def test_json_exact_request_and_answer(self):
        """Secret with + / = & % space quotes and é: sent percent-encoded,
        decoded intact by the server, one request, JSON answer on stdout."""
        s = self.server()
        r = self.run_ornd(self.token_args(s))
        self.assertEqual(r.code, 0, str(r))
        (req,) = self.assert_requests(s, 1)
        self.assertEqual(req["form"], {"client_id": CLIENT_ID, "client_secret": SECRET,
                                       "grant_type": "client_credentials", "scope": READ})
        self.assertEqual(req["outcome"], "granted")
        token = self.assert_token_json(r, req)
        self.assertEqual(len(token), 900)
        self.assertRegex(token, TOKEN_RE)

    def test_format_token(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s, fmt="token"))
        self.assertEqual(r.code, 0, str(r))
        (req,) = self.assert_requests(s, 1)
        self.assertEqual(r.stdout, answer_sent(req)[2]["access_token"] + "\n")
        self.assertEqual(r.err, b"")

    def test_format_header(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s, fmt="header"))
        self.assertEqual(r.code, 0, str(r))
        (req,) = self.assert_requests(s, 1)
        self.assertEqual(r.stdout, "Authorization: Bearer %s\n" % answer_sent(req)[2]["access_token"])
        self.assertEqual(r.err, b"")

    def test_format_json_explicit(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s, fmt="json"))
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)

    def test_two_scopes(self):
        scope = READ + " " + CREATE
        s = self.server()
        r = self.run_ornd(self.token_args(s, scope=scope))
        (req,) = self.assert_requests(s, 1, scope=scope)
        self.assertIn(b"&scope=flex.community.members.read+flex.community.checkins.create",
                      base64.b64decode(req["raw_b64"]))
        self.assertEqual(req["form"]["scope"], scope)
        self.assert_token_json(r, req, scope=scope)

    def test_rsa_certificate(self):
        s = self.server("cert_rsa")
        r = self.run_ornd(self.token_args(s))
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)
        self.assertEqual([e["chain"] for e in s.events("connect")], ["server-rsa"])

    def test_rsa_certificate_tls12(self):
        """TLS 1.2 with an RSA certificate: OpenSSL signs the key exchange
        with RSA-PSS (rsa_pss_rsae_*), which the client must accept."""
        s = self.server("cert_rsa", tls="1.2")
        r = self.run_ornd(self.token_args(s))
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)
        self.assertEqual([e["chain"] for e in s.events("connect")], ["server-rsa"])

    def test_tls12_only(self):
        s = self.server(tls="1.2")
        r = self.run_ornd(self.token_args(s))
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)
        self.assertEqual([e["tls"] for e in s.events("connect")], ["TLSv1.2"])

    def test_tls13_only(self):
        s = self.server(tls="1.3")
        r = self.run_ornd(self.token_args(s))
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)
        self.assertEqual([e["tls"] for e in s.events("connect")], ["TLSv1.3"])

    def test_limited_client(self):
        s = self.server()
        env = creds_env(LIMITED_ID, LIMITED_SECRET)
        r = self.run_ornd(self.token_args(s), env=env)
        (req,) = self.assert_requests(s, 1, client_id=LIMITED_ID, secret=LIMITED_SECRET)
        self.assert_token_json(r, req)


# ---- answers delivered in unusual but valid ways ------------------------------

class TestDelivery(OrndTest):
    def test_chunked(self):
        s = self.server("chunked")
        r = self.run_ornd(self.token_args(s))
        (req,) = self.assert_requests(s, 1)
        self.assertIn(b"Transfer-Encoding: chunked", base64.b64decode(req["response_b64"]))
        self.assert_token_json(r, req)

    def test_onebyte(self):
        s = self.server("onebyte")
        r = self.run_ornd(self.token_args(s))
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)

    def test_chunked_onebyte(self):
        s = self.server("chunked", "onebyte")
        r = self.run_ornd(self.token_args(s, fmt="token"))
        (req,) = self.assert_requests(s, 1)
        self.assertEqual(r.code, 0, str(r))
        self.assertEqual(r.stdout, answer_sent(req)[2]["access_token"] + "\n")

    def test_delay_within_timeout(self):
        s = self.server("delay:500")
        r = self.run_ornd(self.token_args(s))
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)
        self.assertGreaterEqual(r.elapsed, 0.5)


# ---- rejected by the server (exit 4) ------------------------------------------

class TestRejected(OrndTest):
    def test_wrong_secret(self):
        """401 invalid_client: error code and description shown, no retry."""
        s = self.server()
        wrong = "wrong-" + SECRET
        r = self.run_ornd(self.token_args(s), env=creds_env(CLIENT_ID, wrong))
        self.assert_failed(r, 4, "invalid_client", "Client authentication failed")
        (req,) = self.assert_requests(s, 1, secret=wrong)
        self.assertEqual(req["status"], 401)

    def test_unknown_client(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s), env=creds_env("no-such-client", SECRET))
        self.assert_failed(r, 4, "invalid_client")
        self.assert_requests(s, 1, client_id="no-such-client")

    def test_scope_not_allowed(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s, scope=CREATE),
                          env=creds_env(LIMITED_ID, LIMITED_SECRET))
        self.assert_failed(r, 4, "invalid_scope", CREATE)
        (req,) = self.assert_requests(s, 1, client_id=LIMITED_ID, secret=LIMITED_SECRET,
                                      scope=CREATE)
        self.assertEqual(req["status"], 400)

    def test_unknown_scope(self):
        scope = READ + " " + BOOKINGS
        s = self.server()
        r = self.run_ornd(self.token_args(s, scope=scope))
        self.assert_failed(r, 4, "invalid_scope")
        self.assert_requests(s, 1, scope=scope)

    def test_message_401(self):
        s = self.server("message_401")
        r = self.run_ornd(self.token_args(s))
        self.assert_failed(r, 4, "Unauthorized: this application no longer exists")
        self.assert_requests(s, 1)

    def test_html_401(self):
        s = self.server("html_401")
        r = self.run_ornd(self.token_args(s))
        self.assert_failed(r, 4, "401")
        self.assert_requests(s, 1)


# ---- usage and configuration (exit 2) -----------------------------------------

class TestUsage(OrndTest):
    def test_missing_client_id(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s), env=creds_env(client_id=None))
        self.assert_failed(r, 2, "ORND_CLIENT_ID")
        self.assert_no_connection(s)

    def test_missing_client_secret(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s), env=creds_env(secret=None))
        self.assert_failed(r, 2, "ORND_CLIENT_SECRET")
        self.assert_no_connection(s)

    def test_missing_scope(self):
        s = self.server()
        r = self.run_ornd(["--token-url", s.url, "--ca-file", str(CA), "--timeout", TIMEOUT])
        self.assert_failed(r, 2, "scope")
        self.assert_no_connection(s)

    def test_unreadable_ca_file(self):
        s = self.server()
        args = self.token_args(s)
        args[args.index("--ca-file") + 1] = str(RUN_DIR / "no-such-dir" / "ca.pem")
        r = self.run_ornd(args)
        self.assert_failed(r, 2)
        self.assert_no_connection(s)

    def test_unknown_option(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s, extra=["--no-such-option"]))
        self.assert_failed(r, 2)
        self.assert_no_connection(s)

    def test_bad_format(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s, fmt="yaml"))
        self.assert_failed(r, 2)
        self.assert_no_connection(s)

    def test_no_subcommand(self):
        p = subprocess.run([str(ORND)], env=creds_env(), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=RUN_LIMIT)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stdout, b"")
        self.assertNotEqual(p.stderr, b"")

    def test_plain_http_url_refused(self):
        """The secret is never sent without TLS."""
        s = self.server()
        args = self.token_args(s)
        args[args.index("--token-url") + 1] = "http://localhost:%d/oauth/token" % s.port
        r = self.run_ornd(args)
        self.assert_failed(r, 2)
        self.assert_no_connection(s)


# ---- network, timeout, TLS, truncation (exit 3) -------------------------------

class TestNetwork(OrndTest):
    def test_connection_refused(self):
        s = self.server()
        url = s.url
        s.stop()  # the port is now closed
        r = self.run_ornd(["--scope", READ, "--token-url", url, "--ca-file", str(CA),
                           "--timeout", TIMEOUT, "--retries", "0"])
        self.assert_failed(r, 3)

    def test_stall(self):
        s = self.server("stall")
        r = self.run_ornd(self.token_args(s, timeout="1"))
        self.assert_failed(r, 3, "timeout")
        self.assertLess(r.elapsed, 8)
        self.assertGreaterEqual(len(self.assert_requests_any(s)), 1)

    def test_delay_beyond_timeout(self):
        s = self.server("delay:4000")
        r = self.run_ornd(self.token_args(s, timeout="1"))
        self.assert_failed(r, 3, "timeout")
        self.assertLess(r.elapsed, 8)
        self.assertGreaterEqual(len(self.assert_requests_any(s)), 1)

    def test_truncate(self):
        s = self.server("truncate")
        r = self.run_ornd(self.token_args(s))
        self.assert_failed(r, 3)
        self.assertGreaterEqual(len(self.assert_requests_any(s)), 1)

    def assert_requests_any(self, s):
        reqs = s.requests()
        for req in reqs:
            self.assert_request(req, s.port)
        return reqs

    def cert_case(self, fault, needle):
        s = self.server(fault)
        r = self.run_ornd(self.token_args(s))
        self.assert_failed(r, 3, needle)
        # The handshake failed: not one byte of the request was sent.
        self.assertEqual(s.requests(), [])
        self.assertEqual(s.events("connect"), [])

    def test_cert_expired(self):
        self.cert_case("cert_expired", "expired")

    def test_cert_wronghost(self):
        self.cert_case("cert_wronghost", "host")

    def test_cert_untrusted(self):
        self.cert_case("cert_untrusted", "trust")

    def test_cert_not_yet_valid(self):
        self.cert_case("cert_future", "not yet valid")

    def test_cert_intermediate_expired(self):
        self.cert_case("cert_int_expired", "expired")

    def test_cert_valid_chain_through_an_intermediate(self):
        s = self.server("cert_chain")
        r = self.run_ornd(self.token_args(s))
        self.assert_token_json(r, self.assert_requests(s, 1)[0])
        self.assertEqual([c.get("chain") for c in s.events("connect")], ["chained"])


# ---- the wall clock -----------------------------------------------------------

UNKNOWN_CLOCK = {"ORND_TEST_WALL_CLOCK": b"unknown"}


class TestWallClock(OrndTest):
    def test_unknown_time_refused_before_connecting(self):
        s = self.server()
        env = dict(creds_env(), **UNKNOWN_CLOCK)
        r = self.run_ornd(self.token_args(s), env=env)
        self.assertEqual(r.code, 6, str(r))
        self.assertEqual(r.out, b"", str(r))
        self.assertIn("ORND_ERR_TIME_UNKNOWN", r.stderr, str(r))
        self.assertIn("give the platform a unix_time", r.stderr, str(r))
        self.assertNotIn("retrying", r.stderr, str(r))
        # refused before the connection: the server saw nothing at all
        self.assert_no_connection(s)

    def test_unknown_time_polled_refused_too(self):
        s = self.server()
        env = dict(creds_env(), **UNKNOWN_CLOCK)
        r = self.run_ornd(self.token_args(s, extra=["--poll"]), env=env)
        self.assertEqual(r.code, 6, str(r))
        self.assertIn("ORND_ERR_TIME_UNKNOWN", r.stderr, str(r))
        self.assert_no_connection(s)

    def test_insecure_opt_in_connects_without_time_and_says_so(self):
        s = self.server()
        env = dict(creds_env(), **UNKNOWN_CLOCK)
        r = self.run_ornd(self.token_args(s, extra=["--insecure-accept-unknown-time"]), env=env)
        self.assertEqual(r.code, 0, str(r))
        self.assertIn("certificate dates are NOT checked", r.stderr, str(r))
        self.assert_requests(s, 1)

    def test_insecure_opt_in_without_time_does_not_check_dates(self):
        # what "not checked" means: an expired leaf passes (chain and name still count)
        s = self.server("cert_expired")
        env = dict(creds_env(), **UNKNOWN_CLOCK)
        r = self.run_ornd(self.token_args(s, extra=["--insecure-accept-unknown-time"]), env=env)
        self.assertEqual(r.code, 0, str(r))
        self.assert_requests(s, 1)
        u = self.server("cert_untrusted")
        r = self.run_ornd(self.token_args(u, extra=["--insecure-accept-unknown-time"]), env=env)
        self.assert_failed(r, 3, "trust")
        self.assertEqual(u.requests(), [])

    def test_dates_checked_against_the_platform_clock(self):
        # the platform says 2100: a certificate valid today has expired by
        # then, whatever the C library's clock says (mbedTLS's own)
        s = self.server()
        env = dict(creds_env(), ORND_TEST_WALL_CLOCK=b"4102444800")
        r = self.run_ornd(self.token_args(s), env=env)
        self.assert_failed(r, 3, "ORND_ERR_TLS_CERT_EXPIRED")
        self.assertEqual(s.requests(), [])
        # and says 2000: before the test CA's certificates were made
        env = dict(creds_env(), ORND_TEST_WALL_CLOCK=b"946684800")
        r = self.run_ornd(self.token_args(s), env=env)
        self.assert_failed(r, 6, "ORND_ERR_TIME_UNKNOWN")  # below ORND_CONFIG_MIN_UNIX_TIME
        env = dict(creds_env(), ORND_TEST_WALL_CLOCK=str(int(time.time())).encode())
        r = self.run_ornd(self.token_args(s), env=env)
        self.assertEqual(r.code, 0, str(r))
        self.assert_requests(s, 1)

    def test_insecure_opt_in_with_known_time_checks_dates(self):
        s = self.server("cert_expired")
        r = self.run_ornd(self.token_args(s, extra=["--insecure-accept-unknown-time"]))
        self.assert_failed(r, 3, "expired")
        self.assertNotIn("NOT checked", r.stderr)
        self.assertEqual(s.requests(), [])


# ---- malformed or unacceptable answers (exit 5) -------------------------------

class TestMalformed(OrndTest):
    def case(self, fault, *needles):
        s = self.server(fault)
        r = self.run_ornd(self.token_args(s))
        self.assert_failed(r, 5, *needles)
        self.assert_requests(s, 1)
        return r

    def test_garbage(self):
        self.case("garbage")

    def test_wrong_token_type(self):
        self.case("wrong_token_type", "token_type")

    def test_big_token(self):
        self.case("big_token")

    def test_content_length_with_transfer_encoding(self):
        """Both framings (RFC 9112 §6.3): refused, not guessed at."""
        self.case("cl_te", "content-length")

    def test_bad_json(self):
        self.case("bad_json")


# ---- answers behind real CDN and framework heads -------------------------------

HEAD_COUNT = 12  # tests/server/heads.py HEADS


class TestHeads(OrndTest):
    """Heads as CDNs and frameworks send them (tests/server/heads.py): the
    outcome is the one behind the server's plain head, whatever the length
    of the fields the tool does not use."""

    def test_200_behind_every_head(self):
        for n in range(HEAD_COUNT):
            with self.subTest(head=n):
                s = self.server("heads:%d" % n)
                r = self.run_ornd(self.token_args(s))
                (req,) = self.assert_requests(s, 1)
                self.assert_token_json(r, req)

    def test_200_chunked_behind_the_largest_heads(self):
        for n in (5, 9, 11):
            with self.subTest(head=n):
                s = self.server("heads:%d" % n, "chunked")
                r = self.run_ornd(self.token_args(s))
                (req,) = self.assert_requests(s, 1)
                self.assert_token_json(r, req)

    def test_401_behind_every_head(self):
        for n in range(HEAD_COUNT):
            with self.subTest(head=n):
                s = self.server("heads:%d" % n)
                wrong = "wrong-" + SECRET
                r = self.run_ornd(self.token_args(s), env=creds_env(CLIENT_ID, wrong))
                self.assert_failed(r, 4, "invalid_client", "Client authentication failed")
                self.assert_requests(s, 1, secret=wrong)

    def test_429_behind_every_head(self):
        for n in range(HEAD_COUNT):
            with self.subTest(head=n):
                s = self.server("heads:%d" % n, "status429:1")
                r = self.run_ornd(self.token_args(s, extra=["--retries", "0"]))
                self.assert_failed(r, 6, "Too many requests, please try again later")
                self.assert_requests(s, 1)

    def test_long_and_many_header_fields(self):
        """A 2000-byte field and 200 fields (once refused) are taken."""
        for fault in ("big_header", "many_headers"):
            with self.subTest(fault=fault):
                s = self.server(fault)
                r = self.run_ornd(self.token_args(s))
                (req,) = self.assert_requests(s, 1)
                self.assert_token_json(r, req)


# ---- framing of the body and the connection's end ------------------------------

class TestFraming(OrndTest):
    def test_close_delimited_with_close_notify(self):
        """No Content-Length: the body ends with the close, after the
        server's TLS close_notify: complete."""
        s = self.server("close_delimited")
        r = self.run_ornd(self.token_args(s))
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)

    def test_close_delimited_without_close_notify_is_a_truncation(self):
        """The same body ended by a bare TCP close: maybe cut short, never
        taken (exit 3, ORND_ERR_TRUNCATED)."""
        s = self.server("close_delimited", "close_bare")
        r = self.run_ornd(self.token_args(s, extra=["--retries", "0"]))
        self.assert_failed(r, 3, "close_notify")
        self.assert_requests(s, 1)

    def test_framed_body_without_close_notify_is_complete(self):
        """A Content-Length or chunked body that is whole stands without
        close_notify."""
        for faults in (("close_bare",), ("close_bare", "chunked")):
            with self.subTest(faults=faults):
                s = self.server(*faults)
                r = self.run_ornd(self.token_args(s))
                (req,) = self.assert_requests(s, 1)
                self.assert_token_json(r, req)

    def test_not_http_refused_as_malformed_at_once(self):
        """Bytes that cannot begin a status line: malformed (exit 5), found
        at the first byte, not a network fault."""
        s = self.server("garbage")
        r = self.run_ornd(self.token_args(s))
        self.assert_failed(r, 5, "status line")


# ---- certificate names -----------------------------------------------------------

class TestNames(OrndTest):
    def ip_args(self, server, host="127.0.0.1"):
        args = self.token_args(server)
        i = args.index("--token-url")
        args[i + 1] = "https://%s:%d/oauth/token" % (host, server.port)
        return args

    def test_certificate_without_subject_alt_name_refused(self):
        """CN=localhost but no subjectAltName: no Common Name fallback."""
        s = self.server("cert_nosan")
        r = self.run_ornd(self.token_args(s))
        self.assert_failed(r, 3, "host")
        self.assertEqual(s.requests(), [])

    def test_sni_sent_for_a_name(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s))
        self.assertEqual(r.code, 0, str(r))
        (conn,) = s.events("connect")
        self.assertEqual(conn["sni"], "localhost")

    def test_ip_literal_no_sni_ip_san_matched(self):
        """https://127.0.0.1: no SNI (RFC 6066 §3), the address matched
        against the certificate's IP entries."""
        s = self.server()
        r = self.run_ornd(self.ip_args(s))
        self.assertEqual(r.code, 0, str(r))
        (conn,) = s.events("connect")
        self.assertIsNone(conn["sni"])

    def test_ip_literal_needs_an_ip_entry(self):
        """A certificate for DNS:localhost only does not cover 127.0.0.1."""
        s = self.server("cert_dnsonly")
        r = self.run_ornd(self.ip_args(s))
        self.assert_failed(r, 3, "host")
        self.assertEqual(s.requests(), [])
        s = self.server("cert_dnsonly")
        r = self.run_ornd(self.token_args(s))
        self.assertEqual(r.code, 0, str(r))


# ---- rate limiting and server errors (retry, exit 6) --------------------------

class TestTryLater(OrndTest):
    def test_429_then_success(self):
        """Retry-After: 1 is honoured, the retry succeeds."""
        s = self.server("status429@1")
        r = self.run_ornd(self.token_args(s))
        reqs = self.assert_requests(s, 2)
        self.assertEqual([q["status"] for q in reqs], [429, 200])
        self.assertGreaterEqual(reqs[1]["t"] - reqs[0]["t"], 0.9)
        self.assert_token_json_lenient(r, reqs[1])

    def test_429_always(self):
        s = self.server("status429")
        r = self.run_ornd(self.token_args(s, extra=["--retries", "2"]))
        self.assert_failed(r, 6, "Too many requests, please try again later")
        reqs = self.assert_requests(s, 3)
        gaps = [b["t"] - a["t"] for a, b in zip(reqs, reqs[1:])]
        self.assertTrue(all(g >= 0.9 for g in gaps), gaps)

    def test_500_then_success(self):
        """No Retry-After: the first back-off is one second less a random
        part of up to half of it."""
        s = self.server("status500@1")
        r = self.run_ornd(self.token_args(s))
        reqs = self.assert_requests(s, 2)
        self.assertEqual([q["status"] for q in reqs], [500, 200])
        gap = reqs[1]["t"] - reqs[0]["t"]
        self.assertGreaterEqual(gap, 0.45)
        self.assertLess(gap, 3)
        self.assert_token_json_lenient(r, reqs[1])

    def test_500_no_retries(self):
        s = self.server("status500")
        r = self.run_ornd(self.token_args(s, extra=["--retries", "0"]))
        self.assert_failed(r, 6, "500")
        self.assert_requests(s, 1)

    def test_retry_after_beyond_max_wait_ends_the_run(self):
        """Retry-After: 30 with --max-wait 1: the server is not asked again
        before it said; the run ends at once with exit 6."""
        s = self.server("status429:30@1")
        t0 = time.monotonic()
        r = self.run_ornd(self.token_args(s, extra=["--max-wait", "1"]))
        self.assertLess(time.monotonic() - t0, 5)
        self.assert_failed(r, 6, "beyond --max-wait 1")
        self.assertIn("allowed in 30 s", r.stderr)
        self.assert_requests(s, 1)

    def assert_token_json_lenient(self, r, record):
        """Success after retries: JSON on stdout; stderr may tell about the
        retries but only in `ornd: ` lines."""
        self.assertEqual(r.code, 0, str(r))
        for line in r.stderr.splitlines():
            self.assertTrue(line.startswith("ornd: "), str(r))
        token = answer_sent(record)[2]["access_token"]
        self.assertEqual(json.loads(r.stdout)["access_token"], token)
        self.assertEqual(r.stdout.count("\n"), 1)


# ---- several tasks, one client --------------------------------------------------

TOKEN_RACE = _repo_path("TOKEN_RACE_BIN", "build/host/tests/token_race")


class TestConcurrency(OrndTest):
    def test_simultaneous_callers_share_one_request(self):
        """Eight threads ask at once while the server takes 300 ms to answer:
        the port's lock lets one fetch through, the others wait for it and
        get the same token; the server sees one request."""
        if not os.access(TOKEN_RACE, os.X_OK):
            self.fail("%s not built (make test builds it)" % TOKEN_RACE)
        s = self.server("delay:300")
        p = subprocess.run([str(TOKEN_RACE), s.url, str(CA), "8"], env=creds_env(),
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=RUN_LIMIT)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout, b"threads=8 ok=8 distinct=1\n")
        self.assert_requests(s, 1)


# ---- the server's run-time fault switch ----------------------------------------

class TestControl(OrndTest):
    def test_switch_faults_at_run_time(self):
        s = self.server(control=True)
        self.assertEqual(s.set_faults("status500"), ["status500"])
        r = self.run_ornd(self.token_args(s, extra=["--retries", "0"]))
        self.assert_failed(r, 6)
        self.assertEqual(s.set_faults(), [])
        r = self.run_ornd(self.token_args(s))
        reqs = self.assert_requests(s, 2)
        self.assertEqual([q["status"] for q in reqs], [500, 200])
        self.assert_token_json(r, reqs[1])


# ---- valgrind ------------------------------------------------------------------

class TestValgrind(OrndTest):
    def setUp(self):
        if os.environ.get("ORND_VALGRIND") != "1":
            self.skipTest("set ORND_VALGRIND=1 to run ornd under valgrind")
        if shutil.which("valgrind") is None:
            self.skipTest("valgrind not installed")
        super().setUp()

    def test_valgrind_json(self):
        s = self.server()
        r = self.run_ornd(self.token_args(s, timeout="20"), valgrind=True, limit=120)
        self.assertNotEqual(r.code, 99, "valgrind found errors\n%s" % r)
        (req,) = self.assert_requests(s, 1)
        self.assert_token_json(r, req)

    def test_valgrind_onebyte_then_rejected(self):
        """Many one-byte records, then an error path: no leak either way."""
        s = self.server("onebyte")
        r = self.run_ornd(self.token_args(s, timeout="20", fmt="header"), valgrind=True,
                          limit=120)
        self.assertNotEqual(r.code, 99, "valgrind found errors\n%s" % r)
        self.assertEqual(r.code, 0, str(r))
        r = self.run_ornd(self.token_args(s, timeout="20"), valgrind=True, limit=120,
                          env=creds_env(CLIENT_ID, "wrong-" + SECRET))
        self.assertNotEqual(r.code, 99, "valgrind found errors\n%s" % r)
        self.assert_failed(r, 4, "invalid_client")

    def test_valgrind_polled(self):
        """The never-blocking fetch, one byte a record: no error, no leak."""
        s = self.server("onebyte")
        r = self.run_ornd(self.token_args(s, timeout="20", fmt="token", extra=["--poll"]),
                          valgrind=True, limit=120)
        self.assertNotEqual(r.code, 99, "valgrind found errors\n%s" % r)
        self.assertEqual(r.code, 0, str(r))
        (req,) = self.assert_requests(s, 1)
        self.assertEqual(r.stdout, answer_sent(req)[2]["access_token"] + "\n")


# ---- the never-blocking fetch (ornd_token_poll from a loop) ------------------

POLL_RE = re.compile(r"ornd: ornd_token_poll: (\w+) after (\d+) loop passes\n")


class TestPolled(OrndTest):
    """`ornd token --poll` fetches with ornd_token_poll(), one call per pass
    of a loop that sleeps 1 ms a pass: the same request and answer as the
    blocking fetch, with the loop running all through it."""

    def polled(self, s, env=None, **kw):
        r = self.run_ornd(self.token_args(s, extra=["--poll"], **kw), env=env)
        m = POLL_RE.match(r.stderr)
        self.assertIsNotNone(m, str(r))
        return r, m.group(1), int(m.group(2))

    def assert_polled_token(self, s, r, outcome, passes, min_passes):
        self.assertEqual((r.code, outcome), (0, "ORND_OK"), str(r))
        (req,) = self.assert_requests(s, 1)
        self.assertEqual(req["outcome"], "granted")
        self.assertEqual(r.stdout, answer_sent(req)[2]["access_token"] + "\n")
        self.assertEqual(POLL_RE.sub("", r.stderr), "", str(r))
        # the call returned to the loop while the network was busy
        self.assertGreaterEqual(passes, min_passes, str(r))

    def test_poll_token_tls13(self):
        s = self.server(tls="1.3")
        r, outcome, passes = self.polled(s, fmt="token")
        self.assert_polled_token(s, r, outcome, passes, 3)

    def test_poll_token_tls12_rsa(self):
        s = self.server("cert_rsa", tls="1.2")
        r, outcome, passes = self.polled(s, fmt="token")
        self.assert_polled_token(s, r, outcome, passes, 3)

    def test_poll_answer_one_byte_at_a_time_after_a_delay(self):
        """A 500 ms wait for the answer, then one byte per record: the loop
        goes round hundreds of times meanwhile."""
        s = self.server("delay:500", "onebyte", "chunked")
        r, outcome, passes = self.polled(s, fmt="token")
        self.assert_polled_token(s, r, outcome, passes, 100)
        self.assertGreaterEqual(r.elapsed, 0.5)

    def test_poll_wrong_secret(self):
        s = self.server()
        wrong = "wrong-" + SECRET
        r, outcome, _ = self.polled(s, env=creds_env(CLIENT_ID, wrong))
        self.assertEqual((r.code, outcome), (4, "ORND_ERR_OAUTH_INVALID_CLIENT"), str(r))
        self.assertIn("Client authentication failed", r.stderr)
        (req,) = self.assert_requests(s, 1, secret=wrong)

    def test_poll_stall_ends_at_the_fetch_deadline(self):
        """The server never answers: ORND_ERR_TIMEOUT once 3 x --timeout has
        passed, the loop running until then."""
        s = self.server("stall")
        r, outcome, passes = self.polled(s, timeout="1")
        self.assertEqual((r.code, outcome), (3, "ORND_ERR_TIMEOUT"), str(r))
        self.assertGreaterEqual(r.elapsed, 2.9)
        self.assertLess(r.elapsed, 8)
        self.assertGreater(passes, 500, str(r))

    def test_poll_connection_refused(self):
        s = self.server()
        url = s.url
        s.stop()
        r = self.run_ornd(["--scope", READ, "--token-url", url, "--ca-file", str(CA),
                           "--timeout", TIMEOUT, "--retries", "0", "--poll"])
        self.assertEqual(r.code, 3, str(r))
        self.assertIn("ornd_token_poll: ORND_ERR_CONNECT", r.stderr)

    def test_poll_untrusted_certificate_sends_nothing(self):
        s = self.server("cert_untrusted")
        r, outcome, _ = self.polled(s)
        self.assertEqual((r.code, outcome), (3, "ORND_ERR_TLS_CERT"), str(r))
        self.assertEqual(s.requests(), [])


# ---- main ----------------------------------------------------------------------

def ensure_certs():
    if not (CA.exists() and (CERTS / "server.pem").exists()):
        subprocess.run(["sh", str(MAKE_CERTS), str(CERTS)], check=True)


def main():
    ensure_certs()
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    # The other test_*.py files here (test_api, test_quickstart, ...) share
    # this runner and its count line.
    for path in sorted(Path(__file__).resolve().parent.glob("test_*.py")):
        if path.stem != "test_token":
            module = importlib.import_module(path.stem)
            suite.addTests(unittest.defaultTestLoader.loadTestsFromModule(module))
    return testlib.run("integration", suite, list_skipped=True)


if __name__ == "__main__":
    sys.exit(main())
