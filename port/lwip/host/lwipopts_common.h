/* SPDX-License-Identifier: MIT */
/*
 * What both host proofs of port/lwip configure alike (host/lwipopts.h, the
 * sockets API on lwIP's unix port; host-nosys/lwipopts.h, the raw API with
 * NO_SYS 1): the protocols, lwIP's own static memory, the TCP segment, and
 * "localhost" as the identity server behind the TAP (the test PKI names the
 * server localhost).
 */
#ifndef ORND_HOST_LWIPOPTS_COMMON_H
#define ORND_HOST_LWIPOPTS_COMMON_H

#define DNS_LOCAL_HOSTLIST 1
#define DNS_LOCAL_HOSTLIST_INIT                                                                    \
    {                                                                                              \
        DNS_LOCAL_HOSTLIST_ELEM("localhost", IPADDR4_INIT_BYTES(10, 77, 0, 1))                     \
    }

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

#define TCP_MSS 1460
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)

#endif /* ORND_HOST_LWIPOPTS_COMMON_H */
