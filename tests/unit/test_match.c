/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the field matcher (src/match.c).
 *
 * A recorder turns the matcher's events into a text trace:
 *   I:T'...'   value of path I, type letter T (S string, N number, T true,
 *              F false, Z null, O object, A array), fragments reassembled
 *   <I.L  >I.L element of the prefix with L steps begins / ends (path I)
 * each followed by a space. The recorder checks the first/last flags of the
 * fragments of every path on its own.
 */
/* White-box: one test checks that the path table is untouched by a page. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ornd/error.h"
#include "ornd/match.h"

#define NPATHS ORND_CONFIG_MATCH_PATHS_MAX

typedef struct {
    char trace[16384];
    size_t len;
    bool open[NPATHS];        /* a value of this path is in progress */
    char val[NPATHS][8192];   /* its bytes so far */
    size_t val_len[NPATHS];
    unsigned flag_errors;
    unsigned frags;
    unsigned abort_at;        /* 1-based event that returns -1000; 0: never */
    unsigned events;
} rec_t;

static void put(rec_t *r, const char *s, size_t n)
{
    assert_true(r->len + n < sizeof r->trace);
    memcpy(r->trace + r->len, s, n);
    r->len += n;
    r->trace[r->len] = '\0';
}

static void puts_(rec_t *r, const char *s)
{
    put(r, s, strlen(s));
}

static ornd_err_t on_match(void *user, const ornd_match_event_t *ev)
{
    rec_t *r = user;
    char tmp[32];
    r->events++;
    if (r->abort_at != 0 && r->events == r->abort_at) {
        return -1000;
    }
    assert_true(ev->path < NPATHS);
    if (ev->kind != ORND_MATCH_VALUE) {
        snprintf(tmp, sizeof tmp, "%c%u.%u ", ev->kind == ORND_MATCH_ELEMENT_BEGIN ? '<' : '>',
                 ev->path, ev->level);
        puts_(r, tmp);
        return 0;
    }
    unsigned i = ev->path;
    r->frags++;
    if (ev->data == NULL || ev->first == r->open[i]) {
        r->flag_errors++;
    }
    if (ev->first) {
        r->val_len[i] = 0;
    }
    assert_true(r->val_len[i] + ev->len <= sizeof r->val[i]);
    memcpy(r->val[i] + r->val_len[i], ev->data, ev->len);
    r->val_len[i] += ev->len;
    r->open[i] = !ev->last;
    if (ev->last) {
        static const char letters[] = "SNTFZOA";
        snprintf(tmp, sizeof tmp, "%u:%c'", i, letters[ev->type]);
        puts_(r, tmp);
        put(r, r->val[i], r->val_len[i]);
        puts_(r, "' ");
    }
    return 0;
}

/* Runs doc through a matcher for `paths`, in pieces of `chunk` bytes (0:
 * whole), or split once at `split` when chunk is SIZE_MAX. */
static int run(rec_t *r, const char *const *paths, size_t n, const char *doc, size_t chunk,
               size_t split)
{
    ornd_match_t m;
    memset(r, 0, sizeof *r);
    assert_int_equal(ornd_match_init(&m, paths, n, on_match, r), ORND_OK);
    const uint8_t *d = (const uint8_t *)doc;
    size_t len = strlen(doc);
    int rc = ORND_OK;
    if (chunk == SIZE_MAX) {
        rc = ornd_match_feed(&m, d, split);
        if (rc == ORND_OK) {
            rc = ornd_match_feed(&m, d + split, len - split);
        }
    } else {
        size_t step = chunk == 0 ? (len > 0 ? len : 1) : chunk;
        for (size_t off = 0; off < len && rc == ORND_OK; off += step) {
            rc = ornd_match_feed(&m, d + off, len - off < step ? len - off : step);
        }
    }
    if (rc == ORND_OK) {
        rc = ornd_match_finish(&m);
    }
    assert_int_equal(r->flag_errors, 0);
    return rc;
}

/* Checks the trace of doc, whole, split at every point and in every chunk
 * size, against `want`. */
