/*
 * lwIP port of ornd-lite, sockets flavour (NO_SYS=0): for firmware that runs
 * lwIP under an RTOS (FreeRTOS, ThreadX, Zephyr with lwIP, a pthreads host
 * through lwIP's unix port, ...). Everything it needs from the RTOS goes
 * through lwIP's sys_arch (sys_now, sys_mutex), so it serves any RTOS that
 * lwIP has a sys_arch for.
 *
 *   lwIP options needed: NO_SYS 0, LWIP_SOCKET 1, LWIP_TCP 1, LWIP_DNS 1
 *   (host names; LWIP_UDP with it), LWIP_SOCKET_SELECT 1 (the default),
 *   LWIP_COMPAT_SOCKETS may be anything (this port calls lwip_* names).
 *   IPv4, IPv6 or both, as the firmware enables them.
 *
 * Entropy: lwIP has no cryptographic random source, so the firmware must
 * hand one in (a hardware TRNG, or a DRBG seeded from one). Without it the
 * port's entropy call fails with ORND_ERR_ENTROPY and no TLS handshake is
 * possible; it never falls back to a weak source.
 *
 * Usage (from a task other than lwIP's tcpip_thread, after tcpip_init()):
 *   static ornd_lwip_t net;
 *   static ornd_port_t port;
 *   if (ornd_lwip_port(&port, &net, my_trng_fill, NULL) != ORND_OK) ...;
 *
 * Memory: none of its own beyond ornd_lwip_t; name resolution uses lwIP's
 * static MEMP_NETDB pool, sockets its netconn pools.
 */
#ifndef ORND_LWIP_H
#define ORND_LWIP_H

#include <stddef.h>
#include <stdint.h>

#include "lwip/opt.h"
#include "lwip/sys.h"
#include "ornd/port.h"

#if defined(LWIP_SOCKET) && (NO_SYS || !LWIP_SOCKET) /* (undefined only to a linter without lwIP) */
#error "port/lwip/ornd_lwip.c needs NO_SYS 0 and LWIP_SOCKET 1 (see port/README.md for NO_SYS 1)"
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The firmware's random source: fill buf with len bytes from a TRNG or a
 * CSPRNG; return 0 on success, non-zero on failure. */
typedef int (*ornd_lwip_entropy_fn)(void *entropy_ctx, uint8_t *buf, size_t len);

typedef struct {
    int sock;                       /* open connection (lwIP socket), or -1 */
    uint32_t clock_bias;            /* added to sys_now() (tests use it to put
                                       the 32-bit wrap near) */
    ornd_lwip_entropy_fn entropy;   /* required for TLS; see above */
    void *entropy_ctx;
    sys_mutex_t lock;               /* the port's lock/unlock */
} ornd_lwip_t;

/* Fill `port` with the lwIP functions and `ctx` as their context; `entropy`
 * (with its `entropy_ctx`) is the firmware's random source. Creates the
 * fetch mutex with sys_mutex_new(): ORND_ERR_NO_MEM when lwIP's sys_arch
 * cannot provide one, else ORND_OK. */
int ornd_lwip_port(ornd_port_t *port, ornd_lwip_t *ctx, ornd_lwip_entropy_fn entropy,
                   void *entropy_ctx);

#ifdef __cplusplus
}
#endif

#endif /* ORND_LWIP_H */
