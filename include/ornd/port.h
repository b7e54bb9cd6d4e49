/*
 * The porting layer: everything ornd-lite needs from the platform.
 *
 * The library never calls the OS directly. A port fills one ornd_port_t with
 * function pointers and an opaque context the port defines (socket handle,
 * RTOS objects, ...). Tests wrap a port to inject faults.
 *
 * One client uses one connection at a time, so the context holds at most one
 * open connection.
 *
 * Return conventions:
 *   connect, entropy:  ORND_OK or a negative ornd_err_t
 *                      (ORND_ERR_DNS, ORND_ERR_CONNECT, ORND_ERR_TIMEOUT, ...)
 *   send:              bytes written (> 0), or a negative ornd_err_t
 *                      (ORND_ERR_TIMEOUT when nothing could be written in time;
 *                      timeout_ms 0: do not wait)
 *   recv:              bytes read (> 0), 0 when the peer closed the connection,
 *                      or a negative ornd_err_t (ORND_ERR_TIMEOUT when nothing
 *                      arrived in time)
 *
 * Sketch of a port (see port/posix/ for a complete one):
 *
 *   static int my_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms) {
 *       struct my_conn *c = ctx;
 *       int n = stack_write(c->sock, buf, len, timeout_ms);
 *       if (n == STACK_TIMEOUT) return ORND_ERR_TIMEOUT;
 *       return n < 0 ? ORND_ERR_NET : n;
 *   }
 */
#ifndef ORND_PORT_H
#define ORND_PORT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ornd_port {
    void *ctx;

    /* Resolve `host` (name, IPv4 or IPv6 literal) and open a TCP connection
     * to it, trying each address in turn, within timeout_ms in all. */
    int (*net_connect)(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms);

    /* Write up to len bytes; may write fewer. */
    int (*net_send)(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms);

    /* Read up to len bytes; returns as soon as some are available.
     * timeout_ms 0: do not wait (ORND_ERR_TIMEOUT at once when none are). */
    int (*net_recv)(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms);

    /* Close the connection, if any. Must be safe to call when none is open. */
    void (*net_close)(void *ctx);

    /* Monotonic milliseconds. May wrap at 2^32; the library only ever uses
     * differences of two readings, so a 32-bit tick counter is fine. */
    uint32_t (*now_ms)(void *ctx);

    /* Fill buf with len cryptographically secure random bytes (an OS CSPRNG,
     * or a hardware TRNG / DRBG on a microcontroller). */
    int (*entropy)(void *ctx, uint8_t *buf, size_t len);

    /* Optional, NULL on single-threaded ports: a mutex held around a token
     * fetch, so that when several tasks ask for a token at once only one
     * request goes out and the others find the fresh token. Not recursive. */
    void (*lock)(void *ctx);
    void (*unlock)(void *ctx);

    /* Optional, for ornd_token_poll() (NULL: the port can only block).
     * Start resolving `host` and connecting to it, and return at once:
     * ORND_OK when the connection is under way or up, or an error when it
     * cannot even start. Until it is up, net_send and net_recv with
     * timeout_ms 0 return ORND_ERR_TIMEOUT ("not yet"); when it fails they
     * return its error (ORND_ERR_DNS, ORND_ERR_CONNECT, ...). With a
     * timeout they wait for it, as for data. */
    int (*net_connect_start)(void *ctx, const char *host, uint16_t port);
} ornd_port_t;

#ifdef __cplusplus
}
#endif

#endif /* ORND_PORT_H */
