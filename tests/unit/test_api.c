/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of API requests (src/api.c) over the scripted servers of
 * ornd/testing.h (api_fixture.h): keep-alive, 401 refresh, status mapping,
 * stale connections, and that nothing is sent twice when its outcome is
 * unknown.
 */
#define _GNU_SOURCE /* memmem */
#include "api_fixture.h"

/* ---- tests ----------------------------------------------------------------- */

static void requests_share_one_connection_and_one_token(void **state)
{
    (void)state;
    serve(ANSWER_200, ANSWER_200, ANSWER_200);
    ornd_api_result_t res;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ornd_api_request(&api, "GET", "/members?$limit=1", NULL, 0, &handler, &res),
                         ORND_OK);
        assert_int_equal(res.status, 200);
        assert_int_equal(res.sends, 1);
        assert_int_equal(res.reused, i > 0);
        assert_int_equal(res.body_bytes, 15);
    }
    assert_int_equal(api_peer.connects, 1);
    assert_int_equal(id_peer.requests, 1);
    assert_string_equal(sink.body, "{\"results\":[1]}{\"results\":[1]}{\"results\":[1]}");
    assert_int_equal(count(api_peer.sent, "GET /api/v2/organizations/acme/members?$limit=1 HTTP/1.1\r\n"),
                     3);
    assert_int_equal(count(api_peer.sent, "\r\nHost: api.example\r\n"), 3);
    assert_int_equal(count(api_peer.sent, "\r\nAuthorization: Bearer tok-1\r\n\r\n"), 3);
    assert_int_equal(count(api_peer.sent, "Content-Length"), 0);
    assert_int_equal(ornd_api_connections(&api), 1);
}

static void body_sent_as_json_with_exact_length(void **state)
{
    (void)state;
    serve(ANSWER_201);
    static const char body[] = "{\"member\":\"m1\",\"location\":\"l1\"}";
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)body,
                                      sizeof body - 1u, &handler, &res),
                     ORND_OK);
    assert_int_equal(res.status, 201);
    assert_string_equal(sink.body, "{\"_id\":\"c\"}");
    assert_non_null(strstr(api_peer.sent, "POST /api/v2/organizations/acme/checkins HTTP/1.1\r\n"));
    assert_non_null(strstr(api_peer.sent, "\r\nContent-Type: application/json\r\nContent-Length: 31\r\n"));
    size_t n = strlen(api_peer.sent);
    assert_true(n > sizeof body);
    assert_string_equal(api_peer.sent + n - (sizeof body - 1u), body);
    assert_non_null(strstr(api_peer.sent, "Bearer tok-1\r\n\r\n{\"member\""));
}

static void unauthorized_refreshes_token_once(void **state)
{
    (void)state;
    serve(ANSWER_401, ANSWER_200);
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2, &handler,
                                      &res),
                     ORND_OK);
    assert_int_equal(res.status, 200);
    assert_int_equal(res.token_refreshes, 1);
    assert_int_equal(res.sends, 2);
    assert_true(res.invalid_token);
    assert_int_equal(id_peer.requests, 2);
    assert_int_equal(api_peer.connects, 1); /* the 401 left the connection usable */
    assert_string_equal(sink.body, "{\"results\":[1]}"); /* the 401 body is not the caller's */
    assert_int_equal(count(api_peer.sent, "Bearer tok-1\r\n"), 1);
    assert_int_equal(count(api_peer.sent, "Bearer tok-2\r\n"), 1);
}

static void second_unauthorized_is_an_error(void **state)
{
    (void)state;
    serve(ANSWER_401, ANSWER_401, ANSWER_200);
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/members", NULL, 0, &handler, &res),
                     ORND_ERR_API_UNAUTHORIZED);
    assert_int_equal(res.status, 401);
    assert_int_equal(res.sends, 2);
    assert_int_equal(id_peer.requests, 2);
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
        serve(cases[i].answer);
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
    assert_int_equal(id_peer.requests, 1);
    assert_int_equal(api_peer.connects, 1);
    assert_int_equal(sink.calls, 0);
}

