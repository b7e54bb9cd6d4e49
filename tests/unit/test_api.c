/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of API requests (src/api.c) over the scripted TLS of
 * fake_tls.c: keep-alive, 401 refresh, status mapping, stale connections,
 * and that nothing is sent twice when its outcome is unknown.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fake_tls.h"
#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/pages.h"

static ornd_client_t client;
static ornd_api_t api;

/* What the handler received. */
typedef struct {
    char body[8192];
    size_t len;
    unsigned calls;
    int fail_with;
} sink_t;
static sink_t sink;

static ornd_err_t to_sink(void *user, const uint8_t *data, size_t len)
{
    sink_t *s = user;
    s->calls++;
    if (s->fail_with != 0) {
        return s->fail_with;
    }
    assert_true(s->len + len < sizeof s->body);
    memcpy(s->body + s->len, data, len);
    s->len += len;
    s->body[s->len] = '\0';
    return ORND_OK;
}

static const ornd_api_handler_t handler = {.on_body = to_sink, .user = &sink, .body_max = 0};

#define OK_ANSWER(body) \
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " #body "\r\n\r\n"
#define ANSWER_200 "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"results\":[1]}"
#define ANSWER_201 "HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n{\"_id\":\"c\"}"
#define ANSWER_401                                                                  \
    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n" \
    "Content-Length: 26\r\n\r\n{\"message\":\"Unauthorized\"}"

/* A client and its API connection over `port`; timeout_ms 0: the default. */
static int init_over(const ornd_transport_t *transport, uint32_t timeout_ms)
{
    static const uint8_t ca[] = "not parsed by the fake";
    ornd_settings_t s = {.platform = &fake_platform,
                         .transport = transport,
                         .token_url = "https://id.example/oauth/token",
                         .client_id = "dev",
                         .client_secret = "secret",
                         .scope = "flex.community.members.read",
                         .ca = ca,
                         .ca_len = sizeof ca,
                         .timeout_ms = timeout_ms};
    if (ornd_client_init(&client, &s) != ORND_OK) {
        return -1;
    }
    ornd_api_settings_t as = {.transport = transport,
                              .client = &client,
                              .api_url = "https://" FAKE_API_HOST "/api/v2/organizations/",
                              .org = "acme"};
    return ornd_api_init(&api, &as) == ORND_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    fake_reset();
    memset(&sink, 0, sizeof sink);
    fake_clock_ms = 5000;
    return init_over(&fake_transport, 0);
}

static int teardown(void **state)
{
    (void)state;
    ornd_api_release(&api);
    ornd_client_release(&client);
    fake_time_known = true;
    return 0;
}

static unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

/* ---- tests ----------------------------------------------------------------- */

static void requests_share_one_connection_and_one_token(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200, ANSWER_200, ANSWER_200}};
    ornd_api_result_t res;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ornd_api_request(&api, "GET", "/members?$limit=1", NULL, 0, &handler, &res),
                         ORND_OK);
        assert_int_equal(res.status, 200);
        assert_int_equal(res.sends, 1);
        assert_int_equal(res.reused, i > 0);
        assert_int_equal(res.body_bytes, 15);
    }
    assert_int_equal(fake.api_conn_count, 1);
    assert_int_equal(fake.token_requests, 1);
    assert_string_equal(sink.body, "{\"results\":[1]}{\"results\":[1]}{\"results\":[1]}");
    assert_int_equal(count(fake.sent, "GET /api/v2/organizations/acme/members?$limit=1 HTTP/1.1\r\n"),
                     3);
    assert_int_equal(count(fake.sent, "\r\nHost: api.example\r\n"), 3);
    assert_int_equal(count(fake.sent, "\r\nAuthorization: Bearer tok-1\r\n\r\n"), 3);
    assert_int_equal(count(fake.sent, "Content-Length"), 0);
    assert_int_equal(ornd_api_connections(&api), 1);
}

static void body_sent_as_json_with_exact_length(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_201}};
    static const char body[] = "{\"member\":\"m1\",\"location\":\"l1\"}";
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)body,
                                      sizeof body - 1u, &handler, &res),
                     ORND_OK);
    assert_int_equal(res.status, 201);
    assert_string_equal(sink.body, "{\"_id\":\"c\"}");
    assert_non_null(strstr(fake.sent, "POST /api/v2/organizations/acme/checkins HTTP/1.1\r\n"));
    assert_non_null(strstr(fake.sent, "\r\nContent-Type: application/json\r\nContent-Length: 31\r\n"));
    size_t n = strlen(fake.sent);
    assert_true(n > sizeof body);
    assert_string_equal(fake.sent + n - (sizeof body - 1u), body);
    assert_non_null(strstr(fake.sent, "Bearer tok-1\r\n\r\n{\"member\""));
}

