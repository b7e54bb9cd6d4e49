/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the streaming JSON scanner (src/json.c).
 *
 * A recorder callback turns the events into a text trace, one entry per
 * token followed by a space:
 *   {D }D [D ]D      object / array begin and end at depth D
 *   TD FD ZD         true, false, null at depth D
 *   KD'...' SD'...' ND'...'   key, string, number, fragments reassembled
 * Bytes outside printable ASCII are written <HH>. The recorder also checks
 * the first/last flags of every fragment and where its bytes live: raw runs
 * must point into the chunk being fed, decoded escapes into the scanner.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ornd/error.h"
#include "ornd/json.h"

#define DEPTH_MAX ORND_CONFIG_JSON_DEPTH_MAX

typedef struct {
    char trace[8192];
    size_t len;
    bool in_token;          /* a fragment without `last` was seen */
    ornd_json_type_t tok;   /* its type */
    unsigned flag_errors;   /* fragments whose flags or type are inconsistent */
    unsigned events;
    unsigned frags;         /* fragment events */
    unsigned max_depth;
    unsigned abort_at;      /* 1-based event that returns abort_rc; 0: never */
    int abort_rc;
    int ok_rc;              /* returned by the callback when not aborting */
    const uint8_t *chunk;   /* the chunk being fed */
    size_t chunk_len;
    unsigned outside;       /* non-empty fragments not inside the chunk */
    size_t outside_max;     /* longest of them */
    const ornd_json_t *j;   /* the scanner, for the escape-buffer check */
    unsigned stray;         /* fragments neither in the chunk nor the scanner */
} rec_t;

static void put(rec_t *r, const char *s)
{
    size_t n = strlen(s);
    assert_true(r->len + n < sizeof r->trace);
    memcpy(r->trace + r->len, s, n);
    r->len += n;
    r->trace[r->len] = '\0';
}

static void put_bytes(rec_t *r, const char *data, size_t len)
{
    char tmp[8];
    for (size_t i = 0; i < len; i++) {
        unsigned char b = (unsigned char)data[i];
        if (b >= 0x20 && b < 0x7f) {
            tmp[0] = (char)b;
            tmp[1] = '\0';
        } else {
            snprintf(tmp, sizeof tmp, "<%02X>", b);
        }
        put(r, tmp);
    }
}

static bool inside(const void *p, size_t n, const void *base, size_t size)
{
    uintptr_t a = (uintptr_t)p;
    uintptr_t lo = (uintptr_t)base;
    return a >= lo && a + n <= lo + size;
}

static void check_frag_place(rec_t *r, const ornd_json_event_t *ev)
{
    if (ev->len == 0) {
        return;
    }
    if (inside(ev->data, ev->len, r->chunk, r->chunk_len)) {
        return;
    }
    r->outside++;
    if (ev->len > r->outside_max) {
        r->outside_max = ev->len;
    }
    if (r->j == NULL || !inside(ev->data, ev->len, r->j, sizeof *r->j)) {
        r->stray++;
    }
}

static void record_frag(rec_t *r, const ornd_json_event_t *ev, char letter)
{
    char tmp[24];
    r->frags++;
    if (ev->first == r->in_token || (r->in_token && ev->type != r->tok)) {
        r->flag_errors++;
    }
    if (ev->first) {
        snprintf(tmp, sizeof tmp, "%c%u'", letter, ev->depth);
        put(r, tmp);
    }
    put_bytes(r, ev->data, ev->len);
    check_frag_place(r, ev);
    r->in_token = !ev->last;
    r->tok = ev->type;
    if (ev->last) {
        put(r, "' ");
    }
}

static void record_mark(rec_t *r, const ornd_json_event_t *ev, char letter)
{
    char tmp[24];
    if (r->in_token || ev->first || ev->last || ev->len != 0) {
        r->flag_errors++;
    }
    snprintf(tmp, sizeof tmp, "%c%u ", letter, ev->depth);
    put(r, tmp);
}

static ornd_err_t record(void *user, const ornd_json_event_t *ev)
{
    rec_t *r = user;
    static const char letters[] = "{}[]KSNTFZ";
    r->events++;
    if (ev->depth > r->max_depth) {
        r->max_depth = ev->depth;
    }
    char letter = letters[ev->type];
    if (ev->type == ORND_JSON_KEY || ev->type == ORND_JSON_STRING || ev->type == ORND_JSON_NUMBER) {
        record_frag(r, ev, letter);
    } else {
        record_mark(r, ev, letter);
    }
    if (r->abort_at != 0 && r->events == r->abort_at) {
        return r->abort_rc;
    }
    return r->ok_rc;
}