static void expect_all(const char *const *paths, size_t n, const char *doc, const char *want)
{
    static rec_t r;
    size_t len = strlen(doc);
    assert_int_equal(run(&r, paths, n, doc, 0, 0), ORND_OK);
    assert_string_equal(r.trace, want);
    for (size_t s = 0; s <= len; s++) {
        assert_int_equal(run(&r, paths, n, doc, SIZE_MAX, s), ORND_OK);
        assert_string_equal(r.trace, want);
    }
    for (size_t c = 1; c <= len; c++) {
        assert_int_equal(run(&r, paths, n, doc, c, 0), ORND_OK);
        assert_string_equal(r.trace, want);
    }
}

/* ---- matching ------------------------------------------------------------ */

static void test_array_of_objects(void **state)
{
    (void)state;
    static const char *const paths[] = {"results[].member", "results[].email", "cursorNext"};
    expect_all(paths, 3,
               "{\"results\":[{\"member\":\"m1\",\"start\":\"2026-11-29\",\"email\":\"a@x.io\"},"
               "{\"email\":\"b@x.io\",\"extra\":{\"member\":\"no\",\"email\":\"no\"},"
               "\"member\":\"m2\"},{}],\"cursorNext\":\"c2\"}",
               "<0.2 0:S'm1' 1:S'a@x.io' >0.2 <0.2 1:S'b@x.io' 0:S'm2' >0.2 <0.2 >0.2 "
               "2:S'c2' ");
}

static void test_nesting_and_types(void **state)
{
    (void)state;
    static const char *const paths[] = {"a.b[].c[].d", "a.x", "a.b[].n"};
    expect_all(paths, 3,
               "{\"a\":{\"x\":-1.5e3,\"b\":[{\"c\":[{\"d\":true},{\"d\":null},{\"e\":1},"
               "{\"d\":{\"q\":1}},{\"d\":[2]}],\"n\":0},{\"c\":[]},{\"n\":false}]},"
               "\"x\":\"top\"}",
               "1:N'-1.5e3' <0.3 <0.5 0:T'true' >0.5 <0.5 0:Z'null' >0.5 <0.5 >0.5 "
               "<0.5 0:O'' >0.5 <0.5 0:A'' >0.5 2:N'0' >0.3 <0.3 >0.3 <0.3 2:F'false' >0.3 ");
}

static void test_top_level_arrays(void **state)
{
    (void)state;
    static const char *const paths[] = {"[]", "[].id", "[][]"};
    expect_all(paths, 3, "[1,{\"id\":\"x\"},[2,\"s\"],\"t\"]",
               "<0.1 0:N'1' >0.1 <0.1 0:O'' 1:S'x' >0.1 <0.1 0:A'' <2.2 2:N'2' >2.2 "
               "<2.2 2:S's' >2.2 >0.1 <0.1 0:S't' >0.1 ");
}

static void test_similar_keys(void **state)
{
    (void)state;
    static const char *const paths[] = {"email", "member"};
    expect_all(paths, 2,
               "{\"emails\":\"1\",\"emai\":\"2\",\"e\":\"3\",\"Email\":\"4\",\"\":\"5\","
               "\"o\":{\"member\":\"6\",\"email\":\"7\"},\"l\":[{\"member\":\"8\"}],"
               "\"email\":\"ok\",\"membership\":\"9\",\"member\":\"m\"}",
               "0:S'ok' 1:S'm' ");
}

static void test_container_at_path(void **state)
{
    (void)state;
    static const char *const paths[] = {"results", "results[]", "results[].x"};
    expect_all(paths, 3, "{\"results\":[{\"x\":1},{\"y\":{\"x\":2}}]}",
               "0:A'' <1.2 1:O'' 2:N'1' >1.2 <1.2 1:O'' >1.2 ");
}

static void test_duplicate_paths_and_shared_prefix(void **state)
{
    (void)state;
    static const char *const paths[] = {"r[].a", "r[].a", "r[].b"};
    expect_all(paths, 3, "{\"r\":[{\"a\":\"1\",\"b\":2}]}", "<0.2 0:S'1' 1:S'1' 2:N'2' >0.2 ");
}

static void test_escaped_key_and_value(void **state)
{
    (void)state;
    static const char *const paths[] = {"email", "caf\xc3\xa9"};
    expect_all(paths, 2, "{\"\\u0065mail\":\"a\\\"b\\n\",\"caf\\u00e9\":1}",
               "0:S'a\"b\n' 1:N'1' ");
}

