#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Worst-case stack per public call, from gcc's -fcallgraph-info=su files.

    stack.py OUT.json --lib LIB.ci... --mbedtls MBEDTLS.ci... --headers H...

Each .ci file is a VCG graph: one node per function with its frame size
("N bytes (static)"), one edge per call site; indirect calls go to the
placeholder node "__indirect_call". The library's own frames are summed along
the deepest call path; mbedTLS's frames are reported on their own, as the
deepest mbedTLS path below the mbedTLS functions a public call reaches.

Indirect calls are resolved by name, from where the library registers its
callbacks:
  src/json.c         j->cb            -> oauth.c on_json   (ornd_json_init in oauth.c)
  src/http_reader.c  cfg.on_body      -> oauth.c on_body, api.c on_body
  src/http_reader.c  cfg.on_field     -> api.c on_field (head_take)
                     cfg.on_header    -> api.c on_header (NULL in oauth.c)
  src/api.c          the caller's body handler (user frames: not counted)
  src/tls.c, src/client.c  port->*    -> the port (outside the library: 0 here)
  mbedtls_ssl_{handshake,read,write,close_notify}  -> tls.c bio_send and
                     bio_recv_timeout (registered with mbedtls_ssl_set_bio) and
                     mbedtls_psa_external_get_random (PSA's RNG, defined in tls.c)
A user callback given to ornd_json_init / ornd_http_reader_init directly adds
its own frames on top of the figure printed for those calls.
mbedTLS's own indirect calls (cipher/md/pk tables, f_send/f_recv) are not
followed inside mbedTLS; its figure is the deepest path of direct calls, and
is marked when a path is recursive.
"""
import json
import re
import sys

NODE = re.compile(r'node: \{ title: "([^"]+)" label: "([^"]*)"')
EDGE = re.compile(r'edge: \{ sourcename: "([^"]+)" targetname: "([^"]+)"')
FRAME = re.compile(r'\\n(\d+) bytes \((static|dynamic[^)]*)\)')

# where the library registers callbacks: the function (or, failing that, the
# file) making an indirect call -> what it may call
CALLBACKS = {
    "src/json.c": ["src/oauth.c:on_json"],
    # the named-field callback, called in the head: NULL for the token
    # answer (it names no field), api.c's for API answers
    "src/http_reader.c:head_take": ["src/api.c:on_field"],
    "src/http_reader.c:head_take.constprop.0": ["src/api.c:on_field"],
    # the body callback: the token answer's or an API answer's
    "src/http_reader.c": ["src/oauth.c:on_body", "src/api.c:on_body"],
    "src/api.c": [],     # the caller's body handler and the port's clock
    "src/tls.c": [],     # port function pointers
    "src/client.c": [],  # port lock/unlock/now_ms
}
BIO = ["src/tls.c:bio_send", "src/tls.c:bio_recv_timeout",
       "mbedtls_psa_external_get_random"]  # PSA's RNG, called from mbedTLS
BIO_CALLERS = {"mbedtls_ssl_handshake", "mbedtls_ssl_read", "mbedtls_ssl_write",
               "mbedtls_ssl_close_notify", "mbedtls_ssl_handshake_step"}


def load(files):
    frames, edges, dynamic = {}, {}, set()
    for path in files:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        title = re.search(r'graph: \{ title: "([^"]+)"', text).group(1)
        for name, label in NODE.findall(text):
            m = FRAME.search(label)
            if m:
                frames[name] = int(m.group(1))
                if m.group(2) != "static":
                    dynamic.add(name)
        for src, dst in EDGE.findall(text):
            if dst == "__indirect_call":
                for t in CALLBACKS.get(src, CALLBACKS.get(title, ["?indirect"])):
                    edges.setdefault(src, set()).add(t)
                continue
            edges.setdefault(src, set()).add(dst)
    return frames, edges, dynamic


def main():
    args = sys.argv[1:]
    out = args.pop(0)
    groups = {"--lib": [], "--mbedtls": [], "--headers": []}
    cur = None
    for a in args:
        if a in groups:
            cur = a
        else:
            groups[cur].append(a)
    lf, le, ldyn = load(groups["--lib"])
    mf, me, mdyn = load(groups["--mbedtls"])
    public = []
    for h in groups["--headers"]:
        with open(h, encoding="utf-8") as f:
            for m in re.finditer(r'^[A-Za-z][\w \*]*?\b(ornd_\w+)\s*\(', f.read(), re.M):
                if m.group(1) in lf and m.group(1) not in public:
                    public.append(m.group(1))

    # mbedTLS: deepest path of direct calls below each function (memoised DFS).
    mdepth, mflags, mnext = {}, {}, {}

    def mbed(fn, stack):
        if fn in mdepth:
            return mdepth[fn], mflags[fn]
        if fn in stack:
            return 0, {"recursive: " + fn.split(":")[-1]}
        stack.add(fn)
        best, flags = 0, set()
        for callee in sorted(me.get(fn, ())):
            if callee == "?indirect":
                flags.add("indirect")
                continue
            if callee not in mf:
                continue  # libc / compiler builtins / library callbacks
            d, fl = mbed(callee, stack)
            flags |= fl
            if d > best:
                best, mnext[fn] = d, callee
        stack.discard(fn)
        if fn in mdyn:
            flags.add("dynamic")
        mdepth[fn] = mf.get(fn, 0) + best
        mflags[fn] = flags
        return mdepth[fn], flags

    # Library: deepest sum of library frames; mbedTLS reached is collected.
    memo = {}

    def lib(fn, stack):
        if fn in memo:
            return memo[fn]
        if fn in stack:
            return (0, [fn + " (recursion)"], 0, None, {"recursive"})
        stack.add(fn)
        callees = set(le.get(fn, ()))
        best = (0, [], 0, None, set())
        m_best, m_entry, m_flags = 0, None, set()
        for callee in sorted(callees):
            if callee in lf:
                r = lib(callee, stack)
                if r[0] > best[0]:
                    best = r
                if r[2] > m_best:
                    m_best, m_entry = r[2], r[3]
                m_flags |= r[4]
            elif callee in mf:
                d, fl = mbed(callee, set())
                if d > m_best:
                    m_best, m_entry = d, callee
                m_flags |= fl
                if callee in BIO_CALLERS:
                    for b in BIO:
                        r = lib(b, stack)
                        if r[0] > best[0]:
                            best = r
        stack.discard(fn)
        res = (lf[fn] + best[0], [fn.split(":")[-1]] + best[1], m_best, m_entry,
               m_flags | ({"dynamic"} if fn in ldyn else set()))
        memo[fn] = res
        return res

    def mpath(fn):
        out = []
        while fn is not None and fn not in out:
            out.append(fn)
            fn = mnext.get(fn)
        return ["%s %d" % (f.split(":")[-1], mf.get(f, 0)) for f in out]

    rows = []
    for fn in public:
        total, path, m, entry, flags = lib(fn, set())
        rows.append({"function": fn, "library_bytes": total, "path": path,
                     "mbedtls_bytes": m, "mbedtls_entry": entry,
                     "mbedtls_path": mpath(entry) if entry else [],
                     "mbedtls_notes": sorted(flags)})
    with open(out, "w", encoding="utf-8") as f:
        json.dump({"public": rows,
                   "notes": "library frames summed on the deepest path (callbacks "
                            "resolved by name, see tests/bench/stack.py); mbedTLS "
                            "frames separately: deepest direct-call path"}, f, indent=1)


if __name__ == "__main__":
    main()