static void rec_start(rec_t *r, ornd_json_t *j)
{
    memset(r, 0, sizeof *r);
    r->j = j;
    ornd_json_init(j, record, r);
}

/* Feeds [doc, doc+len) as one chunk through a scratch copy that is wiped
 * afterwards, so that a pointer kept past the call would be noticed. */
static int feed_copy(ornd_json_t *j, rec_t *r, const uint8_t *doc, size_t len)
{
    static uint8_t scratch[8192];
    assert_true(len <= sizeof scratch);
    memcpy(scratch, doc, len);
    r->chunk = scratch;
    r->chunk_len = len;
    int rc = ornd_json_feed(j, scratch, len);
    memset(scratch, 0xAA, len);
    return rc;
}

/* Feeds doc in pieces of `chunk` bytes, then finishes. */
static int run_chunked(ornd_json_t *j, rec_t *r, const void *doc, size_t len, size_t chunk)
{
    const uint8_t *d = doc;
    rec_start(r, j);
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        int rc = feed_copy(j, r, d + off, n);
        if (rc != ORND_OK) {
            return rc;
        }
    }
    return ornd_json_finish(j);
}

/* Feeds doc as two pieces split at `at`, then finishes. */
static int run_split(ornd_json_t *j, rec_t *r, const void *doc, size_t len, size_t at)
{
    const uint8_t *d = doc;
    rec_start(r, j);
    int rc = feed_copy(j, r, d, at);
    if (rc == ORND_OK) {
        rc = feed_copy(j, r, d + at, len - at);
    }
    return rc == ORND_OK ? ornd_json_finish(j) : rc;
}

/* Checks doc against the expected verdict and trace in one piece, one byte
 * at a time and split in two at every boundary. trace NULL: not compared. */
static void expect_doc_len(const char *doc, size_t len, int want_rc, const char *want_trace)
{
    ornd_json_t j;
    rec_t r;
    for (size_t at = 0; at <= len + 1; at++) {
        int rc = at <= len ? run_split(&j, &r, doc, len, at) : run_chunked(&j, &r, doc, len, 1);
        if (rc != want_rc) {
            print_error("doc '%s' split at %lu: got %s\n", doc, (unsigned long)at, ornd_errname(rc));
        }
        assert_int_equal(rc, want_rc);
        assert_int_equal(r.flag_errors, 0);
        assert_int_equal(r.stray, 0);
        assert_true(r.outside_max <= 4);
        assert_true(r.max_depth <= DEPTH_MAX);
        if (want_trace != NULL) {
            assert_string_equal(r.trace, want_trace);
        }
    }
}

static void expect_doc(const char *doc, int want_rc, const char *want_trace)
{
    expect_doc_len(doc, strlen(doc), want_rc, want_trace);
}

static void expect_err(const char *doc, int want_rc)
{
    expect_doc(doc, want_rc, NULL);
}

/* ---- events ------------------------------------------------------------ */

static void test_every_event_type_with_depth(void **state)
{
    (void)state;
    expect_doc("{\"k\":[true,false,null,-1.5e3,\"s\",{},[]],\"o\":{\"n\":{\"d\":0}}}", ORND_OK,
               "{0 K1'k' [1 T2 F2 Z2 N2'-1.5e3' S2's' {2 }2 [2 ]2 ]1 "
               "K1'o' {1 K2'n' {2 K3'd' N3'0' }2 }1 }0 ");
}

static void test_top_level_values(void **state)
{
    (void)state;
    expect_doc("1", ORND_OK, "N0'1' ");
    expect_doc("-0.5E+7", ORND_OK, "N0'-0.5E+7' ");
    expect_doc("\"s\"", ORND_OK, "S0's' ");
    expect_doc("true", ORND_OK, "T0 ");
    expect_doc("false", ORND_OK, "F0 ");
    expect_doc("null", ORND_OK, "Z0 ");
    expect_doc("[]", ORND_OK, "[0 ]0 ");
    expect_doc("{}", ORND_OK, "{0 }0 ");
    expect_doc(" \t\r\n[ 1 ,\n2 ] \r\n\t", ORND_OK, "[0 N1'1' N1'2' ]0 ");
    expect_doc("{ \"a\" : 1 , \"b\" :\t[ ] }", ORND_OK, "{0 K1'a' N1'1' K1'b' [1 ]1 }0 ");
}

