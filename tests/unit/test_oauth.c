/* SPDX-License-Identifier: MIT */
/* Unit tests of the token request writer and the token answer parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/core/http_writer.h"
#include "ornd/core/oauth.h"
#include "ornd/error.h"
#include "ornd/version.h"

static ornd_oauth_parser_t parser;
static ornd_token_t token;
static ornd_server_error_t server;

static char response[64 * 1024];

/* Build "HTTP/1.1 <status>\r\n<headers>Content-Length: n\r\n\r\n<body>". */
static size_t build(int status, const char *headers, const char *body)
{
    int n = snprintf(response, sizeof response,
                     "HTTP/1.1 %d Whatever\r\n%sContent-Length: %lu\r\n\r\n%s", status, headers,
                     (unsigned long)strlen(body), body);
    assert_true(n > 0 && (size_t)n < sizeof response);
    return (size_t)n;
}

/* Feed `len` bytes in pieces of `chunk`; then eof if still incomplete. */
static int parse_chunked(const char *data, size_t len, size_t chunk)
{
    ornd_oauth_parser_init(&parser, &token, &server);
    int rc = ORND_OK;
    for (size_t off = 0; off < len && rc == ORND_OK && !ornd_oauth_complete(&parser);
         off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        rc = ornd_oauth_feed(&parser, (const uint8_t *)data + off, n);
    }
    if (rc == ORND_OK && !ornd_oauth_complete(&parser)) {
        rc = ornd_oauth_eof(&parser, true);
    }
    return rc != ORND_OK ? rc : ornd_oauth_result(&parser);
}

static int parse(const char *data, size_t len)
{
    return parse_chunked(data, len, len == 0 ? 1 : len);
}

static int parse_body(int status, const char *headers, const char *body)
{
    size_t n = build(status, headers, body);
    return parse(response, n);
}

#define GOOD_BODY                                                                                  \
    "{\"access_token\":\"eyJhbGciOi.J9-_~+/x==\",\"token_type\":\"Bearer\",\"expires_in\":3599,"   \
    "\"scope\":\"flex.community.members.read\"}"

static void good_answer_every_split(void **state)
{
    (void)state;
    size_t len = build(200, "Content-Type: application/json\r\n", GOOD_BODY);
    char copy[sizeof response];
    memcpy(copy, response, len);
    for (size_t split = 0; split <= len; split++) {
        ornd_oauth_parser_init(&parser, &token, &server);
        int rc = ornd_oauth_feed(&parser, (const uint8_t *)copy, split);
        assert_int_equal(rc, ORND_OK);
        assert_true(!ornd_oauth_complete(&parser) || split == len);
        if (split < len) {
            rc = ornd_oauth_feed(&parser, (const uint8_t *)copy + split, len - split);
        }
        assert_int_equal(rc, ORND_OK);
        assert_true(ornd_oauth_complete(&parser));
        assert_int_equal(ornd_oauth_result(&parser), ORND_OK);
        assert_string_equal(token.value, "eyJhbGciOi.J9-_~+/x==");
        assert_int_equal(token.len, strlen("eyJhbGciOi.J9-_~+/x=="));
        assert_int_equal(token.expires_in_s, 3599);
        assert_true(token.has_scope);
        assert_string_equal(token.scope, "flex.community.members.read");
    }
}

static void good_answer_one_byte_at_a_time(void **state)
{
    (void)state;
    size_t len = build(200, "", GOOD_BODY);
    assert_int_equal(parse_chunked(response, len, 1), ORND_OK);
    assert_string_equal(token.value, "eyJhbGciOi.J9-_~+/x==");
    assert_int_equal(server.http_status, 200);
}

static void cut_at_every_length(void **state)
{
    (void)state;
    size_t len = build(200, "", GOOD_BODY);
    for (size_t cut = 0; cut < len; cut++) {
        int rc = parse(response, cut);
        assert_int_not_equal(rc, ORND_OK);
        assert_true(rc < 0);
    }
    assert_int_equal(parse(response, len), ORND_OK);
}

