/* SPDX-License-Identifier: MIT */
/* A transport that counts what goes over the wire, for the network
 * benchmarks.
 *
 * It wraps another transport (the POSIX one) and counts TCP payload bytes
 * each way, connects, and round trips: a receive after a send, i.e. a point
 * where the client waits for the peer. Each connection of the library (the
 * token client's, an API connection's) gets its own counter and transport.
 */
#ifndef BENCH_COUNT_PORT_H
#define BENCH_COUNT_PORT_H

#include <string.h>

#include "ornd/client.h"

typedef struct {
    const ornd_transport_t *inner;
    unsigned long tx, rx, sends, recvs, round_trips, connects;
    int last; /* 0 none, 1 send, 2 recv */
} counter_t;

/* Zero the figures, keep the wrapped transport. */
static void counter_reset(counter_t *c)
{
    const ornd_transport_t *inner = c->inner;
    memset(c, 0, sizeof *c);
    c->inner = inner;
}

static ornd_err_t c_connect(void *ctx, const char *host, uint16_t port, uint32_t t)
{
    counter_t *c = ctx;
    c->connects++;
    c->last = 0;
    return c->inner->connect(c->inner->ctx, host, port, t);
}

static ornd_err_t c_send(void *ctx, const uint8_t *buf, size_t len, uint32_t t, size_t *sent)
{
    counter_t *c = ctx;
    ornd_err_t rc = c->inner->send(c->inner->ctx, buf, len, t, sent);
    if (rc == ORND_OK) {
        c->tx += (unsigned long)*sent;
        c->sends++;
        c->last = 1;
    }
    return rc;
}

static ornd_err_t c_recv(void *ctx, uint8_t *buf, size_t len, uint32_t t, size_t *got)
{
    counter_t *c = ctx;
    if (t > 0) { /* a zero wait only polls (is the kept connection still fit?) */
        if (c->last == 1) {
            c->round_trips++; /* we sent, now we wait for the peer */
        }
        c->last = 2;
    }
    ornd_err_t rc = c->inner->recv(c->inner->ctx, buf, len, t, got);
    if (rc == ORND_OK) {
        c->rx += (unsigned long)*got;
        c->recvs++;
    }
    return rc;
}

static void c_close(void *ctx)
{
    counter_t *c = ctx;
    c->inner->close(c->inner->ctx);
}

/* `t` counts into `c`, which wraps `inner` (blocking calls only). */
static void counting_transport(ornd_transport_t *t, counter_t *c, const ornd_transport_t *inner)
{
    memset(c, 0, sizeof *c);
    c->inner = inner;
    *t = (ornd_transport_t){
        .ctx = c, .connect = c_connect, .send = c_send, .recv = c_recv, .close = c_close};
}

#endif /* BENCH_COUNT_PORT_H */
