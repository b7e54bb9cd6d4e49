/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target for the request writer (src/http_writer.c), the URL
 * splitter (src/url.c) and the token request built on them (src/oauth.c).
 *
 * Input: 12 control bytes, then parts separated by NUL bytes.
 *   byte 0: flags
 *     bit 0: host, port and target come from the URL (part 0) when it
 *            splits; otherwise from parts 2 and 3 and bytes 2-3
 *     bit 1: a Content-Type (part 4) and so a Content-Length
 *     bit 2: the body is the form of the '&' parts (its Content-Length the
 *            encoded length); otherwise only Content-Length (bytes 4-11)
 *     bit 3: the form also holds a field "raw" whose value is the whole
 *            input (every byte value, NUL included)
 *     bit 4: the last form field is a NULL value with a length (refused)
 *     bit 5: also the token request, with the first three form values as
 *            client id, secret and scope
 *     bits 6-7: bytes already in the buffer before the head (0, 1, 7, 64)
 *   byte 1: a third buffer size, (byte * needed / 128); the URL's buffers
 *   bytes 2-3: the port (little-endian) when not from the URL
 *   bytes 4-11: Content-Length (little-endian) without a form
 *   parts: 0 the URL, 1 the method, 2 the host, 3 the target, 4 the
 *          Content-Type; then up to 16 more, "&name=value" a form field
 *          ("&name" without '=': a NULL value; an empty name at an odd
 *          index: a NULL name), anything else an extra header line.
 *
 * What must hold (abort() otherwise):
 *   - ornd_url_parse: the verdict of a reference splitter written from the
 *     documented grammar (authority cut at the first '/', then split), the
 *     same host, port and path; exact-size buffers suffice and one byte
 *     less is ORND_ERR_CONFIG_TOO_LONG; what it returns, written back as a
 *     URL, splits into the same parts again;
 *   - ornd_http_write_head: accepts exactly the requests a reference check
 *     of the documented rules accepts, and refuses the others with
 *     ORND_ERR_ARG and nothing added; an accepted head parses with a strict
 *     request-line and field-line reader written here, to its last byte,
 *     with the request line and every field (Host with brackets and port as
 *     documented, Content-Type, Content-Length, the extra lines) as given;
 *     it fits a buffer of exactly its size, a buffer one byte short is
 *     ORND_ERR_BUF_TOO_SMALL with `len` back where it was, and an error
 *     already in the buffer is returned with nothing written; a head built
 *     from a split URL carries that URL's authority and path;
 *   - ornd_form_length / ornd_form_write: the length and the bytes of a
 *     reference encoder; the body decodes back to the names and values; all
 *     of it or nothing is written (nothing at all when one byte is short);
 *     a NULL value with a length is ORND_ERR_ARG;
 *   - ornd_oauth_write_request: the head as above (POST, the form type,
 *     Connection: close) and a body that decodes to client_id,
 *     client_secret, grant_type=client_credentials and a non-empty scope,
 *     its length the Content-Length; a short buffer is an error.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "ornd/core/buf.h"
#include "ornd/core/http_writer.h"
#include "ornd/core/oauth.h"
#include "ornd/core/url.h"
#include "ornd/error.h"
#include "ornd/version.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CTRL 12u
#define EXTRA_MAX 16u
#define FIELDS_MAX (EXTRA_MAX + 1u)
#define SENTINEL 0xA5u
#define TEXT_MAX (1u << 14) /* bytes of parts, at most */

/* ---- character classes, written from RFC 9110 and RFC 3986 ------------- */

