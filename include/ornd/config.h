/* SPDX-License-Identifier: MIT */
/*
 * ornd-lite compile-time settings.
 *
 * Every constant that bounds memory lives here. The whole memory budget of a
 * client is visible on this page: the client struct is a fixed-size object
 * whose size follows from these numbers (see `make bench` for the figure).
 *
 * To override, define ORND_CONFIG_FILE as the name of your own header
 * (e.g. -DORND_CONFIG_FILE='"my_ornd_config.h"'); it is included first, and
 * only the settings it does not define take the defaults below. Each default
 * may also be given with -D on the command line.
 */
#ifndef ORND_CONFIG_H
#define ORND_CONFIG_H

#include <stdint.h>

#ifdef ORND_CONFIG_FILE
#include ORND_CONFIG_FILE
#endif

/* ---- Credentials and request ------------------------------------------ */

/* Longest client_id accepted (bytes, without the terminating NUL).
 * OfficeRnD ids are 24-32 characters; 128 leaves room for other schemes.
 * Range: 1-4096. */
#ifndef ORND_CONFIG_CLIENT_ID_MAX
#define ORND_CONFIG_CLIENT_ID_MAX 128u
#endif

/* Longest client_secret accepted (bytes, without NUL).
 * Range: 1-4096. */
#ifndef ORND_CONFIG_CLIENT_SECRET_MAX
#define ORND_CONFIG_CLIENT_SECRET_MAX 128u
#endif

/* Longest scope string, requested or granted (several scopes separated by
 * single spaces). Ten flex.* scopes fit comfortably.
 * Range: 1-4096. */
#ifndef ORND_CONFIG_SCOPE_MAX
#define ORND_CONFIG_SCOPE_MAX 512u
#endif

/* Longest host name of the token URL (RFC 1035 allows 253).
 * Range: 1-253. */
#ifndef ORND_CONFIG_HOST_MAX
#define ORND_CONFIG_HOST_MAX 128u
#endif

/* Longest path of the token URL, e.g. "/oauth/token".
 * Range: 1-1024. */
#ifndef ORND_CONFIG_PATH_MAX
#define ORND_CONFIG_PATH_MAX 128u
#endif

/* Buffer the token request (request line, headers and the form body) is
 * written into before it goes to TLS. Must hold the head (~200 bytes) plus
 * the percent-encoded id, secret and scope (up to 3 bytes per input byte).
 * A request that does not fit is refused with ORND_ERR_BUF_TOO_SMALL.
 * Range: 256-65535. */
#ifndef ORND_CONFIG_REQUEST_MAX
#define ORND_CONFIG_REQUEST_MAX 1536u
#endif

/* ---- Token cache -------------------------------------------------------- */

/* Longest access token kept (bytes, without NUL). A longer token is refused
 * with ORND_ERR_TOKEN_TOO_LARGE, never cut. OfficeRnD tokens are JWTs of about
 * 1 KiB; the default leaves twice that.
 * Range: 16-65535. */
#ifndef ORND_CONFIG_TOKEN_MAX
#define ORND_CONFIG_TOKEN_MAX 2048u
#endif

/* Seconds before expiry at which a cached token is considered stale and a new
 * one is fetched (at most half the token's lifetime is used as margin).
 * Range: 1-ORND_CONFIG_MAX_EXPIRES_S. */
#ifndef ORND_CONFIG_REFRESH_MARGIN_S
#define ORND_CONFIG_REFRESH_MARGIN_S 60u
#endif

/* Lifetime assumed when the answer has no expires_in (RFC 6749 §5.1).
 * Range: 1-ORND_CONFIG_MAX_EXPIRES_S. */
#ifndef ORND_CONFIG_DEFAULT_EXPIRES_S
#define ORND_CONFIG_DEFAULT_EXPIRES_S 3600u
#endif

/* Longest lifetime honoured; longer ones are clamped. Keeps lifetimes in
 * milliseconds below 2^31 so that tick arithmetic stays wrap-safe.
 * Range: 1-2147483. */
#ifndef ORND_CONFIG_MAX_EXPIRES_S
#define ORND_CONFIG_MAX_EXPIRES_S 86400u
#endif

/* ---- Server error reporting -------------------------------------------- */

/* Longest OAuth "error" code kept (e.g. "invalid_client").
 * Range: 1-255. */
