/* SPDX-License-Identifier: MIT */
/*
 * The network firmware's wall clock (wallclock.c): set by lwIP's SNTP
 * client (apps/sntp, through the SNTP_SET_SYSTEM_TIME_NTP hook of
 * lwipopts.h), then run on from the SysTick millisecond clock. It knows the
 * time from the first SNTP answer on; lwIP asks again every
 * MPS2_SNTP_REFRESH_S (lwipopts.h; the device's configuration may set
 * another interval). Between answers it is as stale as the
 * tick's drift makes it (a crystal's 50-100 ppm: under 0.4 s an hour); when
 * no answer has come for WALLCLOCK_MAX_AGE_S it says the time is unknown
 * again, and ornd-lite then refuses to connect until an answer comes.
 *
 * SNTP is not authenticated: whoever can answer for the configured server
 * can set the clock, and with it which certificates count as current. The
 * answer must come from the configured address and port and echo the
 * random transmit timestamp of the request (SNTP_CHECK_RESPONSE 2), so an
 * off-path attacker must guess 64 random bits.
 */
#ifndef MPS2_WALLCLOCK_H
#define MPS2_WALLCLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "ornd/error.h"
#include "ornd/port.h"

/* Seconds without an SNTP answer after which the time counts as unknown
 * again (board configuration; below the tick's 49-day wrap). */
#ifndef WALLCLOCK_MAX_AGE_S
#define WALLCLOCK_MAX_AGE_S (7u * 24u * 3600u)
#endif

/* The platform whose entropy makes the SNTP requests' random transmit
 * timestamps; until set, they are not random. */
void wallclock_init(const ornd_platform_t *entropy_from);

/* The platform's unix_time member: ORND_OK with the seconds since 1970
 * UTC, or ORND_ERR_TIME_UNKNOWN before the first SNTP answer and after
 * WALLCLOCK_MAX_AGE_S without one. */
ornd_err_t wallclock_unix_time(void *ctx, int64_t *seconds);

/* SNTP answers taken since start-up. */
uint32_t wallclock_syncs(void);

/* The interval between SNTP requests once the time is known, seconds (at
 * least 15; MPS2_SNTP_REFRESH_S of lwipopts.h until set). */
void wallclock_set_refresh_s(uint32_t seconds);
uint32_t mps2_sntp_refresh_ms(void); /* lwIP's SNTP_UPDATE_DELAY */

/* lwIP's SNTP hooks (lwipopts.h): set the clock from an answer (seconds
 * since 2036-02-07 06:28:16 UTC as lwIP counts them, signed, and the
 * fraction in 2^-32 s); the transmit timestamp of a request. */
void mps2_sntp_set_time(int32_t sec, uint32_t frac);
void mps2_sntp_request_stamp(int32_t *sec, uint32_t *frac);

#endif
