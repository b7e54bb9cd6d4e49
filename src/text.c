/* SPDX-License-Identifier: MIT */
/* The one rule for server text kept for error reports (ornd/core/text.h). */
#include "ornd/core/text.h"

#include <stdint.h>

/* Bytes of the UTF-8 sequence a lead byte starts (0: not a lead byte). */
static unsigned seq_len(uint8_t lead)
{
    if (lead >= 0xC2u && lead <= 0xDFu) {
        return 2u;
    }
    if (lead >= 0xE0u && lead <= 0xEFu) {
        return 3u;
    }
    return lead >= 0xF0u && lead <= 0xF4u ? 4u : 0u;
}

/* May `c` be byte `k` (1..3) of the sequence that `lead` starts? (RFC 3629
 * §4: the second byte's range depends on the lead) */
static bool continues(uint8_t lead, unsigned k, uint8_t c)
{
    uint8_t lo = 0x80u;
    uint8_t hi = 0xBFu;
    if (k == 1u) {
        lo = lead == 0xE0u ? 0xA0u : lead == 0xF0u ? 0x90u : 0x80u;
        hi = lead == 0xEDu ? 0x9Fu : lead == 0xF4u ? 0x8Fu : 0xBFu;
    }
    return c >= lo && c <= hi;
}

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
        const unsigned len = seq_len(c);
        unsigned k = 1;
        while (k < len && i + k < n && continues(c, k, b[i + k])) {
            k++;
        }
        if (len != 0u && k == len) {
            if (c == 0xC2u && b[i + 1u] <= 0x9Fu) {
                b[w++] = ' '; /* a C1 control */
            } else {
                for (unsigned j = 0; j < len; j++) {
                    b[w++] = b[i + j];
                }
            }
        } else if (!(cut && len != 0u && i + k == n)) {
            b[w++] = '?'; /* cut for room at the end: dropped */
        }
        i += k;
    }
    b[w] = '\0';
    return w;
}
