/* SPDX-License-Identifier: MIT */
/*
 * Incremental HTTP/1.1 response reader (RFC 9112), sans I/O.
 *
 * One pass over the bytes: a small state machine whose states for the head
 * (status line, field name, field value, ...) each take a run of bytes at
 * once. Nothing of the head is stored but the lower-cased name of the field
 * being read (up to ORND_CONFIG_HTTP_NAME_MAX bytes) and the value of a field
 * the reader or its caller uses; every other value is checked and passed
 * over. Body bytes are handed to the body callback in runs as they arrive
 * and are never stored. The choices made where the RFC leaves room are
 * listed in ornd/core/http_reader.h.
 *
 * Every decision depends only on the bytes seen so far, never on how they
 * were split between calls, so any chunking gives the same result, the same
 * error at the same byte and the same body bytes (callbacks that stop the
 * reader aside: they see the pieces as they come).
 *
 * No 64-bit division: Content-Length and chunk sizes are checked for
 * overflow with comparisons and shifts only (no libgcc helper on 32-bit
 * targets). No C library call in the byte loops: a call per field would
 * cost more than its bytes. The head's runs are taken a byte at a time:
 * its values are short, and a word at a time saved little on them.
 */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/http_reader.h"

#include <stddef.h>
#include <string.h>

#include "ascii.h"
#include "compiler.h"

/* the settings are checked where they are defined, in ornd/config.h */

/* States. Those up to S_CR read the head or the trailers. */
enum {
    S_STATUS,     /* "HTTP/1.x SP 3DIGIT", `pos` bytes of it so far */
    S_LINE,       /* start of a field line, of a fold, or the blank line */
    S_NAME,       /* field name */
    S_OWS,        /* whitespace before a value */
    S_VALUE,      /* field value, or the reason phrase (status still 0) */
    S_CR,         /* after a CR (LF must follow), or at a bare LF */
    S_CHUNK_SIZE, /* start of a chunk-size line */
    S_CHUNK_HEX,  /* in its hex digits */
    S_CHUNK_BWS,  /* whitespace after them: ';' must follow */
    S_CHUNK_EXT,  /* chunk extensions: checked, skipped */
    S_CHUNK_END,  /* the CRLF after chunk data */
    S_BODY_LEN,   /* `remaining` bytes of a Content-Length body */
    S_BODY_CLOSE, /* body up to the end of the connection */
    S_CHUNK_DATA, /* `remaining` bytes of chunk data */
    S_DONE
};

/* flags bits. */
#define F_CR 0x01u         /* a CR of a chunk line was taken: LF must follow */
#define F_TRAILER 0x02u    /* the fields read are trailers */
#define F_CL_BAD 0x04u     /* a Content-Length was invalid or conflicting */
#define F_CLOSE 0x10u      /* Connection: close */
#define F_KEEP_ALIVE 0x20u /* Connection: keep-alive (matters for HTTP/1.0) */

/* What the field being read is to the reader. */
enum {
    K_NONE,  /* no field pending */
    K_SKIP,  /* checked and passed over */
    K_CL,    /* Content-Length */
    K_TE,    /* Transfer-Encoding */
    K_CONN,  /* Connection */
    K_RETRY, /* Retry-After */
    K_NAMED  /* K_NAMED + i: cfg.fields[i] */
};
#define NAMED_MAX (0xFFu - K_NAMED)

/* ---- Character classes ------------------------------------------------- */

static bool is_tchar(uint8_t c)
{
    return ornd_byte_is(c, ORND_BYTE_TCHAR);
}

/* A byte of a field value, reason phrase or chunk extension: no control but
 * HTAB. */
static bool is_text(uint8_t c)
{
    return ornd_byte_is(c, ORND_BYTE_TEXT);
}

static bool is_ows(char c)
{
    return c == ' ' || c == '\t';
}

/* Length of the run of text bytes at p[0..n). */
static size_t text_run(const uint8_t *p, size_t n)
{
    size_t i = 0;
    while (i < n && is_text(p[i])) {
        i++;
    }
    return i;
}

/* 1*DIGIT into *out; false when empty, not all digits, or over 2^64-1.
 * The overflow test compares with 2^64-1 divided by ten, written out. */
static bool parse_u64(const char *s, size_t n, uint64_t *out)
{
    const uint64_t max10 = UINT64_C(1844674407370955161); /* (2^64-1) / 10 */
    uint64_t v = 0;
    if (n == 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        const unsigned d = (uint8_t)(s[i] - '0');
        if (d > 9u) {
            return false;
        }
        if (v > max10 || (v == max10 && d > 5u)) {
            return false;
        }
        v = v * 10u + d;
    }
    *out = v;
    return true;
}