static void test_top_level_scalar(void **state)
{
    (void)state;
    static const char *const paths[] = {"a", "[]"};
    expect_all(paths, 2, "123", "");
    expect_all(paths, 2, "\"a\"", "");
}

static void test_key_split_across_chunks(void **state)
{
    (void)state;
    static const char *const paths[] = {"email"};
    static rec_t r;
    ornd_match_t m;
    static const char *const parts[] = {"{\"emai", "ls\":\"no\",\"em", "ail", "\":\"yes\"}"};
    memset(&r, 0, sizeof r);
    assert_int_equal(ornd_match_init(&m, paths, 1, on_match, &r), ORND_OK);
    for (size_t i = 0; i < 4; i++) {
        assert_int_equal(ornd_match_feed(&m, (const uint8_t *)parts[i], strlen(parts[i])),
                         ORND_OK);
    }
    assert_int_equal(ornd_match_finish(&m), ORND_OK);
    assert_string_equal(r.trace, "0:S'yes' ");
}

static void test_long_value_in_fragments(void **state)
{
    (void)state;
    static char doc[7000];
    static char want[7000];
    static rec_t r;
    static const char *const paths[] = {"v"};
    size_t n = 0;
    n += (size_t)snprintf(doc, sizeof doc, "{\"v\":\"");
    size_t w = 0;
    for (unsigned i = 0; i < 5000; i++) {
        char c = (char)('a' + i % 26);
        if (i % 100 == 99) {
            doc[n++] = '\\';
            doc[n++] = 't';
            c = '\t';
        } else {
            doc[n++] = c;
        }
        want[w++] = c;
    }
    n += (size_t)snprintf(doc + n, sizeof doc - n, "\"}");
    want[w] = '\0';
    for (size_t chunk = 1; chunk <= 300; chunk += 37) {
        assert_int_equal(run(&r, paths, 1, doc, chunk, 0), ORND_OK);
        assert_int_equal(r.val_len[0], 5000);
        assert_memory_equal(r.val[0], want, 5000);
        assert_true(r.frags > 5000 / chunk / 2);
    }
}

/* ---- capture ------------------------------------------------------------- */

typedef struct {
    ornd_match_capture_t cap;
    unsigned records;
} cap_ctx_t;

static ornd_err_t on_capture(void *user, const ornd_match_event_t *ev)
{
    cap_ctx_t *c = user;
    if (ev->kind == ORND_MATCH_ELEMENT_END) {
        c->records++;
    }
    return ev->path == 1 ? ornd_match_capture(&c->cap, ev) : 0;
}

static int capture_doc(cap_ctx_t *c, char *buf, size_t size, const char *doc, size_t chunk)
{
    static const char *const paths[] = {"results[].id", "cursorNext"};
    ornd_match_t m;
    memset(c, 0, sizeof *c);
    ornd_match_capture_init(&c->cap, buf, size);
    assert_int_equal(ornd_match_init(&m, paths, 2, on_capture, c), ORND_OK);
    size_t len = strlen(doc);
    int rc = ORND_OK;
    for (size_t off = 0; off < len && rc == ORND_OK; off += chunk) {
        rc = ornd_match_feed(&m, (const uint8_t *)doc + off, len - off < chunk ? len - off : chunk);
    }
    return rc == ORND_OK ? ornd_match_finish(&m) : rc;
}

static void test_capture_fits_exactly(void **state)
{
    (void)state;
    static const char doc[] = "{\"results\":[{\"id\":1},{\"id\":2}],\"cursorNext\":\"abcdefgh\"}";
    char buf[9];
    cap_ctx_t c;
    for (size_t chunk = 1; chunk <= sizeof doc; chunk++) {
        memset(buf, 'X', sizeof buf);
        assert_int_equal(capture_doc(&c, buf, sizeof buf, doc, chunk), ORND_OK);
        assert_true(c.cap.found);
        assert_int_equal(c.cap.type, ORND_MATCH_STRING);
        assert_int_equal(c.cap.len, 8);
        assert_string_equal(buf, "abcdefgh");
        assert_int_equal(c.records, 2);
    }
}

