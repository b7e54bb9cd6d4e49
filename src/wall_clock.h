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

/* Days from 1970-01-01 to year-month-day (proleptic Gregorian; year >= 1,
 * month 1-12, day 1-31). */
int64_t ornd__days_from_civil(int64_t year, unsigned month, unsigned day);

/* The date of `days` since 1970-01-01 (days >= -719162, i.e. year >= 1):
 * year, month 1-12, day 1-31, day of the year 0-365. */
void ornd__civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day,
                           unsigned *yday);

#endif /* ORND_WALL_CLOCK_H */