static void chunked_answer(void **state)
{
    (void)state;
    const char *r = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5;ext=1\r\n{\"acc\r\n"
                    "20\r\ness_token\":\"abc\",\"token_type\":\"b\r\n"
                    "e\r\nEARER\", \"x\":1}\r\n"
                    "0\r\nX-Trailer: yes\r\n\r\n";
    for (size_t chunk = 1; chunk <= strlen(r); chunk++) {
        assert_int_equal(parse_chunked(r, strlen(r), chunk), ORND_OK);
        assert_string_equal(token.value, "abc");
        assert_int_equal(token.expires_in_s, ORND_CONFIG_DEFAULT_EXPIRES_S);
        assert_false(token.has_scope);
    }
}

static void token_type_any_case(void **state)
{
    (void)state;
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"t\",\"token_type\":\"bEaReR\"}"),
                     ORND_OK);
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"t\",\"token_type\":\"mac\"}"),
                     ORND_ERR_TOKEN_TYPE);
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"t\",\"token_type\":\"Bearers\"}"),
                     ORND_ERR_TOKEN_TYPE);
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"t\",\"token_type\":\"Beare\"}"),
                     ORND_ERR_TOKEN_TYPE);
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"t\"}"), ORND_ERR_TOKEN_TYPE);
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"t\",\"token_type\":7}"),
                     ORND_ERR_TOKEN_TYPE);
    /* "Bearer" and then 256 more bytes (the type's length is counted up to
     * 255, never wrapped round to 6) */
    char body[400];
    int n = snprintf(body, sizeof body, "{\"access_token\":\"t\",\"token_type\":\"Bearer");
    memset(body + n, 'r', 256);
    strcpy(body + n + 256, "\"}");
    assert_int_equal(parse_body(200, "", body), ORND_ERR_TOKEN_TYPE);
}

static void expires_in_rules(void **state)
{
    (void)state;
    const char *head = "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"expires_in\":";
    char body[256];
    struct {
        const char *value;
        int rc;
        uint32_t expires;
    } cases[] = {
        {"1", ORND_OK, 1},
        {"3599", ORND_OK, 3599},
        {"86400", ORND_OK, 86400},
        {"86401", ORND_OK, ORND_CONFIG_MAX_EXPIRES_S},
        {"99999999999999999999999", ORND_OK, ORND_CONFIG_MAX_EXPIRES_S},
        {"null", ORND_OK, ORND_CONFIG_DEFAULT_EXPIRES_S},
        {"0", ORND_ERR_TOKEN_EXPIRES, 0},
        {"-5", ORND_ERR_TOKEN_EXPIRES, 0},
        {"3599.5", ORND_ERR_TOKEN_EXPIRES, 0},
        {"1e3", ORND_ERR_TOKEN_EXPIRES, 0},
        {"\"3599\"", ORND_ERR_TOKEN_EXPIRES, 0},
        {"true", ORND_ERR_TOKEN_EXPIRES, 0},
        {"{}", ORND_ERR_TOKEN_EXPIRES, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(body, sizeof body, "%s%s}", head, cases[i].value);
        assert_int_equal(parse_body(200, "", body), cases[i].rc);
        if (cases[i].rc == ORND_OK) {
            assert_int_equal(token.expires_in_s, cases[i].expires);
        }
    }
}

static void nested_and_unknown_members_ignored(void **state)
{
    (void)state;
    const char *body = "{\"x\":{\"access_token\":\"evil\",\"token_type\":\"mac\"},"
                       "\"list\":[{\"access_token\":\"evil2\"},[1,2,{\"scope\":\"s\"}]],"
                       "\"access_token\":\"good\",\"a_very_long_member_name_that_is_not_ours\":1,"
                       "\"token_type\":\"Bearer\",\"extra\":null}";
    assert_int_equal(parse_body(200, "", body), ORND_OK);
    assert_string_equal(token.value, "good");
    assert_false(token.has_scope);

    assert_int_equal(parse_body(200, "",
                                "{\"x\":{\"access_token\":\"evil\"},\"token_type\":"
                                "\"Bearer\"}"),
                     ORND_ERR_TOKEN_MISSING);
    assert_int_equal(parse_body(200, "", "[\"access_token\",\"t\"]"), ORND_ERR_TOKEN_MISSING);
}

static void repeated_or_mistyped_fields(void **state)
{
    (void)state;
    assert_int_equal(parse_body(200, "",
                                "{\"access_token\":\"a\",\"access_token\":\"b\","
                                "\"token_type\":\"Bearer\"}"),
                     ORND_ERR_TOKEN_FIELD);
    assert_int_equal(parse_body(200, "", "{\"access_token\":42,\"token_type\":\"Bearer\"}"),
                     ORND_ERR_TOKEN_FIELD);
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"\",\"token_type\":\"Bearer\"}"),
                     ORND_ERR_TOKEN_MISSING);
    assert_int_equal(parse_body(200, "",
                                "{\"access_token\":\"a\",\"token_type\":\"Bearer\","
                                "\"scope\":[\"x\"]}"),
                     ORND_ERR_TOKEN_FIELD);
    /* a null scope is as if there were none */
    assert_int_equal(parse_body(200, "",
                                "{\"access_token\":\"a\",\"token_type\":\"Bearer\","
                                "\"scope\":null}"),
                     ORND_OK);
    assert_false(token.has_scope);
}

