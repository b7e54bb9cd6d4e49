/* Cortex-M4 link probe for `make bench`: the smallest firmware that gets a
 * token header. Linked with --gc-sections, the library sections it keeps are
 * the token path's footprint. The port functions here are stand-ins (a real
 * board has its own port); their code is not counted as the library's. */
#include <stdint.h>

#include "ornd/client.h"

static int p_connect(void *ctx, const char *host, uint16_t port, uint32_t t)
{
    (void)ctx; (void)host; (void)port; (void)t;
    return ORND_ERR_CONNECT;
}
static int p_send(void *ctx, const uint8_t *buf, size_t len, uint32_t t)
{
    (void)ctx; (void)buf; (void)t;
    return (int)len;
}
static int p_recv(void *ctx, uint8_t *buf, size_t len, uint32_t t)
{
    (void)ctx; (void)buf; (void)len; (void)t;
    return 0;
}
static void p_close(void *ctx) { (void)ctx; }
static volatile uint32_t ticks;
static uint32_t p_now(void *ctx) { (void)ctx; return ticks; }
static int p_entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)ticks;
    return ORND_OK;
}

static ornd_port_t port = {
    .net_connect = p_connect, .net_send = p_send, .net_recv = p_recv,
    .net_close = p_close, .now_ms = p_now, .entropy = p_entropy,
};
static ornd_client_t client;
extern const uint8_t ca_pem[];
const uint8_t ca_pem[] = "-----BEGIN CERTIFICATE-----\n";
volatile int sink;

int main(void)
{
    ornd_settings_t s = {
        .port = &port, .client_id = "id", .client_secret = "secret",
        .scope = "flex.community.members.read", .ca = ca_pem, .ca_len = sizeof ca_pem,
    };
    static char hdr[ORND_AUTH_HEADER_MAX];
    int rc = ornd_client_init(&client, &s);
    if (rc == ORND_OK) {
        rc = ornd_auth_header(&client, hdr, sizeof hdr, NULL);
    }
    sink = rc;
    ornd_client_release(&client);
    return 0;
}