static bool is_digit(unsigned c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(unsigned c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_hexdig(unsigned c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_tchar(unsigned c)
{
    return is_digit(c) || is_alpha(c) ||
           (c != 0 && c < 0x80u && strchr("!#$%&'*+-.^_`|~", (int)c) != NULL);
}

/* field-vchar / SP / HTAB (obs-text included) */
static bool is_field_byte(unsigned c)
{
    return c == '\t' || (c >= 0x20u && c != 0x7Fu);
}

static bool is_ows(unsigned c)
{
    return c == ' ' || c == '\t';
}

/* ---- a small byte string ------------------------------------------------ */

typedef struct {
    const char *p;
    size_t n;
} span_t;

static span_t trim_ows(const char *p, size_t n)
{
    while (n > 0 && is_ows((unsigned char)p[0])) {
        p++;
        n--;
    }
    while (n > 0 && is_ows((unsigned char)p[n - 1])) {
        n--;
    }
    span_t s = {p, n};
    return s;
}

static bool span_is(span_t s, const char *p, size_t n)
{
    return s.n == n && (n == 0 || memcmp(s.p, p, n) == 0);
}

/* ---- the URL: a reference splitter ---------------------------------------- */

typedef struct {
    int rc;
    char host[TEXT_MAX];
    uint16_t port;
    char path[TEXT_MAX];
} url_parts_t;

static bool lower_prefix(const char *s, const char *lit)
{
    for (size_t i = 0; lit[i] != '\0'; i++) {
        unsigned c = (unsigned char)s[i];
        if (c >= 'A' && c <= 'Z') {
            c += 'a' - 'A';
        }
        if (c != (unsigned char)lit[i]) {
            return false;
        }
    }
    return true;
}

/* "https://" authority [path]: the authority is everything up to the first
 * '/', then split into host and port; caps as ornd_url_parse's. */
static void ref_url(const char *url, size_t host_cap, size_t path_cap, url_parts_t *out)
{
    out->rc = ORND_ERR_CONFIG_URL;
    if (!lower_prefix(url, "https://")) {
        return;
    }
    const char *auth = url + 8;
    const char *slash = strchr(auth, '/');
    const size_t auth_len = slash != NULL ? (size_t)(slash - auth) : strlen(auth);
    const char *host = auth;
    size_t host_len;
    const char *after; /* what follows the host in the authority */
    if (auth_len > 0 && auth[0] == '[') {
        const char *close = memchr(auth, ']', auth_len);
        if (close == NULL) {
            return;
        }
        host = auth + 1;
        host_len = (size_t)(close - host);
        size_t colons = 0;
        for (size_t i = 0; i < host_len; i++) {
            if (!is_hexdig((unsigned char)host[i]) && host[i] != ':' && host[i] != '.') {
                return;
            }
            colons += host[i] == ':';
        }
        if (colons < 2) {
            return; /* an IPv6 address has two at least ("::") */
        }
        after = close + 1;
    } else {
        const char *colon = memchr(auth, ':', auth_len);
        host_len = colon != NULL ? (size_t)(colon - auth) : auth_len;
        for (size_t i = 0; i < host_len; i++) {
            const unsigned c = (unsigned char)host[i];
            if (!is_digit(c) && !is_alpha(c) && c != '-' && c != '.') {
                return;
            }
        }
        after = auth + host_len;
    }
    if (host_len == 0) {
        return;
    }
    const char *auth_end = auth + auth_len;
    uint32_t port = 443;
    if (after < auth_end) {
        if (*after != ':' || after + 1 == auth_end) {
            return;
        }
        port = 0;
        for (const char *d = after + 1; d < auth_end; d++) {
            if (!is_digit((unsigned char)*d)) {
                return;
            }
            port = port * 10u + (uint32_t)(*d - '0');
            if (port > 65535u) {
                return;
            }
        }
        if (port == 0) {
            return;
        }
    }
    /* RFC 3986 §3.3, §3.4: pchar / "/" / "?", pchar = unreserved /
     * pct-encoded / sub-delims / ":" / "@" */
    const char *path = slash != NULL ? slash : "/";
    for (const char *c = path; *c != '\0'; c++) {
        const unsigned b = (unsigned char)*c;
        if (b == '%') {
            if (!is_hexdig((unsigned char)c[1]) || !is_hexdig((unsigned char)c[2])) {
                return;
            }
            c += 2;
        } else if (!is_digit(b) && !is_alpha(b) && strchr("-._~!$&'()*+,;=:@/?", (int)b) == NULL) {
            return;
        }
    }
    const size_t path_len = strlen(path);
    if (host_len + 1u > host_cap || path_len + 1u > path_cap) {
        out->rc = ORND_ERR_CONFIG_TOO_LONG;
        return;
    }
    CHECK(host_len < sizeof out->host && path_len < sizeof out->path);
    memcpy(out->host, host, host_len);
    out->host[host_len] = '\0';
    memcpy(out->path, path, path_len + 1u);
    out->port = (uint16_t)port;
    out->rc = ORND_OK;
}

/* ornd_url_parse into heap buffers of exactly host_cap and path_cap bytes. */
static int lib_url(const char *url, size_t host_cap, size_t path_cap, url_parts_t *out)
{
    char *host = malloc(host_cap > 0 ? host_cap : 1u);
    char *path = malloc(path_cap > 0 ? path_cap : 1u);
    CHECK(host != NULL && path != NULL);
    uint16_t port = 1;
    int rc = ornd_url_parse(url, host, host_cap, &port, path, path_cap);
    out->rc = rc;
    if (rc == ORND_OK) {
        CHECK(memchr(host, '\0', host_cap) != NULL && memchr(path, '\0', path_cap) != NULL);
        CHECK(strlen(host) < sizeof out->host && strlen(path) < sizeof out->path);
        strcpy(out->host, host);
        strcpy(out->path, path);
        out->port = port;
    }
    free(host);
    free(path);
    return rc;
}

static bool same_parts(const url_parts_t *a, const url_parts_t *b)
{
    return a->rc == b->rc &&
           (a->rc != ORND_OK ||
            (strcmp(a->host, b->host) == 0 && a->port == b->port && strcmp(a->path, b->path) == 0));
}

/* The URL the parts stand for: an IPv6 literal in brackets, the port only
 * when it is not 443. */
static void url_of(const url_parts_t *u, char *out, size_t cap)
{
    const bool v6 = strchr(u->host, ':') != NULL;
    char port[16] = "";
    if (u->port != 443u) {
        snprintf(port, sizeof port, ":%u", (unsigned)u->port);
    }
    int n = snprintf(out, cap, "https://%s%s%s%s%s", v6 ? "[" : "", u->host, v6 ? "]" : "", port,
                     u->path);
    CHECK(n > 0 && (size_t)n < cap);
}

static void check_url(const char *url, uint8_t sel, url_parts_t *parts)
{
    const size_t big = strlen(url) + 2u;
    static url_parts_t ref, ref_small, small, exact, back;
    ref_url(url, big, big, &ref);
    lib_url(url, big, big, parts);
    CHECK(same_parts(&ref, parts));
    /* any buffer sizes: the reference's verdict, or TOO_LONG for a part that
     * is too long before the reference's reason to refuse */
    const size_t hcap = (size_t)(sel & 0x0Fu) * 3u;
    const size_t pcap = (size_t)(sel >> 4) * 5u;
    ref_url(url, hcap, pcap, &ref_small);
    lib_url(url, hcap, pcap, &small);
    CHECK(same_parts(&ref_small, &small) ||
          (ref_small.rc == ORND_ERR_CONFIG_URL && small.rc == ORND_ERR_CONFIG_TOO_LONG));
    if (parts->rc != ORND_OK) {
        CHECK(parts->rc == ORND_ERR_CONFIG_URL);
        return;
    }
    const size_t hn = strlen(parts->host) + 1u;
    const size_t pn = strlen(parts->path) + 1u;
    lib_url(url, hn, pn, &exact);
    CHECK(same_parts(&exact, parts));
    CHECK(lib_url(url, hn - 1u, pn, &exact) == ORND_ERR_CONFIG_TOO_LONG);
    CHECK(lib_url(url, hn, pn - 1u, &exact) == ORND_ERR_CONFIG_TOO_LONG);
    /* written back, it splits the same */
    static char again[sizeof parts->host + sizeof parts->path + 32u];
    url_of(parts, again, sizeof again);
    lib_url(again, sizeof back.host, sizeof back.path, &back);
    CHECK(same_parts(&back, parts));
    ref_url(again, sizeof back.host, sizeof back.path, &back);
    CHECK(same_parts(&back, parts));
}

/* ---- form encoding: a reference ---------------------------------------- */

static bool form_kept(unsigned c)
{
    return is_digit(c) || is_alpha(c) || c == '*' || c == '-' || c == '.' || c == '_';
}

static size_t ref_encode(char *out, const uint8_t *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (form_kept(p[i])) {
            if (out != NULL) {
                out[k] = (char)p[i];
            }
            k++;
        } else if (p[i] == ' ') {
            if (out != NULL) {
                out[k] = '+';
            }
            k++;
        } else {
            if (out != NULL) {
                snprintf(out + k, 4, "%%%02X", (unsigned)p[i]);
            }
            k += 3;
        }
    }
    return k;
}

/* The body "n1=v1&n2=v2...", out NULL to count. */
static size_t ref_form(char *out, const ornd_form_field_t *f, size_t count)
{
    size_t k = 0;
    for (size_t i = 0; i < count; i++) {
        if (i > 0) {
            if (out != NULL) {
                out[k] = '&';
            }
            k++;
        }
        const char *name = f[i].name != NULL ? f[i].name : "";
        k += ref_encode(out != NULL ? out + k : NULL, (const uint8_t *)name, strlen(name));
        if (out != NULL) {
            out[k] = '=';
        }
        k++;
        k += ref_encode(out != NULL ? out + k : NULL, f[i].value,
                        f[i].value != NULL ? f[i].value_len : 0u);
    }
    return k;
}

/* The value of an upper-case hex digit (the encoder writes no other), or -1. */
static int upper_hex(unsigned c)
{
    if (is_digit(c)) {
        return (int)(c - '0');
    }
    return c >= 'A' && c <= 'F' ? (int)(c - 'A' + 10u) : -1;
}

/* Decodes one name or value of a form body (strictly: only what the encoder
 * may write) and compares it with the bytes it must stand for. */
static void check_decodes(const char *p, size_t n, const uint8_t *want, size_t want_len)
{
    size_t k = 0;
    for (size_t i = 0; i < n; k++) {
        unsigned c = (unsigned char)p[i];
        unsigned byte;
        if (c == '%') {
            CHECK(n - i >= 3u);
            const int hi = upper_hex((unsigned char)p[i + 1]);
            const int lo = upper_hex((unsigned char)p[i + 2]);
            CHECK(hi >= 0 && lo >= 0);
            byte = (unsigned)(hi * 16 + lo);
            CHECK(!form_kept(byte) && byte != ' '); /* never encoded needlessly */
            i += 3;
        } else if (c == '+') {
            byte = ' ';
            i++;
        } else {
            CHECK(form_kept(c));
            byte = c;
            i++;
        }
        CHECK(k < want_len && want[k] == byte);
    }
    CHECK(k == want_len);
}

/* The body splits at '&' and '=' into the fields, each decoding to its
 * name and value. */
static void check_form_body(const char *body, size_t n, const ornd_form_field_t *f, size_t count)
{
    size_t at = 0;
    if (count == 0) {
        CHECK(n == 0);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        const char *end = memchr(body + at, '&', n - at);
        const size_t len = end != NULL ? (size_t)(end - (body + at)) : n - at;
        CHECK((i + 1u < count) == (end != NULL));
        const char *eq = memchr(body + at, '=', len);
        CHECK(eq != NULL);
        const size_t name_len = (size_t)(eq - (body + at));
        const char *name = f[i].name != NULL ? f[i].name : "";
        check_decodes(body + at, name_len, (const uint8_t *)name, strlen(name));
        check_decodes(eq + 1, len - name_len - 1u, f[i].value,
                      f[i].value != NULL ? f[i].value_len : 0u);
        at += len + (end != NULL ? 1u : 0u);
    }
    CHECK(at == n);
}

/* ---- the request head: a reference check of the rules ---------------- */

typedef struct {
    const char *method;
    const char *host;
    uint16_t port;
    const char *target;
    const char *content_type;
    uint64_t content_length;
    const char *headers[EXTRA_MAX];
    size_t header_count;
} request_t;

static bool ref_token(const char *s)
{
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        if (!is_tchar((unsigned char)*s)) {
            return false;
        }
    }
    return true;
}

/* visible ASCII or obs-text: no controls, no space */
static bool ref_atom(const char *s)
{
    if (*s == '\0') {
        return false;
    }
    for (; *s != '\0'; s++) {
        const unsigned c = (unsigned char)*s;
        if (c <= 0x20u || c == 0x7Fu) {
            return false;
        }
    }
    return true;
}

static bool ref_value(const char *s)
{
    for (; *s != '\0'; s++) {
        if (!is_field_byte((unsigned char)*s)) {
            return false;
        }
    }
    return true;
}

static bool ref_valid(const request_t *r)
{
    if (!ref_token(r->method) || !ref_atom(r->host) || !ref_atom(r->target) ||
        r->target[0] != '/' || r->port == 0) {
        return false;
    }
    if (r->content_type != NULL && (r->content_type[0] == '\0' || !ref_value(r->content_type))) {
        return false;
    }
    for (size_t i = 0; i < r->header_count; i++) {
        const char *h = r->headers[i];
        const char *colon = strchr(h, ':');
        if (colon == NULL || colon == h) {
            return false;
        }
        for (const char *c = h; c < colon; c++) {
            if (!is_tchar((unsigned char)*c)) {
                return false;
            }
        }
        if (!ref_value(colon + 1)) {
            return false;
        }
    }
    return true;
}

/* ---- a strict reader of request heads ------------------------------------ */

typedef struct {
    span_t method, target;
    span_t name[FIELDS_MAX + 8u];
    span_t value[FIELDS_MAX + 8u];
    size_t count;
    size_t len; /* of the head, blank line included */
} head_t;

/* request-line = method SP request-target SP "HTTP/1.1" CRLF, then
 * field-line CRLF ... CRLF with field-line = name ":" OWS value OWS. No bare
 * CR or LF, no obs-fold, no whitespace before the colon. Returns false for
 * anything else. */
static bool read_head(const char *p, size_t n, head_t *h)
{
    size_t i = 0;
    memset(h, 0, sizeof *h);
    h->method.p = p;
    while (i < n && is_tchar((unsigned char)p[i])) {
        i++;
    }
    h->method.n = i;
    if (i == 0 || i >= n || p[i] != ' ') {
        return false;
    }
    h->target.p = p + ++i;
    while (i < n && (unsigned char)p[i] > 0x20u && (unsigned char)p[i] != 0x7Fu) {
        i++;
    }
    h->target.n = (size_t)(p + i - h->target.p);
    static const char version[] = " HTTP/1.1\r\n";
    if (h->target.n == 0 || n - i < sizeof version - 1u ||
        memcmp(p + i, version, sizeof version - 1u) != 0) {
        return false;
    }
    i += sizeof version - 1u;
    for (;;) {
        if (n - i >= 2u && p[i] == '\r' && p[i + 1] == '\n') {
            h->len = i + 2u;
            return true;
        }
        if (h->count == sizeof h->name / sizeof h->name[0]) {
            return false;
        }
        const size_t start = i;
        while (i < n && is_tchar((unsigned char)p[i])) {
            i++;
        }
        if (i == start || i >= n || p[i] != ':') {
            return false;
        }
        h->name[h->count].p = p + start;
        h->name[h->count].n = i - start;
        const size_t vstart = ++i;
        while (i < n && is_field_byte((unsigned char)p[i])) {
            i++;
        }
        if (n - i < 2u || p[i] != '\r' || p[i + 1] != '\n') {
            return false;
        }
        h->value[h->count] = trim_ows(p + vstart, i - vstart);
        h->count++;
        i += 2;
    }
}

/* The fields the writer must have written, in order. */
typedef struct {
    const char *name[FIELDS_MAX + 8u];
    size_t name_len[FIELDS_MAX + 8u];
    span_t value[FIELDS_MAX + 8u];
    size_t count;
    char host[TEXT_MAX + 16u];
    char length[24];
} expect_t;

static void expect_add(expect_t *e, const char *name, size_t name_len, span_t value)
{
    CHECK(e->count < sizeof e->name / sizeof e->name[0]);
    e->name[e->count] = name;
    e->name_len[e->count] = name_len;
    e->value[e->count] = value;
    e->count++;
}

static void expect_named(expect_t *e, const char *name, const char *value)
{
    span_t v = {value, strlen(value)};
    expect_add(e, name, strlen(name), v);
}

static void expect_fields(const request_t *r, expect_t *e)
{
    memset(e, 0, sizeof *e);
    const bool bracket = r->host[0] != '[' && strchr(r->host, ':') != NULL;
    char port[16] = "";
    if (r->port != 443u) {
        snprintf(port, sizeof port, ":%u", (unsigned)r->port);
    }
    snprintf(e->host, sizeof e->host, "%s%s%s%s", bracket ? "[" : "", r->host, bracket ? "]" : "",
             port);
    expect_named(e, "Host", e->host);
    expect_named(e, "User-Agent", "ornd-lite/" ORND_VERSION_STRING);
    expect_named(e, "Accept", "application/json");
    if (r->content_type != NULL) {
        expect_add(e, "Content-Type", strlen("Content-Type"),
                   trim_ows(r->content_type, strlen(r->content_type)));
        snprintf(e->length, sizeof e->length, "%" PRIu64, r->content_length);
        expect_named(e, "Content-Length", e->length);
    }
    for (size_t i = 0; i < r->header_count; i++) {
        const char *h = r->headers[i];
        const char *colon = strchr(h, ':');
        expect_add(e, h, (size_t)(colon - h), trim_ows(colon + 1, strlen(colon + 1)));
    }
}

/* The head at p[0..n) is exactly the request r. */
static void check_head(const char *p, size_t n, const request_t *r)
{
    static head_t h;
    static expect_t e;
    CHECK(read_head(p, n, &h));
    CHECK(h.len == n);
    CHECK(span_is(h.method, r->method, strlen(r->method)));
    CHECK(span_is(h.target, r->target, strlen(r->target)));
    expect_fields(r, &e);
    CHECK(h.count == e.count);
    for (size_t i = 0; i < e.count; i++) {
        CHECK(span_is(h.name[i], e.name[i], e.name_len[i]));
        CHECK(span_is(h.value[i], e.value[i].p, e.value[i].n));
    }
}

static void to_lib(const request_t *r, ornd_http_request_t *q)
{
    memset(q, 0, sizeof *q);
    q->method = r->method;
    q->host = r->host;
    q->port = r->port;
    q->target = r->target;
    q->content_type = r->content_type;
    q->content_length = (size_t)r->content_length;
    q->headers = r->headers;
    q->header_count = r->header_count;
}

/* A heap block of exactly `cap` bytes, the first `pre` of them earlier
 * content, the rest a sentinel. */
static char *block(size_t cap, size_t pre)
{
    char *p = malloc(cap > 0 ? cap : 1u);
    CHECK(p != NULL);
    memset(p, SENTINEL, cap);
    memset(p, 'P', pre < cap ? pre : cap);
    return p;
}

static bool untouched(const char *p, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        if ((unsigned char)p[i] != SENTINEL) {
            return false;
        }
    }
    return true;
}

