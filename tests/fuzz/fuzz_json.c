/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the streaming JSON scanner (src/json.c).
 *
 * Input: the first byte chooses how the rest is chunked, the rest is the
 * document. The document is scanned twice, in one piece and in the chosen
 * pieces (each copied to a heap block of exactly its size, freed after the
 * call, so that ASan sees any read past a chunk or any pointer kept across
 * calls). Every violated invariant calls abort():
 *   - the verdict is the same for both chunkings, and for a valid document
 *     so is the event stream (fragments reassembled per token);
 *   - first/last flags: a token starts with `first`, ends with `last`, and
 *     keeps one type; nothing else arrives in between;
 *   - key and string fragments reassembled per token are valid UTF-8, number
 *     fragments hold only number characters;
 *   - events nest: depth matches the containers opened and closed, never
 *     exceeds ORND_CONFIG_JSON_DEPTH_MAX, ends close what began, keys and
 *     values alternate inside objects, one value at top level;
 *   - errors are sticky;
 *   - a callback that fails: both scans are run again with the event
 *     callback returning an error at its Nth call (N and the error taken
 *     from a hash of the input, the error sometimes one the scanner returns
 *     itself); the feed or finish of that call returns exactly that error,
 *     every later call returns it too, nothing more is delivered, and the N
 *     events before are those of the uninterrupted scan, fragment by
 *     fragment.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ornd/error.h"
#include "ornd/json.h"

