/* SPDX-License-Identifier: MIT */
/* Opt-in, process-wide mbedTLS set-up: a static pool and PSA's RNG from the
 * platform (see ornd/tls_setup.h for when a program wants them). */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/tls_setup.h"

#include <stdbool.h>
#include <stdint.h>

#include <mbedtls/build_info.h>
#if defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
#include <mbedtls/memory_buffer_alloc.h>
#endif
#include <psa/crypto.h>

#if defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
static unsigned char tls_pool[ORND_CONFIG_TLS_POOL_SIZE];
static bool pool_in_use;
#endif

ornd_err_t ornd_tls_use_static_pool(void)
{
#if defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
    if (pool_in_use) {
        return ORND_ERR_STATE;
    }
    mbedtls_memory_buffer_alloc_init(tls_pool, sizeof tls_pool);
    pool_in_use = true;
    return ORND_OK;
#else
    return ORND_ERR_TLS_SETUP;
#endif
}

ornd_err_t ornd_tls_pool_usage(size_t *now, size_t *peak)
{
    *now = 0;
    *peak = 0;
#if defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C) && defined(MBEDTLS_MEMORY_DEBUG)
    if (pool_in_use) {
        size_t blocks;
        mbedtls_memory_buffer_alloc_cur_get(now, &blocks);
        mbedtls_memory_buffer_alloc_max_get(peak, &blocks);
    }
    return ORND_OK;
#else
    return ORND_ERR_TLS_SETUP;
#endif
}

#if ORND_CONFIG_TLS_RNG_HOOK && defined(MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG)

/* Named by the program, never taken from a client: it is the program's to
 * keep alive (ornd/tls_setup.h). */
static const ornd_platform_t *rng_platform;

/* PSA crypto draws all its randomness here (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG). */
psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *context,
                                             uint8_t *output, size_t output_size,
                                             size_t *output_length);
psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *context,
                                             uint8_t *output, size_t output_size,
                                             size_t *output_length)
{
    (void)context;
    const ornd_platform_t *p = rng_platform;
    const bool drawn = p != NULL && p->entropy(p->ctx, output, output_size) == ORND_OK;
    *output_length = drawn ? output_size : 0;
    return drawn ? PSA_SUCCESS : PSA_ERROR_INSUFFICIENT_ENTROPY;
}

ornd_err_t ornd_tls_use_platform_rng(const ornd_platform_t *platform)
{
    if (platform != NULL && platform->entropy == NULL) {
        return ORND_ERR_ARG;
    }
    rng_platform = platform;
    return ORND_OK;
}

#else

ornd_err_t ornd_tls_use_platform_rng(const ornd_platform_t *platform)
{
    (void)platform;
    return ORND_ERR_TLS_SETUP;
}

#endif
