/* SPDX-License-Identifier: MIT */
/* lwIP port, raw API (NO_SYS=1): tcp_* callbacks record events in the
 * connection's context. With a timeout, a transport call polls lwIP through
 * the firmware's hook until its event arrives or its time is up; with
 * timeout 0 (and connect_start) it never calls the hook, and the super loop
 * runs lwIP between the client's polled steps. */
#include "ornd_lwip_raw.h"

#include <stdbool.h>
#include <string.h>

#include "lwip/dns.h"
#include "lwip/pbuf.h"
#include "lwip/sys.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "ornd/error.h"

/* Received data waits in one pbuf chain until the library reads it and is
 * acknowledged (tcp_recved) only then, so the chain never outgrows the
 * receive window; its length is a 16-bit field, which a window of 64 KiB
 * or more (window scaling) could overflow. */
#if LWIP_WND_SCALE
#error "ornd_lwip_raw.c keeps unread data in one pbuf chain (16-bit length): no LWIP_WND_SCALE"
#endif

enum {
    ST_IDLE = 0,
    ST_RESOLVING,
    ST_RESOLVED,
    ST_CONNECTING,
    ST_CONNECTED,
    ST_FAILED /* DNS failure, connection refused, reset or aborted */
};

/* ---- platform -------------------------------------------------------------- */

static uint32_t raw_now_ms(void *ctx)
{
    const ornd_lwip_raw_platform_t *p = ctx;
    return (uint32_t)sys_now() + p->clock_bias;
}

static ornd_err_t raw_entropy(void *ctx, uint8_t *buf, size_t len)
{
    const ornd_lwip_raw_platform_t *p = ctx;
    return p->entropy(p->entropy_ctx, buf, len) == 0 ? ORND_OK : ORND_ERR_ENTROPY;
}

ornd_err_t ornd_lwip_raw_platform(ornd_platform_t *p, ornd_lwip_raw_platform_t *ctx,
                                  ornd_lwip_raw_entropy_fn entropy, void *entropy_ctx)
{
    if (p == NULL || ctx == NULL || entropy == NULL) {
        return ORND_ERR_ARG;
    }
    ctx->clock_bias = 0;
    ctx->entropy = entropy;
    ctx->entropy_ctx = entropy_ctx;
    *p = (ornd_platform_t){
        .ctx = ctx,
        .now_ms = raw_now_ms,
        .entropy = raw_entropy,
        .lock = NULL, /* one thread */
        .unlock = NULL,
        .unix_time = NULL, /* lwIP has no wall clock */
    };
    return ORND_OK;
}

/* ---- transport: waiting ------------------------------------------------------ */

static uint32_t ms_left(uint32_t deadline)
{
    int32_t left = (int32_t)(deadline - (uint32_t)sys_now());
    return left > 0 ? (uint32_t)left : 0u;
}

/* "Nothing moved": ORND_ERR_WOULD_BLOCK when asked not to wait, else the
 * wait ran out (or there is no hook to wait with). */
static ornd_err_t nothing(uint32_t timeout_ms)
{
    return timeout_ms == 0 ? ORND_ERR_WOULD_BLOCK : ORND_ERR_TIMEOUT;
}

/* Let lwIP run (the poll hook) until something may have happened; false
 * when the time is up or there is no hook to wait with. */
static bool wait_some(ornd_lwip_raw_conn_t *p, uint32_t deadline)
{
    uint32_t left = ms_left(deadline);
    if (left == 0 || p->poll == NULL) {
        return false;
    }
    p->poll(p->poll_ctx, left);
    return true;
}

/* ---- lwIP callbacks --------------------------------------------------- */

#if LWIP_DNS
static void on_dns(const char *name, const ip_addr_t *addr, void *arg)
{
    ornd_lwip_raw_conn_t *p = arg;
    (void)name;
    if (p->state != ST_RESOLVING) {
        return; /* an answer to a query given up on */
    }
    if (addr == NULL) {
        p->fail_rc = ORND_ERR_DNS;
        p->state = ST_FAILED;
    } else {
        ip_addr_copy(p->addr, *addr);
        p->state = ST_RESOLVED;
    }
}
#endif

