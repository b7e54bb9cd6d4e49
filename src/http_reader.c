/* SPDX-License-Identifier: MIT */
/*
 * Incremental HTTP/1.1 response reader (RFC 9112), sans I/O.
 *
 * A small state machine. The status line, header fields, chunk-size lines
 * and trailer fields are collected one line at a time into r->line and
 * parsed when the line ends; body bytes are handed to the body callback in
 * runs as they arrive and are never stored.
 *
 * Every decision depends only on the bytes seen so far, never on how they
 * were split between calls, so any chunking gives the same result, the same
 * error at the same byte and the same body bytes (callbacks that stop the
 * reader aside: they see the pieces as they come).
 *
 * Choices where the RFCs leave room:
 *  - A line ends with CRLF or a bare LF; a CR not followed by LF is an error.
 *  - A line may hold ORND_CONFIG_HTTP_LINE_MAX bytes, not counting its CRLF.
 *  - The status line, the header lines and the blank line after them, CRLFs
 *    included, may total ORND_CONFIG_HTTP_HEADERS_MAX bytes. Interim (1xx)
 *    responses count towards the limits of the response that follows them.
 *    Trailers have limits of their own of the same size.
 *  - Field values may not contain control characters other than HTAB.
 *  - Transfer-Encoding must be exactly one "chunked" (list elements may be
 *    empty). Every other coding, "identity" included, is
 *    ORND_ERR_HTTP_TRANSFER_ENCODING: the reader decodes no other coding and
 *    a framing it does not understand is not guessed at.
 *  - With chunked present, Content-Length is ignored (even if invalid), and
 *    the connection is marked to be closed, as RFC 9112 §6.3 asks.
 *  - Fields of interim responses are checked for syntax but otherwise
 *    skipped: they are not passed to on_header.
 *  - 101 (Switching Protocols) is never asked for; it ends the response
 *    without a body, with connection_close set, and the caller sees status
 *    101.
 */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/http_reader.h"

#include <string.h>

#include "ornd/error.h"

_Static_assert(ORND_CONFIG_HTTP_LINE_MAX >= 16u && ORND_CONFIG_HTTP_LINE_MAX <= 0xFFFFu,
               "ORND_CONFIG_HTTP_LINE_MAX must be 16..65535");
_Static_assert(ORND_CONFIG_HTTP_HEADERS_MAX < 0xFFFFFFFFu,
               "ORND_CONFIG_HTTP_HEADERS_MAX must fit in 32 bits");
_Static_assert(ORND_CONFIG_HTTP_HEADER_COUNT_MAX < 0xFFFFu,
               "ORND_CONFIG_HTTP_HEADER_COUNT_MAX must fit in 16 bits");

/* States. Those before S_BODY_LEN read the head of the response. */
enum {
    S_STATUS,     /* status line */
    S_HEADER,     /* header lines up to the blank line */
    S_BODY_LEN,   /* `remaining` bytes of a Content-Length body */
    S_BODY_CLOSE, /* body up to the end of the connection */
    S_CHUNK_SIZE, /* chunk-size line */
    S_CHUNK_DATA, /* `remaining` bytes of chunk data */
    S_CHUNK_END,  /* the CRLF after chunk data */
    S_TRAILER,    /* trailer lines up to the blank line */
    S_DONE
};

/* line_flags bits. */
#define F_CR 0x01u         /* the line so far ended with CR: LF must follow */
#define F_CL_BAD 0x02u     /* a Content-Length was invalid or conflicting */
#define F_CLOSE 0x04u      /* Connection: close */
#define F_KEEP_ALIVE 0x08u /* Connection: keep-alive (matters for HTTP/1.0) */

/* ---- Character classes and small parsers ---------------------------------- */

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_tchar(char c)
{
    return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Controls other than HTAB, which no field value or reason phrase holds. */
static bool is_bad_ctl(char c)
{
    const unsigned char u = (unsigned char)c;
    return (u < 0x20u && u != '\t') || u == 0x7Fu;
}

static bool has_bad_ctl(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (is_bad_ctl(s[i])) {
            return true;
        }
    }
    return false;
}

