/* Network and TLS-pool cost of one token fetch, for `make bench`.
 *
 *   bench_net HOST PORT CA_FILE
 *
 * Runs the real client (POSIX port, verified TLS) against the local identity
 * server, through a port wrapper that counts TCP payload bytes each way and
 * round trips (a receive after a send: the client waits for the peer).
 * Prints one JSON object: wire bytes, round trips, and the static pool's use
 * (ornd_tls_pool_usage) after init and at the peak of the fetch, with the CA
 * certificates' share measured by parsing the same CA file once more.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/memory_buffer_alloc.h>
#include <mbedtls/x509_crt.h>

#include "ornd/ornd.h"
#include "ornd_posix.h"

typedef struct {
    const ornd_port_t *inner;
    unsigned long tx, rx, sends, recvs, round_trips, connects;
    int last; /* 0 none, 1 send, 2 recv */
} counter_t;

static counter_t cnt;

static int c_connect(void *ctx, const char *host, uint16_t port, uint32_t t)
{
    counter_t *c = ctx;
    c->connects++;
    c->last = 0;
    return c->inner->net_connect(c->inner->ctx, host, port, t);
}

static int c_send(void *ctx, const uint8_t *buf, size_t len, uint32_t t)
{
    counter_t *c = ctx;
    int n = c->inner->net_send(c->inner->ctx, buf, len, t);
    if (n > 0) {
        c->tx += (unsigned long)n;
        c->sends++;
        c->last = 1;
    }
    return n;
}

static int c_recv(void *ctx, uint8_t *buf, size_t len, uint32_t t)
{
    counter_t *c = ctx;
    if (c->last == 1) {
        c->round_trips++; /* we sent, now we wait for the peer */
    }
    c->last = 2;
    int n = c->inner->net_recv(c->inner->ctx, buf, len, t);
    if (n > 0) {
        c->rx += (unsigned long)n;
        c->recvs++;
    }
    return n;
}

static void c_close(void *ctx)
{
    counter_t *c = ctx;
    c->inner->net_close(c->inner->ctx);
}
static uint32_t c_now(void *ctx)
{
    counter_t *c = ctx;
    return c->inner->now_ms(c->inner->ctx);
}
static int c_entropy(void *ctx, uint8_t *buf, size_t len)
{
    counter_t *c = ctx;
    return c->inner->entropy(c->inner->ctx, buf, len);
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        perror(path);
        exit(2);
    }
    static uint8_t buf[64 * 1024];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    *len = n + 1; /* PEM: the length counts the NUL */
    return buf;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: %s HOST PORT CA_FILE\n", argv[0]);
        return 2;
    }
    static ornd_posix_t net;
    static ornd_port_t posix, port;
    static ornd_client_t client;
    ornd_posix_port(&posix, &net);
    cnt.inner = &posix;
    port = (ornd_port_t){.ctx = &cnt, .net_connect = c_connect, .net_send = c_send,
                         .net_recv = c_recv, .net_close = c_close, .now_ms = c_now,
                         .entropy = c_entropy};
    char url[256];
    snprintf(url, sizeof url, "https://%s:%s/oauth/token", argv[1], argv[2]);
    size_t ca_len;
    const uint8_t *ca = slurp(argv[3], &ca_len);
    ornd_settings_t s = {.port = &port, .token_url = url, .client_id = "demo-id",
                         .client_secret = "demo-secret", .ca = ca, .ca_len = ca_len};
    int rc = ornd_client_init(&client, &s);
    size_t init_now = 0, init_peak = 0, peak = 0, now = 0, blocks = 0, ca_share = 0;
    ornd_tls_pool_usage(&init_now, &init_peak);
    size_t tlen = 0;
    if (rc == ORND_OK) {
        const char *tok;
        rc = ornd_token(&client, &tok, &tlen);
    }
    ornd_tls_pool_usage(&now, &peak);
    size_t peak_bytes;
    mbedtls_memory_buffer_alloc_max_get(&peak_bytes, &blocks);
    ornd_client_release(&client);
    /* the CA's share: parse the same certificates once more and measure */
    {
        size_t before, after, p;
        mbedtls_x509_crt crt;
        ornd_tls_pool_usage(&before, &p);
        mbedtls_x509_crt_init(&crt);
        if (mbedtls_x509_crt_parse(&crt, ca, ca_len) == 0) {
            ornd_tls_pool_usage(&after, &p);
            ca_share = after - before;
        }
        mbedtls_x509_crt_free(&crt);
    }
    printf("{\"rc\": %d, \"error\": \"%s\", \"token_len\": %zu, \"tx\": %lu, \"rx\": %lu, "
           "\"sends\": %lu, \"recvs\": %lu, \"round_trips\": %lu, \"connects\": %lu, "
           "\"pool_after_init\": %zu, \"pool_peak\": %zu, \"pool_peak_blocks\": %zu, "
           "\"ca_share\": %zu}\n",
           rc, ornd_errname(rc), tlen, cnt.tx, cnt.rx, cnt.sends, cnt.recvs, cnt.round_trips,
           cnt.connects, init_now, peak, blocks, ca_share);
    return rc == ORND_OK ? 0 : 1;
}
