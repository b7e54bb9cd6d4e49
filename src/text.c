/* SPDX-License-Identifier: MIT */
/* The one rule for server text kept for error reports (ornd/core/text.h). */
#include "ornd/core/text.h"

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

/* May `c` follow the sequence start s[0..have)? (RFC 3629 §4 table) */
static bool continues(const uint8_t *s, unsigned have, uint8_t c)
{
    if (c < 0x80u || c > 0xBFu) {
        return false;
    }
    if (have != 1u) {
        return true;
    }
    switch (s[0]) {
    case 0xE0u:
        return c >= 0xA0u;
    case 0xEDu:
        return c <= 0x9Fu;
    case 0xF0u:
        return c >= 0x90u;
    case 0xF4u:
        return c <= 0x8Fu;
    default:
        return true;
    }
}

/* The incomplete sequence at the end of the text: its length (0: none). */
static unsigned pending(const ornd_text_t *t)
{
    const uint8_t *b = (const uint8_t *)t->buf;
    for (unsigned back = 1u; back <= 3u && back <= t->len; back++) {
        const uint8_t c = b[t->len - back];
        if (c >= 0xC0u) {
            return seq_len(c) > back ? back : 0u;
        }
        if (c < 0x80u) {
            return 0u;
        }
    }
    return 0u;
}

static bool put(ornd_text_t *t, uint8_t c)
{
    if (t->len + 1u >= t->cap) {
        if (t->truncated != NULL) {
            *t->truncated = true;
        }
        return false;
    }
    t->buf[t->len++] = (char)c;
    return true;
}

/* Replace the last `k` bytes (an incomplete or C1 sequence) by `c`. */
static void replace_tail(ornd_text_t *t, unsigned k, char c)
{
    t->len -= k - 1u;
    t->buf[t->len - 1u] = c;
}

void ornd_text_append(ornd_text_t *t, const void *src, size_t n)
{
    const uint8_t *p = src;
    if (t->cap == 0u) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (t->len + 1u >= t->cap) {
            /* full: nothing more changes, however the rest is split */
            if (t->truncated != NULL) {
                *t->truncated = true;
            }
            break;
        }
        const uint8_t c = p[i];
        const unsigned have = pending(t);
        if (have > 0u) {
            const uint8_t *start = (const uint8_t *)t->buf + t->len - have;
            if (continues(start, have, c)) {
                if (!put(t, c)) {
                    break;
                }
                if (have + 1u == seq_len(start[0]) && start[0] == 0xC2u && c <= 0x9Fu) {
                    replace_tail(t, 2u, ' '); /* a C1 control */
                }
                continue;
            }
            replace_tail(t, have, '?'); /* cut short: then `c` afresh */
        }
        uint8_t out = c;
        if (c < 0x20u || c == 0x7Fu) {
            out = ' ';
        } else if (c >= 0x80u && seq_len(c) == 0u) {
            out = '?';
        }
        if (!put(t, out)) {
            break;
        }
    }
    if (t->len < t->cap) {
        t->buf[t->len] = '\0';
    }
}

void ornd_text_end(ornd_text_t *t)
{
    if (t->cap == 0u) {
        return;
    }
    const unsigned have = pending(t);
    if (have > 0u) {
        if (t->truncated != NULL && *t->truncated) {
            t->len -= have;
        } else {
            replace_tail(t, have, '?');
        }
    }
    t->buf[t->len] = '\0';
}
