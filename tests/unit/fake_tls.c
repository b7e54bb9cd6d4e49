/* SPDX-License-Identifier: MIT */
/*
 * A scripted stand-in for src/tls.c, linked into unit tests instead of it.
 *
 * Two hosts: the identity host hands out tokens "tok-1", "tok-2", ... (or a
 * scripted answer); the API host serves, per connection, a list of answers,
 * one per request, where "<CLOSE>" is a connection closed before answering
 * and "<RESET>" a broken one. Everything the client writes is recorded.
 * A test may script the identity host itself through fake_identity_io.
 */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "fake_tls.h"

#include <stdio.h>
#include <string.h>

#include "ornd/error.h"

fake_world_t fake;
const fake_io_t *fake_identity_io;

void fake_reset(void)
{
    memset(&fake, 0, sizeof fake);
}

/* ---- the simulated platform ------------------------------------------------ */

uint32_t fake_clock_ms;

static ornd_err_t no_connect(void *ctx, const char *h, uint16_t p, uint32_t t)
{
    (void)ctx, (void)h, (void)p, (void)t;
    return ORND_ERR_CONNECT;
}
static ornd_err_t no_send(void *ctx, const uint8_t *b, size_t l, uint32_t t, size_t *n)
{
    (void)ctx, (void)b, (void)l, (void)t;
    *n = 0;
    return ORND_ERR_NET;
}
static ornd_err_t no_recv(void *ctx, uint8_t *b, size_t l, uint32_t t, size_t *n)
{
    (void)ctx, (void)b, (void)l, (void)t;
    *n = 0;
    return ORND_ERR_NET;
}
static void no_close(void *ctx)
{
    (void)ctx;
}
static uint32_t sim_now(void *ctx)
{
    (void)ctx;
    return fake_clock_ms;
}
static uint32_t entropy_state = 1;
static ornd_err_t sim_entropy(void *ctx, uint8_t *b, size_t l)
{
    (void)ctx;
    for (size_t i = 0; i < l; i++) {
        entropy_state = entropy_state * 1103515245u + 12345u;
        b[i] = (uint8_t)(entropy_state >> 16);
    }
    return ORND_OK;
}

int64_t fake_unix_time = 1767225600; /* 2026-01-01 */
bool fake_time_known = true;
static ornd_err_t sim_unix_time(void *ctx, int64_t *seconds)
{
    (void)ctx;
    if (!fake_time_known) {
        return ORND_ERR_TIME_UNKNOWN;
    }
    *seconds = fake_unix_time;
    return ORND_OK;
}

const ornd_platform_t fake_platform = {
    .ctx = NULL, .now_ms = sim_now, .entropy = sim_entropy, .unix_time = sim_unix_time};

const ornd_transport_t fake_transport = {.ctx = NULL,
                                         .connect = no_connect,
                                         .send = no_send,
                                         .recv = no_recv,
                                         .close = no_close};

static ornd_err_t start_ok(void *ctx, const char *host, uint16_t p)
{
    (void)ctx, (void)host, (void)p;
    return ORND_OK; /* the fake TLS layer plays the connection */
}

const ornd_transport_t fake_polling_transport = {.ctx = NULL,
                                                 .connect = no_connect,
                                                 .connect_start = start_ok,
                                                 .send = no_send,
                                                 .recv = no_recv,
                                                 .close = no_close};

ornd_err_t fake_poll_to_end(ornd_err_t (*poll)(void *arg), void *arg, uint32_t step_ms,
                            unsigned *passes)
{
    ornd_err_t rc;
    *passes = 0;
    while ((rc = poll(arg)) == ORND_IN_PROGRESS) {
        (*passes)++;
        fake_clock_ms += step_ms;
        if (*passes == 100000u) {
            return ORND_ERR_STATE; /* never ends: the test fails on it */
        }
    }
    return rc;
}

/* ---- the shape of src/tls.c ------------------------------------------------- */

