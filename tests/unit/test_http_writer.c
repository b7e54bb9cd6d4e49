/* SPDX-License-Identifier: MIT */
/* Unit tests of the HTTP request writer and the bounded buffer it writes into. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/core/http_writer.h"
#include "ornd/error.h"
#include "ornd/version.h"

/* ======================================================================== */
/* Writer                                                                    */
/* ======================================================================== */

static const char token_head[] = "POST /oauth/token HTTP/1.1\r\n"
                                 "Host: identity.officernd.com\r\n"
                                 "User-Agent: ornd-lite/" ORND_VERSION_STRING "\r\n"
                                 "Accept: application/json\r\n"
                                 "Content-Type: application/x-www-form-urlencoded\r\n"
                                 "Content-Length: 98\r\n"
                                 "Connection: close\r\n"
                                 "\r\n";

static const char *const close_header[] = {"Connection: close"};

static ornd_http_request_t token_request(void)
{
    ornd_http_request_t req = {
        .method = "POST",
        .host = "identity.officernd.com",
        .port = 443,
        .target = "/oauth/token",
        .content_type = "application/x-www-form-urlencoded",
        .content_length = 98,
        .headers = close_header,
        .header_count = 1,
    };
    return req;
}

/* Write a head into a fresh buffer; returns the result code. */
static int head_into(char *out, size_t cap, const ornd_http_request_t *req, size_t *len)
{
    ornd_buf_t b;
    ornd_buf_init(&b, out, cap);
    int rc = ornd_http_write_head(&b, req);
    *len = b.len;
    return rc;
}

static void test_head_token_request_exact(void **state)
{
    (void)state;
    char out[512];
    size_t len;
    ornd_http_request_t req = token_request();
    assert_int_equal(head_into(out, sizeof out, &req, &len), ORND_OK);
    assert_int_equal(len, strlen(token_head));
    assert_memory_equal(out, token_head, len);
}

static void test_head_get_without_body(void **state)
{
    (void)state;
    static const char want[] = "GET /api/v2/ping?x=1 HTTP/1.1\r\n"
                               "Host: example.org\r\n"
                               "User-Agent: ornd-lite/" ORND_VERSION_STRING "\r\n"
                               "Accept: application/json\r\n"
                               "\r\n";
    char out[256];
    size_t len;
    ornd_http_request_t req = {
        .method = "GET", .host = "example.org", .port = 443, .target = "/api/v2/ping?x=1"};
    assert_int_equal(head_into(out, sizeof out, &req, &len), ORND_OK);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(out, want, len);
}

/* The Host line of a GET to host:port. */
static void check_host_line(const char *host, uint16_t port, const char *want_line)
{
    char out[256];
    size_t len;
    ornd_http_request_t req = {.method = "GET", .host = host, .port = port, .target = "/"};
    assert_int_equal(head_into(out, sizeof out, &req, &len), ORND_OK);
    out[len] = '\0';
    const char *line = strstr(out, "\r\nHost: ");
    assert_non_null(line);
    line += 2;
    size_t want_len = strlen(want_line);
    assert_memory_equal(line, want_line, want_len);
    assert_memory_equal(line + want_len, "\r\n", 2);
}

static void test_head_host_port(void **state)
{
    (void)state;
    check_host_line("auth.example.com", 443, "Host: auth.example.com");
    check_host_line("auth.example.com", 8443, "Host: auth.example.com:8443");
    check_host_line("auth.example.com", 80, "Host: auth.example.com:80");
    check_host_line("localhost", 65535, "Host: localhost:65535");
    check_host_line("127.0.0.1", 1, "Host: 127.0.0.1:1");
}

static void test_head_host_ipv6(void **state)
{
    (void)state;
    check_host_line("::1", 443, "Host: [::1]");
    check_host_line("::1", 8443, "Host: [::1]:8443");
    check_host_line("2001:db8::5", 4443, "Host: [2001:db8::5]:4443");
    check_host_line("[2001:db8::5]", 443, "Host: [2001:db8::5]");
    check_host_line("[::1]", 8080, "Host: [::1]:8080");
}