static void test_capture_overflow_is_error(void **state)
{
    (void)state;
    static const char doc[] = "{\"results\":[],\"cursorNext\":\"abcdefghi\",\"more\":1}";
    char buf[9];
    cap_ctx_t c;
    for (size_t chunk = 1; chunk <= sizeof doc; chunk++) {
        memset(buf, 'X', sizeof buf);
        assert_int_equal(capture_doc(&c, buf, sizeof buf, doc, chunk), ORND_ERR_MATCH_TOO_LONG);
        assert_false(c.cap.found);
        assert_int_equal(c.cap.len, 0);
        assert_string_equal(buf, "");
    }
    /* an ignored error does not turn into a cut value */
    ornd_match_event_t ev = {ORND_MATCH_VALUE, 1, ORND_MATCH_STRING, "abcdefghij", 10,
                             true, false, 0};
    ornd_match_capture_init(&c.cap, buf, sizeof buf);
    assert_int_equal(ornd_match_capture(&c.cap, &ev), ORND_ERR_MATCH_TOO_LONG);
    ev.first = false;
    ev.last = true;
    ev.len = 1;
    assert_int_equal(ornd_match_capture(&c.cap, &ev), ORND_ERR_MATCH_TOO_LONG);
    assert_false(c.cap.found);
    ornd_match_capture_init(&c.cap, NULL, 0);
    ev.first = true;
    ev.len = 0;
    assert_int_equal(ornd_match_capture(&c.cap, &ev), ORND_ERR_MATCH_TOO_LONG);
    assert_int_equal(ornd_match_capture(NULL, &ev), ORND_ERR_ARG);
}

static void test_capture_container_and_last_wins(void **state)
{
    (void)state;
    char buf[16];
    cap_ctx_t c;
    assert_int_equal(capture_doc(&c, buf, sizeof buf, "{\"cursorNext\":{\"a\":1}}", 3), ORND_OK);
    assert_true(c.cap.found);
    assert_int_equal(c.cap.type, ORND_MATCH_OBJECT);
    assert_int_equal(c.cap.len, 0);
    assert_int_equal(
        capture_doc(&c, buf, sizeof buf, "{\"cursorNext\":\"one\",\"cursorNext\":null}", 2),
        ORND_OK);
    assert_int_equal(c.cap.type, ORND_MATCH_NULL);
    assert_string_equal(buf, "null");
}

/* Every event of a path into array elements, given to the capture as they
 * come: the element marks are ignored, the values collected (the last one
 * stays). */
static ornd_err_t capture_all(void *user, const ornd_match_event_t *ev)
{
    cap_ctx_t *c = user;
    if (ev->kind != ORND_MATCH_VALUE) {
        c->records++;
    }
    return ornd_match_capture(&c->cap, ev);
}

static void test_capture_ignores_element_marks(void **state)
{
    (void)state;
    static const char *const paths[] = {"results[].id"};
    static const char doc[] = "{\"results\":[{\"id\":\"a1\"},{\"x\":0},{\"id\":\"b22\"},{}]}";
    char buf[8];
    cap_ctx_t c;
    memset(&c, 0, sizeof c);
    ornd_match_capture_init(&c.cap, buf, sizeof buf);
    ornd_match_t m;
    assert_int_equal(ornd_match_init(&m, paths, 1, capture_all, &c), ORND_OK);
    assert_int_equal(ornd_match_feed(&m, (const uint8_t *)doc, sizeof doc - 1), ORND_OK);
    assert_int_equal(ornd_match_finish(&m), ORND_OK);
    assert_int_equal(c.records, 8); /* BEGIN and END of four elements */
    assert_true(c.cap.found);
    assert_int_equal(c.cap.type, ORND_MATCH_STRING);
    assert_string_equal(buf, "b22");
    /* a mark alone changes nothing */
    ornd_match_event_t mark = {
        ORND_MATCH_ELEMENT_BEGIN, 0, ORND_MATCH_STRING, "", 0, false, false, 2};
    assert_int_equal(ornd_match_capture(&c.cap, &mark), ORND_OK);
    assert_true(c.cap.found);
    assert_string_equal(buf, "b22");
}

/* ---- paths and errors -------------------------------------------------- */

static ornd_err_t never(void *user, const ornd_match_event_t *ev)
{
    (void)user;
    (void)ev;
    return -1;
}

