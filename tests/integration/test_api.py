# SPDX-License-Identifier: MIT
"""Integration tests of `ornd api` against the local API server
(tests/server/api_server.py: the v2 API and the identity server in one
process), over real TLS on loopback. Loaded by test_token.py's runner;
environment: ORND_BIN as for test_token.py, DOOR_BIN (the door, default
build/host/door).

What is asserted comes from the server's own counters: TCP connections,
full and resumed handshakes, requests, token requests, check-ins created.
"""
import base64
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "server"))

import test_api_server as srv  # noqa: E402  (the server's own harness)
from test_token import CA, ORND, RUN_LIMIT, OrndTest, Result, _repo_path, secret_forms  # noqa: E402

ORG = "test-org"
SCOPES = " ".join([srv.READ, srv.CREATE, srv.LOCATIONS])


def api_env(cid=srv.FULL_ID, secret=srv.FULL_SECRET):
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "ORND_CLIENT_ID": cid, "ORND_CLIENT_SECRET": secret}


class ApiTest(OrndTest):
    def api_server(self, *extra):
        s = srv.Server(*extra)
        self.addCleanup(s.stop)
        return s

    def args(self, s, scope=SCOPES):
        return ["--scope", scope,
                "--token-url", "https://localhost:%d/oauth/token" % s.ports["IDENTITY"],
                "--api-url", "https://localhost:%d/api/v2/organizations" % s.port,
                "--org", ORG, "--ca-file", str(CA), "--timeout", "5"]

    def check_secrets(self, r):
        for secret in (srv.FULL_SECRET, srv.LIMITED_SECRET):
            for form in secret_forms(secret):
                self.assertNotIn(form, r.out, "secret in stdout\n%s" % r)
                self.assertNotIn(form, r.err, "secret in stderr\n%s" % r)

    def run_api(self, s, method, *paths, extra=(), env=None, scope=SCOPES):
        cmd = [str(ORND), "api", method] + list(paths) + self.args(s, scope) + list(extra)
        start = time.monotonic()
        p = subprocess.run(cmd, env=env or api_env(), stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=RUN_LIMIT)
        r = Result(p.returncode, p.stdout, p.stderr, time.monotonic() - start, cmd)
        self.check_secrets(r)
        return r

    def ids(self, s):
        """A member id and a location id, asked with Python's own client."""
        token, _ = s.token()
        c = s.conn()
        _, raw = srv.call(c, "GET", srv.ORG + "/members?$limit=1", token)
        member = json.loads(raw)["results"][0]["_id"]
        _, raw = srv.call(c, "GET", srv.ORG + "/locations", token)
        location = json.loads(raw)["results"][0]["_id"]
        c.close()
        s.control("/reset", "")
        return member, location

    def assert_ok(self, r, lines=None):
        self.assertEqual(r.code, 0, str(r))
        if lines is not None:
            self.assertEqual(len(r.stdout.splitlines()), lines, str(r))