ornd_err_t ornd_tls_conf_init(ornd_tls_conf_t *cf, const uint8_t *ca, size_t ca_len)
{
    (void)ca, (void)ca_len;
    memset(cf, 0, sizeof *cf);
    cf->ready = true;
    return ORND_OK;
}

void ornd_tls_conf_free(ornd_tls_conf_t *cf)
{
    cf->ready = false;
}

void ornd_tls_init(ornd_tls_t *t, const ornd_platform_t *platform,
                   const ornd_transport_t *transport, const ornd_tls_conf_t *cf)
{
    memset(t, 0, sizeof *t);
    t->platform = platform;
    t->transport = transport;
    t->conf = cf;
    t->ready = true;
}

static bool is_api(const ornd_tls_t *t)
{
    return t->handshakes == 2u; /* marks an API connection, see connect */
}


/* A non-blocking identity connection: "not yet" fake.would_block_each
 * times before each step goes through. */
static bool not_yet(ornd_tls_t *t)
{
    if (!t->nonblocking) {
        return false;
    }
    if (fake.blocked_in_step < fake.would_block_each) {
        fake.blocked_in_step++;
        fake.would_blocks++;
        return true;
    }
    fake.blocked_in_step = 0;
    return false;
}

void ornd_tls_set_time(ornd_tls_t *t, const int64_t *unix_time)
{
    t->time_known = unix_time != NULL;
    t->unix_time = unix_time != NULL ? *unix_time : 0;
}

ornd_err_t ornd_tls_open(ornd_tls_t *t, const char *host, uint16_t port, uint32_t timeout_ms,
                         uint32_t deadline, bool nonblocking)
{
    (void)port, (void)timeout_ms, (void)deadline;
    fake.opens++;
    if (t->time_known) {
        fake.opens_with_time++;
        fake.last_time = t->unix_time;
    }
    t->connected = false;
    t->handshaking = false;
    t->nonblocking = nonblocking;
    if (nonblocking && t->transport->connect_start == NULL) {
        return ORND_ERR_PORT;
    }
    fake.blocked_in_step = 0;
    if (strcmp(host, FAKE_API_HOST) == 0) {
        if (fake.api_connect_rc != ORND_OK) {
            return fake.api_connect_rc;
        }
        if (fake.api_conn_count == FAKE_CONNS) {
            return ORND_ERR_CONNECT;
        }
        fake.api_conn_count++;
        fake_conn_t *c = &fake.api_conns[fake.api_conn_count - 1u];
        c->next_answer = 0;
        c->pos = 0;
        c->pending = false;
        t->handshakes = 2u;
    } else if (fake_identity_io != NULL) {
        ornd_err_t rc = fake_identity_io->connect(fake_identity_io->ctx, host, port);
        if (rc != ORND_OK) {
            return rc;
        }
        t->handshakes = 1u;
    } else {
        fake.token_requests++;
        fake.token_pos = 0;
        snprintf(fake.token_answer, sizeof fake.token_answer,
                 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"
                 "{\"access_token\":\"tok-%u\",\"token_type\":\"Bearer\",\"expires_in\":3599}",
                 fake.token_requests);
        t->handshakes = 1u;
    }
    t->handshaking = true;
    return ORND_OK;
}

ornd_err_t ornd_tls_handshake(ornd_tls_t *t)
{
    if (!t->handshaking) {
        return ORND_ERR_STATE;
    }
    if (not_yet(t)) {
        return ORND_ERR_WOULD_BLOCK;
    }
    t->handshaking = false;
    t->connected = true;
    return ORND_OK;
}

void ornd_tls_set_deadline(ornd_tls_t *t, uint32_t deadline)
{
    t->deadline = deadline;
}

void ornd_tls_set_nonblocking(ornd_tls_t *t, bool nonblocking)
{
    t->nonblocking = nonblocking;
}

/* Writes go through whole (the client copes with partial writes of the real
 * layer the same way: it loops). */
