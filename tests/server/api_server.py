#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Local stand-in for OfficeRnD's Flex v2 API, together with the identity
server that issues its tokens, in ONE process, for tests and demos.

    python3 tests/server/api_server.py --certs build/test-run/certs --control \\
        --client demo-id:demo-secret:flex.community.members.read,flex.community.checkins.create

Prints `IDENTITY <port>` (the token endpoint, tests/server/identity_server.py
unchanged), `CONTROL <port>` (with --control), then `READY <port>` (the API).
Both servers listen on 127.0.0.1 and, when available, ::1.

Why one process: the API must accept exactly the tokens the identity server
issued and has not expired or revoked, and deleting a client application
must be seen by both at once. Sharing Python objects (a TokenStore and the
clients dict) under a lock is simpler and more robust than a store file or a
socket protocol between two processes.

Only the Python standard library is used. See tests/server/README.md.
"""

import argparse
import base64
import copy
import json
import os
import random
import re
import socket
import ssl
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402  (same directory)
import identity_server as ids  # noqa: E402

API_PREFIX = "/api/v2/organizations/"
PAGE_MAX = 50                 # `$limit` default and maximum (OFFICERND-API.md)
DEFAULT_MEMBERS = 120
DEFAULT_ORG = "test-org"

SCOPE_MEMBERS = "flex.community.members.read"
SCOPE_CHECKINS = "flex.community.checkins.create"
SCOPE_CHECKINS_READ = "flex.community.checkins.read"
SCOPE_BOOKINGS = "flex.space.bookings.read"
SCOPE_RESOURCES = "flex.space.resources.read"
SCOPE_LOCATIONS = "flex.space.locations.read"

# API request faults; same NAME[:ARG][@COUNT] syntax as the identity server.
API_FAULTS = {
    "status401": None,     # 401 + WWW-Authenticate: Bearer error="invalid_token"
    "bare401": None,       # 401 with only {"message"}, no WWW-Authenticate
    "status403": None,     # 403 insufficient_scope whatever the token
    "status429": "opt_int",  # 429, Retry-After: ARG (default 1)
    "status503": "opt_int",  # 503, Retry-After: ARG (default 1)
    "status500": None,
    "drop": None,          # read the request, close (close_notify + FIN), no answer
    "reset": None,         # read the request, close with a TCP RST, no answer
    "close": None,         # answer with Connection: close, then close
    "chunked": None,       # Transfer-Encoding: chunked (several chunks + trailer)
    "onebyte": None,       # one byte per TLS record
    "slow": "int",         # write in 1024-byte pieces, ARG ms apart
    "delay": "int",        # wait ARG ms before answering
    "stall": None,         # read the request, never answer (held up to 30 s)
    "truncate": None,      # head + half the body, then close
    "heads": "int",        # the fields of head ARG of tests/server/heads.py added
    "close_delimited": None,  # no Content-Length: the body ends with the close
    "close_bare": None,    # close after the answer without TLS close_notify (FIN only)
    "cl_te": None,         # Content-Length and Transfer-Encoding: chunked together
}

# Actions done when the Nth API request from now arrives (ARG = N, default 1),
# before it is answered; so one run of a client can see a token go bad
# between two of its requests.
API_TRIGGERS = {
    "revoke": "all",            # revoke every token issued so far
    "revoke_one": "presented",  # revoke the token this request carries
    "expire": "all",            # expire every token issued so far
    "expire_one": "presented",  # expire the token this request carries
    "delete_client": "presented",  # delete the application of this request's token
}

ids.REASONS.update({201: "Created", 403: "Forbidden", 503: "Service Unavailable"})


class ApiFault(common.Fault):
    """A fault that may first let SKIP requests pass (NAME[:ARG][@COUNT][+SKIP]),
    so that one run of a client meets it on, say, its second request."""

    def __init__(self, name, arg, count, skip=0):
        super().__init__(name, arg, count)
        self.skip = skip

    def spec(self):
        return super().spec() + ("+%d" % self.skip if self.skip else "")


def parse_api_fault(spec):
    """NAME[:ARG][@COUNT][+SKIP] -> a fault for the API server."""
    text, skip = spec, 0
    if "+" in text:
        text, _, k = text.rpartition("+")
        if not k.isdigit():
            raise ValueError("fault %r: +SKIP must be a number of requests" % spec)
        skip = int(k)
    f = parse_api_fault_counted(text)
    if skip and f.name in API_TRIGGERS:
        raise ValueError("fault %r: a trigger counts requests itself; +SKIP does not apply" % spec)
    return ApiFault(f.name, f.arg, f.count, skip)


def parse_api_fault_counted(spec):
    """NAME[:ARG][@COUNT] -> common.Fault for the API server."""
    name, sep, arg, count = common.split_fault(spec)
    if name in API_TRIGGERS:
        if count is not None:
            raise ValueError("fault %r: %s happens once, @COUNT does not apply" % (spec, name))
        if sep and (not arg.isdigit() or int(arg) < 1):
            raise ValueError("fault %r: argument must be a request number >= 1" % spec)
        return common.Fault(name, int(arg) if sep else 1, None)
    if name not in API_FAULTS:
        raise ValueError("unknown API fault %r (known: %s)"
                         % (spec, ", ".join(list(API_FAULTS) + list(API_TRIGGERS))))
    common.check_fault_arg(spec, name, API_FAULTS[name], sep, 100)
    value = None
    if sep:
        if not arg.isdigit() or int(arg) > ids.DELAY_MAX_MS:
            raise ValueError("fault %r: argument must be an integer 0..%d"
                             % (spec, ids.DELAY_MAX_MS))
        value = int(arg)
    return common.Fault(name, value, count)


class ApiFaultSet(common.FaultSet):
    def take_request(self):
        """(faults for this request, trigger names firing on it)."""
        with self.lock:
            fired, keep, waiting = [], [], []
            for f in self.faults:
                if f.name in API_TRIGGERS:
                    f.arg -= 1
                    if f.arg == 0:
                        fired.append(f.name)
                        continue
                if getattr(f, "skip", 0) > 0:
                    f.skip -= 1  # this request passes it by
                    waiting.append(f)
                    continue
                keep.append(f)
            self.faults = keep
            taken = self._take(API_FAULTS)
            self.faults = self.faults + waiting
            return taken, fired


# ---- shared state -----------------------------------------------------------

class TokenStore:
    """Tokens issued by the identity server: token -> dict(client, scopes,
    expires (unix time), revoked, n (issue order, 1-based))."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tokens = {}
        self.order = []

    def add(self, token, client, scopes, lifetime):
        with self.lock:
            self.order.append(token)
            self.tokens[token] = {"client": client, "scopes": list(scopes),
                                  "expires": time.time() + lifetime, "revoked": False,
                                  "n": len(self.order)}

    def lookup(self, token):
        with self.lock:
            info = self.tokens.get(token)
            return dict(info) if info else None

    def _select(self, which):
        if which in ("", "all"):
            return list(self.order)
        if which == "last":
            return self.order[-1:]
        if which.isdigit():
            n = int(which)
            return self.order[n - 1:n] if n >= 1 else []
        return [which] if which in self.tokens else []

    def revoke(self, which):
        with self.lock:
            sel = self._select(which)
            for t in sel:
                self.tokens[t]["revoked"] = True
            return len(sel)

    def expire(self, which):
        with self.lock:
            sel = self._select(which)
            for t in sel:
                self.tokens[t]["expires"] = time.time() - 1
            return len(sel)

    def summary(self):
        now = time.time()
        with self.lock:
            return [{"n": i["n"], "client": i["client"], "scope": " ".join(i["scopes"]),
                     "prefix": t[:16], "expires_in": round(i["expires"] - now, 1),
                     "revoked": i["revoked"]}
                    for t, i in ((t, self.tokens[t]) for t in self.order)]