/* A document with every kind of token, escape and UTF-8 length. */
static const char rich_doc[] =
    "{\"access_token\":\"eyJhbGciOi.x-y_z\",\"esc\":\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\","
    "\"u\":\"\\u00e9\\u20AC\\ud83d\\ude00\\u0000\\uDBFF\\uDFFF\","
    "\"raw\":\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf4\x8f\xbf\xbf\x7f\","
    "\"n\":[0,-0,12,-3.25,1e10,2E-3,6.02e+23],\"t\":true,\"f\":false,\"z\":null,"
    "\"\":\"\",\"o\":{},\"a\":[[\"\\n\"]]}";

static const char rich_trace[] =
    "{0 K1'access_token' S1'eyJhbGciOi.x-y_z' "
    "K1'esc' S1'a\"b\\c/d<08>e<0C>f<0A>g<0D>h<09>i' "
    "K1'u' S1'<C3><A9><E2><82><AC><F0><9F><98><80><00><F4><8F><BF><BF>' "
    "K1'raw' S1'<C3><A9><E2><82><AC><F0><9F><98><80><F4><8F><BF><BF><7F>' "
    "K1'n' [1 N2'0' N2'-0' N2'12' N2'-3.25' N2'1e10' N2'2E-3' N2'6.02e+23' ]1 "
    "K1't' T1 K1'f' F1 K1'z' Z1 "
    "K1'' S1'' K1'o' {1 }1 K1'a' [1 [2 S3'<0A>' ]2 ]1 }0 ";

static void test_split_at_every_boundary(void **state)
{
    (void)state;
    expect_doc(rich_doc, ORND_OK, rich_trace);
}

static void test_chunk_sizes(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    for (size_t chunk = 1; chunk <= sizeof rich_doc; chunk++) {
        assert_int_equal(run_chunked(&j, &r, rich_doc, sizeof rich_doc - 1, chunk), ORND_OK);
        assert_string_equal(r.trace, rich_trace);
        assert_int_equal(r.flag_errors, 0);
        assert_int_equal(r.stray, 0);
    }
}

static void test_one_byte_at_a_time_fragments(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    const char doc[] = "[\"abcdef\",12345]";
    assert_int_equal(run_chunked(&j, &r, doc, sizeof doc - 1, 1), ORND_OK);
    assert_string_equal(r.trace, "[0 S1'abcdef' N1'12345' ]0 ");
    /* Each byte of the string and number was delivered on its own; the closing
     * quote and the ']' end the tokens with an empty last fragment. */
    assert_int_equal(r.frags, 6 + 1 + 5 + 1);
    assert_int_equal(r.flag_errors, 0);
}

static void test_string_split_across_feeds(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"\"abc", 4), ORND_OK);
    assert_int_equal(r.frags, 1);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"def", 3), ORND_OK);
    assert_int_equal(r.frags, 2);
    assert_false(ornd_json_done(&j));
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"g\"", 2), ORND_OK);
    assert_int_equal(r.frags, 3);
    assert_true(ornd_json_done(&j));
    assert_int_equal(ornd_json_finish(&j), ORND_OK);
    assert_string_equal(r.trace, "S0'abcdefg' ");
    assert_int_equal(r.flag_errors, 0);
    assert_int_equal(r.outside, 0);
}

/* ---- strings ----------------------------------------------------------- */

static ornd_json_event_t saved_ev[8];
static unsigned saved_n;

static ornd_err_t save_event(void *user, const ornd_json_event_t *ev)
{
    (void)user;
    if (saved_n < 8) {
        saved_ev[saved_n++] = *ev;
    }
    return 0;
}

