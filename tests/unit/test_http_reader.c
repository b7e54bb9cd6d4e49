/* SPDX-License-Identifier: MIT */
/* Unit tests of the incremental HTTP response reader: every framing, every
 * split point, every limit and error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/core/http_reader.h"
#include "ornd/error.h"

#define FIELD_MAX_ ((size_t)ORND_CONFIG_HTTP_FIELD_MAX)
#define PAD_LINE_ ((size_t)1000) /* longest line of the pad fields */
#define HEADERS_MAX_ ((size_t)ORND_CONFIG_HTTP_HEADERS_MAX)
#define COUNT_MAX_ ((size_t)ORND_CONFIG_HTTP_HEADER_COUNT_MAX)

/* ======================================================================== */
/* Reader                                                                    */
/* ======================================================================== */

/* What the callbacks saw. Header fields are kept as "name=value\n". */
typedef struct {
    char fields[40000];
    size_t fields_len;
    size_t field_count;
    uint8_t body[40000];
    size_t body_len;
    size_t body_calls;
    int header_rc; /* returned by the header callback */
    int body_rc;   /* returned by the body callback */
} capture_t;

typedef struct {
    int rc;      /* verdict: the last feed(), then eof() when asked */
    size_t used; /* bytes consumed in total */
    bool headers_done;
    int status;
    uint8_t version_minor;
    bool chunked;
    bool has_content_length;
    bool connection_close;
    uint64_t content_length;
    uint32_t retry_after_s;
    bool has_retry_after;
    uint64_t body_received;
    capture_t cap;
} result_t;

/* The fields the tests ask the reader for (lower case, as cfg.fields wants). */
static const char *const wanted[] = {
    "content-type", "cache-control",    "x-empty", "trailer", "a",      "t",
    "x-checksum",   "www-authenticate", "x",       "date",    "b",      "x-long",
    "set-cookie",   "x-fold",           "server",  "x-pad",   "x-trace"};

static ornd_err_t on_field(void *user, size_t index, const char *value, size_t value_len)
{
    capture_t *c = user;
    assert_true(index < sizeof wanted / sizeof wanted[0]);
    const char *name = wanted[index];
    const size_t name_len = strlen(name);
    c->field_count++;
    if (c->fields_len + name_len + value_len + 2 <= sizeof c->fields) {
        memcpy(c->fields + c->fields_len, name, name_len);
        c->fields_len += name_len;
        c->fields[c->fields_len++] = '=';
        memcpy(c->fields + c->fields_len, value, value_len);
        c->fields_len += value_len;
        c->fields[c->fields_len++] = '\n';
    }
    return (ornd_err_t)c->header_rc;
}

static ornd_err_t on_body(void *user, const uint8_t *data, size_t len)
{
    capture_t *c = user;
    assert_true(len > 0);
    c->body_calls++;
    if (c->body_len + len <= sizeof c->body) {
        memcpy(c->body + c->body_len, data, len);
    }
    c->body_len += len;
    return (ornd_err_t)c->body_rc;
}

typedef struct {
    bool head_request;
    size_t body_max;
    bool eof;        /* call eof() after the last piece when still incomplete */
    bool bare_close; /* that end is a bare close (no TLS close_notify) */
    int header_rc;
    int body_rc;
} opts_t;

static void reader_start(ornd_http_reader_t *r, result_t *out, const opts_t *o)
{
    memset(out, 0, sizeof *out);
    out->cap.header_rc = o->header_rc;
    out->cap.body_rc = o->body_rc;
    ornd_http_reader_cfg_t cfg = {
        .fields = wanted,
        .field_count = sizeof wanted / sizeof wanted[0],
        .on_field = on_field,
        .on_body = on_body,
        .user = &out->cap,
        .head_request = o->head_request,
        .body_max = o->body_max,
    };
    ornd_http_reader_init(r, &cfg);
}

static void reader_finish(ornd_http_reader_t *r, result_t *out)
{
    out->headers_done = ornd_http_reader_headers_done(r);
    out->status = r->status;
    out->version_minor = r->version_minor;
    out->chunked = r->chunked;
    out->has_content_length = r->has_content_length;
    out->connection_close = r->connection_close;
    out->content_length = r->content_length;
    out->retry_after_s = r->retry_after_s;
    out->has_retry_after = r->has_retry_after;
    out->body_received = r->body_received;
}

/* The verdict as the tests state it: 1 complete, 0 more needed, or the error. */
static int verdict(const ornd_http_reader_t *r, ornd_err_t rc)
{
    if (rc != ORND_OK) {
        return rc;
    }
    return ornd_http_reader_complete(r) ? 1 : 0;
}

static int feed_v(ornd_http_reader_t *r, const uint8_t *p, size_t n, size_t *used)
{
    return verdict(r, ornd_http_reader_feed(r, p, n, used));
}

static int eof_v(ornd_http_reader_t *r)
{
    return verdict(r, ornd_http_reader_eof(r, true));
}

/* Feed `len` bytes split at the `ncuts` ascending offsets in `cuts`. */
static void run_cuts(const void *data, size_t len, const size_t *cuts, size_t ncuts,
                     const opts_t *o, result_t *out)
{
    ornd_http_reader_t r;
    reader_start(&r, out, o);
    const uint8_t *p = data;
    size_t start = 0;
    int rc = 0;
    for (size_t i = 0; i <= ncuts && rc == 0; i++) {
        const size_t end = i < ncuts ? cuts[i] : len;
        size_t used = 12345;
        rc = verdict(&r, ornd_http_reader_feed(&r, p + start, end - start, &used));
        assert_true(used <= end - start);
        if (rc == 0) {
            assert_int_equal(used, end - start); /* incomplete: all consumed */
        }
        out->used += used;
        start = end;
    }
    if (rc == 0 && o->eof) {
        rc = verdict(&r, ornd_http_reader_eof(&r, !o->bare_close));
    }
    out->rc = rc;
    reader_finish(&r, out);
}

static void run_once(const void *data, size_t len, const opts_t *o, result_t *out)
{
    run_cuts(data, len, NULL, 0, o, out);
}

/* Feed one byte per call. */
static void run_bytes(const void *data, size_t len, const opts_t *o, result_t *out)
{
    ornd_http_reader_t r;
    reader_start(&r, out, o);
    const uint8_t *p = data;
    int rc = 0;
    for (size_t i = 0; i < len && rc == 0; i++) {
        size_t used = 12345;
        rc = verdict(&r, ornd_http_reader_feed(&r, p + i, 1, &used));
        out->used += used;
    }
    if (rc == 0 && o->eof) {
        rc = verdict(&r, ornd_http_reader_eof(&r, !o->bare_close));
    }
    out->rc = rc;
    reader_finish(&r, out);
}

