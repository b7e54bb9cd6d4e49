/* SPDX-License-Identifier: MIT */
/* The one rule for server text kept for error reports (ornd/core/text.h). */
#include "ornd/core/text.h"

#include <stdint.h>
#include <string.h>

#include "ascii.h"

size_t ornd_text_clean(char *s, size_t n, bool cut)
{
    uint8_t *const b = (uint8_t *)s;
    const uint8_t *const end = b + n;
    uint8_t *w = b;
    for (const uint8_t *p = b; p < end;) {
        const uint8_t c = *p;
        /* The byte's class: ASCII, a control, a lead (with the continuation
         * bytes it needs and the range of the first), or a byte that starts
         * nothing. Bytes are taken as far as they make a sequence. */
        const unsigned cls = ornd_byte_class[c] & ORND_BYTE_JSON;
        const unsigned aux = ornd_utf8_aux(c);
        const size_t whole = (aux & 3u) + 1u;
        const size_t left = (size_t)(end - p);
        size_t k = 1;
        for (unsigned range = aux >> 2; k < whole && k < left && ornd_utf8_cont(range, p[k]);
             range = 0) {
            k++;
        }
        if (k < whole && cut && k == left) {
            break; /* a sequence cut for room at the end: dropped */
        }
        if (k < whole || cls == ORND_JSON_SC_BAD) {
            *w++ = '?'; /* a maximal start of a sequence that cannot go on */
        } else if (cls == ORND_JSON_SC_CTRL || c == 0x7Fu || (c == 0xC2u && p[1] <= 0x9Fu)) {
            *w++ = ' '; /* C0, DEL, or a C1 control */
        } else {
            memmove(w, p, k); /* kept as it is */
            w += k;
        }
        p += k;
    }
    *w = '\0';
    return (size_t)(w - b);
}
