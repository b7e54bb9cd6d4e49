/* SPDX-License-Identifier: MIT */
/* lwIP port (sockets API, NO_SYS=0): non-blocking lwIP sockets waited on with
 * lwip_poll(), lwip_getaddrinfo() name resolution, sys_now() as the clock,
 * sys_mutex for lock/unlock, and the firmware's entropy source. */
#include "ornd_lwip.h"

#include <string.h>

#include "lwip/errno.h"
#include "lwip/netdb.h"
#include "lwip/sockets.h"
#include "ornd/error.h"

#if defined(LWIP_DNS) && !LWIP_DNS
#error "port/lwip needs LWIP_DNS 1 (lwip_getaddrinfo)"
#endif

/* lwip_send()/lwip_recv() count in ssize_t: one call moves at most this. */
#define INT_MAX_BYTES 0x7fffffffu

/* ---- platform -------------------------------------------------------------- */

static uint32_t lw_now_ms(void *ctx)
{
    const ornd_lwip_platform_t *p = ctx;
    return (uint32_t)sys_now() + p->clock_bias;
}

static ornd_err_t lw_entropy(void *ctx, uint8_t *buf, size_t len)
{
    const ornd_lwip_platform_t *p = ctx;
    return p->entropy(p->entropy_ctx, buf, len) == 0 ? ORND_OK : ORND_ERR_ENTROPY;
}

static void lw_lock(void *ctx)
{
    ornd_lwip_platform_t *p = ctx;
    sys_mutex_lock(&p->lock);
}

static void lw_unlock(void *ctx)
{
    ornd_lwip_platform_t *p = ctx;
    sys_mutex_unlock(&p->lock);
}

ornd_err_t ornd_lwip_platform(ornd_platform_t *p, ornd_lwip_platform_t *ctx,
                              ornd_lwip_entropy_fn entropy, void *entropy_ctx)
{
    if (p == NULL || ctx == NULL || entropy == NULL) {
        return ORND_ERR_ARG;
    }
    memset(p, 0, sizeof *p);
    ctx->clock_bias = 0;
    ctx->entropy = entropy;
    ctx->entropy_ctx = entropy_ctx;
    ctx->lock_ready = sys_mutex_new(&ctx->lock) == ERR_OK;
    if (!ctx->lock_ready) {
        return ORND_ERR_PORT;
    }
    *p = (ornd_platform_t){
        .ctx = ctx,
        .now_ms = lw_now_ms,
        .entropy = lw_entropy,
        .lock = lw_lock,
        .unlock = lw_unlock,
        .unix_time = NULL, /* lwIP has no wall clock */
    };
    return ORND_OK;
}

void ornd_lwip_platform_release(ornd_lwip_platform_t *ctx)
{
    if (ctx != NULL && ctx->lock_ready) {
        sys_mutex_free(&ctx->lock);
        ctx->lock_ready = false;
    }
}

/* ---- transport ------------------------------------------------------------- */

/* Milliseconds left until `deadline` on lwIP's clock, 0 when past. */
static int ms_left(uint32_t deadline)
{
    int32_t left = (int32_t)(deadline - (uint32_t)sys_now());
    return left > 0 ? (int)left : 0;
}

/* "Nothing moved": ORND_ERR_WOULD_BLOCK when asked not to wait, else the
 * wait ran out. */
static ornd_err_t nothing(uint32_t timeout_ms)
{
    return timeout_ms == 0 ? ORND_ERR_WOULD_BLOCK : ORND_ERR_TIMEOUT;
}

static bool try_again(int err)
{
    return err == EAGAIN || err == EWOULDBLOCK || err == EINTR;
}

/* Wait until `deadline` for `events` on the socket; 1 ready, 0 timeout,
 * -1 error. */
static int wait_sock(const ornd_lwip_conn_t *c, short events, uint32_t deadline)
{
    for (;;) {
        struct pollfd pfd = {.fd = c->sock, .events = events, .revents = 0};
        int r = lwip_poll(&pfd, 1, ms_left(deadline));
        if (r > 0) {
            return 1;
        }
        if (r == 0) {
            return 0;
        }
        if (errno != EINTR) {
            return -1;
        }
    }
}