class Counters:
    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.v = {"connections": 0, "handshakes_full": 0, "handshakes_resumed": 0,
                  "tls_errors": 0, "requests": 0, "requests_per_connection": {},
                  "closed_idle": 0, "closed_by_client": 0, "closed_by_server": 0,
                  "status": {}, "checkins_created": 0,
                  "identity_connections": 0, "identity_handshakes_full": 0,
                  "identity_handshakes_resumed": 0, "token_requests": 0, "tokens_issued": 0}
        self.requests = []

    def add(self, name, n=1):
        with self.lock:
            self.v[name] += n

    def bump(self, table, key):
        with self.lock:
            t = self.v[table]
            t[str(key)] = t.get(str(key), 0) + 1

    def record(self, rec):
        with self.lock:
            self.requests.append(rec)

    def snapshot(self):
        with self.lock:
            return copy.deepcopy(self.v)


# ---- the identity server, recording what it issues ---------------------------

class TokenIssuer(ids.IdentityServer):
    """The unchanged identity server, plus: every granted token is entered
    in the shared TokenStore with the lifetime it announced."""

    def __init__(self, args, clients, faults, store, counters, expires_in):
        super().__init__(args, clients, faults)
        self.store = store
        self.counters = counters
        self.expires_in = expires_in

        class CountingSocket(ssl.SSLSocket):
            """Counts the token endpoint's handshakes, full or resumed."""

            def do_handshake(self, *a, **kw):
                super().do_handshake(*a, **kw)
                counters.add("identity_handshakes_resumed" if self.session_reused
                             else "identity_handshakes_full")

        for ctx in self.contexts.values():
            ctx.sslsocket_class = CountingSocket

    def connection(self, raw, addr, conn_id):
        self.counters.add("identity_connections")
        super().connection(raw, addr, conn_id)

    def process(self, req, faults):
        self.counters.add("token_requests")
        resp, form = super().process(req, faults)
        if resp.status == 200 and resp.outcome == "granted":
            answer = json.loads(resp.body)
            if self.expires_in is not None:
                answer["expires_in"] = self.expires_in
                resp.body = json.dumps(answer, separators=(",", ":")).encode()
            self.store.add(answer["access_token"], form["client_id"],
                           answer["scope"].split(" "), answer["expires_in"] + 1)
            self.counters.add("tokens_issued")
        return resp, form


