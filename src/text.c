/* SPDX-License-Identifier: MIT */
/* The one rule for server text kept for error reports (ornd/core/text.h). */
#include "ornd/core/text.h"

#include <stdint.h>

#include "ascii.h"

size_t ornd_text_clean(char *s, size_t n, bool cut)
{
    uint8_t *b = (uint8_t *)s;
    size_t w = 0;
    size_t i = 0;
    while (i < n) {
        const uint8_t c = b[i];
        if (c < 0x80u) {
            b[w++] = c < 0x20u || c == 0x7Fu ? (uint8_t)' ' : c;
            i++;
            continue;
        }
        const unsigned aux = ornd_utf8_aux(c); /* 0: starts no sequence */
        const unsigned len = (aux & 3u) + 1u;
        unsigned range = aux >> 2;
        unsigned k = 1;
        while (k < len && i + k < n && ornd_utf8_cont(range, b[i + k])) {
            k++;
            range = 0;
        }
        if (aux != 0u && k == len) {
            if (c == 0xC2u && b[i + 1u] <= 0x9Fu) {
                b[w++] = ' '; /* a C1 control */
            } else {
                for (unsigned j = 0; j < len; j++) {
                    b[w++] = b[i + j];
                }
            }
        } else if (!(cut && aux != 0u && i + k == n)) {
            b[w++] = '?'; /* cut for room at the end: dropped */
        }
        i += k;
    }
    b[w] = '\0';
    return w;
}
