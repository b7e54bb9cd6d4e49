/*
 * A minimal ornd-lite port for the mps2-an386 board: a millisecond clock
 * from SysTick and a PLACEHOLDER entropy source. There is no network driver:
 * connect fails with ORND_ERR_CONNECT.
 *
 * The entropy here is NOT secure (QEMU's MPS2 has no TRNG): it mixes SysTick
 * readings into a xorshift generator, which an attacker can predict. It
 * exists so that the TLS stack can be initialised and exercised on the
 * board. A real firmware must supply a hardware TRNG (or a DRBG seeded from
 * one) in ornd_port_t.entropy.
 */
#ifndef MPS2_PORT_H
#define MPS2_PORT_H

#include "ornd/port.h"

/* Start SysTick (1 ms) and fill `port` with this board's functions. */
void mps2_port(ornd_port_t *port);

/* Start SysTick (1 ms interrupts) alone, for firmware with its own port
 * (the network firmware uses port/lwip's raw-API port). */
void mps2_clock_start(void);

/* Milliseconds since the clock was started. */
uint32_t mps2_now_ms(void);

#endif
