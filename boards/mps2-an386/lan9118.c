/* SPDX-License-Identifier: MIT */
/*
 * SMSC LAN9118 driver: polled, programmed I/O (see lan9118.h). Register
 * offsets and bits follow the LAN9118 datasheet; only registers QEMU's
 * model implements are touched (it stops the emulator on any other).
 */
#include "lan9118.h"

#include <string.h>

#define REG(off) (*(volatile uint32_t *)(LAN9118_BASE + (off)))

/* System control and status registers (byte offsets) */
#define RX_DATA_FIFO 0x00u
#define TX_DATA_FIFO 0x20u
#define RX_STATUS_FIFO 0x40u
#define TX_STATUS_FIFO 0x48u
#define ID_REV 0x50u
#define IRQ_CFG 0x54u
#define INT_STS 0x58u
#define INT_EN 0x5Cu
#define BYTE_TEST 0x64u
#define RX_CFG 0x6Cu
#define TX_CFG 0x70u
#define HW_CFG 0x74u
#define RX_FIFO_INF 0x7Cu
#define TX_FIFO_INF 0x80u
#define PMT_CTRL 0x84u
#define MAC_CSR_CMD 0xA4u
#define MAC_CSR_DATA 0xA8u

#define BYTE_TEST_VALUE 0x87654321u
#define HW_CFG_SRST (1u << 0)
#define HW_CFG_MBO (1u << 20) /* must be written as one */
#define HW_CFG_TX_FIF_SZ (0xFu << 16)
#define PMT_CTRL_READY (1u << 0)
#define TX_CFG_TX_ON (1u << 1)
#define TX_CFG_TXSAO (1u << 2) /* TX status FIFO may overrun */
#define RX_FIFO_INF_RXSUSED(v) (((v) >> 16) & 0xFFu)
#define TX_FIFO_INF_TDFREE(v) ((v)&0xFFFFu)
#define TX_FIFO_INF_TXSUSED(v) (((v) >> 16) & 0xFFu)

/* TX command words (datasheet 3.13.2) */
#define TXA_FIRST_SEG (1u << 13)
#define TXA_LAST_SEG (1u << 12)
#define TXS_ERROR (1u << 15)

/* RX status word (datasheet 3.13.3) */
#define RXS_LENGTH(v) (((v) >> 16) & 0x3FFFu) /* frame length with FCS */
#define RXS_ERROR (1u << 15)
#define FCS_LEN 4u

/* MAC control and status registers, reached through MAC_CSR_CMD/DATA */
#define CSR_BUSY (1u << 31)
#define CSR_READ (1u << 30)
#define MAC_CR 1u
#define MAC_ADDRH 2u
#define MAC_ADDRL 3u
#define MAC_MII_ACC 6u
#define MAC_MII_DATA 7u
#define MAC_CR_FDPX (1u << 20)
#define MAC_CR_TXEN (1u << 3)
#define MAC_CR_RXEN (1u << 2)

/* The internal PHY, through MII_ACC */
#define PHY_ADDR 1u
#define MII_BUSY (1u << 0)
#define MII_WRITE (1u << 1)
#define PHY_BMCR 0u
#define PHY_BMSR 1u
#define BMCR_ANENABLE (1u << 12)
#define BMCR_ANRESTART (1u << 9)
#define BMSR_LINK (1u << 2)

/* Bound of every busy-wait, in register reads. */
#define SPIN_MAX 100000u

static lan9118_stats_t stats;
static uint16_t tx_tag;

static int spin_until_clear(uint32_t off, uint32_t bits)
{
    for (uint32_t i = 0; i < SPIN_MAX; i++) {
        if ((REG(off) & bits) == 0) {
            return 0;
        }
    }
    return -1;
}

static uint32_t mac_read(uint32_t idx)
{
    (void)spin_until_clear(MAC_CSR_CMD, CSR_BUSY);
    REG(MAC_CSR_CMD) = CSR_BUSY | CSR_READ | idx;
    (void)spin_until_clear(MAC_CSR_CMD, CSR_BUSY);
    return REG(MAC_CSR_DATA);
}

static void mac_write(uint32_t idx, uint32_t val)
{
    (void)spin_until_clear(MAC_CSR_CMD, CSR_BUSY);
    REG(MAC_CSR_DATA) = val;
    REG(MAC_CSR_CMD) = CSR_BUSY | idx;
    (void)spin_until_clear(MAC_CSR_CMD, CSR_BUSY);
}

static int phy_idle(void)
{
    for (uint32_t i = 0; i < SPIN_MAX / 100u; i++) {
        if ((mac_read(MAC_MII_ACC) & MII_BUSY) == 0) {
            return 0;
        }
    }
    return -1;
}

static uint32_t phy_read(uint32_t reg)
{
    (void)phy_idle();
    mac_write(MAC_MII_ACC, PHY_ADDR << 11 | reg << 6 | MII_BUSY);
    (void)phy_idle();
    return mac_read(MAC_MII_DATA) & 0xFFFFu;
}

static void phy_write(uint32_t reg, uint32_t val)
{
    (void)phy_idle();
    mac_write(MAC_MII_DATA, val);
    mac_write(MAC_MII_ACC, PHY_ADDR << 11 | reg << 6 | MII_WRITE | MII_BUSY);
    (void)phy_idle();
}

static bool valid_unicast(const uint8_t mac[6])
{
    static const uint8_t zero[6];
    return (mac[0] & 1u) == 0 && memcmp(mac, zero, sizeof zero) != 0;
}