#define DEPTH_MAX ORND_CONFIG_JSON_DEPTH_MAX

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Streaming UTF-8 validator written from the code point values (a second
 * opinion next to the scanner's table of lead bytes). */
typedef struct {
    uint32_t cp;   /* code point being assembled */
    uint8_t need;  /* continuation bytes still expected */
    uint8_t total; /* length of the sequence being assembled */
} utf8_check_t;

static void utf8_byte(utf8_check_t *u, uint8_t b)
{
    if (u->need == 0) {
        if (b < 0x80u) {
            return;
        }
        CHECK(b >= 0xC0u && b <= 0xF7u);
        u->total = b >= 0xF0u ? 4 : b >= 0xE0u ? 3 : 2;
        u->need = (uint8_t)(u->total - 1);
        u->cp = b & (0x7Fu >> u->total);
        return;
    }
    CHECK((b & 0xC0u) == 0x80u);
    u->cp = u->cp << 6 | (b & 0x3Fu);
    if (--u->need == 0) {
        static const uint32_t min_cp[] = {0, 0, 0x80u, 0x800u, 0x10000u};
        CHECK(u->cp >= min_cp[u->total]);
        CHECK(u->cp <= 0x10FFFFu);
        CHECK(u->cp < 0xD800u || u->cp > 0xDFFFu);
    }
}

/* What the event stream looked like so far. */
typedef struct {
    uint64_t hash;        /* of the stream, fragment boundaries left out */
    bool in_token;        /* a fragment without `last` was seen */
    ornd_json_type_t tok; /* its type */
    size_t tok_len;       /* bytes of the token so far */
    utf8_check_t utf8;
    unsigned depth;               /* containers open */
    bool object[DEPTH_MAX + 1];   /* per level: an object */
    bool want_key[DEPTH_MAX + 1]; /* per object level: a key comes next */
    unsigned top_values;          /* values begun at depth 0 */
    /* every call, fragment boundaries included */
    fuzz_calls_t cb;
} stream_t;

#define TRACE_MAX (1u << 16)

static void hash_bytes(stream_t *s, const void *p, size_t n)
{
    s->hash = fuzz_mix(s->hash, p, n);
}

static void hash_tag(stream_t *s, unsigned type, unsigned depth)
{
    uint8_t tag[3] = {0xFFu, (uint8_t)type, (uint8_t)depth};
    hash_bytes(s, tag, sizeof tag);
}

/* A value begins at the current level. */
static void value_begins(stream_t *s)
{
    if (s->depth == 0) {
        s->top_values++;
        CHECK(s->top_values == 1);
        return;
    }
    if (s->object[s->depth - 1]) {
        CHECK(!s->want_key[s->depth - 1]);
        s->want_key[s->depth - 1] = true;
    }
}

static void token_begins(stream_t *s, const ornd_json_event_t *ev)
{
    CHECK(!s->in_token);
    if (ev->type == ORND_JSON_KEY) {
        CHECK(s->depth > 0 && s->object[s->depth - 1] && s->want_key[s->depth - 1]);
        s->want_key[s->depth - 1] = false;
    } else {
        value_begins(s);
    }
    s->tok = ev->type;
    s->tok_len = 0;
    memset(&s->utf8, 0, sizeof s->utf8);
    hash_tag(s, ev->type, ev->depth);
}

static void check_fragment(stream_t *s, const ornd_json_event_t *ev)
{
    CHECK(ev->data != NULL);
    CHECK(ev->first != s->in_token);
    CHECK(ev->depth == s->depth);
    if (ev->first) {
        token_begins(s, ev);
    }
    CHECK(ev->type == s->tok);
    const uint8_t *p = (const uint8_t *)ev->data;
    for (size_t i = 0; i < ev->len; i++) {
        if (ev->type == ORND_JSON_NUMBER) {
            CHECK(memchr("0123456789+-.eE", p[i], 15) != NULL);
        } else {
            utf8_byte(&s->utf8, p[i]);
        }
    }
    s->tok_len += ev->len;
    hash_bytes(s, p, ev->len);
    s->in_token = !ev->last;
    if (ev->last) {
        CHECK(s->utf8.need == 0);
        CHECK(ev->type != ORND_JSON_NUMBER || s->tok_len > 0);
        hash_tag(s, 0xEEu, 0);
    }
}

static void check_begin(stream_t *s, bool object)
{
    value_begins(s);
    CHECK(s->depth < DEPTH_MAX);
    s->object[s->depth] = object;
    s->want_key[s->depth] = true;
    s->depth++;
}

static void check_end(stream_t *s, bool object)
{
    CHECK(s->depth > 0);
    s->depth--;
    CHECK(s->object[s->depth] == object);
    CHECK(!object || s->want_key[s->depth]);
}

static void check_mark(stream_t *s, const ornd_json_event_t *ev)
{
    CHECK(!s->in_token && !ev->first && !ev->last && ev->len == 0);
    switch (ev->type) {
    case ORND_JSON_OBJECT_BEGIN:
        CHECK(ev->depth == s->depth);
        check_begin(s, true);
        break;
    case ORND_JSON_ARRAY_BEGIN:
        CHECK(ev->depth == s->depth);
        check_begin(s, false);
        break;
    case ORND_JSON_OBJECT_END:
        check_end(s, true);
        CHECK(ev->depth == s->depth);
        break;
    case ORND_JSON_ARRAY_END:
        check_end(s, false);
        CHECK(ev->depth == s->depth);
        break;
    default:
        CHECK(ev->depth == s->depth);
        value_begins(s);
        break;
    }
    hash_tag(s, ev->type, ev->depth);
}

/* The call as it came, fragment boundaries included. */
static void trace_call(stream_t *s, const ornd_json_event_t *ev)
{
    const uint8_t tag[4] = {(uint8_t)ev->type, (uint8_t)ev->depth, ev->first, ev->last};
    uint64_t h = fuzz_mix(s->cb.raw, tag, sizeof tag);
    h = fuzz_mix(h, ev->data, ev->data != NULL ? ev->len : 0u);
    fuzz_note_call(&s->cb, TRACE_MAX, (h ^ ev->len) * 0x100000001B3ull);
}

static ornd_err_t on_event(void *user, const ornd_json_event_t *ev)
{
    stream_t *s = user;
    CHECK(!s->cb.stopped);
    trace_call(s, ev);
    CHECK(ev->depth <= DEPTH_MAX);
    switch (ev->type) {
    case ORND_JSON_KEY:
    case ORND_JSON_STRING:
    case ORND_JSON_NUMBER:
        check_fragment(s, ev);
        break;
    default:
        check_mark(s, ev);
        break;
    }
    return fuzz_call_result(&s->cb);
}

/* Size of the next piece: a fixed size, or pseudo-random sizes up to a bound,
 * both taken from the selector byte. */
static size_t next_piece(uint8_t sel, uint32_t *seed)
{
    size_t bound = (size_t)(sel & 0x3Fu) + 1u;
    if ((sel & 0x40u) != 0) {
        return bound;
    }
    *seed = *seed * 1103515245u + 12345u;
    return 1u + (size_t)((*seed >> 16) % bound);
}

static int feed_piece(ornd_json_t *j, const uint8_t *src, size_t n)
{
    uint8_t *piece = malloc(n);
    CHECK(piece != NULL);
    memcpy(piece, src, n);
    int rc = ornd_json_feed(j, piece, n);
    free(piece);
    return rc;
}

/* Scans doc in one piece (sel NULL) or as chosen by *sel; checks that an
 * error stays and that done() agrees with the verdict. */
static int scan(const uint8_t *doc, size_t len, const uint8_t *sel, stream_t *s, uint64_t *trace)
{
    ornd_json_t j;
    uint32_t seed = sel != NULL ? *sel : 0u;
    int rc = ORND_OK;
    memset(s, 0, sizeof *s);
    s->cb.trace = trace;
    ornd_json_init(&j, on_event, s);
    for (size_t off = 0; off < len && rc == ORND_OK;) {
        size_t n = sel != NULL ? next_piece(*sel, &seed) : len;
        n = n < len - off ? n : len - off;
        if (sel != NULL && (*sel & 0x80u) != 0) {
            CHECK(ornd_json_feed(&j, NULL, 0) == ORND_OK);
        }
        rc = feed_piece(&j, doc + off, n);
        off += n;
    }
    if (rc == ORND_OK) {
        rc = ornd_json_finish(&j);
    }
    CHECK(ornd_json_done(&j) == (rc == ORND_OK));
    if (rc != ORND_OK) {
        CHECK(ornd_json_feed(&j, (const uint8_t *)"1", 1) == rc);
        CHECK(ornd_json_finish(&j) == rc);
    }
    return rc;
}

/* The scan of `full` again, its callback failing with `code` at call `n`. */
static void scan_stopped(const uint8_t *doc, size_t len, const uint8_t *sel, const stream_t *full,
                         const uint64_t *trace, size_t n, ornd_err_t code)
{
    static stream_t s;
    ornd_json_t j;
    uint32_t seed = sel != NULL ? *sel : 0u;
    int rc = ORND_OK;
    memset(&s, 0, sizeof s);
    s.cb.stop_at = n;
    s.cb.stop_rc = code;
    ornd_json_init(&j, on_event, &s);
    for (size_t off = 0; off < len && !s.cb.stopped;) {
        size_t k = sel != NULL ? next_piece(*sel, &seed) : len;
        k = k < len - off ? k : len - off;
        if (sel != NULL && (*sel & 0x80u) != 0) {
            CHECK(ornd_json_feed(&j, NULL, 0) == ORND_OK);
        }
        rc = feed_piece(&j, doc + off, k);
        /* the same as the uninterrupted scan until the call that fails */
        CHECK(rc == (s.cb.stopped ? code : ORND_OK));
        off += k;
    }
    if (!s.cb.stopped) {
        /* the last call is the end of a top-level number */
        CHECK(ornd_json_finish(&j) == code && s.cb.stopped);
    }
    CHECK(s.cb.calls == n && n <= full->cb.calls && s.cb.raw == trace[n - 1u]);
    /* sticky, and nothing more is delivered (on_event checks) */
    CHECK(!ornd_json_done(&j));
    CHECK(ornd_json_feed(&j, doc, len) == code);
    CHECK(ornd_json_feed(&j, (const uint8_t *)" 1", 2) == code);
    CHECK(ornd_json_finish(&j) == code);
    CHECK(ornd_json_finish(&j) == code);
}

/* Errors a callback returns: the scanner's own among them. */
static const ornd_err_t stop_codes[] = {
    ORND_ERR_JSON_SYNTAX, ORND_ERR_JSON_INCOMPLETE,     ORND_ERR_JSON_DEPTH, ORND_ERR_JSON_UTF8,
    ORND_ERR_ARG,         ORND_ERR_MATCH_TOO_LONG,      ORND_ERR_CLOSED,     ORND_ERR_WOULD_BLOCK,
    (ornd_err_t)-1000,    ORND_ERR_HTTP_BODY_TOO_LARGE,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static stream_t one, many;
    static uint64_t trace_one[TRACE_MAX], trace_many[TRACE_MAX];
    if (size == 0) {
        return 0;
    }
    int rc_one = scan(data + 1, size - 1, NULL, &one, trace_one);
    int rc_many = scan(data + 1, size - 1, data, &many, trace_many);
    CHECK(rc_one == rc_many);
    CHECK(rc_one <= 0);
    if (rc_one == ORND_OK) {
        CHECK(one.hash == many.hash);
        CHECK(one.depth == 0 && !one.in_token && one.top_values == 1);
    }
    const uint64_t h = fuzz_hash(data, size);
    const ornd_err_t code = stop_codes[(h >> 56) % (sizeof stop_codes / sizeof stop_codes[0])];
    if (one.cb.calls > 0) {
        scan_stopped(data + 1, size - 1, NULL, &one, trace_one,
                     fuzz_pick_call(h, one.cb.calls, TRACE_MAX), code);
    }
    if (many.cb.calls > 0) {
        scan_stopped(data + 1, size - 1, data, &many, trace_many,
                     fuzz_pick_call(h >> 24, many.cb.calls, TRACE_MAX), code);
    }
    return 0;
}
