/* SPDX-License-Identifier: MIT */
/*
 * A scripted server for host tests of code written against ornd_client_t and
 * ornd_api_t: no TLS, no network, a clock the test sets.
 *
 * Link the program with libornd-testing.a instead of libornd.a and mbedTLS.
 * That archive holds the library's core and sessions, a plain stand-in for
 * the TLS layer (port/testing/tls_plain.c: bytes pass through unencrypted,
 * no certificate is read or checked) and the scripted transport below
 * (port/testing/script.c). The code under test is unchanged: it takes an
 * ornd_platform_t and ornd_transport_t as it would take the POSIX or lwIP
 * port's, and calls the library as on the device.
 *
 *   static ornd_test_platform_t sim;        the clock and entropy
 *   static ornd_test_conn_t id, api;        one scripted peer per transport
 *   static ornd_platform_t platform;
 *   static ornd_transport_t id_tr, api_tr;
 *
 *   ornd_test_platform(&platform, &sim, 1000);
 *   ornd_test_transport(&id_tr, &id, &sim);
 *   ornd_test_transport(&api_tr, &api, &sim);
 *   ornd_test_add(&id, ornd_test_token(3600, ORND_TEST_FOREVER));
 *   ornd_test_add(&api, ornd_test_json(200, "{\"results\":[]}"));
 *   ornd_test_add(&api, ornd_test_json(401, NULL));   token refused: refresh
 *   ornd_test_add(&api, ornd_test_step(ORND_TEST_DROP));
 *   ... run the code under test; then look at id.requests, api.connects,
 *   ornd_test_count(&api, "POST"), ornd_test_sent(&api, &len) ...
 *
 * The script: a list of steps, one consumed per request the peer receives
 * (a REFUSE step per connection attempt), in order, across the
 * connections the client opens on that transport. A step with `times`
 * serves that many requests (ORND_TEST_FOREVER: all that come). When the
 * script is used up, requests are answered by dropping the connection.
 *
 * The peer behaves as a server does: it answers once a whole request (head
 * and Content-Length body) is in; it keeps the connection open after an
 * answer unless the request or the answer said "Connection: close" or the
 * step was ORND_TEST_ANSWER_CLOSE; a receive on a silent connection waits
 * the call's timeout on the simulated clock (the clock moves on by it) and
 * returns ORND_ERR_TIMEOUT, or ORND_ERR_WOULD_BLOCK with timeout 0. Each
 * connection starts with a short greeting from the peer (ORND_TEST_GREETING)
 * that the plain TLS layer reads as its handshake, so that the handshake
 * is a network step that can wait, fail or time out as with TLS.
 *
 * Everything is static storage; nothing allocates. Not thread-safe: one
 * test thread drives the library and the peers.
 */
#ifndef ORND_TESTING_H
#define ORND_TESTING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/error.h"
#include "ornd/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What the scripted peer sends first on every connection; the plain TLS
 * layer's handshake reads it. */
#define ORND_TEST_GREETING "ornd-plain/1\r\n"
#define ORND_TEST_GREETING_LEN (sizeof ORND_TEST_GREETING - 1u)

#define ORND_TEST_STEPS_MAX 32u       /* steps of one script */
#define ORND_TEST_RECORD_MAX 16384u   /* bytes of what the client sent, kept */
#define ORND_TEST_REQUESTS_KEPT 32u   /* requests described in `log` */
#define ORND_TEST_TARGET_MAX 160u     /* bytes of a request target kept */
#define ORND_TEST_FOREVER 0xffffffffu /* a step's `times`: every request */

/* ---- the platform: a clock the test sets, reproducible entropy ----------- */

typedef struct {
    uint32_t now_ms;    /* the clock: set it, or ornd_test_advance() */
    uint32_t seed;      /* the entropy: a fixed pseudo-random sequence (NOT secure) */
    bool entropy_fail;  /* entropy returns ORND_ERR_ENTROPY */
    uint32_t waited_ms; /* total time the peers made the clock move (timeouts, delays) */
    int64_t unix_s;     /* the wall clock (seconds since 1970); ORND_TEST_UNIX_S at first */
    bool time_unknown;  /* the wall clock says ORND_ERR_TIME_UNKNOWN */
} ornd_test_platform_t;

/* The wall clock's first reading: 2026-01-01 00:00:00 UTC. */
#define ORND_TEST_UNIX_S 1767225600

/* Fill `p` (now_ms, entropy, unix_time; no lock) over `ctx`, whose clock
 * starts at `start_ms` and whose wall clock at ORND_TEST_UNIX_S. ORND_OK, or
 * ORND_ERR_ARG for NULL arguments. */
ornd_err_t ornd_test_platform(ornd_platform_t *p, ornd_test_platform_t *ctx, uint32_t start_ms);

/* Move the clock on by `ms` (it may wrap, as a tick counter does). */
void ornd_test_advance(ornd_test_platform_t *ctx, uint32_t ms);

/* Call poll(arg) until it returns something other than ORND_IN_PROGRESS,
 * the clock moving `step_ms` after each such pass; *passes (may be NULL)
 * counts them. After `max_passes` passes: ORND_ERR_STATE (a call that never
 * ends), so that a test fails rather than hangs. */
ornd_err_t ornd_test_poll(ornd_test_platform_t *sim, ornd_err_t (*poll)(void *arg), void *arg,
                          uint32_t step_ms, unsigned max_passes, unsigned *passes);

/* ---- the script ------------------------------------------------------------ */

