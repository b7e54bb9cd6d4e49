#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Assemble `make bench`'s measurements into one table and build/bench.json.

    report.py DIR OUT.json
DIR holds sizes.json, stack.json, ram.json, parse.json, net.json, api.json,
fw-netfw.json and fw-firmware.json (the mps2-an386 images, map-sizes.py).
Budgets (README.md, "Benchmarks") are checked here and never loosened:
PASS/FAIL is printed beside each; the exit status stays 0.
"""
import json
import sys

BUDGET_TOKEN_TEXT = 4096     # library .text (code + rodata), token path, Cortex-M4 -Os
BAR_TOKEN_TEXT_0_1 = 11861   # issue 11: the token path is not to grow past 0.1's figure
BUDGET_STACK = 512           # worst-case stack of the library's own frames
BUDGET_JSON_IPB = 20.0       # JSON scanner instructions/byte, members page

d, out = sys.argv[1], sys.argv[2]


def load(name):
    with open("%s/%s" % (d, name), encoding="utf-8") as f:
        return json.load(f)


sizes, stack, ram, parse, net, api = (load(n) for n in ("sizes.json", "stack.json", "ram.json",
                                                       "parse.json", "net.json", "api.json"))
CHAINS = ("tls1.2-ecdsa", "tls1.2-rsa2048", "tls1.3-ecdsa", "tls1.3-rsa2048")


def host_record_buffers():
    """The record buffer sizes of the host build's mbedTLS configuration."""
    import re
    path = "boards/host/mbedtls_config.h"
    with open(path, encoding="utf-8") as f:
        text = f.read()
    got = {}
    for name in ("IN", "OUT"):
        m = re.search(r"#define\s+MBEDTLS_SSL_%s_CONTENT_LEN\s+(\d+)" % name, text)
        got[name] = int(m.group(1)) if m else 16384
    return "%d in + %d out, %s" % (got["IN"], got["OUT"], path)


def chain_label(key):
    return key.replace("-", " ").replace("tls", "TLS ")


def resumed_ok(r):
    """The second fetch worked and the server counted it as resumed."""
    srv = r.get("server", {})
    return (r["rc"] == 0 and r["resumed"]["rc"] == 0
            and srv.get("identity_handshakes_full") == 1
            and srv.get("identity_handshakes_resumed") == 1)


def resumed_failure(r):
    if r["rc"] != 0:
        return "first fetch fails: %s" % r["error"]
    if r["resumed"]["rc"] != 0:
        return "second fetch fails: %s" % r["resumed"]["error"]
    srv = r.get("server", {})
    return "NOT resumed (server: %s full, %s resumed handshakes)" % (
        srv.get("identity_handshakes_full"), srv.get("identity_handshakes_resumed"))
rows = []      # (section, figure, value, budget, verdict)
budgets = []
notes = []


def row(sec, fig, val, budget="", verdict=""):
    rows.append((sec, fig, val, budget, verdict))


def tdb(x):
    return "%d / %d / %d" % (x["text"], x["data"], x["bss"])


def check(name, value, limit, unit, ok):
    v = "PASS" if ok else "FAIL"
    budgets.append({"budget": name, "value": value, "limit": limit, "unit": unit, "result": v})
    return v


# ---- flash and static RAM --------------------------------------------------
S = "Flash/RAM, Cortex-M4 -Os (text/data/bss, bytes)"
for m, v in sizes["ornd"]["modules"].items():
    row(S, "src/%s  all | token path" % m.replace(".o", ".c"),
        "%s | %s" % (tdb(v["all"]), tdb(v["token"])))
tok = sizes["ornd"]["token"]
row(S, "library, token path (gc-linked)", tdb(tok), "text <= %d" % BUDGET_TOKEN_TEXT,
    check("token-path library .text (Cortex-M4 -Os)", tok["text"], BUDGET_TOKEN_TEXT, "bytes",
          tok["text"] <= BUDGET_TOKEN_TEXT))
