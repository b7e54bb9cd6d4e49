/* SPDX-License-Identifier: MIT */
/* The wall clock before a connection (refuse, or go on without dates when
 * the INSECURE opt-in says so), and calendar arithmetic for dates. */
#include "wall_clock.h"

#include "ornd/config.h"

ornd_err_t ornd__connection_time(const ornd_platform_t *p, bool accept_unknown, ornd_tls_t *t)
{
    int64_t now = 0;
    bool known = p->unix_time != NULL && p->unix_time(p->ctx, &now) == ORND_OK &&
                 now >= (int64_t)ORND_CONFIG_MIN_UNIX_TIME;
    if (!known && !accept_unknown) {
        return ORND_ERR_TIME_UNKNOWN; /* certificate dates could not be checked */
    }
    ornd_tls_set_time(t, known ? &now : NULL);
    return ORND_OK;
}

static bool leap_year(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 0001-01-01 to the first of January of `year` (>= 1). */
static int64_t days_before_year(int64_t year)
{
    int64_t y = year - 1;
    return 365 * y + y / 4 - y / 100 + y / 400;
}

#define DAYS_0001_TO_1970 719162 /* days_before_year(1970) */

/* Days of the year before the first of each month, in a common year. */
static const uint16_t month_start[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};

int64_t ornd__days_from_civil(int64_t year, unsigned month, unsigned day)
{
    unsigned m = month >= 1u && month <= 12u ? month - 1u : 0u;
    int64_t days = days_before_year(year) - DAYS_0001_TO_1970 + month_start[m] + day - 1;
    return days + (m >= 2u && leap_year(year) ? 1 : 0);
}

void ornd__civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day,
                           unsigned *yday)
{
    /* a year has at most 366 days: start at or below the year, step up */
    int64_t y = 1970 + (days >= 0 ? days / 366 : (days - 365) / 365);
    while (ornd__days_from_civil(y + 1, 1u, 1u) <= days) {
        y++;
    }
    unsigned doy = (unsigned)(days - ornd__days_from_civil(y, 1u, 1u));
    unsigned m = 11u;
    while (m > 0u && doy < month_start[m] + (m >= 2u && leap_year(y) ? 1u : 0u)) {
        m--;
    }
    *year = y;
    *month = m + 1u;
    *day = doy - month_start[m] - (m >= 2u && leap_year(y) ? 1u : 0u) + 1u;
    *yday = doy;
}
