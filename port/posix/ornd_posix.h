/* SPDX-License-Identifier: MIT */
/*
 * POSIX port of ornd-lite (Linux, BSD, macOS).
 *
 * Platform (one per program), ornd_posix_platform(): CLOCK_MONOTONIC for
 * now_ms, getrandom() for entropy, a pthread mutex for lock/unlock, and
 * CLOCK_REALTIME for unix_time. Every member is provided.
 *
 * Transport (one per connection), ornd_posix_transport(): BSD sockets with
 * poll() timeouts and getaddrinfo() name resolution (IPv4 and IPv6). Every
 * member is provided, connect_start included: it resolves the name
 * (blocking: instant for literals and /etc/hosts names, a DNS query
 * otherwise), then connects without waiting, trying the addresses in turn
 * as each fails. Interrupted calls (EINTR) are resumed; SIGPIPE is never
 * raised (MSG_NOSIGNAL).
 *
 *   static ornd_posix_platform_t sys;
 *   static ornd_posix_conn_t conn;
 *   ornd_platform_t platform;
 *   ornd_transport_t transport;
 *   if (ornd_posix_platform(&platform, &sys) != ORND_OK) ...  // the mutex
 *   (void)ornd_posix_transport(&transport, &conn);             // cannot fail
 *
 * Note: getaddrinfo() is the one call that may use the C library's heap
 * internally; nothing in this port calls malloc itself.
 */
#ifndef ORND_POSIX_H
#define ORND_POSIX_H

#include <netdb.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ornd/error.h"
#include "ornd/port.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    uint32_t clock_bias; /* added to the millisecond clock (tests use it to
                            put the 32-bit wrap near) */
    bool lock_ready;
    pthread_mutex_t lock; /* lock/unlock: one token fetch at a time */
} ornd_posix_platform_t;

typedef struct {
    int fd;                        /* open connection, or -1 */
    struct addrinfo *addrs;        /* a polled connect: the resolved list */
    const struct addrinfo *trying; /* its address being connected to */
} ornd_posix_conn_t;

/* Fill `p` with the POSIX platform over `ctx`. ORND_OK, or ORND_ERR_PORT
 * when the mutex cannot be created (the table is then left empty). */
ornd_err_t ornd_posix_platform(ornd_platform_t *p, ornd_posix_platform_t *ctx);

/* Destroy the platform's mutex (after every client using it is released). */
void ornd_posix_platform_release(ornd_posix_platform_t *ctx);

/* Fill `t` with the POSIX socket transport over `ctx` (no connection yet).
 * ORND_OK; ORND_ERR_ARG for NULL arguments. */
ornd_err_t ornd_posix_transport(ornd_transport_t *t, ornd_posix_conn_t *ctx);

#ifdef __cplusplus
}
#endif

#endif /* ORND_POSIX_H */
