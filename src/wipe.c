/* SPDX-License-Identifier: MIT */
/* Wiping secrets (see ornd/core/wipe.h). */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/wipe.h"

#include <stdint.h>

void ornd_wipe(void *p, size_t n)
{
    /* stores through a volatile pointer are kept whatever follows */
    volatile uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        b[i] = 0u;
    }
}