# ---- deterministic data -----------------------------------------------------

FIRST = ["Ada", "Boris", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiro", "Ines",
         "Jonas", "Katya", "Luis", "Mara", "Nikolai", "Olga", "Pavel", "Quinn", "Rosa",
         "Stefan", "Tamara", "Umar", "Vera", "Wout", "Xenia", "Yusuf", "Zofia"]
LAST = ["Andersen", "Botev", "Costa", "Dimitrov", "Eriksen", "Fischer", "Georgiev",
        "Horvat", "Ivanova", "Jansen", "Kowalski", "Lambert", "Marin", "Novak",
        "Olsen", "Petrov", "Quist", "Rossi", "Schmidt", "Todorova", "Urban", "Varga"]
COMPANIES = ["Northwind Labs", "Blue Fern Studio", "Kestrel Analytics", "Orbit Foods",
             "Patchwork Legal", "Quiet Harbor Games", "Riverstone Energy", "Tidal Print"]
CITIES = [("Sofia", "BG", "1000"), ("London", "GB", "EC1V 9HX"), ("Berlin", "DE", "10115"),
          ("Lisbon", "PT", "1100-148")]
WORDS = ("desk hot focus quiet window meeting coffee community event printer locker "
         "parking bike shower kitchen terrace phone booth member plan invoice credit "
         "hybrid flexible office team startup remote studio design").split()


def oid(rng):
    return "%024x" % rng.getrandbits(96)


def iso(t):
    return time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime(t))


