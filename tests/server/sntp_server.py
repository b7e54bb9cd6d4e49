#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A small SNTP server (NTP version 4, RFC 4330 / RFC 5905 server mode) for
tests/stages/qemu_net.sh, on the Python standard library only. It runs
inside the test's network namespace and answers the device's requests.

    sntp_server.py --bind ADDR [--port 123] --log FILE [--lifetime S]
                   [--time UNIX_SECONDS] [--silent]

Each request is logged as a JSON line: {"event": "request", "peer": ...,
"version": ..., "mode": ..., "transmit": "<hex>"} and, unless --silent, the
answer {"event": "answer", "unix": <seconds served>, ...}. The time served
is the host's clock, or --time (then counting on from it). Requests that are
not client-mode NTP v3/v4 are logged and not answered. Prints READY once
listening; exits after --lifetime seconds.
"""
import argparse
import json
import socket
import struct
import sys
import time

NTP_UNIX_OFFSET = 2208988800  # seconds from 1900-01-01 to 1970-01-01
PACKET = struct.Struct("!BBbbII4sQQQQ")  # 48 bytes, no extensions


def ntp_stamp(unix):
    """64-bit NTP timestamp (era wrapped into 32 bits of seconds)."""
    secs = int(unix // 1)
    frac = int((unix - secs) * (1 << 32)) & 0xFFFFFFFF
    return (((secs + NTP_UNIX_OFFSET) & 0xFFFFFFFF) << 32) | frac


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bind", required=True)
    p.add_argument("--port", type=int, default=123)
    p.add_argument("--log", required=True)
    p.add_argument("--lifetime", type=float, default=120.0)
    p.add_argument("--time", type=float, default=None,
                   help="serve this Unix time (counting on) instead of the host's clock")
    p.add_argument("--silent", action="store_true", help="log requests, never answer")
    args = p.parse_args()

    start = time.time()
    shift = 0.0 if args.time is None else args.time - start

    def now():
        return time.time() + shift

    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((args.bind, args.port))
    deadline = time.monotonic() + args.lifetime
    log = open(args.log, "a", buffering=1)
    print("READY %d" % sock.getsockname()[1], flush=True)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return 0
        sock.settimeout(left)
        try:
            data, peer = sock.recvfrom(1024)
        except socket.timeout:
            return 0
        received = now()
        if len(data) < PACKET.size:
            log.write(json.dumps({"event": "short", "peer": peer[0], "len": len(data)}) + "\n")
            continue
        li_vn_mode, _, poll, _, _, _, _, _, _, _, xmit = PACKET.unpack_from(data)
        version = (li_vn_mode >> 3) & 7
        mode = li_vn_mode & 7
        log.write(json.dumps({"event": "request", "peer": peer[0], "port": peer[1],
                              "version": version, "mode": mode,
                              "transmit": "%016x" % xmit}) + "\n")
        if args.silent or mode != 3 or version not in (3, 4):
            continue
        served = now()
        answer = PACKET.pack(
            (0 << 6) | (version << 3) | 4,  # no leap warning, the client's version, server
            1,                              # stratum 1: a primary reference
            poll,
            -20,                            # precision: about a microsecond
            0,                              # root delay
            1 << 10,                        # root dispersion: 1/64 s
            b"TEST",                        # reference identifier (stratum 1: ASCII)
            ntp_stamp(served - 16),         # reference: last set a little while ago
            xmit,                           # originate: the request's transmit timestamp
            ntp_stamp(received),
            ntp_stamp(served))
        sock.sendto(answer, peer)
        log.write(json.dumps({"event": "answer", "peer": peer[0], "unix": served}) + "\n")


if __name__ == "__main__":
    sys.exit(main())
