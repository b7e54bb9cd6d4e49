/* SPDX-License-Identifier: MIT */
/*
 * ornd-lite: OfficeRnD OAuth 2.0 tokens for devices, in static memory.
 *
 * A device holds an OfficeRnD application's client_id and client_secret. The
 * client exchanges them for a bearer token (client-credentials grant) over
 * verified TLS, keeps the token while it is valid and hands it out, or the
 * whole "Authorization: Bearer <token>" header, to the code that calls the
 * API.
 *
 *   static ornd_posix_platform_t sys;  // the port's contexts
 *   static ornd_posix_conn_t conn;
 *   static ornd_platform_t platform;
 *   static ornd_transport_t transport;
 *   static ornd_client_t client;       // all state of the client
 *
 *   // once, at start-up
 *   ornd_posix_platform(&platform, &sys);
 *   ornd_posix_transport(&transport, &conn);
 *   ornd_settings_t s = {
 *       .platform = &platform, .transport = &transport,
 *       .client_id = id, .client_secret = secret,
 *       .scope = "flex.community.members.read",
 *       .ca = ca_pem, .ca_len = ca_pem_len,   // PEM: length counts the NUL
 *   };
 *   ornd_err_t rc = ornd_client_init(&client, &s);
 *
 *   // as often as needed: the token is fetched once and reused while valid
 *   char hdr[ORND_AUTH_HEADER_MAX];
 *   rc = ornd_auth_header(&client, hdr, sizeof hdr, NULL);
 *   if (rc != ORND_OK) printf("%s\n", ornd_strerror(rc));
 *
 *   ornd_client_release(&client);     // at the end: wipes secret and token
 *
 * Threads: ornd_token() and ornd_auth_header() may be called from several
 * tasks at once when the platform provides lock/unlock: one task fetches, the
 * others wait for it and take the same token. Other calls on a client are
 * not thread-safe. Calls that may fetch a token block for up to
 * 3 x timeout_ms (see ornd_settings_t), except ornd_token_poll(), which
 * never waits.
 */
#ifndef ORND_CLIENT_H
#define ORND_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"
#include "ornd/core/oauth.h"
#include "ornd/core/private.h"
#include "ornd/core/tls.h"
#include "ornd/error.h"
#include "ornd/port.h"
#include "ornd/token.h"
#include "ornd/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* OfficeRnD's token endpoint, used when ornd_settings_t.token_url is NULL. */
#define ORND_DEFAULT_TOKEN_URL "https://identity.officernd.com/oauth/token"

/* Size of a buffer that always holds ornd_auth_header()'s output. */
#define ORND_AUTH_HEADER_MAX (sizeof("Authorization: Bearer ") + ORND_CONFIG_TOKEN_MAX)

typedef struct {
    const ornd_platform_t *platform;   /* required: clock, entropy, lock; must
                                          outlive the client (and its API objects) */
    const ornd_transport_t *transport; /* required: the connection to the token
                                          endpoint; must outlive the client */
    const char *token_url;             /* https://host[:port]/path; NULL: the default */
    const char *client_id;             /* required, NUL-terminated; copied */
    const char *client_secret;         /* required, NUL-terminated; copied (the
                                          caller may wipe its own copy at once) */
    const char *scope;                 /* space-separated scopes; NULL or "": none */
    const uint8_t *ca;                 /* CA certificates: PEM (ca_len counts the
                                          terminating NUL) or DER; parsed at init,
                                          all of them: a bundle with one that
                                          cannot be is ORND_ERR_CONFIG_CA */
    size_t ca_len;
    uint32_t timeout_ms;       /* each network step; 0: ORND_CONFIG_TIMEOUT_MS.
                                  A whole token fetch is bounded by 3x this. */
    uint32_t refresh_margin_s; /* 0: ORND_CONFIG_REFRESH_MARGIN_S */
    /* INSECURE, for benches without a clock only. false (the default): while
     * the platform's wall clock (unix_time) does not know the time, a token
     * fetch or an API connection is refused before anything is sent, with
     * ORND_ERR_TIME_UNKNOWN, because certificate validity dates cannot be
     * checked. true: such a connection goes ahead WITHOUT checking the dates
     * (an expired certificate, e.g. one whose key was retired after a leak,
     * is then accepted); with a known time the dates are checked as
     * always. */
    bool insecure_accept_unknown_time;
} ornd_settings_t;

