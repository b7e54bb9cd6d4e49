/* SPDX-License-Identifier: MIT */
/* What the fuzz targets share: the check that stops a run, the record of a
 * callback's calls, and the choice of the call at which a callback fails,
 * taken from the input. */
#ifndef ORND_FUZZ_H
#define ORND_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ornd/error.h"

/* A disagreement with what a header promises: libFuzzer keeps the input. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* h with n more bytes mixed in (FNV-1a steps). */
static inline uint64_t fuzz_mix(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ b[i]) * 0x100000001B3ull;
    }
    return h;
}

/* FNV-1a of the input: the seed of the choices a target makes from it
 * beside the bytes it feeds. */
static inline uint64_t fuzz_hash(const uint8_t *data, size_t size)
{
    return fuzz_mix(0xcbf29ce484222325ull, data, size);
}

/* A callback's calls in one run: a running hash of them, the hash after
 * each of the first ones (for the run that fails at one of them), and the
 * call that is to fail (0: none) with the code it returns. */
typedef struct {
    uint64_t raw; /* hash of the calls so far */
    size_t calls;
    uint64_t *trace;    /* raw after each call (up to the target's bound), or NULL */
    size_t stop_at;     /* the call that fails (0: none) */
    ornd_err_t stop_rc; /* and what it returns */
    bool stopped;       /* it did: nothing may follow */
} fuzz_calls_t;

/* A callback's call is done with the running hash `raw`: kept, and traced
 * while the first `traced` calls last. */
static inline void fuzz_note_call(fuzz_calls_t *c, size_t traced, uint64_t raw)
{
    c->raw = raw;
    if (c->trace != NULL && c->calls < traced) {
        c->trace[c->calls] = raw;
    }
    c->calls++;
}

/* What the callback returns: stop_rc at the call that is to fail (and
 * nothing may follow it), else ORND_OK. */
static inline ornd_err_t fuzz_call_result(fuzz_calls_t *c)
{
    if (c->calls == c->stop_at) {
        c->stopped = true;
        return c->stop_rc;
    }
    return ORND_OK;
}

/* A call number in 1..calls, of the first `traced` calls, from h. */
static inline size_t fuzz_pick_call(uint64_t h, size_t calls, size_t traced)
{
    const size_t n = calls < traced ? calls : traced;
    return 1u + (size_t)(h % n);
}

#endif /* ORND_FUZZ_H */