static bool prefix_intact(const char *p, size_t pre)
{
    for (size_t i = 0; i < pre; i++) {
        if (p[i] != 'P') {
            return false;
        }
    }
    return true;
}

/* Writes the head into a block of `cap` bytes after `pre` bytes. */
static int write_head(const ornd_http_request_t *q, size_t cap, size_t pre, char **out, size_t *len)
{
    char *p = block(cap, pre);
    ornd_buf_t b;
    ornd_buf_init(&b, p, cap);
    b.len = pre;
    int rc = ornd_http_write_head(&b, q);
    CHECK(rc == b.err);
    CHECK(prefix_intact(p, pre));
    if (rc != ORND_OK) {
        CHECK(b.len == pre);
    }
    *len = b.len;
    *out = p;
    return rc;
}

/* The head: refused as the reference says, else as above at every size.
 * Returns its length (0 when refused). */
static size_t check_request(const request_t *r, size_t pre, uint8_t sel)
{
    ornd_http_request_t q;
    to_lib(r, &q);
    size_t bound = pre + 256u + strlen(r->method) + strlen(r->host) + strlen(r->target);
    bound += r->content_type != NULL ? strlen(r->content_type) : 0u;
    for (size_t i = 0; i < r->header_count; i++) {
        bound += strlen(r->headers[i]) + 2u;
    }
    char *p;
    size_t len;
    int rc = write_head(&q, bound, pre, &p, &len);
    if (!ref_valid(r)) {
        CHECK(rc == ORND_ERR_ARG);
        CHECK(untouched(p, pre, bound));
        free(p);
        return 0;
    }
    CHECK(rc == ORND_OK);
    CHECK(len > pre && len <= bound);
    const size_t need = len - pre;
    check_head(p + pre, need, r);
    char *head = p;

    /* exactly the size it needs, one byte less, and one from the input */
    rc = write_head(&q, len, pre, &p, &len);
    CHECK(rc == ORND_OK && len == pre + need && memcmp(p, head, len) == 0);
    free(p);
    rc = write_head(&q, pre + need - 1u, pre, &p, &len);
    CHECK(rc == ORND_ERR_BUF_TOO_SMALL);
    free(p);
    const size_t cap = pre + (need * sel) / 128u;
    rc = write_head(&q, cap, pre, &p, &len);
    CHECK(rc == (cap >= pre + need ? ORND_OK : ORND_ERR_BUF_TOO_SMALL));
    CHECK(rc != ORND_OK || memcmp(p, head, pre + need) == 0);
    free(p);

    /* an error already in the buffer stays, nothing written */
    p = block(bound, pre);
    ornd_buf_t b;
    ornd_buf_init(&b, p, bound);
    b.len = pre;
    b.err = ORND_ERR_BUF_TOO_SMALL;
    CHECK(ornd_http_write_head(&b, &q) == ORND_ERR_BUF_TOO_SMALL);
    CHECK(b.len == pre && untouched(p, pre, bound));
    free(p);
    free(head);
    return need;
}

