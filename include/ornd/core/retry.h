/* SPDX-License-Identifier: MIT */
/*
 * What an API request does once an exchange is over (engine; unstable, not
 * for application code): the whole retry policy of ornd_api_request() as
 * one pure function of what happened, so that it can be read in one place
 * and tested by a table (tests/unit/test_retry.c).
 *
 *   - A kept-alive connection found closed before any answer came back: the
 *     request is sent once more on a new connection if its method is
 *     idempotent; otherwise ORND_ERR_OUTCOME_UNKNOWN (the server may have
 *     seen it). A second such failure is returned as it is.
 *   - A network or TLS failure after a non-idempotent request went out (and
 *     no handler stopped the answer): ORND_ERR_OUTCOME_UNKNOWN.
 *   - Any other failure: returned as it is.
 *   - An answer: its status decides (ornd_api_status_error()); the first 401
 *     fetches a new token and sends once more, for every method (the server
 *     refused the token before doing anything).
 */
#ifndef ORND_CORE_RETRY_H
#define ORND_CORE_RETRY_H

#include <stdbool.h>
#include <stdint.h>

#include "ornd/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ORND_RETRY_NONE = 0, /* the request is over: the verdict's code is its outcome */
    ORND_RETRY_STALE,    /* send again on a new connection (the kept one had closed) */
    ORND_RETRY_REFRESH   /* drop the token, take a new one, send again */
} ornd_retry_t;

/* What happened in one exchange. */
typedef struct {
    ornd_err_t rc;           /* ORND_OK: an answer was read whole; else the failure */
    int status;              /* the answer's HTTP status (rc ORND_OK) */
    bool idempotent;         /* GET, HEAD, PUT, DELETE, OPTIONS */
    bool reused;             /* sent over a kept-alive connection */
    bool started;            /* bytes of the answer arrived */
    bool handler_failed;     /* the caller's handler stopped the answer */
    bool stale_retried;      /* this request was already resent once for a stale connection */
    uint8_t token_refreshes; /* new tokens already fetched for this request */
} ornd_exchange_t;

/* The outcome of an exchange: whether to send the request once more
 * (*retry), and the code it ends with otherwise (with a resend, the code
 * of this exchange). */
ornd_err_t ornd_retry_decide(const ornd_exchange_t *x, ornd_retry_t *retry);

/* An API answer's status as an error: ORND_OK for 2xx, ORND_ERR_API_* for
 * 401, 403 and other 4xx, ORND_ERR_RATE_LIMITED for 429,
 * ORND_ERR_UNAVAILABLE for 5xx, ORND_ERR_HTTP_STATUS otherwise. */
ornd_err_t ornd_api_status_error(int status);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_RETRY_H */
