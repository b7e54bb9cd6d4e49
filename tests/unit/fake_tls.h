/* SPDX-License-Identifier: MIT */
/* Scripted stand-in for src/tls.c and a simulated port (see fake_tls.c). */
#ifndef FAKE_TLS_H
#define FAKE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/core/tls.h"

#define FAKE_API_HOST "api.example"
#define FAKE_CONNS 8
#define FAKE_ANSWERS 8

typedef struct {
    const char *answers[FAKE_ANSWERS]; /* one per request; "<CLOSE>", "<RESET>" */
    bool closed_when_idle;             /* the server closed it while idle */
    /* state */
    unsigned next_answer;
    size_t pos;
    bool pending;
} fake_conn_t;

typedef struct {
    fake_conn_t api_conns[FAKE_CONNS]; /* scripts of the API connections, in order */
    int api_connect_rc;
    unsigned api_conn_count;  /* API connections opened */
    unsigned api_closes;
    unsigned api_requests;    /* requests written to the API */
    unsigned token_requests;  /* token fetches (connections to the identity host) */
    size_t read_chunk;        /* bytes per read; 0: as many as asked */
    unsigned would_block_each; /* non-blocking identity connection: "not yet"
                                  this many times before each step */
    unsigned blocked_in_step;
    unsigned would_blocks;    /* "not yet" answers given */
    char sent[16384];         /* everything written to the API */
    size_t sent_len;
    /* identity host */
    char token_answer[512];
    size_t token_pos;
    /* the time each connection was given before it opened (ornd_tls_set_time) */
    unsigned opens;           /* connections opened, both hosts */
    unsigned opens_with_time; /* of which with a known time */
    int64_t last_time;        /* the last known time given */
} fake_world_t;

extern fake_world_t fake;

/* A transport for the identity host, when a test scripts it byte by byte
 * (test_client); NULL: fake_tls.c hands out "tok-<n>" answers itself. */
typedef struct {
    void *ctx;
    ornd_err_t (*connect)(void *ctx, const char *host, uint16_t port);
    ornd_err_t (*write)(void *ctx, const uint8_t *buf, size_t len);
    /* ORND_OK with *got >= 1, ORND_ERR_CLOSED at the end, or an error */
    ornd_err_t (*read)(void *ctx, uint8_t *buf, size_t len, size_t *got);
    void (*close)(void *ctx);
} fake_io_t;

extern const fake_io_t *fake_identity_io;

void fake_reset(void);

/* The simulated platform: the clock is fake_clock_ms, the entropy a fixed
 * pseudo-random sequence. The transports' network calls fail (the
 * connections are fake_tls.c's); the polling one can also connect without
 * waiting, for the polled calls. */
extern uint32_t fake_clock_ms;
/* The platform's wall clock: fake_unix_time while fake_time_known (a test
 * sets both; fake_reset() leaves them alone), else ORND_ERR_TIME_UNKNOWN. */
extern int64_t fake_unix_time;
extern bool fake_time_known;
extern const ornd_platform_t fake_platform;
extern const ornd_transport_t fake_transport;
extern const ornd_transport_t fake_polling_transport;

/* Call poll(arg) until it returns something other than ORND_IN_PROGRESS,
 * the clock moving step_ms a pass; *passes counts the ORND_IN_PROGRESS
 * answers. */
ornd_err_t fake_poll_to_end(ornd_err_t (*poll)(void *arg), void *arg, uint32_t step_ms,
                            unsigned *passes);

#endif /* FAKE_TLS_H */
