/* SPDX-License-Identifier: MIT */
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
 *
 * Then the token is dropped (ornd_token_invalidate) and fetched once more on
 * the same client, whose connection offers the session kept from the first
 * one: "resumed" holds that second fetch's own bytes, round trips and pool
 * peak (the peak counter is reset before it), and the pool in use before it
 * (CA certificates plus the kept session). Whether the server really resumed
 * is for the caller to check on the server's side (tests/bench/net.sh reads
 * the identity server's handshake counters).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/memory_buffer_alloc.h>
#include <mbedtls/x509_crt.h>

#include "ornd/client.h"
#include "ornd/tls_setup.h"
#include "ornd_posix.h"

#include "count_port.h"

static counter_t cnt;

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
    static ornd_posix_platform_t sys;
    static ornd_posix_conn_t conn;
    static ornd_platform_t platform;
    static ornd_transport_t posix, transport;
    static ornd_client_t client;
    if (ornd_posix_platform(&platform, &sys) != ORND_OK ||
        ornd_posix_transport(&posix, &conn) != ORND_OK || ornd_tls_use_static_pool() != ORND_OK ||
        ornd_tls_use_platform_rng(&platform) != ORND_OK) {
        fprintf(stderr, "%s: platform set-up failed\n", argv[0]);
        return 2;
    }
    counting_transport(&transport, &cnt, &posix);
    char url[256];
    snprintf(url, sizeof url, "https://%s:%s/oauth/token", argv[1], argv[2]);
    size_t ca_len;
    const uint8_t *ca = slurp(argv[3], &ca_len);
    ornd_settings_t s = {.platform = &platform, .transport = &transport, .token_url = url, .client_id = "demo-id",
                         .client_secret = "demo-secret", .ca = ca, .ca_len = ca_len};
    int rc = ornd_client_init(&client, &s);
    size_t init_now = 0, init_peak = 0, peak = 0, now = 0, blocks = 0, ca_share = 0;
    (void)ornd_tls_pool_usage(&init_now, &init_peak);
    size_t tlen = 0;
    if (rc == ORND_OK) {
        const char *tok;
        rc = ornd_token(&client, &tok, &tlen);
    }
    (void)ornd_tls_pool_usage(&now, &peak);
    size_t peak_bytes;
    mbedtls_memory_buffer_alloc_max_get(&peak_bytes, &blocks);
    counter_t first = cnt;

    /* the second fetch, resuming the session kept from the first */
    int rc2 = ORND_ERR_STATE;
    bool offered = client.ORND_PRIVATE(tls).ORND_PRIVATE(has_session); /* white-box */
    size_t before2 = 0, peak2 = 0, blocks2 = 0, tlen2 = 0, unused;
    counter_reset(&cnt);
    (void)ornd_tls_pool_usage(&before2, &unused);
    mbedtls_memory_buffer_alloc_max_reset();
    if (rc == ORND_OK) {
        const char *tok;
        ornd_token_invalidate(&client);
        rc2 = ornd_token(&client, &tok, &tlen2);
    }
    mbedtls_memory_buffer_alloc_max_get(&peak2, &blocks2);
    counter_t second = cnt;
    ornd_client_release(&client);
    /* the CA's share: parse the same certificates once more and measure */
    {
        size_t before, after, p;
        mbedtls_x509_crt crt;
        (void)ornd_tls_pool_usage(&before, &p);
        mbedtls_x509_crt_init(&crt);
        if (mbedtls_x509_crt_parse(&crt, ca, ca_len) == 0) {
            (void)ornd_tls_pool_usage(&after, &p);
            ca_share = after - before;
        }
        mbedtls_x509_crt_free(&crt);
    }
    printf("{\"rc\": %d, \"error\": \"%s\", \"token_len\": %zu, \"tx\": %lu, \"rx\": %lu, "
           "\"sends\": %lu, \"recvs\": %lu, \"round_trips\": %lu, \"connects\": %lu, "
           "\"pool_after_init\": %zu, \"pool_peak\": %zu, \"pool_peak_blocks\": %zu, "
           "\"ca_share\": %zu, ",
           rc, ornd_errname(rc), tlen, first.tx, first.rx, first.sends, first.recvs,
           first.round_trips, first.connects, init_now, peak, blocks, ca_share);
    printf("\"resumed\": {\"rc\": %d, \"error\": \"%s\", \"session_offered\": %s, "
           "\"token_len\": %zu, \"tx\": %lu, \"rx\": %lu, \"sends\": %lu, \"recvs\": %lu, "
           "\"round_trips\": %lu, \"connects\": %lu, \"pool_before\": %zu, "
           "\"pool_peak\": %zu, \"pool_peak_blocks\": %zu}}\n",
           rc2, ornd_errname(rc2), offered ? "true" : "false", tlen2, second.tx, second.rx,
           second.sends, second.recvs, second.round_trips, second.connects, before2, peak2,
           blocks2);
    return rc == ORND_OK && rc2 == ORND_OK ? 0 : 1;
}