static void on_err(void *arg, err_t err)
{
    ornd_lwip_raw_conn_t *p = arg;
    (void)err;
    if (p != NULL) {
        p->pcb = NULL; /* lwIP has freed it */
        p->fail_rc = p->state == ST_CONNECTED ? ORND_ERR_NET : ORND_ERR_CONNECT;
        p->state = ST_FAILED;
    }
}

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
    ornd_lwip_raw_conn_t *p = arg;
    (void)pcb;
    if (p != NULL) {
        p->fail_rc = ORND_ERR_CONNECT;
        p->state = err == ERR_OK ? ST_CONNECTED : ST_FAILED;
    }
    return ERR_OK;
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *data, err_t err)
{
    ornd_lwip_raw_conn_t *p = arg;
    (void)pcb;
    if (p == NULL || err != ERR_OK) {
        if (data != NULL) {
            pbuf_free(data);
        }
        return ERR_OK;
    }
    if (data == NULL) {
        p->peer_closed = 1;
    } else if (p->rx == NULL) {
        p->rx = data;
    } else {
        pbuf_cat(p->rx, data);
    }
    return ERR_OK;
}

/* ---- connecting, in steps ------------------------------------------------- */

static void raw_close(void *ctx)
{
    ornd_lwip_raw_conn_t *p = ctx;
    if (p->pcb != NULL) {
        tcp_arg(p->pcb, NULL);
        tcp_recv(p->pcb, NULL);
        tcp_err(p->pcb, NULL);
        if (tcp_close(p->pcb) != ERR_OK) {
            tcp_abort(p->pcb);
        }
        p->pcb = NULL;
    }
    if (p->rx != NULL) {
        pbuf_free(p->rx);
        p->rx = NULL;
    }
    p->peer_closed = 0;
    p->state = ST_IDLE;
}

static void fail(ornd_lwip_raw_conn_t *p, ornd_err_t rc)
{
    p->fail_rc = rc;
    p->state = ST_FAILED;
}

/* The name is resolved: open the TCP connection (its outcome comes to
 * on_connected or on_err). */
static void start_tcp(ornd_lwip_raw_conn_t *p)
{
    p->pcb = tcp_new_ip_type(IP_GET_TYPE(&p->addr));
    if (p->pcb == NULL) {
        fail(p, ORND_ERR_CONNECT);
        return;
    }
    tcp_arg(p->pcb, p);
    tcp_err(p->pcb, on_err);
    tcp_recv(p->pcb, on_recv);
    p->state = ST_CONNECTING;
    if (tcp_connect(p->pcb, &p->addr, p->remote_port, on_connected) != ERR_OK) {
        tcp_arg(p->pcb, NULL);
        tcp_abort(p->pcb);
        p->pcb = NULL;
        fail(p, ORND_ERR_CONNECT);
    }
}

/* Move the connection on as far as it goes without waiting. */
static void advance(ornd_lwip_raw_conn_t *p)
{
    if (p->state == ST_RESOLVED) {
        start_tcp(p);
    }
}

static bool under_way(const ornd_lwip_raw_conn_t *p)
{
    return p->state == ST_RESOLVING || p->state == ST_RESOLVED || p->state == ST_CONNECTING;
}

/* Why the connection is unusable (not under way, not connected). */
static ornd_err_t unusable(const ornd_lwip_raw_conn_t *p)
{
    return p->state == ST_FAILED ? p->fail_rc : ORND_ERR_NET;
}

/* Resolve and connect, without waiting: the callbacks and advance() do the
 * rest. ORND_OK once under way. */
static ornd_err_t raw_connect_start(void *ctx, const char *host, uint16_t port)
{
    ornd_lwip_raw_conn_t *p = ctx;
    raw_close(p);
    p->remote_port = port;
#if LWIP_DNS
    p->state = ST_RESOLVING;
    err_t e = dns_gethostbyname(host, &p->addr, on_dns, p);
    if (e == ERR_OK) {
        p->state = ST_RESOLVED;
    } else if (e != ERR_INPROGRESS) {
        p->state = ST_IDLE;
        return ORND_ERR_DNS;
    }
#else
    if (!ipaddr_aton(host, &p->addr)) {
        return ORND_ERR_DNS;
    }
    p->state = ST_RESOLVED;
#endif
    advance(p);
    if (p->state == ST_FAILED) {
        ornd_err_t rc = p->fail_rc;
        raw_close(p);
        return rc;
    }
    return ORND_OK;
}