static void test_empty_string_one_event(void **state)
{
    (void)state;
    ornd_json_t j;
    const uint8_t doc[] = "\"\"";
    saved_n = 0;
    ornd_json_init(&j, save_event, NULL);
    assert_int_equal(ornd_json_feed(&j, doc, 2), ORND_OK);
    assert_int_equal(ornd_json_finish(&j), ORND_OK);
    assert_int_equal(saved_n, 1);
    assert_int_equal(saved_ev[0].type, ORND_JSON_STRING);
    assert_int_equal(saved_ev[0].len, 0);
    assert_non_null(saved_ev[0].data);
    assert_true(saved_ev[0].first);
    assert_true(saved_ev[0].last);
    assert_int_equal(saved_ev[0].depth, 0);
}

static void test_raw_run_is_zero_copy(void **state)
{
    (void)state;
    ornd_json_t j;
    const uint8_t doc[] = "{\"key\":\"value \xc3\xa9\"}";
    saved_n = 0;
    ornd_json_init(&j, save_event, NULL);
    assert_int_equal(ornd_json_feed(&j, doc, sizeof doc - 1), ORND_OK);
    assert_int_equal(saved_n, 4);
    assert_int_equal(saved_ev[1].type, ORND_JSON_KEY);
    assert_ptr_equal(saved_ev[1].data, (const char *)doc + 2);
    assert_int_equal(saved_ev[1].len, 3);
    assert_int_equal(saved_ev[2].type, ORND_JSON_STRING);
    assert_ptr_equal(saved_ev[2].data, (const char *)doc + 8);
    assert_int_equal(saved_ev[2].len, 8);
    assert_true(saved_ev[2].first && saved_ev[2].last);
}

static void test_escape_comes_from_scanner(void **state)
{
    (void)state;
    ornd_json_t j;
    const uint8_t doc[] = "\"a\\u20acb\"";
    saved_n = 0;
    ornd_json_init(&j, save_event, NULL);
    assert_int_equal(ornd_json_feed(&j, doc, sizeof doc - 1), ORND_OK);
    assert_int_equal(saved_n, 3);
    assert_ptr_equal(saved_ev[0].data, (const char *)doc + 1);
    assert_true(saved_ev[0].first && !saved_ev[0].last);
    assert_int_equal(saved_ev[1].len, 3);
    assert_memory_equal(saved_ev[1].data, "\xe2\x82\xac", 3);
    assert_true(inside(saved_ev[1].data, 3, &j, sizeof j));
    assert_true(!saved_ev[1].first && !saved_ev[1].last);
    assert_ptr_equal(saved_ev[2].data, (const char *)doc + 8);
    assert_true(!saved_ev[2].first && saved_ev[2].last);
}

static void test_escape_only_string_one_event(void **state)
{
    (void)state;
    ornd_json_t j;
    const uint8_t doc[] = "\"\\ud83d\\ude00\"";
    saved_n = 0;
    ornd_json_init(&j, save_event, NULL);
    assert_int_equal(ornd_json_feed(&j, doc, sizeof doc - 1), ORND_OK);
    assert_int_equal(saved_n, 1);
    assert_int_equal(saved_ev[0].len, 4);
    assert_memory_equal(saved_ev[0].data, "\xf0\x9f\x98\x80", 4);
    assert_true(saved_ev[0].first && saved_ev[0].last);
}

static void test_escapes_decoded(void **state)
{
    (void)state;
    expect_doc("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", ORND_OK, "S0'\"\\/<08><0C><0A><0D><09>' ");
    expect_doc("\"\\u0041\\u007f\\u0080\\u07FF\\u0800\\uffff\"", ORND_OK,
               "S0'A<7F><C2><80><DF><BF><E0><A0><80><EF><BF><BF>' ");
    expect_doc("\"\\ud800\\udc00\\uDBFF\\uDFFF\\uD834\\uDD1E\"", ORND_OK,
               "S0'<F0><90><80><80><F4><8F><BF><BF><F0><9D><84><9E>' ");
    expect_doc("\"x\\u0000y\"", ORND_OK, "S0'x<00>y' ");
    expect_doc("{\"\\n\":\"\\t\"}", ORND_OK, "{0 K1'<0A>' S1'<09>' }0 ");
}

static void test_raw_utf8_valid(void **state)
{
    (void)state;
    expect_doc("\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\"", ORND_OK,
               "S0'<C2><80><DF><BF><E0><A0><80><ED><9F><BF><EE><80><80><EF><BF><BF>' ");
    expect_doc("\"\xf0\x90\x80\x80\xf3\xbf\xbf\xbf\xf4\x8f\xbf\xbf\"", ORND_OK,
               "S0'<F0><90><80><80><F3><BF><BF><BF><F4><8F><BF><BF>' ");
}