class TestKeepAlive(ApiTest):
    def test_twenty_requests_one_connection_one_handshake(self):
        s = self.api_server()
        r = self.run_api(s, "GET", *(["/members?$limit=1"] * 20))
        self.assert_ok(r, lines=20)
        for line in r.stdout.splitlines():
            self.assertEqual(len(json.loads(line)["results"]), 1)
        c = s.counters()
        self.assertEqual(c["connections"], 1, c)
        self.assertEqual(c["handshakes_full"], 1, c)
        self.assertEqual(c["handshakes_resumed"], 0, c)
        self.assertEqual(c["requests"], 20, c)
        self.assertEqual(c["token_requests"], 1, c)
        self.assertIn("20 request(s), 1 connection(s)", r.stderr)

    def idle_close_resumes(self, tls):
        s = self.api_server("--tls", tls)
        cmd = [str(ORND), "api", "GET", "-"] + self.args(s)
        p = subprocess.Popen(cmd, env=api_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            p.stdin.write(b"/locations\n")
            p.stdin.flush()
            first = p.stdout.readline()
            # the server counts the connection idle once it waits for the
            # next request: ask until it has closed one
            deadline = time.monotonic() + 5
            while s.counters().get("closed_idle", 0) < 1 and time.monotonic() < deadline:
                s.control("/close-idle", "")
                time.sleep(0.05)
            self.assertEqual(s.counters().get("closed_idle"), 1)
            p.stdin.write(b"/locations\n")
            p.stdin.close()
            rest, err = p.stdout.read(), p.stderr.read()
            p.wait(RUN_LIMIT)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        r = Result(p.returncode, first + rest, err, 0, cmd)
        self.assert_ok(r, lines=2)
        self.assertEqual(json.loads(first), json.loads(rest))
        c = s.counters()
        self.assertEqual(c["connections"], 2, c)
        self.assertEqual(c["handshakes_full"], 1, c)
        self.assertEqual(c["handshakes_resumed"], 1, c)
        self.assertEqual(c["requests"], 2, c)
        self.assertEqual(c["token_requests"], 1, c)

    def test_idle_close_then_resumed_session_tls12(self):
        self.idle_close_resumes("1.2")

    def test_idle_close_then_resumed_session_tls13(self):
        self.idle_close_resumes("1.3")

    def two_requests_second_dropped(self, method, data=None):
        """Request 1 is answered; then the server is told to read the next
        request and close without answering."""
        s = self.api_server()
        member, location = self.ids(s)
        extra = ["--data", data % location] if data else []
        path = ("/checkins/" + member) if method == "POST" else "/locations"
        cmd = [str(ORND), "api", method, "-"] + self.args(s) + extra
        p = subprocess.Popen(cmd, env=api_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE)
        try:
            p.stdin.write(path.encode() + b"\n")
            p.stdin.flush()
            first = p.stdout.readline()
            s.control("/faults", "drop@1")
            p.stdin.write(path.encode() + b"\n")
            p.stdin.close()
            rest, err = p.stdout.read(), p.stderr.read()
            p.wait(RUN_LIMIT)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        r = Result(p.returncode, first + rest, err, 0, cmd)
        self.check_secrets(r)
        return s, r

    def test_get_resent_once_when_kept_connection_drops(self):
        s, r = self.two_requests_second_dropped("GET")
        self.assert_ok(r, lines=2)
        c = s.counters()
        self.assertEqual(c["requests"], 3, c)  # the dropped one was sent again
        self.assertEqual(c["connections"], 2, c)
        reqs = s.control("/requests")["requests"]
        self.assertEqual([q["faults"] for q in reqs], [[], ["drop"], []])

    def test_post_not_resent_when_kept_connection_drops(self):
        s, r = self.two_requests_second_dropped(
            "POST", '{"location":"%s","start":"2026-12-01T09:00:00.000Z"}')
        self.assertEqual(r.code, 3, str(r))
        self.assertEqual(len(r.stdout.splitlines()), 1, str(r))
        self.assertIn("may have been carried out", r.stderr)
        c = s.counters()
        self.assertEqual(c["requests"], 2, c)
        self.assertEqual(c["checkins_created"], 1, c)


class TestTokens(ApiTest):
    def test_token_expiring_mid_run_means_one_new_token(self):
        s = self.api_server("--fault", "expire:3")
        r = self.run_api(s, "GET", *(["/locations"] * 5))
        self.assert_ok(r, lines=5)
        c = s.counters()
        self.assertEqual(c["token_requests"], 2, c)
        self.assertEqual(c["status"].get("401"), 1, c)
        self.assertEqual(c["requests"], 6, c)
        self.assertEqual(c["connections"], 1, c)

    def test_revoked_token_one_refresh_then_success(self):
        s = self.api_server("--fault", "revoke:2")
        r = self.run_api(s, "GET", "/locations", "/locations", "/locations")
        self.assert_ok(r, lines=3)
        c = s.counters()
        self.assertEqual(c["token_requests"], 2, c)
        self.assertEqual(c["status"].get("401"), 1, c)

    def test_deleted_application_exit_4(self):
        s = self.api_server("--fault", "delete_client:2")
        r = self.run_api(s, "GET", "/locations", "/locations")
        self.assertEqual(r.code, 4, str(r))
        self.assertIn("invalid_client", r.stderr)
        c = s.counters()
        self.assertEqual(c["token_requests"], 2, c)
        self.assertEqual(c["requests"], 2, c)


class TestAnswers(ApiTest):
    def test_forbidden_is_exit_4_without_retry(self):
        s = self.api_server()
        r = self.run_api(s, "GET", "/locations", env=api_env(srv.LIMITED_ID, srv.LIMITED_SECRET),
                         scope=srv.READ)
        self.assertEqual(r.code, 4, str(r))
        self.assertIn("403", r.stderr)
        self.assertIn("insufficient scope", r.stderr.lower())
        c = s.counters()
        self.assertEqual(c["requests"], 1, c)
        self.assertEqual(c["token_requests"], 1, c)

    def test_rate_limited_is_exit_6_with_retry_after(self):
        s = self.api_server("--fault", "status429:7")
        r = self.run_api(s, "GET", "/locations", extra=["--retries", "0"])
        self.assertEqual(r.code, 6, str(r))
        self.assertIn("wait 7 s", r.stderr)
        self.assertEqual(s.counters()["requests"], 1)

    def test_retry_after_honoured_then_success(self):
        """429 with Retry-After: 1, then the same POST again (a 429 means it
        was not carried out): one check-in, made on the second send."""
        s = self.api_server()
        member, location = self.ids(s)
        s.control("/faults", "status429:1@1")
        body = json.dumps({"location": location, "start": "2026-12-01T09:00:00.000Z"})
        r = self.run_api(s, "POST", "/checkins/" + member, extra=["--data", body])
        self.assert_ok(r, lines=1)
        self.assertIn("retrying in 1.000 s", r.stderr)
        self.assertGreaterEqual(r.elapsed, 0.9)
        c = s.counters()
        self.assertEqual(c["requests"], 2, c)
        self.assertEqual(c["checkins_created"], 1, c)
        self.assertEqual(c["status"], {"429": 1, "201": 1}, c)

    def test_retry_after_beyond_max_wait_ends_the_run(self):
        s = self.api_server("--fault", "status503:60@1")
        r = self.run_api(s, "GET", "/locations", extra=["--max-wait", "5"])
        self.assertEqual(r.code, 6, str(r))
        self.assertIn("beyond --max-wait 5", r.stderr)
        self.assertLess(r.elapsed, 5)
        self.assertEqual(s.counters()["requests"], 1)

    def test_chunked_and_one_byte_answers(self):
        s = self.api_server()
        plain = self.run_api(s, "GET", "/members?$limit=3")
        s.control("/faults", "chunked")
        chunked = self.run_api(s, "GET", "/members?$limit=3")
        s.control("/faults", "onebyte")
        onebyte = self.run_api(s, "GET", "/members?$limit=3")
        for r in (plain, chunked, onebyte):
            self.assert_ok(r, lines=1)
        self.assertEqual(plain.out, chunked.out)
        self.assertEqual(plain.out, onebyte.out)


class TestHeads(ApiTest):
    """API answers behind heads as CDNs and frameworks send them
    (tests/server/heads.py): the same output and exit status as behind the
    server's plain head."""

    def test_200_behind_every_head(self):
        s = self.api_server()
        plain = self.run_api(s, "GET", "/members?$limit=2")
        self.assert_ok(plain, lines=1)
        for n in range(12):
            with self.subTest(head=n):
                s.control("/faults", "heads:%d" % n)
                r = self.run_api(s, "GET", "/members?$limit=2")
                self.assert_ok(r, lines=1)
                self.assertEqual(r.out, plain.out)
                s.control("/faults", "heads:%d chunked" % n)
                r = self.run_api(s, "GET", "/members?$limit=2")
                self.assertEqual(r.out, plain.out)

    def test_401_behind_the_largest_head_refreshes_once_then_exit_4(self):
        s = self.api_server("--fault", "heads:11", "--fault", "status401")
        r = self.run_api(s, "GET", "/locations")
        self.assertEqual(r.code, 4, str(r))
        self.assertIn("401", r.stderr)
        c = s.counters()
        self.assertEqual(c["requests"], 2, c)  # the first 401 said invalid_token
        self.assertEqual(c["token_requests"], 2, c)

    def test_429_behind_every_head(self):
        s = self.api_server()
        for n in range(12):
            with self.subTest(head=n):
                s.control("/faults", "heads:%d status429:7" % n)
                r = self.run_api(s, "GET", "/locations", extra=["--retries", "0"])
                self.assertEqual(r.code, 6, str(r))
                self.assertIn("wait 7 s", r.stderr)


class TestFraming(ApiTest):
    def test_close_delimited_answers(self):
        """No Content-Length: complete after close_notify; after a bare TCP
        close a truncation (exit 3), never output as whole."""
        s = self.api_server()
        plain = self.run_api(s, "GET", "/members?$limit=2")
        s.control("/faults", "close_delimited")
        r = self.run_api(s, "GET", "/members?$limit=2")
        self.assert_ok(r, lines=1)
        self.assertEqual(r.out, plain.out)
        s.control("/faults", "close_delimited close_bare")
        r = self.run_api(s, "GET", "/members?$limit=2")
        self.assertEqual(r.code, 3, str(r))
        self.assertIn("close_notify", r.stderr)
        s.control("/faults", "close_bare")
        r = self.run_api(s, "GET", "/members?$limit=2")
        self.assert_ok(r, lines=1)
        self.assertEqual(r.out, plain.out)

    def test_content_length_with_transfer_encoding_refused(self):
        s = self.api_server("--fault", "cl_te")
        r = self.run_api(s, "GET", "/locations")
        self.assertEqual(r.code, 5, str(r))
        self.assertIn("content-length", r.stderr.lower())
        self.assertEqual(r.out, b"")


class TestCheckins(ApiTest):
    def test_checkin_created(self):
        s = self.api_server()
        member, location = self.ids(s)
        body = json.dumps({"location": location, "start": "2026-12-01T09:00:00.000Z"})
        r = self.run_api(s, "POST", "/checkins/" + member, extra=["--data", body])
        self.assert_ok(r, lines=1)
        created = json.loads(r.stdout)
        self.assertEqual(created["member"], member)
        self.assertEqual(s.counters()["checkins_created"], 1)
        (req,) = s.control("/requests")["requests"]
        raw = base64.b64decode(req["raw_b64"])
        head, _, sent = raw.partition(b"\r\n\r\n")
        lines = head.decode("ascii").split("\r\n")
        self.assertEqual(lines[0], "POST /api/v2/organizations/%s/checkins/%s HTTP/1.1"
                         % (ORG, member))
        self.assertIn("Content-Type: application/json", lines)
        self.assertIn("Content-Length: %d" % len(body), lines)
        self.assertEqual([l for l in lines if l.startswith("Authorization: Bearer ")].__len__(), 1)
        self.assertEqual(sent, body.encode())

    def test_checkin_whose_connection_drops_is_reported_not_repeated(self):
        s = self.api_server()
        member, location = self.ids(s)
        s.control("/faults", "drop")
        body = json.dumps({"location": location, "start": "2026-12-01T09:00:00.000Z"})
        r = self.run_api(s, "POST", "/checkins/" + member, extra=["--data", body])
        self.assertEqual(r.code, 3, str(r))
        self.assertIn("may have been carried out", r.stderr)
        c = s.counters()
        self.assertEqual(c["requests"], 1, c)
        self.assertEqual(c["checkins_created"], 0, c)


class TestSelect(ApiTest):
    @staticmethod
    def pool_peak(r):
        m = re.search(r"TLS pool peak (\d+) bytes", r.stderr)
        return int(m.group(1)) if m else None

    def test_hundred_kb_page_to_fifty_lines_in_the_same_memory(self):
        """A ~100 KB page of 50 members reduced to its 50 emails; the TLS
        pool peaks where it does for a 2 KB answer."""
        s = self.api_server()
        small = self.run_api(s, "GET", "/members?$limit=1", extra=["--select", "results[].email"])
        big = self.run_api(s, "GET", "/members?$limit=50", extra=["--select", "results[].email"])
        self.assert_ok(small, lines=1)
        self.assert_ok(big, lines=50)
        for line in big.stdout.splitlines():
            self.assertRegex(line, r"^[a-z.0-9]+@[a-z]+\.example$")
        (_, req) = s.control("/requests")["requests"]
        self.assertIsNotNone(self.pool_peak(small), small.stderr)
        self.assertEqual(self.pool_peak(big), self.pool_peak(small))
        full = self.run_api(s, "GET", "/members?$limit=50")
        self.assertGreater(len(full.out), 90000)
        emails = [m["email"] for m in json.loads(full.stdout)["results"]]
        self.assertEqual(big.stdout.splitlines(), emails)

    def test_all_pages_over_one_connection(self):
        s = self.api_server()
        r = self.run_api(s, "GET", "/members?$limit=50",
                         extra=["--select", "results[]._id", "--all-pages"])
        self.assert_ok(r, lines=120)
        self.assertEqual(len(set(r.stdout.splitlines())), 120)
        self.assertIn("3 page(s)", r.stderr)
        c = s.counters()
        self.assertEqual(c["connections"], 1, c)
        self.assertEqual(c["requests"], 3, c)
        paths = [base64.b64decode(q["raw_b64"]).split(b" ")[1]
                 for q in s.control("/requests")["requests"]]
        self.assertEqual(paths[0], b"/api/v2/organizations/test-org/members?$limit=50")
        self.assertTrue(all(b"&$cursorNext=" in p for p in paths[1:]), paths)

    def test_bad_select_path_is_a_usage_error(self):
        s = self.api_server()
        r = self.run_api(s, "GET", "/members", extra=["--select", "results[.email"])
        self.assertEqual(r.code, 2, str(r))
        self.assertEqual(s.counters()["requests"], 0)


# the door example (DOOR_BIN, default build/host/door, relative to the repo root)
DOOR = _repo_path("DOOR_BIN", "build/host/door")


class TestPolled(ApiTest):
    """`ornd api --poll`: the token and every request stepped from a loop
    with ornd_token_poll() / ornd_api_start() + ornd_api_poll(); what the
    server sees and what is printed are those of the blocking calls."""

    POLL_RE = re.compile(r"^ornd: ornd_api_poll: (\w+) after (\d+) loop passes$", re.M)

    def polls(self, r):
        return [(m.group(1), int(m.group(2))) for m in self.POLL_RE.finditer(r.stderr)]

    def test_polled_requests_over_one_connection_as_blocking_ones(self):
        s = self.api_server()
        blocking = self.run_api(s, "GET", "/members?$limit=2", "/locations")
        s.control("/reset", "")
        r = self.run_api(s, "GET", "/members?$limit=2", "/locations", extra=["--poll"])
        self.assert_ok(r, lines=2)
        self.assertEqual(r.out, blocking.out)
        polls = self.polls(r)
        self.assertEqual([p[0] for p in polls], ["ORND_OK", "ORND_OK"], r.stderr)
        # the first request waited for a token and a handshake: many passes
        self.assertGreaterEqual(polls[0][1], 3, r.stderr)
        c = s.counters()
        self.assertEqual(c["connections"], 1, c)
        self.assertEqual(c["requests"], 2, c)
        self.assertEqual(c["token_requests"], 1, c)

    def test_polled_answer_one_byte_at_a_time_with_select(self):
        s = self.api_server()
        s.control("/faults", "onebyte")
        r = self.run_api(s, "GET", "/members?$limit=3", extra=["--poll", "--select",
                                                              "results[].email"])
        self.assert_ok(r, lines=3)
        for line in r.stdout.splitlines():
            self.assertIn("@", line)
        (poll,) = self.polls(r)
        self.assertEqual(poll[0], "ORND_OK")
        self.assertGreater(poll[1], 50, r.stderr)  # an answer of many records

    def test_polled_checkin_sent_once_with_its_body(self):
        s = self.api_server()
        member, location = self.ids(s)
        body = json.dumps({"location": location, "start": "2026-12-01T09:00:00.000Z"})
        r = self.run_api(s, "POST", "/checkins/" + member, extra=["--data", body, "--poll"])
        self.assert_ok(r, lines=1)
        self.assertEqual(json.loads(r.stdout)["member"], member)
        (req,) = s.control("/requests")["requests"]
        self.assertEqual(base64.b64decode(req["raw_b64"]).partition(b"\r\n\r\n")[2],
                         body.encode())
        self.assertEqual(s.counters()["checkins_created"], 1)

    def test_polled_revoked_token_refreshed_once(self):
        s = self.api_server("--fault", "revoke:2")
        r = self.run_api(s, "GET", "/locations", "/locations", "/locations", extra=["--poll"])
        self.assert_ok(r, lines=3)
        c = s.counters()
        self.assertEqual(c["token_requests"], 2, c)
        self.assertEqual(c["status"].get("401"), 1, c)

    def test_polled_checkin_whose_connection_drops_is_not_repeated(self):
        s = self.api_server()
        member, location = self.ids(s)
        s.control("/faults", "drop")
        body = json.dumps({"location": location, "start": "2026-12-01T09:00:00.000Z"})
        r = self.run_api(s, "POST", "/checkins/" + member, extra=["--data", body, "--poll"])
        self.assertEqual(r.code, 3, str(r))
        self.assertIn("ORND_ERR_OUTCOME_UNKNOWN", r.stderr)
        c = s.counters()
        self.assertEqual(c["requests"], 1, c)
        self.assertEqual(c["checkins_created"], 0, c)

    def test_polled_walk_through_all_pages(self):
        s = self.api_server()
        blocking = self.run_api(s, "GET", "/members?$limit=50",
                                extra=["--select", "results[]._id", "--all-pages"])
        s.control("/reset", "")
        r = self.run_api(s, "GET", "/members?$limit=50",
                         extra=["--select", "results[]._id", "--all-pages", "--poll"])
        self.assert_ok(r, lines=120)
        self.assertEqual(r.out, blocking.out)
        self.assertIn("3 page(s)", r.stderr)
        m = re.search(r"ornd_api_pages_poll: ORND_OK after (\d+) loop passes", r.stderr)
        self.assertIsNotNone(m, r.stderr)
        self.assertGreater(int(m.group(1)), 3, r.stderr)
        c = s.counters()
        self.assertEqual(c["connections"], 1, c)
        self.assertEqual(c["requests"], 3, c)


class TestDoor(ApiTest):
    def door(self, s, badges, fault=None):
        token_url = "https://localhost:%d/oauth/token" % s.ports["IDENTITY"]
        api_url = "https://localhost:%d/api/v2/organizations" % s.port
        member, location = self.ids(s)
        env = dict(api_env(), ORND_ORG=ORG, ORND_LOCATION=location, ORND_TOKEN_URL=token_url,
                   ORND_API_URL=api_url, ORND_CA_FILE=str(CA))
        token, _ = s.token()
        c = s.conn()
        _, raw = srv.call(c, "GET", srv.ORG + "/members/" + member, token)
        c.close()
        email = json.loads(raw)["email"]
        s.control("/reset", "")
        if fault:
            s.control("/faults", fault)  # counted from now: the lookup is request 1
        lines = "".join(b.replace("MEMBER", email) + "\n" for b in badges)
        p = subprocess.run([str(DOOR)], env=env, input=lines.encode(), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, timeout=RUN_LIMIT)
        r = Result(p.returncode, p.stdout, p.stderr, 0, [str(DOOR)])
        self.check_secrets(r)
        self.assertEqual(r.code, 0, str(r))
        return r, json.loads(raw)["name"]

    def test_member_in_stranger_out(self):
        s = self.api_server()
        r, name = self.door(s, ["MEMBER", "nobody@example.com"])
        self.assertIn("door: OPEN for %s (check-in " % name, r.stdout)
        self.assertIn("door: DENIED nobody@example.com: not a member", r.stdout)
        c = s.counters()
        self.assertEqual(c["checkins_created"], 1, c)
        self.assertEqual(c["connections"], 1, c)

    def test_badge_too_long_to_look_up_is_refused_plainly(self):
        """A badge whose lookup path cannot be built is refused before any
        request, with the reason and nothing made up (no Retry-After); a
        line longer than any badge is refused whole, not cut into two."""
        s = self.api_server()
        long_badge = "x" * 200 + "@example.com"
        huge_badge = "y" * 300 + "@example.com"
        r, _ = self.door(s, [long_badge, huge_badge, "MEMBER"])
        self.assertIn("door: DENIED %s: invalid argument\n" % long_badge, r.stdout)
        self.assertIn("door: DENIED a badge longer than 254 bytes\n", r.stdout)
        self.assertNotIn("yyy", r.stdout)
        self.assertNotIn("try again", r.stdout)
        self.assertIn("door: OPEN for ", r.stdout)  # the next badge goes on
        self.assertEqual(s.counters()["requests"], 2)  # the member's lookup + check-in

    def test_answer_lost_after_checkin_is_looked_up_not_resent(self):
        """The check-in is made but its answer is cut: the door asks for the
        member's check-ins and opens; the POST went out once."""
        s = self.api_server()
        r, name = self.door(s, ["MEMBER"], fault="truncate@1+1")
        self.assertIn("may or may not exist; looking", r.stdout)
        self.assertIn("door: OPEN for %s" % name, r.stdout)
        c = s.counters()
        self.assertEqual(c["checkins_created"], 1, c)
        posts = [q for q in s.control("/requests")["requests"]
                 if base64.b64decode(q["raw_b64"]).startswith(b"POST")]
        self.assertEqual(len(posts), 1)

    def test_dropped_checkin_is_looked_up_and_the_door_stays_shut(self):
        s = self.api_server()
        r, name = self.door(s, ["MEMBER"], fault="drop@1+1")
        self.assertIn("may or may not exist; looking", r.stdout)
        self.assertIn("door: DENIED %s" % name, r.stdout)
        self.assertEqual(s.counters()["checkins_created"], 0)