/* All state of one client. The members are private (ORND_PRIVATE); the size
 * is fixed by ornd/config.h. */
typedef struct {
    uint32_t ORND_PRIVATE(magic);
    const ornd_platform_t *ORND_PRIVATE(platform);
    char ORND_PRIVATE(host)[ORND_CONFIG_HOST_MAX + 1];
    char ORND_PRIVATE(path)[ORND_CONFIG_PATH_MAX + 1];
    uint16_t ORND_PRIVATE(tcp_port);
    uint32_t ORND_PRIVATE(timeout_ms);
    uint32_t ORND_PRIVATE(margin_ms);
    bool ORND_PRIVATE(accept_unknown_time); /* settings.insecure_accept_unknown_time */
    uint8_t ORND_PRIVATE(client_id)[ORND_CONFIG_CLIENT_ID_MAX];
    size_t ORND_PRIVATE(client_id_len);
    uint8_t ORND_PRIVATE(client_secret)[ORND_CONFIG_CLIENT_SECRET_MAX];
    size_t ORND_PRIVATE(client_secret_len);
    char ORND_PRIVATE(scope)[ORND_CONFIG_SCOPE_MAX + 1];
    size_t ORND_PRIVATE(scope_len);
    /* token request hygiene: the last requests' times, back-off */
    uint32_t ORND_PRIVATE(sent_at)[ORND_CONFIG_TOKEN_REQUESTS_PER_MIN]; /* ring of ticks */
    uint8_t ORND_PRIVATE(sent_count);  /* entries of sent_at in use */
    uint8_t ORND_PRIVATE(sent_next);   /* where the next one goes */
    uint8_t ORND_PRIVATE(failures);    /* failed fetches in a row */
    bool ORND_PRIVATE(held);           /* no fetch before not_before */
    uint32_t ORND_PRIVATE(not_before); /* platform clock */
    /* token cache */
    bool ORND_PRIVATE(have_token);
    uint32_t ORND_PRIVATE(fetched_at); /* platform clock when the request went out */
    uint32_t ORND_PRIVATE(usable_ms);  /* lifetime less the refresh margin */
    ornd_token_t ORND_PRIVATE(token);
    ornd_server_error_t ORND_PRIVATE(server);
    /* the fetch under way (a polled one may span many calls) */
    uint8_t ORND_PRIVATE(fetch_state);    /* see client.c */
    uint32_t ORND_PRIVATE(fetch_started); /* platform clock when it began */
    uint32_t ORND_PRIVATE(fetch_deadline);
    size_t ORND_PRIVATE(request_len);  /* request bytes in scratch.request */
    size_t ORND_PRIVATE(request_sent); /* of which sent */
    /* used during a fetch only: first the request, then the answer */
    union {
        char request[ORND_CONFIG_REQUEST_MAX];
        struct {
            ornd_oauth_parser_t parser;
            uint8_t rx[ORND_CONFIG_RECV_CHUNK];
        } answer;
    } ORND_PRIVATE(scratch);
    ornd_tls_conf_t ORND_PRIVATE(tls_conf); /* CA and TLS settings, shared with API objects */
    ornd_tls_t ORND_PRIVATE(tls);           /* the connection to the token endpoint */
} ornd_client_t;

/*
 * Check and copy the settings, parse the CA certificates. Does no network
 * I/O. On error the client is left released. A macro: it passes the
 * caller's view of the struct to the library, which refuses a client
 * compiled with other settings (ornd/config.h) than the library.
 * Errors: ORND_ERR_ARG, ORND_ERR_PORT (a required platform or transport
 * member is NULL), ORND_ERR_ABI, ORND_ERR_STATE (already initialised:
 * release it first), ORND_ERR_CONFIG_URL, ORND_ERR_CONFIG_TOO_LONG (a
 * setting over its maximum, or settings whose token request, the same for
 * every fetch, does not fit ORND_CONFIG_REQUEST_MAX), ORND_ERR_CONFIG_CREDENTIALS,
 * ORND_ERR_CONFIG_CA, ORND_ERR_NO_MEM, ORND_ERR_ENTROPY, ORND_ERR_TLS.
 */
