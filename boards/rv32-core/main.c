/* SPDX-License-Identifier: MIT */
/*
 * rv32-core image: the ornd-lite core (JSON scanner, HTTP reader/writer,
 * OAuth request and answer, URL parser, field matcher, error names) with no
 * OS and no C library. main() runs the checks below, prints "ok - ..." or
 * "FAIL - ..." for each over semihosting, then "rv32-core: N passed, M
 * failed", and returns M (start.S keeps it in rv32_result and exits with
 * it, which is QEMU's exit status).
 */
#include <stdbool.h>
#include <string.h>

#include "ornd/core/http_writer.h"
#include "ornd/core/oauth.h"
#include "ornd/core/url.h"
#include "ornd/error.h"
#include "ornd/match.h"
#include "semihost.h"

#define ORND_TOKEN_URL "https://identity.officernd.com/oauth/token"

int main(void);
volatile int rv32_result = -1;

static char request[ORND_CONFIG_REQUEST_MAX];
static ornd_oauth_parser_t parser;
static ornd_token_t token;
static ornd_server_error_t server;
static ornd_match_t matcher;

/* Feed `answer` to a fresh parser one byte at a time; the parser's return. */
static int parse_bytewise(const char *answer, size_t len)
{
    ornd_oauth_parser_init(&parser, &token, &server);
    int rc = ORND_OK;
    for (size_t i = 0; rc == ORND_OK && !ornd_oauth_complete(&parser) && i < len; i++) {
        rc = ornd_oauth_feed(&parser, (const uint8_t *)&answer[i], 1);
    }
    return rc == ORND_OK && !ornd_oauth_complete(&parser) ? ornd_oauth_eof(&parser, true) : rc;
}

static bool request_written(void)
{
    static const char id[] = "device-1";
    static const char secret[] = "s3c ret&=";
    static const char scope[] = "flex.community.members.read";
    static const char body[] = "client_id=device-1&client_secret=s3c+ret%26%3D"
                               "&grant_type=client_credentials&scope=flex.community.members.read";
    ornd_oauth_request_t req = {
        .host = "identity.officernd.com",
        .port = 443,
        .path = "/oauth/token",
        .client_id = (const uint8_t *)id,
        .client_id_len = sizeof id - 1u,
        .client_secret = (const uint8_t *)secret,
        .client_secret_len = sizeof secret - 1u,
        .scope = scope,
        .scope_len = sizeof scope - 1u,
    };
    ornd_buf_t b;
    ornd_buf_init(&b, request, sizeof request);
    if (ornd_oauth_write_request(&b, &req) != ORND_OK || b.len < sizeof body) {
        return false;
    }
    return memcmp(request, "POST /oauth/token HTTP/1.1\r\n", 28) == 0 &&
           memcmp(request + b.len - (sizeof body - 1u), body, sizeof body - 1u) == 0;
}

static bool token_answer_parsed(void)
{
    static const char answer[] = "HTTP/1.1 200 OK\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Content-Length: 69\r\n"
                                 "\r\n"
                                 "{\"access_token\":\"abc.def.ghi\",\"token_type\":\"bearer\","
                                 "\"expires_in\":900}";
    return parse_bytewise(answer, sizeof answer - 1u) == ORND_OK &&
           ornd_oauth_result(&parser) == ORND_OK && strcmp(token.value, "abc.def.ghi") == 0 &&
           token.expires_in_s == 900u;
}

static bool chunked_error_answer_parsed(void)
{
    static const char answer[] = "HTTP/1.1 401 Unauthorized\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Transfer-Encoding: chunked\r\n"
                                 "\r\n"
                                 "f\r\n{\"error\":\"inval\r\n"
                                 "b\r\nid_client\"}\r\n"
                                 "0\r\n\r\n";
    return parse_bytewise(answer, sizeof answer - 1u) == ORND_ERR_OAUTH_INVALID_CLIENT &&
           server.http_status == 401 && strcmp(server.error, "invalid_client") == 0 &&
           token.len == 0u;
}

static bool bad_json_refused(void)
{
    static const char answer[] = "HTTP/1.1 200 OK\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Content-Length: 21\r\n"
                                 "\r\n"
                                 "{\"access_token\":\"a\",]";
    return parse_bytewise(answer, sizeof answer - 1u) == ORND_ERR_JSON_SYNTAX;
}