static void test_raw_utf8_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\"\xc0\x80\"",         "\"\xc1\xbf\"",         /* overlong 2-byte */
        "\"\xe0\x80\x80\"",     "\"\xe0\x9f\xbf\"",     /* overlong 3-byte */
        "\"\xf0\x80\x80\x80\"", "\"\xf0\x8f\xbf\xbf\"", /* overlong 4-byte */
        "\"\xed\xa0\x80\"",     "\"\xed\xbf\xbf\"",     /* UTF-16 surrogates */
        "\"\xf4\x90\x80\x80\"", "\"\xf5\x80\x80\x80\"", /* above U+10FFFF */
        "\"\xf8\x88\x80\x80\x80\"", "\"\xff\"", "\"\xfe\"",
        "\"\x80\"",             "\"a\xbf\"",            /* stray continuation */
        "\"\xe2\x82\"",         "\"\xc3\"",             /* truncated */
        "\"\xf0\x9f\x98\"",     "\"\xe2\x82\x61\"",     "\"\xc3\xa9\xa9\"",
        "[\"\xe9\"]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_err(bad[i], ORND_ERR_JSON_UTF8);
    }
}

static void test_lone_surrogates(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\"\\ud800\"",        "\"\\udc00\"",        "\"\\udfff\"",       "\"\\uDBFF\"",
        "\"\\ud800\\u0041\"", "\"\\ud800x\"",       "\"\\ud800\\n\"",    "\"\\ud800\\ud800\"",
        "\"\\udc00\\ud800\"", "\"\\ud800\\\\udc00\"", "[\"\\ud83d\"]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_err(bad[i], ORND_ERR_JSON_UTF8);
    }
}

static void test_bad_escapes(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "\"\\x\"", "\"\\'\"", "\"\\U0041\"", "\"\\u12G4\"", "\"\\u00e\"", "\"\\a\"", "\"\\0\"",
        "\"\\ \"", "\"\\\xc3\xa9\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_err(bad[i], ORND_ERR_JSON_UTF8);
    }
}

static void test_control_chars(void **state)
{
    (void)state;
    expect_doc_len("\"a\0b\"", 5, ORND_ERR_JSON_SYNTAX, NULL);
    expect_err("\"\x1f\"", ORND_ERR_JSON_SYNTAX);
    expect_err("\"a\tb\"", ORND_ERR_JSON_SYNTAX);
    expect_err("\"a\nb\"", ORND_ERR_JSON_SYNTAX);
    expect_err("{\"\r\":1}", ORND_ERR_JSON_SYNTAX);
    expect_doc("\"\x7f\"", ORND_OK, "S0'<7F>' ");
}

/* ---- numbers and literals ---------------------------------------------- */

static void test_numbers_valid(void **state)
{
    (void)state;
    expect_doc("[0,-0,1,-1,10,1234567890,0.0,-0.5,1.25,1e5,1E5,1e+5,1e-5,0e0,-0E-0,"
               "123.456e789,9007199254740993]",
               ORND_OK,
               "[0 N1'0' N1'-0' N1'1' N1'-1' N1'10' N1'1234567890' N1'0.0' N1'-0.5' "
               "N1'1.25' N1'1e5' N1'1E5' N1'1e+5' N1'1e-5' N1'0e0' N1'-0E-0' "
               "N1'123.456e789' N1'9007199254740993' ]0 ");
    expect_doc("{\"a\":1}", ORND_OK, "{0 K1'a' N1'1' }0 ");
    expect_doc("[1 ]", ORND_OK, "[0 N1'1' ]0 ");
}

static void test_numbers_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[01]",   "[-01]",  "[00]",   "[+1]",  "[.5]",  "[1.]",  "[1.e5]", "[1e]",  "[1e+]",
        "[1E-]",  "[-]",    "[--1]",  "[-a]",  "[0x1]", "[1.5.]", "[1e1.5]", "[1e5e]", "[1ee5]",
        "[1e+-5]", "[Infinity]", "[NaN]", "[-Infinity]", "[1a]", "[0-1]", "[1+1]", "[- 1]",
        "[1.-5]", "[12 3]", "-01", "1 2", "[\xef\xbc\x91]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_err(bad[i], ORND_ERR_JSON_SYNTAX);
    }
    expect_err("1.", ORND_ERR_JSON_INCOMPLETE);
    expect_err("-", ORND_ERR_JSON_INCOMPLETE);
    expect_err("1e", ORND_ERR_JSON_INCOMPLETE);
    expect_err("1e-", ORND_ERR_JSON_INCOMPLETE);
}