typedef enum {
    ORND_TEST_ANSWER = 1,   /* `text` (a whole HTTP answer) to the next request */
    ORND_TEST_ANSWER_CLOSE, /* the same, then the peer closes the connection */
    ORND_TEST_JSON,         /* an answer made of `status` (0: 200), `retry_after_s` (0: none)
                               and `text` as a JSON body (NULL: none), with its length; a
                               401 says WWW-Authenticate: Bearer error="invalid_token" */
    ORND_TEST_TOKEN,        /* a token answer: "tok-<n>" (n counting this peer's token
                               answers from 1), expires_in `status` seconds (0: 3599) */
    ORND_TEST_DROP,         /* the request arrives; the connection is closed unanswered */
    ORND_TEST_RESET,        /* the request arrives; the connection is reset (ORND_ERR_NET) */
    ORND_TEST_STALL,        /* the request arrives and is never answered */
    ORND_TEST_REFUSE,       /* the next connection attempt fails with `err` (0: CONNECT) */
} ornd_test_kind_t;

typedef struct {
    ornd_test_kind_t kind;
    const char *text; /* ANSWER, JSON: NUL-terminated unless `len` is set */
    size_t len;       /* bytes of `text`; 0: strlen */
    int status;       /* JSON: the status; TOKEN: expires_in */
    uint32_t retry_after_s;
    ornd_err_t err;    /* REFUSE */
    uint32_t delay_ms; /* the peer takes this long before answering (or refusing) */
    uint32_t times;    /* requests served by this step; 0: 1; ORND_TEST_FOREVER */
} ornd_test_step_t;

/* Step builders (plain struct values; adjust fields as needed). */
ornd_test_step_t ornd_test_step(ornd_test_kind_t kind);
ornd_test_step_t ornd_test_answer(const char *http_answer);
ornd_test_step_t ornd_test_json(int status, const char *body);
ornd_test_step_t ornd_test_token(int expires_in_s, uint32_t times);

/* ---- a scripted peer, the context of one transport ----------------------- */

typedef struct {
    char method[12];
    char target[ORND_TEST_TARGET_MAX]; /* cut to fit */
    size_t body_len;
    size_t offset;             /* where its bytes start in `sent` */
    ornd_test_kind_t answered; /* the step that answered it */
    int status;                /* the answer's status; 0: none was sent */
} ornd_test_request_t;

typedef struct ornd_test_conn ornd_test_conn_t;

struct ornd_test_conn {
    /* settings, any time */
    ornd_test_step_t steps[ORND_TEST_STEPS_MAX];
    size_t read_chunk; /* at most this many bytes per recv; 0: as asked */
    size_t send_chunk; /* at most this many bytes taken per send; 0: all */
    void (*on_request)(void *user, const ornd_test_request_t *req); /* optional */
    void *user;
    unsigned n_steps;
    unsigned would_block_each; /* calls with timeout 0: "not now" this many times
                                  before each one that would move goes through */

    /* what happened (read them; ornd_test_reset_counts() zeroes them) */
    unsigned connects;     /* connection attempts (refused ones included) */
    unsigned closes;       /* closes of an open connection by the client */
    unsigned requests;     /* whole requests received */
    unsigned tokens;       /* token answers given */
    unsigned would_blocks; /* "not now" answers given for would_block_each */
    uint16_t port;         /* of the last connection attempt */
    bool sent_overflow;    /* more was sent than `sent` keeps */
    size_t sent_len;
    ornd_test_request_t log[ORND_TEST_REQUESTS_KEPT]; /* the first requests */
    char host[128];                                   /* of the last connection attempt */
    char sent[ORND_TEST_RECORD_MAX + 1u];             /* every byte of every request, NUL-ended */

    /* the peer's state: not for tests */
    ornd_test_platform_t *sim;
    const char *part[2]; /* the answer: a head, then a body */
    size_t part_len[2], part_pos[2];
    size_t greeting_pos, line_len, body_left, req_start;
    ornd_test_request_t cur;
    unsigned next_step, step_used, blocked;
    ornd_err_t fail_err;
    uint32_t ready_at; /* the answer may start at this time */
    bool open, reset, fin, stalled, fail_pending, answering, close_after, in_body, req_close,
        target_done;
    char line[96];
    char head_buf[384];
};

/* Fill `t` (connect, connect_start, send, recv, close) over peer `c`, whose
 * waits move `sim`'s clock; `c` is zeroed (no script yet). Set
 * t->connect_start to NULL for a transport that can only block. */
ornd_err_t ornd_test_transport(ornd_transport_t *t, ornd_test_conn_t *c, ornd_test_platform_t *sim);

/* Append a step: ORND_OK, or ORND_ERR_BUF_TOO_SMALL when the script is full. */
ornd_err_t ornd_test_add(ornd_test_conn_t *c, ornd_test_step_t step);

/* Replace the script with `n` steps (from the first again). */
ornd_err_t ornd_test_script(ornd_test_conn_t *c, const ornd_test_step_t *steps, size_t n);

/* Zero what happened (counters, record, log); the script stays. */
void ornd_test_reset_counts(ornd_test_conn_t *c);

/* What the client sent on this transport, all requests in a row. */
const char *ornd_test_sent(const ornd_test_conn_t *c, size_t *len);

/* How many times `needle` occurs in what was sent (e.g. a method and
 * target: "POST /api/v2/organizations/acme/checkins "). */
unsigned ornd_test_count(const ornd_test_conn_t *c, const char *needle);

/* The i-th request received (from 0), or NULL beyond ORND_TEST_REQUESTS_KEPT
 * or `requests`. */
const ornd_test_request_t *ornd_test_request(const ornd_test_conn_t *c, unsigned i);

#ifdef __cplusplus
}
#endif

#endif /* ORND_TESTING_H */
