/* SPDX-License-Identifier: MIT */
/*
 * The door's logic (see door.c), apart from its start-up so that it can be
 * tested on a PC over scripted servers (tests/unit/test_door.c,
 * docs/testing.md).
 *
 * Each badge event (the member's email, as a QR or NFC reader would deliver
 * it) is looked up (GET /members?email=...), and a known member is checked
 * in at the door's location (POST /checkins/<id>). The door opens only when
 * the check-in is confirmed. When the connection broke after the check-in
 * was sent, its outcome is unknown: the door looks for it
 * (GET /checkins?member=<id>) instead of sending it twice.
 */
#define _POSIX_C_SOURCE 200809L /* gmtime_r */
#include "door.h"

#include <stdio.h>
#include <string.h>

#include "ornd/match.h"

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
        bool keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    strchr("-._~", c) != NULL;
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

/* Append to what the door says: `n` is what snprintf() at its end returned. */
static void said(door_out_t *out, int n)
{
    size_t room = sizeof out->text - out->len;
    if (n > 0) {
        out->len += (size_t)n < room ? (size_t)n : room - 1u;
    }
}
#define say(out, ...)                                                                              \
    said((out), snprintf((out)->text + (out)->len, sizeof(out)->text - (out)->len, __VA_ARGS__))

static void say_denied(door_out_t *out, const char *who, int rc, const ornd_api_result_t *res)
{
    say(out, "door: DENIED %s: %s", who, ornd_strerror(rc));
    if (res != NULL && res->has_retry_after) {
        say(out, " (try again in %lu s)", (unsigned long)res->retry_after_s);
    }
    say(out, "%s", "\n");
}

/* Look the member up: id and name into pick.id / pick.text. */
static int find_member(ornd_api_t *api, const char *email, ornd_api_result_t *res)
{
    static const char *const fields[2] = {"results[]._id", "results[].name"};
    char value[192], path[320];
    if (!query_value(email, value, sizeof value)) {
        return ORND_ERR_ARG;
    }
    snprintf(path, sizeof path, "/members?email=%s&$limit=1", value);
    int rc = pick_start(fields, NULL);
    return rc != ORND_OK ? rc : ornd_api_request(api, "GET", path, NULL, 0, &picker, res);
}

/* After a check-in whose outcome is unknown: is there one with our start? */
static int find_checkin(ornd_api_t *api, const char *member, const char *start,
                        ornd_api_result_t *res)
{
    static const char *const fields[2] = {"results[]._id", "results[].start"};
    char path[160];
    snprintf(path, sizeof path, "/checkins?member=%s", member);
    int rc = pick_start(fields, start);
    if (rc == ORND_OK) {
        rc = ornd_api_request(api, "GET", path, NULL, 0, &picker, res);
    }
    return rc == ORND_OK && !pick.done ? ORND_ERR_OUTCOME_UNKNOWN : rc;
}

/* Ids go into paths and JSON as they are: only letters, digits, '-', '_'. */
bool door_plain_id(const char *s)
{
    size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    return n > 0 && s[n] == '\0';
}

bool door_badge(ornd_api_t *api, const char *email, const char *location, time_t now,
                door_out_t *out)
{
    ornd_api_result_t res;
    memset(&res, 0, sizeof res); /* a badge refused before any request says so plainly */
    int rc = find_member(api, email, &res);
    if (rc != ORND_OK) {
        say_denied(out, email, rc, &res);
        return false;
    }
    if (!pick.cap[0].found) {
        say(out, "door: DENIED %s: not a member\n", email);
        return false;
    }
    if (!door_plain_id(pick.id)) {
        say(out, "door: DENIED %s: unexpected member id\n", email);
        return false;
    }
    char member[64], name[128];
    memcpy(member, pick.id, sizeof member);
    memcpy(name, pick.text, sizeof name);

    char start[32], body[256], path[96];
    struct tm tm;
    strftime(start, sizeof start, "%Y-%m-%dT%H:%M:%S.000Z", gmtime_r(&now, &tm));
    snprintf(body, sizeof body, "{\"location\":\"%s\",\"start\":\"%s\"}", location, start);
    snprintf(path, sizeof path, "/checkins/%s", member);
    static const char *const created[2] = {"_id", "start"};
    rc = pick_start(created, NULL);
    if (rc == ORND_OK) {
        rc =
            ornd_api_request(api, "POST", path, (const uint8_t *)body, strlen(body), &picker, &res);
    }
    if (rc == ORND_ERR_OUTCOME_UNKNOWN) {
        say(out, "door: check-in for %s may or may not exist; looking\n", name);
        rc = find_checkin(api, member, start, &res);
    }
    if (rc != ORND_OK) {
        say_denied(out, name, rc, &res);
        return false;
    }
    say(out, "door: OPEN for %s (check-in %s)\n", name, pick.id);
    return true;
}
