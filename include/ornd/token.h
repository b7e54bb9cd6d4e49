/* SPDX-License-Identifier: MIT */
/*
 * What a token answer gives: the token and its details, or what the server
 * said instead.
 */
#ifndef ORND_TOKEN_H
#define ORND_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A token as received. */
typedef struct {
    char value[ORND_CONFIG_TOKEN_MAX + 1]; /* NUL-terminated */
    size_t len;
    char scope[ORND_CONFIG_SCOPE_MAX + 1]; /* granted scope, NUL-terminated */
    size_t scope_len;
    bool has_scope;        /* the answer carried a scope */
    uint32_t expires_in_s; /* as received (default when absent), clamped */
} ornd_token_t;

/* What the server said when it did not hand out a token. `error` and a JSON
 * `text` are kept only from an answer that was complete, valid JSON; for any
 * other answer `text` is the start of its body (controls as spaces). */
typedef struct {
    int http_status; /* 0 when no status line was read */
    bool has_retry_after;
    uint32_t retry_after_s;                     /* Retry-After: delta-seconds */
    char error[ORND_CONFIG_ERROR_CODE_MAX + 1]; /* OAuth "error", or "" */
    char text[ORND_CONFIG_ERROR_TEXT_MAX + 1];  /* error_description, message,
                                                   or the start of a non-JSON body */
    bool error_truncated;                       /* `error` was longer than its buffer */
    bool text_truncated;                        /* `text` was longer than its buffer */
} ornd_server_error_t;

#ifdef __cplusplus
}
#endif

#endif /* ORND_TOKEN_H */