static int hex_value(char c)
{
    if (is_digit(c)) {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Case-insensitive match of s[0..n) against a lower-case literal. */
static bool equals_lower(const char *s, size_t n, const char *lit)
{
    size_t i = 0;
    for (; i < n && lit[i] != '\0'; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') {
            c = (char)(c - 'A' + 'a');
        }
        if (c != lit[i]) {
            return false;
        }
    }
    return i == n && lit[i] == '\0';
}

/* 1*DIGIT into *out; false when empty, not all digits, or over 2^64-1. */
static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    uint64_t v = 0;
    if (n == 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i])) {
            return false;
        }
        const unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10u) {
            return false;
        }
        v = v * 10u + d;
    }
    *out = v;
    return true;
}

/* Next element of a comma-separated list, without surrounding whitespace.
 * *pos starts at 0; false once the list is used up. */
static bool list_next(const char *v, size_t n, size_t *pos, const char **elem, size_t *elem_len)
{
    if (*pos > n) {
        return false;
    }
    size_t start = *pos;
    size_t end = start;
    while (end < n && v[end] != ',') {
        end++;
    }
    *pos = end + 1;
    while (start < end && is_ows(v[start])) {
        start++;
    }
    while (end > start && is_ows(v[end - 1])) {
        end--;
    }
    *elem = v + start;
    *elem_len = end - start;
    return true;
}

/* ---- Known header fields -------------------------------------------------- */

/* Content-Length: 1*DIGIT, or a list of identical values. An invalid or
 * conflicting value is only remembered here: it is an error at the end of
 * the headers unless chunked framing makes Content-Length irrelevant. */
static void field_content_length(ornd_http_reader_t *r, const char *v, size_t n)
{
    size_t pos = 0;
    const char *e;
    size_t len;
    while (list_next(v, n, &pos, &e, &len)) {
        uint64_t x;
        if (!parse_u64(e, len, &x) || (r->has_content_length && x != r->content_length)) {
            r->line_flags |= F_CL_BAD;
            return;
        }
        r->has_content_length = true;
        r->content_length = x;
    }
}

/* Transfer-Encoding: "chunked", once, is the only coding supported. */
static int field_transfer_encoding(ornd_http_reader_t *r, const char *v, size_t n)
{
    size_t pos = 0;
    const char *e;
    size_t len;
    bool any = false;
    while (list_next(v, n, &pos, &e, &len)) {
        if (len == 0) {
            continue;
        }
        if (r->chunked || !equals_lower(e, len, "chunked")) {
            return ORND_ERR_HTTP_TRANSFER_ENCODING;
        }
        r->chunked = true;
        any = true;
    }
    return any ? ORND_OK : ORND_ERR_HTTP_TRANSFER_ENCODING;
}

static void field_connection(ornd_http_reader_t *r, const char *v, size_t n)
{
    size_t pos = 0;
    const char *e;
    size_t len;
    while (list_next(v, n, &pos, &e, &len)) {
        if (equals_lower(e, len, "close")) {
            r->line_flags |= F_CLOSE;
        } else if (equals_lower(e, len, "keep-alive")) {
            r->line_flags |= F_KEEP_ALIVE;
        }
    }
}

/* Retry-After: delta-seconds, saturating. An HTTP-date is not used. */
static void field_retry_after(ornd_http_reader_t *r, const char *v, size_t n)
{
    uint32_t secs = 0;
    if (n == 0) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(v[i])) {
            return;
        }
        const uint32_t d = (uint32_t)(v[i] - '0');
        secs = secs > (UINT32_MAX - d) / 10u ? UINT32_MAX : secs * 10u + d;
    }
    r->retry_after_s = secs;
    r->has_retry_after = true;
}

static int apply_field(ornd_http_reader_t *r, const char *name, size_t name_len, const char *v,
                       size_t n)
{
    if (equals_lower(name, name_len, "content-length")) {
        field_content_length(r, v, n);
    } else if (equals_lower(name, name_len, "transfer-encoding")) {
        return field_transfer_encoding(r, v, n);
    } else if (equals_lower(name, name_len, "connection")) {
        field_connection(r, v, n);
    } else if (equals_lower(name, name_len, "retry-after")) {
        field_retry_after(r, v, n);
    }
    return ORND_OK;
}

