/* SPDX-License-Identifier: MIT */
/* Network and TLS-pool cost of N API requests, for `make bench`.
 *
 *   bench_api MODE HOST TOKEN_PORT API_PORT CA_FILE N
 *
 * Runs the real client and an ornd_api_t (POSIX port, verified TLS) against
 * the local API server (tests/server/api_server.py) and sends N times
 * GET /members?$limit=1 (one member, about 2 KB of JSON), in one of three
 * ways (MODE):
 *   keep     all N over one kept-alive connection;
 *   close    ornd_api_close() after each: a new connection each time, which
 *            offers the TLS session kept from the one before (resumption);
 *   fresh    a new ornd_api_t each time (ornd_api_release, ornd_api_init):
 *            a new connection and a full handshake each time.
 * The token is fetched first, on the token client's own counted port; the
 * API connection has its own. Prints one JSON object: the API connection's
 * bytes each way, round trips and connects over the N requests, the body
 * bytes received, and the static pool's use before the requests (the CA
 * certificates and the token connection's kept session) and at its peak
 * during them (the peak counter is reset after the token fetch). The server's
 * own counts (connections, full and resumed handshakes) are added by
 * tests/bench/api.sh.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/memory_buffer_alloc.h>

#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/tls_setup.h"
#include "ornd_posix.h"

#include "count_port.h"

#define PATH "/members?$limit=1"

static counter_t token_cnt, api_cnt;

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
    if (argc != 7) {
        fprintf(stderr, "usage: %s keep|close|fresh HOST TOKEN_PORT API_PORT CA_FILE N\n",
                argv[0]);
        return 2;
    }
    const char *mode = argv[1];
    bool keep = strcmp(mode, "keep") == 0, close_each = strcmp(mode, "close") == 0,
         fresh = strcmp(mode, "fresh") == 0;
    int n = atoi(argv[6]);
    if (!(keep || close_each || fresh) || n < 1) {
        fprintf(stderr, "%s: bad MODE or N\n", argv[0]);
        return 2;
    }
    static ornd_posix_platform_t sys;
    static ornd_posix_conn_t token_conn, api_conn;
    static ornd_platform_t platform;
    static ornd_transport_t token_posix, api_posix, token_transport, api_transport;
    static ornd_client_t client;
    static ornd_api_t api;
    if (ornd_posix_platform(&platform, &sys) != ORND_OK ||
        ornd_posix_transport(&token_posix, &token_conn) != ORND_OK ||
        ornd_posix_transport(&api_posix, &api_conn) != ORND_OK ||
        ornd_tls_use_static_pool() != ORND_OK || ornd_tls_use_platform_rng(&platform) != ORND_OK) {
        fprintf(stderr, "%s: platform set-up failed\n", argv[0]);
        return 2;
    }
    counting_transport(&token_transport, &token_cnt, &token_posix);
    counting_transport(&api_transport, &api_cnt, &api_posix);

    char token_url[256], api_url[256];
    snprintf(token_url, sizeof token_url, "https://%s:%s/oauth/token", argv[2], argv[3]);
    snprintf(api_url, sizeof api_url, "https://%s:%s/api/v2/organizations", argv[2], argv[4]);
    size_t ca_len;
    const uint8_t *ca = slurp(argv[5], &ca_len);
    ornd_settings_t s = {.platform = &platform, .transport = &token_transport, .token_url = token_url, .client_id = "demo-id",
                         .client_secret = "demo-secret",
                         .scope = "flex.community.members.read", .ca = ca, .ca_len = ca_len};
    ornd_api_settings_t as = {.client = &client, .transport = &api_transport, .api_url = api_url,
                              .org = "test-org"};
    size_t token_len = 0;
    int rc = ornd_client_init(&client, &s);
    if (rc == ORND_OK) {
        const char *tok;
        rc = ornd_token(&client, &tok, &token_len);
    }
    if (rc == ORND_OK) {
        rc = ornd_api_init(&api, &as);
    }
    size_t before = 0, peak = 0, blocks = 0, unused;
    (void)ornd_tls_pool_usage(&before, &unused);
    mbedtls_memory_buffer_alloc_max_reset();
    counter_reset(&api_cnt); /* ornd_api_init does no I/O: nothing to lose */

    unsigned long body = 0, connections = 0;
    int done = 0, reused = 0, status = 0;
    for (int i = 0; rc == ORND_OK && i < n; i++) {
        if (fresh && i > 0) {
            connections += ornd_api_connections(&api);
            ornd_api_release(&api);
            rc = ornd_api_init(&api, &as);
            if (rc != ORND_OK) {
                break;
            }
        }
        ornd_api_result_t res;
        rc = ornd_api_request(&api, "GET", PATH, NULL, 0, NULL, &res);
        status = res.status;
        if (rc == ORND_OK) {
            done++;
            body += res.body_bytes;
            reused += res.reused ? 1 : 0;
        }
        if (close_each) {
            ornd_api_close(&api);
        }
    }
    connections += ornd_api_connections(&api);
    ornd_api_close(&api); /* close_notify is part of the cost */
    mbedtls_memory_buffer_alloc_max_get(&peak, &blocks);
    ornd_api_release(&api);
    ornd_client_release(&client);

    printf("{\"mode\": \"%s\", \"rc\": %d, \"error\": \"%s\", \"status\": %d, \"n\": %d, "
           "\"done\": %d, \"reused\": %d, \"body_bytes\": %lu, \"tx\": %lu, \"rx\": %lu, "
           "\"sends\": %lu, \"recvs\": %lu, \"round_trips\": %lu, \"connects\": %lu, "
           "\"api_connections\": %lu, \"token_len\": %zu, \"token_tx\": %lu, \"token_rx\": %lu, "
           "\"pool_before\": %zu, \"pool_peak\": %zu, \"pool_peak_blocks\": %zu}\n",
           mode, rc, ornd_errname(rc), status, n, done, reused, body, api_cnt.tx, api_cnt.rx,
           api_cnt.sends, api_cnt.recvs, api_cnt.round_trips, api_cnt.connects, connections,
           token_len,
           token_cnt.tx, token_cnt.rx, before, peak, blocks);
    return rc == ORND_OK && done == n ? 0 : 1;
}