/* ---- form bodies -------------------------------------------------------- */

/* Appends the form after `pre` bytes in a block of exactly pre + room. */
static int write_form(const ornd_form_field_t *f, size_t count, size_t pre, size_t room, char **out,
                      size_t *len)
{
    char *p = block(pre + room, pre);
    ornd_buf_t b;
    ornd_buf_init(&b, p, pre + room);
    b.len = pre;
    ornd_form_write(&b, f, count);
    CHECK(prefix_intact(p, pre));
    if (b.err != ORND_OK) {
        /* nothing of it is written */
        CHECK(b.len == pre && untouched(p, pre, pre + room));
    }
    *len = b.len;
    *out = p;
    return b.err;
}

static void check_form(const ornd_form_field_t *f, size_t count, bool null_value, size_t pre,
                       uint8_t sel)
{
    const size_t total = ornd_form_length(f, count);
    CHECK(total == ref_form(NULL, f, count));
    char *want = malloc(total + 1u);
    CHECK(want != NULL);
    CHECK(ref_form(want, f, count) == total);
    char *p;
    size_t len;
    int rc = write_form(f, count, pre, total + 8u, &p, &len);
    if (null_value) {
        CHECK(rc == ORND_ERR_ARG);
        free(p);
        free(want);
        return;
    }
    CHECK(rc == ORND_OK && len == pre + total);
    CHECK(memcmp(p + pre, want, total) == 0);
    CHECK(untouched(p, pre + total, pre + total + 8u));
    check_form_body(p + pre, total, f, count);
    free(p);

    rc = write_form(f, count, pre, total, &p, &len);
    CHECK(rc == ORND_OK && len == pre + total && memcmp(p + pre, want, total) == 0);
    free(p);
    if (total > 0) {
        rc = write_form(f, count, pre, total - 1u, &p, &len);
        CHECK(rc == ORND_ERR_BUF_TOO_SMALL);
        free(p);
    }
    const size_t room = (total * sel) / 128u;
    rc = write_form(f, count, pre, room, &p, &len);
    CHECK(rc == (room >= total ? ORND_OK : ORND_ERR_BUF_TOO_SMALL));
    free(p);
    free(want);
}

