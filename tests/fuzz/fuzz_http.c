/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the HTTP response reader.
 *
 * Input: four control bytes, then the response bytes.
 *   byte 0: bits 0-5 + 1 = piece size for the split feed; bit 6 = the request
 *           was HEAD; bit 7 = vary the piece sizes pseudo-randomly.
 *   byte 1: body_max - 1 for the limited runs.
 *   bytes 2-3: the inserted lines (below): bits 0-1 of byte 2 + 1 lines,
 *           the rest a length of their values (up to 16383 bytes each).
 *
 * The response is read four times: one-shot and in pieces, each without and
 * with body_max. Without a limit, both feeds must agree on everything: the
 * verdict, where it stopped, the status and flags, the header fields and the
 * body (compared through a running hash). With a limit, the result must be
 * the unlimited one, or ORND_ERR_HTTP_BODY_TOO_LARGE after at most body_max
 * bytes when the unlimited body was longer or an error came after it.
 *
 * Then unrelated header lines ("X-Ins-<n>: <value>", values of any length
 * made of the input's own bytes, folds included) are inserted after the
 * first line: as long as the head stays within the limits, the verdict, the
 * status and flags, the used fields and the body must not change, and the
 * bytes consumed grow by exactly what was inserted (when the reader got
 * past the insertion point).
 *
 * Then the one-shot and the split feeds run again with the field and body
 * callbacks (counted together) returning an error at their Nth call, N and
 * the error taken from a hash of the input (the error sometimes one the
 * reader returns itself): the feed of that call returns exactly that error,
 * every later feed and end returns it too, nothing more is delivered, the
 * response is not complete, and the N calls before are those of the
 * uninterrupted run. Any disagreement aborts.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ornd/core/http_reader.h"
#include "ornd/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct {
    uint64_t hash;
    uint64_t len;
} sink_t;

static void sink_add(sink_t *s, const void *p, size_t n)
{
    s->hash = fuzz_mix(s->hash, p, n);
    s->len += n;
}

typedef struct {
    int verdict;
    size_t used;
    bool headers_done;
    int status;
    uint8_t version_minor;
    bool chunked;
    bool has_content_length;
    bool connection_close;
    uint64_t content_length;
    bool has_retry_after;
    uint32_t retry_after_s;
    uint64_t body_received;
    sink_t body;
    sink_t fields;
    /* every callback as it came, fields and body in one count */
    fuzz_calls_t cb;
} outcome_t;

#define TRACE_MAX (1u << 16)

static void trace_call(outcome_t *o, unsigned kind, const void *p, size_t n)
{
    uint64_t h = (o->cb.raw ^ kind) * 1099511628211u;
    h = fuzz_mix(h, p, n);
    fuzz_note_call(&o->cb, TRACE_MAX, (h ^ n) * 1099511628211u);
}

/* The fields the target asks for; inserted names are never among them. */
static const char *const wanted[] = {"www-authenticate", "content-type", "x-a", "set-cookie"};

/* Fields handed out are well formed: a value with no CR, LF, NUL, no other
 * control but HTAB, no surrounding whitespace, within the limit. */
static ornd_err_t on_field(void *user, size_t index, const char *value, size_t value_len)
{
    outcome_t *o = user;
    CHECK(!o->cb.stopped);
    trace_call(o, 0x100u + (unsigned)index, value, value_len);
    CHECK(index < sizeof wanted / sizeof wanted[0]);
    for (size_t i = 0; i < value_len; i++) {
        const unsigned char c = (unsigned char)value[i];
        CHECK((c >= 0x20u && c != 0x7Fu) || c == '\t');
    }
    if (value_len > 0) {
        CHECK(value[0] != ' ' && value[0] != '\t');
        CHECK(value[value_len - 1] != ' ' && value[value_len - 1] != '\t');
    }
    CHECK(value_len <= ORND_CONFIG_HTTP_FIELD_MAX);
    const uint8_t id = (uint8_t)index;
    sink_add(&o->fields, &id, 1);
    sink_add(&o->fields, value, value_len);
    sink_add(&o->fields, "\n", 1);
    return fuzz_call_result(&o->cb);
}

static ornd_err_t on_body(void *user, const uint8_t *p, size_t n)
{
    outcome_t *o = user;
    CHECK(!o->cb.stopped);
    trace_call(o, 0x200u, p, n);
    CHECK(n > 0);
    sink_add(&o->body, p, n);
    return fuzz_call_result(&o->cb);
}

