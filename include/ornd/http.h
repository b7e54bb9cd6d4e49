/*
 * HTTP/1.1 request writer and incremental response reader (sans I/O).
 *
 * Writer: builds a request into a caller buffer. Nothing is written past the
 * buffer; a request that does not fit is ORND_ERR_BUF_TOO_SMALL, never cut.
 *
 * Reader: fed the bytes of one response in any chunking down to one byte.
 * Parses the status line and header fields (names case-insensitive, optional
 * whitespace around values), then delivers the body de-chunked through a
 * callback. Supports Content-Length, Transfer-Encoding: chunked (extensions
 * and trailers) and bodies delimited by the connection closing. Interim 1xx
 * responses are skipped. Lines longer than ORND_CONFIG_HTTP_LINE_MAX, more
 * than ORND_CONFIG_HTTP_HEADERS_MAX header bytes or more than
 * ORND_CONFIG_HTTP_HEADER_COUNT_MAX fields are errors of their own.
 */
#ifndef ORND_HTTP_H
#define ORND_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Writer ------------------------------------------------------------ */

/* Append-only text buffer. `err` is sticky: once something did not fit,
 * nothing more is written and err is ORND_ERR_BUF_TOO_SMALL (ORND_ERR_ARG
 * after an invalid argument, e.g. NULL data with a length). Nothing is ever
 * written past `cap`; a put that does not fit writes nothing of itself and
 * leaves `len` as it was. */
typedef struct {
    char *buf;
    size_t cap;
    size_t len;
    int err;
} ornd_buf_t;

void ornd_buf_init(ornd_buf_t *b, char *buf, size_t cap);
void ornd_buf_put(ornd_buf_t *b, const char *data, size_t len);
void ornd_buf_puts(ornd_buf_t *b, const char *s);
void ornd_buf_put_u32(ornd_buf_t *b, uint32_t v); /* decimal */

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
int ornd_http_write_head(ornd_buf_t *b, const ornd_http_request_t *req);

/* ---- Reader ------------------------------------------------------------ */

/* Header field callback: name and value (value without surrounding
 * whitespace). Not NUL-terminated. Called for the header and trailer fields
 * of the final response, not for those of skipped interim (1xx) responses.
 * Return 0 to go on, negative to stop (returned by feed()). */
typedef int (*ornd_http_header_cb_t)(void *user, const char *name, size_t name_len,
                                     const char *value, size_t value_len);

/* Body callback: the next de-chunked body bytes. Return 0 or negative. */
typedef int (*ornd_http_body_cb_t)(void *user, const uint8_t *data, size_t len);

typedef struct {
    ornd_http_header_cb_t on_header; /* may be NULL */
    ornd_http_body_cb_t on_body;     /* may be NULL (body discarded) */
    void *user;
    bool head_request; /* the request was HEAD: no body follows */
    /* Most body bytes accepted (0 = no limit); more is
     * ORND_ERR_HTTP_BODY_TOO_LARGE, found as early as the framing allows:
     * at the end of the headers for Content-Length, at the chunk-size line
     * for chunked, at the first byte over for a close-delimited body. */
    size_t body_max;
} ornd_http_reader_cfg_t;

/* Reader state. Public fields may be read once the headers are complete
 * (ornd_http_reader_headers_done()). Other fields are private. */
typedef struct {
    ornd_http_reader_cfg_t cfg;
    /* public, valid after the headers */
    int status;              /* e.g. 200 */
    uint8_t version_minor;   /* HTTP/1.<minor> */
    bool chunked;            /* Transfer-Encoding: chunked */
    bool has_content_length; /* and it frames the body (false when chunked) */
    bool connection_close;   /* server will close after this response */
    uint64_t content_length;
    uint32_t retry_after_s; /* Retry-After in seconds, if has_retry_after */
    bool has_retry_after;
    uint64_t body_received; /* de-chunked body bytes so far */
    /* private */
    int err; /* sticky error, or 0 */
    uint8_t state;
    uint8_t line_flags;                   /* pending CR and what Connection/Content-Length said */
    uint16_t line_len;                    /* bytes in `line` */
    uint32_t header_bytes;                /* of the head (or of the trailers) so far */
    uint16_t header_count;                /* fields of the head (or of the trailers) so far */
    uint64_t remaining;                   /* of Content-Length or of the current chunk */
    char line[ORND_CONFIG_HTTP_LINE_MAX]; /* line being collected, no CRLF */
} ornd_http_reader_t;

void ornd_http_reader_init(ornd_http_reader_t *r, const ornd_http_reader_cfg_t *cfg);

/*
 * Feed the next bytes of the response. `*used` (if `used` is not NULL) is set
 * to the bytes consumed: after the response is complete, the rest belongs to
 * the next response on the connection and is not consumed; on an error, the
 * bytes before the offending one. Once complete, feed() returns 1 and
 * consumes nothing.
 * Returns 0 while more is needed, 1 when the response is complete, or a
 * negative error (sticky; a negative callback return is passed on as is).
 * Limits: a line may hold ORND_CONFIG_HTTP_LINE_MAX bytes before its line
 * end (CRLF or bare LF); the head (status line to blank line, line ends
 * included, interim responses counted in) may total
 * ORND_CONFIG_HTTP_HEADERS_MAX bytes and ORND_CONFIG_HTTP_HEADER_COUNT_MAX
 * fields; the trailers have the same limits of their own.
 */
int ornd_http_reader_feed(ornd_http_reader_t *r, const uint8_t *data, size_t len, size_t *used);

/*
 * The connection was closed by the peer. Returns 1 when that completes the
 * response (a body delimited by close, or an already complete response),
 * ORND_ERR_CLOSED when the response was cut short, or the sticky error.
 */
int ornd_http_reader_eof(ornd_http_reader_t *r);

/* True once the status line and all headers have been parsed. */
bool ornd_http_reader_headers_done(const ornd_http_reader_t *r);

#ifdef __cplusplus
}
#endif

#endif /* ORND_HTTP_H */