/* ---- Fields the reader uses -------------------------------------------- */

/* The list fields: Content-Length (1*DIGIT, or a list of identical values;
 * an invalid or conflicting value is only remembered: an error at the end
 * of the headers), Transfer-Encoding ("chunked", once, is the only coding
 * supported; empty elements are allowed) and Connection (close,
 * keep-alive). Elements are separated by ',', whitespace around them
 * removed. Out of line: called once a field, and head_take()'s byte loop
 * keeps its registers. */
ORND_NOINLINE static ornd_err_t field_list(ornd_http_reader_t *r, uint8_t kind, const char *v,
                                           size_t n)
{
    uint64_t x;
    bool any = false;
    size_t i = 0;
    do {
        /* the element: from its first to its last byte that is not OWS */
        size_t start = i;
        size_t end = i;
        for (; i < n && v[i] != ','; i++) {
            if (!is_ows(v[i])) {
                start = end == start ? i : start;
                end = i + 1u;
            }
        }
        const char *e = v + start;
        const size_t len = end - start;
        i++; /* and the ',' */
        if (kind == K_CONN) {
            /* keep-alive matters for HTTP/1.0 only */
            r->flags |= ornd_ascii_ieq(e, len, "close") ? F_CLOSE
                        : r->version_minor == 0u && ornd_ascii_ieq(e, len, "keep-alive")
                            ? F_KEEP_ALIVE
                            : 0u;
        } else if (kind == K_TE) {
            if (len == 0) {
                continue;
            }
            if (r->chunked || !ornd_ascii_ieq(e, len, "chunked")) {
                return ORND_ERR_HTTP_TRANSFER_ENCODING;
            }
            r->chunked = true;
            any = true;
        } else if (!parse_u64(e, len, &x) || (r->has_content_length && x != r->content_length)) {
            r->flags |= F_CL_BAD;
            return ORND_OK;
        } else {
            r->has_content_length = true;
            r->content_length = x;
        }
    } while (i <= n);
    return kind == K_TE && !any ? ORND_ERR_HTTP_TRANSFER_ENCODING : ORND_OK;
}

/* Retry-After: delta-seconds, saturating. An HTTP-date is not used. */
static void field_retry_after(ornd_http_reader_t *r, const char *v, size_t n)
{
    uint32_t secs = 0;
    if (n == 0) {
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const uint32_t d = (uint8_t)(v[i] - '0');
        if (d > 9u) {
            return;
        }
        secs = secs > (UINT32_MAX - d) / 10u ? UINT32_MAX : secs * 10u + d;
    }
    r->retry_after_s = secs;
    r->has_retry_after = true;
}

static bool is_interim(int status)
{
    return status >= 100 && status <= 199 && status != 101;
}

/* The name taken (`n` bytes, as sent) is the lower-case `want`. */
static bool name_is(const char *name, size_t n, const char *want)
{
    return ornd_ascii_ieq(name, n, want);
}

/* The name is complete: what the field is to the reader. */
static uint8_t field_kind(const ornd_http_reader_t *r, const char *name, size_t n)
{
    /* length, name, NUL; in the order of K_CL, K_TE, K_CONN, K_RETRY */
    static const char own[] = "\016content-length\0\021transfer-encoding\0"
                              "\012connection\0\013retry-after";
    if ((r->flags & F_TRAILER) != 0u || is_interim(r->status) || n > ORND_CONFIG_HTTP_NAME_MAX) {
        return K_SKIP;
    }
    const char *o = own;
    for (unsigned kind = K_CL; kind <= K_RETRY; kind++) {
        if ((uint8_t)o[0] == n && name_is(name, n, o + 1)) {
            return (uint8_t)kind;
        }
        o += (uint8_t)o[0] + 2u;
    }
    const size_t count = r->cfg.field_count < NAMED_MAX ? r->cfg.field_count : NAMED_MAX;
    for (size_t i = 0; i < count; i++) {
        if (r->cfg.fields[i] != NULL && name_is(name, n, r->cfg.fields[i])) {
            return (uint8_t)(K_NAMED + i);
        }
    }
    return K_SKIP;
}

/* The field (with its folds) is complete, its value the first `n` bytes of
 * `value`: act on it. */