/* The verdict as this target states it: 1 complete, 0 more needed, or the
 * error. */
static int verdict_of(const ornd_http_reader_t *r, ornd_err_t rc)
{
    if (rc != ORND_OK) {
        return rc;
    }
    return ornd_http_reader_complete(r) ? 1 : 0;
}

typedef struct {
    size_t piece; /* 0: one shot */
    bool vary;    /* piece sizes vary around `piece` */
    bool head;
    size_t body_max;
    uint64_t *trace; /* where the run keeps its trace, or NULL */
} plan_t;

static size_t next_piece(const plan_t *p, uint32_t *seed)
{
    if (!p->vary) {
        return p->piece;
    }
    *seed = *seed * 1664525u + 1013904223u;
    return 1u + (*seed >> 16) % (2u * p->piece);
}

static void finish(const ornd_http_reader_t *r, outcome_t *o)
{
    o->headers_done = ornd_http_reader_headers_done(r);
    o->status = r->status;
    o->version_minor = r->version_minor;
    o->chunked = r->chunked;
    o->has_content_length = r->has_content_length;
    o->connection_close = r->connection_close;
    o->content_length = r->content_length;
    o->has_retry_after = r->has_retry_after;
    o->retry_after_s = r->retry_after_s;
    o->body_received = r->body_received;
}

/* After the verdict: complete stays complete, errors stay. */
static void check_sticky(ornd_http_reader_t *r, int want, const uint8_t *data, size_t len)
{
    size_t used = 1;
    CHECK(verdict_of(r, ornd_http_reader_feed(r, data, len, &used)) == want);
    CHECK(used == 0);
    CHECK(verdict_of(r, ornd_http_reader_eof(r, true)) == want);
}

static void run(const uint8_t *data, size_t len, const plan_t *p, outcome_t *o)
{
    ornd_http_reader_t r;
    memset(o, 0, sizeof *o);
    o->cb.trace = p->trace;
    const ornd_http_reader_cfg_t cfg = {
        .fields = wanted,
        .field_count = sizeof wanted / sizeof wanted[0],
        .on_field = on_field,
        .on_body = on_body,
        .user = o,
        .head_request = p->head,
        .body_max = p->body_max,
    };
    ornd_http_reader_init(&r, &cfg);
    uint32_t seed = (uint32_t)len;
    size_t pos = 0;
    int rc = 0;
    while (rc == 0 && pos < len) {
        size_t n = p->piece == 0 ? len : next_piece(p, &seed);
        n = n > len - pos ? len - pos : n;
        size_t used = (size_t)-1;
        rc = verdict_of(&r, ornd_http_reader_feed(&r, data + pos, n, &used));
        CHECK(used <= n);
        CHECK(rc != 0 || used == n);
        CHECK(rc >= 0 || rc == r.err);
        o->used += used;
        pos += n;
    }
    if (rc == 0) {
        /* the clean end and the bare one differ only for a close-delimited
         * body: the bare one is ORND_ERR_TRUNCATED there */
        ornd_http_reader_t bare = r;
        const int cut = verdict_of(&bare, ornd_http_reader_eof(&bare, false));
        rc = verdict_of(&r, ornd_http_reader_eof(&r, true));
        CHECK(cut == rc || (rc == 1 && cut == ORND_ERR_TRUNCATED && r.connection_close));
    }
    CHECK(rc == 1 || rc < 0);
    o->verdict = rc;
    finish(&r, o);
    check_sticky(&r, rc, data, len);
    CHECK(o->body.len == o->body_received);
    CHECK(p->body_max == 0 || o->body_received <= p->body_max);
}

static bool same(const outcome_t *a, const outcome_t *b)
{
    return a->verdict == b->verdict && a->used == b->used && a->headers_done == b->headers_done &&
           a->status == b->status && a->version_minor == b->version_minor &&
           a->chunked == b->chunked && a->has_content_length == b->has_content_length &&
           a->connection_close == b->connection_close && a->content_length == b->content_length &&
           a->has_retry_after == b->has_retry_after && a->retry_after_s == b->retry_after_s &&
           a->body_received == b->body_received && a->body.hash == b->body.hash &&
           a->body.len == b->body.len && a->fields.hash == b->fields.hash &&
           a->fields.len == b->fields.len;
}