row(S, "library, token path, against 0.1 (issue 11)", "%d" % tok["text"],
    "text <= %d" % BAR_TOKEN_TEXT_0_1,
    check("token-path library .text not past 0.1's", tok["text"], BAR_TOKEN_TEXT_0_1, "bytes",
          tok["text"] <= BAR_TOKEN_TEXT_0_1))
div64 = sizes.get("div64", {})
row(S, "64-bit division helpers called on the token path",
    ", ".join("%s: %s" % (m, " ".join(h)) for m, h in sorted(div64.items())) or "none", "none",
    check("no 64-bit division on the token path", len(div64), 0, "modules", not div64))
row(S, "library, everything (sum of modules)", tdb(sizes["ornd"]["all"]))
row(S, "mbedTLS (mps2-an386 config), token path", tdb(sizes["mbedtls"]["token"]))
row(S, "  largest mbedTLS modules kept",
    ", ".join("%s %d" % (m.replace(".o", ""), t) for m, t in sizes["mbedtls"]["top_token"]))
row(S, "mbedTLS, everything (libmbedtls.a)", tdb(sizes["mbedtls"]["all"]))
row(S, "token link: libc + tests/bench/token_entry.c", tdb(sizes["other_token"]))
# ---- the mps2-an386 firmware images, before and with verified time ---------
# Figures of the images before the wall clock (SNTP in netfw.elf, certificate
# date checks in both) came in: commit e8e7f8f, built by the same
# `make BOARD=mps2-an386` with arm-none-eabi-gcc 12.2 (Debian bookworm).
FW_BEFORE = {"netfw": {"text": 160888, "data": 140, "bss": 121212},
             "firmware": {"text": 126412, "data": 132, "bss": 77856}}
# What the wall clock added, by object (everything else that grew is
# mbedTLS's date checks, the library's TLS glue and the firmware's code).
FW_TIME_MODULES = (("lwip/sntp", "lwIP SNTP client"), ("board/wallclock", "wall clock"),
                   ("ornd/wall_clock", "policy + calendar"),
                   ("ornd/tls_time", "mbedTLS time hooks"))
S = "Firmware images, mps2-an386 (arm-none-eabi-size; flash = text + data, RAM = data + bss)"
fw_json = {}
for fw, what in (("netfw", "netfw.elf (lwIP, SNTP, token over Ethernet)"),
                 ("firmware", "firmware.elf (offline checks)")):
    cur = load("fw-%s.json" % fw)
    fw_json[fw] = cur
    now, was = cur["size"], FW_BEFORE[fw]
    fl_now, fl_was = now["text"] + now["data"], was["text"] + was["data"]
    ram_now, ram_was = now["data"] + now["bss"], was["data"] + was["bss"]
    row(S, "%s flash: before | now" % what, "%d | %d (%+d)" % (fl_was, fl_now, fl_now - fl_was))
    row(S, "%s RAM: before | now" % what, "%d | %d (%+d)" % (ram_was, ram_now, ram_now - ram_was))
    if fw == "netfw":
        mods = cur["modules"]
        parts = []
        for key, label in FW_TIME_MODULES:
            m = mods.get(key, {"text": 0, "data": 0, "bss": 0})
            parts.append("%s %d/%d" % (label, m["text"] + m["data"], m["data"] + m["bss"]))
        row(S, "  verified time in netfw.elf (flash/RAM): new objects",
            ", ".join(parts))
        notes.append("firmware: 'before' is commit e8e7f8f (no wall clock, dates unchecked); "
                     "verified time in netfw.elf = SNTP + wall clock + date checks = %+d bytes "
                     "of flash, %+d of RAM (the rest of the growth: mbedTLS's date checks "
                     "and ms clock, the TLS glue's verify callback, the firmware's SNTP wait)"
                     % (fl_now - fl_was, ram_now - ram_was))

notes.append("flash: text = code + read-only data; token path = what a --gc-sections link "
             "of ornd_client_init + ornd_auth_header + ornd_client_release keeps "
             "(tests/bench/token_entry.c); tls.c .bss is the TLS pool")

