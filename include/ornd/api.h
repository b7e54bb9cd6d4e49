/* SPDX-License-Identifier: MIT */
/*
 * Authenticated OfficeRnD API calls over one kept-alive TLS connection.
 *
 * An ornd_api_t talks to one API host (by default app.officernd.com) for one
 * organisation. It takes its bearer token from an ornd_client_t and attaches
 * it to every request; it keeps its connection open between requests
 * (HTTP/1.1 persistent connections) and re-opens it, resuming the TLS
 * session, when the server has closed it.
 *
 *   static ornd_posix_conn_t api_conn;  // the API connection's own context
 *   static ornd_transport_t api_transport;
 *   static ornd_api_t api;
 *
 *   ornd_posix_transport(&api_transport, &api_conn);
 *   ornd_api_settings_t as = {.client = &client, .transport = &api_transport, .org = "acme"};
 *   ornd_err_t rc = ornd_api_init(&api, &as);
 *   ornd_api_result_t res;
 *   ornd_api_handler_t h = {.on_body = my_json_feed, .user = &my_state};
 *   rc = ornd_api_request(&api, "GET", "/members?email=ada%40example.com", NULL, 0, &h, &res);
 *
 * The answer's body streams to the handler in pieces as it arrives (feed it
 * to ornd_match_t, ornd_json_t or your own parser); nothing is buffered.
 *
 * What a request does on the server's answers:
 *   2xx       the body goes to the handler; ORND_OK.
 *   401       the cached token is dropped, one new token is fetched and the
 *             request sent once more; a second 401 is ORND_ERR_API_UNAUTHORIZED.
 *   403       ORND_ERR_API_FORBIDDEN (the application lacks the scope); not retried.
 *   429, 5xx  ORND_ERR_RATE_LIMITED / ORND_ERR_UNAVAILABLE with Retry-After in
 *             the result; not retried here (the caller decides when).
 *   other 4xx ORND_ERR_API_REJECTED; the start of the body is in the result.
 *
 * Requests are never sent twice silently. When a kept-alive connection turns
 * out to be closed before the answer started, an idempotent request (GET,
 * HEAD, PUT, DELETE, OPTIONS) is sent once more on a new connection; any
 * other (a POST check-in) is not, and the call returns
 * ORND_ERR_OUTCOME_UNKNOWN: the caller must find out whether it took effect.
 * A request that fails before any of it was written (connect, handshake) may
 * always be sent again.
 *
 * One ornd_api_t is used by one task at a time; several tasks may each have
 * their own, sharing one ornd_client_t (see ornd_token()).
 */
#ifndef ORND_API_H
#define ORND_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/client.h"
#include "ornd/config.h"
#include "ornd/core/http_reader.h"
#include "ornd/core/private.h"
#include "ornd/core/tls.h"
#include "ornd/error.h"
#include "ornd/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* OfficeRnD's API host and the path of an organisation's v2 API. */
#define ORND_DEFAULT_API_URL "https://app.officernd.com/api/v2/organizations"

typedef struct {
    ornd_client_t *client;             /* required: where tokens come from (and the
                                          platform: clock, lock) */
    const ornd_transport_t *transport; /* required: this object's own
                                connection (not the client's), which must
                                outlive the ornd_api_t */
    const char *api_url;               /* https://host[:port]/path of the API up to
                                          the organisation; NULL: the default */
    const char *org;                   /* organisation slug appended to api_url as
                                          "/<org>"; NULL or "": api_url is complete */
    uint32_t timeout_ms;               /* each network step; 0: the client's */
} ornd_api_settings_t;

/* Receives the body of a 2xx answer in pieces. Return ORND_OK to go on, a
 * negative code to stop: the call then returns that code and the connection
 * is closed (the rest of the answer is not read). */
typedef ornd_err_t (*ornd_api_body_cb_t)(void *user, const uint8_t *data, size_t len);

typedef struct {
    ornd_api_body_cb_t on_body; /* may be NULL: the body is read and dropped */
    /* Called once the whole body of a 2xx answer has arrived (may be NULL),
     * e.g. to finish a JSON parser; a negative return fails the request. */
    ornd_err_t (*on_end)(void *user);
    void *user;
    size_t body_max; /* most body bytes accepted; 0: no limit */
} ornd_api_handler_t;

/* What came of a request, filled by every ornd_api_request(). */
typedef struct {
    int status; /* HTTP status of the last answer, 0 if none */
    bool has_retry_after;
    uint32_t retry_after_s;
    bool invalid_token;      /* a 401 said WWW-Authenticate: Bearer error="invalid_token" */
    uint8_t token_refreshes; /* new tokens fetched because of a 401 (0 or 1) */
    uint8_t sends;           /* times the request was written (1, or 2 after a 401
                                or a stale kept-alive connection) */
    bool reused;             /* the first send went over a kept-alive connection */
    uint64_t body_bytes;     /* body bytes of the final answer */
    char error_text[ORND_CONFIG_API_ERROR_TEXT_MAX + 1]; /* start of a non-2xx
                                   body, controls as spaces */
    bool error_text_truncated;
} ornd_api_result_t;