static void test_bad_paths(void **state)
{
    (void)state;
    static const char *const bad[] = {"",    ".",    "a.",  ".a",  "a..b", "a[",   "a[x]",
                                      "a]",  "[]]",  "a[]b", "a.[]", "[",   "]",    "a[].",
                                      "[]." , "a[[]]", "a.b.", "..", "[ ]", "a]b"};
    ornd_match_t m;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *p[] = {"ok", bad[i]};
        assert_int_equal(ornd_match_init(&m, p, 2, never, NULL), ORND_ERR_MATCH_PATH);
        assert_int_equal(ornd_match_feed(&m, (const uint8_t *)"{}", 2), ORND_ERR_MATCH_PATH);
        assert_int_equal(ornd_match_finish(&m), ORND_ERR_MATCH_PATH);
    }
    static const char *const good[] = {"a", "[]", "a.b", "a[]", "a[][]", "[].a", "a b.-_\xc3\xa9",
                                       "a.b[].c[].d"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_int_equal(ornd_match_init(&m, &good[i], 1, never, NULL), ORND_OK);
    }
}

static void test_path_limits(void **state)
{
    (void)state;
    ornd_match_t m;
    char name[ORND_CONFIG_MATCH_NAME_MAX + 2];
    memset(name, 'n', sizeof name);
    name[ORND_CONFIG_MATCH_NAME_MAX] = '\0';
    const char *p[NPATHS + 1];
    p[0] = name;
    assert_int_equal(ornd_match_init(&m, p, 1, never, NULL), ORND_OK);
    name[ORND_CONFIG_MATCH_NAME_MAX] = 'n';
    name[ORND_CONFIG_MATCH_NAME_MAX + 1] = '\0';
    assert_int_equal(ornd_match_init(&m, p, 1, never, NULL), ORND_ERR_CONFIG_TOO_LONG);

    char deep[3 * ORND_CONFIG_MATCH_STEPS_MAX + 4];
    size_t n = 0;
    for (unsigned i = 0; i < ORND_CONFIG_MATCH_STEPS_MAX; i++) {
        deep[n++] = 'a';
        deep[n++] = '.';
    }
    deep[n - 1] = '\0';
    p[0] = deep;
    assert_int_equal(ornd_match_init(&m, p, 1, never, NULL), ORND_OK);
    deep[n - 1] = '.';
    deep[n++] = 'a';
    deep[n] = '\0';
    assert_int_equal(ornd_match_init(&m, p, 1, never, NULL), ORND_ERR_CONFIG_TOO_LONG);

    for (unsigned i = 0; i <= NPATHS; i++) {
        p[i] = "a";
    }
    assert_int_equal(ornd_match_init(&m, p, NPATHS, never, NULL), ORND_OK);
    assert_int_equal(ornd_match_init(&m, p, NPATHS + 1, never, NULL), ORND_ERR_CONFIG_TOO_LONG);
    assert_int_equal(ornd_match_init(&m, p, 0, never, NULL), ORND_ERR_ARG);
    assert_int_equal(ornd_match_init(&m, NULL, 1, never, NULL), ORND_ERR_ARG);
    assert_int_equal(ornd_match_init(&m, p, 1, NULL, NULL), ORND_ERR_ARG);
    assert_int_equal(ornd_match_init(NULL, p, 1, never, NULL), ORND_ERR_ARG);
    p[0] = NULL;
    assert_int_equal(ornd_match_init(&m, p, 1, never, NULL), ORND_ERR_ARG);
    assert_int_equal(ornd_match_feed(NULL, NULL, 0), ORND_ERR_ARG);
    assert_int_equal(ornd_match_finish(NULL), ORND_ERR_ARG);
}

