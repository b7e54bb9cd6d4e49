/* SPDX-License-Identifier: MIT */
/* The transport side of a TLS connection (see ornd/core/tls_transport.h). */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/tls_transport.h"

uint32_t ornd_tls_step_wait(const ornd_tls_t *t)
{
    int32_t left = (int32_t)(t->deadline - t->platform->now_ms(t->platform->ctx));
    if (left <= 0) {
        return 0;
    }
    return (uint32_t)left < t->step_timeout_ms ? (uint32_t)left : t->step_timeout_ms;
}

bool ornd_tls_no_wait(const ornd_tls_t *t)
{
    return t->nonblocking || t->poll_only;
}

bool ornd_tls_may_call(const ornd_tls_t *t, uint32_t *wait)
{
    if (ornd_tls_no_wait(t)) {
        *wait = 0;
        return true;
    }
    *wait = ornd_tls_step_wait(t);
    return *wait != 0;
}

ornd_err_t ornd_tls_transport_open(ornd_tls_t *t, const char *host, uint16_t port,
                                   uint32_t timeout_ms, uint32_t deadline, bool nonblocking)
{
    if (!t->ready || t->conf == NULL || !t->conf->ready || host == NULL) {
        return ORND_ERR_STATE;
    }
    const ornd_transport_t *tr = t->transport;
    if (nonblocking && tr->connect_start == NULL) {
        return ORND_ERR_PORT;
    }
    ornd_tls_close(t);
    t->step_timeout_ms = timeout_ms;
    t->deadline = deadline;
    t->poll_only = false;
    t->nonblocking = nonblocking;
    /* blocking: within the step's time; polled: started without waiting */
    uint32_t wait;
    if (!ornd_tls_may_call(t, &wait)) {
        return ORND_ERR_TIMEOUT;
    }
    return nonblocking ? tr->connect_start(tr->ctx, host, port)
                       : tr->connect(tr->ctx, host, port, wait);
}
