/* SPDX-License-Identifier: MIT */
/*
 * door: an example door controller, written the way firmware would be:
 * every object static, settings read once, one loop.
 *
 * Each badge event (here a line on stdin holding the member's email, as a QR
 * or NFC reader would deliver it) is looked up (GET /members?email=...), and
 * a known member is checked in at the door's location (POST /checkins/<id>).
 * The door opens only when the check-in is confirmed. When the connection
 * broke after the check-in was sent, its outcome is unknown: the door looks
 * for it (GET /checkins?member=<id>) instead of sending it twice.
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

#include "ornd/api.h"
#include "ornd/match.h"
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

/* ---- picking fields out of an answer as it streams ----------------------- */

typedef struct {
    ornd_match_t match;
    ornd_match_capture_t cap[2];
    char id[64];
    char text[128];
    const char *want; /* a list: the record whose second field is this; NULL: the first */
    bool done;        /* a list: the record is found, the rest is skipped */
} pick_t;

static pick_t pick;

static ornd_err_t on_field(void *user, const ornd_match_event_t *ev)
{
    pick_t *p = user;
    if (p->done) {
        return ORND_OK;
    }
    if (ev->kind == ORND_MATCH_ELEMENT_BEGIN) { /* a record of a list starts afresh */
        ornd_match_capture_init(&p->cap[0], p->id, sizeof p->id);
        ornd_match_capture_init(&p->cap[1], p->text, sizeof p->text);
        return ORND_OK;
    }
    if (ev->kind == ORND_MATCH_ELEMENT_END) {
        p->done = p->cap[0].found &&
                  (p->want == NULL || (p->cap[1].found && strcmp(p->text, p->want) == 0));
        if (!p->done) {
            p->cap[0].found = false;
        }
        return ORND_OK;
    }
    return ornd_match_capture(&p->cap[ev->path], ev);
}

static ornd_err_t pick_body(void *user, const uint8_t *data, size_t len)
{
    return ornd_match_feed(&((pick_t *)user)->match, data, len);
}

static ornd_err_t pick_end(void *user)
{
    return ornd_match_finish(&((pick_t *)user)->match);
}

/* Prepare to pick `fields[0]` (an id) and `fields[1]`: of the answer, or of
 * the first record of a list, or of the record whose second field is `want`. */
static int pick_start(const char *const fields[2], const char *want)
{
    memset(&pick, 0, sizeof pick);
    pick.want = want;
    ornd_match_capture_init(&pick.cap[0], pick.id, sizeof pick.id);
    ornd_match_capture_init(&pick.cap[1], pick.text, sizeof pick.text);
    return ornd_match_init(&pick.match, fields, 2, on_field, &pick);
}

static const ornd_api_handler_t picker = {
    .on_body = pick_body, .on_end = pick_end, .user = &pick, .body_max = (size_t)256u * 1024u};

/* ---- the door's steps ------------------------------------------------------ */

/* Percent-encode `s` for a query value into `out`; false when it does not fit. */
static bool query_value(const char *s, char *out, size_t cap)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = 0;
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || strchr("-._~", c) != NULL;
        if (n + (keep ? 1u : 3u) >= cap) {
            return false;
        }
        if (keep) {
            out[n++] = (char)c;
        } else {
            out[n++] = '%';
            out[n++] = hex[c >> 4];
            out[n++] = hex[c & 15u];
        }
    }
    out[n] = '\0';
    return true;
}

static void say_denied(const char *who, int rc, const ornd_api_result_t *res)
{
    printf("door: DENIED %s: %s", who, ornd_strerror(rc));
    if (res != NULL && res->has_retry_after) {
        printf(" (try again in %lu s)", (unsigned long)res->retry_after_s);
    }
    printf("\n");
}

/* Look the member up: id and name into pick.id / pick.text. */
static int find_member(const char *email, ornd_api_result_t *res)
{
    static const char *const fields[2] = {"results[]._id", "results[].name"};
    char value[192], path[320];
    if (!query_value(email, value, sizeof value)) {
        return ORND_ERR_ARG;
    }
    snprintf(path, sizeof path, "/members?email=%s&$limit=1", value);
    int rc = pick_start(fields, NULL);
    return rc != ORND_OK ? rc : ornd_api_request(&api, "GET", path, NULL, 0, &picker, res);
}

/* After a check-in whose outcome is unknown: is there one with our start? */
static int find_checkin(const char *member, const char *start, ornd_api_result_t *res)
{
    static const char *const fields[2] = {"results[]._id", "results[].start"};
    char path[160];
    snprintf(path, sizeof path, "/checkins?member=%s", member);
    int rc = pick_start(fields, start);
    if (rc == ORND_OK) {
        rc = ornd_api_request(&api, "GET", path, NULL, 0, &picker, res);
    }
    return rc == ORND_OK && !pick.done ? ORND_ERR_OUTCOME_UNKNOWN : rc;
}

/* Ids go into paths and JSON as they are: only letters, digits, '-', '_'. */
static bool plain_id(const char *s)
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    return n > 0 && s[n] == '\0';
}

static void badge(const char *email, const char *location)
{
    ornd_api_result_t res;
    memset(&res, 0, sizeof res); /* a badge refused before any request says so plainly */
    int rc = find_member(email, &res);
    if (rc != ORND_OK) {
        say_denied(email, rc, &res);
        return;
    }
    if (!pick.cap[0].found) {
        printf("door: DENIED %s: not a member\n", email);
        return;
    }
    if (!plain_id(pick.id)) {
        printf("door: DENIED %s: unexpected member id\n", email);
        return;
    }
    char member[64], name[128];
    memcpy(member, pick.id, sizeof member);
    memcpy(name, pick.text, sizeof name);

    char start[32], body[256], path[96];
    time_t now = time(NULL);
    strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%S.000Z", gmtime(&now));
    snprintf(body, sizeof body, "{\"location\":\"%s\",\"start\":\"%s\"}", location, start);
    snprintf(path, sizeof path, "/checkins/%s", member);
    static const char *const created[2] = {"_id", "start"};
    rc = pick_start(created, NULL);
    if (rc == ORND_OK) {
        rc = ornd_api_request(&api, "POST", path, (const uint8_t *)body, strlen(body), &picker,
                              &res);
    }
    if (rc == ORND_ERR_OUTCOME_UNKNOWN) {
        printf("door: check-in for %s may or may not exist; looking\n", name);
        rc = find_checkin(member, start, &res);
    }
    if (rc != ORND_OK) {
        say_denied(name, rc, &res);
        return;
    }
    printf("door: OPEN for %s (check-in %s)\n", name, pick.id);
}

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
    bool ok = location != NULL && plain_id(location) && getenv("ORND_ORG") != NULL;
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
            badge(line, location);
            fflush(stdout);
        }
    }
    ornd_api_release(&api);
    ornd_client_release(&client);
    return 0;
}