/* ---- Lines ---------------------------------------------------------------- */

static bool is_interim(int status)
{
    return status >= 100 && status <= 199 && status != 101;
}

/* "HTTP/1.x SP 3DIGIT [SP reason]". */
static int parse_status_line(ornd_http_reader_t *r)
{
    const char *s = r->line;
    const size_t n = r->line_len;
    if (n < 12 || memcmp(s, "HTTP/1.", 7) != 0 || !is_digit(s[7]) || s[8] != ' ' ||
        !is_digit(s[9]) || !is_digit(s[10]) || !is_digit(s[11]) || s[9] == '0' ||
        (n > 12 && s[12] != ' ') || has_bad_ctl(s + 12, n - 12)) {
        return ORND_ERR_HTTP_STATUS_LINE;
    }
    r->version_minor = (uint8_t)(s[7] - '0');
    r->status = (s[9] - '0') * 100 + (s[10] - '0') * 10 + (s[11] - '0');
    r->state = S_HEADER;
    return ORND_OK;
}

/* "name: value" of a header or trailer section. */
static int parse_field(ornd_http_reader_t *r, bool trailer)
{
    const char *s = r->line;
    const size_t n = r->line_len;
    size_t name_len = 0;
    if (++r->header_count > ORND_CONFIG_HTTP_HEADER_COUNT_MAX) {
        return ORND_ERR_HTTP_HEADERS_TOO_LARGE;
    }
    /* A leading SP/HTAB (obs-fold) or a space before ':' stops the name. */
    while (name_len < n && is_tchar(s[name_len])) {
        name_len++;
    }
    if (name_len == 0 || name_len == n || s[name_len] != ':') {
        return ORND_ERR_HTTP_HEADER;
    }
    size_t v = name_len + 1;
    size_t end = n;
    while (v < end && is_ows(s[v])) {
        v++;
    }
    while (end > v && is_ows(s[end - 1])) {
        end--;
    }
    if (has_bad_ctl(s + v, end - v)) {
        return ORND_ERR_HTTP_HEADER;
    }
    if (is_interim(r->status)) {
        return ORND_OK;
    }
    int rc = trailer ? ORND_OK : apply_field(r, s, name_len, s + v, end - v);
    if (rc == ORND_OK && r->cfg.on_header != NULL) {
        rc = r->cfg.on_header(r->cfg.user, s, name_len, s + v, end - v);
    }
    return rc < 0 ? rc : ORND_OK;
}

/* ---- End of the head, chunk lines ----------------------------------------- */

/* Forget what an interim response said; the final one follows. Byte and
 * field counts go on, so interim responses share the limits. */
static void reset_message(ornd_http_reader_t *r)
{
    r->status = 0;
    r->version_minor = 0;
    r->chunked = false;
    r->has_content_length = false;
    r->connection_close = false;
    r->content_length = 0;
    r->retry_after_s = 0;
    r->has_retry_after = false;
    r->line_flags = 0;
    r->state = S_STATUS;
}

/* True when `more` body bytes would go over cfg.body_max. */
static bool over_body_max(const ornd_http_reader_t *r, uint64_t more)
{
    return r->cfg.body_max != 0u && more > (uint64_t)r->cfg.body_max - r->body_received;
}

static bool has_no_body(const ornd_http_reader_t *r)
{
    return r->cfg.head_request || r->status == 101 || r->status == 204 || r->status == 304;
}

/* The server closes after this response, or the connection must not be
 * reused: Connection: close, HTTP/1.0 without keep-alive, a protocol switch,
 * or chunked framing that is suspect (with Content-Length, or in HTTP/1.0). */
static bool must_close(const ornd_http_reader_t *r, bool cl_seen)
{
    const unsigned f = r->line_flags;
    return (f & F_CLOSE) != 0u || r->status == 101 ||
           (r->version_minor == 0u && (f & F_KEEP_ALIVE) == 0u) ||
           (r->chunked && (cl_seen || r->version_minor == 0u));
}

