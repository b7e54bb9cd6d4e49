/* SPDX-License-Identifier: MIT */
/*
 * Server text kept for error reports (engine; unstable, not for application
 * code): the one rule for every place that keeps what a server wrote
 * (error_description, message, the start of an error body) so that it can
 * be logged or printed on a terminal as it is.
 *
 * The rule, byte by byte as the text streams in, in pieces of any size:
 *  - C0 controls (U+0000-U+001F) and DEL become a space;
 *  - C1 controls (U+0080-U+009F, as UTF-8) become a space;
 *  - bytes that are not part of valid UTF-8 (RFC 3629: no overlong forms,
 *    no surrogates, nothing over U+10FFFF), and a sequence cut short, become
 *    one '?' each maximal bad run of a sequence;
 *  - everything else is kept: the result is valid UTF-8 with no controls.
 * The state of a sequence not yet complete is read back from the text kept
 * so far, so the result is the same however the text was split.
 */
#ifndef ORND_CORE_TEXT_H
#define ORND_CORE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Where the text goes: `cap` bytes at `buf`, the NUL included. */
typedef struct {
    char *buf;
    size_t cap;
    size_t len;      /* bytes kept, not counting the NUL */
    bool *truncated; /* set when the text did not fit (may be NULL) */
} ornd_text_t;

/* Append `n` bytes of server text, cleaned; buf stays NUL-terminated. When
 * the buffer is full the rest is dropped and *truncated set. */
void ornd_text_append(ornd_text_t *t, const void *src, size_t n);

/* The text is over: a UTF-8 sequence left incomplete at its end becomes '?'
 * (or is dropped when the text was cut for room). */
void ornd_text_end(ornd_text_t *t);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_TEXT_H */
