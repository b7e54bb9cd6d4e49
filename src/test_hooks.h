/*
 * Unit-test seam of the client, compiled in only with -DORND_TEST_HOOKS.
 *
 * Tests replace the TLS connection with a scripted transport so that the
 * fetch, the cache and the clock can be driven byte by byte. A normal build
 * has no such seam: its only transport is verified TLS.
 */
#ifndef ORND_TEST_HOOKS_H
#define ORND_TEST_HOOKS_H

#ifdef ORND_TEST_HOOKS
#include <stddef.h>
#include <stdint.h>

typedef struct {
    void *ctx;
    int (*connect)(void *ctx, const char *host, uint16_t port);
    int (*write)(void *ctx, const uint8_t *buf, size_t len);
    int (*read)(void *ctx, uint8_t *buf, size_t len); /* >0, 0 = closed, <0 */
    void (*close)(void *ctx);
} ornd_test_io_t;

/* When non-NULL, the client uses this instead of TLS (and parses no CA). */
extern const ornd_test_io_t *ornd_test_io;
#endif

#endif /* ORND_TEST_HOOKS_H */
