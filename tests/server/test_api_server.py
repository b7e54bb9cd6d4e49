#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Self-tests of the local API server (tests/server/api_server.py), with
Python's own http.client and ssl as the client: what the server claims
(keep-alive, idle close, TLS resumption, paging, auth errors, faults,
counters) is checked from the outside.

    python3 tests/server/test_api_server.py [TEST-NAME-PART...]

ORND_TEST_CERTS: test PKI directory (default build/test-run/certs; made
with scripts/make-test-pki.sh when missing). Prints
`api-server: N passed, M failed` last and exits non-zero when M > 0.
"""

import base64
import http.client
import json
import os
import select
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import testlib

REPO = Path(__file__).resolve().parents[2]
CERTS = Path(os.environ.get("ORND_TEST_CERTS") or "build/test-run/certs")
CERTS = CERTS if CERTS.is_absolute() else REPO / CERTS
RUN_DIR = REPO / "build" / "test-run"
SERVER = REPO / "tests" / "server" / "api_server.py"

READ = "flex.community.members.read"
CREATE = "flex.community.checkins.create"
CHECKINS_READ = "flex.community.checkins.read"
BOOKINGS = "flex.space.bookings.read"
LOCATIONS = "flex.space.locations.read"
FULL_ID, FULL_SECRET = "door-app", "door-secret:with:colons"
LIMITED_ID, LIMITED_SECRET = "reader-app", "reader-secret"
ORG = "/api/v2/organizations/test-org"


class Server(testlib.ServerProcess):
    """One api_server.py process (API + identity + control) on loopback."""

    def __init__(self, *extra):
        RUN_DIR.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix="api-server-", dir=RUN_DIR))
        self.log_path = self.dir / "api.jsonl"
        cmd = [sys.executable, str(SERVER), "--certs", str(CERTS), "--control",
               "--lifetime", "90", "--log", str(self.log_path),
               "--identity-log", str(self.dir / "identity.jsonl"),
               "--client", "%s:%s:%s,%s,%s,%s,%s" % (FULL_ID, FULL_SECRET, READ, CREATE,
                                                     CHECKINS_READ, BOOKINGS, LOCATIONS),
               "--client", "%s:%s:%s" % (LIMITED_ID, LIMITED_SECRET, READ)] + list(extra)
        self.stderr_file = open(self.dir / "stderr.txt", "wb")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.stderr_file,
                                     stdin=subprocess.DEVNULL)
        self.ports = {}
        deadline = time.monotonic() + 10
        buf = b""
        while "READY" not in self.ports:
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                self.stop()
                raise RuntimeError("api server did not start")
            if select.select([self.proc.stdout], [], [], left)[0]:
                buf += os.read(self.proc.stdout.fileno(), 4096)
                for line in buf.decode().splitlines():
                    w = line.split()
                    if len(w) == 2 and w[1].isdigit():
                        self.ports[w[0]] = int(w[1])
        self.port = self.ports["READY"]
        self.ctx = ssl.create_default_context(cafile=str(CERTS / "ca.pem"))

    # -- control socket --
    def control(self, path, body=None):
        url = "http://127.0.0.1:%d%s" % (self.ports["CONTROL"], path)
        data = None if body is None else body.encode()
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=5) as r:
            return json.load(r)

    def counters(self):
        return self.control("/counters")

    def log(self):
        with open(self.log_path, encoding="ascii") as f:
            return [json.loads(line) for line in f if line.strip()]

    # -- clients --
    def token(self, cid=FULL_ID, secret=FULL_SECRET, expect=200):
        c = http.client.HTTPSConnection("localhost", self.ports["IDENTITY"], context=self.ctx,
                                        timeout=10)
        form = urllib.parse.urlencode({"grant_type": "client_credentials", "client_id": cid,
                                       "client_secret": secret})
        c.request("POST", "/oauth/token", body=form,
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        body = json.loads(r.read())
        c.close()
        if r.status != expect:
            raise AssertionError("token: %d %s" % (r.status, body))
        return body.get("access_token"), body

    def conn(self, **kw):
        return http.client.HTTPSConnection("localhost", self.port, context=self.ctx,
                                           timeout=10, **kw)



def call(conn, method, path, token=None, body=None, headers=None):
    h = dict(headers or {})
    if token:
        h["Authorization"] = "Bearer " + token
    if body is not None:
        body = json.dumps(body)
        h["Content-Type"] = "application/json"
    conn.request(method, path, body=body, headers=h)
    r = conn.getresponse()
    raw = r.read()
    return r, raw


def j(raw):
    return json.loads(raw)


class Base(unittest.TestCase):
    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.s = Server(*cls.server_args)

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def setUp(self):
        self.s.control("/faults", "")
        self.s.control("/identity/faults", "")
        self.s.control("/reset", "")

    def fresh_token(self, *a):
        return self.s.token(*a)[0]


class TestKeepAlive(Base):
    server_args = ("--idle-timeout", "0.6")

    def test_twenty_requests_one_connection(self):
        tok = self.fresh_token()
        c = self.s.conn()
        for i in range(20):
            r, raw = call(c, "GET", ORG + "/members?$limit=5&$select=email", tok)
            self.assertEqual(r.status, 200)
            self.assertEqual(len(j(raw)["results"]), 5)
        c.close()
        time.sleep(0.2)
        k = self.s.counters()
        self.assertEqual(k["connections"], 1, k)
        self.assertEqual(k["handshakes_full"], 1, k)
        self.assertEqual(k["handshakes_resumed"], 0, k)
        self.assertEqual(k["requests"], 20, k)
        self.assertEqual(list(k["requests_per_connection"].values()), [20], k)

    def test_idle_close_then_resumed(self):
        tok = self.fresh_token()
        c = self.s.conn()
        r, _ = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual(r.status, 200)
        sess = c.sock.session
        self.assertIsNotNone(sess)
        # The server closes the idle connection with close_notify: EOF.
        c.sock.settimeout(5)
        t0 = time.monotonic()
        self.assertEqual(c.sock.recv(10), b"")
        waited = time.monotonic() - t0
        self.assertLess(waited, 4.0)
        c.close()
        k = self.s.counters()
        self.assertEqual(k["closed_idle"], 1, k)
        # Reconnect with the session: a resumed handshake, counted so.
        raw = socket.create_connection(("localhost", self.s.port), timeout=5)
        tls = self.s.ctx.wrap_socket(raw, server_hostname="localhost", session=sess)
        self.assertTrue(tls.session_reused)
        tls.close()
        time.sleep(0.2)
        k = self.s.counters()
        self.assertEqual((k["handshakes_full"], k["handshakes_resumed"]), (1, 1), k)

    def test_second_request_after_idle_close_fails_on_old_connection(self):
        tok = self.fresh_token()
        c = self.s.conn()
        call(c, "GET", ORG + "/locations", tok)
        time.sleep(1.2)
        with self.assertRaises((http.client.RemoteDisconnected, ConnectionError,
                                ssl.SSLError, BrokenPipeError)):
            call(c, "GET", ORG + "/locations", tok)
        c.close()


class TestIPv6(Base):
    def test_ipv6_loopback(self):
        try:
            raw = socket.create_connection(("::1", self.s.port), timeout=5)
        except OSError as e:
            self.skipTest("no IPv6 loopback: %s" % e)
        tls = self.s.ctx.wrap_socket(raw, server_hostname="::1")  # cert has IP ::1
        tok = self.fresh_token()
        tls.sendall(("GET %s/locations HTTP/1.1\r\nHost: [::1]\r\nAuthorization: Bearer %s"
                     "\r\nConnection: close\r\n\r\n" % (ORG, tok)).encode())
        got = b""
        while True:
            d = tls.recv(65536)
            if not d:
                break
            got += d
        tls.close()
        self.assertTrue(got.startswith(b"HTTP/1.1 200 OK\r\n"), got[:100])


class TestCloseIdleCommand(Base):
    server_args = ("--idle-timeout", "30")

    def test_close_idle_now(self):
        tok = self.fresh_token()
        c = self.s.conn()
        call(c, "GET", ORG + "/locations", tok)
        time.sleep(0.1)
        self.assertEqual(self.s.counters()["closed_idle"], 0)
        self.s.control("/close-idle", "")
        c.sock.settimeout(3)
        self.assertEqual(c.sock.recv(10), b"")
        c.close()
        self.assertEqual(self.s.counters()["closed_idle"], 1)


class ResumeMixin:
    def test_resumed_handshake_counted(self):
        tok = self.fresh_token()
        c = self.s.conn()
        r, _ = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual(r.status, 200)
        self.assertEqual(c.sock.version(), self.version)
        sess = c.sock.session
        c.close()
        for _ in range(2):
            raw = socket.create_connection(("localhost", self.s.port), timeout=5)
            tls = self.s.ctx.wrap_socket(raw, server_hostname="localhost", session=sess)
            self.assertTrue(tls.session_reused)
            tls.close()
        # Without a session: full again.
        raw = socket.create_connection(("localhost", self.s.port), timeout=5)
        tls = self.s.ctx.wrap_socket(raw, server_hostname="localhost")
        self.assertFalse(tls.session_reused)
        tls.close()
        time.sleep(0.2)
        k = self.s.counters()
        self.assertEqual(k["connections"], 4, k)
        self.assertEqual((k["handshakes_full"], k["handshakes_resumed"]), (2, 2), k)
        events = [e for e in self.s.log() if e.get("event") == "connect"]
        self.assertEqual([e["resumed"] for e in events[-4:]], [False, True, True, False])


class TestResumeTls12(ResumeMixin, Base):
    server_args = ("--tls", "1.2")
    version = "TLSv1.2"

    def test_ticket_issued(self):
        """TLS 1.2 resumption by session ticket (RFC 5077), not a server cache."""
        tok = self.fresh_token()
        c = self.s.conn()
        call(c, "GET", ORG + "/locations", tok)
        self.assertTrue(c.sock.session.has_ticket)
        c.close()


class TestResumeTls13(ResumeMixin, Base):
    server_args = ("--tls", "1.3")
    version = "TLSv1.3"


class TestPaging(Base):
    def page_all(self, conn, tok, path):
        pages, url = [], path
        while True:
            r, raw = call(conn, "GET", url, tok)
            self.assertEqual(r.status, 200, raw[:200])
            body = j(raw)
            pages.append((len(raw), body))
            if body["cursorNext"] is None:
                return pages
            sep = "&" if "?" in path else "?"
            url = path + sep + "$cursorNext=" + urllib.parse.quote(body["cursorNext"])

    def test_all_members(self):
        tok = self.fresh_token()
        c = self.s.conn()
        pages = self.page_all(c, tok, ORG + "/members")
        c.close()
        self.assertEqual([len(b["results"]) for _, b in pages], [50, 50, 20])
        ids = [m["_id"] for _, b in pages for m in b["results"]]
        self.assertEqual(len(set(ids)), 120)
        size, first = pages[0]
        self.assertGreater(size, 90_000)
        self.assertLess(size, 115_000)
        self.assertIsNone(first["cursorPrev"])
        self.assertEqual((first["rangeStart"], first["rangeEnd"]), (0, 50))
        self.assertEqual((pages[2][1]["rangeStart"], pages[2][1]["rangeEnd"]), (100, 120))
        self.assertIsNotNone(pages[2][1]["cursorPrev"])
        for key in ("_id", "name", "email", "team", "location", "createdAt"):
            self.assertIn(key, first["results"][0])
        self.assertEqual(self.s.counters()["connections"], 1)

    def test_limit_and_select(self):
        tok = self.fresh_token()
        c = self.s.conn()
        r, raw = call(c, "GET", ORG + "/members?$limit=7&$select=email", tok)
        body = j(raw)
        self.assertEqual(len(body["results"]), 7)
        self.assertEqual(set(body["results"][0]), {"_id", "email"})
        r, raw = call(c, "GET", ORG + "/members?limit=500", tok)
        self.assertEqual(len(j(raw)["results"]), 50)
        r, raw = call(c, "GET", ORG + "/members?$limit=0", tok)
        self.assertEqual(r.status, 400)
        r, raw = call(c, "GET", ORG + "/members?$cursorNext=bogus", tok)
        self.assertEqual(r.status, 400)
        c.close()

    def test_deterministic(self):
        tok = self.fresh_token()
        c = self.s.conn()
        _, a = call(c, "GET", ORG + "/members", tok)
        c.close()
        other = Server()
        try:
            c = other.conn()
            _, b = call(c, "GET", ORG + "/members", other.token()[0])
            c.close()
        finally:
            other.stop()
        self.assertEqual(a, b)
        other = Server("--seed", "2")
        try:
            c = other.conn()
            _, b = call(c, "GET", ORG + "/members", other.token()[0])
            c.close()
        finally:
            other.stop()
        self.assertNotEqual(a, b)

    def test_member_by_email_and_id(self):
        tok = self.fresh_token()
        c = self.s.conn()
        _, raw = call(c, "GET", ORG + "/members?$limit=50", tok)
        m = j(raw)["results"][33]
        _, raw = call(c, "GET", ORG + "/members?email=" + urllib.parse.quote(m["email"]), tok)
        found = j(raw)
        self.assertEqual([x["_id"] for x in found["results"]], [m["_id"]])
        self.assertIsNone(found["cursorNext"])
        r, raw = call(c, "GET", ORG + "/members/" + m["_id"], tok)
        self.assertEqual((r.status, j(raw)), (200, m))
        r, raw = call(c, "GET", ORG + "/members/" + "0" * 24, tok)
        self.assertEqual(r.status, 404)
        _, raw = call(c, "GET", ORG + "/members?email=nobody%40example.com", tok)
        self.assertEqual(j(raw)["results"], [])
        r, _ = call(c, "GET", "/api/v2/organizations/other-org/members", tok)
        self.assertEqual(r.status, 404)
        c.close()

    def test_bookings_filters(self):
        tok = self.fresh_token()
        c = self.s.conn()
        _, raw = call(c, "GET", ORG + "/bookings?$limit=1", tok)
        b = j(raw)["results"][0]
        day = b["start"]["dateTime"][:10]
        q = "resource=%s&start[$gte]=%sT00:00:00.000Z&start[$lt]=%sT23:59:59.999Z" % (
            b["resource"], day, day)
        pages = self.page_all(c, tok, ORG + "/bookings?" + urllib.parse.quote(q, safe="=&"))
        found = [x for _, p in pages for x in p["results"]]
        self.assertIn(b["_id"], [x["_id"] for x in found])
        for x in found:
            self.assertEqual(x["resource"], b["resource"])
            self.assertEqual(x["start"]["dateTime"][:10], day)
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual(len(j(raw)["results"]), 3)
        r, raw = call(c, "GET", ORG + "/bookings", tok)
        self.assertGreater(len(raw), 75_000)
        c.close()


class TestAuth(Base):
    def assert_401_invalid_token(self, r, raw):
        self.assertEqual(r.status, 401, raw)
        self.assertRegex(r.getheader("WWW-Authenticate") or "",
                         r'^Bearer .*error="invalid_token"')
        self.assertEqual(j(raw)["error"], "invalid_token")

    def test_missing_and_unknown_token(self):
        c = self.s.conn()
        r, raw = call(c, "GET", ORG + "/members")
        self.assertEqual(r.status, 401)
        self.assertEqual(r.getheader("WWW-Authenticate"), 'Bearer realm="officernd"')
        r, raw = call(c, "GET", ORG + "/members", "x" * 900)
        self.assert_401_invalid_token(r, raw)
        c.close()

    def test_revoked_token(self):
        tok1 = self.fresh_token()
        tok2 = self.fresh_token()
        c = self.s.conn()
        self.assertEqual(self.s.control("/revoke", "last"), {"revoked": 1})
        r, raw = call(c, "GET", ORG + "/locations", tok2)
        self.assert_401_invalid_token(r, raw)
        self.assertIn("revoked", j(raw)["message"])
        r, raw = call(c, "GET", ORG + "/locations", tok1)
        self.assertEqual(r.status, 200)
        self.s.control("/revoke", "all")
        r, raw = call(c, "GET", ORG + "/locations", tok1)
        self.assert_401_invalid_token(r, raw)
        # A new token works again, on the same connection.
        r, raw = call(c, "GET", ORG + "/locations", self.fresh_token())
        self.assertEqual(r.status, 200)
        c.close()
        k = self.s.counters()
        self.assertEqual((k["token_requests"], k["tokens_issued"], k["connections"]),
                         (3, 3, 1), k)
        self.assertEqual((k["identity_connections"], k["identity_handshakes_full"]), (3, 3), k)

    def test_expired_token(self):
        tok = self.fresh_token()
        c = self.s.conn()
        self.assertGreaterEqual(self.s.control("/expire", "")["expired"], 1)
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assert_401_invalid_token(r, raw)
        self.assertIn("expired", j(raw)["message"])
        c.close()

    def test_short_expires_in(self):
        s = Server("--expires-in", "1")
        try:
            tok, answer = s.token()
            self.assertEqual(answer["expires_in"], 1)
            c = s.conn()
            r, _ = call(c, "GET", ORG + "/locations", tok)
            self.assertEqual(r.status, 200)
            time.sleep(2.2)
            r, raw = call(c, "GET", ORG + "/locations", tok)
            self.assert_401_invalid_token(r, raw)
            c.close()
        finally:
            s.stop()

    def test_insufficient_scope(self):
        tok = self.fresh_token(LIMITED_ID, LIMITED_SECRET)
        c = self.s.conn()
        r, raw = call(c, "GET", ORG + "/members?$limit=1", tok)
        self.assertEqual(r.status, 200)
        r, raw = call(c, "POST", ORG + "/checkins", tok, {"member": "m", "location": "l",
                                                          "start": "2026-12-01T09:00:00Z"})
        self.assertEqual(r.status, 403)
        self.assertEqual(j(raw)["error"], "insufficient_scope")
        self.assertRegex(r.getheader("WWW-Authenticate"),
                         r'error="insufficient_scope".*scope="%s"' % CREATE)
        r, raw = call(c, "GET", ORG + "/bookings", tok)
        self.assertEqual(r.status, 403)
        c.close()

    def test_deleted_client(self):
        s = Server()  # its own server: the deletion is for good
        try:
            tok = s.token()[0]
            limited = s.token(LIMITED_ID, LIMITED_SECRET)[0]
            self.assertEqual(s.control("/delete-client", FULL_ID)["deleted"], True)
            c = s.conn()
            r, raw = call(c, "GET", ORG + "/members?$limit=1", tok)
            self.assert_401_invalid_token(r, raw)
            r, raw = call(c, "GET", ORG + "/members?$limit=1", limited)
            self.assertEqual(r.status, 200)
            c.close()
            _, answer = s.token(expect=401)
            self.assertEqual(answer["error"], "invalid_client")
            self.assertEqual(s.control("/clients")["clients"], [LIMITED_ID])
        finally:
            s.stop()


class TestFaults(Base):
    def test_401_once(self):
        tok = self.fresh_token()
        self.s.control("/faults", "status401@1")
        c = self.s.conn()
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual(r.status, 401)
        self.assertIn('error="invalid_token"', r.getheader("WWW-Authenticate"))
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual(r.status, 200)
        c.close()

    def test_bare_401(self):
        tok = self.fresh_token()
        self.s.control("/faults", "bare401@1")
        c = self.s.conn()
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual(r.status, 401)
        self.assertIsNone(r.getheader("WWW-Authenticate"))
        self.assertEqual(j(raw), {"message": "Unauthorized"})
        c.close()

    def test_403_fault(self):
        tok = self.fresh_token()
        self.s.control("/faults", "status403@1")
        c = self.s.conn()
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual((r.status, j(raw)["error"]), (403, "insufficient_scope"))
        c.close()

    def test_429_and_503_retry_after(self):
        tok = self.fresh_token()
        self.s.control("/faults", "status429:7@1 status503:3@1")
        c = self.s.conn()
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual((r.status, r.getheader("Retry-After")), (429, "7"))
        self.assertIn("message", j(raw))
        # 503 also applies to the first request (429 takes precedence): now.
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual(r.status, 200)
        self.s.control("/faults", "status503:3@1")
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual((r.status, r.getheader("Retry-After")), (503, "3"))
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual(r.status, 200)
        c.close()
        self.assertEqual(self.s.counters()["connections"], 1)

    def test_faults_at_start(self):
        s = Server("--fault", "status429:2@1")
        try:
            c = s.conn()
            r, _ = call(c, "GET", ORG + "/locations", s.token()[0])
            self.assertEqual((r.status, r.getheader("Retry-After")), (429, "2"))
            self.assertEqual(s.control("/faults")["faults"], [])
            c.close()
        finally:
            s.stop()

    def test_triggers_between_requests(self):
        """revoke_one:2 / expire:2: the token goes bad between two requests of
        one connection, without a control call in between."""
        for spec, word in (("revoke_one:2", "revoked"), ("expire:2", "expired")):
            tok = self.fresh_token()
            other = self.fresh_token()
            self.s.control("/faults", spec)
            c = self.s.conn()
            r, _ = call(c, "GET", ORG + "/locations", tok)
            self.assertEqual(r.status, 200, spec)
            r, raw = call(c, "GET", ORG + "/locations", tok)
            self.assertEqual(r.status, 401, spec)
            self.assertIn(word, j(raw)["message"])
            self.assertIn('error="invalid_token"', r.getheader("WWW-Authenticate"))
            r, _ = call(c, "GET", ORG + "/locations", other)
            self.assertEqual(r.status, 200 if spec.startswith("revoke_one") else 401, spec)
            r, _ = call(c, "GET", ORG + "/locations", self.fresh_token())
            self.assertEqual(r.status, 200, spec)
            self.assertEqual(self.s.control("/faults")["faults"], [])
            c.close()

    def test_delete_client_trigger(self):
        s = Server("--fault", "delete_client:2")
        try:
            tok = s.token()[0]
            c = s.conn()
            r, _ = call(c, "GET", ORG + "/locations", tok)
            self.assertEqual(r.status, 200)
            r, raw = call(c, "GET", ORG + "/locations", tok)
            self.assertEqual(r.status, 401)
            self.assertIn("deleted", j(raw)["message"])
            c.close()
            self.assertEqual(s.token(expect=401)[1]["error"], "invalid_client")
        finally:
            s.stop()

    def test_bad_fault_rejected(self):
        for spec in ("nosuchfault", "revoke@2", "slow", "status429:x", "drop:1"):
            with self.assertRaises(urllib.error.HTTPError) as e:
                self.s.control("/faults", spec)
            self.assertEqual(e.exception.code, 400, spec)

    def test_checkin(self):
        tok = self.fresh_token()
        c = self.s.conn()
        _, raw = call(c, "GET", ORG + "/members?$limit=1", tok)
        member = j(raw)["results"][0]["_id"]
        _, raw = call(c, "GET", ORG + "/locations", tok)
        loc = j(raw)["results"][0]["_id"]
        r, raw = call(c, "POST", ORG + "/checkins", tok,
                      {"member": member, "location": loc, "start": "2026-12-01T09:00:00Z"})
        self.assertEqual(r.status, 201, raw)
        created = j(raw)
        self.assertEqual((created["member"], created["location"], created["start"],
                          created["end"]), (member, loc, "2026-12-01T09:00:00Z", None))
        self.assertEqual(len(created["_id"]), 24)
        r, raw = call(c, "POST", ORG + "/checkins/" + member, tok,
                      {"location": loc, "start": "2026-12-01T10:00:00.000Z"})
        self.assertEqual(r.status, 201, raw)
        r, raw = call(c, "POST", ORG + "/checkins", tok, {"member": member, "location": loc})
        self.assertEqual(r.status, 400)
        r, raw = call(c, "GET", ORG + "/checkins?member=" + member, tok)
        self.assertEqual(len(j(raw)["results"]), 2)
        c.close()
        self.assertEqual(self.s.counters()["checkins_created"], 2)

    def test_drop_after_request(self):
        tok = self.fresh_token()
        c = self.s.conn()
        _, raw = call(c, "GET", ORG + "/locations", tok)
        loc = j(raw)["results"][0]["_id"]
        _, raw = call(c, "GET", ORG + "/members?$limit=1", tok)
        member = j(raw)["results"][0]["_id"]
        self.s.control("/faults", "drop@1")
        body = {"member": member, "location": loc, "start": "2026-12-01T09:00:00Z"}
        with self.assertRaises(http.client.RemoteDisconnected):
            call(c, "POST", ORG + "/checkins", tok, body)
        c.close()
        deadline = time.monotonic() + 5  # counted just after the close the client saw
        k = self.s.counters()
        while k["closed_by_server"] < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
            k = self.s.counters()
        self.assertEqual(k["checkins_created"], 0, k)
        self.assertEqual(k["closed_by_server"], 1, k)
        last = self.s.control("/requests")["requests"][-1]
        self.assertEqual(last["faults"], ["drop"])
        sent = base64.b64decode(last["raw_b64"])
        self.assertTrue(sent.startswith(b"POST " + ORG.encode() + b"/checkins HTTP/1.1\r\n"))
        self.assertTrue(sent.endswith(json.dumps(body).encode()))
        c = self.s.conn()
        r, _ = call(c, "POST", ORG + "/checkins", tok, body)
        self.assertEqual(r.status, 201)
        c.close()

    def test_reset_after_request(self):
        """`reset` ends the connection with a TCP RST (the kernel says
        ECONNRESET), `drop` with FIN (a plain end of stream)."""
        tok = self.fresh_token()
        for spec, rst in (("reset@1", True), ("drop@1", False)):
            self.s.control("/faults", spec)
            raw = socket.create_connection(("localhost", self.s.port), timeout=5)
            tls = self.s.ctx.wrap_socket(raw, server_hostname="localhost")
            tls.sendall(("GET %s/locations HTTP/1.1\r\nHost: localhost\r\n"
                         "Authorization: Bearer %s\r\n\r\n" % (ORG, tok)).encode())
            time.sleep(0.5)
            kernel = socket.socket(fileno=os.dup(tls.fileno()))  # below TLS
            kernel.settimeout(5)
            try:
                if rst:
                    with self.assertRaises(ConnectionResetError):
                        while kernel.recv(65536):
                            pass
                else:
                    while kernel.recv(65536):
                        pass  # TLS records (tickets, close_notify), then FIN
            finally:
                kernel.close()
                tls.close()
        self.assertEqual(self.s.counters()["status"], {})

    def test_close_after_answer(self):
        tok = self.fresh_token()
        self.s.control("/faults", "close@1")
        c = self.s.conn()
        r, raw = call(c, "GET", ORG + "/locations", tok)
        self.assertEqual((r.status, r.getheader("Connection")), (200, "close"))
        r, raw = call(c, "GET", ORG + "/locations", tok)  # http.client reconnects
        self.assertEqual(r.status, 200)
        c.close()
        self.assertEqual(self.s.counters()["connections"], 2)

    def test_chunked_onebyte_slow(self):
        tok = self.fresh_token()
        c = self.s.conn()
        _, plain = call(c, "GET", ORG + "/members", tok)
        for spec in ("chunked@1", "onebyte@1", "slow:5@1", "chunked@1 slow:2@1",
                     "delay:100@1"):
            self.s.control("/faults", spec)
            r, raw = call(c, "GET", ORG + ("/locations" if "onebyte" in spec else "/members"),
                          tok)
            self.assertEqual(r.status, 200, spec)
            if "onebyte" not in spec:
                self.assertEqual(raw, plain, spec)
            self.assertEqual(r.getheader("Transfer-Encoding") == "chunked", "chunked" in spec)
        c.close()
        self.assertEqual(self.s.counters()["connections"], 1)

    def test_stall(self):
        tok = self.fresh_token()
        self.s.control("/faults", "stall@1")
        c = http.client.HTTPSConnection("localhost", self.s.port, context=self.s.ctx,
                                        timeout=1)
        with self.assertRaises(socket.timeout):
            call(c, "GET", ORG + "/locations", tok)
        c.close()

    def test_identity_resumption_counted(self):
        c = http.client.HTTPSConnection("localhost", self.s.ports["IDENTITY"],
                                        context=self.s.ctx, timeout=5)
        c.request("POST", "/oauth/token", body="grant_type=client_credentials",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        c.getresponse().read()
        sess = c.sock.session
        c.close()
        raw = socket.create_connection(("localhost", self.s.ports["IDENTITY"]), timeout=5)
        tls = self.s.ctx.wrap_socket(raw, server_hostname="localhost", session=sess)
        self.assertTrue(tls.session_reused)
        tls.close()
        time.sleep(0.2)
        k = self.s.counters()
        self.assertEqual((k["identity_handshakes_full"], k["identity_handshakes_resumed"]),
                         (1, 1), k)

    def test_identity_fault(self):
        self.s.control("/identity/faults", "status429:4@1")
        c = http.client.HTTPSConnection("localhost", self.s.ports["IDENTITY"],
                                        context=self.s.ctx, timeout=5)
        c.request("POST", "/oauth/token", body="grant_type=client_credentials",
                  headers={"Content-Type": "application/x-www-form-urlencoded"})
        r = c.getresponse()
        r.read()
        self.assertEqual((r.status, r.getheader("Retry-After")), (429, "4"))
        c.close()
        self.assertEqual(self.s.counters()["token_requests"], 1)

    def test_requests_recorded_byte_for_byte(self):
        tok = self.fresh_token()
        raw = socket.create_connection(("localhost", self.s.port), timeout=5)
        tls = self.s.ctx.wrap_socket(raw, server_hostname="localhost")
        reqs = [("GET %s/locations HTTP/1.1\r\nHost: localhost:%d\r\nX-Odd:  spaced \r\n"
                 "Authorization: Bearer %s\r\n\r\n" % (ORG, self.s.port, tok)).encode(),
                ("GET %s/locations?$select=name HTTP/1.1\r\nhost: localhost\r\n"
                 "authorization: bearer %s\r\nConnection: close\r\n\r\n" % (ORG, tok)).encode()]
        tls.sendall(reqs[0] + reqs[1])
        got = b""
        while True:
            d = tls.recv(65536)
            if not d:
                break
            got += d
        tls.close()
        self.assertEqual(got.count(b"HTTP/1.1 200 OK\r\n"), 2)
        recorded = [base64.b64decode(r["raw_b64"]) for r in self.s.control("/requests")
                    ["requests"]]
        self.assertEqual(recorded, reqs)
        logged = [base64.b64decode(r["raw_b64"]) for r in self.s.log() if "raw_b64" in r]
        self.assertEqual(logged[-2:], reqs)


def main():
    if not (CERTS / "ca.pem").exists():
        subprocess.run(["sh", str(REPO / "scripts/make-test-pki.sh"), str(CERTS)],
                       check=True)
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[__name__])
    return testlib.run("api-server", suite)


if __name__ == "__main__":
    sys.exit(main())
