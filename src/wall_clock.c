/* SPDX-License-Identifier: MIT */
/* The wall clock before a connection (refuse, or go on without dates when
 * the INSECURE opt-in says so), and the calendar of certificate dates. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "wall_clock.h"

#include "ornd/config.h"

bool ornd__wall_clock(const ornd_platform_t *p, int64_t *now)
{
    *now = 0;
    if (p != NULL && p->unix_time != NULL && p->unix_time(p->ctx, now) == ORND_OK &&
        *now >= (int64_t)ORND_CONFIG_MIN_UNIX_TIME) {
        return true;
    }
    *now = 0;
    return false;
}

ornd_err_t ornd__connection_time(const ornd_platform_t *p, bool accept_unknown, ornd_tls_t *t)
{
    /* The clock's reading as ornd_tls_set_time() gives it (NULL for
     * unknown), stored here: the two fields both TLS layers read, the
     * seconds 0 while unknown. A refused connection is not opened, and the
     * next one reads the clock again before it is. */
    t->time_known = ornd__wall_clock(p, &t->unix_time);
    if (!t->time_known && !accept_unknown) {
        return ORND_ERR_TIME_UNKNOWN; /* certificate dates could not be checked */
    }
    return ORND_OK;
}

/*
 * Days are counted from 0000-03-01, so that the leap day is the last day of
 * a counted year and the months March to February of the next year follow
 * a fixed pattern; the year, the day of the year and the month and day are
 * then taken with multiplications and shifts in place of most divisions
 * (Neri and Schneider, "Euclidean affine functions and their application to
 * calendar algorithms", 2022). All in 32 bits but for one 32 x 32 -> 64
 * multiplication: the seconds are divided by 86400 as (t >> 7) / 675, so no
 * 64-bit division is needed.
 */
#define SECONDS_BITS 38 /* 2^38 seconds: past the year 10000 */
#define DAYS_0000_03_01_TO_1970 719468u

void ornd__utc_from_unix(int64_t t, struct tm *out)
{
    if ((uint64_t)t >> SECONDS_BITS != 0u) { /* negative, or too large */
        t = t < 0 ? 0 : ((int64_t)1 << SECONDS_BITS) - 1;
    }
    const uint32_t days = (uint32_t)(t >> 7) / 675u;
    const uint32_t secs = (uint32_t)t - days * 86400u; /* 0..86399: modulo 2^32 is exact */
    /* Counted in quarter days (4 * days + 3), a century is 146097 of them
     * (400 years are 146097 days) and a year 1461. 2939745 / 2^32 is
     * 1 / 1461 closely enough that the high half of the product with the
     * quarter days into the century is the year of the century, and its
     * low half, divided by 4 * 2939745, the day of that year. */
    const uint32_t n1 = 4u * (days + DAYS_0000_03_01_TO_1970) + 3u;
    const uint32_t century = n1 / 146097u;
    const uint64_t p2 = (uint64_t)2939745u * ((n1 % 146097u) | 3u);
    const uint32_t yoc = (uint32_t)(p2 >> 32);           /* year of the century */
    const uint32_t doy = (uint32_t)p2 / (4u * 2939745u); /* from March 1, 0..365 */
    /* Likewise 2141 / 2^16 is 1 / 30.6, the mean length of the months from
     * March: the high half is the month counted from January (2 March .. 13
     * February of the next year), the low half divided by 2141 the day. */
    const uint32_t n3 = 2141u * doy + 132377u;
    const uint32_t mon = n3 >> 16;
    const bool jan_feb = mon > 11u;
    /* Years that divide by 4 are leap years, those that divide by 100 (the
     * year of the century 0) only when they also divide by 400 (the century
     * divides by 4). From March on, the year's leap day is behind. */
    const uint32_t by4 = yoc != 0u ? yoc : century;
    const bool leap = (by4 & 3u) == 0u;
    out->tm_year = (int)(100u * century + yoc + (jan_feb ? 1u : 0u)) - 1900;
    out->tm_mon = (int)(jan_feb ? mon - 12u : mon);
    out->tm_mday = (int)((n3 & 0xffffu) / 2141u + 1u);
    out->tm_yday = (int)(jan_feb ? doy - 306u : doy + 59u + (leap ? 1u : 0u));
    out->tm_wday = (int)((days + 4u) % 7u); /* 1970-01-01 was a Thursday */
    /* the minutes of the day once: the seconds, hours and minutes from them */
    const uint32_t mins = secs / 60u;
    out->tm_sec = (int)(secs - mins * 60u);
    out->tm_hour = (int)(mins / 60u);
    out->tm_min = (int)(mins % 60u);
}