static void unauthorized_refreshes_token_once(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_401, ANSWER_200}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2, &handler,
                                      &res),
                     ORND_OK);
    assert_int_equal(res.status, 200);
    assert_int_equal(res.token_refreshes, 1);
    assert_int_equal(res.sends, 2);
    assert_true(res.invalid_token);
    assert_int_equal(fake.token_requests, 2);
    assert_int_equal(fake.api_conn_count, 1); /* the 401 left the connection usable */
    assert_string_equal(sink.body, "{\"results\":[1]}"); /* the 401 body is not the caller's */
    assert_int_equal(count(fake.sent, "Bearer tok-1\r\n"), 1);
    assert_int_equal(count(fake.sent, "Bearer tok-2\r\n"), 1);
}

static void second_unauthorized_is_an_error(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_401, ANSWER_401, ANSWER_200}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/members", NULL, 0, &handler, &res),
                     ORND_ERR_API_UNAUTHORIZED);
    assert_int_equal(res.status, 401);
    assert_int_equal(res.sends, 2);
    assert_int_equal(fake.token_requests, 2);
    assert_string_equal(res.error_text, "{\"message\":\"Unauthorized\"}");
    assert_int_equal(sink.calls, 0);
}

static void statuses_map_to_errors_without_retry(void **state)
{
    (void)state;
    static const struct {
        const char *answer;
        int rc;
        int status;
    } cases[] = {
        {"HTTP/1.1 403 Forbidden\r\nContent-Length: 24\r\n\r\n{\"message\":\"Forbidden\"}\n",
         ORND_ERR_API_FORBIDDEN, 403},
        {"HTTP/1.1 429 Too Many\r\nRetry-After: 7\r\nContent-Length: 0\r\n\r\n",
         ORND_ERR_RATE_LIMITED, 429},
        {"HTTP/1.1 503 Unavailable\r\nRetry-After: 30\r\nContent-Length: 0\r\n\r\n",
         ORND_ERR_UNAVAILABLE, 503},
        {"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nno\x01such\tx", ORND_ERR_API_REJECTED,
         404},
        {"HTTP/1.1 302 Found\r\nContent-Length: 0\r\n\r\n", ORND_ERR_HTTP_STATUS, 302},
    };
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        fake.api_conns[0].answers[i] = cases[i].answer;
    }
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ornd_api_result_t res;
        assert_int_equal(ornd_api_request(&api, "GET", "/x", NULL, 0, &handler, &res), cases[i].rc);
        assert_int_equal(res.status, cases[i].status);
        assert_int_equal(res.sends, 1);
        if (cases[i].status == 429) {
            assert_true(res.has_retry_after);
            assert_int_equal(res.retry_after_s, 7);
        }
        if (cases[i].status == 404) {
            assert_string_equal(res.error_text, "no such x"); /* controls as spaces */
        }
    }
    assert_int_equal(fake.token_requests, 1);
    assert_int_equal(fake.api_conn_count, 1);
    assert_int_equal(sink.calls, 0);
}

static void idle_connection_closed_by_server_is_reopened(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200}};
    fake.api_conns[1] = (fake_conn_t){.answers = {ANSWER_201}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    fake.api_conns[0].closed_when_idle = true; /* the server's idle timeout */
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2,
                                      &handler, &res),
                     ORND_OK);
    assert_int_equal(res.sends, 1); /* found closed before sending: sent once */
    assert_false(res.reused);
    assert_int_equal(fake.api_conn_count, 2);
    assert_int_equal(fake.api_requests, 2);
}

static void get_resent_when_kept_connection_breaks_before_answer(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200, "<CLOSE>"}};
    fake.api_conns[1] = (fake_conn_t){.answers = {ANSWER_200}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(res.sends, 2);
    assert_true(res.reused);
    assert_int_equal(fake.api_conn_count, 2);
    assert_int_equal(fake.api_requests, 3);
}

