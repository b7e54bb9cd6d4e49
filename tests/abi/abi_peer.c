/* SPDX-License-Identifier: MIT */
/* The counterpart of test_abi.c, built with the library's settings. */
#include "abi_peer.h"

#include "ornd/ornd.h"
#include "ornd/tls_setup.h"

static ornd_client_t client;
static ornd_api_t api;

ornd_err_t abi_peer_client_init(void)
{
    /* as every program on the host's mbedTLS configuration (PSA's RNG from
     * the platform) does; none is named: nothing here draws randomness */
    (void)ornd_tls_use_platform_rng(NULL);
    ornd_settings_t s = {.client_id = "id", .client_secret = "secret"};
    return ornd_client_init(&client, &s);
}

ornd_err_t abi_peer_api_init(void)
{
    ornd_api_settings_t as = {.client = &client};
    return ornd_api_init(&api, &as);
}

size_t abi_peer_client_size(void)
{
    return sizeof client;
}
