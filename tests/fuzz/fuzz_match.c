/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the field matcher (src/match.c).
 *
 * Input: the first byte chooses how the document is chunked. If the rest
 * holds a NUL byte, what comes before it is the list of paths (separated by
 * '\n', up to four more than ORND_CONFIG_MATCH_PATHS_MAX) and what follows
 * is the document, and if that holds a NUL byte too, what follows it is a
 * second document, fed after ornd_match_reset(); otherwise a fixed set of up to 16 paths (as many
 * as the matcher takes) is used and the whole rest is the document. `make fuzz` builds this target
 * with ORND_CONFIG_MATCH_PATHS_MAX at its ceiling, 32, so that every bit of the matcher's path
 * masks is used; the corpus replay of `make coverage` runs it at the default.
 *
 * The document is matched twice, in one piece and in the chosen pieces (each
 * copied to a heap block of exactly its size), and a reference matcher,
 * written differently, runs over the scanner's events: it spells the current
 * position as text ("results[].email") and compares it with the path text.
 * Every violated invariant calls abort():
 *   - init accepts exactly the paths the reference grammar check accepts,
 *     and refuses more than ORND_CONFIG_MATCH_PATHS_MAX of them with
 *     ORND_ERR_CONFIG_TOO_LONG; a refused matcher returns that error from
 *     every call, also after ornd_match_reset(), and calls back nothing;
 *   - the verdict is the same for both chunkings; for a valid document the
 *     event stream (values reassembled per path) is the same for both and
 *     the same as the reference's;
 *   - per path, a value starts with `first`, ends with `last`, keeps its
 *     type; containers and literals arrive as one fragment;
 *   - the capture helper holds exactly the values that fit and refuses the
 *     others;
 *   - the matcher run as the callback of a scanner of the caller's
 *     (ornd_match_on_json) gives the same stream;
 *   - a callback that fails: both runs again with the callback returning an
 *     error at its Nth call (N and the error from a hash of the input); the
 *     feed or finish of that call returns exactly that error, every later
 *     call too, nothing more is delivered, and the N calls before are those
 *     of the uninterrupted run;
 *   - ornd_match_reset(): the matcher left by that failed run (stopped in
 *     the middle of the document), and the one of each complete run, reset
 *     and fed the second document (or the first again), give the results of
 *     a fresh matcher, fragment by fragment.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ornd/error.h"
#include "ornd/json.h"
#include "ornd/match.h"

#define NPATHS ORND_CONFIG_MATCH_PATHS_MAX
#define NAME_MAX_ ORND_CONFIG_MATCH_NAME_MAX
#define STEPS_MAX ORND_CONFIG_MATCH_STEPS_MAX
#define DEPTH_MAX ORND_CONFIG_JSON_DEPTH_MAX
#define CAP_SIZE 16u
#define LIST_MAX (NPATHS + 4u) /* paths the input may name: some over the limit */
#define TRACE_MAX (1u << 16)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* ---- event stream summary ------------------------------------------------ */

typedef struct {
    uint64_t hash;          /* marks and completed values, in order */
    uint64_t vhash[NPATHS]; /* per path: bytes of the value in progress */
    size_t vlen[NPATHS];
    bool open[NPATHS];
    ornd_match_type_t type[NPATHS];
    /* capture check on path 0 */
    ornd_match_capture_t cap;
    char cap_buf[CAP_SIZE];
    char head[CAP_SIZE]; /* first bytes of the value of path 0 */
    int cap_rc;
    /* every call as it came (fragment boundaries included) */
    fuzz_calls_t cb;
} stream_t;

static void mix(uint64_t *h, uint64_t v)
{
    uint8_t le[8];
    for (unsigned i = 0; i < 8; i++) {
        le[i] = (uint8_t)(v >> (8u * i));
    }
    *h = fuzz_mix(*h, le, sizeof le);
}

static void stream_reset(stream_t *s)
{
    memset(s, 0, sizeof *s);
    s->hash = 0xcbf29ce484222325ull;
    ornd_match_capture_init(&s->cap, s->cap_buf, sizeof s->cap_buf);
}

static void stream_mark(stream_t *s, unsigned kind, unsigned path, unsigned level)
{
    mix(&s->hash, 0xAA00u | kind);
    mix(&s->hash, path);
    mix(&s->hash, level);
}

