/* SPDX-License-Identifier: MIT */
/* The wall clock: the library's policy while the time is unknown, and the
 * calendar arithmetic of certificate dates. Implemented in wall_clock.c. */
#ifndef ORND_WALL_CLOCK_H
#define ORND_WALL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "ornd/core/tls.h"
#include "ornd/error.h"
#include "ornd/port.h"

/*
 * Before a connection is opened: read the platform's wall clock and give
 * the connection its time (ornd_tls_set_time()). A time that is unknown
 * (no unix_time member, ORND_ERR_TIME_UNKNOWN from it, or earlier than
 * ORND_CONFIG_MIN_UNIX_TIME) refuses the connection with
 * ORND_ERR_TIME_UNKNOWN, unless `accept_unknown` (the INSECURE opt-in), in
 * which case the connection goes without date checks. Sends nothing.
 */
ornd_err_t ornd__connection_time(const ornd_platform_t *p, bool accept_unknown, ornd_tls_t *t);

/* A UTC date and time, in the ranges of `struct tm` and mbedtls_x509_time:
 * year (full), month 1-12, day 1-31, hour 0-23, minute, second 0-59, day of
 * the year 0-365, day of the week 0-6 (Sunday 0). */
typedef struct {
    int year, mon, day, hour, min, sec, yday, wday;
} ornd_utc_t;

/* The UTC date and time of `t` seconds since 1970-01-01 (proleptic
 * Gregorian). `t` is taken as 0 when negative and as 2^38 - 1 (the year
 * 10680) when larger: certificate dates end at 9999. No 64-bit division. */
void ornd__utc_from_unix(int64_t t, ornd_utc_t *out);

#endif /* ORND_WALL_CLOCK_H */