static void post_not_resent_when_outcome_unknown(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200, "<CLOSE>"}};
    fake.api_conns[1] = (fake_conn_t){.answers = {ANSWER_201}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2,
                                      &handler, &res),
                     ORND_ERR_OUTCOME_UNKNOWN);
    assert_int_equal(res.sends, 1);
    assert_int_equal(fake.api_requests, 2);
    assert_int_equal(fake.api_conn_count, 1);
    /* on a fresh connection too: reset after the request went out */
    fake.api_conns[1] = (fake_conn_t){.answers = {"<RESET>"}};
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2,
                                      &handler, &res),
                     ORND_ERR_OUTCOME_UNKNOWN);
    assert_int_equal(res.sends, 1);
    assert_int_equal(fake.api_requests, 3);
    /* a GET on a fresh connection that breaks: the network error, not resent */
    fake.api_conns[2] = (fake_conn_t){.answers = {"<RESET>"}};
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_ERR_NET);
    assert_int_equal(res.sends, 1);
    assert_int_equal(fake.api_requests, 4);
}

static void failed_connect_sends_nothing(void **state)
{
    (void)state;
    fake.api_connect_rc = ORND_ERR_CONNECT;
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2,
                                      &handler, &res),
                     ORND_ERR_CONNECT);
    assert_int_equal(res.sends, 0);
    assert_int_equal(fake.api_requests, 0);
}

static void connection_close_answer_is_not_reused(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){
        .answers = {"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}"}};
    fake.api_conns[1] = (fake_conn_t){.answers = {ANSWER_200}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_request(&api, "GET", "/b", NULL, 0, &handler, &res), ORND_OK);
    assert_false(res.reused);
    assert_int_equal(fake.api_conn_count, 2);
}

static void handler_error_stops_and_closes(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200}};
    fake.api_conns[1] = (fake_conn_t){.answers = {ANSWER_200}};
    sink.fail_with = ORND_ERR_BUF_TOO_SMALL;
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res),
                     ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(res.sends, 1);
    sink.fail_with = 0;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(fake.api_conn_count, 2); /* the half-read answer closed the first */
}

static void answer_read_one_byte_at_a_time(void **state)
{
    (void)state;
    fake.read_chunk = 1;
    fake.api_conns[0] = (fake_conn_t){
        .answers = {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\n{\"a\":\r\n3\r\n[1]\r\n1\r\n}\r\n0\r\n\r\n",
                    ANSWER_200}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_string_equal(sink.body, "{\"a\":[1]}");
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_true(res.reused);
    assert_int_equal(fake.api_conn_count, 1);
}

static void body_limit_enforced(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200}};
    ornd_api_handler_t small = handler;
    small.body_max = 10;
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &small, &res),
                     ORND_ERR_HTTP_BODY_TOO_LARGE);
}

static void no_token_left_in_the_struct(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_null(memmem(&api, sizeof api, "tok-1", 5));
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, NULL), ORND_ERR_ARG);
}

static void bad_arguments_and_settings(void **state)
{
    (void)state;
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "members", NULL, 0, &handler, &res),
                     ORND_ERR_ARG);
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 3, &handler, &res), ORND_ERR_ARG);
    assert_int_equal(ornd_api_request(&api, "G T", "/a", NULL, 0, &handler, &res), ORND_ERR_ARG);
    assert_int_equal(ornd_api_request(&api, "GET", "/a b", NULL, 0, &handler, &res),
                     ORND_ERR_ARG);
    assert_int_equal(fake.api_requests, 0);

    ornd_api_t other = {0};
    ornd_api_settings_t as = {.transport = &fake_transport, .client = &client, .org = "a/b"};
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_ARG);
    as.org = "acme";
    as.api_url = "http://api.example/api";
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_CONFIG_URL);
    as.api_url = "https://api.example/api?x=1";
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_CONFIG_URL);
    as.api_url = NULL;
    assert_int_equal(ornd_api_init(&other, &as), ORND_OK);
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_STATE); /* release first */
    ornd_api_release(&other);
    ornd_transport_t no_send = fake_transport;
    no_send.send = NULL;
    as.transport = &no_send;
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_PORT);
    as.transport = &fake_transport;
    ornd_client_t fresh;
    memset(&fresh, 0, sizeof fresh);
    as.client = &fresh;
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_STATE);
    ornd_api_release(&api);
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_ERR_STATE);
}

/* ---- paging (ornd_api_get_pages) ------------------------------------------ */

#define PAGE(body) "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" body "0\r\n\r\n"

static ornd_api_pages_t pager;

