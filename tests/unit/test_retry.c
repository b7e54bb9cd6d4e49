/* SPDX-License-Identifier: MIT */
/*
 * The retry policy of an API request (ornd/core/retry.h), as a table: each
 * row is what happened in one exchange and what must follow.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ornd/core/retry.h"

enum { GET = 1, POST = 0 };
enum { KEPT = 1, NEW = 0 };
enum { ANSWERED = 1, SILENT = 0 };

typedef struct {
    const char *what;
    ornd_exchange_t x;
    ornd_err_t want;
    ornd_retry_t retry;
} row_t;

#define X(rc_, st_, idem, reuse, start, hfail, stale, refr)                                    \
    {.rc = (rc_),                                                                         \
     .status = (st_),                                                                     \
     .idempotent = (idem),                                                                \
     .reused = (reuse),                                                                   \
     .started = (start),                                                                  \
     .handler_failed = (hfail),                                                           \
     .stale_retried = (stale),                                                            \
     .token_refreshes = (refr)}

static const row_t rows[] = {
    /* answers: the status decides */
    {"200", X(ORND_OK, 200, GET, NEW, ANSWERED, 0, 0, 0), ORND_OK, ORND_RETRY_NONE},
    {"204 POST", X(ORND_OK, 204, POST, KEPT, ANSWERED, 0, 0, 0), ORND_OK, ORND_RETRY_NONE},
    {"first 401: new token, again", X(ORND_OK, 401, GET, NEW, ANSWERED, 0, 0, 0),
     ORND_ERR_API_UNAUTHORIZED, ORND_RETRY_REFRESH},
    {"first 401 of a POST: again too", X(ORND_OK, 401, POST, NEW, ANSWERED, 0, 0, 0),
     ORND_ERR_API_UNAUTHORIZED, ORND_RETRY_REFRESH},
    {"second 401", X(ORND_OK, 401, GET, NEW, ANSWERED, 0, 0, 1), ORND_ERR_API_UNAUTHORIZED,
     ORND_RETRY_NONE},
    {"403", X(ORND_OK, 403, GET, NEW, ANSWERED, 0, 0, 0), ORND_ERR_API_FORBIDDEN,
     ORND_RETRY_NONE},
    {"404", X(ORND_OK, 404, GET, NEW, ANSWERED, 0, 0, 0), ORND_ERR_API_REJECTED,
     ORND_RETRY_NONE},
    {"429", X(ORND_OK, 429, GET, NEW, ANSWERED, 0, 0, 0), ORND_ERR_RATE_LIMITED,
     ORND_RETRY_NONE},
    {"503", X(ORND_OK, 503, POST, NEW, ANSWERED, 0, 0, 0), ORND_ERR_UNAVAILABLE,
     ORND_RETRY_NONE},
    {"302", X(ORND_OK, 302, GET, NEW, ANSWERED, 0, 0, 0), ORND_ERR_HTTP_STATUS,
     ORND_RETRY_NONE},
    /* a kept connection found closed before any answer */
    {"stale GET: again", X(ORND_ERR_CLOSED, 0, GET, KEPT, SILENT, 0, 0, 0), ORND_ERR_CLOSED,
     ORND_RETRY_STALE},
    {"stale GET twice", X(ORND_ERR_CLOSED, 0, GET, KEPT, SILENT, 0, 1, 0), ORND_ERR_CLOSED,
     ORND_RETRY_NONE},
    {"stale GET, reset", X(ORND_ERR_NET, 0, GET, KEPT, SILENT, 0, 0, 0), ORND_ERR_NET,
     ORND_RETRY_STALE},
    {"stale GET, TLS alert", X(ORND_ERR_TLS, 0, GET, KEPT, SILENT, 0, 0, 0), ORND_ERR_TLS,
     ORND_RETRY_STALE},
    {"stale POST: unknown", X(ORND_ERR_CLOSED, 0, POST, KEPT, SILENT, 0, 0, 0),
     ORND_ERR_OUTCOME_UNKNOWN, ORND_RETRY_NONE},
    /* cut off on a new connection, or after the answer began */
    {"GET cut on a new connection", X(ORND_ERR_TIMEOUT, 0, GET, NEW, SILENT, 0, 0, 0),
     ORND_ERR_TIMEOUT, ORND_RETRY_NONE},
    {"POST cut before the answer", X(ORND_ERR_TIMEOUT, 0, POST, NEW, SILENT, 0, 0, 0),
     ORND_ERR_OUTCOME_UNKNOWN, ORND_RETRY_NONE},
    {"POST cut in the answer", X(ORND_ERR_CLOSED, 0, POST, KEPT, ANSWERED, 0, 0, 0),
     ORND_ERR_OUTCOME_UNKNOWN, ORND_RETRY_NONE},
    {"GET cut in the answer", X(ORND_ERR_CLOSED, 0, GET, KEPT, ANSWERED, 0, 0, 0),
     ORND_ERR_CLOSED, ORND_RETRY_NONE},
    {"POST whose handler stopped", X(ORND_ERR_NET, 0, POST, NEW, ANSWERED, 1, 0, 0),
     ORND_ERR_NET, ORND_RETRY_NONE},
    /* failures that are not the connection's */
    {"malformed answer to a POST", X(ORND_ERR_HTTP_HEADER, 0, POST, KEPT, ANSWERED, 0, 0, 0),
     ORND_ERR_HTTP_HEADER, ORND_RETRY_NONE},
    {"stale, handler error", X(ORND_ERR_JSON_SYNTAX, 0, GET, KEPT, SILENT, 1, 0, 0),
     ORND_ERR_JSON_SYNTAX, ORND_RETRY_NONE},
    {"no token", X(ORND_ERR_TOKEN_HELD, 0, POST, NEW, SILENT, 0, 0, 0), ORND_ERR_TOKEN_HELD,
     ORND_RETRY_NONE},
};

static void every_row(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ornd_retry_t retry = (ornd_retry_t)99;
        ornd_err_t rc = ornd_retry_decide(&rows[i].x, &retry);
        if (rc != rows[i].want || retry != rows[i].retry) {
            fail_msg("row %zu (%s): got %s / retry %d, want %s / retry %d", i, rows[i].what,
                     ornd_errname(rc), (int)retry, ornd_errname(rows[i].want),
                     (int)rows[i].retry);
        }
    }
}

/* A resend is only ever offered once per cause. */
static void never_a_second_resend(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        ornd_exchange_t x = rows[i].x;
        x.stale_retried = true;
        x.token_refreshes = 1;
        ornd_retry_t retry;
        (void)ornd_retry_decide(&x, &retry);
        assert_int_equal(retry, ORND_RETRY_NONE);
    }
}

static void statuses(void **state)
{
    (void)state;
    for (int s = 100; s < 1000; s++) { /* every three-digit status */
        ornd_err_t rc = ornd_api_status_error(s);
        if (s >= 200 && s < 300) {
            assert_int_equal(rc, ORND_OK);
        } else if (s >= 600) {
            assert_int_equal(rc, ORND_ERR_HTTP_STATUS); /* no such class */
        } else if (s >= 500) {
            assert_int_equal(rc, ORND_ERR_UNAVAILABLE);
        } else if (s < 400) {
            assert_int_equal(rc, ORND_ERR_HTTP_STATUS);
        } else {
            assert_int_equal(ornd_err_class(rc), s == 429 ? ORND_CLASS_TRY_LATER
                                                          : ORND_CLASS_REJECTED);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_row),
        cmocka_unit_test(never_a_second_resend),
        cmocka_unit_test(statuses),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
