/* A port that counts what goes over the wire, for the network benchmarks.
 *
 * It wraps another port (the POSIX one) and counts TCP payload bytes each
 * way, connects, and round trips: a receive after a send, i.e. a point
 * where the client waits for the peer. Each connection of the library (the
 * token client's, an API connection's) gets its own counter and port.
 */
#ifndef BENCH_COUNT_PORT_H
#define BENCH_COUNT_PORT_H

#include <string.h>

#include "ornd/client.h"

typedef struct {
    const ornd_port_t *inner;
    unsigned long tx, rx, sends, recvs, round_trips, connects;
    int last; /* 0 none, 1 send, 2 recv */
} counter_t;

/* Zero the figures, keep the wrapped port. */
static void counter_reset(counter_t *c)
{
    const ornd_port_t *inner = c->inner;
    memset(c, 0, sizeof *c);
    c->inner = inner;
}

static int c_connect(void *ctx, const char *host, uint16_t port, uint32_t t)
{
    counter_t *c = ctx;
    c->connects++;
    c->last = 0;
    return c->inner->net_connect(c->inner->ctx, host, port, t);
}

static int c_send(void *ctx, const uint8_t *buf, size_t len, uint32_t t)
{
    counter_t *c = ctx;
    int n = c->inner->net_send(c->inner->ctx, buf, len, t);
    if (n > 0) {
        c->tx += (unsigned long)n;
        c->sends++;
        c->last = 1;
    }
    return n;
}

static int c_recv(void *ctx, uint8_t *buf, size_t len, uint32_t t)
{
    counter_t *c = ctx;
    if (t > 0) { /* a zero wait only polls (is the kept connection still fit?) */
        if (c->last == 1) {
            c->round_trips++; /* we sent, now we wait for the peer */
        }
        c->last = 2;
    }
    int n = c->inner->net_recv(c->inner->ctx, buf, len, t);
    if (n > 0) {
        c->rx += (unsigned long)n;
        c->recvs++;
    }
    return n;
}

static void c_close(void *ctx)
{
    counter_t *c = ctx;
    c->inner->net_close(c->inner->ctx);
}

static uint32_t c_now(void *ctx)
{
    counter_t *c = ctx;
    return c->inner->now_ms(c->inner->ctx);
}

static int c_entropy(void *ctx, uint8_t *buf, size_t len)
{
    counter_t *c = ctx;
    return c->inner->entropy(c->inner->ctx, buf, len);
}

/* `port` counts into `c`, which wraps `inner`. */
static void counting_port(ornd_port_t *port, counter_t *c, const ornd_port_t *inner)
{
    memset(c, 0, sizeof *c);
    c->inner = inner;
    *port = (ornd_port_t){.ctx = c, .net_connect = c_connect, .net_send = c_send,
                          .net_recv = c_recv, .net_close = c_close, .now_ms = c_now,
                          .entropy = c_entropy};
}

#endif /* BENCH_COUNT_PORT_H */
