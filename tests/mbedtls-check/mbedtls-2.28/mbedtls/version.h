/* SPDX-License-Identifier: MIT */
/* Stands in for mbedTLS 2.28's mbedtls/version.h: what it says of the
 * version, and nothing else. 2.28 has no mbedtls/build_info.h. */
#ifndef MBEDTLS_VERSION_H
#define MBEDTLS_VERSION_H
#define MBEDTLS_VERSION_MAJOR 2
#define MBEDTLS_VERSION_MINOR 28
#define MBEDTLS_VERSION_PATCH 8
#define MBEDTLS_VERSION_NUMBER 0x021C0800
#define MBEDTLS_VERSION_STRING "2.28.8"
#endif
