/* SPDX-License-Identifier: MIT */
/* ORND_CLIENT_ID=... ORND_CLIENT_SECRET=... quickstart CA.pem TOKEN_URL [N]
 * One client, asked N times (default 7) for the header: one token request. */
#include <stdio.h>
#include <stdlib.h>

#include "ornd/ornd.h"
#include "ornd/tls_setup.h"
#include "ornd_posix.h"

static ornd_posix_platform_t sys; /* the POSIX port's contexts */
static ornd_posix_conn_t conn;
static ornd_platform_t platform;   /* clock, entropy, lock: one per program */
static ornd_transport_t transport; /* one per connection */
static ornd_client_t client;       /* all the client's state */
static uint8_t ca[512 * 1024];

int main(int argc, char **argv)
{
    long n = argc > 3 ? strtol(argv[3], NULL, 10) : 7;
    FILE *f = argc >= 3 && n >= 1 ? fopen(argv[1], "rb") : NULL;
    if (f == NULL) {
        fprintf(stderr, "usage: quickstart CA.pem TOKEN_URL [N >= 1]\n");
        return 2;
    }
    size_t ca_len = fread(ca, 1, sizeof ca - 1, f);
    fclose(f);
    ca[ca_len++] = '\0'; /* PEM: the length counts the NUL */

    /* Once, at start-up: */
    ornd_err_t rc = ornd_posix_platform(&platform, &sys);
    (void)ornd_posix_transport(&transport, &conn); /* cannot fail */
    if (rc == ORND_OK) {
        rc = ornd_tls_use_static_pool(); /* mbedTLS allocates from the library's pool */
    }
    if (rc == ORND_OK) {
        rc = ornd_tls_use_platform_rng(&platform); /* PSA draws from the platform's entropy */
    }
    ornd_settings_t s = {
        .platform = &platform,
        .transport = &transport,
        .token_url = argv[2],
        .client_id = getenv("ORND_CLIENT_ID"),
        .client_secret = getenv("ORND_CLIENT_SECRET"),
        .scope = "flex.community.members.read",
        .ca = ca,
        .ca_len = ca_len,
    };
    if (rc == ORND_OK) {
        rc = ornd_client_init(&client, &s); /* copies and checks; no network yet */
    }

    /* As often as needed: one token request, then the cached token. */
    for (long i = 1; rc == ORND_OK && i <= n; i++) {
        char hdr[ORND_AUTH_HEADER_MAX];
        size_t len = 0;
        rc = ornd_auth_header(&client, hdr, sizeof hdr, &len);
        if (rc == ORND_OK) {
            printf("call %ld: Authorization header, %zu bytes\n", i, len);
        }
    }
    if (rc != ORND_OK) {
        fprintf(stderr, "quickstart: %s (%s)\n", ornd_strerror(rc), ornd_errname(rc));
    }

    ornd_client_release(&client); /* at the end: wipes the secret and the token */
    ornd_posix_platform_release(&sys);
    return rc == ORND_OK ? 0 : 1;
}
