/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the paging helper (src/pages.c): cursorNext followed,
 * pages that cannot be followed refused, the polled walk as the blocking
 * one; over the scripted servers of ornd/testing.h (api_fixture.h).
 */
#include "api_fixture.h"

/* ---- paging (ornd_api_get_pages) ------------------------------------------ */

#define PAGE(body) "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" body "0\r\n\r\n"

static ornd_api_pages_t pager;

static void pages_follow_cursor_next(void **state)
{
    (void)state;
    read_chunk(7);
    serve(PAGE("1c\r\n{\"results\":[1],\"cursorNext\":\r\n9\r\n\"a b/c~\"}\r\n"),
          PAGE("23\r\n{\"cursorNext\":null,\"results\":[2,3]}\r\n"));
    ornd_api_result_t res;
    unsigned pages = 0;
    assert_int_equal(
        ornd_api_get_pages(&api, &pager, "/members?$limit=1", &handler, 0, &res, &pages), ORND_OK);
    assert_int_equal(pages, 2);
    assert_string_equal(sink.body, "{\"results\":[1],\"cursorNext\":\"a b/c~\"}"
                                   "{\"cursorNext\":null,\"results\":[2,3]}");
    assert_non_null(
        strstr(api_peer.sent, "GET /api/v2/organizations/acme/members?$limit=1 HTTP/1.1\r\n"));
    assert_non_null(strstr(api_peer.sent, "GET /api/v2/organizations/acme/members?$limit=1"
                                          "&$cursorNext=a%20b%2Fc~ HTTP/1.1\r\n"));
    assert_int_equal(api_peer.connects, 1);
}

static void pages_refuse_what_they_cannot_follow(void **state)
{
    (void)state;
    ornd_api_result_t res;
    unsigned pages = 0;
    /* a page that is not JSON */
    serve(PAGE("5\r\n<html\r\n"));
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 0, &res, &pages),
                     ORND_ERR_JSON_SYNTAX);
    assert_int_equal(pages, 0);
    /* a list that never ends, bounded by max_pages */
    serve(PAGE("12\r\n{\"cursorNext\":\"x\"}\r\n"), PAGE("12\r\n{\"cursorNext\":\"x\"}\r\n"));
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 2, &res, &pages),
                     ORND_ERR_PAGE_LIMIT);
    assert_int_equal(pages, 2);
    /* a cursor longer than its buffer: an error, never a cut cursor */
    static char body[512], answer[640];
    int n = snprintf(body, sizeof body, "{\"cursorNext\":\"%0*d\"}",
                     (int)ORND_CONFIG_API_CURSOR_MAX + 1, 0);
    assert_true(n > 0 && (size_t)n < sizeof body);
    snprintf(answer, sizeof answer, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", n, body);
    serve(answer);
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 0, &res, &pages),
                     ORND_ERR_MATCH_TOO_LONG);
}

/* A cursor that is empty or not a string names no next page: the walk ends
 * there (as with null or no cursor). Unreserved bytes of a cursor go into
 * the next path as they are. Without a handler the pages are read and
 * dropped, the cursor still followed. */
static void pages_end_without_a_usable_cursor(void **state)
{
    (void)state;
    ornd_api_result_t res;
    unsigned pages = 0;
    serve(PAGE("11\r\n{\"cursorNext\":\"\"}\r\n"), PAGE("10\r\n{\"cursorNext\":7}\r\n"),
          PAGE("16\r\n{\"cursorNext\":{\"a\":1}}\r\n"));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ornd_api_get_pages(&api, &pager, "/m?x=1", &handler, 0, &res, &pages),
                         ORND_OK);
        assert_int_equal(pages, 1);
    }
    assert_int_equal(api_peer.requests, 3);
    serve(PAGE("19\r\n{\"cursorNext\":\"Az09-._~\"}\r\n"), PAGE("2\r\n{}\r\n"));
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m?x=1", NULL, 0, &res, &pages), ORND_OK);
    assert_int_equal(pages, 2);
    assert_non_null(strstr(api_peer.sent,
                           "GET /api/v2/organizations/acme/m?x=1&$cursorNext=Az09-._~ "
                           "HTTP/1.1\r\n"));
    assert_int_equal(sink.calls, 3); /* only the walks with a handler */
}

/* Arguments: no state, path or result is ORND_ERR_ARG, no page, nothing
 * sent; a poll without a walk started is ORND_ERR_STATE. */
static void pages_arguments(void **state)
{
    (void)state;
    ornd_api_result_t res;
    unsigned pages = 99;
    assert_int_equal(ornd_api_get_pages(&api, NULL, "/m", &handler, 0, &res, &pages), ORND_ERR_ARG);
    assert_int_equal(pages, 0);
    pages = 99;
    assert_int_equal(ornd_api_get_pages(&api, &pager, NULL, &handler, 0, &res, &pages),
                     ORND_ERR_ARG);
    assert_int_equal(pages, 0);
    pages = 99;
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 0, NULL, &pages),
                     ORND_ERR_ARG);
    assert_int_equal(pages, 0);
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 0, NULL, NULL), ORND_ERR_ARG);
    assert_int_equal(ornd_api_pages_start(&api, &pager, NULL, &handler, 0, &res), ORND_ERR_ARG);
    assert_int_equal(ornd_api_pages_poll(&api, NULL, &pages), ORND_ERR_STATE);
    memset(&pager, 0, sizeof pager);
    assert_int_equal(ornd_api_pages_poll(&api, &pager, &pages), ORND_ERR_STATE);
    assert_int_equal(api_peer.requests, 0);
    /* a polled walk may leave the count out */
    use_polling_port();
    serve(PAGE("13\r\n{\"cursorNext\":null}\r\n"));
    assert_int_equal(ornd_api_pages_start(&api, &pager, "/m", &handler, 0, &res), ORND_OK);
    int rc;
    while ((rc = ornd_api_pages_poll(&api, &pager, NULL)) == ORND_IN_PROGRESS) {
    }
    assert_int_equal(rc, ORND_OK);
    assert_int_equal(api_peer.requests, 1);
}

