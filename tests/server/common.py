# SPDX-License-Identifier: MIT
"""What the local servers (identity_server.py, api_server.py) have in common:
faults and the set of them in force, the JSON-lines log, the plain-HTTP
control socket, the command-line options both take, the clients they
accept, and start-up and shut-down (signals, `CONTROL` and `READY` lines,
exit). What each server answers stays in its own file.

Only the Python standard library is used. See tests/server/README.md.
"""

import json
import os
import signal
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


# ---- faults -----------------------------------------------------------------

class Fault:
    """One switched-on fault: NAME[:ARG][@COUNT]. count None = every time."""

    def __init__(self, name, arg, count):
        self.name = name
        self.arg = arg
        self.count = count

    def spec(self):
        s = self.name
        if self.arg is not None:
            s += ":%d" % self.arg
        if self.count is not None:
            s += "@%d" % self.count
        return s


def split_fault(spec):
    """NAME[:ARG][@COUNT] -> (name, sep, arg, count): sep is ":" when an
    argument is given; count is None or a positive integer."""
    text, count = spec, None
    if "@" in text:
        text, _, c = text.partition("@")
        if not c.isdigit() or int(c) < 1:
            raise ValueError("fault %r: @COUNT must be a positive integer" % spec)
        count = int(c)
    name, sep, arg = text.partition(":")
    return name, sep, arg, count


def check_fault_arg(spec, name, kind, sep, example):
    """Raise ValueError unless an argument is given as `kind` wants: None =
    none, "int" = required, "opt_int" = optional. `example` is the ARG shown
    in the message when a required one is missing."""
    if kind is None and sep:
        raise ValueError("fault %r takes no argument" % spec)
    if kind == "int" and not sep:
        raise ValueError("fault %r needs an argument, e.g. %s:%d" % (spec, name, example))


class FaultSet:
    """The faults in force. A fault with a count is used up by the requests
    (or connections) that take it; each server says what takes which."""

    def __init__(self, faults):
        self.lock = threading.Lock()
        self.faults = list(faults)

    def replace(self, faults):
        with self.lock:
            self.faults = list(faults)

    def specs(self):
        with self.lock:
            return [f.spec() for f in self.faults]

    def _take(self, names):
        """{name: arg} of the faults in force among `names`, at most one
        each, counting them down; call with self.lock held."""
        taken = {}
        keep = []
        for f in self.faults:
            if f.name in names and f.name not in taken:
                taken[f.name] = f.arg
                if f.count is not None:
                    f.count -= 1
                    if f.count == 0:
                        continue
            keep.append(f)
        self.faults = keep
        return taken


# ---- log --------------------------------------------------------------------

class Log:
    """Append-only JSON-lines log; each record is written with one write()."""

    def __init__(self, path):
        self.lock = threading.Lock()
        self.fd = None
        if path:
            self.fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)

    def write(self, record):
        if self.fd is None:
            return
        line = (json.dumps(record, ensure_ascii=True, sort_keys=True) + "\n").encode()
        with self.lock:
            os.write(self.fd, line)


# ---- control socket (plain HTTP on loopback) --------------------------------

class ControlHandler(BaseHTTPRequestHandler):
    """Base of a server's control socket: each request gets one JSON answer,
    then the connection is closed. A server's subclass adds do_GET/do_POST."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def reply(self, status, obj):
        body = (json.dumps(obj) + "\n").encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)
        self.close_connection = True

    def body_text(self, limit):
        """The request body (at most `limit` bytes) as text."""
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(min(n, limit)).decode("utf-8", "replace")

    def set_faults(self, faults, parse, text):
        """Replace the FaultSet `faults` by the specs in `text` (parsed with
        `parse`) and answer the new set; 400 and no change on a bad spec."""
        try:
            new = [parse(s) for s in text.split()]
        except ValueError as e:
            self.reply(400, {"error": str(e)})
            return
        faults.replace(new)
        self.reply(200, {"faults": faults.specs()})


def control_server(handler):
    """The control socket on 127.0.0.1, a port the kernel picks."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    return httpd


def start_control(httpd):
    """Serve the control socket in a thread; print `CONTROL <port>`."""
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2},
                     daemon=True).start()
    print("CONTROL %d" % httpd.server_address[1], flush=True)
    return httpd


# ---- command line -----------------------------------------------------------

def add_server_options(p, fault_help, log_help, port_help):
    """The options both servers take; the help of --fault, --log and --port
    is the server's own."""
    p.add_argument("--certs", required=True,
                   help="directory made by scripts/make-test-pki.sh")
    p.add_argument("--client", "--clients", dest="clients", action="append", default=[],
                   metavar="ID:SECRET:SCOPES",
                   help="a client and its allowed scopes (comma-separated); repeatable")
    p.add_argument("--clients-env", metavar="VAR",
                   help="also read clients (ID:SECRET:SCOPES, one per line) from environment "
                        "variable VAR, which keeps secrets off the command line")
    p.add_argument("--fault", action="append", default=[], metavar="NAME[:ARG][@COUNT]",
                   help=fault_help)
    p.add_argument("--log", help=log_help)
    p.add_argument("--lifetime", type=float, default=120.0,
                   help="exit after this many seconds (default 120)")
    p.add_argument("--port", type=int, default=0, help=port_help)
    p.add_argument("--tls", choices=["any", "1.2", "1.3"], default="any",
                   help="TLS versions offered (default: 1.2 and 1.3)")
    p.add_argument("--control", action="store_true",
                   help="also serve a plain-HTTP control socket on 127.0.0.1; its port is "
                        "printed as `CONTROL <port>`")
    p.add_argument("--no-ipv6", action="store_true", help="listen on 127.0.0.1 only")


def check_lifetime(p, args):
    if args.lifetime <= 0 or args.lifetime > 3600:
        p.error("--lifetime must be in (0, 3600]")


def parse_client(text):
    """ID:SECRET:SCOPES -> (id, secret, [scopes]); the secret may contain ':';
    scopes are separated by commas or spaces."""
    cid, sep1, rest = text.partition(":")
    secret, sep2, scopes = rest.rpartition(":")
    if not (sep1 and sep2 and cid):
        raise ValueError("client %r: expected ID:SECRET:SCOPE[,SCOPE...]" % text)
    return cid, secret, [s for s in scopes.replace(",", " ").split(" ") if s]


def read_clients(args):
    """The clients of --client and --clients-env: {id: (secret, [scopes])}.
    Raises ValueError on a malformed one."""
    clients = {}
    specs = list(args.clients)
    if args.clients_env:
        specs += [l for l in os.environ.get(args.clients_env, "").splitlines() if l.strip()]
    for text in specs:
        cid, secret, scopes = parse_client(text)
        clients[cid] = (secret, scopes)
    return clients


# ---- start and end ----------------------------------------------------------

def stop_on_signals(stop):
    """SIGTERM and SIGINT set the threading.Event `stop`."""
    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)


def serve_then_exit(server, listeners, port, control, banner):
    """Print `banner` on stderr and `READY <port>` on stdout, serve until the
    lifetime ends or a signal stops the server, then exit."""
    print(banner, file=sys.stderr, flush=True)
    print("READY %d" % port, flush=True)
    server.serve(listeners)
    if control is not None:
        control.shutdown()
        control.server_close()
    sys.stdout.flush()
    sys.stderr.flush()
    # Connection threads are daemons blocked at most a few seconds; do not
    # wait for them.
    os._exit(0)
