/* SPDX-License-Identifier: MIT */
/*
 * Soak (make bench): 100000 token refresh cycles and 10000 API requests on
 * the simulated clock over the scripted servers of ornd/testing.h (the
 * clock wraps its 32 bits many times on the way). Every call must succeed,
 * each cycle must cost exactly one token request, the API requests must
 * share one kept-alive connection, and the client and API objects must
 * keep their size and fit nothing beyond it (they are static; a check that
 * the library wrote nothing past them is the guard bytes after each).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/testing.h"

#define CYCLES 100000u
#define REQUESTS 10000u

static ornd_test_platform_t sim;
static ornd_platform_t platform;
static ornd_test_conn_t id_peer, api_peer;
static ornd_transport_t id_tr, api_tr;

/* Each object followed by guard bytes that must stay as set. */
static struct {
    ornd_client_t client;
    unsigned char guard[64];
} c;
static struct {
    ornd_api_t api;
    unsigned char guard[64];
} a;

static int fail(const char *what, unsigned i, ornd_err_t rc)
{
    fprintf(stderr, "soak: %s %u: %s\n", what, i, ornd_errname(rc));
    return 1;
}

static int guards_intact(void)
{
    for (size_t i = 0; i < sizeof c.guard; i++) {
        if (c.guard[i] != 0xa5u || a.guard[i] != 0x5au) {
            return 0;
        }
    }
    return 1;
}

int main(void)
{
    static const uint8_t ca[] = "plain";
    memset(c.guard, 0xa5, sizeof c.guard);
    memset(a.guard, 0x5a, sizeof a.guard);
    size_t client_size = sizeof c.client, api_size = sizeof a.api;
    ornd_test_platform(&platform, &sim, 0xfff00000u);
    ornd_test_transport(&id_tr, &id_peer, &sim);
    ornd_test_transport(&api_tr, &api_peer, &sim);
    ornd_test_add(&id_peer, ornd_test_token(120, ORND_TEST_FOREVER)); /* usable 60 s */
    ornd_test_step_t ok = ornd_test_json(200, "{\"results\":[{\"_id\":\"m1\"}]}");
    ok.times = ORND_TEST_FOREVER;
    ornd_test_add(&api_peer, ok);
    ornd_settings_t s = {.platform = &platform,
                         .transport = &id_tr,
                         .client_id = "soak",
                         .client_secret = "secret",
                         .ca = ca,
                         .ca_len = sizeof ca};
    ornd_err_t rc = ornd_client_init(&c.client, &s);
    if (rc != ORND_OK) {
        return fail("init", 0, rc);
    }
    /* the token: fetched once per cycle, served from the cache in between */
    for (unsigned i = 0; i < CYCLES; i++) {
        char hdr[ORND_AUTH_HEADER_MAX];
        for (unsigned k = 0; k < 3u; k++) {
            rc = ornd_auth_header(&c.client, hdr, sizeof hdr, NULL);
            if (rc != ORND_OK) {
                return fail("token cycle", i, rc);
            }
            ornd_test_advance(&sim, 20000u);
        }
        if (id_peer.requests != i + 1u) {
            return fail("token requests per cycle", i, ORND_ERR_STATE);
        }
    }
    unsigned token_requests = id_peer.requests;
    ornd_api_settings_t as = {.client = &c.client, .transport = &api_tr, .org = "acme"};
    rc = ornd_api_init(&a.api, &as);
    if (rc != ORND_OK) {
        return fail("api init", 0, rc);
    }
    for (unsigned i = 0; i < REQUESTS; i++) {
        ornd_api_result_t res;
        rc = ornd_api_request(&a.api, "GET", "/members?$limit=1", NULL, 0, NULL, &res);
        if (rc != ORND_OK || res.status != 200) {
            return fail("api request", i, rc);
        }
        ornd_test_advance(&sim, 1000u);
    }
    unsigned api_tokens = id_peer.requests - token_requests;
    printf("soak: %u token refresh cycles (%u token requests), %u API requests over %u "
           "connection(s) with %u token request(s)\n",
           CYCLES, token_requests, REQUESTS, api_peer.connects, api_tokens);
    printf("soak: ornd_client_t %zu bytes, ornd_api_t %zu bytes, before and after; guards %s\n",
           client_size, api_size, guards_intact() ? "intact" : "OVERWRITTEN");
    int bad = api_peer.connects != 1u || api_peer.requests != REQUESTS || !guards_intact() ||
              sizeof c.client != client_size || sizeof a.api != api_size;
    ornd_api_release(&a.api);
    ornd_client_release(&c.client);
    printf("soak: %s\n", bad ? "FAIL" : "PASS");
    return bad;
}
