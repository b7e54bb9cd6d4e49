/* SPDX-License-Identifier: MIT */
/* Bounded append buffer: nothing is ever written past its capacity. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/buf.h"

#include <string.h>

#include "ornd/error.h"

void ornd_buf_init(ornd_buf_t *b, char *buf, size_t cap)
{
    b->buf = buf;
    b->cap = buf != NULL ? cap : 0u;
    b->len = 0;
    b->err = ORND_OK;
}

/* Reserve `n` more bytes (n > 0) and return where they go, or NULL with the
 * sticky error set when they do not fit. */
char *ornd_buf_claim(ornd_buf_t *b, size_t n)
{
    if (b->err != ORND_OK) {
        return NULL;
    }
    if (n > b->cap - b->len) {
        b->err = ORND_ERR_BUF_TOO_SMALL;
        return NULL;
    }
    char *at = b->buf + b->len;
    b->len += n;
    return at;
}

void ornd_buf_put(ornd_buf_t *b, const char *data, size_t len)
{
    if (b == NULL || b->err != ORND_OK || len == 0) {
        return;
    }
    if (data == NULL) {
        b->err = ORND_ERR_ARG;
        return;
    }
    char *at = ornd_buf_claim(b, len);
    if (at != NULL) {
        memcpy(at, data, len);
    }
}

void ornd_buf_puts(ornd_buf_t *b, const char *s)
{
    /* a NULL string is refused as NULL data with a length is */
    ornd_buf_put(b, s, s != NULL ? strlen(s) : 1u);
}

/* Decimal digits of `v`, most significant first. A size_t division: 32 bits
 * on a 32-bit target (no 64-bit division helper from libgcc there). */
void ornd_buf_put_size(ornd_buf_t *b, size_t v)
{
    char digits[20]; /* SIZE_MAX of 64 bits has 20 */
    size_t i = sizeof digits;
    do {
        digits[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0u);
    ornd_buf_put(b, &digits[i], sizeof digits - i);
}