/* ---- the token request ---------------------------------------------------- */

static void check_token_request(const request_t *r, const ornd_form_field_t *f, size_t count,
                                size_t pre)
{
    static const uint8_t none[1];
    const ornd_form_field_t *id = count > 0 ? &f[0] : NULL;
    const ornd_form_field_t *secret = count > 1 ? &f[1] : NULL;
    const ornd_form_field_t *scope = count > 2 ? &f[2] : NULL;
    ornd_oauth_request_t q = {
        .host = r->host,
        .port = r->port,
        .path = r->target,
        .client_id = id != NULL && id->value != NULL ? id->value : none,
        .client_id_len = id != NULL && id->value != NULL ? id->value_len : 0u,
        .client_secret = secret != NULL && secret->value != NULL ? secret->value : none,
        .client_secret_len = secret != NULL && secret->value != NULL ? secret->value_len : 0u,
        .scope = scope != NULL && scope->value != NULL ? (const char *)scope->value : "",
        .scope_len = scope != NULL && scope->value != NULL ? scope->value_len : 0u,
    };
    const ornd_form_field_t want[] = {
        {"client_id", q.client_id, q.client_id_len},
        {"client_secret", q.client_secret, q.client_secret_len},
        {"grant_type", (const uint8_t *)"client_credentials", 18},
        {"scope", (const uint8_t *)q.scope, q.scope_len},
    };
    const size_t nwant = q.scope_len > 0 ? 4u : 3u;
    static const char form_type[] = "application/x-www-form-urlencoded";
    request_t head = {
        .method = "POST",
        .host = r->host,
        .port = r->port,
        .target = r->target,
        .content_type = form_type,
        .content_length = ref_form(NULL, want, nwant),
        .headers = {"Connection: close"},
        .header_count = 1,
    };
    const size_t cap =
        pre + 512u + strlen(r->host) + strlen(r->target) + (size_t)head.content_length;
    char *p = block(cap, pre);
    ornd_buf_t b;
    ornd_buf_init(&b, p, cap);
    b.len = pre;
    int rc = ornd_oauth_write_request(&b, &q);
    CHECK(prefix_intact(p, pre));
    if (!ref_valid(&head)) {
        CHECK(rc == ORND_ERR_ARG && b.len == pre);
        free(p);
        return;
    }
    CHECK(rc == ORND_OK);
    static head_t h;
    CHECK(read_head(p + pre, b.len - pre, &h));
    check_head(p + pre, h.len, &head);
    const size_t body = b.len - pre - h.len;
    CHECK(body == head.content_length);
    check_form_body(p + pre + h.len, body, want, nwant);
    const size_t len = b.len;
    free(p);

    /* exactly its size, and one byte short: never a success */
    p = block(len, pre);
    ornd_buf_init(&b, p, len);
    b.len = pre;
    CHECK(ornd_oauth_write_request(&b, &q) == ORND_OK && b.len == len);
    free(p);
    p = block(len - 1u, pre);
    ornd_buf_init(&b, p, len - 1u);
    b.len = pre;
    CHECK(ornd_oauth_write_request(&b, &q) == ORND_ERR_BUF_TOO_SMALL);
    CHECK(b.len == pre || b.len == pre + h.len);
    free(p);
}