static void assert_same_result(const result_t *a, const result_t *b)
{
    assert_int_equal(a->rc, b->rc);
    assert_int_equal(a->used, b->used);
    assert_int_equal(a->headers_done, b->headers_done);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->version_minor, b->version_minor);
    assert_int_equal(a->chunked, b->chunked);
    assert_int_equal(a->has_content_length, b->has_content_length);
    assert_int_equal(a->connection_close, b->connection_close);
    assert_true(a->content_length == b->content_length);
    assert_int_equal(a->retry_after_s, b->retry_after_s);
    assert_int_equal(a->has_retry_after, b->has_retry_after);
    assert_true(a->body_received == b->body_received);
    assert_int_equal(a->cap.field_count, b->cap.field_count);
    assert_int_equal(a->cap.fields_len, b->cap.fields_len);
    assert_memory_equal(a->cap.fields, b->cap.fields, a->cap.fields_len);
    assert_int_equal(a->cap.body_len, b->cap.body_len);
    if (a->cap.body_len > 0) {
        assert_memory_equal(a->cap.body, b->cap.body, a->cap.body_len);
    }
}

static result_t res_a;
static result_t res_b;

/* One-shot, every two-piece split and one byte at a time agree; the one-shot
 * result is left in res_a. */
static void check_all_splits(const char *resp, size_t len, const opts_t *o)
{
    run_once(resp, len, o, &res_a);
    for (size_t split = 0; split <= len; split++) {
        /* answers over 4 KiB: every split in their first and last 512
         * bytes, every 61st in between (the cost stays linear) */
        if (len > 4096 && split > 512 && split + 512 < len && split % 61u != 0) {
            continue;
        }
        run_cuts(resp, len, &split, 1, o, &res_b);
        assert_same_result(&res_a, &res_b);
    }
    run_bytes(resp, len, o, &res_b);
    assert_same_result(&res_a, &res_b);
    /* Three pieces at a few more points, including empty pieces. */
    for (size_t i = 0; i + 7 <= len; i += 5) {
        const size_t cuts[3] = {i, i + 7, i + 7};
        run_cuts(resp, len, cuts, 3, o, &res_b);
        assert_same_result(&res_a, &res_b);
    }
}

static void assert_body(const result_t *r, const char *want)
{
    assert_int_equal(r->cap.body_len, strlen(want));
    assert_memory_equal(r->cap.body, want, r->cap.body_len);
    assert_true(r->body_received == strlen(want));
}

static void assert_fields(const result_t *r, const char *want)
{
    assert_int_equal(r->cap.fields_len, strlen(want));
    assert_memory_equal(r->cap.fields, want, r->cap.fields_len);
}

static void check_bad(const char *resp, size_t len, int err, const opts_t *o);

/* ---- Well-formed responses ------------------------------------------------ */

static const char resp_length[] = "HTTP/1.1 200 OK\r\n"
                                  "Content-Type: application/json\r\n"
                                  "content-LENGTH:   40  \r\n"
                                  "Cache-Control: no-store\r\n"
                                  "X-Empty:\r\n"
                                  "\r\n"
                                  "{\"access_token\":\"abc\",\"expires_in\":3600}";

static void test_read_content_length(void **state)
{
    (void)state;
    const opts_t o = {0};
    check_all_splits(resp_length, sizeof resp_length - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.used, sizeof resp_length - 1);
    assert_true(res_a.headers_done);
    assert_int_equal(res_a.status, 200);
    assert_int_equal(res_a.version_minor, 1);
    assert_true(res_a.has_content_length);
    assert_true(res_a.content_length == 40);
    assert_false(res_a.chunked);
    assert_false(res_a.connection_close);
    assert_false(res_a.has_retry_after);
    /* the fields asked for, never the reader's own framing fields */
    assert_fields(&res_a, "content-type=application/json\ncache-control=no-store\nx-empty=\n");
    assert_body(&res_a, "{\"access_token\":\"abc\",\"expires_in\":3600}");
    assert_int_equal(res_a.cap.body_calls, 1); /* passed on in one run */
}

static const char resp_chunked[] = "HTTP/1.1 200 OK\r\n"
                                   "Transfer-Encoding: chunked\r\n"
                                   "Trailer: X-Checksum\r\n"
                                   "\r\n"
                                   "5;name=value\r\n"
                                   "hello\r\n"
                                   "7 ; a=\"b;c\" ;d\r\n"
                                   ", world\r\n"
                                   "000A\r\n"
                                   "0123456789\r\n"
                                   "1\r\n"
                                   "!\r\n"
                                   "0;last\r\n"
                                   "X-Checksum: abc \r\n"
                                   "X-Other:x\r\n"
                                   "\r\n";

static void test_read_chunked(void **state)
{
    (void)state;
    const opts_t o = {0};
    check_all_splits(resp_chunked, sizeof resp_chunked - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.used, sizeof resp_chunked - 1);
    assert_int_equal(res_a.status, 200);
    assert_true(res_a.chunked);
    assert_false(res_a.has_content_length);
    assert_false(res_a.connection_close);
    /* trailers (X-Checksum) are never reported as header fields */
    assert_fields(&res_a, "trailer=X-Checksum\n");
    assert_body(&res_a, "hello, world0123456789!");
    assert_int_equal(res_a.cap.body_calls, 4); /* one run per chunk */
}

static const char resp_close[] = "HTTP/1.0 200 OK\r\n"
                                 "Content-Type: text/plain\r\n"
                                 "Retry-After: 120\r\n"
                                 "\r\n"
                                 "body delimited by the end\r\n\r\nof the connection";

static void test_read_close_delimited(void **state)
{
    (void)state;
    const opts_t o = {.eof = true};
    check_all_splits(resp_close, sizeof resp_close - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.used, sizeof resp_close - 1);
    assert_int_equal(res_a.status, 200);
    assert_int_equal(res_a.version_minor, 0);
    assert_true(res_a.connection_close);
    assert_false(res_a.has_content_length);
    assert_true(res_a.has_retry_after);
    assert_int_equal(res_a.retry_after_s, 120);
    assert_body(&res_a, "body delimited by the end\r\n\r\nof the connection");

    /* Without eof() the body never ends. */
    const opts_t no_eof = {0};
    run_once(resp_close, sizeof resp_close - 1, &no_eof, &res_b);
    assert_int_equal(res_b.rc, 0);
    assert_true(res_b.headers_done);
}

static const char resp_continue[] = "HTTP/1.1 100 Continue\r\n"
                                    "X-Interim: 1\r\n"
                                    "\r\n"
                                    "HTTP/1.1 103 Early Hints\r\n"
                                    "Link: </a>; rel=preload\r\n"
                                    "\r\n"
                                    "HTTP/1.1 201 Created\r\n"
                                    "Content-Length: 2\r\n"
                                    "Connection: Keep-Alive, CLOSE\r\n"
                                    "\r\n"
                                    "ok";

static void test_read_interim_then_final(void **state)
{
    (void)state;
    const opts_t o = {0};
    check_all_splits(resp_continue, sizeof resp_continue - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.used, sizeof resp_continue - 1);
    assert_int_equal(res_a.status, 201);
    assert_true(res_a.connection_close);
    /* Interim fields are not reported. */
    assert_fields(&res_a, "");
    assert_body(&res_a, "ok");
}

static const char resp_204[] = "HTTP/1.1 204 No Content\r\n"
                               "Content-Length: 10\r\n"
                               "\r\n"
                               "HTTP/1.1 200 OK\r\n"; /* the next response */