static void stream_value(stream_t *s, unsigned path, ornd_match_type_t type, const char *p,
                         size_t n, bool first, bool last)
{
    CHECK(path < NPATHS);
    CHECK(first != s->open[path]);
    if (first) {
        s->vhash[path] = 0xcbf29ce484222325ull;
        s->vlen[path] = 0;
        s->type[path] = type;
    }
    CHECK(s->type[path] == type);
    for (size_t i = 0; path == 0 && i < n && s->vlen[path] + i < CAP_SIZE; i++) {
        s->head[s->vlen[path] + i] = p[i];
    }
    s->vhash[path] = fuzz_mix(s->vhash[path], p, n);
    s->vlen[path] += n;
    s->open[path] = !last;
    if (last) {
        mix(&s->hash, 0xBB00u | (unsigned)type);
        mix(&s->hash, path);
        mix(&s->hash, s->vhash[path]);
        mix(&s->hash, s->vlen[path]);
    }
}

/* ---- the matcher under test ---------------------------------------------- */

static void check_capture(stream_t *s, const ornd_match_event_t *ev)
{
    int rc = ornd_match_capture(&s->cap, ev);
    CHECK(rc == ORND_OK || rc == ORND_ERR_MATCH_TOO_LONG);
    if (!ev->last) {
        return;
    }
    size_t total = s->vlen[0];
    if (total < CAP_SIZE) {
        CHECK(rc == ORND_OK && s->cap.found && s->cap.len == total);
        CHECK(s->cap.type == ev->type && s->cap_buf[total] == '\0');
        CHECK(memcmp(s->cap_buf, s->head, total) == 0);
    } else {
        CHECK(rc == ORND_ERR_MATCH_TOO_LONG && !s->cap.found && s->cap.len == 0);
    }
}

static void trace_call(stream_t *s, const ornd_match_event_t *ev)
{
    mix(&s->cb.raw, (uint64_t)ev->kind << 48 | (uint64_t)ev->type << 40 | (uint64_t)ev->path << 16 |
                        (uint64_t)ev->level << 2 | (uint64_t)ev->first << 1 | ev->last);
    mix(&s->cb.raw, ev->len);
    fuzz_note_call(&s->cb, TRACE_MAX,
                   fuzz_mix(s->cb.raw, ev->data, ev->data != NULL ? ev->len : 0u));
}

/* A matcher's user: the stream its events go to, switched between
 * documents by the test. */
typedef struct {
    stream_t *s;
} sink_t;

static ornd_err_t on_match(void *user, const ornd_match_event_t *ev)
{
    stream_t *s = ((sink_t *)user)->s;
    CHECK(!s->cb.stopped);
    trace_call(s, ev);
    CHECK(ev->path < NPATHS);
    if (ev->kind != ORND_MATCH_VALUE) {
        CHECK(ev->level >= 1 && ev->level <= STEPS_MAX);
        stream_mark(s, (unsigned)ev->kind, ev->path, ev->level);
        return fuzz_call_result(&s->cb);
    }
    CHECK(ev->data != NULL);
    if (ev->type != ORND_MATCH_STRING && ev->type != ORND_MATCH_NUMBER) {
        CHECK(ev->first && ev->last);
    }
    stream_value(s, ev->path, ev->type, ev->data, ev->len, ev->first, ev->last);
    if (ev->path == 0) {
        check_capture(s, ev);
    }
    return fuzz_call_result(&s->cb);
}

static int feed_piece(ornd_match_t *m, const uint8_t *src, size_t n)
{
    uint8_t *piece = malloc(n > 0 ? n : 1);
    CHECK(piece != NULL);
    memcpy(piece, src, n);
    int rc = ornd_match_feed(m, piece, n);
    free(piece);
    return rc;
}

static size_t next_piece(uint8_t sel, uint32_t *seed)
{
    size_t bound = (size_t)(sel & 0x3Fu) + 1u;
    if ((sel & 0x40u) != 0) {
        return bound;
    }
    *seed = *seed * 1103515245u + 12345u;
    return 1u + (size_t)((*seed >> 16) % bound);
}

/* Runs matcher m (set up with s as its user) over doc, in one piece (sel
 * NULL) or as *sel chooses. With s->cb.stop_at set, the call that fails must be
 * the one whose feed or finish returns its error; before it all is as in
 * the uninterrupted run, so every feed returns ORND_OK. */
