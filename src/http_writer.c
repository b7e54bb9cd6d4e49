/* SPDX-License-Identifier: MIT */
/*
 * HTTP/1.1 request writer: a bounded append buffer, the
 * application/x-www-form-urlencoded encoder and the request head.
 *
 * Nothing is ever written past the buffer's capacity. Writers that produce a
 * unit of text (a form body, a request head) either append all of it or, on
 * error, leave `len` where it was before they started.
 */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/http_writer.h"

#include <string.h>

#include "ascii.h"
#include "compiler.h"
#include "ornd/error.h"
#include "ornd/version.h"

#define HTTP_USER_AGENT "ornd-lite/" ORND_VERSION_STRING
#define HTTP_DEFAULT_PORT 443u

/* ---- application/x-www-form-urlencoded ------------------------------------ */

/* Bytes the form encoding keeps as they are. */
static bool form_keeps(unsigned char c)
{
    return ornd_byte_is(c, ORND_BYTE_FORM);
}

static size_t add_sat(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* A field's name (part 0) or value (part 1) as bytes; NULL is read as
 * empty. */
static const uint8_t *field_part(const ornd_form_field_t *f, unsigned part, size_t *len)
{
    if (part == 0u) {
        *len = f->name != NULL ? strlen(f->name) : 0u;
        return (const uint8_t *)f->name;
    }
    *len = f->value != NULL ? f->value_len : 0u;
    return f->value;
}

/* The encoded form: its length, and the bytes too when `out` is not NULL
 * (it has room for the length). Kept bytes and space take 1, others 3 (%XX). */
static size_t form_emit(const ornd_form_field_t *fields, size_t count, char *out)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t total = 0;
    for (size_t i = 0; i < count; i++) {
        for (unsigned part = 0; part < 2u; part++) {
            size_t n;
            const uint8_t *p = field_part(&fields[i], part, &n);
            if (part == 1u || i > 0u) {
                total = add_sat(total, 1u); /* "&" before a field, "=" inside */
                if (out != NULL) {
                    *out++ = part == 1u ? '=' : '&';
                }
            }
            for (size_t k = 0; k < n; k++) {
                const uint8_t c = p[k];
                const bool as_is = form_keeps(c) || c == ' ';
                total = add_sat(total, as_is ? 1u : 3u);
                if (out == NULL) {
                    continue;
                }
                if (as_is) {
                    *out++ = (char)(c == ' ' ? '+' : c);
                } else {
                    *out++ = '%';
                    *out++ = hex[c >> 4];
                    *out++ = hex[c & 0x0Fu];
                }
            }
        }
    }
    return total;
}

size_t ornd_form_length(const ornd_form_field_t *fields, size_t count)
{
    return fields != NULL ? form_emit(fields, count, NULL) : 0u;
}

static bool form_fields_valid(const ornd_form_field_t *fields, size_t count)
{
    if (count > 0 && fields == NULL) {
        return false;
    }
    for (size_t i = 0; i < count; i++) {
        if (fields[i].value == NULL && fields[i].value_len > 0) {
            return false;
        }
    }
    return true;
}

void ornd_form_write(ornd_buf_t *b, const ornd_form_field_t *fields, size_t count)
{
    if (b == NULL || b->err != ORND_OK) {
        return;
    }
    if (!form_fields_valid(fields, count)) {
        b->err = ORND_ERR_ARG;
        return;
    }
    const size_t total = ornd_form_length(fields, count);
    char *out = total > 0 ? ornd_buf_claim(b, total) : NULL;
    if (out != NULL) {
        (void)form_emit(fields, count, out);
    }
}

/* ---- Request head --------------------------------------------------------- */

/* The end of the run of bytes of class `flag` that `s` begins with. Unless
 * `blank`, SP and HTAB end it too. A NUL is in no class, so the run stops
 * at the end of the string at the latest. */