static void check_head_rejected(const ornd_http_request_t *req)
{
    char out[512];
    memset(out, 'Z', sizeof out);
    ornd_buf_t b;
    ornd_buf_init(&b, out, sizeof out);
    assert_int_equal(ornd_http_write_head(&b, req), ORND_ERR_ARG);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.err, ORND_ERR_ARG);
    for (size_t i = 0; i < sizeof out; i++) {
        assert_int_equal(out[i], 'Z');
    }
    /* Sticky: the body cannot follow a refused head. */
    ornd_buf_puts(&b, "x");
    assert_int_equal(b.len, 0);
}

static void test_head_rejects_injection(void **state)
{
    (void)state;
    static const char *const crlf_header[] = {"X-A: 1\r\nX-Injected: 2"};
    static const char *const lf_header[] = {"X-A: 1\nX"};
    static const char *const cr_header[] = {"X-A: 1\rX"};
    static const char *const no_colon[] = {"X-A 1"};
    static const char *const bad_name[] = {"X A: 1"};
    static const char *const empty_name[] = {": 1"};
    static const char *const null_header[] = {NULL};
    ornd_http_request_t req;

    req = token_request();
    req.method = "PO\r\nST";
    check_head_rejected(&req);
    req = token_request();
    req.method = "PO ST";
    check_head_rejected(&req);
    req = token_request();
    req.method = "";
    check_head_rejected(&req);
    req = token_request();
    req.method = "GET(";
    check_head_rejected(&req);
    req = token_request();
    req.method = NULL;
    check_head_rejected(&req);

    req = token_request();
    req.host = "evil.com\r\nX-Injected: 1";
    check_head_rejected(&req);
    req = token_request();
    req.host = "evil.com\n";
    check_head_rejected(&req);
    req = token_request();
    req.host = "a b";
    check_head_rejected(&req);
    req = token_request();
    req.host = "";
    check_head_rejected(&req);

    req = token_request();
    req.target = "/oauth/token HTTP/1.1\r\nX-Injected: 1\r\n";
    check_head_rejected(&req);
    req = token_request();
    req.target = "/a\rb";
    check_head_rejected(&req);
    req = token_request();
    req.target = "oauth/token";
    check_head_rejected(&req);
    req = token_request();
    req.target = "";
    check_head_rejected(&req);
    req = token_request();
    req.target = "http://x/y";
    check_head_rejected(&req);

    req = token_request();
    req.content_type = "text/plain\r\nX-Injected: 1";
    check_head_rejected(&req);
    req = token_request();
    req.content_type = "";
    check_head_rejected(&req);

    req = token_request();
    req.headers = crlf_header;
    check_head_rejected(&req);
    req.headers = lf_header;
    check_head_rejected(&req);
    req.headers = cr_header;
    check_head_rejected(&req);
    req.headers = no_colon;
    check_head_rejected(&req);
    req.headers = bad_name;
    check_head_rejected(&req);
    req.headers = empty_name;
    check_head_rejected(&req);
    req.headers = null_header;
    check_head_rejected(&req);
    req.headers = NULL;
    check_head_rejected(&req);

    req = token_request();
    req.port = 0;
    check_head_rejected(&req);
}

static void test_head_accepts_tab_and_obs_text_in_header(void **state)
{
    (void)state;
    static const char *const hdrs[] = {"X-Tab:\tvalue", "X-Utf8: caf\xC3\xA9"};
    char out[512];
    size_t len;
    ornd_http_request_t req = token_request();
    req.headers = hdrs;
    req.header_count = 2;
    assert_int_equal(head_into(out, sizeof out, &req, &len), ORND_OK);
    out[len] = '\0';
    assert_non_null(strstr(out, "\r\nX-Tab:\tvalue\r\nX-Utf8: caf\xC3\xA9\r\n\r\n"));
}

static void test_buf_put_and_size(void **state)
{
    (void)state;
    char out[40];
    ornd_buf_t b;
    ornd_buf_init(&b, out, sizeof out);
    ornd_buf_put_size(&b, 0);
    ornd_buf_puts(&b, ",");
    ornd_buf_put_size(&b, 7);
    ornd_buf_puts(&b, ",");
    ornd_buf_put_size(&b, 4294967295u);
    ornd_buf_put(&b, "", 0);
    ornd_buf_put(&b, NULL, 0);
    assert_int_equal(b.err, ORND_OK);
    assert_int_equal(b.len, 14);
    assert_memory_equal(out, "0,7,4294967295", 14);
    /* the largest size_t of the target, 32 or 64 bits */
    const char *max = SIZE_MAX == UINT32_MAX ? "4294967295" : "18446744073709551615";
    ornd_buf_put_size(&b, SIZE_MAX);
    assert_int_equal(b.err, ORND_OK);
    assert_int_equal(b.len, 14 + strlen(max));
    assert_memory_equal(out + 14, max, strlen(max));
}