#ifndef ORND_CONFIG_ERROR_CODE_MAX
#define ORND_CONFIG_ERROR_CODE_MAX 48u
#endif

/* Longest server error text kept (error_description, message, or the start of
 * a non-JSON body). Longer text is cut and flagged as truncated.
 * Range: 1-4096. */
#ifndef ORND_CONFIG_ERROR_TEXT_MAX
#define ORND_CONFIG_ERROR_TEXT_MAX 200u
#endif

/* ---- HTTP reader ------------------------------------------------------- */

/* Longest value held of a header field the library uses (Content-Length,
 * Transfer-Encoding, Connection, Retry-After) or that a caller names
 * (ornd_http_reader_cfg_t.fields, e.g. WWW-Authenticate), after OWS is
 * trimmed, and longest chunk-size line. A longer used value is
 * ORND_ERR_HTTP_FIELD_TOO_LONG or ORND_ERR_HTTP_NAMED_FIELD_TOO_LONG, a
 * longer chunk-size line ORND_ERR_HTTP_LINE_TOO_LONG. Fields the library
 * does not use are checked and skipped whatever their length, never held.
 * Range: 32-65535. */
#ifndef ORND_CONFIG_HTTP_FIELD_MAX
#define ORND_CONFIG_HTTP_FIELD_MAX 384u
#endif

/* Longest field name a caller may name; longer names are never matched.
 * Range: 17-254. */
#ifndef ORND_CONFIG_HTTP_NAME_MAX
#define ORND_CONFIG_HTTP_NAME_MAX 32u
#endif

/* Most bytes of status line plus headers (or of trailers) accepted in one
 * response; counted, not stored. More is ORND_ERR_HTTP_HEADERS_TOO_LARGE.
 * CDNs and web frameworks send heads of 8-24 KiB (cookies, CSP).
 * Range: 1024-4294967294. */
#ifndef ORND_CONFIG_HTTP_HEADERS_MAX
#define ORND_CONFIG_HTTP_HEADERS_MAX 32768u
#endif

/* Most header fields (or trailer fields) accepted in one response.
 * Range: 1-65534. */
#ifndef ORND_CONFIG_HTTP_HEADER_COUNT_MAX
#define ORND_CONFIG_HTTP_HEADER_COUNT_MAX 256u
#endif

/* Largest response body accepted on the token path; the token answer is
 * about 1.2 KiB. More is ORND_ERR_HTTP_BODY_TOO_LARGE.
 * Range: 1024-16777216. */
#ifndef ORND_CONFIG_TOKEN_BODY_MAX
#define ORND_CONFIG_TOKEN_BODY_MAX 16384u
#endif

/* ---- JSON scanner ------------------------------------------------------ */

/* Deepest nesting of arrays and objects accepted. Each level costs one bit of
 * scanner state. Deeper input is ORND_ERR_JSON_DEPTH.
 * Range: 1-65535. */
#ifndef ORND_CONFIG_JSON_DEPTH_MAX
#define ORND_CONFIG_JSON_DEPTH_MAX 32u
#endif

/* ---- TLS ---------------------------------------------------------------- */

/* Static pool for mbedTLS, for firmware that has no allocator set up for
 * it: used only when the program calls ornd_tls_use_static_pool()
 * (ornd/tls_setup.h); by default mbedTLS allocates as the firmware
 * configured it. A full handshake with 16 KiB input records needs about
 * 40 KiB plus the CA certificates (~1.7 KiB each once parsed); the host tool
 * raises this to hold the system CA bundle.
 * Range: 16384 and up (used only with ornd_tls_use_static_pool()). */
#ifndef ORND_CONFIG_TLS_POOL_SIZE
#define ORND_CONFIG_TLS_POOL_SIZE (64u * 1024u)
#endif

/* 1: the library defines mbedTLS's PSA RNG hook,
 * mbedtls_psa_external_get_random(), fed by the platform named with
 * ornd_tls_use_platform_rng() (ornd/tls_setup.h). 0: the program's mbedTLS
 * brings its own randomness (entropy sources, or its own hook: Zephyr and
 * NuttX define it). Range: 0 or 1. */
#ifndef ORND_CONFIG_TLS_RNG_HOOK
#define ORND_CONFIG_TLS_RNG_HOOK 0
#endif