# ---- stack -------------------------------------------------------------------
S = "Stack, Cortex-M4 -Os (bytes; library | mbedTLS below it)"
worst = max(stack["public"], key=lambda r: r["library_bytes"])
for r in stack["public"]:
    mb = "-"
    if r["mbedtls_entry"]:
        fl = [n for n in r["mbedtls_notes"] if not n.startswith("recursive: ")]
        if any(n.startswith("recursive") for n in r["mbedtls_notes"]):
            fl.append("recursive")
        mb = "%d via %s%s" % (r["mbedtls_bytes"], r["mbedtls_entry"],
                              " (%s)" % ", ".join(fl) if fl else "")
    row(S, r["function"], "%d | %s" % (r["library_bytes"], mb))
recursion = sorted({n.split(": ", 1)[1] for r in stack["public"] for n in r["mbedtls_notes"]
                    if n.startswith("recursive: ")})
notes.append("stack: worst library path: " + " > ".join(worst["path"]))
conn = next(r for r in stack["public"] if r["function"] == "ornd_tls_handshake")
notes.append("stack: worst mbedTLS path below ornd_tls_handshake (frame bytes): "
             + " > ".join(conn["mbedtls_path"]))
notes.append("stack: callbacks resolved by name (json cb -> oauth on_json, http on_body -> "
             "oauth on_body, mbedTLS bio -> tls.c bio_send/bio_recv_timeout, PSA RNG -> "
             "mbedtls_psa_external_get_random); port calls "
             "and user callbacks not counted")
notes.append("stack: mbedTLS figures follow direct calls only (its function-pointer calls "
             "are not followed); recursion in mbedTLS at: " + ", ".join(recursion))
row(S, "worst, library's own frames (any public call)", "%d" % worst["library_bytes"],
    "<= %d" % BUDGET_STACK,
    check("worst-case stack, library's own frames", worst["library_bytes"], BUDGET_STACK,
          "bytes", worst["library_bytes"] <= BUDGET_STACK))

# ---- RAM ---------------------------------------------------------------------
S = "RAM (bytes)"
row(S, "sizeof(ornd_client_t), default config: x86-64 | Cortex-M4",
    "%d | %d" % (ram["host"]["client"], ram["cm4"]["client"]))
row(S, "  of which ornd_tls_t (mbedTLS contexts): x86-64 | Cortex-M4",
    "%d | %d" % (ram["host"]["tls"], ram["cm4"]["tls"]))
row(S, "TLS static pool (ORND_CONFIG_TLS_POOL_SIZE, .bss of tls.c)", "%d" % ram["pool_size"])
for key in CHAINS:
    r = net[key]
    fig = "pool peak, full handshake + token, %s (x86-64)" % key.replace("-", " ")
    if r["rc"] != 0:
        row(S, fig, "handshake fails: %s" % r["error"])
    else:
        row(S, fig, "%d (CA %d, %d blocks)" % (r["pool_peak"], r["ca_share"], r["pool_peak_blocks"]))
for key in CHAINS:
    r = net[key]
    q = r["resumed"]
    fig = "pool peak, resumed handshake + token, %s (x86-64)" % key.replace("-", " ")
    if not resumed_ok(r):
        row(S, fig, resumed_failure(r))
    else:
        row(S, fig, "%d (in use before: %d, %d blocks)" % (q["pool_peak"], q["pool_before"],
                                                            q["pool_peak_blocks"]))
ok = [net[k] for k in CHAINS if resumed_ok(net[k])]
if ok:
    saved = [r["pool_peak"] - r["resumed"]["pool_peak"] for r in ok]
    kept = [r["resumed"]["pool_before"] - r["ca_share"] for r in ok]
    bufs = host_record_buffers()
    notes.append("pool: a resumed fetch peaks %d-%d bytes below a full one: the record buffers "
                 "(%s) dominate both, the handshake state adds the rest; what resumption saves "
                 "is parsing and verifying the server's chain (and in TLS 1.2 the ECDHE, which "
                 "TLS 1.3 resumption, psk_dhe_ke, still does). \"in use before\" = CA "
                 "certificates + the kept session (%d-%d bytes: its ticket and, with "
                 "MBEDTLS_SSL_KEEP_PEER_CERTIFICATE, the server's certificate)"
                 % (min(saved), max(saved), bufs, min(kept), max(kept)))
