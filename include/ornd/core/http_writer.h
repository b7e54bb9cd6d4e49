/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.1 request writer (engine; unstable, not for application code).
 *
 * Builds a request into a caller buffer. Nothing is written past the
 * buffer; a request that does not fit is ORND_ERR_BUF_TOO_SMALL, never cut.
 */
#ifndef ORND_CORE_HTTP_WRITER_H
#define ORND_CORE_HTTP_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/core/buf.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One name=value pair of an application/x-www-form-urlencoded body. */
typedef struct {
    const char *name;
    const uint8_t *value;
    size_t value_len;
} ornd_form_field_t;

/*
 * Exact length of the encoded form body "n1=v1&n2=v2..." (names and values
 * percent-encoded as the media type requires: ALPHA / DIGIT / "*-._" kept,
 * space as "+", every other byte as %XX with upper-case hex).
 */
size_t ornd_form_length(const ornd_form_field_t *fields, size_t count);

/* Append the encoded body to `b`: all of it, or nothing when it does not fit.
 * A NULL name or value is read as empty; a NULL value with a non-zero length
 * is ORND_ERR_ARG. */
void ornd_form_write(ornd_buf_t *b, const ornd_form_field_t *fields, size_t count);

typedef struct {
    const char *method; /* "POST", "GET", ... */
    const char *host;   /* sent as Host; with ":port" when port != 443 */
    uint16_t port;
    const char *target;       /* path with optional query, e.g. "/oauth/token" */
    const char *content_type; /* NULL: no Content-Type and no body */
    size_t content_length;    /* written as Content-Length when content_type set */
    /* Extra header lines, each "Name: value" without CRLF; may be NULL. */
    const char *const *headers;
    size_t header_count;
} ornd_http_request_t;

/*
 * Append the request line and headers up to and including the blank line.
 * Also writes "User-Agent: ornd-lite/<version>" and
 * "Accept: application/json". A host containing ':' (an IPv6 literal) is
 * sent in brackets unless it already is. The body, if any, is appended by the
 * caller (e.g. with ornd_form_write) and must be content_length bytes.
 *
 * ORND_ERR_ARG, with nothing written, unless: the method is an RFC 9110
 * token; host and target are non-empty without controls or spaces (so no CR,
 * LF or NUL) and the target starts with '/'; port is not 0; content_type, if
 * set, is non-empty; each extra header is a token name, ':' and a value
 * without controls other than HTAB. The error is also left in b->err.
 * On ORND_ERR_BUF_TOO_SMALL, b->len is back where it was: no partial head.
 * Returns ORND_OK, ORND_ERR_ARG or ORND_ERR_BUF_TOO_SMALL (or an error
 * already in b->err).
 */
ornd_err_t ornd_http_write_head(ornd_buf_t *b, const ornd_http_request_t *req);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_HTTP_WRITER_H */