/* Blocking connect: start, then poll lwIP until it is up or time is up. */
static ornd_err_t raw_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    ornd_lwip_raw_conn_t *p = ctx;
    uint32_t deadline = (uint32_t)sys_now() + timeout_ms;
    ornd_err_t rc = raw_connect_start(p, host, port);
    while (rc == ORND_OK) {
        advance(p);
        if (p->state == ST_CONNECTED) {
            return ORND_OK;
        }
        if (!under_way(p) || !wait_some(p, deadline)) {
            rc = under_way(p) ? ORND_ERR_TIMEOUT : unusable(p);
            raw_close(p); /* a late DNS answer is ignored */
            return rc;
        }
    }
    return rc;
}

/* ---- data ------------------------------------------------------------ */

/* A connection still being set up counts as "nothing yet" for send and
 * recv: with a timeout they wait for it as they wait for data. */
static ornd_err_t raw_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms,
                           size_t *sent)
{
    ornd_lwip_raw_conn_t *p = ctx;
    uint32_t deadline = (uint32_t)sys_now() + timeout_ms;
    *sent = 0;
    for (;;) {
        advance(p);
        if (p->state == ST_CONNECTED && p->pcb != NULL) {
            uint16_t room = (uint16_t)tcp_sndbuf(p->pcb);
            if (room > 0 && tcp_sndqueuelen(p->pcb) < TCP_SND_QUEUELEN) {
                uint16_t n = len < room ? (uint16_t)len : room;
                err_t e = tcp_write(p->pcb, buf, n, TCP_WRITE_FLAG_COPY);
                if (e == ERR_OK) {
                    (void)tcp_output(p->pcb);
                    *sent = n;
                    return ORND_OK;
                }
                if (e != ERR_MEM) {
                    return ORND_ERR_NET;
                }
            }
        } else if (!under_way(p)) {
            return unusable(p);
        }
        if (!wait_some(p, deadline)) {
            return nothing(timeout_ms);
        }
    }
}

static ornd_err_t raw_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms,
                           size_t *received)
{
    ornd_lwip_raw_conn_t *p = ctx;
    uint32_t deadline = (uint32_t)sys_now() + timeout_ms;
    *received = 0;
    for (;;) {
        if (p->rx != NULL) {
            uint16_t n = p->rx->tot_len;
            if (len < n) {
                n = (uint16_t)len;
            }
            n = pbuf_copy_partial(p->rx, buf, n, 0);
            p->rx = pbuf_free_header(p->rx, n);
            if (p->pcb != NULL) {
                tcp_recved(p->pcb, n);
            }
            *received = n;
            return ORND_OK;
        }
        if (p->peer_closed) {
            return ORND_ERR_CLOSED; /* the peer's FIN: end of stream */
        }
        advance(p);
        if (p->state != ST_CONNECTED && !under_way(p)) {
            return unusable(p);
        }
        if (!wait_some(p, deadline)) {
            return nothing(timeout_ms);
        }
    }
}

ornd_err_t ornd_lwip_raw_transport(ornd_transport_t *t, ornd_lwip_raw_conn_t *ctx,
                                   ornd_lwip_raw_poll_fn poll, void *poll_ctx)
{
    if (t == NULL || ctx == NULL) {
        return ORND_ERR_ARG;
    }
    memset(ctx, 0, sizeof *ctx);
    ctx->state = ST_IDLE;
    ctx->fail_rc = ORND_OK;
    ctx->poll = poll;
    ctx->poll_ctx = poll_ctx;
    *t = (ornd_transport_t){
        .ctx = ctx,
        .connect = raw_connect,
        .connect_start = raw_connect_start,
        .send = raw_send,
        .recv = raw_recv,
        .close = raw_close,
    };
    return ORND_OK;
}