notes.append("pool: peaks count the bytes mbedTLS asked for (MBEDTLS_MEMORY_DEBUG; rounded to "
             "the alignment) without the allocator's header per block (blocks: the most at "
             "once); the resumed figure is the second fetch alone "
             "(mbedtls_memory_buffer_alloc_max_reset before it)")

# ---- parser cost -------------------------------------------------------------
S = "Parser cost (callgrind Ir per input byte, x86-64 gcc -O2)"
names = {"token.json": "JSON scanner, token answer", "members.json": "JSON scanner, members page",
         "token.http": "HTTP reader, token response", "members.http": "HTTP reader, members response"}
for f, label in names.items():
    for chunk in ("1", "1460"):
        c = parse["%s %s %s" % ("json" if f.endswith("json") else "http", f, chunk)]
        ipb = c["ir"] / c["bytes"]
        c["per_byte"] = round(ipb, 2)
        fig = "%s (%d B), chunk %s" % (label, c["bytes"], chunk)
        if f == "members.json" and chunk == "1460":
            row(S, fig, "%.2f" % ipb, "<= %g" % BUDGET_JSON_IPB,
                check("JSON scanner Ir/byte, members page, 1460-byte chunks", round(ipb, 2),
                      BUDGET_JSON_IPB, "instructions/byte", ipb <= BUDGET_JSON_IPB))
        else:
            row(S, fig, "%.2f" % ipb)

# ---- network -----------------------------------------------------------------
S = "Network, one token fetch (TCP payload bytes; round trips excl. TCP connect)"
for key in CHAINS:
    r = net[key]
    v = "sent %d, received %d, round trips %d" % (r["tx"], r["rx"], r["round_trips"])
    if r["rc"] != 0:
        notes.append("%s: the handshake fails (%s)" % (key, r["error"]))
        v = "FAILS (%s) after sent %d, received %d" % (r["error"], r["tx"], r["rx"])
    row(S, chain_label(key), v)
for key in CHAINS:
    r = net[key]
    q = r["resumed"]
    fig = "full vs resumed handshake, %s" % chain_label(key)
    if not resumed_ok(r):
        row(S, fig, resumed_failure(r))
        continue
    row(S, fig, "sent %d -> %d, received %d -> %d, round trips %d -> %d"
        % (r["tx"], q["tx"], r["rx"], q["rx"], r["round_trips"], q["round_trips"]))
if ok:
    rx_saved = [r["rx"] - r["resumed"]["rx"] for r in ok]
    t12 = [net[k] for k in CHAINS if k.startswith("tls1.2") and net[k] in ok]
    t13 = [net[k] for k in CHAINS if k.startswith("tls1.3") and net[k] in ok]
    parts = ["resumption (confirmed by the identity server's handshake counters) drops the "
             "server's certificate chain and signature: %d-%d bytes less received"
             % (min(rx_saved), max(rx_saved))]
    if t12:
        parts.append("TLS 1.2 also saves a round trip (%d -> %d)"
                     % (t12[0]["round_trips"], t12[0]["resumed"]["round_trips"]))
    if t13:
        parts.append("TLS 1.3 keeps its %d round trips (no 0-RTT) and sends %d bytes more "
                     "(the ticket in the ClientHello)"
                     % (t13[0]["resumed"]["round_trips"],
                        t13[0]["resumed"]["tx"] - t13[0]["tx"]))
    notes.append("network: " + "; ".join(parts) + "; what remains is dominated by the token "
                 "answer (a %d-byte token) and the request with its credentials"
                 % ok[0]["resumed"]["token_len"])

# ---- API requests ------------------------------------------------------------
MODES = (("keep", "one kept-alive connection"),
         ("close", "a connection each, session resumed"),
         ("fresh", "a connection each, full handshake"))
n_req = next(iter(api.values()))["n"]
S = ("Network, N = %d API requests GET /members?$limit=1 (API connection; server's counts)"
     % n_req)