static void token_characters_checked(void **state)
{
    (void)state;
    const char *bad[] = {"a b", "a\\r\\nX-Evil: 1", "a=b", "a\\u0000", "caf\\u00e9", "a\"", "a;b"};
    char body[128];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body, "{\"access_token\":\"%s\",\"token_type\":\"Bearer\"}", bad[i]);
        int rc = parse_body(200, "", body);
        assert_true(rc == ORND_ERR_TOKEN_CHARS || rc == ORND_ERR_JSON_SYNTAX);
    }
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"a==\",\"token_type\":\"Bearer\"}"),
                     ORND_OK);
}

static void token_size_limit_exact(void **state)
{
    (void)state;
    static char body[ORND_CONFIG_TOKEN_MAX + 128];
    char tok[ORND_CONFIG_TOKEN_MAX + 2];
    memset(tok, 'A', sizeof tok - 1u);
    tok[ORND_CONFIG_TOKEN_MAX] = '\0';
    snprintf(body, sizeof body, "{\"access_token\":\"%s\",\"token_type\":\"Bearer\"}", tok);
    assert_int_equal(parse_body(200, "", body), ORND_OK);
    assert_int_equal(token.len, ORND_CONFIG_TOKEN_MAX);
    tok[ORND_CONFIG_TOKEN_MAX] = 'A';
    tok[ORND_CONFIG_TOKEN_MAX + 1] = '\0';
    snprintf(body, sizeof body, "{\"access_token\":\"%s\",\"token_type\":\"Bearer\"}", tok);
    size_t len = build(200, "", body);
    for (size_t chunk = 1; chunk <= 7; chunk += 3) {
        assert_int_equal(parse_chunked(response, len, chunk), ORND_ERR_TOKEN_TOO_LARGE);
    }
}

static void oauth_error_bodies(void **state)
{
    (void)state;
    assert_int_equal(parse_body(401, "",
                                "{\"error\":\"invalid_client\",\"error_description\":"
                                "\"Client authentication failed\"}"),
                     ORND_ERR_OAUTH_INVALID_CLIENT);
    assert_int_equal(server.http_status, 401);
    assert_string_equal(server.error, "invalid_client");
    assert_string_equal(server.text, "Client authentication failed");
    assert_false(server.text_truncated);

    assert_int_equal(parse_body(400, "",
                                "{\"error_description\":\"no\\nway\",\"error\":"
                                "\"invalid_scope\"}"),
                     ORND_ERR_OAUTH_INVALID_SCOPE);
    assert_string_equal(server.text, "no way");

    const struct {
        const char *error;
        int rc;
    } codes[] = {{"invalid_request", ORND_ERR_OAUTH_INVALID_REQUEST},
                 {"invalid_grant", ORND_ERR_OAUTH_INVALID_GRANT},
                 {"unauthorized_client", ORND_ERR_OAUTH_UNAUTHORIZED_CLIENT},
                 {"unsupported_grant_type", ORND_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE},
                 {"something_else", ORND_ERR_OAUTH_REJECTED}};
    char body[128];
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        snprintf(body, sizeof body, "{\"error\":\"%s\"}", codes[i].error);
        assert_int_equal(parse_body(400, "", body), codes[i].rc);
        assert_string_equal(server.error, codes[i].error);
        assert_string_equal(server.text, "");
    }

    /* error fields that are not strings are passed over: the status's outcome */
    assert_int_equal(parse_body(401, "",
                                "{\"error\":42,\"error_description\":[\"x\"],"
                                "\"message\":{\"a\":\"b\"}}"),
                     ORND_ERR_OAUTH_REJECTED);
    assert_string_equal(server.error, "");
    assert_string_equal(server.text, "");
    assert_int_equal(parse_body(400, "", "{\"error\":null,\"error_description\":\"why\"}"),
                     ORND_ERR_OAUTH_REJECTED);
    assert_string_equal(server.error, "");
    assert_string_equal(server.text, "why");
    /* a repeated member of an error answer is ignored: the first counts */
    assert_int_equal(
        parse_body(400, "", "{\"error\":\"invalid_scope\",\"error\":\"invalid_client\"}"),
        ORND_ERR_OAUTH_INVALID_SCOPE);
    assert_string_equal(server.error, "invalid_scope");
}