static int feed_matcher(ornd_match_t *m, const uint8_t *doc, size_t len, const uint8_t *sel,
                        stream_t *s)
{
    uint32_t seed = sel != NULL ? *sel : 0u;
    int rc = ORND_OK;
    for (size_t off = 0; off < len && rc == ORND_OK;) {
        size_t n = sel != NULL ? next_piece(*sel, &seed) : len;
        n = n < len - off ? n : len - off;
        rc = feed_piece(m, doc + off, n);
        CHECK(s->cb.stop_at == 0 || rc == (s->cb.stopped ? s->cb.stop_rc : ORND_OK));
        off += n;
    }
    if (rc == ORND_OK) {
        rc = ornd_match_finish(m);
        CHECK(s->cb.stop_at == 0 || (s->cb.stopped && rc == s->cb.stop_rc));
    }
    if (rc != ORND_OK) {
        CHECK(ornd_match_finish(m) == rc);
        CHECK(ornd_match_feed(m, (const uint8_t *)"[1]", 3) == rc);
    }
    return rc;
}

/* The document fed after ornd_match_reset(), and what a fresh matcher makes
 * of it, in one piece [0] and in the chosen pieces [1]. */
typedef struct {
    const uint8_t *doc;
    size_t len;
    int rc[2];
    const stream_t *fresh[2]; /* NULL: it is the first document */
} next_doc_t;

/* Matcher m, whatever it did before, reset and fed the next document: the
 * results of a fresh matcher. `self` is the fresh run of the first document
 * in the same pieces. */
static void check_reset(ornd_match_t *m, sink_t *sink, const next_doc_t *next, const uint8_t *sel,
                        const stream_t *self, int self_rc)
{
    static stream_t again;
    const int k = sel != NULL ? 1 : 0;
    const stream_t *want = next->fresh[k] != NULL ? next->fresh[k] : self;
    const int want_rc = next->fresh[k] != NULL ? next->rc[k] : self_rc;
    stream_reset(&again);
    sink->s = &again;
    ornd_match_reset(m);
    CHECK(feed_matcher(m, next->doc, next->len, sel, &again) == want_rc);
    CHECK(again.hash == want->hash && again.cb.raw == want->cb.raw &&
          again.cb.calls == want->cb.calls);
}

static int fresh_run(ornd_match_t *m, sink_t *sink, const char *const *paths, size_t np,
                     const uint8_t *doc, size_t len, const uint8_t *sel, stream_t *s,
                     uint64_t *trace)
{
    stream_reset(s);
    s->cb.trace = trace;
    sink->s = s;
    CHECK(ornd_match_init(m, paths, np, on_match, sink) == ORND_OK);
    return feed_matcher(m, doc, len, sel, s);
}

/* A fresh matcher over doc; then the same matcher reset and fed the next
 * document. */
static int run_matcher(const char *const *paths, size_t np, const uint8_t *doc, size_t len,
                       const uint8_t *sel, stream_t *s, uint64_t *trace, const next_doc_t *next)
{
    static ornd_match_t m;
    static sink_t sink;
    int rc = fresh_run(&m, &sink, paths, np, doc, len, sel, s, trace);
    check_reset(&m, &sink, next, sel, s, rc);
    return rc;
}

/* The matcher as the callback of the caller's own scanner. */
static int run_on_json(const char *const *paths, size_t np, const uint8_t *doc, size_t len,
                       stream_t *s)
{
    static ornd_match_t m;
    static sink_t sink;
    ornd_json_t j;
    stream_reset(s);
    sink.s = s;
    CHECK(ornd_match_init(&m, paths, np, on_match, &sink) == ORND_OK);
    ornd_json_init(&j, ornd_match_on_json, &m);
    int rc = ornd_json_feed(&j, doc, len);
    return rc == ORND_OK ? ornd_json_finish(&j) : rc;
}

/* Run `full` again with its callback failing with `code` at call `n`; then
 * the stopped matcher, reset, runs the next document as a fresh one does. */
static void run_stopped(const char *const *paths, size_t np, const uint8_t *doc, size_t len,
                        const uint8_t *sel, const stream_t *full, int full_rc,
                        const uint64_t *trace, size_t n, ornd_err_t code, const next_doc_t *next)
{
    static ornd_match_t m;
    static sink_t sink;
    static stream_t s;
    stream_reset(&s);
    s.cb.stop_at = n;
    s.cb.stop_rc = code;
    sink.s = &s;
    CHECK(ornd_match_init(&m, paths, np, on_match, &sink) == ORND_OK);
    CHECK(feed_matcher(&m, doc, len, sel, &s) == code);
    CHECK(s.cb.calls == n && n <= full->cb.calls && s.cb.raw == trace[n - 1u]);
    CHECK(ornd_match_feed(&m, doc, len) == code && ornd_match_finish(&m) == code);
    check_reset(&m, &sink, next, sel, full, full_rc);
}