ornd_err_t ornd_tls_write(ornd_tls_t *t, const uint8_t *buf, size_t len, size_t *written)
{
    *written = 0;
    if (!t->connected) {
        return ORND_ERR_STATE;
    }
    if (not_yet(t)) {
        return ORND_ERR_WOULD_BLOCK;
    }
    if (!is_api(t)) {
        ornd_err_t rc = fake_identity_io != NULL
                            ? fake_identity_io->write(fake_identity_io->ctx, buf, len)
                            : ORND_OK; /* the token request: not recorded */
        *written = rc == ORND_OK ? len : 0u;
        return rc;
    }
    fake_conn_t *c = &fake.api_conns[fake.api_conn_count - 1u];
    if (fake.sent_len + len >= sizeof fake.sent) {
        return ORND_ERR_NET;
    }
    memcpy(fake.sent + fake.sent_len, buf, len);
    fake.sent_len += len;
    fake.sent[fake.sent_len] = '\0';
    if (!c->pending) {
        c->pending = true; /* a request is in: its answer comes next */
        c->pos = 0;
        fake.api_requests++;
    }
    *written = len;
    return ORND_OK;
}

ornd_err_t ornd_tls_read(ornd_tls_t *t, uint8_t *buf, size_t len, size_t *got)
{
    *got = 0;
    if (!t->connected) {
        return ORND_ERR_STATE;
    }
    const char *answer;
    size_t *pos;
    if (not_yet(t)) {
        return ORND_ERR_WOULD_BLOCK;
    }
    if (!is_api(t) && fake_identity_io != NULL) {
        return fake_identity_io->read(fake_identity_io->ctx, buf, len, got);
    }
    if (!is_api(t)) {
        answer = fake.token_answer;
        pos = &fake.token_pos;
    } else {
        fake_conn_t *c = &fake.api_conns[fake.api_conn_count - 1u];
        if (!c->pending || c->next_answer >= FAKE_ANSWERS || c->answers[c->next_answer] == NULL) {
            return ORND_ERR_CLOSED;
        }
        answer = c->answers[c->next_answer];
        if (strcmp(answer, "<CLOSE>") == 0) {
            return ORND_ERR_CLOSED;
        }
        if (strcmp(answer, "<RESET>") == 0) {
            return ORND_ERR_NET;
        }
        pos = &c->pos;
        if (*pos == strlen(answer)) { /* all served: the next request gets the next one */
            return ORND_ERR_CLOSED;
        }
    }
    size_t left = strlen(answer) - *pos;
    if (left == 0) {
        return ORND_ERR_CLOSED; /* the answer was all: the server closes */
    }
    size_t n = left < len ? left : len;
    n = (fake.read_chunk != 0 && n > fake.read_chunk) ? fake.read_chunk : n;
    memcpy(buf, answer + *pos, n);
    *pos += n;
    if (is_api(t)) {
        fake_conn_t *c = &fake.api_conns[fake.api_conn_count - 1u];
        if (c->pos == strlen(answer)) {
            c->pending = false;
            c->next_answer++;
            c->pos = 0;
        }
    }
    *got = n;
    return ORND_OK;
}

bool ornd_tls_idle_ok(ornd_tls_t *t)
{
    if (!t->connected || !is_api(t)) {
        return false;
    }
    const fake_conn_t *c = &fake.api_conns[fake.api_conn_count - 1u];
    return !c->closed_when_idle;
}

void ornd_tls_close(ornd_tls_t *t)
{
    if (t->connected && is_api(t)) {
        fake.api_closes++;
    }
    if ((t->connected || t->handshaking) && !is_api(t) && fake_identity_io != NULL) {
        fake_identity_io->close(fake_identity_io->ctx);
    }
    t->connected = false;
    t->handshaking = false;
}

void ornd_tls_free(ornd_tls_t *t)
{
    ornd_tls_close(t);
    t->ready = false;
}

bool ornd_tls_connected(const ornd_tls_t *t)
{
    return t->connected;
}

uint32_t ornd_tls_handshakes(const ornd_tls_t *t)
{
    return t->handshakes;
}
