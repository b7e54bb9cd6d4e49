/* SPDX-License-Identifier: MIT */
/* The door example's logic: what one badge event does (door_logic.c). */
#ifndef DOOR_H
#define DOOR_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "ornd/api.h"

/* What the door says about a badge: one or more lines, each ending in '\n'. */
typedef struct {
    char text[768];
    size_t len;
} door_out_t;

/*
 * Handle one badge: look the member with this email up over `api`, check
 * them in at `location` with the start time `now`, and open when the
 * check-in is confirmed (true). When the check-in's outcome is unknown (the
 * connection broke after it went out) it is looked up, never sent twice.
 * The lines said are appended to `out`.
 */
bool door_badge(ornd_api_t *api, const char *email, const char *location, time_t now,
                door_out_t *out);

/* Ids go into paths and JSON as they are: only letters, digits, '-', '_'. */
bool door_plain_id(const char *s);

#endif /* DOOR_H */
