/* SPDX-License-Identifier: MIT */
/* The fault-injecting transport of fault.h. */
#include "fault.h"

#include <string.h>

#include "ornd/error.h"

#define FOREVER_MS 0x40000000u

void fault_plan_init(fault_plan_t *p, fault_clock_t clock)
{
    memset(p, 0, sizeof *p);
    p->clock = clock;
}

int fault_add(fault_plan_t *p, fault_t f)
{
    if (p->n_faults == FAULTS_MAX) {
        return -1;
    }
    p->faults[p->n_faults++] = f;
    return 0;
}

void fault_seed(fault_plan_t *p, uint32_t seed, unsigned one_in, uint32_t max_stall_ms)
{
    p->seed = seed;
    p->one_in = one_in != 0 ? one_in : 1u;
    p->max_stall_ms = max_stall_ms;
}

const char *fault_name(fault_kind_t k)
{
    static const char *const names[FAULT_KINDS] = {"none",  "short", "not-now", "timeout",
                                                   "reset", "close", "stall"};
    return k < FAULT_KINDS ? names[k] : "?";
}

static uint32_t rnd(fault_plan_t *p)
{
    p->seed = p->seed * 1103515245u + 12345u;
    return p->seed >> 8;
}

/* Count the call; the fault it gets, if any. */
static fault_t fault_for(fault_plan_t *p, char kind)
{
    fault_t f;
    memset(&f, 0, sizeof f);
    p->calls++;
    if (p->calls <= FAULT_TRACE_MAX) {
        p->trace[p->calls - 1u] = kind;
    }
    for (unsigned i = 0; i < p->n_faults; i++) {
        if (p->faults[i].at == p->calls) {
            f = p->faults[i];
        }
    }
    if (f.kind == FAULT_NONE && p->seed != 0 && rnd(p) % p->one_in == 0) {
        f.kind = (fault_kind_t)(1u + rnd(p) % (unsigned)(FAULT_KINDS - 1));
        f.len = 1u + rnd(p) % 64u;
        f.ms = p->max_stall_ms != 0 ? rnd(p) % (p->max_stall_ms + 1u) : 0u;
    }
    if (f.kind == FAULT_SHORT && f.len == 0) {
        f.len = 1;
    }
    if (f.kind != FAULT_NONE) {
        p->injected++;
    }
    return f;
}

static uint32_t now(const fault_conn_t *c)
{
    return c->plan->clock.now(c->plan->clock.ctx);
}

static void wait(const fault_conn_t *c, uint32_t ms)
{
    if (ms > 0) {
        c->plan->clock.wait(c->plan->clock.ctx, ms);
    }
}

static void stall(fault_conn_t *c, uint32_t ms)
{
    c->stalled = true;
    c->stall_until = now(c) + ms;
}

/* Before a send or receive: ORND_OK to pass the call on (with *len maybe
 * shortened), else what the call returns. */
static ornd_err_t before_io(fault_conn_t *c, fault_t f, uint32_t timeout_ms, size_t *len)
{
    if (c->broken) {
        return c->broken_err;
    }
    switch (f.kind) {
    case FAULT_SHORT:
        *len = *len > f.len ? f.len : *len;
        break;
    case FAULT_NOT_NOW:
        if (timeout_ms == 0) {
            return ORND_ERR_WOULD_BLOCK;
        }
        wait(c, timeout_ms / 2u);
        timeout_ms -= timeout_ms / 2u;
        break;
    case FAULT_TIMEOUT:
        if (timeout_ms == 0) {
            return ORND_ERR_WOULD_BLOCK;
        }
        wait(c, timeout_ms);
        return ORND_ERR_TIMEOUT;
    case FAULT_RESET:
    case FAULT_CLOSE:
        c->broken = true;
        c->broken_err = f.kind == FAULT_RESET ? ORND_ERR_NET : ORND_ERR_CLOSED;
        return c->broken_err;
    case FAULT_STALL:
        stall(c, f.ms);
        break;
    default:
        break;
    }
    if (c->stalled) {
        int32_t left = (int32_t)(c->stall_until - now(c));
        if (left > 0) {
            if (timeout_ms == 0) {
                return ORND_ERR_WOULD_BLOCK;
            }
            if ((uint32_t)left > timeout_ms) {
                wait(c, timeout_ms);
                return ORND_ERR_TIMEOUT;
            }
            wait(c, (uint32_t)left);
        }
        c->stalled = false;
    }
    return ORND_OK;
}

