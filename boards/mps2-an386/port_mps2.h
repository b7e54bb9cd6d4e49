/* SPDX-License-Identifier: MIT */
/*
 * A minimal ornd-lite platform for the mps2-an386 board: a millisecond
 * clock from SysTick and a PLACEHOLDER entropy source; no lock (one thread)
 * and no wall clock (unix_time NULL: the board has no RTC). For firmware.elf
 * also a transport with no network: its connect fails with
 * ORND_ERR_CONNECT; it has no connect_start.
 *
 * The entropy here is NOT secure (QEMU's MPS2 has no TRNG): it mixes SysTick
 * readings into a xorshift generator, which an attacker can predict. It
 * exists so that the TLS stack can be initialised and exercised on the
 * board. A real firmware must supply a hardware TRNG (or a DRBG seeded from
 * one) as its platform's entropy. Only the offline firmware.elf links this
 * file: its transport has no network, so this entropy can never key a
 * connection (tests/stages/qemu.sh checks that it cannot connect,
 * tests/stages/qemu_net.sh that netfw.elf does not contain it).
 */
#ifndef MPS2_PORT_H
#define MPS2_PORT_H

#include "ornd/error.h"
#include "ornd/port.h"
#include "systick.h"

/* Start SysTick (1 ms) and fill `p` with this board's platform. ORND_OK;
 * ORND_ERR_ARG for NULL. */
ornd_err_t mps2_platform(ornd_platform_t *p);

/* Fill `t` with the transport of a board without network. ORND_OK;
 * ORND_ERR_ARG for NULL. */
ornd_err_t mps2_no_network(ornd_transport_t *t);

#endif