/* Once the answer is settled (complete or failed), more bytes or the end of
 * the stream change nothing and are not read. */
static void outcome_settled_once(void **state)
{
    (void)state;
    size_t len = build(200, "", GOOD_BODY);
    ornd_oauth_parser_init(&parser, &token, &server);
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)response, len), ORND_OK);
    assert_true(ornd_oauth_complete(&parser));
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)"HTTP/1.1 500", 12), ORND_OK);
    assert_int_equal(ornd_oauth_eof(&parser, false), ORND_OK);
    assert_int_equal(ornd_oauth_result(&parser), ORND_OK);
    assert_string_equal(token.value, "eyJhbGciOi.J9-_~+/x==");

    len = build(200, "", "{\"access_token\":1}");
    ornd_oauth_parser_init(&parser, &token, &server);
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)response, len),
                     ORND_ERR_TOKEN_FIELD);
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)response, len),
                     ORND_ERR_TOKEN_FIELD);
    assert_int_equal(ornd_oauth_eof(&parser, true), ORND_ERR_TOKEN_FIELD);
    assert_int_equal(ornd_oauth_result(&parser), ORND_ERR_TOKEN_FIELD);

    ornd_oauth_parser_init(&parser, &token, &server);
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)"HTTP/1.1 200 OK\r\n", 17), ORND_OK);
    assert_int_equal(ornd_oauth_eof(&parser, true), ORND_ERR_CLOSED);
    assert_int_equal(ornd_oauth_eof(&parser, true), ORND_ERR_CLOSED);
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)"\r\n", 2), ORND_ERR_CLOSED);
}

static void message_and_non_json_bodies(void **state)
{
    (void)state;
    assert_int_equal(parse_body(401, "", "{\"message\":\"Unauthorized\"}"),
                     ORND_ERR_OAUTH_REJECTED);
    assert_string_equal(server.error, "");
    assert_string_equal(server.text, "Unauthorized");

    /* error_description wins over message, in either order */
    assert_int_equal(parse_body(401, "", "{\"message\":\"m\",\"error_description\":\"d\"}"),
                     ORND_ERR_OAUTH_REJECTED);
    assert_string_equal(server.text, "d");
    assert_int_equal(parse_body(401, "", "{\"error_description\":\"d\",\"message\":\"m\"}"),
                     ORND_ERR_OAUTH_REJECTED);
    assert_string_equal(server.text, "d");

    assert_int_equal(
        parse_body(401, "Content-Type: text/html\r\n", "<html>\r\n<b>401</b>\tDenied</html>"),
        ORND_ERR_OAUTH_REJECTED);
    assert_string_equal(server.text, "<html>  <b>401</b> Denied</html>");

    assert_int_equal(parse_body(401, "", ""), ORND_ERR_OAUTH_REJECTED);
    assert_string_equal(server.text, "");
}