static void test_literals(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[tru]", "[trUe]", "[True]", "[nul]", "[nulll]", "[falsey]", "[fals]", "[n]", "truex",
        "nulltrue", "[tRUE]", "[NULL]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_err(bad[i], ORND_ERR_JSON_SYNTAX);
    }
    expect_err("tru", ORND_ERR_JSON_INCOMPLETE);
    expect_err("f", ORND_ERR_JSON_INCOMPLETE);
    expect_doc("[true,false,null]", ORND_OK, "[0 T1 F1 Z1 ]0 ");
}

/* The "\\u" after a high surrogate and the letters of a literal are matched
 * alike, but a wrong byte is a UTF-8 error in the one and a syntax error in
 * the other, whatever it is and wherever the chunks end. */
static void test_surrogate_and_literal_bytes(void **state)
{
    (void)state;
    static const char *const utf8[] = {
        "\"\\ud800u\"", "\"\\ud800r\"", "\"\\ud800\\\\\"", "\"\\ud800\\r\"", "[\"\\udbff\\t\"]",
    };
    for (size_t i = 0; i < sizeof utf8 / sizeof utf8[0]; i++) {
        expect_err(utf8[i], ORND_ERR_JSON_UTF8);
    }
    static const char *const syntax[] = {
        "[nul\\u]", "[tru\\]", "[true\\u]", "[fals\"]", "[n\\u0041]",
    };
    for (size_t i = 0; i < sizeof syntax / sizeof syntax[0]; i++) {
        expect_err(syntax[i], ORND_ERR_JSON_SYNTAX);
    }
    expect_doc("[\"\\ud83d\\ude00\",null]", ORND_OK, "[0 S1'<F0><9F><98><80>' Z1 ]0 ");
}

/* ---- structure --------------------------------------------------------- */

static void test_structure_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[1,]",       "{\"a\":1,}",   "[1 2]",      "{\"a\" 1}",   "{1:2}",      "[}",
        "{]",         "]",            "}",          ",",           ":",          "[] []",
        "\"a\" \"b\"", "{\"a\":1:2}", "[,1]",       "{,}",         "\f1",        "\xef\xbb\xbf{}",
        "[1]x",       "{\"a\"}",      "{\"a\":}",   "[1,,2]",      "{\"a\"::1}", "{\"a\",1}",
        "[\"a\":1]",  "{'a':1}",      "1,",         "[1]]",        "{}}",        "\x00",
        "[\v]",       "{\"a\":1 \"b\":2}", "{[]:1}", "{{}:1}",     "[\xa0]",     "<>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_doc_len(bad[i], bad[i][0] == '\0' ? 1 : strlen(bad[i]), ORND_ERR_JSON_SYNTAX, NULL);
    }
}

/* n nested arrays, with a number in the innermost one. */
static size_t nested(char *buf, size_t size, unsigned n, bool object)
{
    size_t len = 0;
    for (unsigned i = 0; i < n; i++) {
        const char *open = object ? "{\"k\":" : "[";
        assert_true(len + 5 < size);
        memcpy(buf + len, open, strlen(open));
        len += strlen(open);
    }
    buf[len++] = '7';
    for (unsigned i = 0; i < n; i++) {
        assert_true(len + 1 < size);
        buf[len++] = object ? '}' : ']';
    }
    buf[len] = '\0';
    return len;
}

static void test_depth_limit(void **state)
{
    (void)state;
    char doc[DEPTH_MAX * 6 + 16];
    ornd_json_t j;
    rec_t r;
    for (int object = 0; object < 2; object++) {
        size_t len = nested(doc, sizeof doc, DEPTH_MAX, object != 0);
        assert_int_equal(run_chunked(&j, &r, doc, len, len), ORND_OK);
        assert_int_equal(r.max_depth, DEPTH_MAX);
        assert_int_equal(run_chunked(&j, &r, doc, len, 1), ORND_OK);
        assert_int_equal(r.max_depth, DEPTH_MAX);
        len = nested(doc, sizeof doc, DEPTH_MAX + 1, object != 0);
        assert_int_equal(run_chunked(&j, &r, doc, len, len), ORND_ERR_JSON_DEPTH);
        assert_int_equal(run_chunked(&j, &r, doc, len, 1), ORND_ERR_JSON_DEPTH);
        /* the innermost accepted object still delivered its key */
        assert_int_equal(r.max_depth, object ? DEPTH_MAX : DEPTH_MAX - 1);
    }
}