/* All state of one API connection. The members are private (ORND_PRIVATE). */
typedef struct {
    uint32_t ORND_PRIVATE(magic);
    ornd_client_t *ORND_PRIVATE(client);
    const ornd_platform_t *ORND_PRIVATE(platform); /* the client's */
    char ORND_PRIVATE(host)[ORND_CONFIG_HOST_MAX + 1];
    char ORND_PRIVATE(base)[ORND_CONFIG_API_BASE_MAX + 1]; /* path prefix, no trailing '/' */
    uint16_t ORND_PRIVATE(tcp_port);
    uint32_t ORND_PRIVATE(timeout_ms);
    uint32_t ORND_PRIVATE(connections); /* TCP connections opened so far */
    /* per request */
    ornd_api_result_t *ORND_PRIVATE(res);
    const ornd_api_handler_t *ORND_PRIVATE(handler);
    const char *ORND_PRIVATE(method);
    const char *ORND_PRIVATE(path);
    const uint8_t *ORND_PRIVATE(body);
    size_t ORND_PRIVATE(body_len);
    uint8_t ORND_PRIVATE(state);    /* see api.c */
    bool ORND_PRIVATE(nonblocking); /* started by ornd_api_start() */
    bool ORND_PRIVATE(stale_retried);
    bool ORND_PRIVATE(reused);  /* this send: over the kept connection */
    bool ORND_PRIVATE(started); /* bytes of the answer arrived */
    size_t ORND_PRIVATE(token_len);
    size_t ORND_PRIVATE(out_len);    /* head bytes built */
    size_t ORND_PRIVATE(out_sent);   /* of the head or body, sent */
    uint32_t ORND_PRIVATE(deadline); /* platform clock: the step ends here */
    size_t ORND_PRIVATE(text_len);
    ornd_err_t ORND_PRIVATE(handler_err);
    ornd_http_reader_t ORND_PRIVATE(http);
    union {
        char head[ORND_CONFIG_API_HEAD_MAX];
        uint8_t rx[ORND_CONFIG_RECV_CHUNK];
    } ORND_PRIVATE(scratch);
    ornd_tls_t ORND_PRIVATE(tls);
} ornd_api_t;

/*
 * Check and copy the settings. No network I/O. The client must be
 * initialised and outlive the ornd_api_t; it lends its CA certificates and
 * its platform. A macro, as ornd_client_init() is (the library refuses a
 * struct compiled with other settings).
 * Errors: ORND_ERR_ARG, ORND_ERR_ABI, ORND_ERR_PORT (a required transport
 * member is NULL), ORND_ERR_STATE (client not initialised, or this object
 * already is: release it first), ORND_ERR_CONFIG_URL,
 * ORND_ERR_CONFIG_TOO_LONG.
 */
#define ornd_api_init(a, s) ornd__api_init((a), (s), sizeof(ornd_api_t), ORND_CONFIG_FINGERPRINT)
ornd_err_t ornd__api_init(ornd_api_t *a, const ornd_api_settings_t *s, size_t size,
                          uint32_t fingerprint);

/*
 * Send one request and stream the answer's body to `h` (may be NULL).
 * `method` is an HTTP method; `path` starts with '/' and is appended to the
 * organisation's base path (query included, already percent-encoded).
 * `body` (JSON, may be NULL when body_len is 0) is sent with
 * Content-Type: application/json. `res` (required) receives the details.
 * Blocks: each network step is bounded by the timeout.
 * Errors: any ornd_err_t; see the top of this header for the API's answers.
 * Before anything is opened or sent, the head is built once as a check with
 * a token of ORND_CONFIG_TOKEN_MAX bytes: a method that is not an HTTP token
 * or a path with control bytes or spaces is ORND_ERR_ARG, a base path + path
 * that leaves no room for the token ORND_ERR_CONFIG_TOO_LONG, a head that
 * does not fit ORND_CONFIG_API_HEAD_MAX with it ORND_ERR_BUF_TOO_SMALL. A
 * request that goes once goes with every token.
 */
ornd_err_t ornd_api_request(ornd_api_t *a, const char *method, const char *path,
                            const uint8_t *body, size_t body_len, const ornd_api_handler_t *h,
                            ornd_api_result_t *res);

/*
 * The same request, never blocking, for a super loop: ornd_api_start()
 * checks the arguments and returns (no I/O); then call ornd_api_poll() on
 * every pass until it returns something other than ORND_IN_PROGRESS: the
 * outcome ornd_api_request() would have returned. Each poll does what the
 * network allows without waiting (a token fetch included, through
 * ornd_token_poll()); each network step is bounded by the timeout, checked
 * on each poll. `method`, `path`, `body`, `h` and `res` must stay valid
 * until the end. Needs a transport with connect_start (ORND_ERR_PORT);
 * ORND_ERR_STATE when a request is already under way. ornd_api_close()
 * gives an unfinished request up.
 */
ornd_err_t ornd_api_start(ornd_api_t *a, const char *method, const char *path, const uint8_t *body,
                          size_t body_len, const ornd_api_handler_t *h, ornd_api_result_t *res);
ornd_err_t ornd_api_poll(ornd_api_t *a);

/* TCP connections opened so far (for tests and statistics). */
uint32_t ornd_api_connections(const ornd_api_t *a);

/* Close the connection, if open; the TLS session is kept for resumption. */
void ornd_api_close(ornd_api_t *a);

/* Close the connection and forget its session. */
void ornd_api_release(ornd_api_t *a);

#ifdef __cplusplus
}
#endif

#endif /* ORND_API_H */