class Data:
    """Members, locations, resources (desks), bookings; same seed -> same
    bytes. Check-ins are added by POST."""

    def __init__(self, seed, n_members, base_date):
        rng = random.Random(seed)
        self.lock = threading.Lock()
        base = int(time.mktime(time.strptime(base_date, "%Y-%m-%d"))) - time.timezone
        self.base = base
        self.locations = []
        for i, (city, country, zipc) in enumerate(CITIES[:3]):
            self.locations.append({
                "_id": oid(rng), "name": "%s Hub" % city, "code": city[:3].upper(),
                "timezone": "Europe/%s" % city, "isOpen": True, "isPublic": True,
                "address": {"country": country, "city": city, "zip": zipc,
                            "street": "%d %s Street" % (rng.randint(1, 200), rng.choice(LAST))},
                "createdAt": iso(base - 400 * 86400 + i * 3600)})
        self.teams = [{"_id": oid(rng), "name": c} for c in COMPANIES]
        self.members = [self._member(rng, i) for i in range(n_members)]
        self.resources = []
        for i in range(40):
            loc = self.locations[i % len(self.locations)]
            self.resources.append({
                "_id": oid(rng), "name": "Desk %s-%02d" % (loc["code"], i + 1),
                "type": "hotdesk" if i % 4 else "dedicated_desk",
                "location": loc["_id"], "floor": "Floor %d" % (1 + i % 3),
                "capacity": 1, "isBookable": True, "rate": None,
                "createdAt": iso(base - 300 * 86400 + i * 60)})
        self.bookings = []
        for day in range(7):
            for res in self.resources:
                if rng.random() < 0.55:
                    m = rng.choice(self.members)
                    start = base + day * 86400 + rng.choice([7, 8, 9, 10, 13]) * 3600
                    end = start + rng.choice([2, 4, 8]) * 3600
                    self.bookings.append({
                        "_id": oid(rng), "resource": res["_id"], "location": res["location"],
                        "member": m["_id"], "team": m["team"],
                        "start": {"dateTime": iso(start), "timezone": "UTC"},
                        "end": {"dateTime": iso(end), "timezone": "UTC"},
                        "summary": "%s booking" % res["name"],
                        "description": " ".join(rng.choice(WORDS) for _ in range(185)),
                        "source": rng.choice(["admin", "members_portal", "mobile_app"]),
                        "canceled": False, "tentative": False, "free": False,
                        "fees": [], "extras": {}, "recurrence": None,
                        "createdAt": iso(start - 86400 * rng.randint(1, 30)),
                        "modifiedAt": iso(start - 3600 * rng.randint(1, 20))})
        self.bookings.sort(key=lambda b: (b["start"]["dateTime"], b["_id"]))
        self.checkins = []
        self.id_rng = random.Random(seed + 1)

    def _member(self, rng, i):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        team = rng.choice(self.teams)
        loc = rng.choice(self.locations)
        created = self.base - rng.randint(30, 900) * 86400
        email = "%s.%s%d@%s.example" % (first.lower(), last.lower(), i,
                                        team["name"].split()[0].lower())
        m = {
            "_id": oid(rng), "name": "%s %s" % (first, last), "email": email,
            "phone": "+359 88 %03d %04d" % (rng.randint(0, 999), rng.randint(0, 9999)),
            "team": team["_id"], "company": team["name"], "location": loc["_id"],
            "status": "active", "calculatedStatus": "active", "isContactPerson": i % 7 == 0,
            "startDate": iso(created), "createdAt": iso(created),
            "modifiedAt": iso(created + rng.randint(1, 20) * 86400),
            "image": "https://cdn.example/avatars/%d.png" % i,
            "address": {"country": loc["address"]["country"], "state": None,
                        "city": loc["address"]["city"], "zip": loc["address"]["zip"],
                        "street": "%d %s Road" % (rng.randint(1, 300), rng.choice(LAST))},
            "billingDetails": {"billingName": team["name"], "vatNumber": "BG%09d"
                               % rng.randint(0, 10 ** 9 - 1), "currency": "EUR",
                               "paymentMethod": rng.choice(["card", "bank", "cash"])},
            "properties": {"badgeId": "B%06d" % rng.randint(0, 999999),
                           "dietary": rng.choice(["none", "vegetarian", "vegan"]),
                           "newsletter": rng.random() < 0.5},
            "tags": sorted(set(rng.choice(WORDS) for _ in range(4))),
            "socialProfiles": {"linkedin": "https://linkedin.example/in/%s%s%d"
                                           % (first.lower(), last.lower(), i)},
            "twoFactorAuth": False, "portalAccess": True,
        }
        # Free text up to a record of about 2 KB, so 50 make a ~100 KB page.
        words = []
        while len(json.dumps(m)) + sum(len(w) + 1 for w in words) < 1980 + rng.randint(0, 200):
            words.append(rng.choice(WORDS))
        m["description"] = " ".join(words)
        return m

    def new_checkin(self, member, location, start, end, client):
        with self.lock:
            c = {"_id": oid(self.id_rng), "member": member, "location": location,
                 "start": start, "end": end, "createdAt": iso(time.time()),
                 "createdBy": client}
            self.checkins.append(c)
            return c


# ---- the API server ---------------------------------------------------------

