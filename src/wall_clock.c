/* SPDX-License-Identifier: MIT */
/* The wall clock before a connection (refuse, or go on without dates when
 * the INSECURE opt-in says so), and the calendar of certificate dates. */
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

/*
 * Days are counted in 400-year cycles of 146097 days from 0000-03-01, so
 * that the leap day is the last day of a counted year and every month but
 * February has a fixed place: the months March to January-of-next-year are
 * 153 days per five months. All in 32 bits: the seconds are divided by
 * 86400 as (t >> 7) / 675, so no 64-bit division is needed.
 */
#define SECONDS_MAX (((int64_t)1 << 38) - 1) /* past the year 10000 */
#define DAYS_0000_03_01_TO_1970 719468u

void ornd__utc_from_unix(int64_t t, ornd_utc_t *out)
{
    const int64_t s = t < 0 ? 0 : t > SECONDS_MAX ? SECONDS_MAX : t;
    const uint32_t days = (uint32_t)(s >> 7) / 675u;
    uint32_t secs = (uint32_t)(s - (int64_t)days * 86400);
    const uint32_t z = days + DAYS_0000_03_01_TO_1970;
    const uint32_t era = z / 146097u;
    const uint32_t doe = z - era * 146097u;                                         /* 0..146096 */
    const uint32_t yoe = (doe - doe / 1460u + doe / 36524u - doe / 146096u) / 365u; /* 0..399 */
    const uint32_t doy = doe - (365u * yoe + yoe / 4u - yoe / 100u); /* from March 1, 0..365 */
    const uint32_t mp = (5u * doy + 2u) / 153u;                      /* March = 0 */
    const uint32_t year = era * 400u + yoe + (mp >= 10u ? 1u : 0u);
    const bool leap = (year % 4u == 0u && year % 100u != 0u) || year % 400u == 0u;
    out->year = (int)year;
    out->mon = (int)(mp < 10u ? mp + 3u : mp - 9u);
    out->day = (int)(doy - (153u * mp + 2u) / 5u + 1u);
    out->yday = (int)(mp >= 10u ? doy - 306u : doy + 59u + (leap ? 1u : 0u));
    out->wday = (int)((days + 4u) % 7u); /* 1970-01-01 was a Thursday */
    out->hour = (int)(secs / 3600u);
    secs %= 3600u;
    out->min = (int)(secs / 60u);
    out->sec = (int)(secs % 60u);
}
