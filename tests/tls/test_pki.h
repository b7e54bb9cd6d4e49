/* SPDX-License-Identifier: MIT */
/* The test PKI of the TLS tests (scripts/make-test-pki.sh): made once into
 * CERTS, its CA read for the library. */
#ifndef ORND_TEST_PKI_H
#define ORND_TEST_PKI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CERTS "build/test-run/tls-unit-certs"

/* The file at `path` into buf with a NUL after it (PEM: the length counts
 * the NUL); 0 when it cannot be read. */
static size_t read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(buf, 1, cap - 1, f);
    fclose(f);
    buf[n++] = '\0';
    return n;
}

/* Make the PKI and read its CA into ca[cap]: its length, or 0 (said on
 * stderr, for the test `who`). */
static size_t test_pki_ca(const char *who, uint8_t *ca, size_t cap)
{
    if (system("sh scripts/make-test-pki.sh " CERTS " >/dev/null") != 0) {
        fprintf(stderr, "%s: cannot make the test PKI in " CERTS "\n", who);
        return 0;
    }
    const size_t n = read_file(CERTS "/ca.pem", ca, cap);
    return n < 100 ? 0 : n; /* a CA certificate is longer */
}

#endif /* ORND_TEST_PKI_H */