class ApiError(Exception):
    def __init__(self, status, message, headers=None, error=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or []
        self.error = error


def b64cursor(kind, offset):
    return ids.b64url(("%s:%d" % (kind, offset)).encode())


def parse_cursor(kind, text):
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode("ascii")
        k, _, n = raw.partition(":")
        if k == kind and n.isdigit():
            return int(n)
    except (ValueError, UnicodeDecodeError):
        pass
    raise ApiError(400, "Invalid cursor")


def bearer_header(error, description, scope=None):
    v = 'Bearer realm="officernd", error="%s", error_description="%s"' % (error, description)
    if scope:
        v += ', scope="%s"' % scope
    return ("WWW-Authenticate", v)


class ApiServer(ids.IdentityServer):
    """Serves /api/v2/organizations/{org}/... over the identity server's TLS
    and HTTP machinery (same contexts, parser, faults style, log)."""

    def __init__(self, args, clients, faults, store, counters, data):
        super().__init__(args, clients, faults)
        self.store = store
        self.counters = counters
        self.data = data
        self.org = args.org
        self.idle_timeout = args.idle_timeout
        self.close_idle_gen = 0
        self.idle_conns = set()
        self.idle_lock = threading.Lock()

    def connection(self, raw, addr, conn_id):
        self.counters.add("connections")
        super().connection(raw, addr, conn_id)

    def _connection(self, raw, addr, conn_id):
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        raw.settimeout(min(ids.HANDSHAKE_TIMEOUT, max(self.remaining(), 0.1)))
        try:
            tls = self.contexts["server"].wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.counters.add("tls_errors")
            self.log.write({"event": "tls_error", "conn": conn_id, "reason": str(e)})
            return
        resumed = tls.session_reused
        self.counters.add("handshakes_resumed" if resumed else "handshakes_full")
        with self.counters.lock:  # a connection with no request shows 0
            self.counters.v["requests_per_connection"][str(conn_id)] = 0
        self.log.write({"event": "connect", "conn": conn_id, "peer": addr[0],
                        "tls": tls.version(), "cipher": tls.cipher()[0],
                        "resumed": resumed})
        buf = b""
        seq = 0
        while not self.stop.is_set():
            seq += 1
            try:
                req, buf, why = self.next_request(tls, buf, conn_id, seq)
            except ids.BadRequest as e:
                self.log.write({"event": "bad_request", "conn": conn_id, "seq": seq,
                                "status": e.status, "reason": e.description})
                resp = ids.json_response(e.status, {"message": e.description})
                head, body = self.serialize(resp, {}, close=True)
                self.write(tls, head + body, one_byte=False)
                self.close_tls(tls)
                self.counters.add("closed_by_server")
                return
            if req is None:
                self.counters.add("closed_idle" if why == "idle" else "closed_by_client")
                self.log.write({"event": "close", "conn": conn_id, "reason": why,
                                "requests": seq - 1})
                if why == "idle":
                    self.close_tls(tls)
                return
            self.counters.bump("requests_per_connection", conn_id)
            if not self.answer(tls, req, conn_id, seq):
                self.counters.add("closed_by_server")
                self.log.write({"event": "close", "conn": conn_id, "reason": "server",
                                "requests": seq})
                return
        self.close_tls(tls)

    def next_request(self, tls, buf, conn_id, seq):
        """Wait for the next request, closing an idle connection after
        --idle-timeout or on the control command. (Request|None, buf, why)."""
        if not buf:
            start = time.monotonic()
            gen = self.close_idle_gen
            while True:
                if self.stop.is_set():
                    raise ids.Stop()
                if self.close_idle_gen != gen:
                    return None, b"", "idle"
                left = self.idle_timeout - (time.monotonic() - start)
                if left <= 0:
                    return None, b"", "idle"
                data = self.recv(tls, min(left, 0.05))
                if data is None:
                    continue
                if data == b"":
                    return None, b"", "client"
                buf = data
                break
        req, buf = self.read_request(tls, buf, conn_id, seq)
        return req, buf, "client"

    # -- answering --

    def fire(self, req, names):
        token = None
        auth = req.header("authorization")
        if auth:
            token = auth[0].partition(" ")[2].strip()
        for name in names:
            if API_TRIGGERS[name] == "all":
                which = "all"
            else:
                which = token if token and self.store.lookup(token) else None
            if which is None:
                continue
            if name.startswith("revoke"):
                self.store.revoke(which)
            elif name.startswith("expire"):
                self.store.expire(which)
            else:
                self.clients.pop(self.store.lookup(which)["client"], None)

    def answer(self, tls, req, conn_id, seq):
        faults, fired = self.faults.take_request()
        self.fire(req, fired)
        self.counters.add("requests")
        raw = req.raw_head + req.body
        record = {"conn": conn_id, "seq": seq, "t": time.time(),
                  "raw_b64": base64.b64encode(raw).decode(),
                  "faults": sorted(faults) + fired}
        self.counters.record({"conn": conn_id, "seq": seq,
                              "raw_b64": record["raw_b64"], "faults": record["faults"]})
        for name in ("stall", "drop", "reset"):
            if name in faults:
                record["outcome"] = name
                self.log.write(record)
                if name == "stall":
                    self.hold(tls, ids.STALL_MAX)
                elif name == "drop":
                    self.close_tls(tls)
                else:
                    raw_sock = socket.socket(fileno=os.dup(tls.fileno()))
                    raw_sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                        b"\x01\x00\x00\x00\x00\x00\x00\x00")
                    raw_sock.close()
                    tls.close()
                return False
        resp = self.process(req, faults)
        self.counters.bump("status", resp.status)
        close = (req.wants_close() or "close" in faults or "truncate" in faults
                 or "close_delimited" in faults or "close_bare" in faults)
        head, body = self.serialize(resp, faults, close)
        if "truncate" in faults:
            body = body[: len(body) // 2]
        record["status"] = resp.status
        record["outcome"] = resp.outcome
        record["response_head_b64"] = base64.b64encode(head).decode()
        record["response_len"] = len(body)
        self.log.write(record)
        if "delay" in faults:
            self.sleep(faults["delay"] / 1000.0)
        if "slow" in faults:
            ok = self.write_slow(tls, head + body, faults["slow"] / 1000.0)
        else:
            ok = self.write(tls, head + body, one_byte="onebyte" in faults)
        if not ok:
            return False
        if "close_bare" in faults:
            self.close_bare(tls)
            return False
        if close:
            self.close_tls(tls)
            return False
        return True

    def write_slow(self, tls, data, pause):
        tls.settimeout(10.0)
        try:
            for i in range(0, len(data), 1024):
                tls.sendall(data[i:i + 1024])
                self.sleep(pause)
            return True
        except (ssl.SSLError, OSError):
            return False

    def process(self, req, faults):
        try:
            status, obj = self.route(req, faults)
            resp = ids.json_response(status, obj, outcome="ok")
        except ApiError as e:
            body = {"message": e.message}
            if e.error:
                body["error"] = e.error
            resp = ids.json_response(e.status, body, outcome=e.error or "error",
                                     headers=e.headers)
        return resp

    def authorize(self, req, faults, scope):
        """The token's client and scopes, or ApiError 401/403."""
        if "bare401" in faults:
            raise ApiError(401, "Unauthorized", error=None)
        if "status401" in faults:
            raise ApiError(401, "The access token is invalid",
                           [bearer_header("invalid_token", "The access token is invalid")],
                           "invalid_token")
        auth = req.header("authorization")
        if not auth:
            raise ApiError(401, "Authorization header missing",
                           [("WWW-Authenticate", 'Bearer realm="officernd"')])
        scheme, _, token = auth[0].partition(" ")
        if len(auth) != 1 or scheme.lower() != "bearer" or not token or " " in token.strip():
            raise ApiError(400, "Malformed Authorization header",
                           [bearer_header("invalid_request", "Malformed Authorization header")],
                           "invalid_request")
        info = self.store.lookup(token.strip())
        why = None
        if info is None:
            why = "The access token is unknown"
        elif info["revoked"]:
            why = "The access token has been revoked"
        elif info["expires"] <= time.time():
            why = "The access token expired"
        elif info["client"] not in self.clients:
            why = "The application of this access token was deleted"
        if why:
            raise ApiError(401, why, [bearer_header("invalid_token", why)], "invalid_token")
        if "status403" in faults or scope not in info["scopes"]:
            raise ApiError(403, "Insufficient scope: %s required" % scope,
                           [bearer_header("insufficient_scope",
                                          "The access token lacks scope " + scope, scope)],
                           "insufficient_scope")
        return info

    def route(self, req, faults):
        target = urllib.parse.urlsplit(req.target)
        path = target.path
        try:
            query = urllib.parse.parse_qs(target.query, keep_blank_values=True,
                                          strict_parsing=bool(target.query))
        except ValueError:
            raise ApiError(400, "Malformed query string")
        q = {k: v[-1] for k, v in query.items()}
        if not path.startswith(API_PREFIX):
            raise ApiError(404, "Not found")
        parts = path[len(API_PREFIX):].split("/")
        org, rest = parts[0], parts[1:]
        if req.method not in ("GET", "POST"):
            raise ApiError(405, "Method not allowed", [("Allow", "GET, POST")])
        is_get = req.method == "GET"

        scope = None
        if rest[:1] == ["members"] and is_get:
            scope = SCOPE_MEMBERS
        elif rest[:1] == ["checkins"]:
            scope = SCOPE_CHECKINS_READ if is_get else SCOPE_CHECKINS
        elif rest[:1] == ["bookings"] and is_get:
            scope = SCOPE_BOOKINGS
        elif rest[:1] == ["resources"] and is_get:
            scope = SCOPE_RESOURCES
        elif rest[:1] == ["locations"] and is_get:
            scope = SCOPE_LOCATIONS
        if scope is None:
            raise ApiError(404, "Not found")
        # Errors that are not about the token come after the token checks,
        # except the fault statuses, which come first (a proxy answering).
        if "status429" in faults:
            raise ApiError(429, ids.MESSAGE_429,
                           [("Retry-After", str(faults["status429"] or 1))], "rate_limited")
        if "status503" in faults:
            raise ApiError(503, "Service temporarily unavailable",
                           [("Retry-After", str(faults["status503"] or 1))], "unavailable")
        if "status500" in faults:
            raise ApiError(500, "Internal server error", error="server_error")
        info = self.authorize(req, faults, scope)
        if org != self.org:
            raise ApiError(404, "Organization %s not found" % org)
        d = self.data
        kind = rest[0]
        if is_get:
            if kind == "members":
                if len(rest) == 2:
                    return 200, self.one(d.members, rest[1], "Member", q)
                if len(rest) != 1:
                    raise ApiError(404, "Not found")
                items = d.members
                if "email" in q:
                    items = [m for m in items if m["email"] == q["email"]]
                return 200, self.page("members", items, q)
            if kind == "locations":
                if len(rest) == 2:
                    return 200, self.one(d.locations, rest[1], "Location", q)
                return 200, self.page("locations", d.locations, q)
            if kind == "resources":
                if len(rest) == 2:
                    return 200, self.one(d.resources, rest[1], "Resource", q)
                items = d.resources
                for f in ("location", "type"):
                    if f in q:
                        items = [r for r in items if r[f] == q[f]]
                return 200, self.page("resources", items, q)
            if kind == "bookings":
                if len(rest) == 2 and rest[1] != "occurrences":
                    return 200, self.one(d.bookings, rest[1], "Booking", q)
                items = d.bookings
                for f in ("resource", "member", "location", "team"):
                    if f in q:
                        items = [b for b in items if b[f] == q[f]]
                for key, op in (("start[$gte]", ">="), ("start[$gt]", ">"),
                                ("start[$lt]", "<"), ("start[$lte]", "<="),
                                ("end[$gt]", ">"), ("end[$gte]", ">="),
                                ("end[$lt]", "<"), ("end[$lte]", "<=")):
                    if key in q:
                        field = key.split("[")[0]
                        items = [b for b in items if compare(b[field]["dateTime"], op, q[key])]
                return 200, self.page("bookings", items, q)
            if kind == "checkins":
                with d.lock:
                    items = list(d.checkins)
                if "member" in q:
                    items = [c for c in items if c["member"] == q["member"]]
                return 200, self.page("checkins", items, q)
            raise ApiError(404, "Not found")
        # POST /checkins  or  POST /checkins/{memberId}
        if len(rest) > 2 or (len(rest) == 2 and rest[1] == "checkout"):
            raise ApiError(404, "Not found")
        ctypes = req.header("content-type")
        if not ctypes or ctypes[0].split(";")[0].strip().lower() != "application/json":
            raise ApiError(415, "Content-Type must be application/json")
        try:
            body = json.loads(req.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "Body is not valid JSON")
        if not isinstance(body, dict):
            raise ApiError(400, "Body must be a JSON object")
        member = rest[1] if len(rest) == 2 else body.get("member")
        location, start, end = body.get("location"), body.get("start"), body.get("end")
        if not isinstance(member, str) or not any(m["_id"] == member for m in d.members):
            raise ApiError(400, "member: unknown member %r" % (member,))
        if not isinstance(location, str) or not any(l["_id"] == location
                                                    for l in d.locations):
            raise ApiError(400, "location: unknown location %r" % (location,))
        if not isinstance(start, str) or not ISO_RE.match(start):
            raise ApiError(400, "start: an ISO 8601 date-time is required")
        if end is not None and (not isinstance(end, str) or not ISO_RE.match(end)):
            raise ApiError(400, "end: an ISO 8601 date-time or null is required")
        c = d.new_checkin(member, location, start, end, info["client"])
        self.counters.add("checkins_created")
        return 201, c

    def one(self, items, ident, what, q):
        for it in items:
            if it["_id"] == ident:
                return select_fields(it, q.get("$select"))
        raise ApiError(404, "%s %s not found" % (what, ident))

    def page(self, kind, items, q):
        lim = q.get("$limit", q.get("limit", str(PAGE_MAX)))
        if not lim.isdigit() or int(lim) < 1:
            raise ApiError(400, "$limit must be a positive integer")
        limit = min(int(lim), PAGE_MAX)
        offset = 0
        for key in ("$cursorNext", "cursorNext", "$cursorPrev", "cursorPrev"):
            if q.get(key):
                offset = parse_cursor(kind, q[key])
        offset = min(offset, len(items))
        chunk = items[offset:offset + limit]
        sel = q.get("$select")
        return {
            "results": [select_fields(it, sel) for it in chunk],
            "cursorNext": (b64cursor(kind, offset + limit)
                           if offset + limit < len(items) else None),
            "cursorPrev": b64cursor(kind, max(offset - limit, 0)) if offset > 0 else None,
            "rangeStart": offset,
            "rangeEnd": offset + len(chunk),
        }


ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def compare(a, op, b):
    return {">=": a >= b, ">": a > b, "<": a < b, "<=": a <= b}[op]


def select_fields(item, sel):
    if not sel:
        return item
    keep = {"_id"} | {s.strip() for s in sel.split(",")}
    return {k: v for k, v in item.items() if k in keep}


# ---- control socket ---------------------------------------------------------

def make_control(api, issuer):
    class Control(common.ControlHandler):
        def do_GET(self):
            if self.path == "/faults":
                self.reply(200, {"faults": api.faults.specs()})
            elif self.path == "/identity/faults":
                self.reply(200, {"faults": issuer.faults.specs()})
            elif self.path == "/counters":
                self.reply(200, api.counters.snapshot())
            elif self.path == "/requests":
                with api.counters.lock:
                    self.reply(200, {"requests": list(api.counters.requests)})
            elif self.path == "/tokens":
                self.reply(200, {"tokens": api.store.summary()})
            elif self.path == "/clients":
                self.reply(200, {"clients": sorted(api.clients)})
            else:
                self.reply(404, {"error": "unknown path %s" % self.path})

        def do_POST(self):
            text = self.body_text(65536).strip()
            if self.path in ("/faults", "/identity/faults"):
                target = api if self.path == "/faults" else issuer
                parse = parse_api_fault if target is api else ids.parse_fault
                self.set_faults(target.faults, parse, text)
            elif self.path == "/revoke":
                self.reply(200, {"revoked": api.store.revoke(text or "all")})
            elif self.path == "/expire":
                self.reply(200, {"expired": api.store.expire(text or "all")})
            elif self.path == "/delete-client":
                # The clients dict is shared with the identity server.
                gone = api.clients.pop(text, None) is not None
                self.reply(200 if gone else 404, {"deleted": gone, "client": text})
            elif self.path == "/close-idle":
                api.close_idle_gen += 1
                self.reply(200, {"close_idle": api.close_idle_gen})
            elif self.path == "/reset":
                api.counters.reset()
                self.reply(200, {"reset": True})
            else:
                self.reply(404, {"error": "unknown path %s" % self.path})

    return common.control_server(Control)


# ---- main -------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(
        description="Local OfficeRnD-like Flex v2 API + identity server (loopback, TLS).")
    common.add_server_options(p, fault_help="an API fault (repeatable)",
                              log_help="JSON-lines log of the API server",
                              port_help="API port (default: kernel picks)")
    p.add_argument("--identity-fault", action="append", default=[],
                   metavar="NAME[:ARG][@COUNT]", help="an identity server fault (repeatable)")
    p.add_argument("--identity-log", help="JSON-lines log of the identity server")
    p.add_argument("--identity-port", type=int, default=0, help="token endpoint port")
    p.add_argument("--org", default=DEFAULT_ORG, help="organization slug (default test-org)")
    p.add_argument("--members", type=int, default=DEFAULT_MEMBERS,
                   help="number of members (default %d)" % DEFAULT_MEMBERS)
    p.add_argument("--seed", type=int, default=1, help="data seed (default 1)")
    p.add_argument("--base-date", default="2026-12-01",
                   help="first day of the generated bookings week (YYYY-MM-DD)")
    p.add_argument("--idle-timeout", type=float, default=ids.IDLE_TIMEOUT,
                   help="close a kept-alive API connection idle this long (default %g s)"
                   % ids.IDLE_TIMEOUT)
    p.add_argument("--expires-in", type=int, default=None,
                   help="expires_in of issued tokens (default: the identity server's 3599)")
    args = p.parse_args(argv)
    common.check_lifetime(p, args)
    if args.idle_timeout <= 0:
        p.error("--idle-timeout must be positive")
    try:
        api_faults = [parse_api_fault(s) for s in args.fault]
        id_faults = [ids.parse_fault(s) for s in args.identity_fault]
        clients = common.read_clients(args)
        time.strptime(args.base_date, "%Y-%m-%d")
    except ValueError as e:
        p.error(str(e))
    if not clients:
        clients["demo-id"] = ("demo-secret", [SCOPE_MEMBERS, SCOPE_CHECKINS, SCOPE_BOOKINGS,
                                              SCOPE_RESOURCES, SCOPE_LOCATIONS])
        print("api_server: no --client given; using demo-id:demo-secret", file=sys.stderr)

    store, counters = TokenStore(), Counters()
    id_args = copy.copy(args)
    id_args.port, id_args.log = args.identity_port, args.identity_log
    issuer = TokenIssuer(id_args, clients, ids.FaultSet(id_faults), store, counters,
                         args.expires_in)
    api = ApiServer(args, clients, ApiFaultSet(api_faults), store, counters,
                    Data(args.seed, args.members, args.base_date))
    issuer.stop = api.stop  # one shutdown for both
    issuer.deadline = api.deadline
    common.stop_on_signals(api.stop)

    id_port, id_listeners = issuer.bind()
    port, listeners = api.bind()
    threading.Thread(target=issuer.serve, args=(id_listeners,), daemon=True).start()
    print("IDENTITY %d" % id_port, flush=True)
    control = common.start_control(make_control(api, issuer)) if args.control else None
    common.serve_then_exit(api, listeners, port, control,
                           "api_server: https://localhost:%d%s%s/ ; tokens at "
                           "https://localhost:%d%s ; lifetime %gs"
                           % (port, API_PREFIX, args.org, id_port, ids.TOKEN_PATH,
                              args.lifetime))


if __name__ == "__main__":
    main()