static void long_error_text_truncated_and_flagged(void **state)
{
    (void)state;
    static char body[1024];
    char desc[600];
    memset(desc, 'd', sizeof desc - 1u);
    desc[sizeof desc - 1u] = '\0';
    snprintf(body, sizeof body, "{\"error\":\"invalid_client\",\"error_description\":\"%s\"}",
             desc);
    assert_int_equal(parse_body(401, "", body), ORND_ERR_OAUTH_INVALID_CLIENT);
    assert_true(server.text_truncated);
    assert_int_equal(strlen(server.text), ORND_CONFIG_ERROR_TEXT_MAX);

    assert_int_equal(parse_body(503, "", desc), ORND_ERR_UNAVAILABLE);
    assert_true(server.text_truncated);
    assert_int_equal(strlen(server.text), ORND_CONFIG_ERROR_TEXT_MAX);
}

static void try_later_statuses(void **state)
{
    (void)state;
    assert_int_equal(parse_body(429, "Retry-After: 7\r\n",
                                "{\"message\":\"Too many requests, please try again later\"}"),
                     ORND_ERR_RATE_LIMITED);
    assert_true(server.has_retry_after);
    assert_int_equal(server.retry_after_s, 7);
    assert_string_equal(server.text, "Too many requests, please try again later");

    assert_int_equal(parse_body(500, "", "oops"), ORND_ERR_UNAVAILABLE);
    assert_false(server.has_retry_after);
    assert_int_equal(parse_body(503, "Retry-After: 2\r\n", ""), ORND_ERR_UNAVAILABLE);
    assert_int_equal(server.retry_after_s, 2);
    assert_int_equal(parse_body(404, "", "not here"), ORND_ERR_HTTP_STATUS);
    assert_int_equal(server.http_status, 404);
    assert_int_equal(parse_body(204, "", ""), ORND_ERR_HTTP_STATUS);
    assert_int_equal(parse_body(600, "", "beyond 5xx"), ORND_ERR_HTTP_STATUS);
    assert_int_equal(server.http_status, 600);
}

static void malformed_success_bodies(void **state)
{
    (void)state;
    assert_int_equal(parse_body(200, "", "{\"access_token\":\"abc\", "), ORND_ERR_JSON_INCOMPLETE);
    assert_int_equal(parse_body(200, "", "<html>"), ORND_ERR_JSON_SYNTAX);
    assert_int_equal(parse_body(200, "", ""), ORND_ERR_JSON_INCOMPLETE);
    assert_int_equal(parse_body(200, "", GOOD_BODY "x"), ORND_ERR_JSON_SYNTAX);
    const char *garbage = "SSH-2.0-OpenSSH\r\n\r\n";
    int rc = parse(garbage, strlen(garbage));
    assert_int_equal(ornd_err_class(rc), ORND_CLASS_MALFORMED);
}

/* A bad member is reported only once the body has been read: a syntax error
 * after it wins, and the first fault in the text is the one reported, at
 * every chunk size. */
static void first_fault_wins_at_every_chunk_size(void **state)
{
    (void)state;
    static const struct {
        const char *body;
        int rc;
    } cases[] = {
        {"{\"access_token\":\"abc&def\",\"token_type\":\"Bearer\"}", ORND_ERR_TOKEN_CHARS},
        {"{\"access_token\":\"abc&def\",\"token_type\":\"Bearer\"", ORND_ERR_JSON_INCOMPLETE},
        {"{\"access_token\":\"abc&def\x01\",\"token_type\":\"Bearer\"}", ORND_ERR_JSON_SYNTAX},
        {"{\"token_type\":\"Bearer\",\"token_type\":\"Bearer\",\"access_token\":\"a&\"}",
         ORND_ERR_TOKEN_FIELD},
        {"{\"access_token\":\"a\",\"token_type\":\"Basic\",\"expires_in\":-1}",
         ORND_ERR_TOKEN_TYPE},
    };
    char copy[sizeof response];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len = build(200, "", cases[i].body);
        memcpy(copy, response, len);
        for (size_t chunk = 1; chunk <= len; chunk++) {
            assert_int_equal(parse_chunked(copy, len, chunk), cases[i].rc);
            assert_int_equal(token.len, 0); /* nothing of a refused token is kept */
        }
    }
    /* too long, with a bad byte past the limit: the length is the first fault */
    static char body[ORND_CONFIG_TOKEN_MAX + 64];
    int n = snprintf(body, sizeof body, "{\"access_token\":\"%0*d&\",\"token_type\":\"Bearer\"}",
                     (int)ORND_CONFIG_TOKEN_MAX + 1, 0);
    assert_true(n > 0 && (size_t)n < sizeof body);
    size_t len = build(200, "", body);
    memcpy(copy, response, len);
    for (size_t chunk = 1; chunk <= len; chunk += 97) {
        assert_int_equal(parse_chunked(copy, len, chunk), ORND_ERR_TOKEN_TOO_LARGE);
    }
}

