/* SPDX-License-Identifier: MIT */
/*
 * ornd-lite error space.
 *
 * Every call that can fail returns an ornd_err_t: ORND_OK (0) or one negative
 * code below. The one positive value, ORND_IN_PROGRESS, means "call again":
 * only the polled calls (ornd_token_poll(), ornd_api_poll(),
 * ornd_api_pages_poll()) return it, while they are not finished. Codes are
 * grouped in classes (see ornd_err_class()) so that firmware can tell "bad
 * configuration" from "network dropped", "server sent garbage",
 * "credentials rejected" and "try later" without listing codes.
 */
#ifndef ORND_ERROR_H
#define ORND_ERROR_H

#include "ornd/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X-macro: code, value, class, message. The class letters are expanded by
 * ornd_err_class(). Values are stable; gaps leave room per class. */
#define ORND_ERROR_LIST(X)                                                                         \
    /* caller / configuration */                                                                   \
    X(ORND_ERR_ARG, -1, CONFIG, "invalid argument")                                                \
    X(ORND_ERR_BUF_TOO_SMALL, -2, CONFIG, "caller buffer too small")                               \
    X(ORND_ERR_CONFIG_URL, -3, CONFIG, "token URL is not https://host[:port]/path")                \
    X(ORND_ERR_CONFIG_TOO_LONG, -4, CONFIG, "setting longer than its configured maximum")          \
    X(ORND_ERR_CONFIG_CREDENTIALS, -5, CONFIG, "client_id or client_secret missing")               \
    X(ORND_ERR_CONFIG_CA, -6, CONFIG, "CA certificates could not all be parsed")                   \
    X(ORND_ERR_STATE, -7, CONFIG, "object not initialised, already initialised, released or busy") \
    X(ORND_ERR_NO_MEM, -8, CONFIG, "TLS memory pool exhausted")                                    \
    X(ORND_ERR_ENTROPY, -9, CONFIG, "entropy source failed")                                       \
    X(ORND_ERR_PORT, -10, CONFIG,                                                                  \
      "the port cannot do this (a required member is missing, or no connect_start for polling)")   \
    X(ORND_ERR_ABI, -11, CONFIG,                                                                   \
      "struct compiled with other ORND_CONFIG_* settings than the library")                        \
    X(ORND_ERR_TLS_SETUP, -12, CONFIG,                                                             \
      "mbedTLS lacks the option this set-up needs (see ornd/tls_setup.h)")                         \
    X(ORND_ERR_MATCH_PATH, -18, CONFIG, "JSON match path does not follow the grammar")             \
    /* network */                                                                                  \
    X(ORND_ERR_DNS, -20, NETWORK, "host name could not be resolved")                               \
    X(ORND_ERR_CONNECT, -21, NETWORK, "connection refused or unreachable")                         \
    X(ORND_ERR_TIMEOUT, -22, NETWORK, "network timeout")                                           \
    X(ORND_ERR_NET, -23, NETWORK, "network send or receive failed")                                \
    X(ORND_ERR_CLOSED, -24, NETWORK, "connection closed before the response ended")                \
    X(ORND_ERR_OUTCOME_UNKNOWN, -25, NETWORK,                                                      \
      "connection lost after the request was sent: it may have been carried out")                  \
    X(ORND_ERR_WOULD_BLOCK, -26, NETWORK,                                                          \
      "transport: nothing can move without waiting (a port's answer, never a call's)")             \
    X(ORND_ERR_TRUNCATED, -27, NETWORK,                                                            \
      "connection closed without TLS close_notify: the response may be cut short")                 \
    /* TLS */                                                                                      \
    X(ORND_ERR_TLS, -30, TLS, "TLS handshake or record failure")                                   \
    X(ORND_ERR_TLS_CERT, -31, TLS, "server certificate not trusted")                               \
    X(ORND_ERR_TLS_HOSTNAME, -32, TLS, "server certificate does not match host name")              \
    X(ORND_ERR_TLS_CERT_EXPIRED, -33, TLS, "server certificate expired or not yet valid")          \
    /* malformed or unacceptable response */                                                       \
    X(ORND_ERR_HTTP_STATUS_LINE, -40, MALFORMED, "malformed HTTP status line")                     \
    X(ORND_ERR_HTTP_HEADER, -41, MALFORMED, "malformed HTTP header")                               \
    X(ORND_ERR_HTTP_LINE_TOO_LONG, -42, MALFORMED, "HTTP line longer than the configured limit")   \
    X(ORND_ERR_HTTP_HEADERS_TOO_LARGE, -43, MALFORMED, "HTTP headers exceed the configured limit") \
    X(ORND_ERR_HTTP_CONTENT_LENGTH, -44, MALFORMED, "invalid or conflicting Content-Length")       \
    X(ORND_ERR_HTTP_CHUNK, -45, MALFORMED, "malformed chunked encoding")                           \
    X(ORND_ERR_HTTP_TRANSFER_ENCODING, -46, MALFORMED, "unsupported Transfer-Encoding")            \
    X(ORND_ERR_HTTP_BODY_TOO_LARGE, -47, MALFORMED,                                                \
      "response body larger than the configured limit")                                            \
    X(ORND_ERR_HTTP_FIELD_TOO_LONG, -48, MALFORMED,                                                \
      "HTTP framing or Retry-After field longer than the configured limit")                        \
    X(ORND_ERR_HTTP_STATUS, -49, MALFORMED, "unexpected HTTP status")                              \
    X(ORND_ERR_JSON_SYNTAX, -50, MALFORMED, "invalid JSON")                                        \
    X(ORND_ERR_JSON_DEPTH, -51, MALFORMED, "JSON nested deeper than the configured limit")         \
    X(ORND_ERR_JSON_UTF8, -52, MALFORMED, "invalid UTF-8 or escape in JSON string")                \
    X(ORND_ERR_JSON_INCOMPLETE, -53, MALFORMED, "JSON document ended early")                       \
    X(ORND_ERR_JSON_NUMBER, -54, MALFORMED, "JSON number not acceptable here")                     \
    X(ORND_ERR_PAGE_LIMIT, -57, MALFORMED, "list has more pages than the walk allows")             \
    X(ORND_ERR_MATCH_TOO_LONG, -58, MALFORMED,                                                     \
      "matched JSON value larger than the capture buffer")                                         \
    X(ORND_ERR_HTTP_NAMED_FIELD_TOO_LONG, -59, MALFORMED,                                          \
      "HTTP header field asked for (e.g. WWW-Authenticate) longer than the configured limit")      \
    X(ORND_ERR_TOKEN_MISSING, -60, MALFORMED, "token answer has no access_token")                  \
    X(ORND_ERR_TOKEN_TOO_LARGE, -61, MALFORMED, "access_token larger than the configured limit")   \
    X(ORND_ERR_TOKEN_CHARS, -62, MALFORMED, "access_token has characters not allowed in a header") \
    X(ORND_ERR_TOKEN_TYPE, -63, MALFORMED, "token_type missing or not Bearer")                     \
    X(ORND_ERR_TOKEN_EXPIRES, -64, MALFORMED, "expires_in is not a positive integer")              \
    X(ORND_ERR_TOKEN_FIELD, -65, MALFORMED,                                                        \
      "token answer field of the wrong type, repeated or too long")                                \
    X(ORND_ERR_TOKEN_SCOPE, -66, MALFORMED,                                                        \
      "granted scope is not a list of scope tokens (RFC 6749 3.3)")                                \
    /* credentials or scope rejected by the server (RFC 6749 §5.2) */                             \
    X(ORND_ERR_OAUTH_INVALID_REQUEST, -70, REJECTED, "server: invalid_request")                    \
    X(ORND_ERR_OAUTH_INVALID_CLIENT, -71, REJECTED,                                                \
      "server: invalid_client (wrong client_id or client_secret)")                                 \
    X(ORND_ERR_OAUTH_INVALID_GRANT, -72, REJECTED, "server: invalid_grant")                        \
    X(ORND_ERR_OAUTH_UNAUTHORIZED_CLIENT, -73, REJECTED, "server: unauthorized_client")            \
    X(ORND_ERR_OAUTH_UNSUPPORTED_GRANT_TYPE, -74, REJECTED, "server: unsupported_grant_type")      \
    X(ORND_ERR_OAUTH_INVALID_SCOPE, -75, REJECTED, "server: invalid_scope")                        \
    X(ORND_ERR_OAUTH_REJECTED, -76, REJECTED, "server rejected the request (400/401)")             \
    X(ORND_ERR_API_UNAUTHORIZED, -77, REJECTED, "API: token refused (401), also a fresh one")      \
    X(ORND_ERR_API_FORBIDDEN, -78, REJECTED, "API: insufficient scope (403)")                      \
    X(ORND_ERR_API_REJECTED, -79, REJECTED, "API: request refused (4xx)")                          \
    /* try later */                                                                                \
    X(ORND_ERR_RATE_LIMITED, -80, TRY_LATER, "rate limited by the server (429)")                   \
    X(ORND_ERR_UNAVAILABLE, -81, TRY_LATER, "server unavailable (5xx)")                            \
    X(ORND_ERR_TOKEN_HELD, -82, TRY_LATER,                                                         \
      "token request held back (rate guard or back-off after failures); try later")                \
    X(ORND_ERR_TIME_UNKNOWN, -83, TRY_LATER,                                                       \
      "wall-clock time unknown: certificate dates cannot be checked, nothing was sent "            \
      "(give the platform a unix_time that knows the time: RTC or SNTP)")

