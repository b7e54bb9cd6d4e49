/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.1 incremental response reader, sans I/O (engine; unstable, not for
 * application code: its type is here so that ornd_api_t can hold it).
 *
 * Reader: fed the bytes of one response in any chunking down to one byte.
 * Parses the status line and the header fields in one pass over the bytes,
 * then delivers the body de-chunked through a callback. Supports
 * Content-Length, Transfer-Encoding: chunked (extensions and trailers) and
 * bodies delimited by the connection closing. Interim 1xx responses are
 * skipped.
 *
 * Memory is constant whatever the answer: a field the reader does not use
 * is checked (name syntax, no control bytes, the head's size) and skipped as
 * it streams, whatever its length, and never stored. Only the fields it
 * uses are held, each up to ORND_CONFIG_HTTP_FIELD_MAX bytes: its own
 * framing fields (Content-Length, Transfer-Encoding, Connection), Retry-After,
 * and the fields a caller names in cfg.fields (WWW-Authenticate,
 * Content-Type, ...), whose values are handed to cfg.on_field. A longer used
 * field is an error of its own, never cut silently. A new wanted field is a
 * new name in the caller's list: the reader does not change.
 *
 * Choices where RFC 9112 leaves room, made for a robust client:
 *  - A line ends with CRLF or a bare LF; a CR not followed by LF is an error.
 *  - Bytes that cannot begin "HTTP/1.x SP 3DIGIT" (an HTTP/2 preface, an
 *    HTTP/0.9 body, binary data) are ORND_ERR_HTTP_STATUS_LINE at the first
 *    byte that rules it out, without waiting for a line end or the close.
 *  - obs-fold (a field line starting with SP or HTAB) continues the field
 *    before it; the fold and the whitespace around it become one SP (§5.2).
 *    Folded lines right after the status line are consumed without being
 *    processed (§2.2); a trailer section cannot begin with one (there is no
 *    start line for §2.2 to speak of): ORND_ERR_HTTP_HEADER.
 *  - The status line, the header lines and the blank line after them, line
 *    ends included, may total ORND_CONFIG_HTTP_HEADERS_MAX bytes (counted, not
 *    stored) and ORND_CONFIG_HTTP_HEADER_COUNT_MAX fields. Interim (1xx)
 *    responses count towards the limits of the response that follows them.
 *    Trailers have limits of their own of the same size.
 *  - Field names are tokens followed directly by ':'; values may not contain
 *    control characters other than HTAB (obs-text is accepted).
 *  - Transfer-Encoding must be exactly one "chunked" (list elements may be
 *    empty). Every other coding, "identity" included, is
 *    ORND_ERR_HTTP_TRANSFER_ENCODING: a framing it does not understand is not
 *    guessed at.
 *  - Content-Length together with Transfer-Encoding is refused as
 *    ORND_ERR_HTTP_CONTENT_LENGTH (§6.3: "ought to be handled as an error"),
 *    and connection_close is set: the connection is never reused.
 *  - A body delimited by the connection's end is complete only when the close
 *    was clean (a TLS close_notify, RFC 8446 §6.1, §9.8 of RFC 9112):
 *    ornd_http_reader_eof() with clean = false there is ORND_ERR_TRUNCATED.
 *    A Content-Length or chunked body that is complete is complete however
 *    the connection ends.
 *  - Trailer fields are checked like header fields and skipped: they are
 *    never handed to on_field and never change the framing or Retry-After.
 *  - Fields of interim responses are checked for syntax, then skipped.
 *  - 101 (Switching Protocols) is never asked for; it ends the response
 *    without a body, with connection_close set, and the caller sees 101.
 */
#ifndef ORND_CORE_HTTP_READER_H
#define ORND_CORE_HTTP_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"
#include "ornd/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Named field callback: the whole value of one occurrence of cfg.fields[index]
 * in the head of the final response (never a trailer, never an interim
 * response's), OWS around it removed, obs-folds as SP. Not NUL-terminated.
 * Return ORND_OK to go on, or an error to stop (returned by feed()). */
typedef ornd_err_t (*ornd_http_field_cb_t)(void *user, size_t index, const char *value,
                                           size_t value_len);

/* Body callback: the next de-chunked body bytes. ORND_OK or an error. */
typedef ornd_err_t (*ornd_http_body_cb_t)(void *user, const uint8_t *data, size_t len);

typedef struct {
    /* Field names wanted by the caller, lower case, at most
     * ORND_CONFIG_HTTP_NAME_MAX bytes each (longer names never match); at
     * most 255 of them. May be NULL. */
    const char *const *fields;
    size_t field_count;
    ornd_http_field_cb_t on_field; /* may be NULL */
    ornd_http_body_cb_t on_body;   /* may be NULL (body discarded) */
    void *user;
    bool head_request; /* the request was HEAD: no body follows */
    /* Most body bytes accepted (0 = no limit); more is
     * ORND_ERR_HTTP_BODY_TOO_LARGE, found as early as the framing allows:
     * at the end of the headers for Content-Length, at the chunk-size line
     * for chunked, at the first byte over for a close-delimited body. */
    size_t body_max;
} ornd_http_reader_cfg_t;

/* Reader state. Public fields may be read once the headers are complete
 * (ornd_http_reader_headers_done()); `status` as soon as the final status
 * line was read (0 before). Other fields are private. */
typedef struct {
    ornd_http_reader_cfg_t cfg;
    /* Reset for each interim response: from `status` up to
     * `body_received`, which is not. In an order that leaves no padding on
     * 32- and 64-bit targets. */
    int status;              /* public, valid after the headers: e.g. 200 */
    uint64_t content_length; /* public */
    uint64_t remaining;      /* private: of Content-Length or of the current chunk */
    uint32_t retry_after_s;  /* public: Retry-After in seconds, if has_retry_after */
    uint16_t value_len;      /* private: of `value`; or the status, the chunk line so far */
    uint8_t version_minor;   /* public: HTTP/1.<minor> */
    bool chunked;            /* public: Transfer-Encoding: chunked */
    bool has_content_length; /* public: and it frames the body */
    bool connection_close;   /* public: the connection must not be used again */
    bool has_retry_after;    /* public */
    uint8_t state;           /* private, as the rest */
    uint8_t flags;           /* pending CR, trailer section, Connection tokens, bad CL */
    uint8_t pos;             /* bytes of the status line so far (up to 13) */
    uint8_t name_len;        /* of `name`; NAME_MAX + 1: too long to be used */
    /* public */
    uint64_t body_received; /* de-chunked body bytes so far */
    /* private, kept across interim responses */
    ornd_err_t err;                         /* sticky error, or ORND_OK */
    uint32_t head_bytes;                    /* of the head (or of the trailers) so far */
    uint16_t field_count;                   /* fields of the head (or of the trailers) so far */
    uint8_t kind;                           /* what the current field is to the reader */
    char name[ORND_CONFIG_HTTP_NAME_MAX];   /* field name so far, lower case */
    char value[ORND_CONFIG_HTTP_FIELD_MAX]; /* value of a used field */
} ornd_http_reader_t;

void ornd_http_reader_init(ornd_http_reader_t *r, const ornd_http_reader_cfg_t *cfg);

/*
 * Feed the next bytes of the response. `*used` (if `used` is not NULL) is set
 * to the bytes consumed: after the response is complete, the rest belongs to
 * the next response on the connection and is not consumed; on an error, the
 * bytes before the offending one. Once complete, feed() consumes nothing.
 * Returns ORND_OK (ask ornd_http_reader_complete() whether more is needed)
 * or an error (sticky; an error returned by a callback is passed on as is).
 */
ornd_err_t ornd_http_reader_feed(ornd_http_reader_t *r, const uint8_t *data, size_t len,
                                 size_t *used);

/*
 * The connection ended. `clean`: it ended with a TLS close_notify; false for
 * a bare transport close or reset. Returns ORND_OK when the response is
 * complete (a close-delimited body is completed by a clean close only),
 * ORND_ERR_TRUNCATED for a close-delimited body cut by a bare close,
 * ORND_ERR_CLOSED when the response was cut short, or the sticky error.
 */
ornd_err_t ornd_http_reader_eof(ornd_http_reader_t *r, bool clean);

/* True once the whole response has been read. */
bool ornd_http_reader_complete(const ornd_http_reader_t *r);

/* True once the status line and all headers have been parsed. */
bool ornd_http_reader_headers_done(const ornd_http_reader_t *r);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_HTTP_READER_H */