/* An error body whose JSON breaks partway: none of its members are trusted
 * and the text is the start of the body, at every chunk size. */
static void broken_json_error_body(void **state)
{
    (void)state;
    size_t len =
        build(401, "", "{\"error\":\"invalid_client\",\"error_description\":\"bad \x93 byte\"}");
    char copy[sizeof response];
    memcpy(copy, response, len);
    for (size_t chunk = 1; chunk <= len; chunk++) {
        assert_int_equal(parse_chunked(copy, len, chunk), ORND_ERR_OAUTH_REJECTED);
        assert_int_equal(server.http_status, 401);
        assert_string_equal(server.error, "");
        assert_string_equal(server.text,
                            "{\"error\":\"invalid_client\",\"error_description\":\"bad ? byte\"}");
    }
}

/* Bytes after a complete response belong to no answer: the outcome is the
 * framed response's, whether they came in the same read or a later one. */
static void bytes_after_the_response_ignored(void **state)
{
    (void)state;
    size_t len = build(200, "", GOOD_BODY);
    memcpy(response + len, "HTTP/1.1", 8);
    assert_int_equal(parse(response, len + 8), ORND_OK);
    size_t elen = build(401, "", "{\"error\":\"invalid_client\"}");
    memcpy(response + elen, "}}}", 3);
    assert_int_equal(parse(response, elen + 3), ORND_ERR_OAUTH_INVALID_CLIENT);
}

static void oversized_body_rejected(void **state)
{
    (void)state;
    char head[128];
    snprintf(head, sizeof head, "HTTP/1.1 200 OK\r\nContent-Length: %u\r\n\r\n",
             ORND_CONFIG_TOKEN_BODY_MAX + 1u);
    assert_int_equal(parse(head, strlen(head)), ORND_ERR_HTTP_BODY_TOO_LARGE);
}

/* The granted scope is checked like a requested one (RFC 6749 §3.3):
 * scope-token characters, single spaces; anything else refuses the answer. */
static void granted_scope_validated(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "a\\u0000b", "a\\u001b[31mb", "a\\u007fb", "caf\\u00e9", "caf\xc3\xa9", "a  b", " a",
        "a ",        "a\\tb",         "a\\\"b",    "a\\\\b",     "\\u0085",
    };
    char body[256];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"scope\":\"%s\"}", bad[i]);
        const size_t len = build(200, "", body);
        for (size_t chunk = 1; chunk <= len; chunk += chunk < 8 ? 1u : 7u) {
            assert_int_equal(parse_chunked(response, len, chunk), ORND_ERR_TOKEN_SCOPE);
            assert_int_equal(token.len, 0); /* nothing of the answer is kept */
            assert_false(token.has_scope);
        }
    }
    static const char *const good[] = {"a", "flex.a.read flex.b:create",
                                       "!#$%&'()*+,-./:;<=>?@[]^_`{|}~", ""};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        snprintf(body, sizeof body,
                 "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"scope\":\"%s\"}", good[i]);
        assert_int_equal(parse_body(200, "", body), ORND_OK);
        assert_string_equal(token.scope, good[i]);
    }
    assert_true(ornd_oauth_scope_valid("a b", 3));
    assert_false(ornd_oauth_scope_valid("a\0b", 3));
    /* a granted scope longer than ORND_CONFIG_SCOPE_MAX does not fit the
     * token: refused, at every chunk size; at the maximum it is taken */
    static char long_body[ORND_CONFIG_SCOPE_MAX + 128];
    for (size_t extra = 0; extra <= 1; extra++) {
        int n = snprintf(long_body, sizeof long_body,
                         "{\"access_token\":\"t\",\"token_type\":\"Bearer\",\"scope\":\"");
        memset(long_body + n, 's', ORND_CONFIG_SCOPE_MAX + extra);
        strcpy(long_body + (size_t)n + ORND_CONFIG_SCOPE_MAX + extra, "\"}");
        const size_t len = build(200, "", long_body);
        for (size_t chunk = 1; chunk <= len; chunk += chunk < 8 ? 1u : 61u) {
            assert_int_equal(parse_chunked(response, len, chunk),
                             extra ? ORND_ERR_TOKEN_FIELD : ORND_OK);
            assert_int_equal(token.len, extra ? 0 : 1);
            assert_int_equal(token.scope_len, extra ? 0 : ORND_CONFIG_SCOPE_MAX);
        }
    }
}

