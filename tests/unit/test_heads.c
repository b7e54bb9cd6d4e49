/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: answers with the heads CDNs and web frameworks really send
 * (shapes of Cloudflare, AWS ALB and CloudFront, Azure Front Door, nginx,
 * Express with helmet, ASP.NET on IIS; single lines of 1, 2, 4 and 8 KB; 40
 * fields; 24 KB heads), each with a 200 token answer, a 401 and a 429 body,
 * read by the token answer parser and by the HTTP reader. Every head gives
 * the outcome the same body gives behind a plain head, fed one byte at a
 * time (every split point at once), at 1460-byte pieces, in one piece, and
 * in two pieces split at every point (every 53rd point past 2 KiB).
 *
 * The same shapes are served over TLS by tests/server/heads.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/core/http_reader.h"
#include "ornd/core/oauth.h"
#include "ornd/error.h"

static char resp[40 * 1024];
static size_t resp_len;
static uint32_t seed;

/* Deterministic filler of cookie / base64url characters. */
static char fill_char(void)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    seed = seed * 1103515245u + 12345u;
    return abc[(seed >> 16) & 63u];
}

static void add(const char *s)
{
    const size_t n = strlen(s);
    assert_true(resp_len + n < sizeof resp);
    memcpy(resp + resp_len, s, n);
    resp_len += n;
}

/* "name: prefix" then filler up to a line of `line` bytes (CRLF excluded). */
static void add_long(const char *name, const char *prefix, size_t line)
{
    const size_t start = resp_len;
    add(name);
    add(": ");
    add(prefix);
    while (resp_len - start < line) {
        resp[resp_len++] = fill_char();
    }
    add("\r\n");
}

static void cloudflare(void)
{
    add("Date: Tue, 01 Dec 2026 08:00:00 GMT\r\nContent-Type: application/json\r\n");
    add("Connection: keep-alive\r\nCF-Ray: 8f1e2d3c4b5a6978-AMS\r\nCF-Cache-Status: DYNAMIC\r\n");
    add_long("Set-Cookie", "__cf_bm=", 620);
    add_long("Set-Cookie", "XSRF-TOKEN=", 400);
    add_long("Set-Cookie", "laravel_session=", 420);
    add("Report-To: {\"endpoints\":[{\"url\":\"https:\\/\\/a.nel.cloudflare.com\\/report\\/v4?s="
        "Zk3YbW1Xq9aB8cD7eF6gH5iJ4kL3mN2oP1qR0sT9uV8wX7yZ6a5b4c3d2e1f0g9h8i7j6k5l4m3n2o1p0q\"}],"
        "\"group\":\"cf-nel\",\"max_age\":604800}\r\n");
    add("NEL: {\"success_fraction\":0,\"report_to\":\"cf-nel\",\"max_age\":604800}\r\n");
    add("Strict-Transport-Security: max-age=31536000; includeSubDomains\r\n");
    add("Vary: Accept-Encoding\r\nServer: cloudflare\r\nalt-svc: h3=\":443\"; ma=86400\r\n");
}

static void aws(void)
{
    add("Content-Type: application/json; charset=utf-8\r\nConnection: keep-alive\r\n");
    add("Date: Tue, 01 Dec 2026 08:00:00 GMT\r\nServer: awselb/2.0\r\n");
    add_long("Set-Cookie", "AWSALB=", 230);
    add_long("Set-Cookie", "AWSALBCORS=", 260);
    add("X-Cache: Miss from cloudfront\r\n");
    add("Via: 1.1 5f0e8b2c1d3a4e6f7a8b9c0d1e2f3a4b.cloudfront.net (CloudFront)\r\n");
    add("X-Amz-Cf-Pop: FRA56-P5\r\n");
    add("X-Amz-Cf-Id: 3nQ7vJ0xWmX2bZ8c_Fq1pLkR9sT4uV6wY0zA2bC4dE6fG8hI0jK2lM==\r\n");
    add("x-amzn-RequestId: 0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e\r\n");
}

