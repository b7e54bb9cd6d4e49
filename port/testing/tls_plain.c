/* SPDX-License-Identifier: MIT */
/*
 * The TLS layer's interface (ornd/core/tls.h) without TLS, for host tests
 * (ornd/testing.h): linked in place of src/tls.c and src/tls_setup.c. Bytes
 * pass through to the transport unencrypted; no certificate is read or
 * checked. The handshake reads the scripted peer's greeting
 * (ORND_TEST_GREETING), so that it is a network step as with TLS.
 *
 * Everything else follows src/tls.c: the step timeout cut to the exchange's
 * deadline, "not now" only on non-waiting connections, the transport's
 * errors passed up, ORND_ERR_CLOSED at the end of the stream, the idle
 * check by a receive that does not wait, close before every open.
 */
#define ORND_ALLOW_PRIVATE_ACCESS
#include <string.h>

#include "ornd/core/tls.h"
#include "ornd/core/tls_transport.h"
#include "ornd/testing.h"
#include "ornd/tls_setup.h"

static const char greeting[] = ORND_TEST_GREETING;

/* The layer's own state, in the storage meant for mbedTLS's objects. */
typedef struct {
    size_t greeting_got;
} plain_t;

_Static_assert(sizeof(plain_t) <= ORND_CONFIG_TLS_CONN_STORAGE, "plain TLS state does not fit");

static plain_t *PL(ornd_tls_t *t)
{
    return (plain_t *)(void *)t->mbed.bytes_;
}

/* ---- what src/tls_setup.c offers: nothing to set up here ------------------ */

static bool pool_taken;

ornd_err_t ornd_tls_use_static_pool(void)
{
    if (pool_taken) {
        return ORND_ERR_STATE;
    }
    pool_taken = true;
    return ORND_OK;
}

ornd_err_t ornd_tls_use_platform_rng(const ornd_platform_t *platform)
{
    return platform != NULL && platform->entropy == NULL ? ORND_ERR_ARG : ORND_OK;
}

ornd_err_t ornd_tls_pool_usage(size_t *now, size_t *peak)
{
    if (now != NULL) {
        *now = 0;
    }
    if (peak != NULL) {
        *peak = 0;
    }
    return ORND_OK;
}

/* ---- configuration -------------------------------------------------------- */

ornd_err_t ornd_tls_conf_init(ornd_tls_conf_t *cf, const uint8_t *ca, size_t ca_len)
{
    memset(cf, 0, sizeof *cf);
    if (ca == NULL || ca_len == 0) {
        return ORND_ERR_ARG; /* as src/tls.c: the CA is required, though not read */
    }
    cf->ready = true;
    return ORND_OK;
}

void ornd_tls_conf_free(ornd_tls_conf_t *cf)
{
    cf->ready = false;
}

/* ---- transport calls, timed as src/tls.c times them ----------------------- */

/* ORND_OK with *n >= 1, ORND_ERR_WOULD_BLOCK (only without waiting), or the
 * error; a waiting call with no time left is ORND_ERR_TIMEOUT. */
static ornd_err_t io(ornd_tls_t *t, bool sending, uint8_t *rbuf, const uint8_t *sbuf, size_t len,
                     size_t *n)
{
    const ornd_transport_t *tr = t->transport;
    uint32_t wait;
    *n = 0;
    if (!ornd_tls_may_call(t, &wait)) {
        return t->net_err = ORND_ERR_TIMEOUT;
    }
    ornd_err_t rc =
        sending ? tr->send(tr->ctx, sbuf, len, wait, n) : tr->recv(tr->ctx, rbuf, len, wait, n);
    if (rc == ORND_OK && *n > 0 && *n <= len) {
        return ORND_OK;
    }
    *n = 0;
    if (rc == ORND_ERR_WOULD_BLOCK && ornd_tls_no_wait(t)) {
        return rc;
    }
    if (rc == ORND_ERR_CLOSED && !sending) {
        return rc;
    }
    /* a contract breach (a count of 0, "not now" while waiting) is a
     * network failure, as in src/tls.c */
    t->net_err = rc < 0 && rc != ORND_ERR_WOULD_BLOCK ? rc : ORND_ERR_NET;
    return t->net_err;
}