/* 1: the library defines mbedTLS's time hooks that have no context
 * pointer, mbedtls_ms_time() (with MBEDTLS_PLATFORM_MS_TIME_ALT, from the
 * platform's now_ms) and mbedtls_platform_gmtime_r() (with
 * MBEDTLS_PLATFORM_GMTIME_R_ALT), for the platform named with
 * ornd_tls_use_platform_time() (ornd/tls_setup.h). 0: the program's mbedTLS
 * has its own (a C library's, or the firmware's). Range: 0 or 1. */
#ifndef ORND_CONFIG_TLS_TIME_HOOK
#define ORND_CONFIG_TLS_TIME_HOOK 0
#endif

/* A wall clock that says it is earlier than this (seconds since 1970) is
 * taken as not set (an RTC back at its reset value): the time is unknown.
 * Default 2025-01-01 00:00:00 UTC. Range: 0 and up. */
#ifndef ORND_CONFIG_MIN_UNIX_TIME
#define ORND_CONFIG_MIN_UNIX_TIME 1735689600
#endif

/* Default network timeout for connect, each send and each receive (ms).
 * Range: 1-600000 (a fetch of 3 timeouts stays below 2^31 ms). */
#ifndef ORND_CONFIG_TIMEOUT_MS
#define ORND_CONFIG_TIMEOUT_MS 10000u
#endif

/* Chunk read from TLS at a time while reading a response.
 * Range: 16-16384. */
#ifndef ORND_CONFIG_RECV_CHUNK
#define ORND_CONFIG_RECV_CHUNK 256u
#endif

/* ---- Token request hygiene ---------------------------------------------- */

/* Token requests allowed per minute and client, failed ones included
 * (OfficeRnD allows 5 per application). A further request within the minute
 * is held back with ORND_ERR_TOKEN_HELD.
 * Range: 1-255. */
#ifndef ORND_CONFIG_TOKEN_REQUESTS_PER_MIN
#define ORND_CONFIG_TOKEN_REQUESTS_PER_MIN 5u
#endif

/* Back-off after a failed token request: base << (failures - 1), capped,
 * then a random half of it taken off ("equal jitter"), so that a fleet that
 * failed together does not retry together. A server's Retry-After, when
 * longer, is honoured instead (capped at ORND_CONFIG_RETRY_AFTER_MAX_S).
 * Range: base 1-ORND_CONFIG_BACKOFF_MAX_MS; max up to
 * 1073741823; Retry-After cap 1-86400. */
#ifndef ORND_CONFIG_BACKOFF_BASE_MS
#define ORND_CONFIG_BACKOFF_BASE_MS 1000u
#endif
#ifndef ORND_CONFIG_BACKOFF_MAX_MS
#define ORND_CONFIG_BACKOFF_MAX_MS 300000u
#endif
#ifndef ORND_CONFIG_RETRY_AFTER_MAX_S
#define ORND_CONFIG_RETRY_AFTER_MAX_S 3600u
#endif

/* ---- API calls ------------------------------------------------------------ */

/* Request head of an API call (request line, Host, Authorization with the
 * token, Content-Type/Length), while it is built also holding the request
 * target. The body is sent from the caller's memory.
 * Range: ORND_CONFIG_TOKEN_MAX + 256 to 131072 (the token is copied
 * into its end before the head is built around it). */
#ifndef ORND_CONFIG_API_HEAD_MAX
#define ORND_CONFIG_API_HEAD_MAX (ORND_CONFIG_TOKEN_MAX + 1536u)
#endif

/* Base path of the API (/api/v2/organizations/<org>).
 * Range: 1-1024. */
#ifndef ORND_CONFIG_API_BASE_MAX
#define ORND_CONFIG_API_BASE_MAX 160u
#endif

/* Longest path (with query) the paging helper builds, and longest cursor it
 * takes from a page's cursorNext (ornd/pages.h).
 * Range: path 16-4096; cursor 1-ORND_CONFIG_API_PATH_MAX. */
#ifndef ORND_CONFIG_API_PATH_MAX
#define ORND_CONFIG_API_PATH_MAX 512u
#endif
#ifndef ORND_CONFIG_API_CURSOR_MAX
#define ORND_CONFIG_API_CURSOR_MAX 256u
#endif

/* Start of an API error body kept for the caller (bytes).
 * Range: 1-4096. */
