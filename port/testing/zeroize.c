/* SPDX-License-Identifier: MIT */
/*
 * The one mbedTLS function the sessions call (src/client.c wipes secrets
 * with it), for test programs linked without mbedTLS. Its own object in
 * libornd-testing.a, so that a program that links mbedTLS as well takes
 * mbedTLS's when mbedTLS comes first on the link line.
 */
#include <stddef.h>
#include <string.h>

void mbedtls_platform_zeroize(void *buf, size_t len);

void mbedtls_platform_zeroize(void *buf, size_t len)
{
    static void *(*volatile const set)(void *, int, size_t) = memset;
    if (len > 0) {
        (void)set(buf, 0, len);
    }
}
