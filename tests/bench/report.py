#!/usr/bin/env python3
"""Assemble `make bench`'s measurements into one table and build/bench.json.

    report.py DIR OUT.json
DIR holds sizes.json, stack.json, ram.json, parse.json, net.json.
Budgets (README.md, "Benchmarks") are checked here and never loosened:
PASS/FAIL is printed beside each; the exit status stays 0.
"""
import json
import sys

BUDGET_TOKEN_TEXT = 4096     # library .text (code + rodata), token path, Cortex-M4 -Os
BUDGET_STACK = 512           # worst-case stack of the library's own frames
BUDGET_JSON_IPB = 20.0       # JSON scanner instructions/byte, members page

d, out = sys.argv[1], sys.argv[2]


def load(name):
    with open("%s/%s" % (d, name), encoding="utf-8") as f:
        return json.load(f)


sizes, stack, ram, parse, net = (load(n) for n in
                                 ("sizes.json", "stack.json", "ram.json", "parse.json", "net.json"))
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
row(S, "library, everything (sum of modules)", tdb(sizes["ornd"]["all"]))
row(S, "mbedTLS (mps2-an386 config), token path", tdb(sizes["mbedtls"]["token"]))
row(S, "  largest mbedTLS modules kept",
    ", ".join("%s %d" % (m.replace(".o", ""), t) for m, t in sizes["mbedtls"]["top_token"]))
row(S, "mbedTLS, everything (libmbedtls.a)", tdb(sizes["mbedtls"]["all"]))
row(S, "token link: libc + tests/bench/token_entry.c", tdb(sizes["other_token"]))
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
conn = next(r for r in stack["public"] if r["function"] == "ornd_tls_connect")
notes.append("stack: worst mbedTLS path below ornd_tls_connect (frame bytes): "
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
for key in ("tls1.2-ecdsa", "tls1.2-rsa2048", "tls1.3-ecdsa", "tls1.3-rsa2048"):
    r = net[key]
    label = "pool peak, full handshake + token, %s (x86-64)" % key.replace("-", " ")
    if r["rc"] != 0:
        row(S, label, "handshake fails: %s" % r["error"])
    else:
        row(S, label, "%d (CA %d, %d blocks)" % (r["pool_peak"], r["ca_share"], r["pool_peak_blocks"]))
row(S, "pool peak, resumed handshake", "n/a (needs session resumption)")

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
for key in ("tls1.2-ecdsa", "tls1.2-rsa2048", "tls1.3-ecdsa", "tls1.3-rsa2048"):
    r = net[key]
    v = "sent %d, received %d, round trips %d" % (r["tx"], r["rx"], r["round_trips"])
    if r["rc"] != 0:
        notes.append("%s: the handshake fails (%s): mbedTLS 3.6.6 rejects an rsa_pss_rsae "
                     "signature in a TLS 1.2 ServerKeyExchange, which OpenSSL servers choose "
                     "for RSA keys (Mbed-TLS/mbedtls#10668)" % (key, r["error"]))
        v = "FAILS (%s) after sent %d, received %d" % (r["error"], r["tx"], r["rx"])
    row(S, key.replace("-", " ").replace("tls", "TLS "), v)
row(S, "full vs resumed handshake", "n/a (needs issue 3)")
row(S, "N API requests: one connection vs one each", "n/a (needs issue 3)")

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
               "network_and_pool": net,
               "table": [{"section": s, "figure": a, "value": b, "budget": c, "result": e}
                         for s, a, b, c, e in rows]}, f, indent=1)
print("written: %s" % out)
