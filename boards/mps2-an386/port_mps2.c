/* SPDX-License-Identifier: MIT */
/* mps2-an386 placeholder platform of the offline firmware.elf: SysTick
 * clock, PLACEHOLDER entropy; a transport without network. Never linked
 * into the network firmware (netfw.elf), which must not use this entropy. */
#include "port_mps2.h"

#include <stddef.h>

#include "ornd/error.h"

#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

static uint32_t now_ms(void *ctx)
{
    (void)ctx;
    return mps2_now_ms();
}

/* PLACEHOLDER, NOT SECURE: xorshift64 stirred with SysTick counter values.
 * Predictable; replace with a TRNG on real hardware. */
static ornd_err_t insecure_entropy(void *ctx, uint8_t *buf, size_t len)
{
    static uint64_t s = 0x9E3779B97F4A7C15ull;
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        s ^= (uint64_t)SYST_CVR << 17 ^ mps2_now_ms();
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        buf[i] = (uint8_t)(s >> 32);
    }
    return ORND_OK;
}

ornd_err_t mps2_platform(ornd_platform_t *p)
{
    if (p == NULL) {
        return ORND_ERR_ARG;
    }
    mps2_clock_start();
    *p = (ornd_platform_t){
        .ctx = NULL,
        .now_ms = now_ms,
        .entropy = insecure_entropy,
        .lock = NULL, /* one thread */
        .unlock = NULL,
        .unix_time = NULL, /* no RTC */
    };
    return ORND_OK;
}

/* ---- no network ------------------------------------------------------------ */

static ornd_err_t no_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    (void)ctx;
    (void)host;
    (void)port;
    (void)timeout_ms;
    return ORND_ERR_CONNECT; /* no network driver on this board */
}

static ornd_err_t no_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms,
                          size_t *sent)
{
    (void)ctx;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    *sent = 0;
    return ORND_ERR_NET;
}

static ornd_err_t no_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms,
                          size_t *received)
{
    (void)ctx;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    *received = 0;
    return ORND_ERR_NET;
}

static void no_close(void *ctx)
{
    (void)ctx;
}

ornd_err_t mps2_no_network(ornd_transport_t *t)
{
    if (t == NULL) {
        return ORND_ERR_ARG;
    }
    *t = (ornd_transport_t){
        .ctx = NULL,
        .connect = no_connect,
        .connect_start = NULL, /* blocking calls only */
        .send = no_send,
        .recv = no_recv,
        .close = no_close,
    };
    return ORND_OK;
}
