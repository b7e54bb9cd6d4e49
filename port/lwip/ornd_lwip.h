/* SPDX-License-Identifier: MIT */
/*
 * lwIP port of ornd-lite, sockets flavour (NO_SYS=0): for firmware that runs
 * lwIP under an RTOS (FreeRTOS, ThreadX, Zephyr with lwIP, a pthreads host
 * through lwIP's unix port, ...). Everything it needs from the RTOS goes
 * through lwIP's sys_arch (sys_now, sys_mutex), so it serves any RTOS that
 * lwIP has a sys_arch for.
 *
 *   lwIP options needed: NO_SYS 0, LWIP_SOCKET 1, LWIP_TCP 1, LWIP_DNS 1
 *   (host names; LWIP_UDP with it), LWIP_SOCKET_POLL 1 (the default),
 *   LWIP_COMPAT_SOCKETS may be anything (this port calls lwip_* names).
 *   IPv4, IPv6 or both, as the firmware enables them.
 *
 * Platform (one per program), ornd_lwip_platform(): sys_now() for now_ms,
 * the firmware's random source for entropy, a sys_mutex for lock/unlock.
 * unix_time is NULL: lwIP has no wall clock (a firmware with an RTC or SNTP
 * may set the member itself after the call).
 *
 * Transport (one per connection), ornd_lwip_transport(): non-blocking lwIP
 * sockets waited on with lwip_poll(), names resolved by lwip_getaddrinfo().
 * Every member is provided, connect_start included: it resolves the name
 * (blocking: instant for literals and DNS_LOCAL_HOSTLIST names, a DNS query
 * otherwise), then connects without waiting. The blocking connect, when
 * IPv4 and IPv6 are both enabled, tries the other family if the first one
 * fails; connect_start tries the one address lwIP's resolver gives.
 *
 * Entropy: lwIP has no cryptographic random source, so the firmware must
 * hand one in (a hardware TRNG, or a DRBG seeded from one); it never falls
 * back to a weak source.
 *
 * Usage (from a task other than lwIP's tcpip_thread, after tcpip_init()):
 *   static ornd_lwip_platform_t sys;
 *   static ornd_lwip_conn_t conn;
 *   static ornd_platform_t platform;
 *   static ornd_transport_t transport;
 *   if (ornd_lwip_platform(&platform, &sys, my_trng_fill, NULL) != ORND_OK) ...;
 *   (void)ornd_lwip_transport(&transport, &conn);   // cannot fail
 *
 * Memory: none of its own beyond the two contexts; name resolution uses
 * lwIP's static MEMP_NETDB pool, sockets its netconn pools.
 */
#ifndef ORND_LWIP_H
#define ORND_LWIP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lwip/opt.h"
#include "lwip/sys.h"
#include "ornd/error.h"
#include "ornd/port.h"

/* (LWIP_SOCKET is undefined only to a linter without lwIP) */
#if defined(LWIP_SOCKET) && (NO_SYS || !LWIP_SOCKET)
#error "port/lwip/ornd_lwip.c needs NO_SYS 0 and LWIP_SOCKET 1 (see port/README.md for NO_SYS 1)"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The firmware's random source, as its TRNG driver has it: fill buf with
 * len bytes from a TRNG or a CSPRNG; 0 on success, non-zero on failure (the
 * platform's entropy member then returns ORND_ERR_ENTROPY). */
typedef int (*ornd_lwip_entropy_fn)(void *entropy_ctx, uint8_t *buf, size_t len);

typedef struct {
    uint32_t clock_bias; /* added to sys_now() (tests use it to put
                            the 32-bit wrap near) */
    ornd_lwip_entropy_fn entropy;
    void *entropy_ctx;
    bool lock_ready;
    sys_mutex_t lock; /* lock/unlock: one token fetch at a time */
} ornd_lwip_platform_t;

typedef struct {
    int sock;          /* open connection, or one being opened (lwIP socket), or -1 */
    bool connecting;   /* opened by connect_start, not known to be up yet */
    ornd_err_t failed; /* why that connect failed (then sock is -1), or ORND_OK */
} ornd_lwip_conn_t;

/* Fill `p` with the lwIP platform over `ctx`; `entropy` (with its
 * `entropy_ctx`) is the firmware's random source. Creates the fetch mutex
 * with sys_mutex_new(). ORND_OK; ORND_ERR_ARG for a NULL argument (entropy
 * included); ORND_ERR_PORT when lwIP's sys_arch cannot make a mutex (the
 * table is then left empty). */
ornd_err_t ornd_lwip_platform(ornd_platform_t *p, ornd_lwip_platform_t *ctx,
                              ornd_lwip_entropy_fn entropy, void *entropy_ctx);

/* Free the platform's mutex (after every client using it is released). */
void ornd_lwip_platform_release(ornd_lwip_platform_t *ctx);

/* Fill `t` with the lwIP socket transport over `ctx` (no connection yet).
 * ORND_OK; ORND_ERR_ARG for NULL arguments. */
ornd_err_t ornd_lwip_transport(ornd_transport_t *t, ornd_lwip_conn_t *ctx);

#ifdef __cplusplus
}
#endif

#endif /* ORND_LWIP_H */