/* More paths than the matcher takes, or a path it refuses: every call
 * returns the init error, before and after a reset, and nothing is called
 * back (the matcher's stream is marked stopped: on_match aborts). */
static void check_refused(ornd_match_t *m, int rc, const uint8_t *doc, size_t len)
{
    for (int round = 0; round < 2; round++) {
        CHECK(ornd_match_feed(m, doc, len) == rc);
        CHECK(ornd_match_feed(m, (const uint8_t *)"{}", 2) == rc);
        CHECK(ornd_match_finish(m) == rc);
        ornd_match_reset(m);
    }
}

/* ---- reference matcher ----------------------------------------------------- */

/* path = (name / "[]") *("." name / "[]"), name = 1*NAME_MAX bytes but . [ ] */
static int ref_check_path(const char *p)
{
    size_t steps = 0;
    size_t i = 0;
    bool need_step = true;
    while (need_step || p[i] != '\0') {
        size_t n = 0;
        if (p[i] == '[' && p[i + 1] == ']') {
            i += 2;
        } else {
            if (steps > 0 && p[i++] != '.') {
                return ORND_ERR_MATCH_PATH;
            }
            while (p[i] != '\0' && strchr(".[]", p[i]) == NULL) {
                i++;
                n++;
            }
            if (n == 0) {
                return ORND_ERR_MATCH_PATH;
            }
        }
        steps++;
        need_step = false;
        if (n > NAME_MAX_ || steps > STEPS_MAX) {
            /* the matcher may see a syntax error later in the path first */
            return 1;
        }
    }
    return ORND_OK;
}

typedef struct {
    const char *const *paths;
    size_t np;
    char loc[DEPTH_MAX * (NAME_MAX_ + 3u) + 1u]; /* the position as path text */
    size_t loc_at[DEPTH_MAX + 1u];               /* where each level's step starts */
    bool poison[DEPTH_MAX + 1u];                 /* level whose name no path can hold */
    unsigned poisoned;                           /* levels poisoned up to here */
    size_t key_len;
    stream_t *s;
} ref_t;

static bool ref_at(const ref_t *r, unsigned depth, const char *text, size_t len)
{
    return r->poisoned == 0 && r->loc_at[depth] == len && memcmp(r->loc, text, len) == 0;
}

/* Element marks: the first path holding a prefix "...[]" equal to the
 * position reports it. */
static void ref_element(ref_t *r, unsigned depth, unsigned kind)
{
    if (depth == 0 || r->poisoned != 0) {
        return;
    }
    size_t len = r->loc_at[depth];
    if (len < 2 || r->loc[len - 1] != ']') {
        return;
    }
    for (size_t i = 0; i < r->np; i++) {
        if (strlen(r->paths[i]) >= len && memcmp(r->paths[i], r->loc, len) == 0) {
            stream_mark(r->s, kind, (unsigned)i, depth);
            return;
        }
    }
}

static void ref_values(ref_t *r, unsigned depth, ornd_match_type_t type, const char *p, size_t n,
                       bool first, bool last)
{
    for (size_t i = 0; i < r->np; i++) {
        if (ref_at(r, depth, r->paths[i], strlen(r->paths[i]))) {
            stream_value(r->s, (unsigned)i, type, p, n, first, last);
        }
    }
}

static void ref_set_level(ref_t *r, unsigned depth, bool poison)
{
    if (r->poison[depth]) {
        r->poisoned--;
    }
    r->poison[depth] = poison;
    if (poison) {
        r->poisoned++;
    }
}

static void ref_key(ref_t *r, const ornd_json_event_t *ev)
{
    unsigned d = ev->depth; /* this key is the step that ends level d */
    size_t at = r->loc_at[d - 1];
    if (ev->first) {
        ref_set_level(r, d, false);
        r->key_len = 0;
        if (d > 1) {
            r->loc[at++] = '.';
        }
        r->loc_at[d] = at;
    }
    for (size_t i = 0; i < ev->len; i++) {
        char c = ev->data[i];
        if (c == '\0' || c == '.' || c == '[' || c == ']' || r->key_len >= NAME_MAX_) {
            ref_set_level(r, d, true);
        } else if (!r->poison[d]) {
            r->loc[r->loc_at[d]++] = c;
        }
        r->key_len++;
    }
    if (ev->last && r->key_len == 0) {
        ref_set_level(r, d, true);
    }
}