static void test_depth_limit_mixed(void **state)
{
    (void)state;
    char doc[DEPTH_MAX * 6 + 16];
    size_t len = 0;
    for (unsigned i = 0; i < DEPTH_MAX; i++) {
        const char *open = i % 2 ? "[" : "{\"k\":";
        memcpy(doc + len, open, strlen(open));
        len += strlen(open);
    }
    doc[len++] = '7';
    for (unsigned i = DEPTH_MAX; i-- > 0;) {
        doc[len++] = i % 2 ? ']' : '}';
    }
    doc[len] = '\0';
    expect_doc(doc, ORND_OK, NULL);
    /* closing with the wrong bracket at every level is caught */
    doc[len - 1] = ']';
    expect_err(doc, ORND_ERR_JSON_SYNTAX);
}

/* ---- callback, finish, errors ------------------------------------------ */

static void test_callback_abort(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    const uint8_t doc[] = "[1,2,3]";
    rec_start(&r, &j);
    r.abort_at = 2;
    r.abort_rc = -1234;
    assert_int_equal(feed_copy(&j, &r, doc, sizeof doc - 1), -1234);
    assert_int_equal(r.events, 2);
    assert_int_equal(feed_copy(&j, &r, doc, sizeof doc - 1), -1234);
    assert_int_equal(ornd_json_finish(&j), -1234);
    assert_int_equal(r.events, 2);
    assert_false(ornd_json_done(&j));
}

static void test_callback_abort_at_finish(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    r.abort_at = 2;
    r.abort_rc = -7;
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"42", 2), ORND_OK);
    assert_int_equal(r.events, 1);
    assert_int_equal(ornd_json_finish(&j), -7);
    assert_int_equal(ornd_json_finish(&j), -7);
    assert_int_equal(r.events, 2);
}

static void test_callback_positive_goes_on(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    r.ok_rc = 5;
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"[1,\"a\"]", 7), ORND_OK);
    assert_int_equal(ornd_json_finish(&j), ORND_OK);
    assert_string_equal(r.trace, "[0 N1'1' S1'a' ]0 ");
}

static void test_finish_empty(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    assert_false(ornd_json_done(&j));
    assert_int_equal(ornd_json_finish(&j), ORND_ERR_JSON_INCOMPLETE);
    assert_int_equal(ornd_json_finish(&j), ORND_ERR_JSON_INCOMPLETE);
    expect_err(" \n\t\r ", ORND_ERR_JSON_INCOMPLETE);
    assert_int_equal(r.events, 0);
}

static void test_finish_truncated(void **state)
{
    (void)state;
    static const char *const cut[] = {
        "[",    "[1,",   "[1, 2", "{",       "{\"a\"", "{\"a\":", "{\"a\":1", "\"abc",
        "\"\\", "\"\\u12", "\"\\ud800", "\"\\ud800\\", "\"\\ud800\\u", "\"\xe2\x82", "[[]",
        "{\"a\":[1]",
    };
    for (size_t i = 0; i < sizeof cut / sizeof cut[0]; i++) {
        expect_err(cut[i], ORND_ERR_JSON_INCOMPLETE);
    }
}

static void test_finish_top_level_number(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"-1", 2), ORND_OK);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"2.5", 3), ORND_OK);
    assert_int_equal(r.frags, 2);
    assert_true(r.in_token);
    assert_false(ornd_json_done(&j));
    assert_int_equal(ornd_json_finish(&j), ORND_OK);
    assert_int_equal(r.frags, 3);
    assert_false(r.in_token);
    assert_true(ornd_json_done(&j));
    assert_string_equal(r.trace, "N0'-12.5' ");
    /* a number ended by whitespace is complete before finish() */
    rec_start(&r, &j);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"7 ", 2), ORND_OK);
    assert_true(ornd_json_done(&j));
    assert_int_equal(ornd_json_finish(&j), ORND_OK);
    assert_string_equal(r.trace, "N0'7' ");
    assert_int_equal(r.frags, 1);
}

