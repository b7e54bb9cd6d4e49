/* SPDX-License-Identifier: MIT */
/*
 * An application compiled with other settings than the library: the build
 * gives it -DORND_CONFIG_TOKEN_MAX=1024u (the library has the default), and
 * no mbedTLS include path at all, so this file also proves that the public
 * headers need none. The library must refuse its structs with ORND_ERR_ABI
 * and write nothing into them. abi_peer.c is compiled with the library's
 * settings and shows that the same calls get past the check there.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/ornd.h"

#include "abi_peer.h"

#if ORND_CONFIG_TOKEN_MAX != 1024u
#error "test_abi.c must be built with -DORND_CONFIG_TOKEN_MAX=1024u"
#endif

/* The struct under test with a guard after it, all filled with a pattern:
 * a library that wrote its own idea of the struct would overwrite it. */
static struct {
    ornd_client_t client;
    uint8_t guard[4096];
} c_area;
static struct {
    ornd_api_t api;
    uint8_t guard[4096];
} a_area;

static bool all_bytes(const void *p, size_t n, uint8_t v)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != v) {
            return false;
        }
    }
    return true;
}

static void client_of_other_settings_is_refused(void **state)
{
    (void)state;
    memset(&c_area, 0xA5, sizeof c_area);
    memset(&c_area.client, 0, sizeof c_area.client);
    ornd_settings_t s = {.client_id = "id", .client_secret = "secret"};
    assert_int_equal(ornd_client_init(&c_area.client, &s), ORND_ERR_ABI);
    assert_true(all_bytes(&c_area.client, sizeof c_area.client, 0));
    assert_true(all_bytes(c_area.guard, sizeof c_area.guard, 0xA5));
    assert_string_equal(ornd_errname(ORND_ERR_ABI), "ORND_ERR_ABI");
    assert_int_equal(ornd_err_class(ORND_ERR_ABI), ORND_CLASS_CONFIG);
}

static void api_of_other_settings_is_refused(void **state)
{
    (void)state;
    memset(&a_area, 0xA5, sizeof a_area);
    memset(&a_area.api, 0, sizeof a_area.api);
    ornd_api_settings_t as = {.client = &c_area.client};
    assert_int_equal(ornd_api_init(&a_area.api, &as), ORND_ERR_ABI);
    assert_true(all_bytes(&a_area.api, sizeof a_area.api, 0));
    assert_true(all_bytes(a_area.guard, sizeof a_area.guard, 0xA5));
}

static void same_settings_pass_the_check(void **state)
{
    (void)state;
    /* the peer's settings are incomplete on purpose: the check passes and
     * the next one refuses them */
    assert_int_equal(abi_peer_client_init(), ORND_ERR_ARG);
    assert_int_equal(abi_peer_api_init(), ORND_ERR_ARG);
    assert_true(abi_peer_client_size() != sizeof(ornd_client_t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(client_of_other_settings_is_refused),
        cmocka_unit_test(api_of_other_settings_is_refused),
        cmocka_unit_test(same_settings_pass_the_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