static void azure(void)
{
    add("Content-Type: application/json\r\nDate: Tue, 01 Dec 2026 08:00:00 GMT\r\n");
    add("Strict-Transport-Security: max-age=2592000\r\n");
    add_long("X-Azure-Ref", "20261201T080000Z-", 140);
    add("X-Cache: CONFIG_NOCACHE\r\nX-FD-Int-Roxy-PurgeID: 0\r\n");
    add_long("Set-Cookie", "ASLBSA=", 180);
    add_long("Set-Cookie", "ASLBSACORS=", 200);
    add("Accept-Ranges: bytes\r\n");
}

static void nginx(void)
{
    add("Server: nginx/1.24.0\r\nDate: Tue, 01 Dec 2026 08:00:00 GMT\r\n");
    add("Content-Type: application/json\r\nConnection: keep-alive\r\n");
    add("X-Frame-Options: SAMEORIGIN\r\nX-Content-Type-Options: nosniff\r\n");
    add("Cache-Control: no-store\r\nPragma: no-cache\r\n");
}

static void express_helmet(void)
{
    add_long("Content-Security-Policy",
             "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';"
             "frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self' ",
             2100);
    add("Cross-Origin-Opener-Policy: same-origin\r\nCross-Origin-Resource-Policy: same-origin\r\n");
    add("Origin-Agent-Cluster: ?1\r\nReferrer-Policy: no-referrer\r\n");
    add("Strict-Transport-Security: max-age=15552000; includeSubDomains\r\n");
    add("X-Content-Type-Options: nosniff\r\nX-DNS-Prefetch-Control: off\r\n");
    add("X-Download-Options: noopen\r\nX-Frame-Options: SAMEORIGIN\r\n");
    add("X-Permitted-Cross-Domain-Policies: none\r\nX-XSS-Protection: 0\r\n");
    add_long("Permissions-Policy", "accelerometer=(), ambient-light-sensor=(), autoplay=(), ", 700);
    add("Content-Type: application/json; charset=utf-8\r\n");
    add("ETag: W/\"3e8-Zk3YbW1Xq9aB8cD7eF6gH5iJ4kL\"\r\nConnection: keep-alive\r\n");
    add("Keep-Alive: timeout=5\r\n");
}

static void aspnet_iis(void)
{
    add("Cache-Control: no-cache, no-store\r\nPragma: no-cache\r\n");
    add("Content-Type: application/json; charset=utf-8\r\nExpires: -1\r\n");
    add("Server: Microsoft-IIS/10.0\r\n");
    add_long("Set-Cookie", ".AspNetCore.CookiesC1=", 4060);
    add_long("Set-Cookie", ".AspNetCore.CookiesC2=", 3100);
    add("request-context: appId=cid-v1:0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e\r\n");
    add("X-AspNet-Version: 4.0.30319\r\nX-Powered-By: ASP.NET\r\n");
    add("Date: Tue, 01 Dec 2026 08:00:00 GMT\r\n");
}

static size_t single_size;
static void single_line(void)
{
    add("Content-Type: application/json\r\n");
    add_long("Set-Cookie", "session=", single_size);
    add("Server: x\r\n");
}

static void forty_fields(void)
{
    char line[64];
    for (int i = 0; i < 40; i++) {
        snprintf(line, sizeof line, "X-Field-%02d: value number %d\r\n", i, i);
        add(line);
    }
}

static void head_24k(void)
{
    add("Content-Type: application/json\r\nServer: cloudflare\r\n");
    for (int i = 0; i < 6; i++) {
        add_long("Set-Cookie", "chunk=", 3980);
    }
    add_long("Content-Security-Policy", "default-src 'self'; ", 400);
}

static void plain(void)
{
}

typedef struct {
    const char *name;
    void (*fields)(void);
    size_t single; /* for single_line */
} head_t;