ORND_NOINLINE static const char *skip(const char *s, unsigned flag, bool blank)
{
    while (ornd_byte_is((uint8_t)*s, flag) && (blank || (uint8_t)*s > ' ')) {
        s++;
    }
    return s;
}

/* `s` is set, not empty and all of it of class `flag` (see skip()). */
static bool all_of(const char *s, unsigned flag, bool blank)
{
    return s != NULL && *s != '\0' && *skip(s, flag, blank) == '\0';
}

/*
 * The rules of http_writer.h, each a run of one class to the end of the
 * string:
 *   method         RFC 9110 tchar;
 *   host, target   field-value bytes (ORND_BYTE_TEXT) but SP and HTAB, i.e.
 *                  no controls and no spaces: they go on a line of their own
 *                  or into the request line;
 *   content_type   field-value bytes: visible, SP, HTAB and obs-text;
 *   extra header   "Name: value": a tchar run, a colon, field-value bytes.
 */
static bool valid_request(const ornd_http_request_t *req)
{
    if (!all_of(req->method, ORND_BYTE_TCHAR, false) || !all_of(req->host, ORND_BYTE_TEXT, false) ||
        !all_of(req->target, ORND_BYTE_TEXT, false) || req->target[0] != '/' || req->port == 0u) {
        return false;
    }
    if (req->content_type != NULL && !all_of(req->content_type, ORND_BYTE_TEXT, true)) {
        return false;
    }
    if (req->header_count > 0 && req->headers == NULL) {
        return false;
    }
    for (size_t i = 0; i < req->header_count; i++) {
        const char *line = req->headers[i];
        const char *colon = line != NULL ? skip(line, ORND_BYTE_TCHAR, false) : NULL;
        if (colon == line || *colon != ':' || *skip(colon + 1, ORND_BYTE_TEXT, true) != '\0') {
            return false;
        }
    }
    return true;
}

/* The head, each line's CRLF written with what follows it:
 * "Host: name[:port]", an IPv6 literal in brackets. */
static void write_head_lines(ornd_buf_t *b, const ornd_http_request_t *req)
{
    static const char host_line[] = " HTTP/1.1\r\nHost: [";
    const bool bracket = req->host[0] != '[' && strchr(req->host, ':') != NULL;
    ornd_buf_puts(b, req->method);
    ornd_buf_puts(b, " ");
    ornd_buf_puts(b, req->target);
    ornd_buf_put(b, host_line, sizeof host_line - (bracket ? 1u : 2u)); /* '[' or not */
    ornd_buf_puts(b, req->host);
    ornd_buf_puts(b, bracket ? "]" : "");
    if (req->port != HTTP_DEFAULT_PORT) {
        ornd_buf_puts(b, ":");
        ornd_buf_put_size(b, req->port);
    }
    ornd_buf_puts(b, "\r\nUser-Agent: " HTTP_USER_AGENT "\r\nAccept: application/json");
    if (req->content_type != NULL) {
        ornd_buf_puts(b, "\r\nContent-Type: ");
        ornd_buf_puts(b, req->content_type);
        ornd_buf_puts(b, "\r\nContent-Length: ");
        ornd_buf_put_size(b, req->content_length);
    }
    for (size_t i = 0; i < req->header_count; i++) {
        ornd_buf_puts(b, "\r\n");
        ornd_buf_puts(b, req->headers[i]);
    }
    ornd_buf_puts(b, "\r\n\r\n");
}

ornd_err_t ornd_http_write_head(ornd_buf_t *b, const ornd_http_request_t *req)
{
    if (b == NULL) {
        return ORND_ERR_ARG;
    }
    if (b->err != ORND_OK) {
        return b->err;
    }
    if (req == NULL || !valid_request(req)) {
        b->err = ORND_ERR_ARG;
        return b->err;
    }
    const size_t start = b->len;
    write_head_lines(b, req);
    if (b->err != ORND_OK) {
        b->len = start;
    }
    return b->err;
}
