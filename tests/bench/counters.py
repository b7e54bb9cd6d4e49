#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The local API server's counters (tests/server/api_server.py --control),
for the network benchmarks.

    counters.py CONTROL_PORT --reset
        zero the counters (POST /reset)
    counters.py CONTROL_PORT RESULT_JSON NAME...
        print RESULT_JSON with "server": {NAME: value, ...} added, read from
        GET /counters
"""
import json
import sys
import urllib.request

port = sys.argv[1]
base = "http://127.0.0.1:%s" % port
if sys.argv[2:] == ["--reset"]:
    with urllib.request.urlopen(base + "/reset", data=b"", timeout=10) as r:
        r.read()
    sys.exit(0)
result, names = json.loads(sys.argv[2]), sys.argv[3:]
with urllib.request.urlopen(base + "/counters", timeout=10) as r:
    counters = json.load(r)
result["server"] = {n: counters[n] for n in names}
print(json.dumps(result))