typedef enum {
    ORND_OK = 0,
    ORND_IN_PROGRESS = 1, /* not an error: a polled call is not finished yet */
#define ORND_X_ENUM(code, value, cls, msg) code = (value),
    ORND_ERROR_LIST(ORND_X_ENUM)
#undef ORND_X_ENUM
    /* Not a code: holds the type at the width of an int on every target,
     * also where enums are short by default (arm-none-eabi), so that the
     * layout of the structs that hold one does not depend on -fshort-enums
     * and an ornd_err_t callback is an int callback. */
    ORND__ERR_WIDTH = 0x7fffffff
} ornd_err_t;

/* Classes of errors: what a caller usually acts on. */
typedef enum {
    ORND_CLASS_OK = 0,
    ORND_CLASS_CONFIG,    /* caller, configuration or resources of this device */
    ORND_CLASS_NETWORK,   /* DNS, connect, timeout, reset, early close */
    ORND_CLASS_TLS,       /* handshake failed or certificate not accepted */
    ORND_CLASS_MALFORMED, /* the server's answer is invalid, unexpected or too large */
    ORND_CLASS_REJECTED,  /* the server refused the credentials or scope */
    ORND_CLASS_TRY_LATER  /* 429 or 5xx: wait (see retry_after) and try again */
} ornd_err_class_t;

/* Human-readable text for an error code; never NULL, never contains
 * secrets. With ORND_CONFIG_ERROR_STRINGS 0 the texts are not compiled in
 * and this returns the name (ornd_errname()). */
const char *ornd_strerror(ornd_err_t err);

/* Symbolic name of an error code ("ORND_ERR_TIMEOUT"); never NULL. */
const char *ornd_errname(ornd_err_t err);

/* Class of an error code; unknown negative codes are ORND_CLASS_CONFIG. */
ornd_err_class_t ornd_err_class(ornd_err_t err);

#ifdef __cplusplus
}
#endif

#endif /* ORND_ERROR_H */
