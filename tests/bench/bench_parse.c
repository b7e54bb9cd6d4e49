/* SPDX-License-Identifier: MIT */
/* Parser cost driver for `make bench`: feeds one input file to the JSON
 * scanner or the HTTP reader in chunks of a given size. Run under
 * valgrind --tool=callgrind --toggle-collect=<the feed call>, so that only
 * the parser's own instructions (and the trivial callbacks below) count.
 *
 *   bench_parse json|http FILE CHUNK
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ornd/core/http_reader.h"
#include "ornd/error.h"
#include "ornd/json.h"

static unsigned long events;

static ornd_err_t on_json(void *user, const ornd_json_event_t *ev)
{
    (void)user;
    (void)ev;
    events++;
    return 0;
}

static ornd_err_t on_body(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    (void)data;
    events += len;
    return ORND_OK;
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    size_t cap = 1u << 16, n = 0;
    uint8_t *buf = malloc(cap);
    size_t got;
    while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    if (buf == NULL) {
        exit(2);
    }
    *len = n;
    return buf;
}

static int run_json(const uint8_t *in, size_t len, size_t chunk)
{
    static ornd_json_t j;
    ornd_json_init(&j, on_json, NULL);
    for (size_t off = 0; off < len; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        int rc = ornd_json_feed(&j, in + off, n);
        if (rc != ORND_OK) {
            return rc;
        }
    }
    return ornd_json_finish(&j);
}

static int run_http(const uint8_t *in, size_t len, size_t chunk)
{
    static ornd_http_reader_t r;
    ornd_http_reader_cfg_t cfg = {.on_body = on_body};
    ornd_http_reader_init(&r, &cfg);
    ornd_err_t rc = ORND_OK;
    for (size_t off = 0; off < len && rc == ORND_OK && !ornd_http_reader_complete(&r);
         off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        rc = ornd_http_reader_feed(&r, in + off, n, NULL);
    }
    if (rc != ORND_OK) {
        return rc;
    }
    return ornd_http_reader_complete(&r) ? ORND_OK : ORND_ERR_CLOSED;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s json|http FILE CHUNK\n", argv[0]);
        return 2;
    }
    size_t len;
    uint8_t *in = slurp(argv[2], &len);
    size_t chunk = (size_t)strtoul(argv[3], NULL, 10);
    if (chunk == 0) {
        return 2;
    }
    int rc = strcmp(argv[1], "json") == 0 ? run_json(in, len, chunk) : run_http(in, len, chunk);
    printf("{\"bytes\": %zu, \"events\": %lu, \"rc\": %d}\n", len, events, rc);
    free(in);
    return rc == ORND_OK ? 0 : 1;
}
