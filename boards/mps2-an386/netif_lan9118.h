/* SPDX-License-Identifier: MIT */
/*
 * The LAN9118 driver as an lwIP network interface (NO_SYS 1, polled):
 *
 *   netif_add(&nif, &ip, &mask, &gw, NULL, lan9118_netif_init, netif_input);
 *   netif_set_up(&nif);
 *   for (;;) { lan9118_netif_poll(&nif); sys_check_timeouts(); ... }
 *
 * The netif's state pointer may name a 6-byte MAC address to use; NULL
 * keeps the controller's own (see lan9118_init()).
 */
#ifndef MPS2_NETIF_LAN9118_H
#define MPS2_NETIF_LAN9118_H

#include "lwip/err.h"
#include "lwip/netif.h"

/* netif init function for netif_add(): resets and starts the controller;
 * ERR_IF when there is none. */
err_t lan9118_netif_init(struct netif *nif);

/* Hand the frames received so far (at most a few per call) to nif->input
 * and, once a second, follow the PHY's link state. Returns the number of
 * frames handed to lwIP. */
int lan9118_netif_poll(struct netif *nif);

#endif
