/* SPDX-License-Identifier: MIT */
/* POSIX port: sockets with poll() timeouts, monotonic clock, getrandom(). */
#define _DEFAULT_SOURCE /* getaddrinfo, getrandom */
#include "ornd_posix.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ornd/error.h"

/* ---- platform -------------------------------------------------------------- */

static uint32_t mono_ms(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    uint64_t ms = (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
    return (uint32_t)ms;
}

static uint32_t posix_now_ms(void *ctx)
{
    const ornd_posix_platform_t *p = ctx;
    return mono_ms() + p->clock_bias;
}

static ornd_err_t posix_entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            return ORND_ERR_ENTROPY;
        }
        buf += n;
        len -= (size_t)n;
    }
    return ORND_OK;
}

static void posix_lock(void *ctx)
{
    ornd_posix_platform_t *p = ctx;
    (void)pthread_mutex_lock(&p->lock);
}

static void posix_unlock(void *ctx)
{
    ornd_posix_platform_t *p = ctx;
    (void)pthread_mutex_unlock(&p->lock);
}

static ornd_err_t posix_unix_time(void *ctx, int64_t *seconds)
{
    (void)ctx;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return ORND_ERR_TIME_UNKNOWN;
    }
    *seconds = (int64_t)ts.tv_sec;
    return ORND_OK;
}

ornd_err_t ornd_posix_platform(ornd_platform_t *p, ornd_posix_platform_t *ctx)
{
    if (p == NULL || ctx == NULL) {
        return ORND_ERR_ARG;
    }
    memset(p, 0, sizeof *p);
    ctx->lock_ready = pthread_mutex_init(&ctx->lock, NULL) == 0;
    if (!ctx->lock_ready) {
        return ORND_ERR_PORT;
    }
    *p = (ornd_platform_t){
        .ctx = ctx,
        .now_ms = posix_now_ms,
        .entropy = posix_entropy,
        .lock = posix_lock,
        .unlock = posix_unlock,
        .unix_time = posix_unix_time,
    };
    return ORND_OK;
}

void ornd_posix_platform_release(ornd_posix_platform_t *ctx)
{
    if (ctx != NULL && ctx->lock_ready) {
        (void)pthread_mutex_destroy(&ctx->lock);
        ctx->lock_ready = false;
    }
}

/* ---- transport ------------------------------------------------------------- */

/* Milliseconds left until `deadline` on the monotonic clock, 0 when past. */
static int ms_left(uint32_t deadline)
{
    int32_t left = (int32_t)(deadline - mono_ms());
    return left > 0 ? (int)left : 0;
}

