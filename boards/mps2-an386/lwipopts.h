/* SPDX-License-Identifier: MIT */
/*
 * lwIP 2.2.1 options for the mps2-an386 network firmware (netfw.c): a
 * bare-metal super loop (NO_SYS 1, raw API, no RTOS) on the LAN9118
 * Ethernet driver, running port/lwip/ornd_lwip_raw.c. IPv4 with a static
 * address (no DHCP), ARP, ICMP (answers pings), TCP for the one TLS
 * connection of a token fetch, and DNS with a host table that the firmware
 * fills from its configuration (UDP only for DNS queries, when a DNS server
 * is configured). Every buffer is static: lwIP's heap (MEM_SIZE) and pools
 * are arrays in .bss, never malloc.
 */
#ifndef MPS2_LWIPOPTS_H
#define MPS2_LWIPOPTS_H

#include <stdint.h> /* the SNTP hooks' declarations below */

/* ---- system: a super loop, no threads, no OS ----------------------------- */
#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0 /* lwIP is only ever called from the loop */
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_CALLBACK_API 1
#define LWIP_SINGLE_NETIF 1
#define LWIP_NETIF_API 0

/* ---- protocols ---------------------------------------------------------- */
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define ARP_TABLE_SIZE 4
#define ARP_QUEUEING 0 /* a packet waiting for ARP replaces the one before */
#define ETHARP_SUPPORT_STATIC_ENTRIES 0
#define ETH_PAD_SIZE 0
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1 /* DNS queries, SNTP */
#define LWIP_TCP 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_ACD 0
#define LWIP_IGMP 0
#define IP_REASSEMBLY 0 /* TCP segments fit one frame (TCP_MSS below) */
#define IP_FRAG 0
#define LWIP_HAVE_LOOPIF 0
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_STATS 0

/* DNS: names from a host table (dns_local_addhost(), MEMP pool, no malloc),
 * then a DNS server if one is configured. */
#define LWIP_DNS 1
#define DNS_TABLE_SIZE 2
#define DNS_MAX_NAME_LENGTH 128
#define DNS_LOCAL_HOSTLIST 1
#define DNS_LOCAL_HOSTLIST_IS_DYNAMIC 1
#define MEMP_NUM_LOCALHOSTLIST 2
#define DNS_MAX_SERVERS 1

/* ---- memory: all static ------------------------------------------------- */
#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 4U
/* lwIP's own heap: TCP segments written with TCP_WRITE_FLAG_COPY (up to
 * TCP_SND_BUF of them queued) and outgoing headers. */
#define MEM_SIZE (12 * 1024)
/* Received frames: the driver copies each into one pool pbuf; the raw port
 * keeps them queued until the library reads them, bounded by TCP_WND. */
#define PBUF_POOL_SIZE 10
#define MEMP_NUM_PBUF 8
#define MEMP_NUM_RAW_PCB 0
#define MEMP_NUM_UDP_PCB 2 /* DNS, SNTP */
#define MEMP_NUM_TCP_PCB 2 /* the connection, and one in TIME_WAIT */
#define MEMP_NUM_TCP_PCB_LISTEN 1
#define MEMP_NUM_TCP_SEG 16

/* ---- TCP ---------------------------------------------------------------- */
#define TCP_MSS 1460
/* Four segments: the library reads in small chunks and the port gives the
 * window back as it does (tcp_recved), so a 16 KiB TLS record still flows. */
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)
#define TCP_SND_QUEUELEN ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define TCP_QUEUE_OOSEQ 0 /* out-of-order segments are dropped and resent */
#define LWIP_TCP_KEEPALIVE 0
/* A random first local port (LWIP_RAND, arch/cc.h), so that each boot uses
 * new four-tuples against the same server. */
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1

/* ---- checksums: computed in software (the LAN9118 has no offload) ------- */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 0

/* ---- callbacks the firmware does not use ---------------------------------- */
/* SNTP (lwIP's apps/sntp): the wall clock for certificate dates
 * (wallclock.h). Board configuration: the interval between SNTP requests
 * once the time is known; a device's configuration may change it
 * (sntp_refresh_s=, at least 15 s as RFC 4330 asks: netfw.c checks it, so
 * lwIP's own check of a constant is off). */
#define MPS2_SNTP_REFRESH_S 3600u
uint32_t mps2_sntp_refresh_ms(void); /* wallclock.c */
#define SNTP_UPDATE_DELAY mps2_sntp_refresh_ms()
#define SNTP_SUPPRESS_DELAY_CHECK
#define SNTP_SERVER_DNS 0 /* the server is an address of the configuration */
#define SNTP_MAX_SERVERS 1
#define SNTP_STARTUP_DELAY 0   /* ask at once: no handshake before the time */
#define SNTP_RECV_TIMEOUT 2000 /* then again, waiting twice as long each time */
#define SNTP_RETRY_TIMEOUT_EXP 1
#define SNTP_RETRY_TIMEOUT_MAX 60000
/* answers only from the server's address and port, echoing the request's
 * random transmit timestamp */
#define SNTP_CHECK_RESPONSE 2
#define SNTP_COMP_ROUNDTRIP 0
void mps2_sntp_set_time(int32_t sec, uint32_t frac);        /* wallclock.c */
void mps2_sntp_request_stamp(int32_t *sec, uint32_t *frac); /* wallclock.c */
#define SNTP_SET_SYSTEM_TIME_NTP(sec, frac) mps2_sntp_set_time((sec), (frac))
#define SNTP_GET_SYSTEM_TIME_NTP(sec, frac) mps2_sntp_request_stamp(&(sec), &(frac))
/* lwIP counts no timer for SNTP in its own total */
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 1)

#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0
#define LWIP_NETIF_HOSTNAME 0

#endif /* MPS2_LWIPOPTS_H */