static void pages_follow_cursor_next(void **state)
{
    (void)state;
    fake.read_chunk = 7;
    fake.api_conns[0] = (fake_conn_t){
        .answers = {PAGE("1c\r\n{\"results\":[1],\"cursorNext\":\r\n9\r\n\"a b/c~\"}\r\n"),
                    PAGE("23\r\n{\"cursorNext\":null,\"results\":[2,3]}\r\n")}};
    ornd_api_result_t res;
    unsigned pages = 0;
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/members?$limit=1", &handler, 0, &res,
                                        &pages),
                     ORND_OK);
    assert_int_equal(pages, 2);
    assert_string_equal(sink.body,
                        "{\"results\":[1],\"cursorNext\":\"a b/c~\"}"
                        "{\"cursorNext\":null,\"results\":[2,3]}");
    assert_non_null(strstr(fake.sent, "GET /api/v2/organizations/acme/members?$limit=1 HTTP/1.1\r\n"));
    assert_non_null(strstr(fake.sent, "GET /api/v2/organizations/acme/members?$limit=1"
                                      "&$cursorNext=a%20b%2Fc~ HTTP/1.1\r\n"));
    assert_int_equal(fake.api_conn_count, 1);
}

static void pages_refuse_what_they_cannot_follow(void **state)
{
    (void)state;
    ornd_api_result_t res;
    unsigned pages = 0;
    /* a page that is not JSON */
    fake.api_conns[0] = (fake_conn_t){.answers = {PAGE("5\r\n<html\r\n")}};
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 0, &res, &pages),
                     ORND_ERR_JSON_SYNTAX);
    assert_int_equal(pages, 0);
    /* a list that never ends, bounded by max_pages */
    fake.api_conns[1] = (fake_conn_t){.answers = {PAGE("12\r\n{\"cursorNext\":\"x\"}\r\n"),
                                                  PAGE("12\r\n{\"cursorNext\":\"x\"}\r\n")}};
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 2, &res, &pages),
                     ORND_ERR_PAGE_LIMIT);
    assert_int_equal(pages, 2);
    /* a cursor longer than its buffer: an error, never a cut cursor */
    static char body[512], answer[640];
    int n = snprintf(body, sizeof body, "{\"cursorNext\":\"%0*d\"}", (int)ORND_CONFIG_API_CURSOR_MAX + 1,
                     0);
    assert_true(n > 0 && (size_t)n < sizeof body);
    snprintf(answer, sizeof answer, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", n, body);
    fake.api_conns[1].answers[2] = answer;
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 0, &res, &pages),
                     ORND_ERR_MATCH_TOO_LONG);
}


/* ---- polled requests (ornd_api_start / ornd_api_poll) ----------------------- */

/* Client and API over a port that can connect without waiting. */
static void use_polling_port(void)
{
    ornd_api_release(&api);
    ornd_client_release(&client);
    assert_int_equal(init_over(&fake_polling_transport, 1000), 0);
}

static ornd_err_t api_poll(void *a)
{
    return ornd_api_poll(a);
}

/* Poll to the end, the clock moving `step_ms` a pass; *passes counts the
 * ORND_IN_PROGRESS answers. */
static int poll_request(uint32_t step_ms, unsigned *passes)
{
    return fake_poll_to_end(api_poll, &api, step_ms, passes);
}

static void polled_requests_send_what_blocking_ones_send(void **state)
{
    (void)state;
    use_polling_port();
    fake.would_block_each = 2;
    fake.read_chunk = 4;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200, ANSWER_200, ANSWER_201}};
    ornd_api_result_t res;
    unsigned passes, total = 0;
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ornd_api_start(&api, "GET", "/members?$limit=1", NULL, 0, &handler, &res),
                         ORND_OK);
        assert_int_equal(poll_request(1, &passes), ORND_OK);
        total += passes;
        assert_int_equal(res.status, 200);
        assert_int_equal(res.sends, 1);
        assert_int_equal(res.reused, i > 0);
        assert_true(passes > 0u);
    }
    static const char body[] = "{\"member\":\"m1\"}";
    assert_int_equal(ornd_api_start(&api, "POST", "/checkins", (const uint8_t *)body,
                                    sizeof body - 1u, &handler, &res),
                     ORND_OK);
    assert_int_equal(poll_request(1, &passes), ORND_OK);
    total += passes;
    assert_int_equal(res.status, 201);
    /* one ORND_IN_PROGRESS for each "not yet" of the network (token fetch
     * included), no more */
    assert_int_equal(total, fake.would_blocks);
    assert_int_equal(fake.api_conn_count, 1);
    assert_int_equal(fake.token_requests, 1);
    assert_string_equal(sink.body, "{\"results\":[1]}{\"results\":[1]}{\"_id\":\"c\"}");
    assert_int_equal(count(fake.sent, "GET /api/v2/organizations/acme/members?$limit=1 HTTP/1.1\r\n"),
                     2);
    assert_int_equal(count(fake.sent, "\r\nAuthorization: Bearer tok-1\r\n\r\n"), 3);
    assert_non_null(strstr(fake.sent, "Content-Length: 15\r\n"));
    assert_non_null(strstr(fake.sent, "Bearer tok-1\r\n\r\n{\"member\":\"m1\"}"));
}