static void idle_connection_closed_by_server_is_reopened(void **state)
{
    (void)state;
    serve(ANSWER_200);
    serve(ANSWER_201);
    ornd_api_result_t res;
    api_peer.steps[0].kind = ORND_TEST_ANSWER_CLOSE; /* the server's idle timeout */
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2,
                                      &handler, &res),
                     ORND_OK);
    assert_int_equal(res.sends, 1); /* found closed before sending: sent once */
    assert_false(res.reused);
    assert_int_equal(api_peer.connects, 2);
    assert_int_equal(api_peer.requests, 2);
}

static void get_resent_when_kept_connection_breaks_before_answer(void **state)
{
    (void)state;
    serve(ANSWER_200, "<CLOSE>");
    serve(ANSWER_200);
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(res.sends, 2);
    assert_true(res.reused);
    assert_int_equal(api_peer.connects, 2);
    assert_int_equal(api_peer.requests, 3);
}

static void post_not_resent_when_outcome_unknown(void **state)
{
    (void)state;
    serve(ANSWER_200, "<CLOSE>");
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2,
                                      &handler, &res),
                     ORND_ERR_OUTCOME_UNKNOWN);
    assert_int_equal(res.sends, 1);
    assert_int_equal(api_peer.requests, 2);
    assert_int_equal(api_peer.connects, 1);
    /* on a fresh connection too: reset after the request went out */
    serve("<RESET>");
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2,
                                      &handler, &res),
                     ORND_ERR_OUTCOME_UNKNOWN);
    assert_int_equal(res.sends, 1);
    assert_int_equal(api_peer.requests, 3);
    /* a GET on a fresh connection that breaks: the network error, not resent */
    serve("<RESET>");
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_ERR_NET);
    assert_int_equal(res.sends, 1);
    assert_int_equal(api_peer.requests, 4);
}

static void failed_connect_sends_nothing(void **state)
{
    (void)state;
    ornd_test_step_t refuse = ornd_test_step(ORND_TEST_REFUSE);
    refuse.err = ORND_ERR_CONNECT;
    refuse.times = ORND_TEST_FOREVER;
    assert_int_equal(ornd_test_add(&api_peer, refuse), ORND_OK);
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2,
                                      &handler, &res),
                     ORND_ERR_CONNECT);
    assert_int_equal(res.sends, 0);
    assert_int_equal(api_peer.requests, 0);
}

static void connection_close_answer_is_not_reused(void **state)
{
    (void)state;
    serve("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}");
    serve(ANSWER_200);
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_request(&api, "GET", "/b", NULL, 0, &handler, &res), ORND_OK);
    assert_false(res.reused);
    assert_int_equal(api_peer.connects, 2);
}

/* Bytes after the end of an answer, which no request asked for: the answer
 * is taken, the connection is not reused (what follows is not known to be
 * the next answer). */
static void bytes_after_the_answer_close_the_connection(void **state)
{
    (void)state;
    serve(ANSWER_200 "HTTP/1.1 200 OK\r\n");
    serve(ANSWER_200);
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(res.status, 200);
    assert_int_equal(res.body_bytes, 15);
    assert_int_equal(ornd_api_request(&api, "GET", "/b", NULL, 0, &handler, &res), ORND_OK);
    assert_false(res.reused);
    assert_int_equal(api_peer.connects, 2);
    assert_string_equal(sink.body, "{\"results\":[1]}{\"results\":[1]}");
}

/* An answer whose status already said no (401, 403, 429, 5xx) and whose rest
 * is malformed: the status decides the outcome (api.h's table), the
 * connection is not reused. A 2xx answer with the same fault is the fault. */