/* Choose how the body is delimited (RFC 9112 §6.3). */
static int start_body(ornd_http_reader_t *r)
{
    if (has_no_body(r)) {
        r->state = S_DONE;
    } else if (r->chunked) {
        r->state = S_CHUNK_SIZE;
    } else if (!r->has_content_length) {
        r->state = S_BODY_CLOSE;
        r->connection_close = true;
    } else {
        r->remaining = r->content_length;
        r->state = r->remaining == 0u ? S_DONE : S_BODY_LEN;
        if (over_body_max(r, r->remaining)) {
            return ORND_ERR_HTTP_BODY_TOO_LARGE;
        }
    }
    return ORND_OK;
}

static int headers_end(ornd_http_reader_t *r)
{
    if (is_interim(r->status)) {
        reset_message(r);
        return ORND_OK;
    }
    const bool cl_seen = r->has_content_length || (r->line_flags & F_CL_BAD) != 0u;
    if (r->chunked) {
        r->has_content_length = false;
        r->content_length = 0;
    } else if ((r->line_flags & F_CL_BAD) != 0u) {
        return ORND_ERR_HTTP_CONTENT_LENGTH;
    }
    r->connection_close = must_close(r, cl_seen);
    return start_body(r);
}

/* "1*HEXDIG [BWS ';' extensions]"; extensions are ignored. */
static int parse_chunk_size(ornd_http_reader_t *r)
{
    const char *s = r->line;
    const size_t n = r->line_len;
    uint64_t size = 0;
    size_t i = 0;
    for (; i < n && hex_value(s[i]) >= 0; i++) {
        if (size > (UINT64_MAX >> 4)) {
            return ORND_ERR_HTTP_CHUNK;
        }
        size = (size << 4) | (uint64_t)hex_value(s[i]);
    }
    if (i == 0) {
        return ORND_ERR_HTTP_CHUNK;
    }
    while (i < n && is_ows(s[i])) {
        i++;
    }
    if ((i < n && s[i] != ';') || has_bad_ctl(s + i, n - i)) {
        return ORND_ERR_HTTP_CHUNK;
    }
    if (size == 0u) {
        /* Last chunk: the trailer section gets limits of its own. */
        r->state = S_TRAILER;
        r->header_bytes = 0;
        r->header_count = 0;
        return ORND_OK;
    }
    if (over_body_max(r, size)) {
        return ORND_ERR_HTTP_BODY_TOO_LARGE;
    }
    r->remaining = size;
    r->state = S_CHUNK_DATA;
    return ORND_OK;
}

/* A whole line is in r->line: act on it according to the state. */
static int line_end(ornd_http_reader_t *r)
{
    switch (r->state) {
    case S_STATUS:
        return parse_status_line(r);
    case S_HEADER:
        return r->line_len == 0u ? headers_end(r) : parse_field(r, false);
    case S_CHUNK_SIZE:
        return parse_chunk_size(r);
    case S_CHUNK_END:
        r->state = S_CHUNK_SIZE;
        return ORND_OK;
    default: /* S_TRAILER */
        if (r->line_len == 0u) {
            r->state = S_DONE;
            return ORND_OK;
        }
        return parse_field(r, true);
    }
}

/* The error for a malformed line in the current state. */
static int line_error(const ornd_http_reader_t *r)
{
    switch (r->state) {
    case S_STATUS:
        return ORND_ERR_HTTP_STATUS_LINE;
    case S_HEADER:
    case S_TRAILER:
        return ORND_ERR_HTTP_HEADER;
    default:
        return ORND_ERR_HTTP_CHUNK;
    }
}

/* Collect line bytes up to and including the line end, which is acted on.
 * *took is what was consumed; on error the offending byte is not. */