api_ok = {}
for tls in ("1.3", "1.2"):
    for mode, text in MODES:
        key = "tls%s-%s" % (tls, mode)
        if key not in api:
            continue
        r = api[key]
        srv = r["server"]
        fig = "TLS %s, %s" % (tls, text)
        if r["rc"] != 0 or r["done"] != r["n"]:
            row(S, fig, "FAILS (%s, HTTP %d) after %d of %d" % (r["error"], r["status"],
                                                               r["done"], r["n"]))
            continue
        want = {"keep": (1, 1, 0), "close": (r["n"], 1, r["n"] - 1),
                "fresh": (r["n"], r["n"], 0)}[mode]
        got = (srv["connections"], srv["handshakes_full"], srv["handshakes_resumed"])
        api_ok[key] = got == want
        row(S, fig, "sent %d, received %d, round trips %d, connections %d, handshakes "
            "%d full + %d resumed, pool peak %d%s"
            % (r["tx"], r["rx"], r["round_trips"], got[0], got[1], got[2], r["pool_peak"],
               "" if got == want else " (UNEXPECTED: wanted %d conn., %d full, %d resumed)"
               % want))
for tls in ("1.3", "1.2"):
    keys = ["tls%s-%s" % (tls, m) for m, _ in MODES]
    if not all(api_ok.get(k) for k in keys):
        continue
    k, c, f = (api[x] for x in keys)
    row(S, "N API requests, TLS %s: one connection vs one each (resumed | full)" % tls,
        "received %d vs %d | %d, sent %d vs %d | %d, round trips %d vs %d | %d"
        % (k["rx"], c["rx"], f["rx"], k["tx"], c["tx"], f["tx"], k["round_trips"],
           c["round_trips"], f["round_trips"]))
if all(api_ok.get("tls1.3-%s" % m) for m, _ in MODES):
    k, c, f = (api["tls1.3-%s" % m] for m, _ in MODES)
    n = k["n"]
    notes.append("API: over one connection a request costs %d bytes sent (its bearer token, "
                 "%d bytes, dominates) and %d received (%d of it the member's JSON), one round "
                 "trip; a new connection per request adds a handshake each time: TLS 1.3 "
                 "+%d bytes received and +%d round trip per request when resumed, +%d bytes "
                 "when full; the pool peak (%d, of which %d already in use: the CA certificates and the "
                 "token connection's kept session) is one connection's, whatever the way"
                 % (round(k["tx"] / n), k["token_len"], round(k["rx"] / n),
                    round(k["body_bytes"] / n), round((c["rx"] - k["rx"]) / n),
                    round((c["round_trips"] - k["round_trips"]) / n),
                    round((f["rx"] - k["rx"]) / n), k["pool_peak"], k["pool_before"]))

# ---- print ---------------------------------------------------------------------
w1 = max(len(r[1]) for r in rows)
w2 = max(len(r[2]) for r in rows)
w3 = max(len(r[3]) for r in rows)
line = "-" * (w1 + w2 + w3 + 14)
print(line)
print("%-*s  %-*s  %-*s  %s" % (w1, "figure", w2, "value", w3, "budget", "result"))
sec = None
for s, fig, val, bud, ver in rows:
    if s != sec:
        print(line)
        print(s)
        sec = s
    print("%-*s  %-*s  %-*s  %s" % (w1, fig, w2, val, w3, bud, ver))
print(line)
for n in notes:
    print("note: " + n)
for b in budgets:
    print("budget %-55s %s (%s %s, limit %s)" % (b["budget"], b["result"], b["value"],
                                                   b["unit"], b["limit"]))
with open(out, "w", encoding="utf-8") as f:
    json.dump({"budgets": budgets, "notes": notes, "sizes": sizes, "stack": stack, "ram": ram, "parse": parse,
               "network_and_pool": net, "api_requests": api,
               "firmware": {"before": FW_BEFORE, "now": fw_json},
               "table": [{"section": s, "figure": a, "value": b, "budget": c, "result": e}
                         for s, a, b, c, e in rows]}, f, indent=1)
print("written: %s" % out)