static void test_read_204_no_body(void **state)
{
    (void)state;
    const opts_t o = {0};
    check_all_splits(resp_204, sizeof resp_204 - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.used, strstr(resp_204, "\r\n\r\n") - resp_204 + 4);
    assert_int_equal(res_a.status, 204);
    assert_true(res_a.headers_done);
    assert_body(&res_a, "");
}

static void test_read_304_no_body(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n";
    const opts_t o = {0};
    check_all_splits(resp, sizeof resp - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.status, 304);
    assert_body(&res_a, "");
}

static const char resp_head[] = "HTTP/1.1 200 OK\r\n"
                                "Content-Length: 1000\r\n"
                                "\r\n"
                                "HTTP/1.1 404 Not Found\r\n";

static void test_read_head_request(void **state)
{
    (void)state;
    /* body_max below the announced length: irrelevant, no body comes. */
    const opts_t o = {.head_request = true, .body_max = 10};
    check_all_splits(resp_head, sizeof resp_head - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.used, strstr(resp_head, "\r\n\r\n") - resp_head + 4);
    assert_int_equal(res_a.status, 200);
    assert_true(res_a.has_content_length);
    assert_true(res_a.content_length == 1000);
    assert_body(&res_a, "");

    static const char chunked[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n";
    run_once(chunked, sizeof chunked - 1, &o, &res_b);
    assert_int_equal(res_b.rc, 1);
    assert_int_equal(res_b.used, sizeof chunked - 1 - 3);
}

static void test_read_bare_lf_lines(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 200 OK\n"
                               "Transfer-Encoding: chunked\n"
                               "A: b\r\n"
                               "\n"
                               "3\n"
                               "abc\n"
                               "2\r\n"
                               "de\r\n"
                               "0\n"
                               "T: t\n"
                               "\n";
    const opts_t o = {0};
    check_all_splits(resp, sizeof resp - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.used, sizeof resp - 1);
    assert_fields(&res_a, "a=b\n"); /* T is a trailer */
    assert_body(&res_a, "abcde");
}

static void test_read_status_line_forms(void **state)
{
    (void)state;
    static const struct {
        const char *resp;
        int status;
        uint8_t minor;
    } cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", 200, 1},
        {"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", 200, 1},
        {"HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n", 200, 1},
        {"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n", 404, 0},
        {"HTTP/1.1 429 Too   Many\tRequests \xC3\xA9\r\nContent-Length: 0\r\n\r\n", 429, 1},
        {"HTTP/1.9 599 x\r\nContent-Length: 0\r\n\r\n", 599, 9},
        {"HTTP/1.1 999 x\r\nContent-Length: 0\r\n\r\n", 999, 1},
    };
    const opts_t o = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_all_splits(cases[i].resp, strlen(cases[i].resp), &o);
        assert_int_equal(res_a.rc, 1);
        assert_int_equal(res_a.status, cases[i].status);
        assert_int_equal(res_a.version_minor, cases[i].minor);
    }
}

static void test_read_101_ends_response(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n\x01\x02";
    const opts_t o = {0};
    check_all_splits(resp, sizeof resp - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.status, 101);
    assert_true(res_a.connection_close);
    assert_int_equal(res_a.used, sizeof resp - 1 - 2);
}

static void test_read_content_length_forms(void **state)
{
    (void)state;
    static const struct {
        const char *head; /* fields between the status line and the blank line */
        uint64_t length;
    } cases[] = {
        {"Content-Length: 3\r\n", 3},
        {"Content-Length: 003\r\n", 3},
        {"Content-Length: 3, 3\r\n", 3},
        {"Content-Length: 3,3 ,   3\r\n", 3},
        {"Content-Length: 3\r\nContent-Length: 3\r\n", 3},
        {"Content-Length: 0\r\n", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char resp[256];
        snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\n%s\r\nabcdef", cases[i].head);
        const opts_t o = {0};
        check_all_splits(resp, strlen(resp), &o);
        assert_int_equal(res_a.rc, 1);
        assert_true(res_a.has_content_length);
        assert_true(res_a.content_length == cases[i].length);
        assert_int_equal(res_a.cap.body_len, cases[i].length);
        assert_int_equal(res_a.used, strlen(resp) - 6 + cases[i].length);
    }
}

static void test_read_content_length_max_value(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551615\r\n\r\nab";
    const opts_t o = {0};
    run_once(resp, sizeof resp - 1, &o, &res_a);
    assert_int_equal(res_a.rc, 0);
    assert_true(res_a.headers_done);
    assert_true(res_a.content_length == UINT64_MAX);
    assert_int_equal(res_a.cap.body_len, 2);
}

/* Content-Length with Transfer-Encoding: refused (RFC 9112 §6.3 "ought to
 * be handled as an error"), in either order, whatever the Content-Length
 * says; the connection is never to be reused. */
static void test_read_cl_with_te_refused(void **state)
{
    (void)state;
    static const char *const resps[] = {
        "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
        "2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 100\r\n\r\n"
        "2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: nonsense\r\n\r\n"
        "2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n"
        "Transfer-Encoding: , CHUNKED\r\n\r\n2\r\nok\r\n0\r\n\r\n",
        "HTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n"
        "2\r\nok\r\n0\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof resps / sizeof resps[0]; i++) {
        const opts_t o = {.body_max = 2};
        check_bad(resps[i], strlen(resps[i]), ORND_ERR_HTTP_CONTENT_LENGTH, &o);
        assert_true(res_a.connection_close);
        assert_int_equal(res_a.cap.body_len, 0);
        assert_int_equal(res_a.used, strstr(resps[i], "\r\n\r\n") - resps[i] + 3);
    }
}

static void test_read_connection_and_version(void **state)
{
    (void)state;
    static const struct {
        const char *resp;
        bool close;
    } cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: Upgrade ,  Close \r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", true},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n", false},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nConnection: close\r\n"
         "Content-Length: 0\r\n\r\n",
         true},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false},
        {"HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n"
         "0\r\n\r\n",
         true},
    };
    const opts_t o = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run_once(cases[i].resp, strlen(cases[i].resp), &o, &res_a);
        assert_int_equal(res_a.rc, 1);
        assert_int_equal(res_a.connection_close, cases[i].close);
    }
}

