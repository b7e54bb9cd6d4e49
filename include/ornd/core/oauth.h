/* SPDX-License-Identifier: MIT */
/*
 * OAuth 2.0 client-credentials exchange (RFC 6749 §4.4), sans I/O (engine;
 * unstable, not for application code): writes the
 * token request and interprets the answer fed to it byte by byte.
 *
 * The answer parser runs the HTTP reader and the JSON scanner in series and
 * keeps only what it needs: the token, its type, lifetime and scope on
 * success; the status, Retry-After and the server's error code and text
 * otherwise. Nothing is buffered beyond those fields.
 */
#ifndef ORND_CORE_OAUTH_H
#define ORND_CORE_OAUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"
#include "ornd/core/buf.h"
#include "ornd/core/http_reader.h"
#include "ornd/error.h"
#include "ornd/json.h"
#include "ornd/token.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Credentials and request parameters. Strings need not be NUL-terminated. */
typedef struct {
    const char *host;
    uint16_t port;
    const char *path;
    const uint8_t *client_id;
    size_t client_id_len;
    const uint8_t *client_secret;
    size_t client_secret_len;
    const char *scope; /* may be empty: then no scope field is sent */
    size_t scope_len;
} ornd_oauth_request_t;

/* Write the whole token request (head and form body) into `b`, or on an
 * error nothing of it (b->len as it was).
 * Returns ORND_OK, ORND_ERR_ARG or ORND_ERR_BUF_TOO_SMALL. */
ornd_err_t ornd_oauth_write_request(ornd_buf_t *b, const ornd_oauth_request_t *req);

/* A scope as RFC 6749 §3.3 has it: scope-tokens (%x21 / %x23-5B / %x5D-7E)
 * separated by single spaces, or empty. The rule for a requested scope and
 * for the one granted in an answer. */
bool ornd_oauth_scope_valid(const char *s, size_t n);

/* Answer parser state (private fields). */
typedef struct {
    ornd_token_t *token;
    ornd_server_error_t *server;
    ornd_http_reader_t http;
    ornd_json_t json;
    int err;       /* sticky */
    int json_err;  /* first JSON error of the body, kept to report later */
    int field_err; /* first unacceptable token member, reported at the end */
    size_t key_len;
    size_t error_len; /* bytes kept in server->error, server->text */
    size_t text_len;
    size_t raw_len;
    uint8_t field;        /* member being read at depth 1 */
    uint8_t seen;         /* bit per known member already read */
    uint8_t type_matched; /* bytes of "bearer" token_type matched; 7: not it */
    bool done;            /* the answer is complete and its outcome settled */
    bool raw_truncated;
    char key[20]; /* current member name; a longer one is kept cut (and is
                     none of ours) */
    char raw[ORND_CONFIG_ERROR_TEXT_MAX + 1]; /* start of an error body, for
                                                 when it turns out not JSON */
} ornd_oauth_parser_t;

/* Start parsing an answer into `token` and `server` (both cleared). */
void ornd_oauth_parser_init(ornd_oauth_parser_t *p, ornd_token_t *token,
                            ornd_server_error_t *server);

/*
 * Feed answer bytes. Returns ORND_OK (ask ornd_oauth_complete() whether the
 * answer is whole) or an error (sticky): a malformed HTTP message, a body
 * over ORND_CONFIG_TOKEN_BODY_MAX, the error an answer that was not a token
 * stands for, or a 200 answer whose JSON or fields are unacceptable. When the
 * final status said no (400/401/403, 429, 5xx), a malformed or truncated
 * rest of the answer does not change that: the outcome is the status's
 * (ORND_ERR_OAUTH_REJECTED, ORND_ERR_RATE_LIMITED, ORND_ERR_UNAVAILABLE).
 * Bytes after the end of the response are not read: the outcome is the same
 * however the stream is cut.
 */
ornd_err_t ornd_oauth_feed(ornd_oauth_parser_t *p, const uint8_t *data, size_t len);

/* The connection closed, cleanly (TLS close_notify) or not: ORND_OK when
 * that completes the answer and it holds a token, or an error as above. */
ornd_err_t ornd_oauth_eof(ornd_oauth_parser_t *p, bool clean);

/* True once the answer is complete (its outcome is ornd_oauth_result()). */
bool ornd_oauth_complete(const ornd_oauth_parser_t *p);

/*
 * The outcome: ORND_OK when a token was received (in `token`), else the
 * error that describes the answer: ORND_ERR_OAUTH_* for 400/401/403,
 * ORND_ERR_RATE_LIMITED for 429, ORND_ERR_UNAVAILABLE for 5xx,
 * ORND_ERR_HTTP_STATUS for other statuses, or a field error of a 200 answer.
 */
ornd_err_t ornd_oauth_result(const ornd_oauth_parser_t *p);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_OAUTH_H */
