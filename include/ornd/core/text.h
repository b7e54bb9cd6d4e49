/* SPDX-License-Identifier: MIT */
/*
 * Server text kept for error reports (engine; unstable, not for application
 * code): the one rule for every place that keeps what a server wrote
 * (error_description, message, the start of an error body) so that it can
 * be logged or printed on a terminal as it is.
 *
 * Text is kept as it arrives (ornd_text_keep(), bounded, in pieces of any
 * size) and cleaned once it is whole (ornd_text_clean()), so the result
 * never depends on how it was split. The rule:
 *  - C0 controls (U+0000-U+001F) and DEL become a space;
 *  - C1 controls (U+0080-U+009F, as UTF-8) become one space;
 *  - bytes that are not valid UTF-8 (RFC 3629: no overlong forms, no
 *    surrogates, nothing over U+10FFFF) become '?', one for each maximal
 *    start of a sequence that cannot go on;
 *  - a sequence cut short at the end becomes '?', or is dropped when the
 *    text was cut for room;
 *  - everything else is kept: the result is valid UTF-8 with no controls.
 */
#ifndef ORND_CORE_TEXT_H
#define ORND_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Append `n` bytes to dst[0..len) (a buffer of `cap` bytes, cap > len, the
 * NUL included), as many as fit; *cut is set when some did not. Returns the
 * new length; dst stays NUL-terminated. Inline: it runs in the deepest
 * callbacks (JSON string fragments), where a frame more counts. */
static inline size_t ornd_text_keep(char *dst, size_t cap, size_t len, const void *src, size_t n,
                                    bool *cut)
{
    const size_t room = cap - 1u - len;
    const size_t k = n < room ? n : room;
    if (k < n) {
        *cut = true;
    }
    memcpy(dst + len, src, k);
    dst[len + k] = '\0';
    return len + k;
}

/* Clean the `n` bytes at `s` in place by the rule above; `cut`: the text
 * was cut for room. Returns the new length (at most n); s[result] = NUL. */
size_t ornd_text_clean(char *s, size_t n, bool cut);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_TEXT_H */