static const head_t heads[] = {
    {"plain", plain, 0},
    {"cloudflare", cloudflare, 0},
    {"aws", aws, 0},
    {"azure", azure, 0},
    {"nginx", nginx, 0},
    {"express-helmet", express_helmet, 0},
    {"aspnet-iis", aspnet_iis, 0},
    {"line-1k", single_line, 1024},
    {"line-2k", single_line, 2048},
    {"line-4k", single_line, 4096},
    {"line-8k", single_line, 8192},
    {"40-fields", forty_fields, 0},
    {"24k", head_24k, 0},
};

#define TOKEN_BODY                                                                                 \
    "{\"access_token\":\"eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkb29yIn0.c2ln\",\"token_type\":"          \
    "\"Bearer\",\"expires_in\":3599,\"scope\":\"flex.community.members.read\"}"
#define ERROR_BODY "{\"error\":\"invalid_client\",\"error_description\":\"Unknown client\"}"
#define LIMIT_BODY "{\"message\":\"Too many requests\"}"

/* The answer: status line, the head's fields, the status's own fields,
 * Content-Length or chunked framing, the body. */
static size_t build(const head_t *h, int status, bool chunked)
{
    const char *body = status == 200 ? TOKEN_BODY : status == 401 ? ERROR_BODY : LIMIT_BODY;
    char line[128];
    resp_len = 0;
    seed = 7;
    snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\n", status,
             status == 200   ? "OK"
             : status == 401 ? "Unauthorized"
                             : "Too Many Requests");
    add(line);
    single_size = h->single;
    h->fields();
    if (status == 401) {
        add("WWW-Authenticate: Bearer realm=\"officernd\", error=\"invalid_token\"\r\n");
    }
    if (status == 429) {
        add("Retry-After: 7\r\n");
    }
    if (chunked) {
        add("Transfer-Encoding: chunked\r\n\r\n");
        snprintf(line, sizeof line, "%lx\r\n", (unsigned long)strlen(body)); /* newlib-nano: no %z */
        add(line);
        add(body);
        add("\r\n0\r\n\r\n");
    } else {
        snprintf(line, sizeof line, "Content-Length: %lu\r\n\r\n", (unsigned long)strlen(body));
        add(line);
        add(body);
    }
    return resp_len;
}

static ornd_oauth_parser_t parser;
static ornd_token_t token;
static ornd_server_error_t server;

/* Feed in pieces of `piece` (0: two pieces split at `split`); the outcome. */
static int parse(size_t piece, size_t split)
{
    ornd_oauth_parser_init(&parser, &token, &server);
    ornd_err_t rc = ORND_OK;
    size_t off = 0;
    while (rc == ORND_OK && off < resp_len && !ornd_oauth_complete(&parser)) {
        size_t n = piece != 0 ? piece : (off < split ? split - off : resp_len - off);
        n = n > resp_len - off ? resp_len - off : n;
        rc = ornd_oauth_feed(&parser, (const uint8_t *)resp + off, n);
        off += n;
    }
    if (rc == ORND_OK && !ornd_oauth_complete(&parser)) {
        rc = ornd_oauth_eof(&parser, false);
    }
    return rc != ORND_OK ? rc : ornd_oauth_result(&parser);
}

static void check_outcome(int status, int rc)
{
    switch (status) {
    case 200:
        assert_int_equal(rc, ORND_OK);
        assert_string_equal(token.value, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkb29yIn0.c2ln");
        assert_int_equal(token.expires_in_s, 3599);
        assert_string_equal(token.scope, "flex.community.members.read");
        break;
    case 401:
        assert_int_equal(rc, ORND_ERR_OAUTH_INVALID_CLIENT);
        assert_int_equal(server.http_status, 401);
        assert_string_equal(server.text, "Unknown client");
        break;
    default:
        assert_int_equal(rc, ORND_ERR_RATE_LIMITED);
        assert_int_equal(server.http_status, 429);
        assert_true(server.has_retry_after);
        assert_int_equal(server.retry_after_s, 7);
        assert_string_equal(server.text, "Too many requests");
        break;
    }
}

static void token_answers_behind_real_heads(void **state)
{
    (void)state;
    static const int statuses[] = {200, 401, 429};
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        for (size_t s = 0; s < 3; s++) {
            for (int chunked = 0; chunked <= 1; chunked++) {
                build(&heads[h], statuses[s], chunked != 0);
                assert_true(resp_len <= ORND_CONFIG_HTTP_HEADERS_MAX + 512u);
                check_outcome(statuses[s], parse(resp_len, 0));
                check_outcome(statuses[s], parse(1, 0));
                check_outcome(statuses[s], parse(1460, 0));
                const size_t step = resp_len > 2048 ? 53u : 1u;
                for (size_t split = 0; split <= resp_len; split += step) {
                    check_outcome(statuses[s], parse(0, split));
                }
            }
        }
    }
}

