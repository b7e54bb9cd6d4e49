/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the token answer (HTTP response + JSON body) as the
 * client sees it. The input is fed once whole and once in chunks whose size
 * comes from the first byte; both runs must agree on the outcome and on every
 * field kept, and what is kept must obey the documented limits.
 */
#define _POSIX_C_SOURCE 200809L /* strnlen */

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

static int run(run_t *r, const uint8_t *data, size_t len, size_t chunk)
{
    ornd_oauth_parser_init(&r->parser, &r->token, &r->server);
    int rc = ORND_OK;
    for (size_t off = 0; off < len && rc == ORND_OK && !ornd_oauth_complete(&r->parser);
         off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        rc = ornd_oauth_feed(&r->parser, data + off, n);
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
    size_t chunk = (size_t)(data[0] % 17u) + 1u;
    data++;
    size--;
    int a = run(&whole, data, size, size == 0 ? 1 : size);
    int b = run(&pieces, data, size, chunk);
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
