/* SPDX-License-Identifier: MIT */
/*
 * Several threads ask one client for the Authorization header at the same
 * moment, through the POSIX port (whose lock serialises the fetch). Prints
 * "threads=N ok=K distinct=D": with a working lock the server sees one token
 * request and every thread gets the same header.
 *
 *   token_race TOKEN_URL CA_FILE THREADS   (credentials from ORND_CLIENT_ID/SECRET)
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ornd/client.h"
#include "ornd/tls_setup.h"
#include "ornd_posix.h"

#define THREADS_MAX 16

static ornd_posix_platform_t sys;
static ornd_posix_conn_t conn;
static ornd_platform_t platform;
static ornd_transport_t transport;
static ornd_client_t client;
static pthread_barrier_t start;
static char headers[THREADS_MAX][ORND_AUTH_HEADER_MAX];
static int results[THREADS_MAX];
static uint8_t ca[256 * 1024];

static void *ask(void *arg)
{
    int i = (int)(intptr_t)arg;
    pthread_barrier_wait(&start);
    results[i] = ornd_auth_header(&client, headers[i], sizeof headers[i], NULL);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: token_race TOKEN_URL CA_FILE THREADS\n");
        return 2;
    }
    int n = atoi(argv[3]);
    FILE *f = fopen(argv[2], "rb");
    if (n < 1 || n > THREADS_MAX || f == NULL) {
        fprintf(stderr, "token_race: bad thread count or CA file\n");
        return 2;
    }
    size_t ca_len = fread(ca, 1, sizeof ca - 1u, f);
    fclose(f);
    ca[ca_len++] = '\0';
    if (ornd_posix_platform(&platform, &sys) != ORND_OK ||
        ornd_posix_transport(&transport, &conn) != ORND_OK ||
        ornd_tls_use_static_pool() != ORND_OK || ornd_tls_use_platform_rng(&platform) != ORND_OK) {
        fprintf(stderr, "token_race: platform set-up failed\n");
        return 2;
    }
    ornd_settings_t s = {.platform = &platform, .transport = &transport, .token_url = argv[1],
                         .client_id = getenv("ORND_CLIENT_ID"),
                         .client_secret = getenv("ORND_CLIENT_SECRET"),
                         .scope = "flex.community.members.read", .ca = ca, .ca_len = ca_len};
    int rc = ornd_client_init(&client, &s);
    if (rc != ORND_OK) {
        fprintf(stderr, "token_race: %s\n", ornd_strerror(rc));
        return 2;
    }
    pthread_t t[THREADS_MAX];
    pthread_barrier_init(&start, NULL, (unsigned)n);
    for (int i = 0; i < n; i++) {
        pthread_create(&t[i], NULL, ask, (void *)(intptr_t)i);
    }
    int ok = 0, distinct = 0;
    for (int i = 0; i < n; i++) {
        pthread_join(t[i], NULL);
    }
    for (int i = 0; i < n; i++) {
        if (results[i] != ORND_OK) {
            fprintf(stderr, "token_race: thread %d: %s\n", i, ornd_strerror(results[i]));
            continue;
        }
        ok++;
        bool seen = false;
        for (int j = 0; j < i; j++) {
            seen = seen || (results[j] == ORND_OK && strcmp(headers[i], headers[j]) == 0);
        }
        distinct += seen ? 0 : 1;
    }
    printf("threads=%d ok=%d distinct=%d\n", n, ok, distinct);
    ornd_client_release(&client);
    return ok == n ? 0 : 1;
}