static bool url_parsed(void)
{
    char host[ORND_CONFIG_HOST_MAX + 1];
    char path[ORND_CONFIG_PATH_MAX + 1];
    uint16_t port = 0;
    return ornd_url_parse(ORND_TOKEN_URL, host, sizeof host, &port, path, sizeof path) == ORND_OK &&
           strcmp(host, "identity.officernd.com") == 0 && port == 443 &&
           strcmp(path, "/oauth/token") == 0 &&
           ornd_url_parse("http://x/y", host, sizeof host, &port, path, sizeof path) ==
               ORND_ERR_CONFIG_URL;
}

/* The matcher pulls every results[].email out of a page fed in 3-byte
 * pieces; the emails are counted by their lengths. */
static size_t email_bytes;
static unsigned emails;
static ornd_err_t on_match(void *user, const ornd_match_event_t *ev)
{
    (void)user;
    if (ev->kind != ORND_MATCH_VALUE) {
        return ORND_OK;
    }
    email_bytes += ev->len;
    emails += ev->last ? 1u : 0u;
    return ORND_OK;
}

static bool emails_matched(void)
{
    static const char page[] = "{\"results\":[{\"name\":\"A\",\"email\":\"a@x.io\"},"
                               "{\"email\":\"bb@y.io\",\"tags\":[1,{\"email\":\"no\"}]}],"
                               "\"cursorNext\":null}";
    static const char *const paths[] = {"results[].email"};
    if (ornd_match_init(&matcher, paths, 1, on_match, NULL) != ORND_OK) {
        return false;
    }
    ornd_err_t rc = ORND_OK;
    for (size_t i = 0; rc == ORND_OK && i < sizeof page - 1u; i += 3u) {
        size_t n = sizeof page - 1u - i < 3u ? sizeof page - 1u - i : 3u;
        rc = ornd_match_feed(&matcher, (const uint8_t *)&page[i], n);
    }
    return rc == ORND_OK && ornd_match_finish(&matcher) == ORND_OK && emails == 2u &&
           email_bytes == strlen("a@x.io") + strlen("bb@y.io");
}

static bool error_names(void)
{
    return strcmp(ornd_errname(ORND_ERR_TOKEN_TYPE), "ORND_ERR_TOKEN_TYPE") == 0 &&
           strcmp(ornd_errname(ORND_IN_PROGRESS), "ORND_IN_PROGRESS") == 0 &&
           ornd_err_class(ORND_ERR_TIMEOUT) == ORND_CLASS_NETWORK;
}

static const struct {
    bool (*run)(void);
    const char *name;
} checks[] = {
    {request_written, "token request written, form body percent-encoded"},
    {token_answer_parsed, "token answer parsed one byte at a time"},
    {chunked_error_answer_parsed, "chunked 401 invalid_client answer parsed one byte at a time"},
    {bad_json_refused, "invalid JSON in an answer refused"},
    {url_parsed, "token URL parsed, http:// refused"},
    {emails_matched, "results[].email matched in 3-byte pieces"},
    {error_names, "error names and classes"},
};

/* "N" for a count below 1000. */
static const char *decimal(unsigned n, char buf[4])
{
    char *p = buf + 3;
    *p = '\0';
    do {
        *--p = (char)('0' + n % 10u);
        n /= 10u;
    } while (n != 0u && p > buf);
    return p;
}

int main(void)
{
    unsigned passed = 0, failed = 0;
    for (size_t i = 0; i < sizeof checks / sizeof checks[0]; i++) {
        bool ok = checks[i].run();
        rv32_puts(ok ? "ok   - " : "FAIL - ");
        rv32_puts(checks[i].name);
        rv32_puts("\n");
        passed += ok ? 1u : 0u;
        failed += ok ? 0u : 1u;
    }
    char buf[4];
    rv32_puts("rv32-core: ");
    rv32_puts(decimal(passed, buf));
    rv32_puts(" passed, ");
    rv32_puts(decimal(failed, buf));
    rv32_puts(" failed\n");
    return (int)failed;
}