static void refusal_with_a_malformed_rest_is_decided_by_its_status(void **state)
{
    (void)state;
    serve("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 30\r\nContent-Length: 5\r\n"
          "Content-Length: 6\r\n\r\nbusy!");
    serve("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n"
          "Content-Length: 9x\r\n\r\n");
    serve(ANSWER_200);
    serve("HTTP/1.1 200 OK\r\nContent-Length: 9x\r\n\r\n");
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res),
                     ORND_ERR_UNAVAILABLE);
    assert_int_equal(res.status, 503);
    assert_true(res.has_retry_after);
    assert_int_equal(res.retry_after_s, 30);
    assert_int_equal(api_peer.connects, 1);
    /* the 401: a new connection, a new token, the request sent once more */
    assert_int_equal(ornd_api_request(&api, "GET", "/b", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(res.status, 200);
    assert_int_equal(res.token_refreshes, 1);
    assert_int_equal(res.sends, 2);
    assert_true(res.invalid_token);
    assert_int_equal(api_peer.connects, 3);
    assert_int_equal(id_peer.requests, 2);
    assert_int_equal(ornd_api_request(&api, "GET", "/c", NULL, 0, &handler, &res),
                     ORND_ERR_HTTP_CONTENT_LENGTH);
    assert_int_equal(res.sends, 1);
    assert_string_equal(sink.body, "{\"results\":[1]}");
    /* a 403 whose WWW-Authenticate is over the field limit, a 429 with a
     * malformed field: the status's error, each connection given up */
    static char answer[ORND_CONFIG_HTTP_FIELD_MAX + 128];
    int n = snprintf(answer, sizeof answer,
                     "HTTP/1.1 403 Forbidden\r\nWWW-Authenticate: Bearer error=\"");
    memset(answer + n, 'e', ORND_CONFIG_HTTP_FIELD_MAX);
    strcpy(answer + (size_t)n + ORND_CONFIG_HTTP_FIELD_MAX, "\"\r\nContent-Length: 0\r\n\r\n");
    serve(answer, "HTTP/1.1 429 Too Many\r\nRetry-After: 9\r\nBad Name: x\r\n\r\n",
          "HTTP/1.1 600 Beyond\r\nContent-Length: 9x\r\n\r\n");
    const unsigned before = api_peer.connects;
    assert_int_equal(ornd_api_request(&api, "GET", "/d", NULL, 0, &handler, &res),
                     ORND_ERR_API_FORBIDDEN);
    assert_int_equal(res.status, 403);
    assert_int_equal(ornd_api_request(&api, "GET", "/e", NULL, 0, &handler, &res),
                     ORND_ERR_RATE_LIMITED);
    assert_true(res.has_retry_after);
    assert_int_equal(res.retry_after_s, 9);
    /* a status outside the table decides nothing: the fault is the outcome */
    assert_int_equal(ornd_api_request(&api, "GET", "/f", NULL, 0, &handler, &res),
                     ORND_ERR_HTTP_CONTENT_LENGTH);
    assert_int_equal(api_peer.connects, before + 3u);
}

/* The request target (base path + path) must leave the head room for the
 * token: a path that does not is ORND_ERR_CONFIG_TOO_LONG before anything is
 * done (the head is built as a check when the request begins): no
 * connection, no token fetch, no request. */
static void path_too_long_for_the_head(void **state)
{
    (void)state;
    serve(ANSWER_200);
    static char path[ORND_CONFIG_API_HEAD_MAX];
    memset(path, 'p', sizeof path - 1u);
    path[0] = '/';
    path[sizeof path - 1u] = '\0';
    ornd_api_result_t res;
    const unsigned connects = api_peer.connects, fetches = id_peer.requests;
    assert_int_equal(ornd_api_request(&api, "GET", path, NULL, 0, &handler, &res),
                     ORND_ERR_CONFIG_TOO_LONG);
    assert_int_equal(api_peer.requests, 0);
    assert_int_equal(api_peer.connects, connects);
    assert_int_equal(id_peer.requests, fetches);
    assert_int_equal(res.sends, 0);
    assert_int_equal(sink.calls, 0);
    /* a method that is no token is refused the same way */
    assert_int_equal(ornd_api_request(&api, "GE T", "/a", NULL, 0, &handler, &res), ORND_ERR_ARG);
    assert_int_equal(api_peer.connects, connects);
    /* the next request goes out */
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(api_peer.requests, 1);
    assert_int_equal(res.sends, 1);
}

/* The head is whole or not sent: with a token of ORND_CONFIG_TOKEN_MAX bytes
 * and methods of every length, a request either goes out with the whole
 * token in its Authorization line, or is ORND_ERR_BUF_TOO_SMALL (the head
 * and the longest token do not fit ORND_CONFIG_API_HEAD_MAX together) before
 * anything is sent; once too long, longer ones are too. */
static void head_with_the_longest_token_is_whole_or_refused(void **state)
{
    (void)state;
    static char token[ORND_CONFIG_TOKEN_MAX + 1], body[ORND_CONFIG_TOKEN_MAX + 128],
        answer[ORND_CONFIG_TOKEN_MAX + 256], line[ORND_CONFIG_TOKEN_MAX + 32];
    memset(token, 'T', ORND_CONFIG_TOKEN_MAX);
    int n =
        snprintf(body, sizeof body,
                 "{\"access_token\":\"%s\",\"token_type\":\"Bearer\",\"expires_in\":3599}", token);
    snprintf(answer, sizeof answer, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", n, body);
    ornd_test_step_t tok = ornd_test_answer(answer);
    tok.times = ORND_TEST_FOREVER;
    assert_int_equal(ornd_test_script(&id_peer, &tok, 1), ORND_OK);
    ornd_test_step_t ok = ornd_test_answer(ANSWER_200);
    ok.times = ORND_TEST_FOREVER;
    assert_int_equal(ornd_test_script(&api_peer, &ok, 1), ORND_OK);
    /* the shortest target, "/": the most room for the method */
    ornd_api_release(&api);
    ornd_api_settings_t as = {
        .transport = &api_tr, .client = &client, .api_url = "https://" API_HOST "/"};
    assert_int_equal(ornd_api_init(&api, &as), ORND_OK);
    snprintf(line, sizeof line, "\r\nAuthorization: Bearer %s\r\n\r\n", token);
    static char method[ORND_CONFIG_API_HEAD_MAX];
    unsigned whole = 0, refused = 0;
    for (size_t len = 1; len < sizeof method - 1u; len += len < 1400u ? 100u : 1u) {
        memset(method, 'M', len);
        method[len] = '\0';
        ornd_test_reset_counts(&api_peer);
        ornd_api_result_t res;
        ornd_err_t rc = ornd_api_request(&api, method, "/", NULL, 0, NULL, &res);
        if (rc == ORND_OK) {
            assert_int_equal(refused, 0);
            assert_int_equal(api_peer.requests, 1);
            assert_int_equal(strncmp(api_peer.sent, method, len), 0);
            size_t sent = strlen(api_peer.sent);
            assert_true(sent > strlen(line));
            assert_string_equal(api_peer.sent + sent - strlen(line), line);
            whole++;
        } else {
            assert_int_equal(rc, ORND_ERR_BUF_TOO_SMALL);
            assert_int_equal(api_peer.requests, 0);
            assert_int_equal(res.sends, 0); /* refused when the request began */
            refused++;
        }
    }
    assert_true(whole > 0);
    assert_true(refused > 0);
    assert_int_equal(id_peer.requests, 1); /* one token for all of them */
}

/* ornd_api_handler_t.on_end: called once a 2xx body is whole (a handler may
 * have it alone: the body is then dropped), not for other answers; a
 * negative return is the request's outcome. */
static unsigned ends;
static ornd_err_t end_result;
static ornd_err_t count_end(void *user)
{
    (void)user;
    ends++;
    return end_result;
}

static void on_end_after_a_whole_2xx_body(void **state)
{
    (void)state;
    serve(ANSWER_200, "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\n\r\nno", ANSWER_200);
    ends = 0;
    end_result = ORND_OK;
    const ornd_api_handler_t only_end = {.on_end = count_end};
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &only_end, &res), ORND_OK);
    assert_int_equal(ends, 1);
    assert_int_equal(res.body_bytes, 15);
    assert_int_equal(ornd_api_request(&api, "GET", "/b", NULL, 0, &only_end, &res),
                     ORND_ERR_API_REJECTED);
    assert_int_equal(ends, 1);
    end_result = ORND_ERR_JSON_INCOMPLETE;
    assert_int_equal(ornd_api_request(&api, "GET", "/c", NULL, 0, &only_end, &res),
                     ORND_ERR_JSON_INCOMPLETE);
    assert_int_equal(ends, 2);
    assert_int_equal(res.status, 200);
    assert_int_equal(res.sends, 1);
}

