/* SPDX-License-Identifier: MIT */
/*
 * SMSC LAN9118 Ethernet controller, as on the MPS2 boards (and QEMU's
 * mps2-an386, at 0x40200000): a polled driver with programmed I/O through
 * the controller's FIFOs. No interrupts, no DMA.
 *
 *   lan9118_init()  soft reset, checks the chip, sets the MAC address,
 *                   restarts PHY autonegotiation, enables the MAC's
 *                   transmitter and receiver (own address + broadcast)
 *   lan9118_send()  one whole frame (without FCS; the MAC appends it)
 *   lan9118_recv()  one received frame (FCS removed), or none
 *
 * Frames are copied through the 32-bit data FIFO ports word by word; a frame
 * is at most LAN9118_FRAME_MAX bytes. All state is in the chip and a few
 * counters; the driver has no buffers of its own.
 */
#ifndef MPS2_LAN9118_H
#define MPS2_LAN9118_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LAN9118_BASE 0x40200000u
/* Destination, source, EtherType and a 1500-byte payload; no FCS, no VLAN. */
#define LAN9118_FRAME_MAX 1514u

typedef struct {
    uint32_t id_rev;     /* ID_REV register: 0x0118xxxx for a LAN9118 */
    uint32_t tx_frames;  /* frames handed to the transmitter */
    uint32_t tx_errors;  /* TX status words with the error bit */
    uint32_t rx_frames;  /* frames returned by lan9118_recv() */
    uint32_t rx_dropped; /* bad status, runt, too long or no room */
} lan9118_stats_t;

/* Reset and start the controller. `mac` is the address to use; NULL keeps
 * the one the controller loaded from its EEPROM (QEMU: the -nic mac=, by
 * default 52:54:00:12:34:56), or, when that is not a valid unicast address,
 * a locally administered default. The address in use is written to
 * mac_out. Returns 0, or -1 when no LAN9118 answers or the reset does not
 * complete. */
int lan9118_init(const uint8_t *mac, uint8_t mac_out[6]);

/* PHY link status (basic status register). */
bool lan9118_link_up(void);

/* Queue one frame of len bytes (14..LAN9118_FRAME_MAX) for transmission.
 * Returns 0, or -1 when the frame is too long or the TX FIFO has no room
 * for it within a short wait. */
int lan9118_send(const void *frame, size_t len);

/* Take one received frame into buf (cap bytes, whole words). Returns its
 * length (> 0), 0 when nothing was received, or -1 when a frame was dropped
 * (receive error, or longer than cap); call again for the next one. */
int lan9118_recv(uint32_t *buf, size_t cap);

const lan9118_stats_t *lan9118_stats(void);

#endif