static void note_connect(fault_conn_t *c)
{
    if (c->connects < FAULT_CONNECTS_KEPT) {
        c->connect_at[c->connects] = now(c);
    }
    c->connects++;
}

static void reset_state(fault_conn_t *c)
{
    c->broken = false;
    c->stalled = false;
}

static ornd_err_t f_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    fault_conn_t *c = ctx;
    fault_t f = fault_for(c->plan, 'c');
    note_connect(c);
    reset_state(c);
    switch (f.kind) {
    case FAULT_RESET:
    case FAULT_CLOSE:
        c->inner->close(c->inner->ctx);
        return ORND_ERR_CONNECT;
    case FAULT_TIMEOUT:
        c->inner->close(c->inner->ctx);
        wait(c, timeout_ms);
        return ORND_ERR_TIMEOUT;
    case FAULT_NOT_NOW:
        wait(c, timeout_ms / 2u);
        timeout_ms -= timeout_ms / 2u;
        break;
    case FAULT_STALL:
        if (f.ms >= timeout_ms) {
            c->inner->close(c->inner->ctx);
            wait(c, timeout_ms);
            return ORND_ERR_TIMEOUT;
        }
        wait(c, f.ms);
        timeout_ms -= f.ms;
        break;
    default:
        break;
    }
    return c->inner->connect(c->inner->ctx, host, port, timeout_ms);
}

static ornd_err_t f_connect_start(void *ctx, const char *host, uint16_t port)
{
    fault_conn_t *c = ctx;
    fault_t f = fault_for(c->plan, 'c');
    note_connect(c);
    reset_state(c);
    if (f.kind == FAULT_RESET || f.kind == FAULT_CLOSE) {
        c->inner->close(c->inner->ctx);
        return ORND_ERR_CONNECT;
    }
    ornd_err_t rc = c->inner->connect_start(c->inner->ctx, host, port);
    if (rc == ORND_OK && f.kind == FAULT_TIMEOUT) {
        stall(c, FOREVER_MS); /* the connection never comes up */
    } else if (rc == ORND_OK && (f.kind == FAULT_STALL || f.kind == FAULT_NOT_NOW)) {
        stall(c, f.kind == FAULT_STALL ? f.ms : 10u); /* it comes up late */
    }
    return rc;
}

static ornd_err_t f_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms,
                         size_t *sent)
{
    fault_conn_t *c = ctx;
    *sent = 0;
    fault_t f = fault_for(c->plan, 's');
    uint32_t t0 = now(c);
    ornd_err_t rc = before_io(c, f, timeout_ms, &len);
    if (rc != ORND_OK) {
        return rc;
    }
    uint32_t spent = now(c) - t0;
    uint32_t left = timeout_ms == 0 ? 0u : timeout_ms - spent;
    if (timeout_ms != 0 && left == 0) {
        return ORND_ERR_TIMEOUT; /* the wait took all of it */
    }
    return c->inner->send(c->inner->ctx, buf, len, left, sent);
}

static ornd_err_t f_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms, size_t *received)
{
    fault_conn_t *c = ctx;
    *received = 0;
    fault_t f = fault_for(c->plan, 'r');
    uint32_t t0 = now(c);
    ornd_err_t rc = before_io(c, f, timeout_ms, &len);
    if (rc != ORND_OK) {
        return rc;
    }
    uint32_t spent = now(c) - t0;
    uint32_t left = timeout_ms == 0 ? 0u : timeout_ms - spent;
    if (timeout_ms != 0 && left == 0) {
        return ORND_ERR_TIMEOUT; /* the wait took all of it */
    }
    return c->inner->recv(c->inner->ctx, buf, len, left, received);
}

static void f_close(void *ctx)
{
    fault_conn_t *c = ctx;
    reset_state(c);
    c->inner->close(c->inner->ctx);
}

void fault_transport(ornd_transport_t *t, fault_conn_t *c, const ornd_transport_t *inner,
                     fault_plan_t *plan)
{
    memset(c, 0, sizeof *c);
    c->plan = plan;
    c->inner = inner;
    memset(t, 0, sizeof *t);
    t->ctx = c;
    t->connect = f_connect;
    t->connect_start = inner->connect_start != NULL ? f_connect_start : NULL;
    t->send = f_send;
    t->recv = f_recv;
    t->close = f_close;
}
