/* SPDX-License-Identifier: MIT */
/*
 * The process-wide mbedTLS set-up of ornd/tls_setup.h (src/tls_setup.c,
 * src/tls_time.c) in a process of its own, so that the state before the
 * static pool is taken can be seen: the pool's statistics before and after
 * it is in use, a second call refused, PSA's randomness drawn from the
 * platform (and refused without one, or when its entropy fails), and the
 * platform clock opt-in against an mbedTLS that has no
 * mbedtls_platform_set_time() (the host's configuration).
 *
 * The tests run in order: the first sees the process as it starts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/build_info.h>
#include <psa/crypto.h>

#include "ornd/core/tls.h"
#include "ornd/error.h"
#include "ornd/tls_setup.h"
#include "test_pki.h"
#include "ornd_posix.h"


static uint8_t ca_pem[16384];
static size_t ca_pem_len;

/* A platform whose entropy is a pattern, or fails. */
static unsigned draws;
static bool entropy_fails;

static ornd_err_t pattern_entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    draws++;
    if (entropy_fails) {
        return ORND_ERR_ENTROPY;
    }
    memset(buf, 0xA5, len);
    return ORND_OK;
}

static uint32_t zero_ms(void *ctx)
{
    (void)ctx;
    return 0;
}

static const ornd_platform_t pattern = {.now_ms = zero_ms, .entropy = pattern_entropy};

static int setup_all(void **state)
{
    (void)state;
    ca_pem_len = test_pki_ca("test_tls_setup", ca_pem, sizeof ca_pem);
    return ca_pem_len == 0 ? -1 : 0;
}

/* ---- tests, in this order ------------------------------------------------------ */

static void pool_statistics_are_zero_before_the_pool_is_taken(void **state)
{
    (void)state;
    size_t now = 1, peak = 1;
    assert_int_equal(ornd_tls_pool_usage(&now, &peak), ORND_OK);
    assert_int_equal(now, 0);
    assert_int_equal(peak, 0);
}

static void static_pool_is_taken_once(void **state)
{
    (void)state;
    assert_int_equal(ornd_tls_use_static_pool(), ORND_OK);
    assert_int_equal(ornd_tls_use_static_pool(), ORND_ERR_STATE); /* once per program */
}

static void pool_counts_what_mbedtls_holds(void **state)
{
    (void)state;
    assert_int_equal(ornd_tls_use_platform_rng(&pattern), ORND_OK);
    size_t before = 0, peak = 0, now = 0;
    assert_int_equal(ornd_tls_pool_usage(&before, &peak), ORND_OK);
    ornd_tls_conf_t conf;
    assert_int_equal(ornd_tls_conf_init(&conf, ca_pem, ca_pem_len), ORND_OK);
    assert_int_equal(ornd_tls_pool_usage(&now, &peak), ORND_OK);
    assert_true(now > before); /* the parsed CA certificate is in the pool */
    assert_true(peak >= now);
    ornd_tls_conf_free(&conf);
    assert_int_equal(ornd_tls_pool_usage(&now, &peak), ORND_OK);
    assert_int_equal(now, before);
}

static void psa_draws_from_the_platform(void **state)
{
    (void)state;
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    assert_int_equal(ornd_tls_use_platform_rng(&pattern), ORND_OK);
    entropy_fails = false;
    draws = 0;
    uint8_t out[48];
    memset(out, 0, sizeof out);
    assert_int_equal(psa_generate_random(out, sizeof out), PSA_SUCCESS);
    assert_true(draws >= 1);
    for (size_t i = 0; i < sizeof out; i++) {
        assert_int_equal(out[i], 0xA5);
    }
}

static void psa_draw_fails_with_the_platform_entropy(void **state)
{
    (void)state;
    uint8_t out[16];
    entropy_fails = true;
    draws = 0;
    assert_int_equal(psa_generate_random(out, sizeof out), PSA_ERROR_INSUFFICIENT_ENTROPY);
    assert_true(draws >= 1);
    entropy_fails = false;
    assert_int_equal(psa_generate_random(out, sizeof out), PSA_SUCCESS);
}

static void platform_rng_withdrawn_or_incomplete(void **state)
{
    (void)state;
    uint8_t out[16];
    /* withdrawn: PSA has nothing to draw from */
    assert_int_equal(ornd_tls_use_platform_rng(NULL), ORND_OK);
    assert_int_equal(psa_generate_random(out, sizeof out), PSA_ERROR_INSUFFICIENT_ENTROPY);
    /* a platform without entropy is refused, and the one in use is kept */
    assert_int_equal(ornd_tls_use_platform_rng(&pattern), ORND_OK);
    ornd_platform_t none = pattern;
    none.entropy = NULL;
    assert_int_equal(ornd_tls_use_platform_rng(&none), ORND_ERR_ARG);
    draws = 0;
    assert_int_equal(psa_generate_random(out, sizeof out), PSA_SUCCESS);
    assert_true(draws >= 1);
}

static void platform_time_needs_mbedtls_set_time(void **state)
{
    (void)state;
    ornd_posix_platform_t sys;
    ornd_platform_t platform;
    assert_int_equal(ornd_posix_platform(&platform, &sys), ORND_OK);
#if defined(MBEDTLS_HAVE_TIME) && defined(MBEDTLS_PLATFORM_TIME_ALT)
    assert_int_equal(ornd_tls_use_platform_time(&platform), ORND_OK);
    assert_int_equal(ornd_tls_use_platform_time(NULL), ORND_OK);
#else
    /* the host's mbedTLS reads the C library's clock: nothing to set */
    assert_int_equal(ornd_tls_use_platform_time(&platform), ORND_ERR_TLS_SETUP);
    assert_int_equal(ornd_tls_use_platform_time(NULL), ORND_ERR_TLS_SETUP);
#endif
    ornd_posix_platform_release(&sys);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool_statistics_are_zero_before_the_pool_is_taken),
        cmocka_unit_test(static_pool_is_taken_once),
        cmocka_unit_test(pool_counts_what_mbedtls_holds),
        cmocka_unit_test(psa_draws_from_the_platform),
        cmocka_unit_test(psa_draw_fails_with_the_platform_entropy),
        cmocka_unit_test(platform_rng_withdrawn_or_incomplete),
        cmocka_unit_test(platform_time_needs_mbedtls_set_time),
    };
    return cmocka_run_group_tests(tests, setup_all, NULL);
}
