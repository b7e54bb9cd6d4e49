/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the token answer (HTTP response + JSON body) as the
 * client sees it. The input is fed once whole and once in chunks chosen by
 * the first byte; both runs must agree on the outcome and on every field
 * kept, and what is kept must obey the documented limits.
 *
 * The first byte: bits 0-1 the kind of chunking, bits 2-7 its size `v`
 *   0: every chunk v + 1 bytes (1-64)
 *   1: every chunk sizes[v % 16] bytes: sizes a network delivers (536, 1448,
 *      1460 and 2920 for TCP segments, 16384 for a TLS record) and larger
 *      than any answer
 *   2: every chunk (v + 1) / 64 of the answer, at least 1 byte: up to the
 *      whole answer
 *   3: chunks of pseudo-random sizes from 1 to sizes[v % 16], now and then
 *      (bit 6) the whole rest at once
 */
#define _POSIX_C_SOURCE 200809L /* strnlen */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ornd/core/oauth.h"
#include "ornd/error.h"

typedef struct {
    ornd_oauth_parser_t parser;
    ornd_token_t token;
    ornd_server_error_t server;
} run_t;

static run_t whole, pieces;

static const size_t sizes[16] = {
    1, 2, 3, 7, 100, 512, 536, 1024, 1200, 1448, 1460, 2920, 4096, 16384, 1u << 20, SIZE_MAX,
};

typedef struct {
    uint8_t sel;   /* the first byte of the input */
    bool one;      /* the answer in one piece */
    uint32_t seed; /* of the pseudo-random sizes */
} chunking_t;

/* The size of the next chunk of an answer of `len` bytes. */
static size_t next_chunk(chunking_t *c, size_t len)
{
    const unsigned v = c->sel >> 2;
    if (c->one) {
        return SIZE_MAX;
    }
    switch (c->sel & 3u) {
    case 0:
        return v + 1u;
    case 1:
        return sizes[v % 16u];
    case 2: {
        const size_t n = len / 64u * (v + 1u) + len % 64u * (v + 1u) / 64u;
        return n > 0 ? n : 1u;
    }
    default:
        c->seed = c->seed * 1664525u + 1013904223u;
        if ((v & 16u) != 0 && (c->seed >> 28) == 0) {
            return SIZE_MAX;
        }
        return 1u + (size_t)((c->seed >> 8) % sizes[v % 16u]);
    }
}

static int run(run_t *r, const uint8_t *data, size_t len, chunking_t *c)
{
    ornd_oauth_parser_init(&r->parser, &r->token, &r->server);
    int rc = ORND_OK;
    for (size_t off = 0; off < len && rc == ORND_OK && !ornd_oauth_complete(&r->parser);) {
        const size_t want = next_chunk(c, len);
        const size_t n = len - off < want ? len - off : want;
        rc = ornd_oauth_feed(&r->parser, data + off, n);
        off += n;
    }
    if (rc == ORND_OK && !ornd_oauth_complete(&r->parser)) {
        rc = ornd_oauth_eof(&r->parser, true);
    }
    return rc != ORND_OK ? rc : ornd_oauth_result(&r->parser);
}

/* Server text kept for the logs: NUL-terminated in its buffer, no C0 or C1
 * control, valid UTF-8 (RFC 3629). */
static void check_text(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n >= cap) {
        abort(); /* not NUL-terminated inside its buffer */
    }
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        const unsigned char c = u[i];
        if (c < 0x20u || c == 0x7fu) {
            abort(); /* C0 control bytes must never reach a log */
        }
        if (c < 0x80u) {
            i++;
            continue;
        }
        const size_t len = c >= 0xF0u ? 4u : c >= 0xE0u ? 3u : 2u;
        if (c < 0xC2u || c > 0xF4u || i + len > n) {
            abort();
        }
        uint32_t cp = c & (len == 2u ? 0x1Fu : len == 3u ? 0x0Fu : 0x07u);
        for (size_t k = 1; k < len; k++) {
            if ((u[i + k] & 0xC0u) != 0x80u) {
                abort();
            }
            cp = (cp << 6) | (u[i + k] & 0x3Fu);
        }
        const uint32_t min = len == 2u ? 0x80u : len == 3u ? 0x800u : 0x10000u;
        if (cp < min || cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu) ||
            (cp >= 0x80u && cp <= 0x9Fu)) {
            abort(); /* overlong, surrogate, out of range, or a C1 control */
        }
        i += len;
    }
}

/* The granted scope: RFC 6749 §3.3 scope-tokens, single spaces. */
static void check_scope(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char c = (unsigned char)s[i];
        if (c == ' ') {
            if (i == 0 || i + 1u == n || s[i - 1u] == ' ') {
                abort();
            }
        } else if (c < 0x21u || c > 0x7eu || c == '"' || c == '\\') {
            abort();
        }
    }
}

static void check_token(const ornd_token_t *t)
{
    if (t->len == 0 || t->len > ORND_CONFIG_TOKEN_MAX || strlen(t->value) != t->len) {
        abort();
    }
    if (t->expires_in_s == 0 || t->expires_in_s > ORND_CONFIG_MAX_EXPIRES_S) {
        abort();
    }
    if (t->scope_len > ORND_CONFIG_SCOPE_MAX || strlen(t->scope) != t->scope_len) {
        abort();
    }
    check_scope(t->scope, t->scope_len);
    for (size_t i = 0; i < t->len; i++) {
        unsigned char c = (unsigned char)t->value[i];
        if (c <= 0x20u || c >= 0x7fu || c == '"' || c == ';' || c == ',') {
            abort(); /* would break or inject into an Authorization header */
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    chunking_t one = {.one = true};
    chunking_t split = {.sel = data[0], .seed = (uint32_t)size};
    data++;
    size--;
    int a = run(&whole, data, size, &one);
    int b = run(&pieces, data, size, &split);
    if (a != b) {
        abort();
    }
    check_text(whole.server.text, sizeof whole.server.text);
    check_text(whole.server.error, sizeof whole.server.error);
    if (strcmp(whole.server.text, pieces.server.text) != 0 ||
        strcmp(whole.server.error, pieces.server.error) != 0) {
        abort();
    }
    if (a == ORND_OK) {
        check_token(&whole.token);
        if (whole.token.len != pieces.token.len ||
            memcmp(whole.token.value, pieces.token.value, whole.token.len) != 0 ||
            whole.token.expires_in_s != pieces.token.expires_in_s ||
            strcmp(whole.token.scope, pieces.token.scope) != 0) {
            abort();
        }
    }
    return 0;
}