#ifndef ORND_CONFIG_API_ERROR_TEXT_MAX
#define ORND_CONFIG_API_ERROR_TEXT_MAX 200u
#endif

/* ---- Field matcher (ornd/match.h) --------------------------------------- */

/* Most paths one matcher looks for at once (at most 32: one bit each in the
 * matcher's masks). Each path costs about 12 + 4 * STEPS_MAX bytes.
 * Range: 1-32. */
#ifndef ORND_CONFIG_MATCH_PATHS_MAX
#define ORND_CONFIG_MATCH_PATHS_MAX 8u
#endif

/* Most steps in one path ("results[].email" has three: results, [], email);
 * at most 32. A path cannot match deeper than ORND_CONFIG_JSON_DEPTH_MAX.
 * Range: 1-32. */
#ifndef ORND_CONFIG_MATCH_STEPS_MAX
#define ORND_CONFIG_MATCH_STEPS_MAX 8u
#endif

/* Longest member name in a path (bytes, at most 255). Member names in the
 * document may be of any length; longer ones simply match nothing.
 * Range: 1-255. */
#ifndef ORND_CONFIG_MATCH_NAME_MAX
#define ORND_CONFIG_MATCH_NAME_MAX 64u
#endif

/* ---- TLS storage ----------------------------------------------------------- */

/* Bytes reserved in ornd_client_t and ornd_api_t for mbedTLS's objects, so
 * that the layout of the library's structs depends on these numbers only,
 * not on the mbedTLS configuration of whoever includes the headers. src/tls.c
 * checks at build time that the mbedTLS it is built with fits.
 * CONN: one connection (mbedtls_ssl_context + mbedtls_ssl_session).
 * CONF: the shared set-up (mbedtls_x509_crt + mbedtls_ssl_config).
 * The defaults fit mbedTLS 3.6 with its own default configuration; a board
 * with a trimmed mbedTLS may lower them to what `make bench` reports.
 * Range: 256-65536 each, multiples of 8. */
#ifndef ORND_CONFIG_TLS_CONN_STORAGE
#define ORND_CONFIG_TLS_CONN_STORAGE (sizeof(void *) >= 8u ? 1152u : 896u)
#endif
#ifndef ORND_CONFIG_TLS_CONF_STORAGE
#define ORND_CONFIG_TLS_CONF_STORAGE (sizeof(void *) >= 8u ? 1216u : 704u)
#endif

/* ---- Error texts --------------------------------------------------------- */

/* 1: ornd_strerror() returns a sentence per code. 0: the sentences are left
 * out (about 4.4 KiB of flash on a Cortex-M4) and ornd_strerror() returns
 * the code's name, as ornd_errname() does. Range: 0 or 1. */
#ifndef ORND_CONFIG_ERROR_STRINGS
#define ORND_CONFIG_ERROR_STRINGS 1
#endif

/* ---- Checks ------------------------------------------------------------------ */

#ifdef __cplusplus
#define ORND__CHECK(cond, msg) static_assert(cond, msg)
#else
#define ORND__CHECK(cond, msg) _Static_assert(cond, msg)
#endif

ORND__CHECK(ORND_CONFIG_CLIENT_ID_MAX >= 1u && ORND_CONFIG_CLIENT_ID_MAX <= 4096u,
            "ORND_CONFIG_CLIENT_ID_MAX: 1-4096");
ORND__CHECK(ORND_CONFIG_CLIENT_SECRET_MAX >= 1u && ORND_CONFIG_CLIENT_SECRET_MAX <= 4096u,
            "ORND_CONFIG_CLIENT_SECRET_MAX: 1-4096");
ORND__CHECK(ORND_CONFIG_SCOPE_MAX >= 1u && ORND_CONFIG_SCOPE_MAX <= 4096u,
            "ORND_CONFIG_SCOPE_MAX: 1-4096");
ORND__CHECK(ORND_CONFIG_HOST_MAX >= 1u && ORND_CONFIG_HOST_MAX <= 253u,
            "ORND_CONFIG_HOST_MAX: 1-253");
ORND__CHECK(ORND_CONFIG_PATH_MAX >= 1u && ORND_CONFIG_PATH_MAX <= 1024u,
            "ORND_CONFIG_PATH_MAX: 1-1024");
