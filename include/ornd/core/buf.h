/* SPDX-License-Identifier: MIT */
/*
 * Bounded append buffer (engine; unstable, not for application code).
 */
#ifndef ORND_CORE_BUF_H
#define ORND_CORE_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Append-only text buffer. `err` is sticky: once something did not fit,
 * nothing more is written and err is ORND_ERR_BUF_TOO_SMALL (ORND_ERR_ARG
 * after an invalid argument, e.g. NULL data with a length). Nothing is ever
 * written past `cap`; a put that does not fit writes nothing of itself and
 * leaves `len` as it was. */
typedef struct {
    char *buf;
    size_t cap;
    size_t len;
    ornd_err_t err;
} ornd_buf_t;

void ornd_buf_init(ornd_buf_t *b, char *buf, size_t cap);
void ornd_buf_put(ornd_buf_t *b, const char *data, size_t len);
void ornd_buf_puts(ornd_buf_t *b, const char *s);
void ornd_buf_put_size(ornd_buf_t *b, size_t v); /* decimal */

/* Reserve `n` more bytes (n > 0) and return where they go, or NULL with the
 * sticky error set when they do not fit. */
char *ornd_buf_claim(ornd_buf_t *b, size_t n);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_BUF_H */