/* ---- connections ------------------------------------------------------------ */

void ornd_tls_init(ornd_tls_t *t, const ornd_platform_t *platform,
                   const ornd_transport_t *transport, const ornd_tls_conf_t *cf)
{
    memset(t, 0, sizeof *t);
    t->platform = platform;
    t->transport = transport;
    t->conf = cf;
    t->ready = true;
}

static ornd_err_t abandon(ornd_tls_t *t, ornd_err_t rc)
{
    t->has_session = false;
    t->transport->close(t->transport->ctx);
    t->handshaking = false;
    return rc;
}

ornd_err_t ornd_tls_open(ornd_tls_t *t, const char *host, uint16_t port, uint32_t timeout_ms,
                         uint32_t deadline, bool nonblocking)
{
    ornd_err_t rc = ornd_tls_transport_open(t, host, port, timeout_ms, deadline, nonblocking);
    if (rc != ORND_OK) {
        return rc;
    }
    PL(t)->greeting_got = 0;
    t->handshaking = true;
    return ORND_OK;
}

ornd_err_t ornd_tls_handshake(ornd_tls_t *t)
{
    if (!t->handshaking) {
        return ORND_ERR_STATE;
    }
    plain_t *p = PL(t);
    while (p->greeting_got < ORND_TEST_GREETING_LEN) {
        uint8_t buf[ORND_TEST_GREETING_LEN];
        size_t n = 0;
        ornd_err_t rc = io(t, false, buf, NULL, ORND_TEST_GREETING_LEN - p->greeting_got, &n);
        if (rc == ORND_ERR_WOULD_BLOCK) {
            return rc;
        }
        if (rc != ORND_OK) {
            return abandon(t, rc);
        }
        if (memcmp(buf, &greeting[p->greeting_got], n) != 0) {
            return abandon(t, ORND_ERR_TLS); /* not the peer the layer expects */
        }
        p->greeting_got += n;
    }
    t->handshaking = false;
    t->connected = true;
    t->handshakes++;
    t->has_session = true;
    return ORND_OK;
}

/* Kept for the tests to read (there are no certificates to check here). */
void ornd_tls_set_time(ornd_tls_t *t, const int64_t *unix_time)
{
    t->time_known = unix_time != NULL;
    t->unix_time = unix_time != NULL ? *unix_time : 0;
}

void ornd_tls_set_deadline(ornd_tls_t *t, uint32_t deadline)
{
    t->deadline = deadline;
}

void ornd_tls_set_nonblocking(ornd_tls_t *t, bool nonblocking)
{
    t->nonblocking = nonblocking;
}

ornd_err_t ornd_tls_write(ornd_tls_t *t, const uint8_t *buf, size_t len, size_t *written)
{
    *written = 0;
    if (!t->connected) {
        return ORND_ERR_STATE;
    }
    return io(t, true, NULL, buf, len, written);
}

ornd_err_t ornd_tls_read(ornd_tls_t *t, uint8_t *buf, size_t len, size_t *got)
{
    *got = 0;
    if (!t->connected) {
        return ORND_ERR_STATE;
    }
    return io(t, false, buf, NULL, len, got);
}

bool ornd_tls_idle_ok(ornd_tls_t *t)
{
    if (!t->connected) {
        return false;
    }
    uint8_t byte;
    size_t n = 0;
    t->poll_only = true;
    ornd_err_t rc = io(t, false, &byte, NULL, 1, &n);
    t->poll_only = false;
    return rc == ORND_ERR_WOULD_BLOCK; /* nothing there: fit for a request */
}

bool ornd_tls_connected(const ornd_tls_t *t)
{
    return t->connected;
}

uint32_t ornd_tls_handshakes(const ornd_tls_t *t)
{
    return t->handshakes;
}

void ornd_tls_close(ornd_tls_t *t)
{
    if (!t->ready) {
        return;
    }
    t->connected = false;
    t->handshaking = false;
    t->transport->close(t->transport->ctx);
}

void ornd_tls_free(ornd_tls_t *t)
{
    if (!t->ready) {
        return;
    }
    ornd_tls_close(t);
    t->has_session = false;
    t->ready = false;
}