static void polled_request_refreshes_a_refused_token(void **state)
{
    (void)state;
    use_polling_port();
    fake.would_block_each = 1;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_401, ANSWER_200}};
    ornd_api_result_t res;
    unsigned passes;
    assert_int_equal(ornd_api_start(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(poll_request(1, &passes), ORND_OK);
    assert_int_equal(res.token_refreshes, 1);
    assert_int_equal(res.sends, 2);
    assert_int_equal(fake.token_requests, 2);
    assert_int_equal(count(fake.sent, "Bearer tok-2\r\n"), 1);
    assert_int_equal(passes, fake.would_blocks);
}

static void polled_request_step_times_out(void **state)
{
    (void)state;
    use_polling_port();
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK); /* token first */
    fake.would_block_each = UINT32_MAX; /* the API server never answers */
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200}};
    ornd_api_result_t res;
    unsigned passes;
    uint32_t t0 = fake_clock_ms;
    assert_int_equal(ornd_api_start(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(poll_request(10, &passes), ORND_ERR_TIMEOUT);
    /* connect + handshake may take 3 timeouts of 1000 ms, not a pass more */
    assert_int_equal(fake_clock_ms - t0, 3000u);
    assert_int_equal(fake.api_requests, 0);
    assert_int_equal(ornd_api_poll(&api), ORND_ERR_STATE); /* it is over */
}

static void polled_request_misuse(void **state)
{
    (void)state;
    ornd_api_result_t res;
    /* the plain test port cannot connect without waiting */
    assert_int_equal(ornd_api_start(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_ERR_PORT);
    assert_int_equal(ornd_api_poll(&api), ORND_ERR_STATE);
    use_polling_port();
    fake.would_block_each = 1;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200}};
    assert_int_equal(ornd_api_start(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_start(&api, "GET", "/b", NULL, 0, &handler, &res), ORND_ERR_STATE);
    assert_int_equal(ornd_api_request(&api, "GET", "/b", NULL, 0, &handler, &res), ORND_ERR_STATE);
    assert_int_equal(ornd_api_poll(&api), ORND_IN_PROGRESS);
    ornd_api_close(&api); /* gives it up */
    assert_int_equal(ornd_api_poll(&api), ORND_ERR_STATE);
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
}


static void polled_pages_walk_as_the_blocking_walk(void **state)
{
    (void)state;
    use_polling_port();
    fake.would_block_each = 1;
    fake.read_chunk = 7;
    fake.api_conns[0] = (fake_conn_t){
        .answers = {PAGE("1c\r\n{\"results\":[1],\"cursorNext\":\r\n9\r\n\"a b/c~\"}\r\n"),
                    PAGE("23\r\n{\"cursorNext\":null,\"results\":[2,3]}\r\n")}};
    ornd_api_result_t res;
    unsigned pages = 99, passes = 0;
    assert_int_equal(ornd_api_pages_start(&api, &pager, "/members?$limit=1", &handler, 0, &res),
                     ORND_OK);
    int rc;
    while ((rc = ornd_api_pages_poll(&api, &pager, &pages)) == ORND_IN_PROGRESS) {
        passes++;
        fake_clock_ms++;
        assert_true(passes < 10000u);
    }
    assert_int_equal(rc, ORND_OK);
    assert_int_equal(pages, 2);
    /* every pass was a "not yet" of the network, or the turn to a next page */
    assert_int_equal(passes, fake.would_blocks + 1u);
    assert_string_equal(sink.body,
                        "{\"results\":[1],\"cursorNext\":\"a b/c~\"}"
                        "{\"cursorNext\":null,\"results\":[2,3]}");
    assert_non_null(strstr(fake.sent, "GET /api/v2/organizations/acme/members?$limit=1"
                                      "&$cursorNext=a%20b%2Fc~ HTTP/1.1\r\n"));
    assert_int_equal(fake.api_conn_count, 1);
    assert_int_equal(ornd_api_pages_poll(&api, &pager, &pages), ORND_ERR_STATE); /* over */
    /* a list that never ends, bounded as the blocking walk is */
    fake.api_conns[1] = (fake_conn_t){.answers = {PAGE("12\r\n{\"cursorNext\":\"x\"}\r\n"),
                                                  PAGE("12\r\n{\"cursorNext\":\"x\"}\r\n")}};
    ornd_api_close(&api); /* the next walk on a connection of its own */
    assert_int_equal(ornd_api_pages_start(&api, &pager, "/m", &handler, 2, &res), ORND_OK);
    while ((rc = ornd_api_pages_poll(&api, &pager, &pages)) == ORND_IN_PROGRESS) {
    }
    assert_int_equal(rc, ORND_ERR_PAGE_LIMIT);
    assert_int_equal(pages, 2);
}

/* Without the time, a new API connection is refused before it opens (the
 * token is cached: the client sends nothing either); a kept connection,
 * verified when it opened, goes on. */
static void unknown_time_refuses_a_new_connection_only(void **state)
{
    (void)state;
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200, ANSWER_200}};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/members", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(fake.opens_with_time, 2); /* the token's and the API's */
    assert_int_equal(fake.last_time, fake_unix_time);
    fake_time_known = false;
    assert_int_equal(ornd_api_request(&api, "GET", "/members", NULL, 0, &handler, &res), ORND_OK);
    assert_true(res.reused);
    ornd_api_close(&api);
    unsigned sent = fake.api_requests;
    assert_int_equal(
        ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2, &handler, &res),
        ORND_ERR_TIME_UNKNOWN);
    assert_int_equal(res.sends, 0);
    assert_int_equal(fake.api_requests, sent);
    assert_int_equal(fake.api_conn_count, 1);
    fake_time_known = true;
}