static ornd_match_type_t ref_type(ornd_json_type_t t)
{
    switch (t) {
    case ORND_JSON_STRING:
        return ORND_MATCH_STRING;
    case ORND_JSON_NUMBER:
        return ORND_MATCH_NUMBER;
    case ORND_JSON_TRUE:
        return ORND_MATCH_TRUE;
    case ORND_JSON_FALSE:
        return ORND_MATCH_FALSE;
    case ORND_JSON_NULL:
        return ORND_MATCH_NULL;
    case ORND_JSON_OBJECT_BEGIN:
        return ORND_MATCH_OBJECT;
    default:
        return ORND_MATCH_ARRAY;
    }
}

static ornd_err_t ref_on_json(void *user, const ornd_json_event_t *ev)
{
    ref_t *r = user;
    unsigned d = ev->depth;
    static const char *const lit[] = {"true", "false", "null"};
    switch (ev->type) {
    case ORND_JSON_KEY:
        ref_key(r, ev);
        break;
    case ORND_JSON_STRING:
    case ORND_JSON_NUMBER:
        if (ev->first) {
            ref_element(r, d, ORND_MATCH_ELEMENT_BEGIN);
        }
        ref_values(r, d, ref_type(ev->type), ev->data, ev->len, ev->first, ev->last);
        if (ev->last) {
            ref_element(r, d, ORND_MATCH_ELEMENT_END);
        }
        break;
    case ORND_JSON_TRUE:
    case ORND_JSON_FALSE:
    case ORND_JSON_NULL: {
        const char *t = lit[ev->type - ORND_JSON_TRUE];
        ref_element(r, d, ORND_MATCH_ELEMENT_BEGIN);
        ref_values(r, d, ref_type(ev->type), t, strlen(t), true, true);
        ref_element(r, d, ORND_MATCH_ELEMENT_END);
        break;
    }
    case ORND_JSON_OBJECT_BEGIN:
    case ORND_JSON_ARRAY_BEGIN:
        ref_element(r, d, ORND_MATCH_ELEMENT_BEGIN);
        ref_values(r, d, ref_type(ev->type), "", 0, true, true);
        CHECK(d + 1u <= DEPTH_MAX);
        ref_set_level(r, d + 1u, false);
        r->loc_at[d + 1u] = r->loc_at[d];
        if (ev->type == ORND_JSON_ARRAY_BEGIN) {
            memcpy(r->loc + r->loc_at[d + 1u], "[]", 2);
            r->loc_at[d + 1u] += 2;
        }
        break;
    default: /* ends */
        ref_set_level(r, d + 1u, false);
        ref_element(r, d, ORND_MATCH_ELEMENT_END);
        break;
    }
    return 0;
}

static int run_reference(const char *const *paths, size_t np, const uint8_t *doc, size_t len,
                         stream_t *s)
{
    static ref_t r;
    ornd_json_t j;
    memset(&r, 0, sizeof r);
    r.paths = paths;
    r.np = np;
    r.s = s;
    stream_reset(s);
    ornd_json_init(&j, ref_on_json, &r);
    int rc = ornd_json_feed(&j, doc, len);
    return rc == ORND_OK ? ornd_json_finish(&j) : rc;
}

/* ---- entry --------------------------------------------------------------- */

