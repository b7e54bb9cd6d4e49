/* SPDX-License-Identifier: MIT */
/*
 * lwIP options for the host proof of port/lwip: lwIP's unix port (pthreads
 * sys_arch, TAP netif) with the sockets API, as an RTOS firmware would run
 * it. Memory is lwIP's static pools and heap array (MEM_LIBC_MALLOC 0).
 */
#ifndef ORND_HOST_LWIPOPTS_H
#define ORND_HOST_LWIPOPTS_H

#include "lwipopts_common.h"

#define NO_SYS 0
#define SYS_LIGHTWEIGHT_PROT 1
#define LWIP_TCPIP_CORE_LOCKING 1
#define LWIP_SOCKET 1
#define LWIP_NETCONN 1
#define LWIP_COMPAT_SOCKETS 0 /* lwip_* names only: no clash with the C library */
#define LWIP_POSIX_SOCKETS_IO_NAMES 0
#define LWIP_SOCKET_POLL 1
#define LWIP_SOCKET_SELECT 1

#define MEM_SIZE (64 * 1024)
#define PBUF_POOL_SIZE 32
#define MEMP_NUM_PBUF 32
#define MEMP_NUM_TCP_PCB 4
#define MEMP_NUM_TCP_SEG 64
#define MEMP_NUM_NETCONN 8
#define MEMP_NUM_NETBUF 8
#define MEMP_NUM_TCPIP_MSG_INPKT 32
#define MEMP_NUM_SYS_TIMEOUT (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 2)

#define TCP_WND (8 * TCP_MSS)
#define TCP_SND_BUF (8 * TCP_MSS)

#define TCPIP_THREAD_STACKSIZE 0
#define TCPIP_MBOX_SIZE 32
#define DEFAULT_TCP_RECVMBOX_SIZE 32
#define DEFAULT_UDP_RECVMBOX_SIZE 8
#define DEFAULT_ACCEPTMBOX_SIZE 4
#define DEFAULT_THREAD_STACKSIZE 0

#define LWIP_NETIF_STATUS_CALLBACK 0
#define LWIP_NETIF_LINK_CALLBACK 0

#endif /* ORND_HOST_LWIPOPTS_H */