/* What a complete response must look like. */
static void check_complete(const outcome_t *o, bool head)
{
    if (o->verdict != 1) {
        return;
    }
    CHECK(o->headers_done);
    CHECK(o->status >= 100 && o->status <= 999);
    const bool bodiless = head || o->status == 101 || o->status == 204 || o->status == 304;
    if (bodiless) {
        CHECK(o->body_received == 0);
    } else if (o->has_content_length) {
        CHECK(!o->chunked);
        CHECK(o->body_received == o->content_length);
    } else if (!o->chunked) {
        CHECK(o->connection_close);
    }
}

/* The limited run against the unlimited one. */
static void check_limited(const outcome_t *full, const outcome_t *lim, size_t body_max)
{
    if (same(full, lim)) {
        return;
    }
    /* The limit was hit: the unlimited run went past it or failed later. */
    CHECK(lim->verdict == ORND_ERR_HTTP_BODY_TOO_LARGE);
    CHECK(full->verdict < 0 || full->body_received > body_max ||
          (full->has_content_length && full->content_length > body_max));
    CHECK(lim->status == full->status);
    CHECK(lim->used <= full->used);
    CHECK(lim->body_received <= full->body_received || full->verdict < 0);
}

/* The response with `lines` unrelated field lines of `value_len` bytes
 * each inserted after its first line (which must end with LF at `at`). */
static uint8_t inserted[2 * ORND_CONFIG_HTTP_HEADERS_MAX + 65536];

static size_t insert_lines(const uint8_t *data, size_t len, size_t at, unsigned lines,
                           size_t value_len, size_t *added)
{
    size_t n = 0;
    memcpy(inserted, data, at);
    n = at;
    for (unsigned k = 0; k < lines; k++) {
        n += (size_t)snprintf((char *)inserted + n, 16, "X-Ins-%u: ", k);
        for (size_t i = 0; i < value_len; i++) {
            /* the input's bytes as field text (VCHAR and obs-text); now and
             * then a fold, so that folded unrelated lines are tried too */
            uint8_t c = len > 0 ? data[(i * 7u + k) % len] : (uint8_t)'v';
            if (c < 0x21u || c == 0x7Fu) {
                c = (uint8_t)('a' + (c & 15u));
            }
            if (i % 997u == 996u && i + 3u < value_len) {
                memcpy(inserted + n, "\r\n ", 3);
                n += 3;
                i += 2;
                continue;
            }
            inserted[n++] = c;
        }
        memcpy(inserted + n, "\r\n", 2);
        n += 2;
    }
    *added = n - at;
    memcpy(inserted + n, data + at, len - at);
    return n + len - at;
}

static size_t count_lf(const uint8_t *data, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        n += data[i] == '\n' ? 1u : 0u;
    }
    return n;
}

/* Inserted unrelated lines change nothing but the bytes consumed. */
static void check_insertion(const uint8_t *data, size_t len, const plan_t *p, const outcome_t *a,
                            uint8_t c2, uint8_t c3)
{
    const uint8_t *lf = memchr(data, '\n', len);
    if (lf == NULL) {
        return;
    }
    const size_t at = (size_t)(lf - data) + 1u;
    const unsigned lines = (c2 & 3u) + 1u;
    const size_t value_len = (((size_t)c2 >> 2) << 8 | c3) & 0x3FFFu;
    const size_t per_line = value_len + 12u + 3u * (value_len / 997u);
    /* within the limits whatever the original head is */
    if (len + lines * per_line > ORND_CONFIG_HTTP_HEADERS_MAX ||
        count_lf(data, len) + lines > ORND_CONFIG_HTTP_HEADER_COUNT_MAX) {
        return;
    }
    size_t added = 0;
    const size_t n = insert_lines(data, len, at, lines, value_len, &added);
    static outcome_t b;
    run(inserted, n, p, &b);
    CHECK(b.verdict == a->verdict);
    CHECK(b.status == a->status && b.version_minor == a->version_minor);
    CHECK(b.headers_done == a->headers_done && b.chunked == a->chunked &&
          b.has_content_length == a->has_content_length &&
          b.connection_close == a->connection_close && b.content_length == a->content_length &&
          b.has_retry_after == a->has_retry_after && b.retry_after_s == a->retry_after_s);
    CHECK(b.fields.hash == a->fields.hash && b.fields.len == a->fields.len);
    CHECK(b.body.hash == a->body.hash && b.body.len == a->body.len &&
          b.body_received == a->body_received);
    CHECK(b.used == (a->used >= at ? a->used + added : a->used));
}