static ornd_err_t field_end(ornd_http_reader_t *r, size_t n)
{
    const uint8_t kind = r->kind;
    r->kind = K_NONE;
    switch (kind) {
    case K_NONE:
    case K_SKIP:
        return ORND_OK;
    case K_CL:
    case K_TE:
    case K_CONN:
        return field_list(r, kind, r->value, n);
    case K_RETRY:
        field_retry_after(r, r->value, n);
        return ORND_OK;
    default:
        if (r->cfg.on_field == NULL) {
            return ORND_OK;
        }
        return r->cfg.on_field(r->cfg.user, (size_t)(kind - K_NAMED), r->value, n);
    }
}

/* Keep value bytes of a used field. Whitespace past the room is dropped (it
 * may be trailing OWS); any other byte past it makes the value too long. */
static ornd_err_t keep_value(ornd_http_reader_t *r, const uint8_t *p, size_t n, size_t *fit)
{
    for (size_t i = 0; i < n; i++) {
        if (r->value_len < ORND_CONFIG_HTTP_FIELD_MAX) {
            r->value[r->value_len++] = (char)p[i];
        } else if (!is_ows((char)p[i])) {
            *fit = i;
            return r->kind >= K_NAMED ? ORND_ERR_HTTP_NAMED_FIELD_TOO_LONG
                                      : ORND_ERR_HTTP_FIELD_TOO_LONG;
        }
    }
    return ORND_OK;
}

/* ---- End of the head --------------------------------------------------- */

/* Forget what an interim response said; the final one follows. Byte and
 * field counts go on, so interim responses share the limits. */
