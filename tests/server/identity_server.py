#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Local stand-in for OfficeRnD's identity server, for tests and demos.

Serves `POST /oauth/token` (OAuth 2.0 client-credentials grant, client
authentication by client_id/client_secret in the form body) over TLS on
loopback only, the way https://identity.officernd.com/oauth/token does, and
can misbehave on request (faults) so that a client's error handling can be
tested. Every request is recorded byte for byte in a JSON-lines log.

Only the Python standard library is used. The process ends by itself after
--lifetime seconds, and on SIGTERM or SIGINT.

    python3 tests/server/identity_server.py --certs build/test-run/certs \\
        --client demo-id:demo-secret:flex.community.members.read,flex.community.checkins.create

Prints `READY <port>` on stdout once it listens (127.0.0.1, and ::1 on the
same port when IPv6 loopback is available). See tests/server/README.md.
"""

import argparse
import base64
import errno
import hmac
import json
import os
import secrets
import selectors
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from email.utils import formatdate

import common
import heads
from common import Fault, Log

TOKEN_PATH = "/oauth/token"
FORM_TYPE = "application/x-www-form-urlencoded"

HEAD_MAX = 64 * 1024          # longest request head accepted
BODY_MAX = 64 * 1024          # longest request body accepted
HANDSHAKE_TIMEOUT = 10.0      # seconds for the TLS handshake
IDLE_TIMEOUT = 10.0           # keep-alive: seconds to wait for the next request
STALL_MAX = 30.0              # `stall` holds a connection at most this long
DELAY_MAX_MS = 60_000         # longest `delay:MS` accepted
TOKEN_LEN = 900               # length of a normal access token
BIG_TOKEN_LEN = 5000          # length of the `big_token` access token
EXPIRES_IN = 3599

TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

# Faults that change how one request is answered. The value says whether the
# fault takes an argument (NAME:ARG): None = none, "int" = required integer,
# "opt_int" = optional integer.
REQUEST_FAULTS = {
    "chunked": None,
    "onebyte": None,
    "delay": "int",
    "stall": None,
    "truncate": None,
    "garbage": None,
    "status429": "opt_int",
    "status500": None,
    "wrong_token_type": None,
    "big_token": None,
    "big_header": None,
    "many_headers": None,
    "bad_json": None,
    "message_401": None,
    "html_401": None,
    "heads": "int",          # the fields of head ARG of tests/server/heads.py added
    "close_delimited": None,  # no Content-Length: the body ends with the close
    "close_bare": None,      # close after the answer without TLS close_notify (FIN only)
    "cl_te": None,           # Content-Length and Transfer-Encoding: chunked together
}

# Faults that choose the certificate chain of one connection -> file stem.
CERT_FAULTS = {
    "cert_expired": "expired",
    "cert_wronghost": "wronghost",
    "cert_untrusted": "untrusted",
    "cert_rsa": "server-rsa",
    "cert_future": "future",
    "cert_chain": "chained",
    "cert_int_expired": "chained-int-expired",
    "cert_nosan": "nosan",
    "cert_dnsonly": "dnsonly",
}

CHAINS = ["server", "server-rsa", "expired", "wronghost", "untrusted", "future", "chained",
          "chained-int-expired", "nosan", "dnsonly"]

MESSAGE_401 = "Unauthorized: this application no longer exists"
MESSAGE_429 = "Too many requests, please try again later"

REASONS = {
    200: "OK",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Payload Too Large",
    429: "Too Many Requests",
    431: "Request Header Fields Too Large",
    500: "Internal Server Error",
    501: "Not Implemented",
}


class Stop(Exception):
    """The server is shutting down."""


def _note_sni(tls, server_name, ctx):
    """Remember the server name the client sent (None: no SNI) for the log."""
    tls.ornd_sni = server_name
    return None


# ---- faults -----------------------------------------------------------------

def parse_fault(spec):
    """Parse NAME[:ARG][@COUNT] into a Fault; raise ValueError if invalid."""
    name, sep, arg, count = common.split_fault(spec)
    if name in CERT_FAULTS:
        common.check_fault_arg(spec, name, None, sep, None)
        return Fault(name, None, count)
    if name not in REQUEST_FAULTS:
        raise ValueError("unknown fault %r (known: %s)"
                         % (name, ", ".join(list(REQUEST_FAULTS) + list(CERT_FAULTS))))
    common.check_fault_arg(spec, name, REQUEST_FAULTS[name], sep, 500)
    value = None
    if sep:
        if not arg.isdigit():
            raise ValueError("fault %r: argument must be a non-negative integer" % spec)
        value = int(arg)
        if name == "delay" and value > DELAY_MAX_MS:
            raise ValueError("fault %r: at most %d ms" % (spec, DELAY_MAX_MS))
    return Fault(name, value, count)


class FaultSet(common.FaultSet):
    """The faults in force; request faults are used up per request, cert
    faults per connection (when they have a count)."""

    def take_request(self):
        with self.lock:
            return self._take(REQUEST_FAULTS)

    def take_connection(self):
        """Certificate chain stem for a new connection, and the fault used."""
        with self.lock:
            taken = self._take(CERT_FAULTS)
        for name in CERT_FAULTS:  # at most one chain; first in table order wins
            if name in taken:
                return CERT_FAULTS[name], name
        return "server", None


# ---- HTTP helpers -----------------------------------------------------------

def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_token(client_id, scope, length):
    """A random access token that looks like a JWT (three base64url parts) of
    exactly `length` characters of [A-Za-z0-9-_.]."""
    now = int(time.time())
    header = b64url(json.dumps({"alg": "RS256", "typ": "JWT",
                                "kid": secrets.token_hex(8)}).encode())
    claims = {
        "iss": "https://identity.officernd.com/",
        "sub": client_id,
        "aud": "https://api.officernd.com",
        "iat": now,
        "exp": now + EXPIRES_IN + 1,
        "scope": scope,
        "gty": "client-credentials",
        "jti": secrets.token_hex(16),
    }
    payload = b64url(json.dumps(claims, separators=(",", ":")).encode())
    room = length - len(header) - 2
    if len(payload) > room - 86:  # keep room for a signature of 86+ chars
        payload = payload[: max(room - 86, 16)]
    sig_len = length - len(header) - len(payload) - 2
    signature = "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(sig_len))
    token = header + "." + payload + "." + signature
    return token[:length]


class Response:
    def __init__(self, status, body=b"", content_type="application/json; charset=utf-8",
                 headers=None, outcome=None):
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = list(headers or [])
        self.outcome = outcome
        self.close = False


def json_response(status, obj, outcome=None, headers=None):
    body = json.dumps(obj, separators=(",", ":")).encode()
    return Response(status, body, headers=headers, outcome=outcome)


def oauth_error(status, code, description):
    return json_response(status, {"error": code, "error_description": description},
                         outcome=code)


class BadRequest(Exception):
    """The request could not be read as HTTP; answered, then the connection
    is closed."""

    def __init__(self, status, description):
        super().__init__(description)
        self.status = status
        self.description = description


class Request:
    def __init__(self, raw_head, body, method, target, version, headers):
        self.raw_head = raw_head
        self.body = body
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers  # list of (lower-case name, value)

    def header(self, name):
        values = [v for n, v in self.headers if n == name]
        return values

    def wants_close(self):
        tokens = []
        for v in self.header("connection"):
            tokens += [t.strip().lower() for t in v.split(",")]
        if "close" in tokens:
            return True
        return self.version == "HTTP/1.0" and "keep-alive" not in tokens


def parse_head(raw_head):
    """Parse a request head (ending in CRLF CRLF) strictly."""
    try:
        text = raw_head.decode("ascii")
    except UnicodeDecodeError:
        raise BadRequest(400, "request head is not ASCII")
    lines = text[:-4].split("\r\n")
    parts = lines[0].split(" ")
    if len(parts) != 3 or not parts[0] or not parts[1]:
        raise BadRequest(400, "malformed request line")
    method, target, version = parts
    if version not in ("HTTP/1.1", "HTTP/1.0"):
        raise BadRequest(400, "unsupported HTTP version")
    headers = []
    for line in lines[1:]:
        if not line or line[0] in " \t":
            raise BadRequest(400, "malformed or folded header line")
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip() or any(c in name for c in " \t"):
            raise BadRequest(400, "malformed header line")
        headers.append((name.lower(), value.strip(" \t")))
    return method, target, version, headers


# ---- the server -------------------------------------------------------------

class IdentityServer:
    def __init__(self, args, clients, faults):
        self.args = args
        self.clients = clients  # id -> (secret, [scopes])
        self.faults = faults
        self.log = Log(args.log)
        self.stop = threading.Event()
        self.deadline = time.monotonic() + args.lifetime
        self.conn_lock = threading.Lock()
        self.conn_count = 0
        self.contexts = {}
        for stem in CHAINS:
            cert = os.path.join(args.certs, stem + ".pem")
            key = os.path.join(args.certs, stem + ".key")
            if not (os.path.exists(cert) and os.path.exists(key)):
                continue
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            ctx.maximum_version = ssl.TLSVersion.TLSv1_3
            if args.tls == "1.2":
                ctx.maximum_version = ssl.TLSVersion.TLSv1_2
            elif args.tls == "1.3":
                ctx.minimum_version = ssl.TLSVersion.TLSv1_3
            ctx.load_cert_chain(cert, key)
            ctx.sni_callback = _note_sni
            self.contexts[stem] = ctx
        if "server" not in self.contexts:
            raise SystemExit("identity_server: no server.pem/server.key in %s "
                             "(run scripts/make-test-pki.sh)" % args.certs)

    # -- time --

    def remaining(self):
        return self.deadline - time.monotonic()

    def sleep(self, seconds):
        """Sleep, cut short by shutdown; raises Stop when shutting down."""
        if self.stop.wait(min(seconds, max(self.remaining(), 0))):
            raise Stop()
        if self.remaining() <= 0:
            raise Stop()

    # -- listening --

    def bind(self):
        """127.0.0.1 on a kernel-chosen port, and ::1 on the same port when
        IPv6 loopback is available."""
        for _ in range(20):
            v4 = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            v4.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            v4.bind(("127.0.0.1", self.args.port))
            port = v4.getsockname()[1]
            socks = [v4]
            if socket.has_ipv6 and not self.args.no_ipv6:
                try:
                    v6 = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
                    v6.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                    v6.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    try:
                        v6.bind(("::1", port))
                        socks.append(v6)
                    except OSError as e:
                        v6.close()
                        if e.errno == errno.EADDRINUSE and self.args.port == 0:
                            v4.close()
                            continue  # try another port
                except OSError:
                    pass  # no IPv6 at all
            for s in socks:
                s.listen(64)
                s.setblocking(False)
            return port, socks
        raise SystemExit("identity_server: could not bind 127.0.0.1 and ::1 on one port")

    def serve(self, listeners):
        sel = selectors.DefaultSelector()
        for s in listeners:
            sel.register(s, selectors.EVENT_READ)
        while not self.stop.is_set() and self.remaining() > 0:
            for key, _ in sel.select(timeout=min(0.2, max(self.remaining(), 0.01))):
                try:
                    conn, addr = key.fileobj.accept()
                except (BlockingIOError, InterruptedError):
                    continue
                conn.setblocking(True)
                with self.conn_lock:
                    self.conn_count += 1
                    conn_id = self.conn_count
                t = threading.Thread(target=self.connection, args=(conn, addr, conn_id),
                                     daemon=True)
                t.start()
        self.stop.set()
        for s in listeners:
            sel.unregister(s)
            s.close()

    # -- one connection --

    def connection(self, raw, addr, conn_id):
        try:
            self._connection(raw, addr, conn_id)
        except Stop:
            pass
        except Exception as e:  # keep the server up whatever one connection does
            self.log.write({"event": "error", "conn": conn_id, "reason": repr(e)})
        finally:
            try:
                raw.close()
            except OSError:
                pass

    def _connection(self, raw, addr, conn_id):
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        raw.settimeout(min(HANDSHAKE_TIMEOUT, max(self.remaining(), 0.1)))
        stem, cert_fault = self.faults.take_connection()
        ctx = self.contexts.get(stem)
        if ctx is None:
            self.log.write({"event": "tls_error", "conn": conn_id,
                            "reason": "no certificate files for %s" % stem})
            return
        try:
            tls = ctx.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError) as e:
            self.log.write({"event": "tls_error", "conn": conn_id, "chain": stem,
                            "fault": cert_fault, "reason": str(e)})
            return
        self.log.write({"event": "connect", "conn": conn_id, "peer": addr[0],
                        "chain": stem, "fault": cert_fault, "tls": tls.version(),
                        "cipher": tls.cipher()[0], "sni": getattr(tls, "ornd_sni", None)})
        buf = b""
        seq = 0
        while not self.stop.is_set():
            seq += 1
            try:
                req, buf = self.read_request(tls, buf, conn_id, seq)
            except BadRequest as e:
                self.log.write({"event": "bad_request", "conn": conn_id, "seq": seq,
                                "status": e.status, "reason": e.description})
                resp = oauth_error(e.status, "invalid_request", e.description)
                head, body = self.serialize(resp, {}, close=True)
                self.write(tls, head + body, one_byte=False)
                self.close_tls(tls)
                return
            if req is None:
                return
            if not self.answer(tls, req, conn_id, seq):
                return
        self.close_tls(tls)

    def recv(self, tls, idle):
        """Next bytes from the client, b"" on close; None on idle timeout."""
        tls.settimeout(min(idle, max(self.remaining(), 0.05)))
        try:
            return tls.recv(65536)
        except socket.timeout:
            return None
        except (ssl.SSLError, OSError):
            return b""

    def read_request(self, tls, buf, conn_id, seq):
        """Read one request (head and Content-Length body). Returns
        (Request, leftover) or (None, b"") when the client went away."""
        while b"\r\n\r\n" not in buf:
            if len(buf) > HEAD_MAX:
                raise BadRequest(431, "request head too large")
            data = self.recv(tls, IDLE_TIMEOUT)
            if not data:
                if buf:
                    self.log.write({"conn": conn_id, "seq": seq, "incomplete": True,
                                    "raw_b64": base64.b64encode(buf).decode(),
                                    "t": time.time()})
                return None, b""
            buf += data
        end = buf.index(b"\r\n\r\n") + 4
        raw_head, buf = buf[:end], buf[end:]
        try:
            method, target, version, headers = parse_head(raw_head)
        except BadRequest:
            self.log.write({"conn": conn_id, "seq": seq, "bad_head": True,
                            "raw_b64": base64.b64encode(raw_head).decode(),
                            "t": time.time()})
            raise
        if any(n == "transfer-encoding" for n, _ in headers):
            raise BadRequest(501, "request bodies with Transfer-Encoding are not supported")
        lengths = [v for n, v in headers if n == "content-length"]
        length = 0
        if lengths:
            if len(set(lengths)) != 1 or not lengths[0].isdigit():
                raise BadRequest(400, "invalid Content-Length")
            length = int(lengths[0])
            if length > BODY_MAX:
                raise BadRequest(413, "request body too large")
        while len(buf) < length:
            data = self.recv(tls, IDLE_TIMEOUT)
            if not data:
                self.log.write({"conn": conn_id, "seq": seq, "incomplete": True,
                                "raw_b64": base64.b64encode(raw_head + buf).decode(),
                                "t": time.time()})
                return None, b""
            buf += data
        body, buf = buf[:length], buf[length:]
        return Request(raw_head, body, method, target, version, headers), buf

    # -- answering --

    def process(self, req, faults):
        """The answer OfficeRnD would give, with the content faults applied.
        Returns (Response, decoded form or None)."""
        if "status429" in faults:
            retry_after = faults["status429"]
            if retry_after is None:
                retry_after = 1
            return json_response(429, {"message": MESSAGE_429}, outcome="rate_limited",
                                 headers=[("Retry-After", str(retry_after))]), None
        if "status500" in faults:
            return json_response(500, {"message": "Internal server error"},
                                 outcome="server_error"), None
        if "message_401" in faults:
            return json_response(401, {"message": MESSAGE_401}, outcome="message_401"), None
        if "html_401" in faults:
            body = (b"<!DOCTYPE html>\n<html><head><title>401 Unauthorized</title></head>"
                    b"<body><h1>401 Unauthorized</h1></body></html>\n")
            return Response(401, body, content_type="text/html; charset=utf-8",
                            outcome="html_401"), None
        if "bad_json" in faults:
            return Response(200, b'{"access_token": "abc", ', outcome="bad_json"), None

        path = req.target.split("?", 1)[0]
        if path != TOKEN_PATH:
            return json_response(404, {"message": "Not found"}, outcome="not_found"), None
        if req.method != "POST":
            resp = oauth_error(405, "invalid_request", "method not allowed")
            resp.headers.append(("Allow", "POST"))
            return resp, None
        if req.version == "HTTP/1.1" and len(req.header("host")) != 1:
            return oauth_error(400, "invalid_request", "exactly one Host header required"), None
        ctypes = req.header("content-type")
        if len(ctypes) != 1 or ctypes[0].split(";", 1)[0].strip().lower() != FORM_TYPE:
            return oauth_error(400, "invalid_request",
                               "Content-Type must be " + FORM_TYPE), None
        try:
            text = req.body.decode("ascii")
            form = urllib.parse.parse_qs(text, keep_blank_values=True, strict_parsing=True,
                                         encoding="utf-8", errors="strict",
                                         max_num_fields=32)
        except (UnicodeDecodeError, ValueError) as e:
            return oauth_error(400, "invalid_request",
                               "malformed form body: %s" % e.__class__.__name__), None
        for name, values in form.items():
            if len(values) > 1:
                return oauth_error(400, "invalid_request",
                                   "parameter %s repeated" % name), None
        form = {k: v[0] for k, v in form.items()}

        grant = form.get("grant_type")
        if grant is None:
            return oauth_error(400, "invalid_request", "grant_type missing"), form
        if grant != "client_credentials":
            return oauth_error(400, "unsupported_grant_type",
                               "only client_credentials is supported"), form
        cid, secret = form.get("client_id"), form.get("client_secret")
        client = self.clients.get(cid) if cid is not None else None
        if (client is None or secret is None
                or not hmac.compare_digest(secret.encode("utf-8", "surrogatepass"),
                                           client[0].encode("utf-8", "surrogatepass"))):
            return oauth_error(401, "invalid_client", "Client authentication failed"), form
        allowed = client[1]
        if "scope" in form:
            requested = form["scope"].split(" ")
            if any(not s for s in requested):
                return oauth_error(400, "invalid_scope", "malformed scope"), form
            for s in requested:
                if s not in allowed:
                    return oauth_error(400, "invalid_scope",
                                       "scope %s is not allowed for this client" % s), form
            granted = list(dict.fromkeys(requested))
        else:
            granted = list(allowed)
        scope = " ".join(granted)
        length = BIG_TOKEN_LEN if "big_token" in faults else TOKEN_LEN
        answer = {
            "access_token": make_token(cid, scope, length),
            "token_type": "mac" if "wrong_token_type" in faults else "Bearer",
            "expires_in": EXPIRES_IN,
            "scope": scope,
        }
        resp = json_response(200, answer, outcome="granted",
                             headers=[("Cache-Control", "no-store"), ("Pragma", "no-cache")])
        return resp, form

    def serialize(self, resp, faults, close):
        """(head bytes, body bytes as sent) for a response."""
        lines = ["HTTP/1.1 %d %s" % (resp.status, REASONS.get(resp.status, "Unknown")),
                 "Date: " + formatdate(usegmt=True),
                 "Server: ornd-test-identity"]
        if resp.content_type:
            lines.append("Content-Type: " + resp.content_type)
        lines += ["%s: %s" % h for h in resp.headers]
        if "big_header" in faults:
            prefix = "X-Padding: "
            lines.append(prefix + "p" * (2000 - len(prefix)))
        if "many_headers" in faults:
            lines += ["X-Filler-%03d: %d" % (i, i) for i in range(200)]
        if "heads" in faults:
            lines += ["%s: %s" % f for f in heads.fields(faults["heads"])]
        body = resp.body
        if "close_delimited" in faults:
            lines.append("Connection: close")
            head = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
            return head, body
        if "cl_te" in faults:
            lines.append("Content-Length: %d" % len(body))
            lines.append("Transfer-Encoding: chunked")
            body = chunk_body(body)
        elif "chunked" in faults:
            lines.append("Transfer-Encoding: chunked")
            lines.append("Trailer: X-Token-Check")
            body = chunk_body(body)
        else:
            lines.append("Content-Length: %d" % len(body))
        if close:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")
        return head, body

    def answer(self, tls, req, conn_id, seq):
        """Answer one request; False when the connection is to be closed."""
        faults = self.faults.take_request()
        record = {"conn": conn_id, "seq": seq, "t": time.time(),
                  "raw_b64": base64.b64encode(req.raw_head + req.body).decode(),
                  "faults": sorted(faults)}

        if "stall" in faults:
            record["outcome"] = "stall"
            self.log.write(record)
            self.hold(tls, STALL_MAX)
            return False
        if "garbage" in faults:
            data = b"\x00\x7fGARBAGE \xff\xfe\x01 this is not an HTTP response\r\n\r\n{}\r\n"
            record["outcome"] = "garbage"
            record["response_b64"] = base64.b64encode(data).decode()
            self.log.write(record)
            self.write(tls, data, one_byte=False)
            self.close_tls(tls)
            return False

        resp, form = self.process(req, faults)
        close = (req.wants_close() or "truncate" in faults or resp.close
                 or "close_delimited" in faults or "close_bare" in faults)
        head, body = self.serialize(resp, faults, close)
        if "truncate" in faults:
            body = body[: len(body) // 2]
        record["status"] = resp.status
        record["outcome"] = resp.outcome
        record["form"] = form
        record["response_b64"] = base64.b64encode(head + body).decode()
        self.log.write(record)

        if "delay" in faults:
            self.sleep(faults["delay"] / 1000.0)
        if not self.write(tls, head + body, one_byte="onebyte" in faults):
            return False
        if "close_bare" in faults:
            self.close_bare(tls)
            return False
        if close:
            self.close_tls(tls)
            return False
        return True

    def close_bare(self, tls):
        """End the TCP connection without a TLS close_notify (FIN only)."""
        try:
            tls.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            tls.close()
        except OSError:
            pass

    def write(self, tls, data, one_byte):
        """Send bytes; with one_byte each byte goes in its own TLS record."""
        tls.settimeout(min(10.0, max(self.remaining(), 0.05)))
        try:
            if one_byte:
                for i in range(len(data)):
                    if self.stop.is_set():
                        raise Stop()
                    tls.sendall(data[i:i + 1])
            else:
                tls.sendall(data)
            return True
        except (ssl.SSLError, OSError):
            return False

    def hold(self, tls, limit):
        """Keep the connection open without answering, until the client
        closes it, `limit` seconds pass or the server stops."""
        end = time.monotonic() + limit
        while not self.stop.is_set() and self.remaining() > 0:
            left = end - time.monotonic()
            if left <= 0:
                break
            data = self.recv(tls, min(left, 0.25))
            if data == b"":
                break

    def close_tls(self, tls):
        """Send close_notify (briefly waiting for the client's), then close."""
        try:
            tls.settimeout(0.3)
            tls.unwrap()
        except (ssl.SSLError, OSError, ValueError):
            pass
        try:
            tls.close()
        except OSError:
            pass


def chunk_body(body):
    """Chunked encoding of `body` in several chunks, with a chunk extension on
    the first chunk, mixed-case hex sizes and a trailer field."""
    out = []
    cuts = [0]
    n = len(body)
    for frac in (0.1, 0.45, 0.8):
        cuts.append(int(n * frac))
    cuts.append(n)
    pieces = [body[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]
    for i, piece in enumerate(pieces):
        size = "%x" % len(piece) if i % 2 == 0 else "%X" % len(piece)
        ext = ";name=value;quoted=\"a b\"" if i == 0 else ""
        out.append(("%s%s\r\n" % (size, ext)).encode("ascii") + piece + b"\r\n")
    out.append(b"0\r\nX-Token-Check: done\r\n\r\n")
    return b"".join(out)


# ---- control socket (plain HTTP on loopback) --------------------------------

def make_control(server):
    class Control(common.ControlHandler):
        def do_GET(self):
            if self.path == "/faults":
                self.reply(200, {"faults": server.faults.specs()})
            else:
                self.reply(404, {"error": "GET /faults or POST /faults"})

        def do_POST(self):
            if self.path != "/faults":
                self.reply(404, {"error": "POST /faults"})
                return
            self.set_faults(server.faults, parse_fault, self.body_text(4096))

    return common.control_server(Control)


# ---- main -------------------------------------------------------------------

def main(argv=None):
    p = argparse.ArgumentParser(
        description="Local OfficeRnD-like identity server (loopback, TLS).")
    common.add_server_options(
        p, fault_help="switch a fault on (repeatable); @COUNT = only the first COUNT "
                      "requests (connections for cert_* faults)",
        log_help="append one JSON line per request/connection event",
        port_help="port (default 0: kernel picks)")
    args = p.parse_args(argv)

    common.check_lifetime(p, args)
    try:
        faults = [parse_fault(s) for s in args.fault]
        clients = common.read_clients(args)
    except ValueError as e:
        p.error(str(e))
    if not clients:
        clients["demo-id"] = ("demo-secret", ["flex.community.members.read",
                                              "flex.community.checkins.create"])
        print("identity_server: no --client given; using demo-id:demo-secret", file=sys.stderr)

    server = IdentityServer(args, clients, FaultSet(faults))
    common.stop_on_signals(server.stop)
    port, listeners = server.bind()
    control = common.start_control(make_control(server)) if args.control else None
    addrs = ", ".join("[%s]" % s.getsockname()[0] if s.family == socket.AF_INET6
                      else s.getsockname()[0] for s in listeners)
    common.serve_then_exit(server, listeners, port, control,
                           "identity_server: https://localhost:%d%s on %s, lifetime %gs"
                           % (port, TOKEN_PATH, addrs, args.lifetime))


if __name__ == "__main__":
    main()
