/* SPDX-License-Identifier: MIT */
/* Opt-in, process-wide: mbedTLS's own clock from the platform (see
 * ornd/tls_setup.h, ornd_tls_use_platform_time()). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <mbedtls/build_info.h>
#include <mbedtls/platform_time.h>
#include <mbedtls/platform_util.h>
#if defined(MBEDTLS_PLATFORM_TIME_ALT)
#include <mbedtls/platform.h>
#endif

#include "ornd/tls_setup.h"
#include "wall_clock.h"

#if defined(MBEDTLS_HAVE_TIME) && defined(MBEDTLS_PLATFORM_TIME_ALT)

/* Named by the program, never taken from a client: it is the program's to
 * keep alive (ornd/tls_setup.h). */
static const ornd_platform_t *time_platform;

/* mbedtls_time(): the platform's wall clock; 0 (1970) while it does not know
 * the time, so that every certificate is "not yet valid" rather than valid. */
static mbedtls_time_t platform_time(mbedtls_time_t *out)
{
    int64_t now;
    (void)ornd__wall_clock(time_platform, &now);
    if (out != NULL) {
        *out = (mbedtls_time_t)now;
    }
    return (mbedtls_time_t)now;
}

ornd_err_t ornd_tls_use_platform_time(const ornd_platform_t *platform)
{
    if (platform != NULL && platform->now_ms == NULL) {
        return ORND_ERR_ARG;
    }
    time_platform = platform;
    (void)mbedtls_platform_set_time(platform_time);
    return ORND_OK;
}

#if ORND_CONFIG_TLS_TIME_HOOK && defined(MBEDTLS_PLATFORM_MS_TIME_ALT)

/* mbedtls_ms_time(): monotonic milliseconds (TLS 1.3 ticket ages), the
 * platform's 32-bit clock carried on past its wrap. Single-threaded use,
 * as mbedTLS's one-program set-up here is. */
mbedtls_ms_time_t mbedtls_ms_time(void)
{
    static uint32_t last;
    static int64_t high;
    const ornd_platform_t *p = time_platform;
    if (p == NULL) {
        return 0;
    }
    uint32_t now = p->now_ms(p->ctx);
    if (now < last) {
        high += (int64_t)1 << 32;
    }
    last = now;
    return (mbedtls_ms_time_t)(high + now);
}

#endif

#if ORND_CONFIG_TLS_TIME_HOOK && defined(MBEDTLS_HAVE_TIME_DATE) &&                                \
    defined(MBEDTLS_PLATFORM_GMTIME_R_ALT)

/* mbedtls_platform_gmtime_r(): UTC calendar time of *tt, for mbedTLS's
 * certificate date checks, with no C library clock or time zone. */
struct tm *mbedtls_platform_gmtime_r(const mbedtls_time_t *tt, struct tm *tm_buf)
{
    memset(tm_buf, 0, sizeof *tm_buf);
    ornd__utc_from_unix((int64_t)*tt, tm_buf); /* mbedtls_time() above: 0 or later */
    return tm_buf;
}

#endif

#else /* no mbedtls_platform_set_time() */

ornd_err_t ornd_tls_use_platform_time(const ornd_platform_t *platform)
{
    (void)platform;
    return ORND_ERR_TLS_SETUP;
}

#endif
