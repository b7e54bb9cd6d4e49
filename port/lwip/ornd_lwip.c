/* lwIP port (sockets API, NO_SYS=0): non-blocking lwIP sockets waited on with
 * lwip_poll(), lwip_getaddrinfo() name resolution, sys_now() as the clock,
 * sys_mutex for lock/unlock, and the firmware's entropy source. */
#include "ornd_lwip.h"

#include "lwip/errno.h"
#include "lwip/netdb.h"
#include "lwip/sockets.h"
#include "ornd/error.h"

#if defined(LWIP_DNS) && !LWIP_DNS
#error "port/lwip needs LWIP_DNS 1 (lwip_getaddrinfo)"
#endif

#define INT_MAX_BYTES 0x7fffffffu

static uint32_t lwip_port_now_ms(void *ctx)
{
    const ornd_lwip_t *p = ctx;
    return (uint32_t)sys_now() + p->clock_bias;
}

/* Milliseconds left until `deadline` on the port clock, 0 when past. */
static int ms_left(ornd_lwip_t *p, uint32_t deadline)
{
    int32_t left = (int32_t)(deadline - lwip_port_now_ms(p));
    return left > 0 ? (int)left : 0;
}

/* Wait for `events` on the socket; 1 ready, 0 timeout, -1 error. */
static int wait_sock(ornd_lwip_t *p, short events, uint32_t timeout_ms)
{
    uint32_t deadline = lwip_port_now_ms(p) + timeout_ms;
    for (;;) {
        struct pollfd pfd = {.fd = p->sock, .events = events, .revents = 0};
        int r = lwip_poll(&pfd, 1, ms_left(p, deadline));
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

static void close_sock(ornd_lwip_t *p)
{
    if (p->sock >= 0) {
        (void)lwip_close(p->sock);
        p->sock = -1;
    }
}

/* One connection attempt to one address; ORND_OK leaves p->sock open. */
static int connect_one(ornd_lwip_t *p, const struct addrinfo *ai, uint32_t deadline)
{
    p->sock = lwip_socket(ai->ai_family, SOCK_STREAM, IPPROTO_TCP);
    if (p->sock < 0) {
        return ORND_ERR_CONNECT;
    }
    int rc = ORND_ERR_CONNECT;
    if (lwip_fcntl(p->sock, F_SETFL, O_NONBLOCK) == 0) {
        if (lwip_connect(p->sock, ai->ai_addr, ai->ai_addrlen) == 0) {
            return ORND_OK;
        }
        if (errno == EINPROGRESS) {
            int w = wait_sock(p, POLLOUT, (uint32_t)ms_left(p, deadline));
            int soerr = 0;
            socklen_t len = sizeof soerr;
            if (w == 0) {
                rc = ORND_ERR_TIMEOUT;
            } else if (w > 0 &&
                       lwip_getsockopt(p->sock, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
                       soerr == 0) {
                return ORND_OK;
            }
        }
    }
    close_sock(p);
    return rc;
}

/* Resolve `host` for `family` (AF_UNSPEC: lwIP's default order) and try the
 * address. lwip_getaddrinfo() yields one address per call. */
static int try_family(ornd_lwip_t *p, const char *host, uint16_t port, int family,
                      uint32_t deadline, int *got_family)
{
    struct addrinfo hints = {0};
    hints.ai_family = family;
    hints.ai_socktype = SOCK_STREAM;
    struct addrinfo *list = NULL;
    if (lwip_getaddrinfo(host, NULL, &hints, &list) != 0 || list == NULL) {
        return ORND_ERR_DNS;
    }
    int rc = ORND_ERR_CONNECT;
    *got_family = list->ai_family;
#if LWIP_IPV4
    if (list->ai_family == AF_INET) {
        ((struct sockaddr_in *)(void *)list->ai_addr)->sin_port = lwip_htons(port);
        rc = connect_one(p, list, deadline);
    }
#endif
#if LWIP_IPV6
    if (list->ai_family == AF_INET6) {
        ((struct sockaddr_in6 *)(void *)list->ai_addr)->sin6_port = lwip_htons(port);
        rc = connect_one(p, list, deadline);
    }
#endif
    lwip_freeaddrinfo(list);
    return rc;
}

static int lwip_port_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    ornd_lwip_t *p = ctx;
    close_sock(p);
    uint32_t deadline = lwip_port_now_ms(p) + timeout_ms;
    int family = AF_UNSPEC;
    int rc = try_family(p, host, port, AF_UNSPEC, deadline, &family);
#if LWIP_IPV4 && LWIP_IPV6
    /* A dual-stack host name: if the first family failed to connect, try
     * the other one (an IP literal resolves to its own family only). */
    if (rc != ORND_OK && rc != ORND_ERR_DNS && ms_left(p, deadline) > 0) {
        int other = family == AF_INET ? AF_INET6 : AF_INET;
        int rc2 = try_family(p, host, port, other, deadline, &family);
        if (rc2 != ORND_ERR_DNS) {
            rc = rc2;
        }
    }
#endif
    return rc;
}

static int lwip_port_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    ornd_lwip_t *p = ctx;
    if (p->sock < 0) {
        return ORND_ERR_NET;
    }
    if (len > INT_MAX_BYTES) {
        len = INT_MAX_BYTES;
    }
    int w = wait_sock(p, POLLOUT, timeout_ms);
    if (w <= 0) {
        return w == 0 ? ORND_ERR_TIMEOUT : ORND_ERR_NET;
    }
    ssize_t n = lwip_send(p->sock, buf, len, 0);
    if (n < 0) {
        return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? ORND_ERR_TIMEOUT
                                                                          : ORND_ERR_NET;
    }
    return (int)n;
}

static int lwip_port_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    ornd_lwip_t *p = ctx;
    if (p->sock < 0) {
        return ORND_ERR_NET;
    }
    if (len > INT_MAX_BYTES) {
        len = INT_MAX_BYTES;
    }
    int w = wait_sock(p, POLLIN, timeout_ms);
    if (w <= 0) {
        return w == 0 ? ORND_ERR_TIMEOUT : ORND_ERR_NET;
    }
    ssize_t n = lwip_recv(p->sock, buf, len, 0);
    if (n < 0) {
        return (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) ? ORND_ERR_TIMEOUT
                                                                          : ORND_ERR_NET;
    }
    return (int)n;
}

