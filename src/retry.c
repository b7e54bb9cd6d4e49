/* SPDX-License-Identifier: MIT */
/* The retry policy of an API request (see ornd/core/retry.h). */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/retry.h"

ornd_err_t ornd_api_status_error(int status)
{
    if (status >= 200 && status <= 299) {
        return ORND_OK;
    }
    if (status == 401) {
        return ORND_ERR_API_UNAUTHORIZED;
    }
    if (status == 403) {
        return ORND_ERR_API_FORBIDDEN;
    }
    if (status == 429) {
        return ORND_ERR_RATE_LIMITED;
    }
    if (status >= 500 && status <= 599) {
        return ORND_ERR_UNAVAILABLE;
    }
    if (status >= 400 && status <= 499) {
        return ORND_ERR_API_REJECTED;
    }
    return ORND_ERR_HTTP_STATUS;
}

/* A failure of the connection (not of the answer's contents). */
static bool lost_connection(ornd_err_t rc)
{
    ornd_err_class_t cls = ornd_err_class(rc);
    return cls == ORND_CLASS_NETWORK || cls == ORND_CLASS_TLS;
}

static ornd_err_t failed(const ornd_exchange_t *x, ornd_retry_t *retry)
{
    if (lost_connection(x->rc) && x->reused && !x->started) {
        /* the server closed the idle connection: it may have seen the
         * request, unless nothing of it can do harm twice */
        if (!x->idempotent) {
            return ORND_ERR_OUTCOME_UNKNOWN;
        }
        if (!x->stale_retried) {
            *retry = ORND_RETRY_STALE;
        }
        return x->rc;
    }
    if (lost_connection(x->rc) && !x->idempotent && (!x->started || !x->handler_failed)) {
        return ORND_ERR_OUTCOME_UNKNOWN; /* cut off after the request went out */
    }
    return x->rc;
}

ornd_err_t ornd_retry_decide(const ornd_exchange_t *x, ornd_retry_t *retry)
{
    *retry = ORND_RETRY_NONE;
    if (x->rc != ORND_OK) {
        return failed(x, retry);
    }
    ornd_err_t rc = ornd_api_status_error(x->status);
    if (rc == ORND_ERR_API_UNAUTHORIZED && x->token_refreshes == 0) {
        *retry = ORND_RETRY_REFRESH;
    }
    return rc;
}
