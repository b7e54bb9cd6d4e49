/* SPDX-License-Identifier: MIT */
/* The network firmware's wall clock: set by lwIP's SNTP client, run on from
 * the SysTick clock between answers (see wallclock.h). */
#include "wallclock.h"

#include <stddef.h>

#include "lwipopts.h" /* MPS2_SNTP_REFRESH_S */
#include "systick.h"

/* lwIP's SNTP seconds count from 2036-02-07 06:28:16 UTC (NTP era 1);
 * the era 0 times of today are negative. This many Unix seconds then. */
#define UNIX_AT_NTP_ERA1 2085978496

static const ornd_platform_t *nonce_platform;
static bool known;
static int64_t unix_ms_at_sync; /* the time the last answer gave */
static uint32_t tick_at_sync;   /* SysTick then */
static uint32_t syncs;
static uint32_t refresh_s = MPS2_SNTP_REFRESH_S;

void wallclock_init(const ornd_platform_t *entropy_from)
{
    nonce_platform = entropy_from;
}

void mps2_sntp_set_time(int32_t sec, uint32_t frac)
{
    uint32_t ms = (uint32_t)(((uint64_t)frac * 1000u) >> 32);
    unix_ms_at_sync = ((int64_t)sec + UNIX_AT_NTP_ERA1) * 1000 + ms;
    tick_at_sync = mps2_now_ms();
    known = true;
    syncs++;
}

/* The request's transmit timestamp, which the answer must echo as its
 * originate timestamp: random, so that it cannot be guessed. */
void mps2_sntp_request_stamp(int32_t *sec, uint32_t *frac)
{
    uint32_t r[2] = {mps2_now_ms(), 0x9e3779b9u};
    const ornd_platform_t *p = nonce_platform;
    if (p != NULL) {
        (void)p->entropy(p->ctx, (uint8_t *)r, sizeof r);
    }
    *sec = (int32_t)r[0];
    *frac = r[1];
}

ornd_err_t wallclock_unix_time(void *ctx, int64_t *seconds)
{
    (void)ctx;
    uint32_t age = mps2_now_ms() - tick_at_sync; /* wraps: below 2^32 ms */
    if (!known || age > WALLCLOCK_MAX_AGE_S * 1000u) {
        return ORND_ERR_TIME_UNKNOWN;
    }
    *seconds = (unix_ms_at_sync + age) / 1000;
    return ORND_OK;
}

uint32_t wallclock_syncs(void)
{
    return syncs;
}

void wallclock_set_refresh_s(uint32_t seconds)
{
    refresh_s = seconds < 15u ? 15u : seconds;
}

uint32_t mps2_sntp_refresh_ms(void)
{
    return refresh_s * 1000u;
}