static void handler_error_stops_and_closes(void **state)
{
    (void)state;
    serve(ANSWER_200);
    serve(ANSWER_200);
    sink.fail_with = ORND_ERR_BUF_TOO_SMALL;
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res),
                     ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(res.sends, 1);
    sink.fail_with = 0;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(api_peer.connects, 2); /* the half-read answer closed the first */
}

static void answer_read_one_byte_at_a_time(void **state)
{
    (void)state;
    read_chunk(1);
    serve("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                    "5\r\n{\"a\":\r\n3\r\n[1]\r\n1\r\n}\r\n0\r\n\r\n",
                    ANSWER_200);
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_string_equal(sink.body, "{\"a\":[1]}");
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_true(res.reused);
    assert_int_equal(api_peer.connects, 1);
}

static void body_limit_enforced(void **state)
{
    (void)state;
    serve(ANSWER_200);
    ornd_api_handler_t small = handler;
    small.body_max = 10;
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &small, &res),
                     ORND_ERR_HTTP_BODY_TOO_LARGE);
}

static void no_token_left_in_the_struct(void **state)
{
    (void)state;
    serve(ANSWER_200);
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
    assert_int_equal(api_peer.requests, 0);

    ornd_api_t other = {0};
    ornd_api_settings_t as = {.transport = &api_tr, .client = &client, .org = "a/b"};
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
    ornd_transport_t no_send = api_tr;
    no_send.send = NULL;
    as.transport = &no_send;
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_PORT);
    as.transport = &api_tr;
    ornd_client_t fresh;
    memset(&fresh, 0, sizeof fresh);
    as.client = &fresh;
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_STATE);
    /* required members */
    as.client = &client;
    assert_int_equal(ornd_api_init(NULL, &as), ORND_ERR_ARG);
    assert_int_equal(ornd_api_init(&other, NULL), ORND_ERR_ARG);
    as.transport = NULL;
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_ARG);
    as.transport = &api_tr;
    as.client = NULL;
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_ARG);
    as.client = &client;
    /* the base path and the organisation, together longer than the base */
    char url[ORND_CONFIG_API_BASE_MAX + 32];
    int n = snprintf(url, sizeof url, "https://api.example/");
    memset(url + n, 'b', ORND_CONFIG_API_BASE_MAX - 4u);
    url[(size_t)n + ORND_CONFIG_API_BASE_MAX - 4u] = '\0';
    as.api_url = url;
    as.org = NULL;
    assert_int_equal(ornd_api_init(&other, &as), ORND_OK); /* the base alone fits */
    ornd_api_release(&other);
    as.org = "acme";
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_CONFIG_TOO_LONG);
    as.org = "ac";
    assert_int_equal(ornd_api_init(&other, &as), ORND_OK); /* "/ac": exactly the maximum */
    ornd_api_release(&other);
    /* organisation slugs: letters, digits, '-', '_' and '.'; no longer than
     * the base; an API URL of "/" alone gives the slug as the whole base */
    as.api_url = "https://api.example/";
    as.org = "a-b_c.9";
    assert_int_equal(ornd_api_init(&other, &as), ORND_OK);
    ornd_api_release(&other);
    char long_org[ORND_CONFIG_API_BASE_MAX + 2];
    memset(long_org, 'o', sizeof long_org - 1u);
    long_org[sizeof long_org - 1u] = '\0';
    as.org = long_org;
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_CONFIG_TOO_LONG);
    as.org = "a b";
    assert_int_equal(ornd_api_init(&other, &as), ORND_ERR_ARG);
    as.org = "";
    assert_int_equal(ornd_api_init(&other, &as), ORND_OK); /* the URL is complete */
    ornd_api_release(&other);
    assert_int_equal(ornd_api_request(&api, NULL, "/a", NULL, 0, &handler, &res), ORND_ERR_ARG);
    assert_int_equal(ornd_api_request(&api, "GET", NULL, NULL, 0, &handler, &res), ORND_ERR_ARG);
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, NULL), ORND_ERR_ARG);
    assert_int_equal(api_peer.requests, 0);
    ornd_api_release(&api);
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_ERR_STATE);
    /* a released object: every call refused or without effect */
    assert_int_equal(ornd_api_start(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_ERR_STATE);
    assert_int_equal(ornd_api_poll(&api), ORND_ERR_STATE);
    assert_int_equal(ornd_api_connections(&api), 0);
    ornd_api_close(&api);
    ornd_api_release(&api);
    assert_int_equal(api_peer.requests, 0);
    /* no object at all */
    assert_int_equal(ornd_api_request(NULL, "GET", "/a", NULL, 0, &handler, &res), ORND_ERR_STATE);
    assert_int_equal(ornd_api_poll(NULL), ORND_ERR_STATE);
    assert_int_equal(ornd_api_connections(NULL), 0);
    ornd_api_close(NULL);
    ornd_api_release(NULL);
}

