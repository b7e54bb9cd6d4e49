/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the field matcher (src/match.c).
 *
 * Input: the first byte chooses how the document is chunked. If the rest
 * holds a NUL byte, what comes before it is the list of paths (separated by
 * '\n') and what follows is the document; otherwise a fixed set of paths is
 * used and the whole rest is the document.
 *
 * The document is matched twice, in one piece and in the chosen pieces (each
 * copied to a heap block of exactly its size), and a reference matcher,
 * written differently, runs over the scanner's events: it spells the current
 * position as text ("results[].email") and compares it with the path text.
 * Every violated invariant calls abort():
 *   - init accepts exactly the paths the reference grammar check accepts;
 *   - the verdict is the same for both chunkings; for a valid document the
 *     event stream (values reassembled per path) is the same for both and
 *     the same as the reference's;
 *   - per path, a value starts with `first`, ends with `last`, keeps its
 *     type; containers and literals arrive as one fragment;
 *   - the capture helper holds exactly the values that fit and refuses the
 *     others.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ornd/error.h"
#include "ornd/json.h"
#include "ornd/match.h"

#define NPATHS ORND_CONFIG_MATCH_PATHS_MAX
#define NAME_MAX_ ORND_CONFIG_MATCH_NAME_MAX
#define STEPS_MAX ORND_CONFIG_MATCH_STEPS_MAX
#define DEPTH_MAX ORND_CONFIG_JSON_DEPTH_MAX
#define CAP_SIZE 16u

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)    \
    do {               \
        if (!(cond)) { \
            abort();   \
        }              \
    } while (0)

/* ---- event stream summary ------------------------------------------------ */

typedef struct {
    uint64_t hash;              /* marks and completed values, in order */
    uint64_t vhash[NPATHS];     /* per path: bytes of the value in progress */
    size_t vlen[NPATHS];
    bool open[NPATHS];
    ornd_match_type_t type[NPATHS];
    /* capture check on path 0 */
    ornd_match_capture_t cap;
    char cap_buf[CAP_SIZE];
    char head[CAP_SIZE];        /* first bytes of the value of path 0 */
    int cap_rc;
} stream_t;

static void mix(uint64_t *h, uint64_t v)
{
    for (unsigned i = 0; i < 8; i++) {
        *h = (*h ^ (uint8_t)(v >> (8u * i))) * 0x100000001B3ull;
    }
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
    for (size_t i = 0; i < n; i++) {
        if (path == 0 && s->vlen[path] + i < CAP_SIZE) {
            s->head[s->vlen[path] + i] = p[i];
        }
        s->vhash[path] = (s->vhash[path] ^ (uint8_t)p[i]) * 0x100000001B3ull;
    }
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

static ornd_err_t on_match(void *user, const ornd_match_event_t *ev)
{
    stream_t *s = user;
    CHECK(ev->path < NPATHS);
    if (ev->kind != ORND_MATCH_VALUE) {
        CHECK(ev->level >= 1 && ev->level <= STEPS_MAX);
        stream_mark(s, (unsigned)ev->kind, ev->path, ev->level);
        return 0;
    }
    CHECK(ev->data != NULL);
    if (ev->type != ORND_MATCH_STRING && ev->type != ORND_MATCH_NUMBER) {
        CHECK(ev->first && ev->last);
    }
    stream_value(s, ev->path, ev->type, ev->data, ev->len, ev->first, ev->last);
    if (ev->path == 0) {
        check_capture(s, ev);
    }
    return 0;
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

static int run_matcher(const char *const *paths, size_t np, const uint8_t *doc, size_t len,
                       const uint8_t *sel, stream_t *s)
{
    static ornd_match_t m;
    uint32_t seed = sel != NULL ? *sel : 0u;
    stream_reset(s);
    CHECK(ornd_match_init(&m, paths, np, on_match, s) == ORND_OK);
    int rc = ORND_OK;
    for (size_t off = 0; off < len && rc == ORND_OK;) {
        size_t n = sel != NULL ? next_piece(*sel, &seed) : len;
        n = n < len - off ? n : len - off;
        rc = feed_piece(&m, doc + off, n);
        off += n;
    }
    if (rc == ORND_OK) {
        rc = ornd_match_finish(&m);
    }
    if (rc != ORND_OK) {
        CHECK(ornd_match_finish(&m) == rc);
    }
    return rc;
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

static void ref_values(ref_t *r, unsigned depth, ornd_match_type_t type, const char *p,
                       size_t n, bool first, bool last)
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
    case ORND_JSON_STRING: return ORND_MATCH_STRING;
    case ORND_JSON_NUMBER: return ORND_MATCH_NUMBER;
    case ORND_JSON_TRUE: return ORND_MATCH_TRUE;
    case ORND_JSON_FALSE: return ORND_MATCH_FALSE;
    case ORND_JSON_NULL: return ORND_MATCH_NULL;
    case ORND_JSON_OBJECT_BEGIN: return ORND_MATCH_OBJECT;
    default: return ORND_MATCH_ARRAY;
    }
}

static ornd_err_t ref_on_json(void *user, const ornd_json_event_t *ev)
{
    ref_t *r = user;
    unsigned d = ev->depth;
    static const char *const lit[] = {"true", "false", "null"};
    switch (ev->type) {
    case ORND_JSON_KEY: ref_key(r, ev); break;
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const fixed[] = {"results[].email", "results[].member", "cursorNext",
                                        "[]", "[].id", "a.b[].c[].d", "results[]", "a.b"};
    static char text[4096];
    static stream_t one, many, ref;
    const char *paths[NPATHS];
    size_t np = 0;
    if (size == 0) {
        return 0;
    }
    const uint8_t *doc = data + 1;
    size_t len = size - 1;
    const uint8_t *nul = memchr(doc, 0, len);
    if (nul != NULL && (size_t)(nul - doc) < sizeof text) {
        size_t n = (size_t)(nul - doc);
        memcpy(text, doc, n);
        text[n] = '\0';
        char *p = text;
        for (;;) {
            char *nl = strchr(p, '\n');
            if (np == NPATHS) {
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
        int rc = ornd_match_init(&probe, paths, np, on_match, &one);
        int want = ORND_OK;
        for (size_t i = 0; i < np && want == ORND_OK; i++) {
            want = ref_check_path(paths[i]);
        }
        if (want == 1) {
            CHECK(rc == ORND_ERR_CONFIG_TOO_LONG || rc == ORND_ERR_MATCH_PATH);
        } else {
            CHECK(rc == want);
        }
        if (rc != ORND_OK) {
            return 0;
        }
    } else {
        np = sizeof fixed / sizeof fixed[0];
        memcpy(paths, fixed, sizeof fixed);
    }
    int rc_one = run_matcher(paths, np, doc, len, NULL, &one);
    int rc_many = run_matcher(paths, np, doc, len, data, &many);
    int rc_ref = run_reference(paths, np, doc, len, &ref);
    CHECK(rc_one == rc_many && rc_one == rc_ref);
    if (rc_one == ORND_OK) {
        CHECK(one.hash == many.hash);
        CHECK(one.hash == ref.hash);
    }
    return 0;
}