/* Server text for the logs holds no C0 or C1 controls and only valid UTF-8,
 * at every chunk size: controls become spaces, bad bytes '?'. */
static void server_text_cleaned(void **state)
{
    (void)state;
    const size_t len = build(401, "",
                             "{\"error\":\"invalid_client\",\"error_description\":"
                             "\"\\u001b[31mred\\u001b[0m \\u0085next Zo\\u00eb \\u009b2J\"}");
    for (size_t chunk = 1; chunk <= len; chunk++) {
        assert_int_equal(parse_chunked(response, len, chunk), ORND_ERR_OAUTH_INVALID_CLIENT);
        assert_string_equal(server.text, " [31mred [0m  next Zo\xc3\xab  2J");
    }
    /* a body that is not JSON: raw bytes, cut UTF-8 and C1 in raw form */
    const size_t raw = build(503, "", "<h1>Zo\xc3\xab \xc2\x85 \xff\xfe \xe2\x82 \x1b[2J</h1>");
    for (size_t chunk = 1; chunk <= raw; chunk++) {
        assert_int_equal(parse_chunked(response, raw, chunk), ORND_ERR_UNAVAILABLE);
        assert_string_equal(server.text, "<h1>Zo\xc3\xab   ?? ?  [2J</h1>");
    }
}

/* When the final status said no, a broken rest of the answer does not make
 * it "malformed": the status decides. */
static void status_decides_over_a_broken_head(void **state)
{
    (void)state;
    static const struct {
        const char *resp;
        int want;
    } cases[] = {
        {"HTTP/1.1 429 Too Many\r\nRetry-After: 30\r\nBad Name: x\r\n\r\n", ORND_ERR_RATE_LIMITED},
        {"HTTP/1.1 401 No\r\nX: a\x01b\r\n\r\n", ORND_ERR_OAUTH_REJECTED},
        {"HTTP/1.1 403 No\r\nTransfer-Encoding: gzip\r\n\r\n", ORND_ERR_OAUTH_REJECTED},
        {"HTTP/1.1 503 Busy\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
         ORND_ERR_UNAVAILABLE},
        {"HTTP/1.1 502 Bad\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", ORND_ERR_UNAVAILABLE},
        {"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", ORND_ERR_HTTP_HEADER},
        {"HTTP/1.1 404 No\r\nBad Name: x\r\n\r\n", ORND_ERR_HTTP_HEADER},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const size_t len = strlen(cases[i].resp);
        for (size_t chunk = 1; chunk <= len; chunk++) {
            assert_int_equal(parse_chunked(cases[i].resp, len, chunk), cases[i].want);
        }
    }
    assert_int_equal(parse_chunked(cases[0].resp, strlen(cases[0].resp), 3), ORND_ERR_RATE_LIMITED);
    assert_true(server.has_retry_after);
    assert_int_equal(server.retry_after_s, 30);
    /* a close-delimited error body cut without close_notify */
    static const char cut[] = "HTTP/1.1 503 Busy\r\nConnection: close\r\n\r\nlater";
    ornd_oauth_parser_init(&parser, &token, &server);
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)cut, sizeof cut - 1), ORND_OK);
    assert_int_equal(ornd_oauth_eof(&parser, false), ORND_ERR_UNAVAILABLE);
    /* and a close-delimited token answer so cut is never taken */
    static const char tok[] = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" GOOD_BODY;
    ornd_oauth_parser_init(&parser, &token, &server);
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)tok, sizeof tok - 1), ORND_OK);
    assert_int_equal(ornd_oauth_eof(&parser, false), ORND_ERR_TRUNCATED);
    assert_int_equal(token.len, 0);
    ornd_oauth_parser_init(&parser, &token, &server);
    assert_int_equal(ornd_oauth_feed(&parser, (const uint8_t *)tok, sizeof tok - 1), ORND_OK);
    assert_int_equal(ornd_oauth_eof(&parser, true), ORND_OK);
    assert_string_equal(token.value, "eyJhbGciOi.J9-_~+/x==");
}