static void close_sock(ornd_lwip_conn_t *c)
{
    if (c->sock >= 0) {
        (void)lwip_close(c->sock);
        c->sock = -1;
    }
}

/* Resolve `host` for `family` (AF_UNSPEC: lwIP's default order) into *ai,
 * with `port` set. lwip_getaddrinfo() yields one address per call. */
static ornd_err_t resolve(const char *host, uint16_t port, int family, struct addrinfo **ai)
{
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    *ai = NULL;
    if (lwip_getaddrinfo(host, NULL, &hints, ai) != 0 || *ai == NULL) {
        return ORND_ERR_DNS;
    }
#if LWIP_IPV4
    if ((*ai)->ai_family == AF_INET) {
        ((struct sockaddr_in *)(void *)(*ai)->ai_addr)->sin_port = lwip_htons(port);
    }
#endif
#if LWIP_IPV6
    if ((*ai)->ai_family == AF_INET6) {
        ((struct sockaddr_in6 *)(void *)(*ai)->ai_addr)->sin6_port = lwip_htons(port);
    }
#endif
    return ORND_OK;
}

/* Start connecting to one address: ORND_OK connected, ORND_ERR_WOULD_BLOCK
 * under way (c->sock open in both), else ORND_ERR_CONNECT. */
static ornd_err_t connect_begin(ornd_lwip_conn_t *c, const struct addrinfo *ai)
{
    c->sock = lwip_socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
    if (c->sock < 0) {
        return ORND_ERR_CONNECT;
    }
    if (lwip_fcntl(c->sock, F_SETFL, O_NONBLOCK) == 0) {
        if (lwip_connect(c->sock, ai->ai_addr, ai->ai_addrlen) == 0) {
            return ORND_OK;
        }
        if (errno == EINPROGRESS) {
            return ORND_ERR_WOULD_BLOCK;
        }
    }
    close_sock(c);
    return ORND_ERR_CONNECT;
}

/* A connection under way: wait until `deadline` for it. ORND_OK when up,
 * ORND_ERR_TIMEOUT when still under way, else ORND_ERR_CONNECT (socket
 * closed). */
static ornd_err_t connect_wait(ornd_lwip_conn_t *c, uint32_t deadline)
{
    int w = wait_sock(c, POLLOUT, deadline);
    if (w == 0) {
        return ORND_ERR_TIMEOUT;
    }
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (w > 0 && lwip_getsockopt(c->sock, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0) {
        return ORND_OK;
    }
    close_sock(c);
    return ORND_ERR_CONNECT;
}

/* One blocking attempt on the address of `family`; ORND_OK leaves c->sock
 * open. *got_family: the family lwIP's resolver answered with. */
static ornd_err_t try_family(ornd_lwip_conn_t *c, const char *host, uint16_t port, int family,
                             uint32_t deadline, int *got_family)
{
    struct addrinfo *ai;
    if (resolve(host, port, family, &ai) != ORND_OK) {
        return ORND_ERR_DNS;
    }
    *got_family = ai->ai_family;
    ornd_err_t rc = connect_begin(c, ai);
    if (rc == ORND_ERR_WOULD_BLOCK) {
        rc = connect_wait(c, deadline);
        if (rc == ORND_ERR_TIMEOUT) {
            close_sock(c);
        }
    }
    lwip_freeaddrinfo(ai);
    return rc;
}

static void lw_close(void *ctx)
{
    ornd_lwip_conn_t *c = ctx;
    close_sock(c);
    c->connecting = false;
    c->failed = ORND_OK;
}

static ornd_err_t lw_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    ornd_lwip_conn_t *c = ctx;
    lw_close(c);
    uint32_t deadline = (uint32_t)sys_now() + timeout_ms;
    int family = AF_UNSPEC;
    ornd_err_t rc = try_family(c, host, port, AF_UNSPEC, deadline, &family);
#if LWIP_IPV4 && LWIP_IPV6
    /* A dual-stack host name: if the first family failed to connect, try
     * the other one (an IP literal resolves to its own family only). */
    if (rc != ORND_OK && rc != ORND_ERR_DNS && ms_left(deadline) > 0) {
        int other = family == AF_INET ? AF_INET6 : AF_INET;
        ornd_err_t rc2 = try_family(c, host, port, other, deadline, &family);
        if (rc2 != ORND_ERR_DNS) {
            rc = rc2;
        }
    }
#endif
    return rc;
}

