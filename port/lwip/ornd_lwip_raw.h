/* SPDX-License-Identifier: MIT */
/*
 * lwIP port of ornd-lite, raw API flavour (NO_SYS=1): for bare-metal
 * super-loop firmware without an RTOS.
 *
 * Platform (one per program), ornd_lwip_raw_platform(): sys_now() for
 * now_ms and the firmware's random source for entropy. lock/unlock are
 * NULL (a super loop has one thread); unix_time is NULL (lwIP has no wall
 * clock; a firmware with an RTC or SNTP may set the member itself).
 *
 * Transport (one per connection), ornd_lwip_raw_transport(): lwIP's raw TCP
 * API and its DNS client. Every member is provided, connect_start
 * included. Two ways to use it:
 *  - never blocking (the way a super loop wants): the firmware's loop runs
 *    lwIP (driver input, sys_check_timeouts()) and calls ornd_token_poll()
 *    once a pass; the transport then never waits and never calls the poll
 *    hook (connect_start, and send/recv with timeout 0, return at once):
 *
 *      for (;;) {
 *          ethernetif_poll(&netif); sys_check_timeouts();
 *          if (ornd_token_poll(&client) == ORND_OK) { ... ornd_auth_header() ... }
 *          other_work();
 *      }
 *
 *    API requests the same way: ornd_api_start(), then ornd_api_poll() once
 *    a pass (the API connection has its own ornd_lwip_raw_conn_t and
 *    transport).
 *  - blocking (ornd_token(), ornd_auth_header() when a fetch is needed,
 *    ornd_api_request()): each transport call waits for its event by
 *    calling the poll hook in a loop, so lwIP keeps working, but the rest of
 *    the super loop does not run until the call returns (up to
 *    3 x timeout_ms for a token).
 *
 *   lwIP options needed: NO_SYS 1, LWIP_TCP 1, LWIP_CALLBACK_API 1 (the
 *   default); LWIP_DNS 1 for host names (IP literals work without it).
 *
 * The poll hook (blocking use only; may be NULL when only the polled calls
 * are used: a call with a timeout then returns ORND_ERR_TIMEOUT at once
 * when its event has not happened) must feed received frames to lwIP (the
 * Ethernet driver's input function) and call sys_check_timeouts(), waiting
 * at most max_wait_ms for something to happen (it may return sooner; a busy
 * poll that never waits is also correct). It must not call into ornd-lite.
 *
 * Entropy, as for the sockets flavour, comes from the firmware (TRNG or
 * CSPRNG); it never falls back to a weak source.
 *
 * Usage:
 *   static ornd_lwip_raw_platform_t sys;
 *   static ornd_lwip_raw_conn_t conn;
 *   static ornd_platform_t platform;
 *   static ornd_transport_t transport;
 *   if (ornd_lwip_raw_platform(&platform, &sys, my_trng_fill, NULL) != ORND_OK) ...;
 *   (void)ornd_lwip_raw_transport(&transport, &conn, my_poll, NULL);
 */
#ifndef ORND_LWIP_RAW_H
#define ORND_LWIP_RAW_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/ip_addr.h"
#include "lwip/opt.h"
#include "ornd/error.h"
#include "ornd/port.h"

#if defined(LWIP_TCP) && (!NO_SYS || !LWIP_TCP) /* (undefined only to a linter without lwIP) */
#error "port/lwip/ornd_lwip_raw.c is for NO_SYS 1 with LWIP_TCP 1 (use ornd_lwip.c with an RTOS)"
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct tcp_pcb;
struct pbuf;

/* The firmware's random source, as its TRNG driver has it: fill buf with
 * len bytes from a TRNG or CSPRNG; 0 on success, non-zero on failure (the
 * platform's entropy member then returns ORND_ERR_ENTROPY). */
typedef int (*ornd_lwip_raw_entropy_fn)(void *entropy_ctx, uint8_t *buf, size_t len);

/* Run lwIP for a while: feed received frames, sys_check_timeouts(); return
 * after at most max_wait_ms. */
typedef void (*ornd_lwip_raw_poll_fn)(void *poll_ctx, uint32_t max_wait_ms);

typedef struct {
    uint32_t clock_bias; /* added to sys_now() (tests) */
    ornd_lwip_raw_entropy_fn entropy;
    void *entropy_ctx;
} ornd_lwip_raw_platform_t;

typedef struct {
    struct tcp_pcb *pcb;  /* open connection, or NULL */
    struct pbuf *rx;      /* received and not yet read */
    ip_addr_t addr;       /* resolved server address */
    uint8_t state;        /* private: see ornd_lwip_raw.c */
    uint8_t peer_closed;  /* FIN received */
    uint16_t remote_port; /* port being connected to */
    ornd_err_t fail_rc;   /* why the connection failed (ST_FAILED) */
    ornd_lwip_raw_poll_fn poll;
    void *poll_ctx;
} ornd_lwip_raw_conn_t;

/* Fill `p` with the raw-API platform over `ctx`; `entropy` (with its
 * `entropy_ctx`) is the firmware's random source. ORND_OK; ORND_ERR_ARG for
 * a NULL argument (entropy included). */
ornd_err_t ornd_lwip_raw_platform(ornd_platform_t *p, ornd_lwip_raw_platform_t *ctx,
                                  ornd_lwip_raw_entropy_fn entropy, void *entropy_ctx);

/* Fill `t` with the raw-API transport over `ctx` (no connection yet);
 * `poll` (with its `poll_ctx`, may be NULL) is the hook blocking calls wait
 * with. ORND_OK; ORND_ERR_ARG for NULL `t` or `ctx`. */
ornd_err_t ornd_lwip_raw_transport(ornd_transport_t *t, ornd_lwip_raw_conn_t *ctx,
                                   ornd_lwip_raw_poll_fn poll, void *poll_ctx);

#ifdef __cplusplus
}
#endif

#endif /* ORND_LWIP_RAW_H */