static int line_take(ornd_http_reader_t *r, const uint8_t *p, size_t n, size_t *took)
{
    const bool counted = r->state == S_STATUS || r->state == S_HEADER || r->state == S_TRAILER;
    const bool must_be_empty = r->state == S_CHUNK_END;
    for (size_t i = 0; i < n; i++) {
        const char c = (char)p[i];
        *took = i;
        if (counted && ++r->header_bytes > ORND_CONFIG_HTTP_HEADERS_MAX) {
            return ORND_ERR_HTTP_HEADERS_TOO_LARGE;
        }
        if (c == '\n') {
            *took = i + 1;
            r->line_flags &= (uint8_t)~F_CR;
            const int rc = line_end(r);
            r->line_len = 0;
            return rc;
        }
        if ((r->line_flags & F_CR) != 0u) {
            return line_error(r);
        }
        if (c == '\r') {
            r->line_flags |= F_CR;
        } else if (must_be_empty) {
            return ORND_ERR_HTTP_CHUNK;
        } else if (r->line_len >= ORND_CONFIG_HTTP_LINE_MAX) {
            return ORND_ERR_HTTP_LINE_TOO_LONG;
        } else {
            r->line[r->line_len++] = c;
        }
    }
    *took = n;
    return ORND_OK;
}

/* ---- Body ----------------------------------------------------------------- */

static int deliver(ornd_http_reader_t *r, const uint8_t *p, size_t n)
{
    if (n == 0) {
        return ORND_OK;
    }
    if (r->cfg.on_body != NULL) {
        const int rc = r->cfg.on_body(r->cfg.user, p, n);
        if (rc < 0) {
            return rc;
        }
    }
    r->body_received += n;
    return ORND_OK;
}

/* Pass on as many body bytes as the framing allows, in one run. Bytes up to
 * cfg.body_max are delivered before a close-delimited body is refused. */
static int body_take(ornd_http_reader_t *r, const uint8_t *p, size_t n, size_t *took)
{
    size_t k = n;
    int verdict = ORND_OK;
    if (r->state == S_BODY_CLOSE) {
        if (over_body_max(r, k)) {
            k = (size_t)((uint64_t)r->cfg.body_max - r->body_received);
            verdict = ORND_ERR_HTTP_BODY_TOO_LARGE;
        }
    } else if (r->remaining < k) {
        k = (size_t)r->remaining;
    }
    *took = k;
    const int rc = deliver(r, p, k);
    if (rc < 0) {
        return rc;
    }
    if (r->state != S_BODY_CLOSE) {
        r->remaining -= k;
        if (r->remaining == 0u) {
            r->state = r->state == S_BODY_LEN ? S_DONE : S_CHUNK_END;
        }
    }
    return verdict;
}

/* ---- API ------------------------------------------------------------------ */

void ornd_http_reader_init(ornd_http_reader_t *r, const ornd_http_reader_cfg_t *cfg)
{
    memset(r, 0, sizeof *r);
    if (cfg != NULL) {
        r->cfg = *cfg;
    }
    r->state = S_STATUS;
}

static bool is_body_state(uint8_t state)
{
    return state == S_BODY_LEN || state == S_BODY_CLOSE || state == S_CHUNK_DATA;
}

int ornd_http_reader_feed(ornd_http_reader_t *r, const uint8_t *data, size_t len, size_t *used)
{
    size_t pos = 0;
    if (used != NULL) {
        *used = 0;
    }
    if (r == NULL || (data == NULL && len > 0)) {
        return ORND_ERR_ARG;
    }
    while (r->err == ORND_OK && r->state != S_DONE && pos < len) {
        size_t took = 0;
        const int rc = is_body_state(r->state) ? body_take(r, data + pos, len - pos, &took)
                                               : line_take(r, data + pos, len - pos, &took);
        pos += took;
        if (rc < 0) {
            r->err = rc;
        }
    }
    if (used != NULL) {
        *used = pos;
    }
    if (r->err != ORND_OK) {
        return r->err;
    }
    return r->state == S_DONE ? 1 : 0;
}

int ornd_http_reader_eof(ornd_http_reader_t *r)
{
    if (r == NULL) {
        return ORND_ERR_ARG;
    }
    if (r->err != ORND_OK) {
        return r->err;
    }
    if (r->state == S_BODY_CLOSE) {
        r->state = S_DONE;
    }
    if (r->state != S_DONE) {
        r->err = ORND_ERR_CLOSED;
        return r->err;
    }
    return 1;
}

bool ornd_http_reader_headers_done(const ornd_http_reader_t *r)
{
    return r != NULL && r->state >= S_BODY_LEN;
}