ORND__CHECK(ORND_CONFIG_REQUEST_MAX >= 256u && ORND_CONFIG_REQUEST_MAX <= 65535u,
            "ORND_CONFIG_REQUEST_MAX: 256-65535");
ORND__CHECK(ORND_CONFIG_TOKEN_MAX >= 16u && ORND_CONFIG_TOKEN_MAX <= 65535u,
            "ORND_CONFIG_TOKEN_MAX: 16-65535");
ORND__CHECK(ORND_CONFIG_MAX_EXPIRES_S >= 1u && ORND_CONFIG_MAX_EXPIRES_S <= 2147483u,
            "ORND_CONFIG_MAX_EXPIRES_S: 1-2147483 (lifetimes in ms below 2^31)");
ORND__CHECK(ORND_CONFIG_REFRESH_MARGIN_S >= 1u &&
                ORND_CONFIG_REFRESH_MARGIN_S <= ORND_CONFIG_MAX_EXPIRES_S,
            "ORND_CONFIG_REFRESH_MARGIN_S: 1-ORND_CONFIG_MAX_EXPIRES_S");
ORND__CHECK(ORND_CONFIG_DEFAULT_EXPIRES_S >= 1u &&
                ORND_CONFIG_DEFAULT_EXPIRES_S <= ORND_CONFIG_MAX_EXPIRES_S,
            "ORND_CONFIG_DEFAULT_EXPIRES_S: 1-ORND_CONFIG_MAX_EXPIRES_S");
ORND__CHECK(ORND_CONFIG_ERROR_CODE_MAX >= 1u && ORND_CONFIG_ERROR_CODE_MAX <= 255u,
            "ORND_CONFIG_ERROR_CODE_MAX: 1-255");
ORND__CHECK(ORND_CONFIG_ERROR_TEXT_MAX >= 1u && ORND_CONFIG_ERROR_TEXT_MAX <= 4096u,
            "ORND_CONFIG_ERROR_TEXT_MAX: 1-4096");
ORND__CHECK(ORND_CONFIG_HTTP_FIELD_MAX >= 32u && ORND_CONFIG_HTTP_FIELD_MAX <= 0xFFFFu,
            "ORND_CONFIG_HTTP_FIELD_MAX: 32-65535");
ORND__CHECK(ORND_CONFIG_HTTP_NAME_MAX >= 17u && ORND_CONFIG_HTTP_NAME_MAX < 0xFFu,
            "ORND_CONFIG_HTTP_NAME_MAX: 17-254");
ORND__CHECK(ORND_CONFIG_HTTP_HEADERS_MAX >= 1024u && ORND_CONFIG_HTTP_HEADERS_MAX < 0xFFFFFFFFu,
            "ORND_CONFIG_HTTP_HEADERS_MAX: 1024-4294967294 (counted in 32 bits)");
ORND__CHECK(ORND_CONFIG_HTTP_HEADER_COUNT_MAX >= 1u && ORND_CONFIG_HTTP_HEADER_COUNT_MAX < 0xFFFFu,
            "ORND_CONFIG_HTTP_HEADER_COUNT_MAX: 1-65534 (counted in 16 bits)");
ORND__CHECK(ORND_CONFIG_TOKEN_BODY_MAX >= 1024u && ORND_CONFIG_TOKEN_BODY_MAX <= 16777216u,
            "ORND_CONFIG_TOKEN_BODY_MAX: 1024-16777216");
ORND__CHECK(ORND_CONFIG_JSON_DEPTH_MAX >= 1u && ORND_CONFIG_JSON_DEPTH_MAX <= 0xFFFFu,
            "ORND_CONFIG_JSON_DEPTH_MAX: 1-65535 (the depth is kept in 16 bits)");
ORND__CHECK(ORND_CONFIG_TLS_POOL_SIZE >= 16384u, "ORND_CONFIG_TLS_POOL_SIZE: 16384 and up");
ORND__CHECK(ORND_CONFIG_TIMEOUT_MS >= 1u && ORND_CONFIG_TIMEOUT_MS <= 600000u,
            "ORND_CONFIG_TIMEOUT_MS: 1-600000");
ORND__CHECK(ORND_CONFIG_RECV_CHUNK >= 16u && ORND_CONFIG_RECV_CHUNK <= 16384u,
            "ORND_CONFIG_RECV_CHUNK: 16-16384");
