/* SPDX-License-Identifier: MIT */
/*
 * Process-wide mbedTLS set-up, for firmware that has none of its own.
 *
 * By default ornd-lite uses mbedTLS as the program configured it: mbedTLS's
 * own allocator (calloc/free, or whatever the firmware installed with
 * mbedtls_platform_set_calloc_free()) and PSA's randomness as the firmware
 * provides it (its entropy sources, or its own
 * mbedtls_psa_external_get_random()). ornd_tls_conf_init() calls
 * psa_crypto_init(), which does nothing when PSA is already up. Firmware
 * that uses mbedTLS for Wi-Fi, OTA or MQTT needs nothing from this header.
 *
 * Firmware whose only mbedTLS user is ornd-lite may opt into either of:
 *
 *   ornd_tls_use_static_pool()   mbedTLS allocates from one static pool of
 *       ORND_CONFIG_TLS_POOL_SIZE bytes inside the library (no heap at all).
 *       Needs MBEDTLS_MEMORY_BUFFER_ALLOC_C. Call it once, before anything
 *       in the program uses mbedTLS (memory allocated before would be freed
 *       into the wrong heap). Its peak is ornd_tls_pool_usage()'s.
 *
 *   ornd_tls_use_platform_rng()  PSA draws its randomness from the
 *       platform's entropy member. Needs MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG and
 *       the library built with ORND_CONFIG_TLS_RNG_HOOK 1, which makes the
 *       library define mbedtls_psa_external_get_random() (leave it 0 on a
 *       platform whose mbedTLS already defines it, e.g. Zephyr or NuttX).
 *       The platform must outlive every TLS use; call before the first
 *       ornd_client_init(). NULL withdraws it (PSA then fails to draw).
 *
 *   ornd_tls_use_platform_time() mbedTLS's own clock (mbedtls_time(),
 *       which it reads for certificate dates with MBEDTLS_HAVE_TIME_DATE) is
 *       the platform's unix_time; 0 (1970: every certificate "not yet
 *       valid") while that does not know the time. Needs
 *       MBEDTLS_PLATFORM_TIME_ALT (mbedtls_platform_set_time()). A firmware
 *       without a C library clock also sets MBEDTLS_PLATFORM_MS_TIME_ALT and
 *       MBEDTLS_PLATFORM_GMTIME_R_ALT and builds the library with
 *       ORND_CONFIG_TLS_TIME_HOOK 1: the library then defines
 *       mbedtls_ms_time() (from the platform's now_ms) and
 *       mbedtls_platform_gmtime_r(), in the object of this function, so
 *       that a firmware that calls it links them. The platform must outlive
 *       every TLS use. NULL withdraws it (mbedtls_time() then says 1970).
 *
 * Without it the dates are still checked: every connection checks each
 * certificate of the chain against the platform's unix_time read when it
 * opens (ornd/client.h: a connection without a known time is refused). The
 * opt-in lets mbedTLS's own checks, and its choice among candidate issuers,
 * use the same clock.
 *
 * The boards opt into all three, the host tool into the first two (its
 * mbedTLS reads the C library's clock).
 */
#ifndef ORND_TLS_SETUP_H
#define ORND_TLS_SETUP_H

#include <stddef.h>

#include "ornd/config.h"
#include "ornd/error.h"
#include "ornd/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ORND_OK, ORND_ERR_STATE when called a second time, ORND_ERR_TLS_SETUP when
 * mbedTLS is built without MBEDTLS_MEMORY_BUFFER_ALLOC_C. */
ornd_err_t ornd_tls_use_static_pool(void);

/* ORND_OK, ORND_ERR_TLS_SETUP when the library is built without the hook
 * (ORND_CONFIG_TLS_RNG_HOOK 0 or no MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG),
 * ORND_ERR_ARG when the platform has no entropy member. */
ornd_err_t ornd_tls_use_platform_rng(const ornd_platform_t *platform);

/* ORND_OK, ORND_ERR_TLS_SETUP when mbedTLS is built without
 * MBEDTLS_HAVE_TIME and MBEDTLS_PLATFORM_TIME_ALT, ORND_ERR_ARG when the
 * platform has no now_ms. */
ornd_err_t ornd_tls_use_platform_time(const ornd_platform_t *platform);

/* Bytes of the static pool in use now and at most so far. Both 0 when the
 * static pool is not in use; ORND_ERR_TLS_SETUP (and 0) when the pool's
 * statistics are not compiled in (MBEDTLS_MEMORY_DEBUG), so that "not
 * measured" is not mistaken for "nothing used". */
ornd_err_t ornd_tls_pool_usage(size_t *now, size_t *peak);

#ifdef __cplusplus
}
#endif

#endif /* ORND_TLS_SETUP_H */