static void test_errors_sticky_and_reset(void **state)
{
    (void)state;
    static const char *const paths[] = {"a"};
    static rec_t r;
    ornd_match_t m;
    memset(&r, 0, sizeof r);
    assert_int_equal(ornd_match_init(&m, paths, 1, on_match, &r), ORND_OK);
    assert_int_equal(ornd_match_feed(&m, (const uint8_t *)"{\"a\":1,}", 8), ORND_ERR_JSON_SYNTAX);
    assert_int_equal(ornd_match_feed(&m, (const uint8_t *)"{", 1), ORND_ERR_JSON_SYNTAX);
    ornd_match_reset(&m);
    assert_int_equal(ornd_match_feed(&m, (const uint8_t *)"{\"a\":", 5), ORND_OK);
    assert_int_equal(ornd_match_finish(&m), ORND_ERR_JSON_INCOMPLETE);
    ornd_match_reset(&m);
    r.len = 0;
    assert_int_equal(ornd_match_feed(&m, (const uint8_t *)"{\"a\":\"x\"}", 9), ORND_OK);
    assert_int_equal(ornd_match_finish(&m), ORND_OK);
    assert_string_equal(r.trace, "0:S'x' ");
    /* the callback stops the scan with its own code */
    ornd_match_reset(&m);
    r.abort_at = r.events + 1;
    assert_int_equal(ornd_match_feed(&m, (const uint8_t *)"{\"a\":true}", 10), -1000);
    assert_int_equal(ornd_match_finish(&m), -1000);
}

static void test_external_scanner(void **state)
{
    (void)state;
    static const char *const paths[] = {"r[].a", "n"};
    static const char doc[] = "{\"r\":[{\"a\":\"x\"},{\"a\":2}],\"n\":7}";
    static rec_t r;
    ornd_match_t m;
    ornd_json_t j;
    memset(&r, 0, sizeof r);
    assert_int_equal(ornd_match_init(&m, paths, 2, on_match, &r), ORND_OK);
    ornd_json_init(&j, ornd_match_on_json, &m);
    for (size_t i = 0; i < sizeof doc - 1; i++) {
        assert_int_equal(ornd_json_feed(&j, (const uint8_t *)doc + i, 1), ORND_OK);
    }
    assert_int_equal(ornd_json_finish(&j), ORND_OK);
    assert_string_equal(r.trace, "<0.2 0:S'x' >0.2 <0.2 0:N'2' >0.2 1:N'7' ");
}

/* ---- a realistic members page ------------------------------------------ */

static size_t append(char *buf, size_t size, size_t n, const char *s)
{
    size_t l = strlen(s);
    assert_true(n + l < size);
    memcpy(buf + n, s, l + 1);
    return n + l;
}

/* 50 members of ~2 KB each, like GET /members of the v2 API. */
static size_t make_page(char *buf, size_t size, unsigned count)
{
    char tmp[512];
    size_t n = append(buf, size, 0, "{\"results\":[");
    uint32_t seed = 12345u;
    for (unsigned i = 0; i < count; i++) {
        snprintf(tmp, sizeof tmp,
                 "%s{\"_id\":\"%024x\",\"name\":\"Member %u\",\"emails\":[\"alt%u@x.io\"],"
                 "\"email\":\"member%u@example.com\",\"company\":{\"_id\":\"c%u\","
                 "\"email\":\"billing%u@corp.example\",\"contacts\":[{\"email\":\"x@y\"}]},"
                 "\"properties\":{\"notes\":\"",
                 i > 0 ? "," : "", i * 7919u, i, i, i, i, i);
        n = append(buf, size, n, tmp);
        for (unsigned k = 0; k < 1700; k++) {
            seed = seed * 1103515245u + 12345u;
            char c[2] = {(char)('a' + (seed >> 16) % 26), '\0'};
            n = append(buf, size, n, k % 97 == 96 ? "\\n" : c);
        }
        snprintf(tmp, sizeof tmp,
                 "\",\"email\":\"nested%u@no\"},\"createdAt\":\"2026-11-%02uT08:00:00.000Z\","
                 "\"status\":\"active\",\"isContact\":%s,\"credits\":%u.5}",
                 i, 1u + i % 28u, i % 2 ? "true" : "false", i);
        n = append(buf, size, n, tmp);
    }
    return append(buf, size, n,
                  "],\"cursorNext\":\"eyJwYWdlIjoyfQ==\",\"cursorPrev\":null,\"rangeStart\":0}");
}

typedef struct {
    unsigned emails;
    unsigned elements;
    bool bad;
    char cur[64];
    ornd_match_capture_t cursor;
} page_ctx_t;