static void test_buf_overflow_is_sticky(void **state)
{
    (void)state;
    char out[8 + 4];
    memset(out, '#', sizeof out);
    ornd_buf_t b;
    ornd_buf_init(&b, out, 8);
    ornd_buf_puts(&b, "12345");
    ornd_buf_puts(&b, "6789"); /* does not fit: nothing of it is written */
    assert_int_equal(b.err, ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(b.len, 5);
    ornd_buf_puts(&b, "6"); /* would fit, but the error is sticky */
    ornd_buf_put_size(&b, 1);
    assert_int_equal(b.len, 5);
    assert_memory_equal(out, "12345###", 8);
    assert_memory_equal(out + 8, "####", 4);

    ornd_buf_init(&b, out, 8);
    ornd_buf_puts(&b, "12345678"); /* exactly full */
    assert_int_equal(b.err, ORND_OK);
    assert_int_equal(b.len, 8);
    ornd_buf_put_size(&b, 0);
    assert_int_equal(b.err, ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(b.len, 8);
    assert_memory_equal(out + 8, "####", 4);

    ornd_buf_init(&b, NULL, 100); /* no storage: nothing fits */
    ornd_buf_puts(&b, "a");
    assert_int_equal(b.err, ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(b.len, 0);
}

static void test_buf_null_data_is_arg(void **state)
{
    (void)state;
    char out[8];
    ornd_buf_t b;
    ornd_buf_init(&b, out, sizeof out);
    ornd_buf_put(&b, NULL, 3);
    assert_int_equal(b.err, ORND_ERR_ARG);
    assert_int_equal(b.len, 0);
    ornd_buf_init(&b, out, sizeof out);
    ornd_buf_puts(&b, NULL);
    assert_int_equal(b.err, ORND_ERR_ARG);
    /* a failed buffer keeps its first error */
    ornd_buf_init(&b, out, 2);
    ornd_buf_puts(&b, "abc");
    ornd_buf_puts(&b, NULL);
    ornd_buf_put(&b, NULL, 1);
    assert_int_equal(b.err, ORND_ERR_BUF_TOO_SMALL);
    /* no buffer at all: nothing happens */
    ornd_buf_put(NULL, "x", 1);
    ornd_buf_puts(NULL, "x");
    ornd_buf_puts(NULL, NULL);
}

/* ornd_buf_claim: room handed out while it fits; after an error nothing
 * more, and the first error stays. */
static void test_buf_claim(void **state)
{
    (void)state;
    char out[8];
    ornd_buf_t b;
    ornd_buf_init(&b, out, sizeof out);
    assert_ptr_equal(ornd_buf_claim(&b, 3), out);
    assert_ptr_equal(ornd_buf_claim(&b, 5), out + 3);
    assert_int_equal(b.len, 8);
    assert_null(ornd_buf_claim(&b, 1));
    assert_int_equal(b.err, ORND_ERR_BUF_TOO_SMALL);
    ornd_buf_init(&b, out, sizeof out);
    ornd_buf_puts(&b, NULL);
    assert_null(ornd_buf_claim(&b, 1)); /* room left, but the buffer failed */
    assert_int_equal(b.err, ORND_ERR_ARG);
    assert_int_equal(b.len, 0);
}

/* A head into no buffer, or into one that already failed: that error, and
 * nothing written. */
static void test_head_into_a_failed_buffer(void **state)
{
    (void)state;
    ornd_http_request_t req = token_request();
    assert_int_equal(ornd_http_write_head(NULL, &req), ORND_ERR_ARG);
    char out[512];
    ornd_buf_t b;
    ornd_buf_init(&b, out, sizeof out);
    ornd_buf_puts(&b, "12");
    ornd_buf_put(&b, NULL, 1);
    assert_int_equal(ornd_http_write_head(&b, &req), ORND_ERR_ARG);
    assert_int_equal(b.len, 2);
    ornd_buf_init(&b, out, 4);
    ornd_buf_puts(&b, "12345");
    assert_int_equal(ornd_http_write_head(&b, &req), ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(b.len, 0);
    assert_int_equal(ornd_http_write_head(&b, NULL), ORND_ERR_BUF_TOO_SMALL); /* the first */
}

/* Encode one field into a string (NUL-terminated); returns its length. */
static size_t form_one(const char *name, const uint8_t *v, size_t n, char *out, size_t cap)
{
    ornd_form_field_t f = {name, v, n};
    ornd_buf_t b;
    ornd_buf_init(&b, out, cap - 1);
    ornd_form_write(&b, &f, 1);
    assert_int_equal(b.err, ORND_OK);
    assert_int_equal(b.len, ornd_form_length(&f, 1));
    out[b.len] = '\0';
    return b.len;
}

static void test_form_secret_encoding(void **state)
{
    (void)state;
    static const uint8_t secret[] = "a+b/c=d&e%f g\"h'i\x00j\x7F\xC3\xA9\xFFz*-._~!";
    static const char want[] =
        "client_secret=a%2Bb%2Fc%3Dd%26e%25f+g%22h%27i%00j%7F%C3%A9%FFz*-._%7E%21";
    char out[256];
    size_t len = form_one("client_secret", secret, sizeof secret - 1, out, sizeof out);
    assert_int_equal(len, strlen(want));
    assert_string_equal(out, want);
}

static void test_form_every_byte(void **state)
{
    (void)state;
    for (unsigned c = 0; c < 256; c++) {
        const uint8_t v = (uint8_t)c;
        char out[16];
        char want[16];
        form_one("k", &v, 1, out, sizeof out);
        const bool keep = (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
                          (c >= 'a' && c <= 'z') || c == '*' || c == '-' || c == '.' || c == '_';
        if (keep) {
            snprintf(want, sizeof want, "k=%c", (char)c);
        } else if (c == ' ') {
            snprintf(want, sizeof want, "k=+");
        } else {
            snprintf(want, sizeof want, "k=%%%02X", c);
        }
        assert_string_equal(out, want);
    }
}

static void test_form_several_fields(void **state)
{
    (void)state;
    static const char id[] = "my id";
    static const char grant[] = "client_credentials";
    static const char scope[] = "flex.community.members.read flex.x";
    ornd_form_field_t f[] = {
        {"client_id", (const uint8_t *)id, sizeof id - 1},
        {"grant_type", (const uint8_t *)grant, sizeof grant - 1},
        {"scope", (const uint8_t *)scope, sizeof scope - 1},
        {"empty", NULL, 0},
        {"we ird&", (const uint8_t *)"", 0},
    };
    static const char want[] = "client_id=my+id&grant_type=client_credentials"
                               "&scope=flex.community.members.read+flex.x&empty=&we+ird%26=";
    char out[256];
    ornd_buf_t b;
    ornd_buf_init(&b, out, sizeof out);
    ornd_form_write(&b, f, 5);
    assert_int_equal(b.err, ORND_OK);
    assert_int_equal(b.len, strlen(want));
    assert_int_equal(ornd_form_length(f, 5), strlen(want));
    assert_memory_equal(out, want, b.len);

    assert_int_equal(ornd_form_length(f, 0), 0);
    ornd_buf_init(&b, out, sizeof out);
    ornd_form_write(&b, f, 0);
    assert_int_equal(b.err, ORND_OK);
    assert_int_equal(b.len, 0);
    /* no fields at all: an empty form */
    assert_int_equal(ornd_form_length(NULL, 0), 0);
    ornd_form_write(&b, NULL, 0);
    assert_int_equal(b.err, ORND_OK);
    assert_int_equal(b.len, 0);
}

static void test_form_null_value_with_length_is_arg(void **state)
{
    (void)state;
    ornd_form_field_t f = {"a", NULL, 3};
    char out[32];
    ornd_buf_t b;
    ornd_buf_init(&b, out, sizeof out);
    ornd_form_write(&b, &f, 1);
    assert_int_equal(b.err, ORND_ERR_ARG);
    assert_int_equal(b.len, 0);
    ornd_buf_init(&b, out, sizeof out);
    ornd_form_write(&b, NULL, 2);
    assert_int_equal(b.err, ORND_ERR_ARG);
}

/* A small deterministic generator for pseudo-random inputs. */
static uint32_t lcg_next(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s >> 8;
}

static void test_form_length_matches_write(void **state)
{
    (void)state;
    static uint8_t vals[3][64];
    static char out[1024];
    uint32_t seed = 12345u;
    for (int round = 0; round < 2000; round++) {
        ornd_form_field_t f[3];
        static const char *const names[] = {"client_id", "a b", "x+y", "", "scope"};
        const size_t count = lcg_next(&seed) % 4u;
        for (size_t i = 0; i < count; i++) {
            const size_t n = lcg_next(&seed) % 64u;
            for (size_t j = 0; j < n; j++) {
                vals[i][j] = (uint8_t)lcg_next(&seed);
            }
            f[i].name = names[lcg_next(&seed) % 5u];
            f[i].value = vals[i];
            f[i].value_len = n;
        }
        ornd_buf_t b;
        ornd_buf_init(&b, out, sizeof out);
        ornd_form_write(&b, f, count);
        assert_int_equal(b.err, ORND_OK);
        assert_int_equal(b.len, ornd_form_length(f, count));
    }
}

/* Head plus form body as the token request is written, into `cap` bytes. */
static int write_token_request(char *out, size_t cap, size_t *len)
{
    static const char id[] = "5f2b6c0e8a1d4b3c9e7f0a12";
    static const uint8_t secret[] = "s3cr+t/=&% \"'\x00\x7F\xC3\xA9\xFF";
    static const char grant[] = "client_credentials";
    ornd_form_field_t f[] = {
        {"client_id", (const uint8_t *)id, sizeof id - 1},
        {"client_secret", secret, sizeof secret - 1},
        {"grant_type", (const uint8_t *)grant, sizeof grant - 1},
    };
    ornd_http_request_t req = token_request();
    req.content_length = ornd_form_length(f, 3);
    ornd_buf_t b;
    ornd_buf_init(&b, out, cap);
    int rc = ornd_http_write_head(&b, &req);
    ornd_form_write(&b, f, 3);
    *len = b.len;
    return rc != ORND_OK ? rc : b.err;
}

static void test_request_overflow_every_capacity(void **state)
{
    (void)state;
    static char full[1024];
    static char out[1024 + 16];
    size_t full_len;
    assert_int_equal(write_token_request(full, sizeof full, &full_len), ORND_OK);
    for (size_t cap = 0; cap <= full_len; cap++) {
        memset(out, 0x5A, sizeof out);
        size_t len;
        int rc = write_token_request(out, cap, &len);
        for (size_t g = cap; g < sizeof out; g++) {
            assert_int_equal((unsigned char)out[g], 0x5A); /* nothing past cap */
        }
        assert_true(len <= cap);
        if (cap == full_len) {
            assert_int_equal(rc, ORND_OK);
            assert_int_equal(len, full_len);
            assert_memory_equal(out, full, full_len);
        } else {
            assert_int_equal(rc, ORND_ERR_BUF_TOO_SMALL);
            /* Head and body are each all or nothing. */
            const size_t head_len = (size_t)(strstr(full, "\r\n\r\n") - full) + 4u;
            assert_int_equal(len, cap >= head_len ? head_len : 0u);
            assert_memory_equal(out, full, len);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_head_token_request_exact),
        cmocka_unit_test(test_head_get_without_body),
        cmocka_unit_test(test_head_host_port),
        cmocka_unit_test(test_head_host_ipv6),
        cmocka_unit_test(test_head_rejects_injection),
        cmocka_unit_test(test_head_accepts_tab_and_obs_text_in_header),
        cmocka_unit_test(test_buf_put_and_size),
        cmocka_unit_test(test_buf_overflow_is_sticky),
        cmocka_unit_test(test_buf_null_data_is_arg),
        cmocka_unit_test(test_buf_claim),
        cmocka_unit_test(test_head_into_a_failed_buffer),
        cmocka_unit_test(test_form_secret_encoding),
        cmocka_unit_test(test_form_every_byte),
        cmocka_unit_test(test_form_several_fields),
        cmocka_unit_test(test_form_null_value_with_length_is_arg),
        cmocka_unit_test(test_form_length_matches_write),
        cmocka_unit_test(test_request_overflow_every_capacity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