/* ---- polled requests (ornd_api_start / ornd_api_poll) ----------------------- */

static void polled_requests_send_what_blocking_ones_send(void **state)
{
    (void)state;
    use_polling_port();
    would_block_each(2);
    read_chunk(4);
    serve(ANSWER_200, ANSWER_200, ANSWER_201);
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
    assert_int_equal(total, WOULD_BLOCKS());
    assert_int_equal(api_peer.connects, 1);
    assert_int_equal(id_peer.requests, 1);
    assert_string_equal(sink.body, "{\"results\":[1]}{\"results\":[1]}{\"_id\":\"c\"}");
    assert_int_equal(count(api_peer.sent, "GET /api/v2/organizations/acme/members?$limit=1 HTTP/1.1\r\n"),
                     2);
    assert_int_equal(count(api_peer.sent, "\r\nAuthorization: Bearer tok-1\r\n\r\n"), 3);
    assert_non_null(strstr(api_peer.sent, "Content-Length: 15\r\n"));
    assert_non_null(strstr(api_peer.sent, "Bearer tok-1\r\n\r\n{\"member\":\"m1\"}"));
}

static void polled_request_refreshes_a_refused_token(void **state)
{
    (void)state;
    use_polling_port();
    would_block_each(1);
    serve(ANSWER_401, ANSWER_200);
    ornd_api_result_t res;
    unsigned passes;
    assert_int_equal(ornd_api_start(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(poll_request(1, &passes), ORND_OK);
    assert_int_equal(res.token_refreshes, 1);
    assert_int_equal(res.sends, 2);
    assert_int_equal(id_peer.requests, 2);
    assert_int_equal(count(api_peer.sent, "Bearer tok-2\r\n"), 1);
    assert_int_equal(passes, WOULD_BLOCKS());
}

static void polled_request_step_times_out(void **state)
{
    (void)state;
    use_polling_port();
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK); /* token first */
    would_block_each(UINT32_MAX); /* the API server never answers */
    serve(ANSWER_200);
    ornd_api_result_t res;
    unsigned passes;
    uint32_t t0 = sim.now_ms;
    assert_int_equal(ornd_api_start(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(poll_request(10, &passes), ORND_ERR_TIMEOUT);
    /* connect + handshake may take 3 timeouts of 1000 ms, not a pass more */
    assert_int_equal(sim.now_ms - t0, 3000u);
    assert_int_equal(api_peer.requests, 0);
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
    would_block_each(1);
    serve(ANSWER_200);
    assert_int_equal(ornd_api_start(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(ornd_api_start(&api, "GET", "/b", NULL, 0, &handler, &res), ORND_ERR_STATE);
    assert_int_equal(ornd_api_request(&api, "GET", "/b", NULL, 0, &handler, &res), ORND_ERR_STATE);
    assert_int_equal(ornd_api_poll(&api), ORND_IN_PROGRESS);
    ornd_api_close(&api); /* gives it up */
    assert_int_equal(ornd_api_poll(&api), ORND_ERR_STATE);
    assert_int_equal(ornd_api_request(&api, "GET", "/a", NULL, 0, &handler, &res), ORND_OK);
}


/* What the API connection was last given as the time. */
#define API_TIME_KNOWN (api.ORND_PRIVATE(tls).ORND_PRIVATE(time_known))
#define API_TIME (api.ORND_PRIVATE(tls).ORND_PRIVATE(unix_time))

/* Without the time, a new API connection is refused before it opens (the
 * token is cached: the client sends nothing either); a kept connection,
 * verified when it opened, goes on. */
static void unknown_time_refuses_a_new_connection_only(void **state)
{
    (void)state;
    serve(ANSWER_200, ANSWER_200);
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/members", NULL, 0, &handler, &res), ORND_OK);
    assert_true(API_TIME_KNOWN);
    assert_true(API_TIME == sim.unix_s);
    sim.time_unknown = true;
    assert_int_equal(ornd_api_request(&api, "GET", "/members", NULL, 0, &handler, &res), ORND_OK);
    assert_true(res.reused);
    ornd_api_close(&api);
    unsigned sent = api_peer.requests;
    assert_int_equal(
        ornd_api_request(&api, "POST", "/checkins", (const uint8_t *)"{}", 2, &handler, &res),
        ORND_ERR_TIME_UNKNOWN);
    assert_int_equal(res.sends, 0);
    assert_int_equal(api_peer.requests, sent);
    assert_int_equal(api_peer.connects, 1);
    sim.time_unknown = false;
}

/* The client's INSECURE opt-in holds for its API connections too. */
static void insecure_opt_in_holds_for_api_connections(void **state)
{
    (void)state;
    ornd_api_release(&api);
    ornd_client_release(&client);
    static const uint8_t ca[] = "not read by the plain TLS layer";
    ornd_settings_t s = {.platform = &platform,
                         .transport = &id_tr,
                         .token_url = "https://id.example/oauth/token",
                         .client_id = "dev",
                         .client_secret = "secret",
                         .ca = ca,
                         .ca_len = sizeof ca,
                         .insecure_accept_unknown_time = true};
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    ornd_api_settings_t as = {.transport = &api_tr,
                              .client = &client,
                              .api_url = "https://" API_HOST "/api/v2/organizations/",
                              .org = "acme"};
    assert_int_equal(ornd_api_init(&api, &as), ORND_OK);
    serve(ANSWER_200);
    sim.time_unknown = true;
    ornd_api_result_t res;
    assert_int_equal(ornd_api_request(&api, "GET", "/members", NULL, 0, &handler, &res), ORND_OK);
    assert_int_equal(id_peer.connects, 1);
    assert_int_equal(api_peer.connects, 1);
    assert_false(API_TIME_KNOWN);
    sim.time_unknown = false;
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
        cmocka_unit_test_setup_teardown(bytes_after_the_answer_close_the_connection, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(refusal_with_a_malformed_rest_is_decided_by_its_status,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(path_too_long_for_the_head, setup, teardown),
        cmocka_unit_test_setup_teardown(head_with_the_longest_token_is_whole_or_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(on_end_after_a_whole_2xx_body, setup, teardown),
        cmocka_unit_test_setup_teardown(handler_error_stops_and_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(answer_read_one_byte_at_a_time, setup, teardown),
        cmocka_unit_test_setup_teardown(body_limit_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(no_token_left_in_the_struct, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_arguments_and_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_requests_send_what_blocking_ones_send, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(polled_request_refreshes_a_refused_token, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_request_step_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_request_misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_time_refuses_a_new_connection_only, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(insecure_opt_in_holds_for_api_connections, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