/* The HTTP reader: the status, framing and the named field come out as
 * they would behind a plain head, and none of the skipped fields. */
typedef struct {
    int calls;
    bool invalid_token;
} seen_t;

static ornd_err_t on_field(void *user, size_t index, const char *value, size_t len)
{
    seen_t *s = user;
    assert_int_equal(index, 0);
    s->calls++;
    s->invalid_token = len > 0 && strstr(value, "invalid_token") != NULL;
    return ORND_OK;
}

static void reader_sees_only_what_it_uses(void **state)
{
    (void)state;
    static const char *const want[] = {"www-authenticate"};
    static const int statuses[] = {200, 401, 429};
    for (size_t h = 0; h < sizeof heads / sizeof heads[0]; h++) {
        for (size_t s = 0; s < 3; s++) {
            build(&heads[h], statuses[s], false);
            seen_t seen = {0};
            ornd_http_reader_cfg_t cfg = {
                .fields = want, .field_count = 1, .on_field = on_field, .user = &seen};
            static ornd_http_reader_t r;
            ornd_http_reader_init(&r, &cfg);
            for (size_t i = 0; i < resp_len; i++) {
                assert_int_equal(ornd_http_reader_feed(&r, (const uint8_t *)resp + i, 1, NULL),
                                 ORND_OK);
            }
            assert_true(ornd_http_reader_complete(&r));
            assert_int_equal(r.status, statuses[s]);
            assert_true(r.has_content_length);
            assert_false(r.connection_close);
            assert_int_equal(seen.calls, statuses[s] == 401 ? 1 : 0);
            assert_int_equal(seen.invalid_token, statuses[s] == 401);
            assert_int_equal(r.has_retry_after, statuses[s] == 429);
        }
    }
}

/* Past the head limit the answer is refused, even a 401 behind it is
 * not: the status decides (rejected, not malformed). */
static void head_over_the_limit(void **state)
{
    (void)state;
    static const head_t big = {"big", head_24k, 0};
    build(&big, 200, false);
    /* grow the 24 KB head past the limit with more of the same */
    resp_len = 0;
    seed = 7;
    add("HTTP/1.1 200 OK\r\n");
    while (resp_len < ORND_CONFIG_HTTP_HEADERS_MAX) {
        add_long("Set-Cookie", "chunk=", 3980);
    }
    add("Content-Length: 2\r\n\r\n{}");
    assert_int_equal(parse(1460, 0), ORND_ERR_HTTP_HEADERS_TOO_LARGE);
    memcpy(resp, "HTTP/1.1 401", 12);
    assert_int_equal(parse(1460, 0), ORND_ERR_OAUTH_REJECTED);
    assert_int_equal(server.http_status, 401);
    memcpy(resp, "HTTP/1.1 429", 12);
    assert_int_equal(parse(1, 0), ORND_ERR_RATE_LIMITED);
    memcpy(resp, "HTTP/1.1 503", 12);
    assert_int_equal(parse(1460, 0), ORND_ERR_UNAVAILABLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_answers_behind_real_heads),
        cmocka_unit_test(reader_sees_only_what_it_uses),
        cmocka_unit_test(head_over_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