/* Errors a callback returns: the scanner's and the capture's among them. */
static const ornd_err_t stop_codes[] = {
    ORND_ERR_MATCH_TOO_LONG,
    ORND_ERR_JSON_SYNTAX,
    ORND_ERR_JSON_INCOMPLETE,
    ORND_ERR_JSON_DEPTH,
    ORND_ERR_MATCH_PATH,
    ORND_ERR_CONFIG_TOO_LONG,
    ORND_ERR_ARG,
    ORND_ERR_CLOSED,
    (ornd_err_t)-1000,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the first eight as they always were; OfficeRnD's member fields after */
    static const char *const fixed[] = {
        "results[].email",
        "results[].member",
        "cursorNext",
        "[]",
        "[].id",
        "a.b[].c[].d",
        "results[]",
        "a.b",
        "results[]._id",
        "results[].name",
        "results[].team",
        "results[].location",
        "results[].start.dateTime",
        "cursorPrev",
        "results[].properties.badgeId",
        "results[].calculatedStatus",
    };
    static char text[4096];
    static stream_t one, many, ref, direct;
    static uint64_t trace_one[TRACE_MAX], trace_many[TRACE_MAX];
    const char *paths[LIST_MAX];
    size_t np = 0;
    if (size == 0) {
        return 0;
    }
    const uint8_t *doc = data + 1;
    size_t len = size - 1;
    const uint8_t *nul = memchr(doc, 0, len);
    const bool listed = nul != NULL && (size_t)(nul - doc) < sizeof text;
    if (listed) {
        size_t n = (size_t)(nul - doc);
        memcpy(text, doc, n);
        text[n] = '\0';
        char *p = text;
        for (;;) {
            char *nl = strchr(p, '\n');
            if (np == LIST_MAX) {
                return 0;
            }
            paths[np++] = p;
            if (nl == NULL) {
                break;
            }
            *nl = '\0';
            p = nl + 1;
        }
        len -= n + 1;
        doc = nul + 1;
        static ornd_match_t probe;
        static stream_t refused;
        static sink_t probe_sink = {&refused};
        stream_reset(&refused);
        refused.cb.stopped = true;
        int rc = ornd_match_init(&probe, paths, np, on_match, &probe_sink);
        int want = ORND_OK;
        for (size_t i = 0; i < np && want == ORND_OK; i++) {
            want = ref_check_path(paths[i]);
        }
        if (np > NPATHS) {
            CHECK(rc == ORND_ERR_CONFIG_TOO_LONG);
        } else if (want == 1) {
            CHECK(rc == ORND_ERR_CONFIG_TOO_LONG || rc == ORND_ERR_MATCH_PATH);
        } else {
            CHECK(rc == want);
        }
        if (rc != ORND_OK) {
            check_refused(&probe, rc, doc, len);
            return 0;
        }
    } else {
        np = sizeof fixed / sizeof fixed[0] < NPATHS ? sizeof fixed / sizeof fixed[0] : NPATHS;
        memcpy(paths, fixed, np * sizeof fixed[0]);
    }
    /* the second document, and what fresh matchers make of it */
    static next_doc_t next;
    static stream_t two_one, two_many;
    memset(&next, 0, sizeof next);
    next.doc = doc;
    next.len = len;
    if (listed && (nul = memchr(doc, 0, len)) != NULL) {
        next.doc = nul + 1;
        next.len = len - (size_t)(nul - doc) - 1u;
        len = (size_t)(nul - doc);
        static ornd_match_t m2;
        static sink_t sink2;
        next.rc[0] = fresh_run(&m2, &sink2, paths, np, next.doc, next.len, NULL, &two_one, NULL);
        next.rc[1] = fresh_run(&m2, &sink2, paths, np, next.doc, next.len, data, &two_many, NULL);
        next.fresh[0] = &two_one;
        next.fresh[1] = &two_many;
    }
    int rc_one = run_matcher(paths, np, doc, len, NULL, &one, trace_one, &next);
    int rc_many = run_matcher(paths, np, doc, len, data, &many, trace_many, &next);
    int rc_ref = run_reference(paths, np, doc, len, &ref);
    int rc_direct = run_on_json(paths, np, doc, len, &direct);
    CHECK(rc_one == rc_many && rc_one == rc_ref && rc_one == rc_direct);
    CHECK(direct.cb.raw == one.cb.raw && direct.cb.calls == one.cb.calls);
    if (rc_one == ORND_OK) {
        CHECK(one.hash == many.hash);
        CHECK(one.hash == ref.hash);
    }
    const uint64_t h = fuzz_hash(data, size);
    const ornd_err_t code = stop_codes[(h >> 56) % (sizeof stop_codes / sizeof stop_codes[0])];
    if (one.cb.calls > 0) {
        run_stopped(paths, np, doc, len, NULL, &one, rc_one, trace_one,
                    fuzz_pick_call(h, one.cb.calls, TRACE_MAX), code, &next);
    }
    if (many.cb.calls > 0) {
        run_stopped(paths, np, doc, len, data, &many, rc_many, trace_many,
                    fuzz_pick_call(h >> 24, many.cb.calls, TRACE_MAX), code, &next);
    }
    return 0;
}
