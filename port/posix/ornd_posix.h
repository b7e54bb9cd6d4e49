/*
 * POSIX port of ornd-lite (Linux, BSD, macOS): BSD sockets with poll()
 * timeouts, getaddrinfo() name resolution (IPv4 and IPv6), CLOCK_MONOTONIC,
 * getrandom() for entropy, and a pthread mutex for the token fetch.
 *
 * Usage:
 *   static ornd_posix_t net;
 *   ornd_port_t port;
 *   ornd_posix_port(&port, &net);
 *
 * Note: getaddrinfo() is the one call that may use the C library's heap
 * internally; nothing in this port calls malloc itself.
 *
 * Polling (ornd_token_poll()): net_connect_start resolves the name (blocking:
 * instant for literals and /etc/hosts names, a DNS query otherwise), then
 * connects without waiting, trying the addresses in turn as each fails.
 */
#ifndef ORND_POSIX_H
#define ORND_POSIX_H

#include <netdb.h>
#include <pthread.h>
#include <stdint.h>

#include "ornd/port.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    int fd;              /* open connection, or -1 */
    struct addrinfo *addrs;        /* a polled connect: the resolved list */
    const struct addrinfo *trying; /* its address being connected to */
    uint32_t clock_bias; /* added to the millisecond clock (tests use it to
                            put the 32-bit wrap near) */
    pthread_mutex_t lock; /* the port's lock/unlock: one token fetch at a time */
} ornd_posix_t;

/* Fill `port` with the POSIX functions and `ctx` as their context. */
void ornd_posix_port(ornd_port_t *port, ornd_posix_t *ctx);

#ifdef __cplusplus
}
#endif

#endif /* ORND_POSIX_H */
