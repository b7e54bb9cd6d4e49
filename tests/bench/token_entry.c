/* SPDX-License-Identifier: MIT */
/* Cortex-M4 link probe for `make bench`: the smallest firmware that gets a
 * token header. Linked with --gc-sections, the library sections it keeps are
 * the token path's footprint. The port functions here are stand-ins (a real
 * board has its own); their code is not counted as the library's. It opts
 * into the static pool, PSA's RNG and mbedTLS's clock from the platform, as
 * the boards do. */
#include <stdint.h>

#include "ornd/client.h"
#include "ornd/tls_setup.h"

static ornd_err_t p_connect(void *ctx, const char *host, uint16_t port, uint32_t t)
{
    (void)ctx; (void)host; (void)port; (void)t;
    return ORND_ERR_CONNECT;
}
static ornd_err_t p_send(void *ctx, const uint8_t *buf, size_t len, uint32_t t, size_t *n)
{
    (void)ctx; (void)buf; (void)t;
    *n = len;
    return ORND_OK;
}
static ornd_err_t p_recv(void *ctx, uint8_t *buf, size_t len, uint32_t t, size_t *n)
{
    (void)ctx; (void)buf; (void)len; (void)t;
    *n = 0;
    return ORND_ERR_CLOSED;
}
static void p_close(void *ctx) { (void)ctx; }
static volatile uint32_t ticks;
static uint32_t p_now(void *ctx) { (void)ctx; return ticks; }
static ornd_err_t p_entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)ticks;
    return ORND_OK;
}

static ornd_err_t p_unix_time(void *ctx, int64_t *s)
{
    (void)ctx;
    *s = 1767225600 + ticks / 1000u;
    return ORND_OK;
}

static const ornd_platform_t platform = {
    .now_ms = p_now, .entropy = p_entropy, .unix_time = p_unix_time};
static const ornd_transport_t transport = {
    .connect = p_connect, .send = p_send, .recv = p_recv, .close = p_close,
};
static ornd_client_t client;
extern const uint8_t ca_pem[];
const uint8_t ca_pem[] = "-----BEGIN CERTIFICATE-----\n";
volatile int sink;

int main(void)
{
    /* what a firmware whose only mbedTLS user is ornd-lite does */
    (void)ornd_tls_use_static_pool();
    (void)ornd_tls_use_platform_rng(&platform);
    (void)ornd_tls_use_platform_time(&platform);
    ornd_settings_t s = {
        .platform = &platform, .transport = &transport, .client_id = "id", .client_secret = "secret",
        .scope = "flex.community.members.read", .ca = ca_pem, .ca_len = sizeof ca_pem,
    };
    static char hdr[ORND_AUTH_HEADER_MAX];
    ornd_err_t rc = ornd_client_init(&client, &s);
    if (rc == ORND_OK) {
        rc = ornd_auth_header(&client, hdr, sizeof hdr, NULL);
    }
    sink = rc;
    ornd_client_release(&client);
    return 0;
}
