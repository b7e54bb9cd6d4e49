/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.1 incremental response reader, sans I/O (engine; unstable, not for
 * application code: its type is here so that ornd_api_t can hold it).
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
#ifndef ORND_CORE_HTTP_READER_H
#define ORND_CORE_HTTP_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"

#ifdef __cplusplus
extern "C" {
#endif

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

#endif /* ORND_CORE_HTTP_READER_H */