#define ornd_client_init(c, s)                                                                     \
    ornd__client_init((c), (s), sizeof(ornd_client_t), ORND_CONFIG_FINGERPRINT)
ornd_err_t ornd__client_init(ornd_client_t *c, const ornd_settings_t *s, size_t size,
                             uint32_t fingerprint);

/*
 * A valid token: the cached one while it is valid and outside the refresh
 * margin, else a freshly fetched one (blocks). `*token` stays valid until the
 * next call on this client. `len` may be NULL.
 * Errors: any ornd_err_t; for server answers see ornd_server_error().
 */
ornd_err_t ornd_token(ornd_client_t *c, const char **token, size_t *len);

/*
 * Copy a valid token (fetched first if needed) into buf, NUL-terminated;
 * `len` (may be NULL) receives its length. Unlike ornd_token(), the copy is
 * taken under the platform's lock, so it is safe while other tasks use the
 * client. ORND_ERR_BUF_TOO_SMALL when cap < the token's length + 1.
 */
ornd_err_t ornd_token_copy(ornd_client_t *c, char *buf, size_t cap, size_t *len);

/*
 * Write "Authorization: Bearer <token>" (NUL-terminated, no CRLF) into buf,
 * fetching a token first if needed. `len` (may be NULL) receives the length
 * without the NUL. ORND_ERR_BUF_TOO_SMALL when cap is too small; a buffer of
 * ORND_AUTH_HEADER_MAX bytes always suffices.
 */
ornd_err_t ornd_auth_header(ornd_client_t *c, char *buf, size_t cap, size_t *len);

/*
 * The never-blocking way to a token, for a super loop (one thread, no RTOS):
 * call it on every pass of the loop until it returns ORND_OK, then take the
 * token with ornd_token() / ornd_auth_header(), which do not fetch while it
 * is fresh. Each call goes as far as the network allows without waiting:
 *   ORND_OK            a fresh token is cached (no network I/O then);
 *   ORND_IN_PROGRESS   a fetch is under way: call again on the next pass;
 *   an error           the fetch failed (what ornd_token() would return);
 *                      ORND_ERR_TOKEN_HELD until ornd_token_wait_ms() passes.
 * The whole fetch is bounded by 3 x timeout_ms, checked on each call. Needs a
 * transport with connect_start (ORND_ERR_PORT otherwise); the lwIP raw port
 * (port/lwip/ornd_lwip_raw.h) and the POSIX port have it. A blocking call
 * made while a polled fetch is under way finishes it, waiting.
 */
ornd_err_t ornd_token_poll(ornd_client_t *c);

/* Forget (and wipe) the cached token, e.g. after the API answered 401. No
 * effect while a fetch is under way (there is no cached token then). */
void ornd_token_invalidate(ornd_client_t *c);

/* Milliseconds before a token request may go out (0: now). Token requests
 * are limited to ORND_CONFIG_TOKEN_REQUESTS_PER_MIN a minute, failed ones
 * included, and after a failure wait a jittered, growing back-off or the
 * server's Retry-After; earlier calls that need a fetch fail with
 * ORND_ERR_TOKEN_HELD. */
uint32_t ornd_token_wait_ms(const ornd_client_t *c);

/* The cached token's details (granted scope, lifetime), or NULL if none. */
const ornd_token_t *ornd_token_info(const ornd_client_t *c);

/* Seconds the cached token remains usable before a refresh (0 if none). */
uint32_t ornd_token_remaining_s(const ornd_client_t *c);

/* What the server said on the last failed fetch (status, Retry-After, OAuth
 * error code and text). Never NULL for an initialised client. */
const ornd_server_error_t *ornd_server_error(const ornd_client_t *c);

/* Close any connection, free TLS state and wipe credentials and token. */
void ornd_client_release(ornd_client_t *c);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CLIENT_H */