static void test_errors_sticky(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"[1,]", 4), ORND_ERR_JSON_SYNTAX);
    unsigned events = r.events;
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"[2]", 3), ORND_ERR_JSON_SYNTAX);
    assert_int_equal(ornd_json_feed(&j, NULL, 0), ORND_ERR_JSON_SYNTAX);
    assert_int_equal(ornd_json_finish(&j), ORND_ERR_JSON_SYNTAX);
    assert_int_equal(r.events, events);
    assert_false(ornd_json_done(&j));

    rec_start(&r, &j);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"\"\xc0", 2), ORND_ERR_JSON_UTF8);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"\"", 1), ORND_ERR_JSON_UTF8);
    assert_int_equal(ornd_json_finish(&j), ORND_ERR_JSON_UTF8);

    rec_start(&r, &j);
    assert_int_equal(ornd_json_finish(&j), ORND_ERR_JSON_INCOMPLETE);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"1 ", 2), ORND_ERR_JSON_INCOMPLETE);
}

static void test_done_and_trailing(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"{\"a\":[]", 7), ORND_OK);
    assert_false(ornd_json_done(&j));
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"}", 1), ORND_OK);
    assert_true(ornd_json_done(&j));
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)" \r\n", 3), ORND_OK);
    assert_true(ornd_json_done(&j));
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)" {", 2), ORND_ERR_JSON_SYNTAX);
    assert_false(ornd_json_done(&j));
}

static void test_feed_null_and_empty(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    assert_int_equal(ornd_json_feed(&j, NULL, 0), ORND_OK);
    assert_int_equal(ornd_json_feed(&j, NULL, 3), ORND_ERR_ARG);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"[]", 2), ORND_OK);
    assert_int_equal(ornd_json_finish(&j), ORND_OK);
    assert_string_equal(r.trace, "[0 ]0 ");
}

static void test_init_resets(void **state)
{
    (void)state;
    ornd_json_t j;
    rec_t r;
    rec_start(&r, &j);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"[{\"a\":\"\\ud8", 11), ORND_OK);
    rec_start(&r, &j);
    assert_int_equal(feed_copy(&j, &r, (const uint8_t *)"\"b\"", 3), ORND_OK);
    assert_int_equal(ornd_json_finish(&j), ORND_OK);
    assert_string_equal(r.trace, "S0'b' ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_event_type_with_depth),
        cmocka_unit_test(test_top_level_values),
        cmocka_unit_test(test_split_at_every_boundary),
        cmocka_unit_test(test_chunk_sizes),
        cmocka_unit_test(test_one_byte_at_a_time_fragments),
        cmocka_unit_test(test_string_split_across_feeds),
        cmocka_unit_test(test_empty_string_one_event),
        cmocka_unit_test(test_raw_run_is_zero_copy),
        cmocka_unit_test(test_escape_comes_from_scanner),
        cmocka_unit_test(test_escape_only_string_one_event),
        cmocka_unit_test(test_escapes_decoded),
        cmocka_unit_test(test_raw_utf8_valid),
        cmocka_unit_test(test_raw_utf8_invalid),
        cmocka_unit_test(test_lone_surrogates),
        cmocka_unit_test(test_bad_escapes),
        cmocka_unit_test(test_control_chars),
        cmocka_unit_test(test_numbers_valid),
        cmocka_unit_test(test_numbers_invalid),
        cmocka_unit_test(test_literals),
        cmocka_unit_test(test_surrogate_and_literal_bytes),
        cmocka_unit_test(test_structure_invalid),
        cmocka_unit_test(test_depth_limit),
        cmocka_unit_test(test_depth_limit_mixed),
        cmocka_unit_test(test_callback_abort),
        cmocka_unit_test(test_callback_abort_at_finish),
        cmocka_unit_test(test_callback_positive_goes_on),
        cmocka_unit_test(test_finish_empty),
        cmocka_unit_test(test_finish_truncated),
        cmocka_unit_test(test_finish_top_level_number),
        cmocka_unit_test(test_errors_sticky),
        cmocka_unit_test(test_done_and_trailing),
        cmocka_unit_test(test_feed_null_and_empty),
        cmocka_unit_test(test_init_resets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