static void lwip_port_close(void *ctx)
{
    close_sock(ctx);
}

static int lwip_port_entropy(void *ctx, uint8_t *buf, size_t len)
{
    const ornd_lwip_t *p = ctx;
    if (p->entropy == NULL || p->entropy(p->entropy_ctx, buf, len) != 0) {
        return ORND_ERR_ENTROPY;
    }
    return ORND_OK;
}

static void lwip_port_lock(void *ctx)
{
    ornd_lwip_t *p = ctx;
    sys_mutex_lock(&p->lock);
}

static void lwip_port_unlock(void *ctx)
{
    ornd_lwip_t *p = ctx;
    sys_mutex_unlock(&p->lock);
}

int ornd_lwip_port(ornd_port_t *port, ornd_lwip_t *ctx, ornd_lwip_entropy_fn entropy,
                   void *entropy_ctx)
{
    ctx->sock = -1;
    ctx->clock_bias = 0;
    ctx->entropy = entropy;
    ctx->entropy_ctx = entropy_ctx;
    if (sys_mutex_new(&ctx->lock) != ERR_OK) {
        return ORND_ERR_NO_MEM;
    }
    port->ctx = ctx;
    port->net_connect = lwip_port_connect;
    port->net_send = lwip_port_send;
    port->net_recv = lwip_port_recv;
    port->net_close = lwip_port_close;
    port->now_ms = lwip_port_now_ms;
    port->entropy = lwip_port_entropy;
    port->lock = lwip_port_lock;
    port->unlock = lwip_port_unlock;
    return ORND_OK;
}
