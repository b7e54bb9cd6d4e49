#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""TLS peer for test_tls: one loopback listener per behaviour.

    python3 tests/unit/tls_peer.py CERTDIR

Listens on 127.0.0.1 (ephemeral ports) and prints one line

    READY name=port name=port ...

then serves until its stdin closes (the test program ended) or 120 s pass.

Listeners:
  tls13, tls12   server.pem, that TLS version only, one TLS 1.3 ticket
  wronghost, expired, untrusted   that certificate, TLS 1.2 or 1.3
  plain          no TLS: answers the ClientHello with an HTTP error
  hsclose        reads the start of the ClientHello, then closes (FIN)
  hsreset        reads the start of the ClientHello, then resets (RST)
  silent         accepts and never sends anything
  noread         TLS 1.3 handshake, then never reads

On a TLS connection (all but the last four) the peer reads lines:
  who            answers "full TLSv1.3\\n" or "resumed TLSv1.2\\n" (its view)
  close_notify   sends close_notify, then closes
  fin            closes without close_notify (FIN)
  reset          closes with a TCP reset (SO_LINGER 0)
  anything else  echoed back
"""

import os
import socket
import ssl
import struct
import sys
import threading
import time


def context(certs, stem, lo, hi, tickets=1):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = lo
    ctx.maximum_version = hi
    ctx.load_cert_chain(os.path.join(certs, stem + ".pem"), os.path.join(certs, stem + ".key"))
    ctx.num_tickets = tickets
    return ctx


def reset(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def serve_tls(ctx, raw):
    try:
        tls = ctx.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError):
        raw.close()
        return
    pending = b""
    try:
        while True:
            data = tls.recv(65536)
            if not data:
                tls.close()
                return
            pending += data
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                if line == b"who":
                    kind = "resumed" if tls.session_reused else "full"
                    tls.sendall(("%s %s\n" % (kind, tls.version())).encode())
                elif line == b"close_notify":
                    tls.unwrap().close()
                    return
                elif line == b"fin":
                    raw_fd = socket.socket(fileno=os.dup(tls.fileno()))
                    raw_fd.shutdown(socket.SHUT_RDWR)
                    raw_fd.close()
                    tls.close()
                    return
                elif line == b"reset":
                    raw_fd = socket.socket(fileno=os.dup(tls.fileno()))
                    tls.close()
                    reset(raw_fd)
                    return
                else:
                    tls.sendall(line + b"\n")
    except (ssl.SSLError, OSError):
        tls.close()


def serve_noread(ctx, raw):
    try:
        tls = ctx.wrap_socket(raw, server_side=True)
    except (ssl.SSLError, OSError):
        raw.close()
        return
    time.sleep(30)
    tls.close()


def serve_plain(raw):
    try:
        raw.recv(4096)
        raw.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        time.sleep(0.5)
    except OSError:
        pass
    raw.close()


def serve_hs_cut(raw, rst):
    try:
        raw.recv(5)  # the record header of the ClientHello
    except OSError:
        pass
    if rst:
        reset(raw)
    else:
        raw.shutdown(socket.SHUT_RDWR)
        raw.close()


def serve_silent(raw):
    time.sleep(30)
    raw.close()


def main():
    certs = sys.argv[1]
    v12, v13 = ssl.TLSVersion.TLSv1_2, ssl.TLSVersion.TLSv1_3
    handlers = {
        "tls13": lambda s, c=context(certs, "server", v13, v13): serve_tls(c, s),
        "tls12": lambda s, c=context(certs, "server", v12, v12): serve_tls(c, s),
        "wronghost": lambda s, c=context(certs, "wronghost", v12, v13): serve_tls(c, s),
        "expired": lambda s, c=context(certs, "expired", v12, v13): serve_tls(c, s),
        "untrusted": lambda s, c=context(certs, "untrusted", v12, v13): serve_tls(c, s),
        "plain": serve_plain,
        "hsclose": lambda s: serve_hs_cut(s, False),
        "hsreset": lambda s: serve_hs_cut(s, True),
        "silent": serve_silent,
        "noread": lambda s, c=context(certs, "server", v13, v13): serve_noread(c, s),
    }
    ports = []
    for name, handler in handlers.items():
        ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        ls.bind(("127.0.0.1", 0))
        ls.listen(16)
        ports.append("%s=%d" % (name, ls.getsockname()[1]))

        def accept_loop(ls=ls, handler=handler):
            while True:
                try:
                    conn, _ = ls.accept()
                except OSError:
                    return
                threading.Thread(target=handler, args=(conn,), daemon=True).start()

        threading.Thread(target=accept_loop, daemon=True).start()

    print("READY " + " ".join(ports), flush=True)
    threading.Timer(120, lambda: os._exit(0)).start()
    sys.stdin.read()  # until the test program ends
    os._exit(0)


if __name__ == "__main__":
    main()
