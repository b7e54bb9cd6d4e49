/* SPDX-License-Identifier: MIT */
/*
 * lwIP options for the host proof of the raw-API flavour of port/lwip
 * (ornd_lwip_raw.c): NO_SYS 1, no threads, as a bare-metal super loop runs
 * lwIP. lwIP's unix port supplies sys_now() and the TAP netif.
 */
#ifndef ORND_HOST_NOSYS_LWIPOPTS_H
#define ORND_HOST_NOSYS_LWIPOPTS_H

/* "localhost" is the identity server behind the TAP (see ../host/lwipopts.h). */
#define DNS_LOCAL_HOSTLIST 1
#define DNS_LOCAL_HOSTLIST_INIT                                                                    \
    {                                                                                              \
        DNS_LOCAL_HOSTLIST_ELEM("localhost", IPADDR4_INIT_BYTES(10, 77, 0, 1))                     \
    }

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_CALLBACK_API 1

#define LWIP_IPV4 1
#define LWIP_IPV6 1
#define IPV6_FRAG_COPYHEADER 1 /* needed with 64-bit pointers */
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DNS 1
#define LWIP_DHCP 0
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_IPV6_MLD 0
#define LWIP_IPV6_DHCP6 0
#define LWIP_HAVE_LOOPIF 0
#define LWIP_NETIF_LOOPBACK 0
#define LWIP_STATS 0
#define PPP_SUPPORT 0

#define MEM_LIBC_MALLOC 0
#define MEMP_MEM_MALLOC 0
#define MEM_ALIGNMENT 8U
#define MEM_SIZE (32 * 1024)
#define PBUF_POOL_SIZE 24
#define MEMP_NUM_PBUF 16
#define MEMP_NUM_TCP_PCB 2
#define MEMP_NUM_TCP_SEG 32

#define TCP_MSS 1460
#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)

#endif /* ORND_HOST_NOSYS_LWIPOPTS_H */
