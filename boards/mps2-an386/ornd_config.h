/* SPDX-License-Identifier: MIT */
/*
 * ornd-lite settings of the mps2-an386 firmware (given to every file of the
 * library and the board as -DORND_CONFIG_FILE; `make bench` builds its
 * Cortex-M4 figures with it too). Only what differs from include/ornd/config.h.
 */
#ifndef MPS2_ORND_CONFIG_H
#define MPS2_ORND_CONFIG_H

/* The firmware uses mbedTLS only through ornd-lite: the library defines
 * PSA's RNG hook, fed by the platform (ornd_tls_use_platform_rng()). */
#define ORND_CONFIG_TLS_RNG_HOOK 1

/* The board has no C library clock: the library defines mbedTLS's
 * mbedtls_ms_time() and mbedtls_platform_gmtime_r() on the platform named
 * with ornd_tls_use_platform_time() (mbedtls_config.h). */
#define ORND_CONFIG_TLS_TIME_HOOK 1

/* TLS storage cut to this board's mbedtls_config.h (Cortex-M4):
 * ssl_context 216 + ssl_session 304 (its start time and ticket reception
 * time since MBEDTLS_HAVE_TIME) = 520; x509_crt 408 + ssl_config 104 = 512.
 * src/tls.c checks at build time that they fit. */
#define ORND_CONFIG_TLS_CONN_STORAGE 520u
#define ORND_CONFIG_TLS_CONF_STORAGE 512u

#endif /* MPS2_ORND_CONFIG_H */
