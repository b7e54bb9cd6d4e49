/* SPDX-License-Identifier: MIT */
/*
 * door: an example door controller, written the way firmware would be:
 * every object static, settings read once, one loop.
 *
 * Each badge event is a line on stdin holding the member's email, as a QR
 * or NFC reader would deliver it; what the door does with it is
 * door_logic.c's (door.h), which the unit tests run over scripted servers.
 *
 * Settings, from the environment here (a device keeps them in flash):
 *   ORND_CLIENT_ID, ORND_CLIENT_SECRET   the OfficeRnD application
 *   ORND_ORG, ORND_LOCATION              organisation slug, location id
 *   ORND_TOKEN_URL, ORND_API_URL, ORND_CA_FILE   optional
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/platform_util.h>

#include "door.h"
#include "ornd/tls_setup.h"
#include "ornd/client.h"
#include "ornd_posix.h"

#define SCOPES "flex.community.members.read flex.community.checkins.create " \
               "flex.community.checkins.read"

static ornd_posix_platform_t sys;
static ornd_posix_conn_t id_conn, api_conn; /* one connection each: identity, API */
static ornd_platform_t platform;
static ornd_transport_t id_transport, api_transport;
static ornd_client_t client;
static ornd_api_t api;
static uint8_t ca[256u * 1024u];

/* ---- start-up and the loop -------------------------------------------------- */

static const char *setting(const char *name, const char *fallback)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : fallback;
}

static int start(void)
{
    const char *ca_file = setting("ORND_CA_FILE", "/etc/ssl/certs/ca-certificates.crt");
    FILE *f = fopen(ca_file, "rb");
    size_t ca_len = f != NULL ? fread(ca, 1, sizeof ca - 1u, f) : 0u;
    if (f != NULL) {
        fclose(f);
    }
    if (ca_len == 0) {
        fprintf(stderr, "door: cannot read CA file %s\n", ca_file);
        return ORND_ERR_CONFIG_CA;
    }
    ca[ca_len++] = '\0';
    ornd_err_t rc = ornd_posix_platform(&platform, &sys);
    if (rc != ORND_OK) {
        return rc;
    }
    (void)ornd_posix_transport(&id_transport, &id_conn);
    (void)ornd_posix_transport(&api_transport, &api_conn);
    (void)ornd_tls_use_static_pool();
    (void)ornd_tls_use_platform_rng(&platform);
    char *secret = getenv("ORND_CLIENT_SECRET");
    ornd_settings_t s = {.platform = &platform,
                         .transport = &id_transport,
                         .token_url = setting("ORND_TOKEN_URL", NULL),
                         .client_id = getenv("ORND_CLIENT_ID"),
                         .client_secret = secret,
                         .scope = SCOPES,
                         .ca = ca,
                         .ca_len = ca_len};
    rc = ornd_client_init(&client, &s);
    if (secret != NULL) {
        mbedtls_platform_zeroize(secret, strlen(secret)); /* the client has its copy */
    }
    if (rc == ORND_OK) {
        ornd_api_settings_t as = {.client = &client,
                                  .transport = &api_transport,
                                  .api_url = setting("ORND_API_URL", NULL),
                                  .org = getenv("ORND_ORG")};
        rc = ornd_api_init(&api, &as);
    }
    return rc;
}

int main(void)
{
    const char *location = getenv("ORND_LOCATION");
    bool ok = location != NULL && door_plain_id(location) && getenv("ORND_ORG") != NULL;
    int rc = ok ? start() : ORND_ERR_ARG;
    if (rc != ORND_OK) {
        fprintf(stderr, "door: cannot start: %s (needs ORND_CLIENT_ID, ORND_CLIENT_SECRET, "
                        "ORND_ORG, ORND_LOCATION)\n", ornd_strerror(rc));
        return 2;
    }
    printf("door: ready at location %s\n", location);
    fflush(stdout);
    char line[256];
    while (fgets(line, sizeof line, stdin) != NULL) { /* one badge event per line */
        size_t n = strcspn(line, "\r\n");
        if (line[n] == '\0' && !feof(stdin)) {
            /* longer than any badge: refused whole, never cut into two */
            int c;
            while ((c = getchar()) != EOF && c != '\n') {
            }
            printf("door: DENIED a badge longer than %zu bytes\n", sizeof line - 2u);
            fflush(stdout);
            continue;
        }
        line[n] = '\0';
        if (line[0] != '\0') {
            door_out_t out = {.len = 0};
            (void)door_badge(&api, line, location, time(NULL), &out);
            fputs(out.text, stdout);
            fflush(stdout);
        }
    }
    ornd_api_release(&api);
    ornd_client_release(&client);
    return 0;
}
