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

static void check_text(const char *s, size_t cap)
{
    size_t n = strnlen(s, cap);
    if (n >= cap) {
        abort(); /* not NUL-terminated inside its buffer */
    }
    for (size_t i = 0; i < n; i++) {
        if ((unsigned char)s[i] < 0x20u || s[i] == 0x7f) {
            abort(); /* control bytes must never reach a log */
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