/* Wait for `events` on fd; 1 ready, 0 timeout, -1 error. Retries on EINTR. */
static int wait_fd(ornd_posix_conn_t *p, short events, uint32_t timeout_ms)
{
    uint32_t deadline = mono_ms() + timeout_ms;
    for (;;) {
        struct pollfd pfd = {.fd = p->fd, .events = events, .revents = 0};
        int r = poll(&pfd, 1, ms_left(deadline));
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

static int set_nonblocking(int fd)
{
    int flags = fcntl(fd, F_GETFL, 0);
    return flags < 0 ? -1 : fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

static void drop_fd(ornd_posix_conn_t *p)
{
    if (p->fd >= 0) {
        close(p->fd);
        p->fd = -1;
    }
}

/* Start connecting to one address: ORND_OK connected, ORND_ERR_WOULD_BLOCK
 * under way (p->fd open in both), else ORND_ERR_CONNECT. */
static ornd_err_t connect_begin(ornd_posix_conn_t *p, const struct addrinfo *ai)
{
    p->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (p->fd < 0) {
        return ORND_ERR_CONNECT;
    }
    if (set_nonblocking(p->fd) == 0) {
        if (connect(p->fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            return ORND_OK;
        }
        if (errno == EINPROGRESS || errno == EINTR) {
            return ORND_ERR_WOULD_BLOCK; /* EINTR: it goes on, as EINPROGRESS */
        }
    }
    drop_fd(p);
    return ORND_ERR_CONNECT;
}

/* A connection under way: wait up to timeout_ms for it; ORND_OK when up,
 * ORND_ERR_TIMEOUT when still under way, else ORND_ERR_CONNECT (fd closed). */
static ornd_err_t connect_wait(ornd_posix_conn_t *p, uint32_t timeout_ms)
{
    int w = wait_fd(p, POLLOUT, timeout_ms);
    if (w == 0) {
        return ORND_ERR_TIMEOUT;
    }
    int soerr = 0;
    socklen_t len = sizeof soerr;
    if (w > 0 && getsockopt(p->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 && soerr == 0) {
        return ORND_OK;
    }
    drop_fd(p);
    return ORND_ERR_CONNECT;
}

/* One connection attempt to one address; ORND_OK leaves p->fd open. */
static ornd_err_t connect_one(ornd_posix_conn_t *p, const struct addrinfo *ai, uint32_t deadline)
{
    ornd_err_t rc = connect_begin(p, ai);
    if (rc == ORND_ERR_WOULD_BLOCK) {
        rc = connect_wait(p, (uint32_t)ms_left(deadline));
        if (rc == ORND_ERR_TIMEOUT) {
            drop_fd(p);
        }
    }
    return rc;
}

static void forget_addrs(ornd_posix_conn_t *p)
{
    if (p->addrs != NULL) {
        freeaddrinfo(p->addrs);
        p->addrs = NULL;
    }
    p->trying = NULL;
}

static ornd_err_t resolve(const char *host, uint16_t port, struct addrinfo **list)
{
    char service[6];
    (void)snprintf(service, sizeof service, "%u", (unsigned)port);
    struct addrinfo hints;
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV;
    *list = NULL;
    return getaddrinfo(host, service, &hints, list) == 0 && *list != NULL ? ORND_OK : ORND_ERR_DNS;
}

static ornd_err_t posix_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    ornd_posix_conn_t *p = ctx;
    drop_fd(p);
    forget_addrs(p);
    struct addrinfo *list;
    if (resolve(host, port, &list) != ORND_OK) {
        return ORND_ERR_DNS;
    }
    uint32_t deadline = mono_ms() + timeout_ms;
    ornd_err_t rc = ORND_ERR_CONNECT;
    for (const struct addrinfo *ai = list; ai != NULL; ai = ai->ai_next) {
        rc = connect_one(p, ai, deadline);
        if (rc == ORND_OK || ms_left(deadline) == 0) {
            break;
        }
    }
    freeaddrinfo(list);
    return rc;
}

/* A polled connect: start on the next address that lets us. */
static ornd_err_t start_from(ornd_posix_conn_t *p, const struct addrinfo *ai)
{
    for (; ai != NULL; ai = ai->ai_next) {
        ornd_err_t rc = connect_begin(p, ai);
        if (rc != ORND_ERR_CONNECT) {
            p->trying = rc == ORND_ERR_WOULD_BLOCK ? ai : NULL;
            return ORND_OK;
        }
    }
    forget_addrs(p);
    return ORND_ERR_CONNECT;
}

static ornd_err_t posix_connect_start(void *ctx, const char *host, uint16_t port)
{
    ornd_posix_conn_t *p = ctx;
    drop_fd(p);
    forget_addrs(p);
    if (resolve(host, port, &p->addrs) != ORND_OK) {
        return ORND_ERR_DNS;
    }
    return start_from(p, p->addrs);
}

/* Before send/recv: finish a polled connect (waiting up to timeout_ms).
 * ORND_OK: connected; ORND_ERR_WOULD_BLOCK (timeout 0) or ORND_ERR_TIMEOUT:
 * not yet; else the connect failed. */
static ornd_err_t connect_settle(ornd_posix_conn_t *p, uint32_t timeout_ms)
{
    while (p->trying != NULL) {
        ornd_err_t rc = connect_wait(p, timeout_ms);
        if (rc == ORND_ERR_TIMEOUT) {
            return timeout_ms == 0 ? ORND_ERR_WOULD_BLOCK : rc;
        }
        if (rc == ORND_OK) {
            forget_addrs(p);
            return ORND_OK;
        }
        rc = start_from(p, p->trying->ai_next); /* this one failed: the next */
        if (rc != ORND_OK) {
            return rc;
        }
    }
    forget_addrs(p);
    return ORND_OK;
}

/* "Nothing moved": ORND_ERR_WOULD_BLOCK when asked not to wait, else the
 * wait ran out. */
static ornd_err_t nothing(uint32_t timeout_ms)
{
    return timeout_ms == 0 ? ORND_ERR_WOULD_BLOCK : ORND_ERR_TIMEOUT;
}

/* A socket error (port.h): for send, a connection the peer closed or reset
 * is gone (ORND_ERR_CLOSED); for recv only the peer's FIN ends the stream,
 * and a reset is a failure (ORND_ERR_NET), so that a cut answer never passes
 * for a complete one. */
static ornd_err_t sock_error(bool sending, int err)
{
    return sending && (err == EPIPE || err == ECONNRESET) ? ORND_ERR_CLOSED : ORND_ERR_NET;
}

/* One send of `out` or, with `out` NULL, one receive into `in`, of up to
 * len bytes once the socket is ready, waiting at most timeout_ms in all;
 * the count in *moved. */
static ornd_err_t transfer(ornd_posix_conn_t *p, const uint8_t *out, uint8_t *in, size_t len,
                           uint32_t timeout_ms, size_t *moved)
{
    short events = out != NULL ? POLLOUT : POLLIN;
    *moved = 0;
    ornd_err_t rc = connect_settle(p, timeout_ms);
    if (rc != ORND_OK) {
        return rc;
    }
    if (p->fd < 0) {
        return ORND_ERR_NET;
    }
    uint32_t deadline = mono_ms() + timeout_ms;
    for (;;) {
        int w = wait_fd(p, events, (uint32_t)ms_left(deadline));
        if (w <= 0) {
            return w == 0 ? nothing(timeout_ms) : ORND_ERR_NET;
        }
        ssize_t n = out != NULL ? send(p->fd, out, len, MSG_NOSIGNAL) : recv(p->fd, in, len, 0);
        if (n > 0) {
            *moved = (size_t)n;
            return ORND_OK;
        }
        if (n == 0) {
            return ORND_ERR_CLOSED; /* recv: the peer's FIN, the end of the stream */
        }
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) {
            return sock_error(out != NULL, errno);
        }
        if (errno != EINTR && ms_left(deadline) == 0) {
            return nothing(timeout_ms); /* ready, then not: the time is up */
        }
    }
}

static ornd_err_t posix_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms,
                             size_t *sent)
{
    return transfer(ctx, buf, NULL, len, timeout_ms, sent);
}

static ornd_err_t posix_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms,
                             size_t *received)
{
    return transfer(ctx, NULL, buf, len, timeout_ms, received);
}

static void posix_close(void *ctx)
{
    ornd_posix_conn_t *p = ctx;
    drop_fd(p);
    forget_addrs(p);
}

ornd_err_t ornd_posix_transport(ornd_transport_t *t, ornd_posix_conn_t *ctx)
{
    if (t == NULL || ctx == NULL) {
        return ORND_ERR_ARG;
    }
    ctx->fd = -1;
    ctx->addrs = NULL;
    ctx->trying = NULL;
    *t = (ornd_transport_t){
        .ctx = ctx,
        .connect = posix_connect,
        .connect_start = posix_connect_start,
        .send = posix_send,
        .recv = posix_recv,
        .close = posix_close,
    };
    return ORND_OK;
}