ORND__CHECK(ORND_CONFIG_TOKEN_REQUESTS_PER_MIN >= 1u && ORND_CONFIG_TOKEN_REQUESTS_PER_MIN <= 255u,
            "ORND_CONFIG_TOKEN_REQUESTS_PER_MIN: 1-255 (kept in 8 bits, used as a divisor)");
ORND__CHECK(ORND_CONFIG_BACKOFF_MAX_MS <= 1073741823u,
            "ORND_CONFIG_BACKOFF_MAX_MS: at most 2^30 - 1 (tick arithmetic stays wrap-safe)");
ORND__CHECK(ORND_CONFIG_BACKOFF_BASE_MS >= 1u &&
                ORND_CONFIG_BACKOFF_BASE_MS <= ORND_CONFIG_BACKOFF_MAX_MS,
            "ORND_CONFIG_BACKOFF_BASE_MS: 1-ORND_CONFIG_BACKOFF_MAX_MS");
ORND__CHECK(ORND_CONFIG_RETRY_AFTER_MAX_S >= 1u && ORND_CONFIG_RETRY_AFTER_MAX_S <= 86400u,
            "ORND_CONFIG_RETRY_AFTER_MAX_S: 1-86400");
ORND__CHECK(ORND_CONFIG_API_HEAD_MAX >= ORND_CONFIG_TOKEN_MAX + 256u &&
                ORND_CONFIG_API_HEAD_MAX <= 131072u,
            "ORND_CONFIG_API_HEAD_MAX: ORND_CONFIG_TOKEN_MAX + 256 to 131072 (the token "
            "waits at the end of the head buffer)");
ORND__CHECK(ORND_CONFIG_API_BASE_MAX >= 1u && ORND_CONFIG_API_BASE_MAX <= 1024u,
            "ORND_CONFIG_API_BASE_MAX: 1-1024");
ORND__CHECK(ORND_CONFIG_API_PATH_MAX >= 16u && ORND_CONFIG_API_PATH_MAX <= 4096u,
            "ORND_CONFIG_API_PATH_MAX: 16-4096");
ORND__CHECK(ORND_CONFIG_API_CURSOR_MAX >= 1u &&
                ORND_CONFIG_API_CURSOR_MAX <= ORND_CONFIG_API_PATH_MAX,
            "ORND_CONFIG_API_CURSOR_MAX: 1-ORND_CONFIG_API_PATH_MAX");
ORND__CHECK(ORND_CONFIG_API_ERROR_TEXT_MAX >= 1u && ORND_CONFIG_API_ERROR_TEXT_MAX <= 4096u,
            "ORND_CONFIG_API_ERROR_TEXT_MAX: 1-4096");
ORND__CHECK(ORND_CONFIG_MATCH_PATHS_MAX >= 1u && ORND_CONFIG_MATCH_PATHS_MAX <= 32u,
            "ORND_CONFIG_MATCH_PATHS_MAX: 1-32 (one bit per path in 32-bit masks)");
ORND__CHECK(ORND_CONFIG_MATCH_STEPS_MAX >= 1u && ORND_CONFIG_MATCH_STEPS_MAX <= 32u,
            "ORND_CONFIG_MATCH_STEPS_MAX: 1-32 (one bit per step in 32-bit masks)");
ORND__CHECK(ORND_CONFIG_MATCH_NAME_MAX >= 1u && ORND_CONFIG_MATCH_NAME_MAX <= 255u,
            "ORND_CONFIG_MATCH_NAME_MAX: 1-255 (name lengths are kept in 8 bits)");
ORND__CHECK(ORND_CONFIG_TLS_CONN_STORAGE >= 256u && ORND_CONFIG_TLS_CONN_STORAGE <= 65536u &&
                ORND_CONFIG_TLS_CONN_STORAGE % 8u == 0u,
            "ORND_CONFIG_TLS_CONN_STORAGE: 256-65536, a multiple of 8");
ORND__CHECK(ORND_CONFIG_TLS_CONF_STORAGE >= 256u && ORND_CONFIG_TLS_CONF_STORAGE <= 65536u &&
                ORND_CONFIG_TLS_CONF_STORAGE % 8u == 0u,
            "ORND_CONFIG_TLS_CONF_STORAGE: 256-65536, a multiple of 8");