static void reset_message(ornd_http_reader_t *r)
{
    memset(&r->status, 0,
           offsetof(ornd_http_reader_t, body_received) -
               offsetof(ornd_http_reader_t, status)); /* state: S_STATUS */
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

/* The blank line after the fields: the end of the trailers, of an interim
 * response, or of the head, where the body's framing is chosen (RFC 9112
 * §6.3). */
static ornd_err_t section_end(ornd_http_reader_t *r)
{
    const unsigned f = r->flags;
    if ((f & F_TRAILER) != 0u) {
        r->state = S_DONE;
        return ORND_OK;
    }
    if (is_interim(r->status)) {
        reset_message(r);
        return ORND_OK;
    }
    if ((f & F_CL_BAD) != 0u || (r->chunked && r->has_content_length)) {
        /* an invalid Content-Length, or one with chunked (a request
         * smuggling shape): the connection is never reused */
        r->connection_close = true;
        return ORND_ERR_HTTP_CONTENT_LENGTH;
    }
    /* The server closes after this response, or the connection must not be
     * reused: Connection: close, a protocol switch, HTTP/1.0 without
     * keep-alive or with chunked framing. */
    const bool old_version = r->version_minor == 0u;
    bool close = ((f & F_CLOSE) != 0u) | (r->status == 101) |
                 (old_version & (((f & F_KEEP_ALIVE) == 0u) | r->chunked));
    ornd_err_t rc = ORND_OK;
    if (has_no_body(r)) {
        r->state = S_DONE;
    } else if (r->chunked) {
        r->state = S_CHUNK_SIZE;
        r->value_len = 0; /* counts the chunk-size line's bytes */
    } else if (!r->has_content_length) {
        r->state = S_BODY_CLOSE;
        /* what the limit leaves (no body byte was taken yet), or no end */
        r->remaining = r->cfg.body_max != 0u ? r->cfg.body_max : UINT64_MAX;
        close = true;
    } else {
        r->remaining = r->content_length;
        r->state = r->remaining == 0u ? S_DONE : S_BODY_LEN;
        if (over_body_max(r, r->remaining)) {
            rc = ORND_ERR_HTTP_BODY_TOO_LARGE;
        }
    }
    r->connection_close = close;
    return rc;
}

/* ---- Head -------------------------------------------------------------- */

/* One byte of "HTTP/1.x SP 3DIGIT", refused at the first byte that cannot
 * be part of it: the byte at each place is between lo[] and hi[] there. */
static ornd_err_t status_byte(ornd_http_reader_t *r, uint8_t c)
{
    static const char lo[] = "HTTP/1.0 100";
    static const char hi[] = "HTTP/1.9 999";
    const uint8_t pos = r->pos;
    r->pos = (uint8_t)(pos + 1u);
    if (c < (uint8_t)lo[pos] || c > (uint8_t)hi[pos]) {
        return ORND_ERR_HTTP_STATUS_LINE;
    }
    if (pos == 7u) {
        r->version_minor = (uint8_t)(c - '0');
    } else if (pos >= 9u) {
        r->value_len = (uint16_t)(r->value_len * 10u + (unsigned)(c - '0')); /* the status */
    }
    return ORND_OK;
}

/* The status line is read: its code was taken in value_len (no value is
 * kept before the first field). */
static void status_line_end(ornd_http_reader_t *r)
{
    r->status = r->value_len;
    r->value_len = 0;
    r->state = S_LINE;
    r->kind = K_SKIP; /* folded lines before the first field: consumed */
}

/* A field line starts with `c` (not a fold, not a line end). */
static ornd_err_t name_start(ornd_http_reader_t *r, uint8_t c)
{
    if (!is_tchar(c)) {
        return ORND_ERR_HTTP_HEADER;
    }
    if (++r->field_count > ORND_CONFIG_HTTP_HEADER_COUNT_MAX) {
        return ORND_ERR_HTTP_HEADERS_TOO_LARGE;
    }
    r->name_len = 0;
    r->state = S_NAME; /* which takes the name from this byte on */
    return ORND_OK;
}

/* Keep the part of a field name that a chunk ends in (as sent, while it
 * may still be a used one: NAME_MAX + 1 marks one too long to be used). */
static void name_keep(ornd_http_reader_t *r, const uint8_t *p, size_t k)
{
    size_t len = r->name_len;
    for (size_t i = 0; i < k && len < ORND_CONFIG_HTTP_NAME_MAX; i++) {
        r->name[len++] = (char)p[i];
    }
    const size_t total = (size_t)r->name_len + k;
    r->name_len =
        (uint8_t)(total <= ORND_CONFIG_HTTP_NAME_MAX ? total : ORND_CONFIG_HTTP_NAME_MAX + 1u);
}

/* The error of a byte out of place in the head: the status line is read
 * while `status` is 0 (set at its end, and 100 or more). */
static ornd_err_t head_error(const ornd_http_reader_t *r)
{
    return r->status == 0 ? ORND_ERR_HTTP_STATUS_LINE : ORND_ERR_HTTP_HEADER;
}

/* The first byte of a line of the field section. */
static ornd_err_t line_start(ornd_http_reader_t *r, uint8_t c)
{
    /* the value so far without trailing whitespace (nothing reads it for a
     * field that is skipped) */
    size_t n = r->value_len;
    while (n > 0 && is_ows(r->value[n - 1u])) {
        n--;
    }
    if (c == ' ' || c == '\t') {
        /* obs-fold: the field goes on; the fold is one SP */
        if (r->kind == K_NONE) {
            return ORND_ERR_HTTP_HEADER;
        }
        if (n > 0 && n < ORND_CONFIG_HTTP_FIELD_MAX) {
            r->value[n++] = ' '; /* full: more is too long anyway */
        }
        r->value_len = (uint16_t)n;
        r->state = S_OWS;
        return ORND_OK;
    }
    ornd_err_t rc = field_end(r, n);
    if (rc != ORND_OK) {
        return rc;
    }
    if (c == '\r') {
        r->state = S_CR;
        return ORND_OK;
    }
    if (c == '\n') {
        return section_end(r);
    }
    return name_start(r, c);
}

static bool is_head_state(uint8_t s)
{
    return s <= S_CR;
}

/* Take head (or trailer) bytes from p[0..n), n > 0, up to the end of the
 * section, at most what the head limit leaves: once that is used up, more
 * is ORND_ERR_HTTP_HEADERS_TOO_LARGE (at the next call, with nothing
 * consumed). Returns the bytes consumed; on an error the offending byte is
 * not. */
ORND_NOINLINE static size_t head_take(ornd_http_reader_t *r, const uint8_t *p, size_t n)
{
    const size_t room = ORND_CONFIG_HTTP_HEADERS_MAX - r->head_bytes;
    const size_t lim = n < room ? n : room;
    if (room == 0u) {
        r->err = ORND_ERR_HTTP_HEADERS_TOO_LARGE; /* and there is more of it (n > 0) */
        return 0;
    }
    size_t i = 0;
    ornd_err_t rc = ORND_OK;
    while (rc == ORND_OK && i < lim && is_head_state(r->state)) {
        const uint8_t c = p[i];
        size_t k;
        switch (r->state) {
        case S_STATUS:
            if (r->pos < 12u) {
                rc = status_byte(r, c);
                break;
            }
            if (c != ' ' && c != '\r' && c != '\n') {
                rc = ORND_ERR_HTTP_STATUS_LINE;
                break;
            }
            r->state = S_VALUE; /* the reason phrase, checked as a skipped value */
            if (c == ' ') {
                break;
            }
            continue; /* the line end, as that of a value */
        case S_LINE:
            rc = line_start(r, c);
            if (rc != ORND_OK || r->state != S_NAME) {
                break;
            }
            /* the name begins with this byte */
            /* fall through */
        case S_NAME:
            k = 0;
            while (i + k < lim && is_tchar(p[i + k])) {
                k++;
            }
            if (i + k == lim) {
                name_keep(r, p + i, k); /* the name goes on in the next chunk */
                i = lim;
                continue;
            }
            if (p[i + k] != ':') {
                i += k;
                rc = ORND_ERR_HTTP_HEADER;
                break;
            }
            {
                const char *name = (const char *)p + i; /* whole in this chunk */
                size_t name_len = k;
                if (r->name_len != 0u) {
                    name_keep(r, p + i, k); /* its start came in an earlier chunk */
                    name = r->name;
                    name_len = r->name_len;
                }
                r->kind = field_kind(r, name, name_len);
            }
            i += k + 1u; /* and the ':' */
            r->value_len = 0;
            r->state = S_OWS;
            /* fall through */
        case S_OWS:
            while (i < lim && is_ows((char)p[i])) {
                i++;
            }
            if (i == lim) {
                continue;
            }
            r->state = S_VALUE;
            /* fall through */
        default: /* S_VALUE */
            k = text_run(p + i, lim - i);
            if (r->kind > K_SKIP && k > 0) {
                size_t fit;
                rc = keep_value(r, p + i, k, &fit);
                if (rc != ORND_OK) {
                    i += fit; /* the byte that does not fit is the offending one */
                    break;
                }
            }
            i += k;
            if (i == lim) {
                continue;
            }
            if (p[i] == '\r') {
                r->state = S_CR;
                break;
            }
            /* a bare LF ends the line as one after a CR; another byte here
             * is a control byte out of place */
            /* fall through */
        case S_CR:
            if (p[i] != '\n') {
                rc = head_error(r); /* or a CR not followed by LF */
            } else if (r->status == 0) {
                status_line_end(r);
            } else if (r->kind == K_NONE) {
                r->state = S_LINE; /* the blank line: the section ends there */
                continue;
            } else {
                r->state = S_LINE;
            }
            break;
        }
        if (rc == ORND_OK) {
            i++;
        }
    }
    if (is_head_state(r->state)) {
        r->head_bytes += (uint32_t)i; /* else unused until the trailers */
    }
    r->err = rc;
    return i;
}

/* ---- Chunk lines -------------------------------------------------------- */

/* The chunk-size line ended: the next one (after the data) starts afresh. */
static ornd_err_t chunk_line_end(ornd_http_reader_t *r)
{
    r->value_len = 0; /* the next chunk-size line's count */
    if (r->remaining == 0u) {
        /* last chunk: the trailer section gets limits of its own */
        r->head_bytes = 0;
        r->state = S_LINE; /* `kind` is K_NONE since the blank line */
        r->flags |= F_TRAILER;
        r->field_count = 0;
        return ORND_OK;
    }
    if (over_body_max(r, r->remaining)) {
        return ORND_ERR_HTTP_BODY_TOO_LARGE;
    }
    r->state = S_CHUNK_DATA;
    return ORND_OK;
}

/* One byte of a chunk-size line ("1*HEXDIG [BWS ';' ext]") or of the CRLF
 * after chunk data. */
ORND_NOINLINE static ornd_err_t chunk_byte(ornd_http_reader_t *r, uint8_t c)
{
    const uint8_t s = r->state;
    if (c == '\n') {
        r->flags &= (uint8_t)~F_CR;
        if (s == S_CHUNK_END) {
            r->state = S_CHUNK_SIZE;
            return ORND_OK;
        }
        return s == S_CHUNK_SIZE ? ORND_ERR_HTTP_CHUNK : chunk_line_end(r);
    }
    if ((r->flags & F_CR) != 0u) {
        return ORND_ERR_HTTP_CHUNK; /* a CR not followed by LF */
    }
    if (c == '\r') {
        r->flags |= F_CR;
        return ORND_OK;
    }
    if (s == S_CHUNK_END) {
        return ORND_ERR_HTTP_CHUNK; /* more data than the chunk size said */
    }
    if (r->value_len == ORND_CONFIG_HTTP_FIELD_MAX) {
        return ORND_ERR_HTTP_LINE_TOO_LONG; /* line ends not counted */
    }
    r->value_len++;
    if (s == S_CHUNK_EXT) {
        return is_text(c) ? ORND_OK : ORND_ERR_HTTP_CHUNK;
    }
    const int h = ornd_ascii_hex(c);
    if (h >= 0 && s != S_CHUNK_BWS) {
        if (r->remaining > (UINT64_MAX >> 4)) {
            return ORND_ERR_HTTP_CHUNK;
        }
        r->remaining = (r->remaining << 4) | (unsigned)h;
        r->state = S_CHUNK_HEX;
        return ORND_OK;
    }
    if (s == S_CHUNK_SIZE) {
        return ORND_ERR_HTTP_CHUNK;
    }
    if (c == ';') {
        r->state = S_CHUNK_EXT;
        return ORND_OK;
    }
    if (!is_ows((char)c)) {
        return ORND_ERR_HTTP_CHUNK;
    }
    r->state = S_CHUNK_BWS;
    return ORND_OK;
}

/* ---- Body ----------------------------------------------------------------- */

/* Pass on as many body bytes as the framing allows, in one run: up to
 * `remaining`, which for a close-delimited body is what cfg.body_max leaves
 * (bytes up to it are delivered before the body is refused), or 2^64-1
 * without a limit (never reached). */
static size_t body_take(ornd_http_reader_t *r, const uint8_t *p, size_t n)
{
    size_t k = n;
    ornd_err_t verdict = ORND_OK;
    if (r->remaining < k) {
        k = (size_t)r->remaining;
        if (r->state == S_BODY_CLOSE) {
            verdict = ORND_ERR_HTTP_BODY_TOO_LARGE; /* after the bytes up to the limit */
        }
    }
    if (k > 0 && r->cfg.on_body != NULL) {
        const ornd_err_t rc = r->cfg.on_body(r->cfg.user, p, k);
        if (rc != ORND_OK) {
            r->err = rc;
            return k;
        }
    }
    r->body_received += k;
    r->remaining -= k;
    if (r->state != S_BODY_CLOSE && r->remaining == 0u) {
        r->state = r->state == S_BODY_LEN ? S_DONE : S_CHUNK_END;
    }
    r->err = verdict;
    return k;
}

/* ---- API ------------------------------------------------------------------ */

void ornd_http_reader_init(ornd_http_reader_t *r, const ornd_http_reader_cfg_t *cfg)
{
    /* ORND_OK, S_STATUS and K_NONE are 0; the name and value buffers are
     * written before they are read */
    memset(r, 0, offsetof(ornd_http_reader_t, name));
    if (cfg != NULL) {
        r->cfg = *cfg;
    }
}

ornd_err_t ornd_http_reader_feed(ornd_http_reader_t *r, const uint8_t *data, size_t len,
                                 size_t *used)
{
    size_t pos = 0;
    ornd_err_t rc = ORND_ERR_ARG;
    if (r != NULL && (data != NULL || len == 0)) {
        while (r->err == ORND_OK && r->state != S_DONE && pos < len) {
            if (is_head_state(r->state)) {
                pos += head_take(r, data + pos, len - pos);
            } else if (r->state >= S_BODY_LEN) {
                pos += body_take(r, data + pos, len - pos);
            } else {
                r->err = chunk_byte(r, data[pos]);
                pos += r->err == ORND_OK ? 1u : 0u;
            }
        }
        rc = r->err;
    }
    if (used != NULL) {
        *used = pos;
    }
    return rc;
}

ornd_err_t ornd_http_reader_eof(ornd_http_reader_t *r, bool clean)
{
    if (r == NULL) {
        return ORND_ERR_ARG;
    }
    if (r->err == ORND_OK && r->state != S_DONE) {
        if (r->state != S_BODY_CLOSE) {
            r->err = ORND_ERR_CLOSED;
        } else if (clean) {
            r->state = S_DONE;
        } else {
            r->err = ORND_ERR_TRUNCATED;
        }
    }
    return r->err;
}

bool ornd_http_reader_complete(const ornd_http_reader_t *r)
{
    return r != NULL && r->err == ORND_OK && r->state == S_DONE;
}

bool ornd_http_reader_headers_done(const ornd_http_reader_t *r)
{
    return r != NULL && (r->state >= S_CHUNK_SIZE || (r->flags & F_TRAILER) != 0u);
}