static ornd_err_t on_page(void *user, const ornd_match_event_t *ev)
{
    page_ctx_t *p = user;
    if (ev->path == 1) {
        return ornd_match_capture(&p->cursor, ev);
    }
    if (ev->kind == ORND_MATCH_ELEMENT_END) {
        p->elements++;
        return 0;
    }
    if (ev->kind != ORND_MATCH_VALUE) {
        return 0;
    }
    if (ev->first) {
        p->cur[0] = '\0';
    }
    size_t l = strlen(p->cur);
    if (l + ev->len >= sizeof p->cur) {
        p->bad = true;
        return -1;
    }
    memcpy(p->cur + l, ev->data, ev->len);
    p->cur[l + ev->len] = '\0';
    if (ev->last) {
        char want[64];
        snprintf(want, sizeof want, "member%u@example.com", p->emails);
        p->bad |= strcmp(want, p->cur) != 0;
        p->emails++;
    }
    return 0;
}

static void test_members_page(void **state)
{
    (void)state;
    static char page[120 * 1024];
    static const char *const paths[] = {"results[].email", "cursorNext"};
    size_t len = make_page(page, sizeof page, 50);
    assert_true(len > 100 * 1024);
    static const size_t chunks[] = {1, 7, 256, 1460, 4096, 120 * 1024};
    ornd_match_t m;
    size_t state_size = sizeof m;
    char cursor[32];
    for (size_t c = 0; c < sizeof chunks / sizeof chunks[0]; c++) {
        page_ctx_t p;
        memset(&p, 0, sizeof p);
        ornd_match_capture_init(&p.cursor, cursor, sizeof cursor);
        assert_int_equal(ornd_match_init(&m, paths, 2, on_page, &p), ORND_OK);
        ornd_match_t before = m;
        int rc = ORND_OK;
        for (size_t off = 0; off < len && rc == ORND_OK; off += chunks[c]) {
            size_t n = len - off < chunks[c] ? len - off : chunks[c];
            rc = ornd_match_feed(&m, (const uint8_t *)page + off, n);
        }
        assert_int_equal(rc, ORND_OK);
        assert_int_equal(ornd_match_finish(&m), ORND_OK);
        assert_false(p.bad);
        assert_int_equal(p.emails, 50);
        assert_int_equal(p.elements, 50);
        assert_true(p.cursor.found);
        assert_string_equal(cursor, "eyJwYWdlIjoyfQ==");
        /* the path table is as init left it: nothing of the page was kept */
        assert_memory_equal(before.path, m.path, sizeof m.path);
    }
    /* the same matcher takes a small page after a reset */
    len = make_page(page, sizeof page, 1);
    assert_true(len < 4096);
    page_ctx_t p;
    memset(&p, 0, sizeof p);
    ornd_match_capture_init(&p.cursor, cursor, sizeof cursor);
    assert_int_equal(ornd_match_init(&m, paths, 2, on_page, &p), ORND_OK);
    assert_int_equal(ornd_match_feed(&m, (const uint8_t *)page, len), ORND_OK);
    assert_int_equal(ornd_match_finish(&m), ORND_OK);
    assert_int_equal(p.emails, 1);
    assert_int_equal(sizeof m, state_size);
    printf("matcher state: %zu bytes (scanner %zu), %u paths x %u steps\n", sizeof m,
           sizeof m.json, (unsigned)ORND_CONFIG_MATCH_PATHS_MAX,
           (unsigned)ORND_CONFIG_MATCH_STEPS_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_of_objects),
        cmocka_unit_test(test_nesting_and_types),
        cmocka_unit_test(test_top_level_arrays),
        cmocka_unit_test(test_similar_keys),
        cmocka_unit_test(test_container_at_path),
        cmocka_unit_test(test_duplicate_paths_and_shared_prefix),
        cmocka_unit_test(test_escaped_key_and_value),
        cmocka_unit_test(test_top_level_scalar),
        cmocka_unit_test(test_key_split_across_chunks),
        cmocka_unit_test(test_long_value_in_fragments),
        cmocka_unit_test(test_capture_fits_exactly),
        cmocka_unit_test(test_capture_overflow_is_error),
        cmocka_unit_test(test_capture_container_and_last_wins),
        cmocka_unit_test(test_capture_ignores_element_marks),
        cmocka_unit_test(test_bad_paths),
        cmocka_unit_test(test_path_limits),
        cmocka_unit_test(test_errors_sticky_and_reset),
        cmocka_unit_test(test_external_scanner),
        cmocka_unit_test(test_members_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