ORND__CHECK(ORND_CONFIG_TLS_RNG_HOOK == 0 || ORND_CONFIG_TLS_RNG_HOOK == 1,
            "ORND_CONFIG_TLS_RNG_HOOK: 0 or 1");
ORND__CHECK(ORND_CONFIG_TLS_TIME_HOOK == 0 || ORND_CONFIG_TLS_TIME_HOOK == 1,
            "ORND_CONFIG_TLS_TIME_HOOK: 0 or 1");
ORND__CHECK(ORND_CONFIG_MIN_UNIX_TIME >= 0, "ORND_CONFIG_MIN_UNIX_TIME: 0 and up");
ORND__CHECK(ORND_CONFIG_ERROR_STRINGS == 0 || ORND_CONFIG_ERROR_STRINGS == 1,
            "ORND_CONFIG_ERROR_STRINGS: 0 or 1");

/* ---- Fingerprint ------------------------------------------------------------- */

/* One number for every setting above that shapes a struct. ornd_client_init()
 * and ornd_api_init() pass the caller's value (and the caller's sizeof) to
 * the library, which refuses a mismatch with ORND_ERR_ABI instead of
 * writing past the caller's struct. */
#define ORND__FP(h, v) ((((unsigned long)(h) ^ (unsigned long)(v)) * 16777619ul) & 0xFFFFFFFFul)
#define ORND__FP_0 ORND__FP(2166136261ul, ORND_CONFIG_CLIENT_ID_MAX)
#define ORND__FP_1 ORND__FP(ORND__FP_0, ORND_CONFIG_CLIENT_SECRET_MAX)
#define ORND__FP_2 ORND__FP(ORND__FP_1, ORND_CONFIG_SCOPE_MAX)
#define ORND__FP_3 ORND__FP(ORND__FP_2, ORND_CONFIG_HOST_MAX)
#define ORND__FP_4 ORND__FP(ORND__FP_3, ORND_CONFIG_PATH_MAX)
#define ORND__FP_5 ORND__FP(ORND__FP_4, ORND_CONFIG_REQUEST_MAX)
#define ORND__FP_6 ORND__FP(ORND__FP_5, ORND_CONFIG_TOKEN_MAX)
#define ORND__FP_7 ORND__FP(ORND__FP_6, ORND_CONFIG_ERROR_CODE_MAX)
#define ORND__FP_8 ORND__FP(ORND__FP_7, ORND_CONFIG_ERROR_TEXT_MAX)
#define ORND__FP_9                                                                                 \
    ORND__FP(ORND__FP(ORND__FP_8, ORND_CONFIG_HTTP_FIELD_MAX), ORND_CONFIG_HTTP_NAME_MAX)
#define ORND__FP_10 ORND__FP(ORND__FP_9, ORND_CONFIG_JSON_DEPTH_MAX)
#define ORND__FP_11 ORND__FP(ORND__FP_10, ORND_CONFIG_RECV_CHUNK)
#define ORND__FP_12 ORND__FP(ORND__FP_11, ORND_CONFIG_TOKEN_REQUESTS_PER_MIN)
#define ORND__FP_13 ORND__FP(ORND__FP_12, ORND_CONFIG_API_HEAD_MAX)
#define ORND__FP_14 ORND__FP(ORND__FP_13, ORND_CONFIG_API_BASE_MAX)
#define ORND__FP_15 ORND__FP(ORND__FP_14, ORND_CONFIG_API_PATH_MAX)
#define ORND__FP_16 ORND__FP(ORND__FP_15, ORND_CONFIG_API_CURSOR_MAX)
#define ORND__FP_17 ORND__FP(ORND__FP_16, ORND_CONFIG_API_ERROR_TEXT_MAX)
#define ORND__FP_18 ORND__FP(ORND__FP_17, ORND_CONFIG_MATCH_PATHS_MAX)
#define ORND__FP_19 ORND__FP(ORND__FP_18, ORND_CONFIG_MATCH_STEPS_MAX)
#define ORND__FP_20 ORND__FP(ORND__FP_19, ORND_CONFIG_TLS_CONN_STORAGE)
#define ORND__FP_21 ORND__FP(ORND__FP_20, ORND_CONFIG_TLS_CONF_STORAGE)
#define ORND_CONFIG_FINGERPRINT ((uint32_t)ORND__FP_21)

#endif /* ORND_CONFIG_H */