static void test_read_retry_after(void **state)
{
    (void)state;
    static const struct {
        const char *value;
        bool has;
        uint32_t secs;
    } cases[] = {
        {"0", true, 0},
        {"120", true, 120},
        {"  7 ", true, 7},
        {"4294967295", true, UINT32_MAX},
        {"4294967296", true, UINT32_MAX},
        {"99999999999999999999999", true, UINT32_MAX},
        {"Fri, 31 Dec 1999 23:59:59 GMT", false, 0},
        {"-1", false, 0},
        {"1.5", false, 0},
        {"", false, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char resp[256];
        snprintf(resp, sizeof resp,
                 "HTTP/1.1 429 Too Many Requests\r\nRetry-After:%s\r\nContent-Length: 0\r\n\r\n",
                 cases[i].value);
        const opts_t o = {0};
        run_once(resp, strlen(resp), &o, &res_a);
        assert_int_equal(res_a.rc, 1);
        assert_int_equal(res_a.has_retry_after, cases[i].has);
        assert_int_equal(res_a.retry_after_s, cases[i].secs);
    }
}

static void test_read_after_complete(void **state)
{
    (void)state;
    ornd_http_reader_t r;
    ornd_http_reader_init(&r, NULL); /* no callbacks: body discarded */
    assert_false(ornd_http_reader_headers_done(&r));
    size_t used;
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcXYZ";
    assert_int_equal(feed_v(&r, (const uint8_t *)resp, 10, &used), 0);
    assert_int_equal(used, 10);
    assert_false(ornd_http_reader_headers_done(&r));
    assert_int_equal(feed_v(&r, (const uint8_t *)resp + 10, sizeof resp - 11, &used), 1);
    assert_int_equal(used, sizeof resp - 11 - 3);
    assert_true(ornd_http_reader_headers_done(&r));
    assert_true(r.body_received == 3);
    /* Complete stays complete; nothing more is consumed. */
    assert_int_equal(feed_v(&r, (const uint8_t *)"XYZ", 3, &used), 1);
    assert_int_equal(used, 0);
    assert_int_equal(feed_v(&r, NULL, 0, NULL), 1);
    assert_int_equal(eof_v(&r), 1);
    assert_int_equal(eof_v(&r), 1);
}

static void test_read_pipelined_not_consumed(void **state)
{
    (void)state;
    static const char two[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
                              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                              "3\r\nabc\r\n0\r\n\r\n"
                              "HTTP/1.1 204 No Content\r\n\r\n"
                              "HTTP/1.1 200 OK\r\n";
    static const char *const bodies[] = {"ok", "abc", ""};
    static const int statuses[] = {200, 200, 204};
    size_t off = 0;
    for (size_t i = 0; i < 3; i++) {
        const opts_t o = {0};
        check_all_splits(two + off, sizeof two - 1 - off, &o);
        assert_int_equal(res_a.rc, 1);
        assert_int_equal(res_a.status, statuses[i]);
        assert_body(&res_a, bodies[i]);
        assert_true(res_a.used < sizeof two - 1 - off);
        off += res_a.used;
    }
    assert_string_equal(two + off, "HTTP/1.1 200 OK\r\n");
}

static void test_read_headers_done_with_body(void **state)
{
    (void)state;
    ornd_http_reader_t r;
    ornd_http_reader_init(&r, NULL);
    static const char resp[] = "HTTP/1.1 503 Unavailable\r\nRetry-After: 30\r\n"
                               "Content-Length: 5\r\n\r\nab";
    size_t used;
    assert_int_equal(feed_v(&r, (const uint8_t *)resp, sizeof resp - 1, &used), 0);
    assert_true(ornd_http_reader_headers_done(&r));
    assert_int_equal(r.status, 503);
    assert_true(r.has_retry_after);
    assert_int_equal(r.retry_after_s, 30);
    assert_true(r.body_received == 2);
}

/* ---- Cut short -------------------------------------------------------------- */

/* Every strict prefix ends in ORND_ERR_CLOSED at eof(). */
static void check_every_prefix_closed(const char *resp, size_t len)
{
    for (size_t cut = 0; cut < len; cut++) {
        const opts_t o = {.eof = true};
        run_once(resp, cut, &o, &res_a);
        assert_int_equal(res_a.rc, ORND_ERR_CLOSED);
        run_bytes(resp, cut, &o, &res_b);
        assert_same_result(&res_a, &res_b);
    }
    const opts_t o = {.eof = true};
    run_once(resp, len, &o, &res_a);
    assert_int_equal(res_a.rc, 1);
}

static void test_cut_content_length(void **state)
{
    (void)state;
    check_every_prefix_closed(resp_length, sizeof resp_length - 1);
}

static void test_cut_chunked(void **state)
{
    (void)state;
    check_every_prefix_closed(resp_chunked, sizeof resp_chunked - 1);
}

static void test_cut_interim(void **state)
{
    (void)state;
    check_every_prefix_closed(resp_continue, sizeof resp_continue - 1);
}

static void test_cut_close_delimited(void **state)
{
    (void)state;
    const size_t len = sizeof resp_close - 1;
    const size_t head = (size_t)(strstr(resp_close, "\r\n\r\n") - resp_close) + 4u;
    for (size_t cut = 0; cut <= len; cut++) {
        const opts_t o = {.eof = true};
        run_once(resp_close, cut, &o, &res_a);
        if (cut < head) {
            assert_int_equal(res_a.rc, ORND_ERR_CLOSED);
        } else {
            assert_int_equal(res_a.rc, 1);
            assert_int_equal(res_a.cap.body_len, cut - head);
            assert_memory_equal(res_a.cap.body, resp_close + head, cut - head);
        }
    }
}

static void test_closed_is_sticky(void **state)
{
    (void)state;
    ornd_http_reader_t r;
    ornd_http_reader_init(&r, NULL);
    size_t used = 99;
    assert_int_equal(eof_v(&r), ORND_ERR_CLOSED);
    assert_int_equal(feed_v(&r, (const uint8_t *)"HTTP/1.1", 8, &used), ORND_ERR_CLOSED);
    assert_int_equal(used, 0);
    assert_int_equal(eof_v(&r), ORND_ERR_CLOSED);
}

/* ---- Framing choices (see ornd/core/http_reader.h) ------------------------ */

/* obs-fold: the fold and the whitespace around it become one SP (RFC 9112
 * §5.2), in used fields and skipped ones; folds before the first field are
 * consumed. */
static void test_obs_fold_is_one_space(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 401 Unauthorized\r\n"
                               " stray fold before any field\r\n"
                               "WWW-Authenticate: Bearer realm=\"api\",  \r\n"
                               " \t error=\"invalid_token\"\r\n"
                               "X-Skipped: a\r\n\tb\r\n c\r\n"
                               "X-Fold: one\r\n   \r\n two \r\n"
                               "Content-Length:\r\n 2\r\n"
                               "\r\nok";
    const opts_t o = {0};
    check_all_splits(resp, sizeof resp - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.status, 401);
    assert_fields(&res_a, "www-authenticate=Bearer realm=\"api\", error=\"invalid_token\"\n"
                          "x-fold=one two\n");
    assert_body(&res_a, "ok");
}

/* Folds right after the status line of an interim response and of the
 * final one are consumed, CRLF and bare LF line ends mixed; the interim
 * response's fields are not handed out, the final one's are whole. */
static void test_fold_after_interim_status_line(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 100 Continue\r\n"
                               " folded\r\n"
                               "X-Fold: interim\r\n"
                               "\n"
                               "HTTP/1.1 200 OK\n"
                               "\t folded too \r\n"
                               "X-Fold: a \r\n b\n"
                               "Content-Length: 2\r\n"
                               "\r\nok";
    const opts_t o = {0};
    check_all_splits(resp, sizeof resp - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.status, 200);
    assert_fields(&res_a, "x-fold=a b\n");
    assert_body(&res_a, "ok");
}

/* Bytes that cannot begin "HTTP/1.x SP 3DIGIT" are refused at the first
 * byte that rules the status line out, without waiting for a line end. */
static void test_not_http1_refused_at_once(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t at; /* the offending byte */
    } cases[] = {
        {"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 0},     /* HTTP/2 connection preface */
        {"\x00\x00\x12\x04\x00\x00\x00\x00\x00", 0}, /* an HTTP/2 SETTINGS frame */
        {"<html><body>HTTP/0.9 answer", 0},
        {"\x16\x03\x01\x02\x00", 0}, /* a TLS record */
        {"HTTP/2 200", 5},
        {"HTTP/1.1 2x", 10},
        {"HTTP/1.1 099", 9},
        {"HTTP/1.1 200x", 12},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const size_t len = cases[i].at + 1u; /* nothing after the offending byte */
        const opts_t o = {0};
        check_bad(cases[i].in, len, ORND_ERR_HTTP_STATUS_LINE, &o);
        assert_int_equal(res_a.used, cases[i].at);
        assert_int_equal(res_a.status, 0);
    }
}

/* A close-delimited body is complete only after a clean close (TLS
 * close_notify); a bare close is ORND_ERR_TRUNCATED. Framed bodies that are
 * complete do not depend on how the connection ends. */
static void test_close_delimited_needs_clean_close(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nall of it";
    const opts_t clean = {.eof = true};
    check_all_splits(resp, sizeof resp - 1, &clean);
    assert_int_equal(res_a.rc, 1);
    assert_body(&res_a, "all of it");
    assert_true(res_a.connection_close);

    const opts_t bare = {.eof = true, .bare_close = true};
    check_all_splits(resp, sizeof resp - 1, &bare);
    assert_int_equal(res_a.rc, ORND_ERR_TRUNCATED);
    assert_body(&res_a, "all of it"); /* what came was passed on, but not taken as whole */

    static const char framed[] = "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n"
                                 "\r\nok";
    check_all_splits(framed, sizeof framed - 1, &bare);
    assert_int_equal(res_a.rc, 1);
    static const char cut[] = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok";
    check_all_splits(cut, sizeof cut - 1, &bare);
    assert_int_equal(res_a.rc, ORND_ERR_CLOSED);
    check_all_splits(cut, sizeof cut - 1, &clean);
    assert_int_equal(res_a.rc, ORND_ERR_CLOSED);
}

/* Trailer fields are never reported as header fields, never change the
 * framing or Retry-After. */
static void test_trailers_not_reported(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                               "2\r\nok\r\n0\r\n"
                               "WWW-Authenticate: Bearer error=\"invalid_token\"\r\n"
                               "Retry-After: 99\r\nContent-Length: 12\r\nConnection: close\r\n"
                               "\r\n";
    const opts_t o = {0};
    check_all_splits(resp, sizeof resp - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_fields(&res_a, "");
    assert_false(res_a.has_retry_after);
    assert_false(res_a.connection_close);
    assert_true(res_a.chunked);
}

/* ---- Errors ----------------------------------------------------------------- */

typedef struct {
    const char *resp;
    int err;
} bad_case_t;

/* Each input gives its error with any chunking, sticky afterwards. */
static void check_bad(const char *resp, size_t len, int err, const opts_t *o)
{
    check_all_splits(resp, len, o);
    assert_int_equal(res_a.rc, err);

    ornd_http_reader_t r;
    result_t *tmp = &res_b;
    reader_start(&r, tmp, o);
    size_t used = 0;
    assert_int_equal(feed_v(&r, (const uint8_t *)resp, len, &used), err);
    assert_int_equal(feed_v(&r, (const uint8_t *)"\r\n", 2, &used), err);
    assert_int_equal(used, 0);
    assert_int_equal(eof_v(&r), err);
}

static void check_bad_cases(const bad_case_t *cases, size_t n)
{
    const opts_t o = {0};
    for (size_t i = 0; i < n; i++) {
        check_bad(cases[i].resp, strlen(cases[i].resp), cases[i].err, &o);
    }
}

static void test_err_status_line(void **state)
{
    (void)state;
    static const bad_case_t cases[] = {
        {"HTTP/2 200 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/2.0 200 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.12 200 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"http/1.1 200 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1 20 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1 2000 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1 200OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1  200 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1\t200 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1 099 Low\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1 2x0 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"\r\nHTTP/1.1 200 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {" HTTP/1.1 200 OK\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1 200 O\x01K\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1 200 OK\rX\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"HTTP/1.1 200 OK\r\r\n\r\n", ORND_ERR_HTTP_STATUS_LINE},
        {"SSH-2.0-OpenSSH\r\n", ORND_ERR_HTTP_STATUS_LINE},
    };
    check_bad_cases(cases, sizeof cases / sizeof cases[0]);

    /* A NUL byte in the reason phrase. */
    static const char nul[] = "HTTP/1.1 200 O\0K\r\n\r\n";
    const opts_t o = {0};
    check_bad(nul, sizeof nul - 1, ORND_ERR_HTTP_STATUS_LINE, &o);
}

static void test_err_header(void **state)
{
    (void)state;
    static const bad_case_t cases[] = {
        {"HTTP/1.1 200 OK\r\nName : v\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nName\t: v\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nNo colon here\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\n: empty name\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nBad(Name): v\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nA: b\rc\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nA: b\r\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nA: b\x01\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nA: b\x7F\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nA: b\r\n\r\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 100 Continue\r\nBad Name: x\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT : x\r\n\r\n",
         ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: x\ry\r\n\r\n",
         ORND_ERR_HTTP_HEADER},
        /* a fold with no field before it: consumed only right after the
         * status line, not at the start of the trailers */
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n folded\r\n\r\n",
         ORND_ERR_HTTP_HEADER},
    };
    check_bad_cases(cases, sizeof cases / sizeof cases[0]);

    static const char nul[] = "HTTP/1.1 200 OK\r\nA: b\0c\r\n\r\n";
    const opts_t o = {0};
    check_bad(nul, sizeof nul - 1, ORND_ERR_HTTP_HEADER, &o);
}

static void test_err_content_length(void **state)
{
    (void)state;
    static const bad_case_t cases[] = {
        {"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 0x10\r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 1 2\r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5,\r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5, 6\r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
         ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 18446744073709551616\r\n\r\n",
         ORND_ERR_HTTP_CONTENT_LENGTH},
        {"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n",
         ORND_ERR_HTTP_CONTENT_LENGTH},
        /* Also when no body would follow: the message is still malformed. */
        {"HTTP/1.1 204 No Content\r\nContent-Length: x\r\n\r\n", ORND_ERR_HTTP_CONTENT_LENGTH},
    };
    check_bad_cases(cases, sizeof cases / sizeof cases[0]);
}

static void test_err_transfer_encoding(void **state)
{
    (void)state;
    static const bad_case_t cases[] = {
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
         ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
         ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n", ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, chunked\r\n\r\n",
         ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
         ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding:\r\n\r\n", ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: ,\r\n\r\n", ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;q=1\r\n\r\n",
         ORND_ERR_HTTP_TRANSFER_ENCODING},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedx\r\n\r\n", ORND_ERR_HTTP_TRANSFER_ENCODING},
    };
    check_bad_cases(cases, sizeof cases / sizeof cases[0]);
}

#define CHUNKED_HEAD "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"

static void test_err_chunk(void **state)
{
    (void)state;
    static const bad_case_t cases[] = {
        {CHUNKED_HEAD "zz\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD ";ext\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD " 5\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "5x\r\nhello\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "5 x\r\nhello\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "-5\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "0x5\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "5\r\nhelloX\r\n0\r\n\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "5\r\nhello\rX\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "5\rX\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "5;a\x01\r\nhello\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "10000000000000000\r\n", ORND_ERR_HTTP_CHUNK},
        {CHUNKED_HEAD "FFFFFFFFFFFFFFFFF\r\n", ORND_ERR_HTTP_CHUNK},
    };
    check_bad_cases(cases, sizeof cases / sizeof cases[0]);

    /* The largest chunk size that fits in 64 bits is accepted. */
    static const char big[] = CHUNKED_HEAD "FFFFFFFFFFFFFFFF\r\nab";
    const opts_t o = {0};
    run_once(big, sizeof big - 1, &o, &res_a);
    assert_int_equal(res_a.rc, 0);
    assert_int_equal(res_a.cap.body_len, 2);
}

/* A callback's negative return stops the reader and is returned as is. Where
 * it stops depends on the pieces the callback was given, so only one-shot
 * and byte-at-a-time feeding are checked. */
static void check_abort(const char *resp, size_t len, const opts_t *o, int err)
{
    ornd_http_reader_t r;
    reader_start(&r, &res_a, o);
    size_t used = 0;
    assert_int_equal(feed_v(&r, (const uint8_t *)resp, len, &used), err);
    assert_true(used < len);
    assert_int_equal(feed_v(&r, (const uint8_t *)resp, len, &used), err);
    assert_int_equal(used, 0);
    assert_int_equal(eof_v(&r), err);
    run_bytes(resp, len, o, &res_b);
    assert_int_equal(res_b.rc, err);
}

static void test_err_callbacks_abort(void **state)
{
    (void)state;
    /* callbacks return ornd_err_t: any code of it (an enum may be a byte) */
    const opts_t stop_header = {.header_rc = ORND_ERR_STATE};
    check_abort(resp_length, sizeof resp_length - 1, &stop_header, ORND_ERR_STATE);
    assert_int_equal(res_a.cap.field_count, 1);
    assert_int_equal(res_b.cap.field_count, 1);
    assert_int_equal(res_b.used, strlen("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"));

    const opts_t stop_body = {.body_rc = ORND_ERR_NO_MEM};
    check_abort(resp_chunked, sizeof resp_chunked - 1, &stop_body, ORND_ERR_NO_MEM);
    assert_int_equal(res_a.cap.body_calls, 1);
    assert_int_equal(res_a.cap.body_len, 5);
    assert_memory_equal(res_a.cap.body, "hello", 5);
    assert_int_equal(res_b.cap.body_calls, 1);
    assert_int_equal(res_b.cap.body_len, 1);
    assert_int_equal(res_b.used, strstr(resp_chunked, "hello") - resp_chunked + 1);
}

static void test_err_arg(void **state)
{
    (void)state;
    ornd_http_reader_t r;
    ornd_http_reader_init(&r, NULL);
    size_t used = 7;
    assert_int_equal(feed_v(&r, NULL, 3, &used), ORND_ERR_ARG);
    assert_int_equal(used, 0);
    /* Not sticky: the reader was not given anything. */
    assert_int_equal(feed_v(&r, (const uint8_t *)"HTTP/1.1 204 x\r\n\r\n", 18, &used), 1);
    /* no reader at all */
    used = 7;
    assert_int_equal(ornd_http_reader_feed(NULL, (const uint8_t *)"H", 1, &used), ORND_ERR_ARG);
    assert_int_equal(used, 0);
    assert_int_equal(ornd_http_reader_eof(NULL, true), ORND_ERR_ARG);
    assert_false(ornd_http_reader_complete(NULL));
    assert_false(ornd_http_reader_headers_done(NULL));
}

/* Fields asked for with no callback to receive them: read and dropped, the
 * framing fields still act; a NULL name in the list asks for nothing. */
static void test_fields_without_a_callback(void **state)
{
    (void)state;
    static const char *const names[] = {"x-trace", NULL, "content-type"};
    ornd_http_reader_cfg_t cfg = {.fields = names, .field_count = 3};
    ornd_http_reader_t r;
    ornd_http_reader_init(&r, &cfg);
    static const char resp[] = "HTTP/1.1 200 OK\r\nX-Trace: abc\r\nContent-Type: text/plain\r\n"
                               "Retry-After: 5\r\nContent-Length: 2\r\n\r\nokHTTP";
    size_t used = 0;
    assert_int_equal(feed_v(&r, (const uint8_t *)resp, sizeof resp - 1, &used), 1);
    assert_int_equal(used, sizeof resp - 1 - 4);
    assert_int_equal(r.status, 200);
    assert_true(r.has_retry_after);
    assert_int_equal(r.retry_after_s, 5);
    assert_true(r.body_received == 2);
}

/* ---- Body limit --------------------------------------------------------------- */

static void test_body_max_content_length(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n";
    /* Refused at the blank line, before any body byte arrives. */
    const opts_t small = {.body_max = 10};
    check_bad(resp, sizeof resp - 1, ORND_ERR_HTTP_BODY_TOO_LARGE, &small);
    assert_int_equal(res_a.used, sizeof resp - 2); /* the LF that ends the head */
    assert_true(res_a.headers_done);
    assert_int_equal(res_a.status, 200);

    static const char full[] = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789";
    const opts_t exact = {.body_max = 10};
    check_all_splits(full, sizeof full - 1, &exact);
    assert_int_equal(res_a.rc, 1);
    assert_body(&res_a, "0123456789");
}

static void test_body_max_chunked(void **state)
{
    (void)state;
    static const char resp[] = CHUNKED_HEAD "4\r\n0123\r\n6\r\n456789\r\n1\r\nX\r\n0\r\n\r\n";
    const opts_t o = {.body_max = 10};
    check_bad(resp, sizeof resp - 1, ORND_ERR_HTTP_BODY_TOO_LARGE, &o);
    assert_body(&res_a, "0123456789"); /* refused at the size line of the third */

    static const char exact[] = CHUNKED_HEAD "4\r\n0123\r\n6\r\n456789\r\n0\r\n\r\n";
    check_all_splits(exact, sizeof exact - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_body(&res_a, "0123456789");

    static const char one_big[] = CHUNKED_HEAD "B\r\n";
    check_bad(one_big, sizeof one_big - 1, ORND_ERR_HTTP_BODY_TOO_LARGE, &o);
}

static void test_body_max_close_delimited(void **state)
{
    (void)state;
    static const char resp[] = "HTTP/1.1 200 OK\r\n\r\n0123456789X";
    const opts_t o = {.body_max = 10, .eof = true};
    check_bad(resp, sizeof resp - 1, ORND_ERR_HTTP_BODY_TOO_LARGE, &o);
    assert_body(&res_a, "0123456789"); /* the bytes within the limit were passed on */
    assert_int_equal(res_a.used, sizeof resp - 2);

    static const char exact[] = "HTTP/1.1 200 OK\r\n\r\n0123456789";
    check_all_splits(exact, sizeof exact - 1, &o);
    assert_int_equal(res_a.rc, 1);
    assert_body(&res_a, "0123456789");
}

/* ---- Limits ------------------------------------------------------------------- */

static char big[2 * ORND_CONFIG_HTTP_HEADERS_MAX + 4096];

/* Append text to `big` at *len. */
static void big_add(size_t *len, const char *s)
{
    const size_t n = strlen(s);
    assert_true(*len + n < sizeof big);
    memcpy(big + *len, s, n);
    *len += n;
}

/* Append a field line "X-Pad-<i>: vvv..." of exactly `line_len` bytes before
 * its terminator, then the terminator. */
static void big_add_field(size_t *len, size_t i, size_t line_len, const char *eol)
{
    char name[32];
    const int nl = snprintf(name, sizeof name, "X-Pad-%lu: ", (unsigned long)i);
    assert_true(nl > 0 && (size_t)nl <= line_len);
    big_add(len, name);
    for (size_t k = (size_t)nl; k < line_len; k++) {
        big[(*len)++] = 'v';
    }
    big_add(len, eol);
}

/* A field the reader does not use may be of any length: never held. */
static void test_limit_skipped_field_any_length(void **state)
{
    (void)state;
    static const char *const eols[] = {"\r\n", "\n"};
    static const size_t lengths[] = {FIELD_MAX_, FIELD_MAX_ + 1, 8192, 30000};
    for (size_t e = 0; e < 2; e++) {
        for (size_t k = 0; k < sizeof lengths / sizeof lengths[0]; k++) {
            size_t len = 0;
            big_add(&len, "HTTP/1.1 200 OK\r\n");
            big_add_field(&len, 1, lengths[k], eols[e]);
            big_add(&len, "Content-Length: 0\r\nX: y\r\n\r\n");
            const opts_t o = {0};
            check_all_splits(big, len, &o);
            assert_int_equal(res_a.rc, 1);
            assert_fields(&res_a, "x=y\n");
        }
    }
}

/* A used field is held up to FIELD_MAX bytes (after OWS), then refused with
 * its own error at the first byte that does not fit. */
static void test_limit_used_field_exact(void **state)
{
    (void)state;
    for (size_t extra = 0; extra <= 1; extra++) {
        /* a named field (WWW-Authenticate) */
        size_t len = 0;
        big_add(&len, "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate:  ");
        const size_t value_at = len;
        while (len - value_at < FIELD_MAX_ + extra) {
            big[len++] = 'a';
        }
        big_add(&len, "  \r\nContent-Length: 0\r\n\r\n");
        const opts_t o = {0};
        if (extra == 0) {
            check_all_splits(big, len, &o);
            assert_int_equal(res_a.rc, 1);
            assert_int_equal(res_a.cap.fields_len, strlen("www-authenticate=\n") + FIELD_MAX_);
        } else {
            check_bad(big, len, ORND_ERR_HTTP_NAMED_FIELD_TOO_LONG, &o);
            assert_int_equal(res_a.used, value_at + FIELD_MAX_);
            assert_int_equal(res_a.status, 401); /* the status is known */
        }
        /* the reader's own field: Content-Length with leading zeros */
        len = 0;
        big_add(&len, "HTTP/1.1 200 OK\r\nContent-Length: ");
        const size_t cl_at = len;
        while (len - cl_at + 1 < FIELD_MAX_ + extra) {
            big[len++] = '0';
        }
        big_add(&len, "2\r\n\r\nok");
        if (extra == 0) {
            check_all_splits(big, len, &o);
            assert_int_equal(res_a.rc, 1);
            assert_body(&res_a, "ok");
        } else {
            check_bad(big, len, ORND_ERR_HTTP_FIELD_TOO_LONG, &o);
            assert_int_equal(res_a.used, cl_at + FIELD_MAX_);
        }
    }
}

/* A reason phrase of any length is passed over. */
static void test_limit_reason_any_length(void **state)
{
    (void)state;
    size_t len = 0;
    big_add(&len, "HTTP/1.1 429 ");
    while (len < 20000) {
        big[len++] = 'R';
    }
    big_add(&len, "\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n");
    const opts_t o = {0};
    check_all_splits(big, len, &o);
    assert_int_equal(res_a.rc, 1);
    assert_int_equal(res_a.status, 429);
    assert_int_equal(res_a.retry_after_s, 7);
}

static void test_limit_chunk_line_exact(void **state)
{
    (void)state;
    for (size_t extra = 0; extra <= 1; extra++) {
        size_t len = 0;
        big_add(&len, CHUNKED_HEAD "3;ext=");
        const size_t line_start = len - 6;
        while (len - line_start < FIELD_MAX_ + extra) {
            big[len++] = 'e';
        }
        big_add(&len, "\r\nabc\r\n0\r\n\r\n");
        const opts_t o = {0};
        if (extra == 0) {
            check_all_splits(big, len, &o);
            assert_int_equal(res_a.rc, 1);
            assert_body(&res_a, "abc");
        } else {
            check_bad(big, len, ORND_ERR_HTTP_LINE_TOO_LONG, &o);
        }
    }
}

/* Append pad fields totalling exactly `bytes` (CRLFs included, at least
 * 18), each line at most PAD_LINE bytes. */
static void fill_fields(size_t *len, size_t *i, size_t bytes)
{
    assert_true(bytes >= 18);
    while (bytes > 0) {
        size_t line = bytes - 2 > PAD_LINE_ ? PAD_LINE_ : bytes - 2;
        const size_t rest = bytes - (line + 2);
        if (rest > 0 && rest < 18) {
            line -= 18; /* leave room for one more whole field */
        }
        big_add_field(len, (*i)++, line, "\r\n");
        bytes -= line + 2;
    }
}

/* Whether a head of HEADERS_MAX bytes can be made of at most COUNT_MAX - 1
 * fields of at most PAD_LINE bytes (not so with some small configurations). */
static bool bytes_limit_reachable(void)
{
    return (COUNT_MAX_ - 2) * (PAD_LINE_ + 2) > HEADERS_MAX_ + 64;
}

/* Whether COUNT_MAX + 1 short fields fit in HEADERS_MAX bytes. */
static bool count_limit_reachable(void)
{
    return (COUNT_MAX_ + 1) * 14 + 64 < HEADERS_MAX_;
}

/* A head of exactly `total` bytes (status line to blank line), then `tail`. */
static size_t build_head(size_t total, const char *tail)
{
    size_t len = 0;
    size_t i = 0;
    big_add(&len, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n");
    fill_fields(&len, &i, total - len - 2);
    big_add(&len, "\r\n");
    assert_int_equal(len, total);
    big_add(&len, tail);
    return len;
}

static void test_limit_headers_bytes_exact(void **state)
{
    (void)state;
    if (!bytes_limit_reachable()) {
        skip();
    }
    const opts_t o = {0};
    size_t len = build_head(HEADERS_MAX_, "ok");
    check_all_splits(big, len, &o);
    assert_int_equal(res_a.rc, 1);
    assert_body(&res_a, "ok");

    len = build_head(HEADERS_MAX_ + 1, "ok");
    check_bad(big, len, ORND_ERR_HTTP_HEADERS_TOO_LARGE, &o);
    assert_int_equal(res_a.used, HEADERS_MAX_); /* the byte past the limit */
}

static void test_limit_headers_bytes_include_interim(void **state)
{
    (void)state;
    if (!bytes_limit_reachable()) {
        skip();
    }
    const opts_t o = {0};
    size_t len = 0;
    big_add(&len, "HTTP/1.1 100 Continue\r\n\r\n");
    const size_t interim = len;
    size_t rest = build_head(HEADERS_MAX_ - interim + 1, "ok");
    memmove(big + interim, big, rest);
    memcpy(big, "HTTP/1.1 100 Continue\r\n\r\n", interim);
    run_once(big, interim + rest, &o, &res_a);
    assert_int_equal(res_a.rc, ORND_ERR_HTTP_HEADERS_TOO_LARGE);

    rest = build_head(HEADERS_MAX_ - interim, "ok");
    memmove(big + interim, big, rest);
    memcpy(big, "HTTP/1.1 100 Continue\r\n\r\n", interim);
    run_once(big, interim + rest, &o, &res_a);
    assert_int_equal(res_a.rc, 1);
    assert_body(&res_a, "ok");
}

static void test_limit_field_count_exact(void **state)
{
    (void)state;
    if (!count_limit_reachable()) {
        skip();
    }
    for (size_t extra = 0; extra <= 1; extra++) {
        size_t len = 0;
        big_add(&len, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n");
        for (size_t i = 1; i < COUNT_MAX_ + extra; i++) {
            big_add_field(&len, i, 12, "\r\n");
        }
        big_add(&len, "\r\nok");
        const opts_t o = {0};
        if (extra == 0) {
            check_all_splits(big, len, &o);
            assert_int_equal(res_a.rc, 1);
        } else {
            check_bad(big, len, ORND_ERR_HTTP_HEADERS_TOO_LARGE, &o);
        }
    }
}

/* A chunked response whose head and trailers are each near the limits. */
static void test_limit_trailers_exact(void **state)
{
    (void)state;
    if (!bytes_limit_reachable()) {
        skip();
    }
    const opts_t o = {0};
    for (size_t extra = 0; extra <= 1; extra++) {
        /* Head of exactly the limit, then body and trailers of exactly the
         * limit (or one byte more). */
        size_t len = 0;
        size_t i = 0;
        big_add(&len, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n");
        fill_fields(&len, &i, HEADERS_MAX_ - len - 2);
        big_add(&len, "\r\n");
        assert_int_equal(len, HEADERS_MAX_);
        big_add(&len, "2\r\nok\r\n0\r\n");
        const size_t trailers = len;
        fill_fields(&len, &i, HEADERS_MAX_ + extra - 2);
        big_add(&len, "\r\n");
        assert_int_equal(len - trailers, HEADERS_MAX_ + extra);
        if (extra == 0) {
            check_all_splits(big, len, &o);
            assert_int_equal(res_a.rc, 1);
            assert_body(&res_a, "ok");
        } else {
            check_bad(big, len, ORND_ERR_HTTP_HEADERS_TOO_LARGE, &o);
            assert_int_equal(res_a.used, trailers + HEADERS_MAX_);
        }
    }
}

static void test_limit_trailer_count_exact(void **state)
{
    (void)state;
    if (!count_limit_reachable()) {
        skip();
    }
    for (size_t extra = 0; extra <= 1; extra++) {
        size_t len = 0;
        big_add(&len, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n");
        for (size_t i = 1; i < COUNT_MAX_; i++) {
            big_add_field(&len, i, 12, "\r\n");
        }
        big_add(&len, "\r\n1\r\nx\r\n0\r\n");
        for (size_t i = 0; i < COUNT_MAX_ + extra; i++) {
            big_add_field(&len, i, 12, "\r\n");
        }
        big_add(&len, "\r\n");
        const opts_t o = {0};
        if (extra == 0) {
            check_all_splits(big, len, &o);
            assert_int_equal(res_a.rc, 1);
        } else {
            check_bad(big, len, ORND_ERR_HTTP_HEADERS_TOO_LARGE, &o);
        }
    }
}

static void test_endless_interim_is_bounded(void **state)
{
    (void)state;
    size_t len = 0;
    while (len + 32 < sizeof big) {
        big_add(&len, "HTTP/1.1 100 Continue\r\n\r\n");
    }
    const opts_t o = {0};
    run_once(big, len, &o, &res_a);
    assert_int_equal(res_a.rc, ORND_ERR_HTTP_HEADERS_TOO_LARGE);
    assert_int_equal(res_a.used, HEADERS_MAX_);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_content_length),
        cmocka_unit_test(test_read_chunked),
        cmocka_unit_test(test_read_close_delimited),
        cmocka_unit_test(test_read_interim_then_final),
        cmocka_unit_test(test_read_204_no_body),
        cmocka_unit_test(test_read_304_no_body),
        cmocka_unit_test(test_read_head_request),
        cmocka_unit_test(test_read_bare_lf_lines),
        cmocka_unit_test(test_read_status_line_forms),
        cmocka_unit_test(test_read_101_ends_response),
        cmocka_unit_test(test_read_content_length_forms),
        cmocka_unit_test(test_read_content_length_max_value),
        cmocka_unit_test(test_read_cl_with_te_refused),
        cmocka_unit_test(test_obs_fold_is_one_space),
        cmocka_unit_test(test_fold_after_interim_status_line),
        cmocka_unit_test(test_not_http1_refused_at_once),
        cmocka_unit_test(test_close_delimited_needs_clean_close),
        cmocka_unit_test(test_trailers_not_reported),
        cmocka_unit_test(test_read_connection_and_version),
        cmocka_unit_test(test_read_retry_after),
        cmocka_unit_test(test_read_after_complete),
        cmocka_unit_test(test_read_pipelined_not_consumed),
        cmocka_unit_test(test_read_headers_done_with_body),
        cmocka_unit_test(test_cut_content_length),
        cmocka_unit_test(test_cut_chunked),
        cmocka_unit_test(test_cut_interim),
        cmocka_unit_test(test_cut_close_delimited),
        cmocka_unit_test(test_closed_is_sticky),
        cmocka_unit_test(test_err_status_line),
        cmocka_unit_test(test_err_header),
        cmocka_unit_test(test_err_content_length),
        cmocka_unit_test(test_err_transfer_encoding),
        cmocka_unit_test(test_err_chunk),
        cmocka_unit_test(test_err_callbacks_abort),
        cmocka_unit_test(test_err_arg),
        cmocka_unit_test(test_fields_without_a_callback),
        cmocka_unit_test(test_body_max_content_length),
        cmocka_unit_test(test_body_max_chunked),
        cmocka_unit_test(test_body_max_close_delimited),
        cmocka_unit_test(test_limit_skipped_field_any_length),
        cmocka_unit_test(test_limit_used_field_exact),
        cmocka_unit_test(test_limit_reason_any_length),
        cmocka_unit_test(test_limit_chunk_line_exact),
        cmocka_unit_test(test_limit_headers_bytes_exact),
        cmocka_unit_test(test_limit_headers_bytes_include_interim),
        cmocka_unit_test(test_limit_field_count_exact),
        cmocka_unit_test(test_limit_trailers_exact),
        cmocka_unit_test(test_limit_trailer_count_exact),
        cmocka_unit_test(test_endless_interim_is_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