/* ---- entry ----------------------------------------------------------------- */

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < 8; i++) {
        v |= (uint64_t)p[i] << (8u * i);
    }
    return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char text[TEXT_MAX];
    static url_parts_t url;
    if (size < CTRL || size - CTRL >= sizeof text) {
        return 0;
    }
    const uint8_t flags = data[0];
    const uint8_t sel = data[1];
    static const size_t pres[] = {0, 1, 7, 64};
    const size_t pre = pres[flags >> 6];

    /* the parts, each NUL-terminated in `text` */
    memcpy(text, data + CTRL, size - CTRL);
    text[size - CTRL] = '\0';
    const char *part[5 + EXTRA_MAX];
    size_t nparts = 0;
    for (char *s = text; nparts < sizeof part / sizeof part[0];) {
        part[nparts++] = s;
        char *end = s + strlen(s);
        if (end == text + (size - CTRL)) {
            break;
        }
        s = end + 1;
    }
    for (size_t i = nparts; i < sizeof part / sizeof part[0]; i++) {
        part[i] = "";
    }

    check_url(part[0], sel, &url);

    request_t r = {
        .method = part[1],
        .host = part[2],
        .port = (uint16_t)(data[2] | data[3] << 8),
        .target = part[3],
        .content_type = (flags & 2u) != 0 ? part[4] : NULL,
    };
    if ((flags & 1u) != 0 && url.rc == ORND_OK) {
        r.host = url.host;
        r.port = url.port;
        r.target = url.path;
    }

    /* form fields and extra header lines */
    static ornd_form_field_t f[FIELDS_MAX + 1u];
    static char names[FIELDS_MAX][1u << 12];
    size_t nf = 0;
    for (size_t i = 5; i < nparts; i++) {
        const char *s = part[i];
        if (s[0] != '&') {
            r.headers[r.header_count++] = s;
            continue;
        }
        const char *eq = strchr(s + 1, '=');
        const size_t name_len = eq != NULL ? (size_t)(eq - s - 1) : strlen(s + 1);
        if (name_len >= sizeof names[0]) {
            return 0;
        }
        memcpy(names[nf], s + 1, name_len);
        names[nf][name_len] = '\0';
        f[nf].name = name_len == 0 && nf % 2u == 1u ? NULL : names[nf];
        f[nf].value = eq != NULL ? (const uint8_t *)eq + 1 : NULL;
        f[nf].value_len = eq != NULL ? strlen(eq + 1) : 0u;
        nf++;
    }
    if ((flags & 8u) != 0) {
        f[nf].name = "raw";
        f[nf].value = data;
        f[nf].value_len = size;
        nf++;
    }
    const bool null_value = (flags & 16u) != 0 && nf > 0;
    if (null_value) {
        f[nf - 1].value = NULL;
        f[nf - 1].value_len = 1u + sel;
    }

    if ((flags & 4u) != 0 && !null_value) {
        r.content_length = ornd_form_length(f, nf);
    } else {
        r.content_length = le64(data + 4);
#if SIZE_MAX < UINT64_MAX
        if (r.content_length > SIZE_MAX) {
            r.content_length = SIZE_MAX;
        }
#endif
    }

    const size_t head = check_request(&r, pre, sel);
    check_form(f, nf, null_value, pre + head, sel);
    if ((flags & 4u) != 0 && !null_value && head > 0 && r.content_type != NULL) {
        /* the whole message: head then body, the body as long as it says */
        const size_t total = head + r.content_length;
        char *p = block(pre + total, pre);
        ornd_buf_t b;
        ornd_http_request_t q;
        to_lib(&r, &q);
        ornd_buf_init(&b, p, pre + total);
        b.len = pre;
        CHECK(ornd_http_write_head(&b, &q) == ORND_OK);
        ornd_form_write(&b, f, nf);
        CHECK(b.err == ORND_OK && b.len == pre + total);
        static head_t h;
        CHECK(read_head(p + pre, total, &h) && h.len == head);
        check_form_body(p + pre + head, total - head, f, nf);
        free(p);
    }
    if ((flags & 32u) != 0 && !null_value) {
        check_token_request(&r, f, nf, pre);
    }
    return 0;
}
