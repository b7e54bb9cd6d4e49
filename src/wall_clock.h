/* SPDX-License-Identifier: MIT */
/* The wall clock: the library's policy while the time is unknown, and the
 * calendar arithmetic of certificate dates. Implemented in wall_clock.c. */
#ifndef ORND_WALL_CLOCK_H
#define ORND_WALL_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "ornd/core/tls.h"
#include "ornd/error.h"
#include "ornd/port.h"

/* The platform's wall clock (`p` may be NULL): true with the seconds since
 * 1970 in *now when it knows the time, false with *now 0 when it does not
 * (no unix_time member, ORND_ERR_TIME_UNKNOWN from it, or earlier than
 * ORND_CONFIG_MIN_UNIX_TIME). */
bool ornd__wall_clock(const ornd_platform_t *p, int64_t *now);

/*
 * Before a connection is opened: read the platform's wall clock and give
 * the connection its time (as ornd_tls_set_time() does). A time that is unknown
 * (ornd__wall_clock()) refuses the connection with ORND_ERR_TIME_UNKNOWN,
 * unless `accept_unknown` (the INSECURE opt-in), in which case the
 * connection goes without date checks. Sends nothing.
 */
ornd_err_t ornd__connection_time(const ornd_platform_t *p, bool accept_unknown, ornd_tls_t *t);

/* The UTC date and time of `t` seconds since 1970-01-01 (proleptic
 * Gregorian), as gmtime_r() gives it: the members tm_year to tm_sec, tm_wday
 * and tm_yday (the others are left as they are). `t` is taken as 0 when
 * negative and as 2^38 - 1 (the year 10680) when larger: certificate dates
 * end at 9999. No 64-bit division. */
void ornd__utc_from_unix(int64_t t, struct tm *out);

#endif /* ORND_WALL_CLOCK_H */
