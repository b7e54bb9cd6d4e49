/* SPDX-License-Identifier: MIT */
/*
 * lwIP options for the host proof of the raw-API flavour of port/lwip
 * (ornd_lwip_raw.c): NO_SYS 1, no threads, as a bare-metal super loop runs
 * lwIP. lwIP's unix port supplies sys_now() and the TAP netif.
 */
#ifndef ORND_HOST_NOSYS_LWIPOPTS_H
#define ORND_HOST_NOSYS_LWIPOPTS_H

#include "../host/lwipopts_common.h"

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_CALLBACK_API 1

#define MEM_SIZE (32 * 1024)
#define PBUF_POOL_SIZE 24
#define MEMP_NUM_PBUF 16
#define MEMP_NUM_TCP_PCB 2
#define MEMP_NUM_TCP_SEG 32

#define TCP_WND (4 * TCP_MSS)
#define TCP_SND_BUF (4 * TCP_MSS)

#endif /* ORND_HOST_NOSYS_LWIPOPTS_H */