/* Resolve (blocking), then connect without waiting: send and recv finish
 * the connect. */
static ornd_err_t lw_connect_start(void *ctx, const char *host, uint16_t port)
{
    ornd_lwip_conn_t *c = ctx;
    lw_close(c);
    struct addrinfo *ai;
    if (resolve(host, port, AF_UNSPEC, &ai) != ORND_OK) {
        return ORND_ERR_DNS;
    }
    ornd_err_t rc = connect_begin(c, ai);
    lwip_freeaddrinfo(ai);
    if (rc == ORND_ERR_WOULD_BLOCK) {
        c->connecting = true;
        return ORND_OK;
    }
    return rc;
}

/* Before send/recv: finish a connect_start connection, waiting until
 * `deadline`. ORND_OK: connected; ORND_ERR_WOULD_BLOCK (timeout 0) or
 * ORND_ERR_TIMEOUT: not yet; else why it failed (also on later calls). */
static ornd_err_t connect_settle(ornd_lwip_conn_t *c, uint32_t deadline, uint32_t timeout_ms)
{
    if (c->failed != ORND_OK || !c->connecting) {
        return c->failed;
    }
    ornd_err_t rc = connect_wait(c, deadline);
    if (rc == ORND_ERR_TIMEOUT) {
        return nothing(timeout_ms);
    }
    c->connecting = false;
    c->failed = rc;
    return rc;
}

/* One send of `out` or, with `out` NULL, one receive into `in`, of up to
 * len bytes once the socket is ready, waiting at most timeout_ms in all;
 * the count in *moved. */
static ornd_err_t transfer(ornd_lwip_conn_t *c, const uint8_t *out, uint8_t *in, size_t len,
                           uint32_t timeout_ms, size_t *moved)
{
    *moved = 0;
    uint32_t deadline = (uint32_t)sys_now() + timeout_ms;
    ornd_err_t rc = connect_settle(c, deadline, timeout_ms);
    if (rc != ORND_OK) {
        return rc;
    }
    if (c->sock < 0) {
        return ORND_ERR_NET;
    }
    if (len > INT_MAX_BYTES) {
        len = INT_MAX_BYTES;
    }
    for (;;) {
        int w = wait_sock(c, out != NULL ? POLLOUT : POLLIN, deadline);
        if (w <= 0) {
            return w == 0 ? nothing(timeout_ms) : ORND_ERR_NET;
        }
        ssize_t n = out != NULL ? lwip_send(c->sock, out, len, 0) : lwip_recv(c->sock, in, len, 0);
        int err = errno;
        if (n > 0) {
            *moved = (size_t)n;
            return ORND_OK;
        }
        if (n == 0) {
            return ORND_ERR_CLOSED; /* recv: the peer's FIN, the end of the stream */
        }
        if (!try_again(err)) {
            /* send: the connection is gone (closed or reset); else a reset,
             * an abort, or the socket failed */
            bool gone = out != NULL && (err == EPIPE || err == ECONNRESET || err == ENOTCONN);
            return gone ? ORND_ERR_CLOSED : ORND_ERR_NET;
        }
        if (timeout_ms == 0 || ms_left(deadline) == 0) {
            return nothing(timeout_ms);
        }
    }
}

static ornd_err_t lw_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms,
                          size_t *sent)
{
    return transfer(ctx, buf, NULL, len, timeout_ms, sent);
}

static ornd_err_t lw_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms,
                          size_t *received)
{
    return transfer(ctx, NULL, buf, len, timeout_ms, received);
}

ornd_err_t ornd_lwip_transport(ornd_transport_t *t, ornd_lwip_conn_t *ctx)
{
    if (t == NULL || ctx == NULL) {
        return ORND_ERR_ARG;
    }
    ctx->sock = -1;
    ctx->connecting = false;
    ctx->failed = ORND_OK;
    *t = (ornd_transport_t){
        .ctx = ctx,
        .connect = lw_connect,
        .connect_start = lw_connect_start,
        .send = lw_send,
        .recv = lw_recv,
        .close = lw_close,
    };
    return ORND_OK;
}
