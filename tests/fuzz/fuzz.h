/* SPDX-License-Identifier: MIT */
/* What the fuzz targets share: the check that stops a run, and the choice
 * of the call at which a callback fails, taken from the input. */
#ifndef ORND_FUZZ_H
#define ORND_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

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

/* A callback's call is done: its running hash `raw` is kept, while the
 * first `traced` calls last, for the run that fails at one of them. */
static inline void fuzz_note_call(uint64_t *trace, size_t traced, size_t *calls, uint64_t raw)
{
    if (trace != NULL && *calls < traced) {
        trace[*calls] = raw;
    }
    (*calls)++;
}

/* A call number in 1..calls, of the first `traced` calls, from h. */
static inline size_t fuzz_pick_call(uint64_t h, size_t calls, size_t traced)
{
    const size_t n = calls < traced ? calls : traced;
    return 1u + (size_t)(h % n);
}

#endif /* ORND_FUZZ_H */
