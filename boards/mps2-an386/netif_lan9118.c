/* SPDX-License-Identifier: MIT */
/* lwIP netif over the polled LAN9118 driver: see netif_lan9118.h. Frames
 * go through one static buffer each way, so that the FIFOs are read and
 * written in whole words whatever the pbufs' layout. */
#include "netif_lan9118.h"

#include <string.h>

#include "lan9118.h"
#include "lwip/etharp.h"
#include "lwip/pbuf.h"
#include "lwip/sys.h"

#define FRAMES_PER_POLL 8
#define LINK_CHECK_MS 1000u

static uint32_t tx_frame[(LAN9118_FRAME_MAX + 3u) / 4u];
static uint32_t rx_frame[(LAN9118_FRAME_MAX + 3u) / 4u];
static uint32_t next_link_check;

static err_t link_output(struct netif *nif, struct pbuf *p)
{
    (void)nif;
    if (p->tot_len > LAN9118_FRAME_MAX) {
        return ERR_BUF;
    }
    const void *frame = p->payload;
    if (p->next != NULL) { /* a chain (headers and data apart): gather it */
        (void)pbuf_copy_partial(p, tx_frame, p->tot_len, 0);
        frame = tx_frame;
    }
    return lan9118_send(frame, p->tot_len) == 0 ? ERR_OK : ERR_IF;
}

static void follow_link(struct netif *nif)
{
    if (lan9118_link_up()) {
        if (!netif_is_link_up(nif)) {
            netif_set_link_up(nif);
        }
    } else if (netif_is_link_up(nif)) {
        netif_set_link_down(nif);
    }
    next_link_check = sys_now() + LINK_CHECK_MS;
}

err_t lan9118_netif_init(struct netif *nif)
{
    uint8_t mac[6];
    if (lan9118_init((const uint8_t *)nif->state, mac) != 0) {
        return ERR_IF;
    }
    nif->name[0] = 'e';
    nif->name[1] = 'n';
    nif->hwaddr_len = ETH_HWADDR_LEN;
    memcpy(nif->hwaddr, mac, ETH_HWADDR_LEN);
    nif->mtu = 1500;
    nif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    nif->output = etharp_output;
    nif->linkoutput = link_output;
    if (lan9118_link_up()) {
        nif->flags |= NETIF_FLAG_LINK_UP; /* netif_add() is not done yet */
    }
    next_link_check = sys_now() + LINK_CHECK_MS;
    return ERR_OK;
}

int lan9118_netif_poll(struct netif *nif)
{
    int fed = 0;
    for (int i = 0; i < FRAMES_PER_POLL; i++) {
        int n = lan9118_recv(rx_frame, sizeof rx_frame);
        if (n == 0) {
            break;
        }
        if (n < 0) {
            continue; /* dropped by the driver (counted there) */
        }
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)n, PBUF_POOL);
        if (p == NULL) {
            continue; /* pool empty: TCP sends it again */
        }
        (void)pbuf_take(p, rx_frame, (u16_t)n);
        if (nif->input(p, nif) != ERR_OK) {
            pbuf_free(p);
        }
        fed++;
    }
    if ((int32_t)(sys_now() - next_link_check) >= 0) {
        follow_link(nif);
    }
    return fed;
}
