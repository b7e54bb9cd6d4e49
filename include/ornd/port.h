/* SPDX-License-Identifier: MIT */
/*
 * The porting layer: what ornd-lite needs from the system, in two parts.
 *
 * The library never calls the OS directly. A port provides
 *
 *   - one PLATFORM (ornd_platform_t) for the whole program: the monotonic
 *     clock, entropy, an optional lock and an optional wall clock. It is
 *     given to ornd_client_init() once; API objects use their client's.
 *   - one TRANSPORT (ornd_transport_t) per connection: a TCP connection to
 *     one host at a time, with the port's own context (a socket, a PCB...).
 *     The token client has one, every ornd_api_t has its own.
 *
 * Both are tables of function pointers over an opaque context that the port
 * defines; the library keeps pointers to them, so both must outlive the
 * objects they were given to. A port's constructors fill the whole table
 * (optional members NULL when not provided) and return ORND_OK or an error.
 *
 * Return values: every member returns ornd_err_t, one meaning each:
 *   ORND_OK                done; for send/recv `*sent`/`*received` >= 1
 *   ORND_ERR_WOULD_BLOCK   the transport's "not now": nothing could move
 *                          without waiting (only when called with
 *                          timeout_ms 0, or while a connection started by
 *                          connect_start is not up yet). Not a failure: the
 *                          library calls again later.
 *   ORND_ERR_TIMEOUT       waited timeout_ms (> 0) and nothing moved
 *   ORND_ERR_CLOSED        recv: the peer closed the connection (end of
 *                          stream, its FIN); send: the connection is gone
 *                          (closed or reset by the peer)
 *   other negative codes   failures: ORND_ERR_DNS, ORND_ERR_CONNECT,
 *                          ORND_ERR_NET (recv: a reset; either: aborted,
 *                          unreachable, a socket error), ORND_ERR_ENTROPY,
 *                          ORND_ERR_PORT
 *
 * Sketch of a transport (port/posix/ is a complete one):
 *
 *   static ornd_err_t my_recv(void *ctx, uint8_t *buf, size_t len,
 *                             uint32_t timeout_ms, size_t *received) {
 *       struct my_conn *c = ctx;
 *       int n = stack_read(c->sock, buf, len, timeout_ms);
 *       if (n > 0) { *received = (size_t)n; return ORND_OK; }
 *       if (n == 0) return ORND_ERR_CLOSED;
 *       if (n == STACK_TIMEOUT) return timeout_ms == 0 ? ORND_ERR_WOULD_BLOCK
 *                                                      : ORND_ERR_TIMEOUT;
 *       return ORND_ERR_NET;
 *   }
 */
#ifndef ORND_PORT_H
#define ORND_PORT_H

#include <stddef.h>
#include <stdint.h>

#include "ornd/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a program has once. */
typedef struct ornd_platform {
    void *ctx;

    /* Required. Monotonic milliseconds. May wrap at 2^32; the library only
     * ever uses differences of two readings, so a 32-bit tick counter is
     * fine. */
    uint32_t (*now_ms)(void *ctx);

    /* Required. Fill buf with len cryptographically secure random bytes (an
     * OS CSPRNG, or a TRNG-seeded DRBG on a microcontroller). ORND_OK or
     * ORND_ERR_ENTROPY. */
    ornd_err_t (*entropy)(void *ctx, uint8_t *buf, size_t len);

    /* Optional (both NULL on single-threaded programs): a mutex held around
     * a token fetch, so that when several tasks ask for a token at once only
     * one request goes out and the others find the fresh token. Not
     * recursive. */
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);

    /* Optional: the wall clock, seconds since 1970-01-01 00:00:00 UTC, for
     * the validity dates of certificates. ORND_OK with *seconds set, or
     * ORND_ERR_TIME_UNKNOWN while the time is not known (no RTC, no SNTP
     * answer yet). NULL: the time is never known. While it is not known
     * the library refuses to connect (ORND_ERR_TIME_UNKNOWN, nothing sent;
     * see ornd_settings_t.insecure_accept_unknown_time), so in practice
     * every platform that connects has one. */
    ornd_err_t (*unix_time)(void *ctx, int64_t *seconds);
} ornd_platform_t;

/* One TCP connection at a time. */
typedef struct ornd_transport {
    void *ctx;

    /* Required. Resolve `host` (name, IPv4 or IPv6 literal) and open a TCP
     * connection to it, trying each address in turn, within timeout_ms in
     * all. */
    ornd_err_t (*connect)(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms);

    /* Optional, for the polled calls (ornd_token_poll(), ornd_api_poll());
     * NULL: the transport can only block. Start resolving and connecting and
     * return at once: ORND_OK when the connection is under way or up, or an
     * error when it cannot even start. Until it is up, send and recv with
     * timeout_ms 0 return ORND_ERR_WOULD_BLOCK; when it fails they return
     * its error (ORND_ERR_DNS, ORND_ERR_CONNECT, ...). With a timeout they
     * wait for it, as for data. */
    ornd_err_t (*connect_start)(void *ctx, const char *host, uint16_t port);

    /* Required. Write 1..len bytes of buf (may write fewer than len); their
     * count in *sent. timeout_ms 0: do not wait. */
    ornd_err_t (*send)(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms,
                       size_t *sent);

    /* Required. Read 1..len bytes into buf as soon as some are there; their
     * count in *received. timeout_ms 0: do not wait. */
    ornd_err_t (*recv)(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms, size_t *received);

    /* Required. Close the connection, if any. Safe to call when none is
     * open. */
    void (*close)(void *ctx);
} ornd_transport_t;

#ifdef __cplusplus
}
#endif

#endif /* ORND_PORT_H */
