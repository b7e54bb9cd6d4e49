/*
 * lwIP port of ornd-lite, raw API flavour (NO_SYS=1): for bare-metal
 * super-loop firmware without an RTOS.
 *
 * Two ways to use it:
 *  - never blocking (the way a super loop wants): the firmware's loop runs
 *    lwIP (driver input, sys_check_timeouts()) and calls ornd_token_poll()
 *    once a pass; the port then never waits and never calls the poll hook
 *    (net_connect_start, and send/recv with timeout 0, return at once):
 *
 *      for (;;) {
 *          ethernetif_poll(&netif); sys_check_timeouts();
 *          if (ornd_token_poll(&client) == ORND_OK) { ... ornd_auth_header() ... }
 *          other_work();
 *      }
 *
 *    API requests the same way: ornd_api_start(), then ornd_api_poll() once
 *    a pass (the API connection has its own ornd_lwip_raw_t and port).
 *  - blocking (ornd_token(), ornd_auth_header() when a fetch is needed,
 *    ornd_api_request()): each port call waits for its event by calling the poll
 *    hook in a loop, so lwIP keeps working, but the rest of the super loop
 *    does not run until the call returns (up to 3 x timeout_ms for a token).
 *
 *   lwIP options needed: NO_SYS 1, LWIP_TCP 1, LWIP_CALLBACK_API 1 (the
 *   default); LWIP_DNS 1 for host names (IP literals work without it).
 *
 * The poll hook (blocking use only; may be NULL when only ornd_token_poll()
 * fetches) must feed received frames to lwIP (the Ethernet driver's
 * input function) and call sys_check_timeouts(), waiting at most
 * max_wait_ms for something to happen (it may return sooner; a busy poll
 * that never waits is also correct). It must not call into ornd-lite.
 *
 * Entropy, as for the sockets flavour, comes from the firmware (TRNG or
 * CSPRNG); without it TLS fails with ORND_ERR_ENTROPY. lock/unlock are NULL:
 * a super loop has one thread.
 *
 * Usage:
 *   static ornd_lwip_raw_t net;
 *   static ornd_port_t port;
 *   ornd_lwip_raw_port(&port, &net, my_trng_fill, NULL, my_poll, NULL);
 */
#ifndef ORND_LWIP_RAW_H
#define ORND_LWIP_RAW_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/ip_addr.h"
#include "lwip/opt.h"
#include "ornd/port.h"

#if defined(LWIP_TCP) && (!NO_SYS || !LWIP_TCP) /* (undefined only to a linter without lwIP) */
#error "port/lwip/ornd_lwip_raw.c is for NO_SYS 1 with LWIP_TCP 1 (use ornd_lwip.c with an RTOS)"
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct tcp_pcb;
struct pbuf;

/* Fill buf with len bytes from a TRNG or CSPRNG; 0 on success. */
typedef int (*ornd_lwip_raw_entropy_fn)(void *entropy_ctx, uint8_t *buf, size_t len);

/* Run lwIP for a while: feed received frames, sys_check_timeouts(); return
 * after at most max_wait_ms. */
typedef void (*ornd_lwip_raw_poll_fn)(void *poll_ctx, uint32_t max_wait_ms);

typedef struct {
    struct tcp_pcb *pcb;      /* open connection, or NULL */
    struct pbuf *rx;          /* received and not yet read */
    ip_addr_t addr;           /* resolved server address */
    uint8_t state;            /* private: see ornd_lwip_raw.c */
    uint8_t peer_closed;      /* FIN received */
    uint16_t remote_port;     /* port being connected to */
    int fail_rc;              /* why the connection failed (ST_FAILED) */
    uint32_t clock_bias;      /* added to sys_now() (tests) */
    ornd_lwip_raw_entropy_fn entropy;
    void *entropy_ctx;
    ornd_lwip_raw_poll_fn poll;
    void *poll_ctx;
} ornd_lwip_raw_t;

/* Fill `port` with the raw-API functions and `ctx` as their context. */
void ornd_lwip_raw_port(ornd_port_t *port, ornd_lwip_raw_t *ctx, ornd_lwip_raw_entropy_fn entropy,
                        void *entropy_ctx, ornd_lwip_raw_poll_fn poll, void *poll_ctx);

#ifdef __cplusplus
}
#endif

#endif /* ORND_LWIP_RAW_H */
