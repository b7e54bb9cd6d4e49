/* mps2-an386 port: SysTick clock, placeholder entropy, no network. */
#include "port_mps2.h"

#include "ornd/error.h"

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define CPU_HZ 25000000u /* MPS2 SYSCLK */

void SysTick_Handler(void);

static volatile uint32_t ticks_ms;

void SysTick_Handler(void)
{
    ticks_ms++;
}

uint32_t mps2_now_ms(void)
{
    return ticks_ms;
}

static uint32_t now_ms(void *ctx)
{
    (void)ctx;
    return ticks_ms;
}

static int net_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    (void)ctx;
    (void)host;
    (void)port;
    (void)timeout_ms;
    return ORND_ERR_CONNECT; /* no network driver on this board */
}

static int net_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return ORND_ERR_NET;
}

static int net_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms)
{
    (void)ctx;
    (void)buf;
    (void)len;
    (void)timeout_ms;
    return ORND_ERR_NET;
}

static void net_close(void *ctx)
{
    (void)ctx;
}

/* PLACEHOLDER, NOT SECURE: xorshift64 stirred with SysTick counter values.
 * Predictable; replace with a TRNG on real hardware. */
static int insecure_entropy(void *ctx, uint8_t *buf, size_t len)
{
    static uint64_t s = 0x9E3779B97F4A7C15ull;
    (void)ctx;
    for (size_t i = 0; i < len; i++) {
        s ^= (uint64_t)SYST_CVR << 17 ^ ticks_ms;
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        buf[i] = (uint8_t)(s >> 32);
    }
    return ORND_OK;
}

void mps2_clock_start(void)
{
    SYST_RVR = CPU_HZ / 1000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* processor clock, interrupt, enable */
}

void mps2_port(ornd_port_t *port)
{
    mps2_clock_start();
    *port = (ornd_port_t){
        .ctx = NULL,
        .net_connect = net_connect,
        .net_send = net_send,
        .net_recv = net_recv,
        .net_close = net_close,
        .now_ms = now_ms,
        .entropy = insecure_entropy,
    };
}