/* The run of plan p again, its callbacks failing with `code` at call n. */
static void run_stopped(const uint8_t *data, size_t len, const plan_t *p, const outcome_t *full,
                        size_t n, ornd_err_t code)
{
    static outcome_t o;
    ornd_http_reader_t r;
    memset(&o, 0, sizeof o);
    o.cb.stop_at = n;
    o.cb.stop_rc = code;
    const ornd_http_reader_cfg_t cfg = {
        .fields = wanted,
        .field_count = sizeof wanted / sizeof wanted[0],
        .on_field = on_field,
        .on_body = on_body,
        .user = &o,
        .head_request = p->head,
        .body_max = p->body_max,
    };
    ornd_http_reader_init(&r, &cfg);
    uint32_t seed = (uint32_t)len;
    for (size_t pos = 0; pos < len && !o.cb.stopped;) {
        size_t k = p->piece == 0 ? len : next_piece(p, &seed);
        k = k > len - pos ? len - pos : k;
        size_t used = (size_t)-1;
        const ornd_err_t rc = ornd_http_reader_feed(&r, data + pos, k, &used);
        CHECK(used <= k);
        /* until the call that fails, as in the uninterrupted run */
        CHECK(rc == (o.cb.stopped ? code : ORND_OK));
        CHECK(o.cb.stopped || !ornd_http_reader_complete(&r));
        pos += k;
    }
    /* the end of the connection calls nothing back: it was a feed */
    CHECK(o.cb.stopped);
    CHECK(o.cb.calls == n && n <= full->cb.calls && o.cb.raw == full->cb.trace[n - 1u]);
    /* sticky, never complete, nothing more delivered (the callbacks check) */
    CHECK(!ornd_http_reader_complete(&r));
    size_t used = 1;
    CHECK(ornd_http_reader_feed(&r, data, len, &used) == code && used == 0);
    CHECK(ornd_http_reader_eof(&r, false) == code);
    CHECK(ornd_http_reader_eof(&r, true) == code);
    CHECK(!ornd_http_reader_complete(&r));
}

/* Errors a callback returns: the reader's own among them. */
static const ornd_err_t stop_codes[] = {
    ORND_ERR_HTTP_BODY_TOO_LARGE,
    ORND_ERR_TRUNCATED,
    ORND_ERR_CLOSED,
    ORND_ERR_HTTP_HEADER,
    ORND_ERR_HTTP_NAMED_FIELD_TOO_LONG,
    ORND_ERR_HTTP_CONTENT_LENGTH,
    ORND_ERR_ARG,
    ORND_ERR_WOULD_BLOCK,
    ORND_ERR_JSON_SYNTAX,
    (ornd_err_t)-1000,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint64_t trace_once[TRACE_MAX], trace_split[TRACE_MAX];
    if (size < 4) {
        return 0;
    }
    const uint64_t h = fuzz_hash(data, size);
    const plan_t split = {
        .piece = (size_t)(data[0] & 0x3Fu) + 1u,
        .vary = (data[0] & 0x80u) != 0u,
        .head = (data[0] & 0x40u) != 0u,
        .trace = trace_split,
    };
    const plan_t once = {.head = split.head, .trace = trace_once};
    const size_t body_max = (size_t)data[1] + 1u;
    const uint8_t c2 = data[2];
    const uint8_t c3 = data[3];
    data += 4;
    size -= 4;

    static outcome_t a, b, c, d;
    run(data, size, &once, &a);
    run(data, size, &split, &b);
    CHECK(same(&a, &b));
    check_complete(&a, once.head);

    plan_t once_lim = once;
    plan_t split_lim = split;
    once_lim.body_max = body_max;
    split_lim.body_max = body_max;
    once_lim.trace = NULL;
    split_lim.trace = NULL;
    run(data, size, &once_lim, &c);
    run(data, size, &split_lim, &d);
    CHECK(same(&c, &d));
    check_limited(&a, &c, body_max);

    const ornd_err_t code = stop_codes[(h >> 56) % (sizeof stop_codes / sizeof stop_codes[0])];
    if (a.cb.calls > 0) {
        run_stopped(data, size, &once, &a, fuzz_pick_call(h, a.cb.calls, TRACE_MAX), code);
    }
    if (b.cb.calls > 0) {
        run_stopped(data, size, &split, &b, fuzz_pick_call(h >> 24, b.cb.calls, TRACE_MAX), code);
    }

    plan_t once_plain = once;
    once_plain.trace = NULL;
    check_insertion(data, size, &once_plain, &a, c2, c3);
    return 0;
}