static void request_bytes_exact(void **state)
{
    (void)state;
    char out[512];
    ornd_buf_t b;
    ornd_buf_init(&b, out, sizeof out);
    const char *secret = "s+/=&% \"'\xc3\xa9";
    ornd_oauth_request_t req = {
        .host = "identity.officernd.com",
        .port = 443,
        .path = "/oauth/token",
        .client_id = (const uint8_t *)"id-1",
        .client_id_len = 4,
        .client_secret = (const uint8_t *)secret,
        .client_secret_len = strlen(secret),
        .scope = "flex.a.read flex.b.create",
        .scope_len = strlen("flex.a.read flex.b.create"),
    };
    assert_int_equal(ornd_oauth_write_request(&b, &req), ORND_OK);
    const char *body = "client_id=id-1&client_secret=s%2B%2F%3D%26%25+%22%27%C3%A9"
                       "&grant_type=client_credentials&scope=flex.a.read+flex.b.create";
    char expect[512];
    snprintf(expect, sizeof expect,
             "POST /oauth/token HTTP/1.1\r\nHost: identity.officernd.com\r\n"
             "User-Agent: ornd-lite/" ORND_VERSION_STRING "\r\nAccept: application/json\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %lu\r\n"
             "Connection: close\r\n\r\n%s",
             (unsigned long)strlen(body), body);
    assert_int_equal(b.len, strlen(expect));
    assert_memory_equal(out, expect, b.len);

    /* no scope: no scope field; too small a buffer: an error, not a cut */
    req.scope_len = 0;
    ornd_buf_init(&b, out, sizeof out);
    assert_int_equal(ornd_oauth_write_request(&b, &req), ORND_OK);
    out[b.len] = '\0';
    assert_null(strstr(out, "scope="));
    assert_non_null(strstr(out, "grant_type=client_credentials"));
    ornd_buf_init(&b, out, 100);
    assert_int_equal(ornd_oauth_write_request(&b, &req), ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(b.len, 0);
    /* room for the head, not for the form: nothing of it is left either */
    const size_t whole = strlen(out);
    const char *form = strstr(out, "\r\n\r\n") + 4;
    ornd_buf_init(&b, out, (size_t)(form - out) + 1u);
    assert_true(b.cap < whole);
    assert_int_equal(ornd_oauth_write_request(&b, &req), ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(b.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(good_answer_every_split),
        cmocka_unit_test(good_answer_one_byte_at_a_time),
        cmocka_unit_test(cut_at_every_length),
        cmocka_unit_test(chunked_answer),
        cmocka_unit_test(token_type_any_case),
        cmocka_unit_test(expires_in_rules),
        cmocka_unit_test(nested_and_unknown_members_ignored),
        cmocka_unit_test(repeated_or_mistyped_fields),
        cmocka_unit_test(token_characters_checked),
        cmocka_unit_test(token_size_limit_exact),
        cmocka_unit_test(oauth_error_bodies),
        cmocka_unit_test(outcome_settled_once),
        cmocka_unit_test(message_and_non_json_bodies),
        cmocka_unit_test(long_error_text_truncated_and_flagged),
        cmocka_unit_test(try_later_statuses),
        cmocka_unit_test(malformed_success_bodies),
        cmocka_unit_test(bytes_after_the_response_ignored),
        cmocka_unit_test(broken_json_error_body),
        cmocka_unit_test(first_fault_wins_at_every_chunk_size),
        cmocka_unit_test(oversized_body_rejected),
        cmocka_unit_test(request_bytes_exact),
        cmocka_unit_test(granted_scope_validated),
        cmocka_unit_test(server_text_cleaned),
        cmocka_unit_test(status_decides_over_a_broken_head),
    };
    return cmocka_run_group_tests_name("oauth", tests, NULL, NULL);
}
