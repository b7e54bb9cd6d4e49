/* SPDX-License-Identifier: MIT */
/*
 * mbedTLS 3.6 configuration for firmware boards (Cortex-M4 mps2-an386 and
 * other microcontrollers): what an ornd-lite client needs to reach the
 * OfficeRnD hosts, and nothing else.
 *
 *  - TLS 1.2 and TLS 1.3, client side only (no server, no resumption);
 *  - ECDHE key exchange on secp256r1 or x25519 (secp384r1 is kept for
 *    certificate chains signed with P-384 keys, common among public CAs);
 *  - AES-128/256-GCM only (no CBC, no ChaCha20-Poly1305);
 *  - certificate verification: RSA (PKCS#1 v1.5 and PSS, the latter is
 *    mandatory in TLS 1.3) and ECDSA signatures, SHA-256 and SHA-384;
 *  - X.509 parsing of PEM or DER trust anchors;
 *  - PSA crypto with its RNG supplied by the platform (the library built
 *    with ORND_CONFIG_TLS_RNG_HOOK=1 implements
 *    mbedtls_psa_external_get_random on top of the ornd_platform_t named
 *    with ornd_tls_use_platform_rng());
 *  - all allocations from the static pool ornd_tls_use_static_pool() hands
 *    to MBEDTLS_MEMORY_BUFFER_ALLOC_C; no file system, no sockets, no
 *    threads.
 *
 * Certificate validity dates are checked (MBEDTLS_HAVE_TIME_DATE) with the
 * platform's wall clock, not a C library's (the board has none):
 * mbedtls_time() is a pointer (MBEDTLS_PLATFORM_TIME_ALT) that
 * ornd_tls_use_platform_time() points at the platform's unix_time, and the
 * library built with ORND_CONFIG_TLS_TIME_HOOK=1 defines mbedtls_ms_time()
 * (from the platform's now_ms) and mbedtls_platform_gmtime_r(). Where the
 * wall clock comes from is the firmware's (netfw.c: SNTP); ornd-lite refuses
 * to connect while it does not know the time, and checks each certificate
 * against it on every connection as well.
 *
 * Compare boards/host/mbedtls_config.h, the host tool's richer set.
 */
#ifndef ORND_MBEDTLS_CONFIG_BOARD_H
#define ORND_MBEDTLS_CONFIG_BOARD_H

/* ---- System support ----------------------------------------------------- */
#define MBEDTLS_HAVE_ASM              /* bignum inner loops in Thumb-2 asm */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_HAVE_TIME             /* the platform's clocks, through: */
#define MBEDTLS_HAVE_TIME_DATE        /* certificate validity dates checked */
#define MBEDTLS_PLATFORM_TIME_ALT     /* mbedtls_time: ornd_tls_use_platform_time() */
#define MBEDTLS_PLATFORM_MS_TIME_ALT  /* mbedtls_ms_time: ORND_CONFIG_TLS_TIME_HOOK */
#define MBEDTLS_PLATFORM_GMTIME_R_ALT /* mbedtls_platform_gmtime_r: likewise */
#define MBEDTLS_MEMORY_BUFFER_ALLOC_C /* static pool: ornd_tls_use_static_pool() */
#define MBEDTLS_DEPRECATED_REMOVED

/* ---- PSA crypto (required by TLS 1.3); RNG from the platform ------------ */
#define MBEDTLS_PSA_CRYPTO_C
#define MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG
/* Buffers given to PSA are ours alone: no copies of them. Without this, PSA
 * copies each TLS record in and out while decrypting (twice the record size
 * of pool). */
#define MBEDTLS_PSA_ASSUME_EXCLUSIVE_BUFFERS
#define MBEDTLS_USE_PSA_CRYPTO
#define MBEDTLS_PSA_KEY_SLOT_COUNT 8  /* TLS needs a handful of transient keys */

/* ---- Symmetric primitives ----------------------------------------------- */
#define MBEDTLS_AES_C
#define MBEDTLS_AES_ROM_TABLES        /* tables in flash, not RAM */
#define MBEDTLS_AES_FEWER_TABLES      /* 2 KiB of tables instead of 8 KiB */
#define MBEDTLS_GCM_C
#define MBEDTLS_CIPHER_C
#define MBEDTLS_MD_C
#define MBEDTLS_SHA256_C
#define MBEDTLS_SHA384_C
#define MBEDTLS_HKDF_C                /* TLS 1.3 key schedule */

/* ---- Public key --------------------------------------------------------- */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_MPI_MAX_SIZE 512      /* RSA keys up to 4096 bits */
#define MBEDTLS_MPI_WINDOW_SIZE 2
#define MBEDTLS_ECP_C
#define MBEDTLS_ECDH_C
#define MBEDTLS_ECDSA_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_DP_SECP384R1_ENABLED
#define MBEDTLS_ECP_DP_CURVE25519_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_WINDOW_SIZE 2     /* less RAM per scalar multiplication */
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0
#define MBEDTLS_RSA_C
#define MBEDTLS_PKCS1_V15
#define MBEDTLS_PKCS1_V21             /* RSA-PSS: mandatory in TLS 1.3 */

/* ---- Keys and certificates ---------------------------------------------- */
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C          /* ECDSA signature format conversion */
#define MBEDTLS_OID_C
#define MBEDTLS_BASE64_C
#define MBEDTLS_PEM_PARSE_C           /* trust anchors may be given as PEM */
#define MBEDTLS_PK_C
#define MBEDTLS_PK_PARSE_C
#define MBEDTLS_X509_USE_C
#define MBEDTLS_X509_CRT_PARSE_C
#define MBEDTLS_X509_RSASSA_PSS_SUPPORT
#define MBEDTLS_X509_MAX_INTERMEDIATE_CA 4

/* ---- TLS client --------------------------------------------------------- */
#define MBEDTLS_SSL_TLS_C
#define MBEDTLS_SSL_CLI_C
#define MBEDTLS_SSL_PROTO_TLS1_2
#define MBEDTLS_SSL_PROTO_TLS1_3
#define MBEDTLS_SSL_TLS1_3_COMPATIBILITY_MODE /* passes middleboxes */
#define MBEDTLS_SSL_TLS1_3_KEY_EXCHANGE_MODE_EPHEMERAL_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_ECDSA_ENABLED
#define MBEDTLS_KEY_EXCHANGE_ECDHE_RSA_ENABLED
#define MBEDTLS_SSL_SERVER_NAME_INDICATION
#define MBEDTLS_SSL_EXTENDED_MASTER_SECRET
#define MBEDTLS_SSL_KEEP_PEER_CERTIFICATE     /* required by TLS 1.3 */

/* Record buffers: servers may send full 16 KiB records (few honour the
 * max_fragment_length extension); requests the client sends are small. */
#define MBEDTLS_SSL_IN_CONTENT_LEN 16384
#define MBEDTLS_SSL_OUT_CONTENT_LEN 2048

#endif /* ORND_MBEDTLS_CONFIG_BOARD_H */