/* The client's INSECURE opt-in holds for its API connections too. */
static void insecure_opt_in_holds_for_api_connections(void **state)
{
    (void)state;
    ornd_api_release(&api);
    ornd_client_release(&client);
    static const uint8_t ca[] = "not parsed by the fake";
    ornd_settings_t s = {.platform = &fake_platform,
                         .transport = &fake_transport,
                         .token_url = "https://id.example/oauth/token",
                         .client_id = "dev",
                         .client_secret = "secret",
                         .ca = ca,
                         .ca_len = sizeof ca,
                         .insecure_accept_unknown_time = true};
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    ornd_api_settings_t as = {.transport = &fake_transport,
                              .client = &client,
                              .api_url = "https://" FAKE_API_HOST "/api/v2/organizations/",
                              .org = "acme"};
    assert_int_equal(ornd_api_init(&api, &as), ORND_OK);
    fake.api_conns[0] = (fake_conn_t){.answers = {ANSWER_200}};
    fake_time_known = false;
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/members", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(fake.opens, 2);
    assert_int_equal(fake.opens_with_time, 0);
    fake_time_known = true;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(requests_share_one_connection_and_one_token, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(body_sent_as_json_with_exact_length, setup, teardown),
        cmocka_unit_test_setup_teardown(unauthorized_refreshes_token_once, setup, teardown),
        cmocka_unit_test_setup_teardown(second_unauthorized_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(statuses_map_to_errors_without_retry, setup, teardown),
        cmocka_unit_test_setup_teardown(idle_connection_closed_by_server_is_reopened, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(get_resent_when_kept_connection_breaks_before_answer,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(post_not_resent_when_outcome_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_connect_sends_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(connection_close_answer_is_not_reused, setup, teardown),
        cmocka_unit_test_setup_teardown(handler_error_stops_and_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(answer_read_one_byte_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(body_limit_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(no_token_left_in_the_struct, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_arguments_and_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(pages_follow_cursor_next, setup, teardown),
        cmocka_unit_test_setup_teardown(pages_refuse_what_they_cannot_follow, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_requests_send_what_blocking_ones_send, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(polled_request_refreshes_a_refused_token, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_request_step_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_request_misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_pages_walk_as_the_blocking_walk, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_time_refuses_a_new_connection_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(insecure_opt_in_holds_for_api_connections, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