/* The path of a page (path, '?' or '&', "$cursorNext=" and the cursor,
 * percent-encoded) must fit ORND_CONFIG_API_PATH_MAX: a path that is longer
 * itself is refused before anything is sent (no page read, also after an
 * earlier walk with the same state), one that leaves the next cursor no
 * room ends the walk after the page that brought it. */
static void pages_whose_path_does_not_fit(void **state)
{
    (void)state;
    serve(PAGE("13\r\n{\"cursorNext\":null}\r\n"));
    ornd_api_result_t res;
    unsigned pages = 99;
    assert_int_equal(ornd_api_get_pages(&api, &pager, "/m", &handler, 0, &res, &pages), ORND_OK);
    assert_int_equal(pages, 1);
    static char path[ORND_CONFIG_API_PATH_MAX + 2];
    memset(path, 'p', sizeof path - 1u);
    path[0] = '/';
    path[sizeof path - 1u] = '\0';
    assert_int_equal(ornd_api_get_pages(&api, &pager, path, &handler, 0, &res, &pages),
                     ORND_ERR_CONFIG_TOO_LONG);
    assert_int_equal(pages, 0);
    assert_int_equal(api_peer.requests, 1);

    /* room for the path, not for the path and the cursor */
    path[ORND_CONFIG_API_PATH_MAX - 16u] = '\0';
    serve(PAGE("14\r\n{\"cursorNext\":\"a/b\"}\r\n"));
    assert_int_equal(ornd_api_get_pages(&api, &pager, path, &handler, 0, &res, &pages),
                     ORND_ERR_CONFIG_TOO_LONG);
    assert_int_equal(pages, 1);
    assert_int_equal(api_peer.requests, 2);
    assert_string_equal(sink.body, "{\"cursorNext\":null}{\"cursorNext\":\"a/b\"}");
    /* the same cursor with room to spare: followed */
    path[ORND_CONFIG_API_PATH_MAX - 20u] = '\0';
    serve(PAGE("14\r\n{\"cursorNext\":\"a/b\"}\r\n"), PAGE("13\r\n{\"cursorNext\":null}\r\n"));
    assert_int_equal(ornd_api_get_pages(&api, &pager, path, &handler, 0, &res, &pages), ORND_OK);
    assert_int_equal(pages, 2);
    assert_non_null(strstr(api_peer.sent, "?$cursorNext=a%2Fb HTTP/1.1\r\n"));
}

static void polled_pages_walk_as_the_blocking_walk(void **state)
{
    (void)state;
    use_polling_port();
    would_block_each(1);
    read_chunk(7);
    serve(PAGE("1c\r\n{\"results\":[1],\"cursorNext\":\r\n9\r\n\"a b/c~\"}\r\n"),
          PAGE("23\r\n{\"cursorNext\":null,\"results\":[2,3]}\r\n"));
    ornd_api_result_t res;
    unsigned pages = 99, passes = 0;
    assert_int_equal(ornd_api_pages_start(&api, &pager, "/members?$limit=1", &handler, 0, &res),
                     ORND_OK);
    int rc;
    while ((rc = ornd_api_pages_poll(&api, &pager, &pages)) == ORND_IN_PROGRESS) {
        passes++;
        sim.now_ms++;
        assert_true(passes < 10000u);
    }
    assert_int_equal(rc, ORND_OK);
    assert_int_equal(pages, 2);
    /* every pass was a "not yet" of the network, or the turn to a next page */
    assert_int_equal(passes, WOULD_BLOCKS() + 1u);
    assert_string_equal(sink.body, "{\"results\":[1],\"cursorNext\":\"a b/c~\"}"
                                   "{\"cursorNext\":null,\"results\":[2,3]}");
    assert_non_null(strstr(api_peer.sent, "GET /api/v2/organizations/acme/members?$limit=1"
                                          "&$cursorNext=a%20b%2Fc~ HTTP/1.1\r\n"));
    assert_int_equal(api_peer.connects, 1);
    assert_int_equal(ornd_api_pages_poll(&api, &pager, &pages), ORND_ERR_STATE); /* over */
    /* a list that never ends, bounded as the blocking walk is */
    serve(PAGE("12\r\n{\"cursorNext\":\"x\"}\r\n"), PAGE("12\r\n{\"cursorNext\":\"x\"}\r\n"));
    ornd_api_close(&api); /* the next walk on a connection of its own */
    assert_int_equal(ornd_api_pages_start(&api, &pager, "/m", &handler, 2, &res), ORND_OK);
    while ((rc = ornd_api_pages_poll(&api, &pager, &pages)) == ORND_IN_PROGRESS) {
    }
    assert_int_equal(rc, ORND_ERR_PAGE_LIMIT);
    assert_int_equal(pages, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pages_follow_cursor_next, setup, teardown),
        cmocka_unit_test_setup_teardown(pages_refuse_what_they_cannot_follow, setup, teardown),
        cmocka_unit_test_setup_teardown(pages_end_without_a_usable_cursor, setup, teardown),
        cmocka_unit_test_setup_teardown(pages_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(pages_whose_path_does_not_fit, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_pages_walk_as_the_blocking_walk, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