int lan9118_init(const uint8_t *mac, uint8_t mac_out[6])
{
    /* locally administered (02:...), for a chip without an address */
    static const uint8_t fallback[6] = {0x02, 0x00, 0x4D, 0x50, 0x53, 0x32};

    memset(&stats, 0, sizeof stats);
    if (REG(BYTE_TEST) != BYTE_TEST_VALUE) {
        return -1; /* nothing, or not a LAN911x, at this address */
    }
    REG(HW_CFG) = HW_CFG_SRST;
    if (spin_until_clear(HW_CFG, HW_CFG_SRST) != 0) {
        return -1;
    }
    uint32_t i = 0;
    while ((REG(PMT_CTRL) & PMT_CTRL_READY) == 0) {
        if (++i == SPIN_MAX) {
            return -1;
        }
    }
    stats.id_rev = REG(ID_REV);
    REG(HW_CFG) = (REG(HW_CFG) & HW_CFG_TX_FIF_SZ) | HW_CFG_MBO;

    /* polled: no interrupt line, every status bit cleared */
    REG(INT_EN) = 0;
    REG(IRQ_CFG) = 0;
    REG(INT_STS) = 0xFFFFFFFFu;

    uint8_t addr[6];
    if (mac != NULL) {
        memcpy(addr, mac, sizeof addr);
    } else {
        uint32_t lo = mac_read(MAC_ADDRL), hi = mac_read(MAC_ADDRH);
        for (unsigned k = 0; k < 4; k++) {
            addr[k] = (uint8_t)(lo >> (8u * k));
        }
        addr[4] = (uint8_t)hi;
        addr[5] = (uint8_t)(hi >> 8);
    }
    if (!valid_unicast(addr)) {
        memcpy(addr, fallback, sizeof addr);
    }
    mac_write(MAC_ADDRL, (uint32_t)addr[0] | (uint32_t)addr[1] << 8 | (uint32_t)addr[2] << 16 |
                             (uint32_t)addr[3] << 24);
    mac_write(MAC_ADDRH, (uint32_t)addr[4] | (uint32_t)addr[5] << 8);
    memcpy(mac_out, addr, sizeof addr);

    phy_write(PHY_BMCR, BMCR_ANENABLE | BMCR_ANRESTART);

    /* Receive frames to our address and broadcasts (not promiscuous, as
     * after reset), with no offset in the RX FIFO; transmit on. */
    REG(RX_CFG) = 0;
    REG(TX_CFG) = TX_CFG_TX_ON | TX_CFG_TXSAO;
    mac_write(MAC_CR, MAC_CR_FDPX | MAC_CR_TXEN | MAC_CR_RXEN);
    return 0;
}

bool lan9118_link_up(void)
{
    return (phy_read(PHY_BMSR) & BMSR_LINK) != 0;
}

/* Drain the TX status FIFO, counting failed transmissions. */
static void reap_tx_status(void)
{
    while (TX_FIFO_INF_TXSUSED(REG(TX_FIFO_INF)) != 0) {
        if ((REG(TX_STATUS_FIFO) & TXS_ERROR) != 0) {
            stats.tx_errors++;
        }
    }
}

int lan9118_send(const void *frame, size_t len)
{
    if (len < 14u || len > LAN9118_FRAME_MAX) {
        return -1;
    }
    reap_tx_status();
    size_t words = (len + 3u) / 4u;
    uint32_t i = 0;
    while (TX_FIFO_INF_TDFREE(REG(TX_FIFO_INF)) < words * 4u + 8u) {
        if (++i == SPIN_MAX) {
            return -1;
        }
    }
    tx_tag++;
    /* one buffer, first and last segment: 4-byte end alignment, no offset */
    REG(TX_DATA_FIFO) = TXA_FIRST_SEG | TXA_LAST_SEG | (uint32_t)len;
    REG(TX_DATA_FIFO) = (uint32_t)tx_tag << 16 | (uint32_t)len;
    const uint8_t *b = frame;
    for (size_t w = 0; w + 1u < words; w++, b += 4) {
        uint32_t v;
        memcpy(&v, b, 4); /* the FIFO takes bytes in little-endian order */
        REG(TX_DATA_FIFO) = v;
    }
    uint32_t last = 0;
    memcpy(&last, b, len - (words - 1u) * 4u);
    REG(TX_DATA_FIFO) = last;
    stats.tx_frames++;
    return 0;
}

int lan9118_recv(uint32_t *buf, size_t cap)
{
    if (RX_FIFO_INF_RXSUSED(REG(RX_FIFO_INF)) == 0) {
        return 0;
    }
    uint32_t status = REG(RX_STATUS_FIFO);
    size_t len = RXS_LENGTH(status);
    size_t words = (len + 3u) / 4u; /* what the data FIFO holds for it */
    bool keep = (status & RXS_ERROR) == 0 && len >= 14u + FCS_LEN &&
                len - FCS_LEN <= (cap & ~(size_t)3u) && len - FCS_LEN <= LAN9118_FRAME_MAX;
    size_t kept = keep ? (len - FCS_LEN + 3u) / 4u : 0u;
    for (size_t w = 0; w < words; w++) {
        uint32_t v = REG(RX_DATA_FIFO);
        if (w < kept) {
            buf[w] = v;
        }
    }
    if (!keep) {
        stats.rx_dropped++;
        return -1;
    }
    stats.rx_frames++;
    return (int)(len - FCS_LEN);
}

const lan9118_stats_t *lan9118_stats(void)
{
    return &stats;
}
