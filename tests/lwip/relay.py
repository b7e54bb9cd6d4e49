#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""TCP relay for tests/stages/lwip.sh: listens on LISTEN_ADDR:PORT (the
kernel side of the TAP, inside the test's network namespace) and forwards
each connection to 127.0.0.1:PORT, where the identity server listens (it
binds loopback only). Prints READY once listening; exits after LIFETIME s.

    relay.py LISTEN_ADDR PORT LIFETIME
"""
import socket
import sys
import threading
import time


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(conn, port):
    try:
        up = socket.create_connection(("127.0.0.1", port), timeout=10)
    except OSError:
        conn.close()
        return
    up.settimeout(None)
    a = threading.Thread(target=pump, args=(conn, up), daemon=True)
    b = threading.Thread(target=pump, args=(up, conn), daemon=True)
    a.start()
    b.start()
    a.join()
    b.join()
    conn.close()
    up.close()


def main():
    addr, port, lifetime = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    ls.bind((addr, port))
    ls.listen(8)
    ls.settimeout(0.5)
    print("READY", flush=True)
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        try:
            conn, _ = ls.accept()
        except socket.timeout:
            continue
        threading.Thread(target=serve, args=(conn, port), daemon=True).start()


if __name__ == "__main__":
    main()
