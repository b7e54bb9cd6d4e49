/* SPDX-License-Identifier: MIT */
/* The client: settings, token cache on the platform's clock, and the fetch. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/client.h"

#include <stddef.h>
#include <string.h>

#include "client_internal.h"
#include "compiler.h"
#include "ornd/core/http_writer.h"
#include "ornd/core/url.h"
#include "ornd/core/wipe.h"
#include "wall_clock.h"

#define CLIENT_MAGIC 0x6f726e64u /* "ornd": set while the client is usable */
#define FETCH_STEPS 3u           /* a whole fetch may take this many timeouts */

static bool ready(const ornd_client_t *c)
{
    return c != NULL && c->magic == CLIENT_MAGIC;
}

static uint32_t now(const ornd_client_t *c)
{
    return c->platform->now_ms(c->platform->ctx);
}

/* ---- connection: verified TLS ------------------------------------------ */

static ornd_err_t conn_setup(ornd_client_t *c, const ornd_settings_t *s)
{
    ornd_err_t rc = ornd_tls_conf_init(&c->tls_conf, s->ca, s->ca_len);
    if (rc == ORND_OK) {
        ornd_tls_init(&c->tls, c->platform, s->transport, &c->tls_conf);
    }
    return rc;
}

/* ---- settings ------------------------------------------------------------ */

static bool platform_complete(const ornd_platform_t *p)
{
    return p->now_ms != NULL && p->entropy != NULL && (p->lock == NULL) == (p->unlock == NULL);
}

/* Copy the NUL-terminated `src` (NULL: "") of up to `cap` bytes to `dst`,
 * without its NUL, and its length to *len. An empty one is `if_empty`
 * (ORND_OK where it may be) and needs no copy: dst and *len are zeroed. */
static ornd_err_t copy_text(void *dst, size_t cap, size_t *len, const char *src,
                            ornd_err_t if_empty)
{
    size_t n = src != NULL ? strnlen(src, cap + 1u) : 0u;
    if (n == 0u) {
        return if_empty; /* dst and *len stay zero */
    }
    if (n > cap) {
        return ORND_ERR_CONFIG_TOO_LONG;
    }
    memcpy(dst, src, n);
    *len = n;
    return ORND_OK;
}

static ornd_err_t apply_settings(ornd_client_t *c, const ornd_settings_t *s)
{
    if (s->platform == NULL || s->transport == NULL) {
        return ORND_ERR_ARG;
    }
    if (!platform_complete(s->platform) || !ornd__transport_complete(s->transport)) {
        return ORND_ERR_PORT;
    }
    c->platform = s->platform;
    c->accept_unknown_time = s->insecure_accept_unknown_time;
    c->timeout_ms = s->timeout_ms != 0 ? s->timeout_ms : ORND_CONFIG_TIMEOUT_MS;
    uint32_t margin_s =
        s->refresh_margin_s != 0 ? s->refresh_margin_s : ORND_CONFIG_REFRESH_MARGIN_S;
    c->margin_ms =
        (margin_s < ORND_CONFIG_MAX_EXPIRES_S ? margin_s : ORND_CONFIG_MAX_EXPIRES_S) * 1000u;
    const char *url = s->token_url != NULL ? s->token_url : ORND_DEFAULT_TOKEN_URL;
    ornd_err_t rc =
        ornd_url_parse(url, c->host, sizeof c->host, &c->tcp_port, c->path, sizeof c->path);
    if (rc == ORND_OK) {
        rc = copy_text(c->client_id, sizeof c->client_id, &c->client_id_len, s->client_id,
                       ORND_ERR_CONFIG_CREDENTIALS);
    }
    if (rc == ORND_OK) {
        rc = copy_text(c->client_secret, sizeof c->client_secret, &c->client_secret_len,
                       s->client_secret, ORND_ERR_CONFIG_CREDENTIALS);
    }
    /* scope: visible ASCII words separated by single spaces (RFC 6749 §3.3) */
    if (rc == ORND_OK) {
        rc = copy_text(c->scope, ORND_CONFIG_SCOPE_MAX, &c->scope_len, s->scope, ORND_OK);
    }
    if (rc == ORND_OK && !ornd_oauth_scope_valid(c->scope, c->scope_len)) {
        rc = ORND_ERR_ARG;
    }
    return rc;
}

/* The request, written into scratch (it holds the secret until sent). */
ORND_NOINLINE static ornd_err_t write_request(ornd_client_t *c)
{
    ornd_buf_t b;
    ornd_buf_init(&b, c->scratch.request, sizeof c->scratch.request);
    ornd_oauth_request_t req = {
        .host = c->host,
        .port = c->tcp_port,
        .path = c->path,
        .client_id = c->client_id,
        .client_id_len = c->client_id_len,
        .client_secret = c->client_secret,
        .client_secret_len = c->client_secret_len,
        .scope = c->scope,
        .scope_len = c->scope_len,
    };
    ornd_err_t rc = ornd_oauth_write_request(&b, &req);
    c->request_len = b.len;
    c->request_sent = 0;
    return rc;
}

ornd_err_t ornd__client_init(ornd_client_t *c, const ornd_settings_t *s, size_t size,
                             uint32_t fingerprint)
{
    if (size != sizeof *c || fingerprint != ORND_CONFIG_FINGERPRINT) {
        return ORND_ERR_ABI; /* nothing written: the caller's struct is another size */
    }
    if (c == NULL || s == NULL) {
        return ORND_ERR_ARG;
    }
    if (ready(c)) {
        return ORND_ERR_STATE; /* initialised: release it first */
    }
    memset(c, 0, sizeof *c);
    ornd_err_t rc = apply_settings(c, s);
    /* the request is the same for every fetch: one that cannot go is
     * refused here, not at each fetch */
    if (rc == ORND_OK && write_request(c) != ORND_OK) {
        rc = ORND_ERR_CONFIG_TOO_LONG;
    }
    if (rc == ORND_OK) {
        rc = conn_setup(c, s);
    }
    if (rc != ORND_OK) {
        ornd_wipe(c, sizeof *c);
        return rc;
    }
    ornd_wipe(&c->scratch, sizeof c->scratch); /* the request held the secret */
    c->magic = CLIENT_MAGIC;
    return ORND_OK;
}

/* ---- token cache ------------------------------------------------------- */

/* Age is a difference of two ticks, so the 2^32 ms wrap cancels out. */
static bool token_fresh(const ornd_client_t *c)
{
    if (!c->have_token) {
        return false;
    }
    uint32_t age = now(c) - c->fetched_at;
    return age < c->usable_ms;
}

/* usable_ms is read only while have_token is set: keep_token() sets both */
static void drop_token(ornd_client_t *c)
{
    ornd_wipe(&c->token, sizeof c->token);
    c->have_token = false;
}

static void keep_token(ornd_client_t *c, uint32_t fetched_at)
{
    uint32_t lifetime_ms = c->token.expires_in_s * 1000u; /* <= MAX_EXPIRES_S * 1000 */
    uint32_t margin = c->margin_ms < lifetime_ms / 2u ? c->margin_ms : lifetime_ms / 2u;
    c->fetched_at = fetched_at;
    c->usable_ms = lifetime_ms - margin;
    c->have_token = true;
    if (!c->token.has_scope) {
        /* RFC 6749 §5.1: no scope in the answer means the one requested. */
        memcpy(c->token.scope, c->scope, c->scope_len + 1u);
        c->token.scope_len = c->scope_len;
    }
}

/* ---- token request hygiene ---------------------------------------------- */

#define MINUTE_MS 60000u

/* Milliseconds from `now` until a request may go out. */
static uint32_t wait_ms(const ornd_client_t *c, uint32_t now)
{
    uint32_t wait = 0;
    if (c->held) {
        int32_t left = (int32_t)(c->not_before - now);
        wait = left > 0 ? (uint32_t)left : 0u;
    }
    if (c->sent_count == ORND_CONFIG_TOKEN_REQUESTS_PER_MIN) {
        /* the ring is full: its oldest entry is where the next one goes */
        uint32_t age = now - c->sent_at[c->sent_next];
        uint32_t left = age < MINUTE_MS ? MINUTE_MS - age : 0u;
        wait = left > wait ? left : wait;
    }
    return wait;
}

static void note_request(ornd_client_t *c, uint32_t now)
{
    c->sent_at[c->sent_next] = now;
    c->sent_next++;
    if (c->sent_next == ORND_CONFIG_TOKEN_REQUESTS_PER_MIN) {
        c->sent_next = 0;
    }
    if (c->sent_count < ORND_CONFIG_TOKEN_REQUESTS_PER_MIN) {
        c->sent_count++;
    }
}

/* After a failure: base << (failures - 1), capped, less a random part of up
 * to half of it; or the server's Retry-After when that is longer. */
static void hold_after_failure(ornd_client_t *c, uint32_t now)
{
    /* k: the failures before this one (the count stops at 255, where any
     * k gives MAX) */
    const unsigned k = c->failures;
    if (k < UINT8_MAX) {
        c->failures = (uint8_t)(k + 1u);
    }
    /* BASE << k <= MAX exactly when BASE <= MAX >> k: no 32-bit overflow */
    uint32_t backoff = ORND_CONFIG_BACKOFF_MAX_MS;
    if (k < 20u && ORND_CONFIG_BACKOFF_BASE_MS <= (ORND_CONFIG_BACKOFF_MAX_MS >> k)) {
        backoff = (uint32_t)ORND_CONFIG_BACKOFF_BASE_MS << k;
    }
    uint32_t r = 0;
    if (c->platform->entropy(c->platform->ctx, (uint8_t *)&r, sizeof r) != ORND_OK) {
        r = now; /* jitter only, not a secret: the clock will do */
    }
    backoff -= r % (backoff / 2u + 1u); /* 0 to half of it */
    if (c->server.has_retry_after) {
        uint32_t ra = c->server.retry_after_s < ORND_CONFIG_RETRY_AFTER_MAX_S
                          ? c->server.retry_after_s
                          : ORND_CONFIG_RETRY_AFTER_MAX_S;
        backoff = ra * 1000u > backoff ? ra * 1000u : backoff;
    }
    c->held = true;
    c->not_before = now + backoff;
}

/* ---- fetch: a state machine, stepped blocking or polled ------------------
 *
 * HANDSHAKE (TCP connect and TLS) -> SEND (the request) -> READ (the answer),
 * then back to IDLE with a token kept or the failure noted. A blocking step
 * (ornd_token()) runs each state to its end, waiting in the transport; a polled
 * step (ornd_token_poll()) goes as far as it can without waiting and
 * returns ORND_IN_PROGRESS. Either may finish a fetch the other began.
 */
enum { FETCH_IDLE = 0, FETCH_HANDSHAKE, FETCH_SEND, FETCH_READ };

static ornd_err_t send_request(ornd_client_t *c)
{
    while (c->request_sent < c->request_len) {
        size_t n; /* set by ornd_tls_write() */
        ornd_err_t rc =
            ornd_tls_write(&c->tls, (const uint8_t *)c->scratch.request + c->request_sent,
                           c->request_len - c->request_sent, &n);
        if (rc != ORND_OK) {
            return rc;
        }
        c->request_sent += n;
    }
    ornd_wipe(c->scratch.request, sizeof c->scratch.request); /* it held the secret */
    ornd_oauth_parser_init(&c->scratch.answer.parser, &c->token, &c->server);
    return ORND_OK;
}

/* ORND_OK when the answer is complete and good. */
static ornd_err_t read_answer(ornd_client_t *c)
{
    ornd_oauth_parser_t *p = &c->scratch.answer.parser;
    uint8_t *rx = c->scratch.answer.rx;
    ornd_err_t rc = ORND_OK;
    while (rc == ORND_OK && !ornd_oauth_complete(p)) {
        size_t n; /* set by ornd_tls_read() */
        ornd_err_t got = ornd_tls_read(&c->tls, rx, sizeof c->scratch.answer.rx, &n);
        if (got == ORND_ERR_WOULD_BLOCK) {
            return got;
        }
        if (got == ORND_OK) {
            rc = ornd_oauth_feed(p, rx, n);
        } else if (got == ORND_ERR_CLOSED || got == ORND_ERR_TRUNCATED) {
            rc = ornd_oauth_eof(p, got == ORND_ERR_CLOSED); /* clean: close_notify */
        } else {
            rc = got;
        }
    }
    return rc;
}

/* End the fetch with `rc`: keep the token or note the failure. Called from
 * fetch() only, but kept out of token_locked(), which is on the deepest
 * stack path. */
ORND_NOINLINE static ornd_err_t fetch_end(ornd_client_t *c, ornd_err_t rc)
{
    ornd_tls_close(&c->tls);
    ornd_wipe(&c->scratch, sizeof c->scratch);
    c->fetch_state = FETCH_IDLE;
    if (rc != ORND_OK) {
        /* what the answer left there; there is no token since fetch_begin() */
        ornd_wipe(&c->token, sizeof c->token);
        hold_after_failure(c, now(c));
        return rc;
    }
    c->failures = 0;
    c->held = false;
    keep_token(c, c->fetch_started);
    return ORND_OK;
}

_Static_assert(offsetof(ornd_client_t, server) ==
                   offsetof(ornd_client_t, token) + sizeof(ornd_token_t),
               "fetch_begin() clears the token and the server's error at once");

/* Begin a fetch, if the request hygiene allows one now (else nothing is
 * sent or counted): the request counted, the old token dropped, the
 * deadline set; fetch() opens the connection next. */
static ornd_err_t fetch_begin(ornd_client_t *c, bool nonblocking)
{
    uint32_t start = now(c);
    if (wait_ms(c, start) > 0u) {
        return ORND_ERR_TOKEN_HELD;
    }
    if (nonblocking && c->tls.transport->connect_start == NULL) {
        return ORND_ERR_PORT;
    }
    /* without the time, nothing goes out and nothing is counted */
    ornd_err_t rc = ornd__connection_time(c->platform, c->accept_unknown_time, &c->tls);
    if (rc != ORND_OK) {
        return rc;
    }
    note_request(c, start);
    /* the old token and the last answer's error, next to each other */
    ornd_wipe(&c->token, sizeof c->token + sizeof c->server);
    c->have_token = false;
    c->fetch_started = start;
    c->fetch_deadline = start + FETCH_STEPS * c->timeout_ms;
    c->fetch_state = FETCH_HANDSHAKE;
    return ORND_OK;
}

/* Go on with the fetch under way: ORND_ERR_WOULD_BLOCK while it is, else
 * how it ends. */
static ornd_err_t fetch_step(ornd_client_t *c, bool nonblocking)
{
    ornd_tls_set_nonblocking(&c->tls, nonblocking);
    if (nonblocking && (int32_t)(now(c) - c->fetch_deadline) >= 0) {
        return ORND_ERR_TIMEOUT;
    }
    ornd_err_t rc = ORND_OK;
    switch (c->fetch_state) {
    case FETCH_HANDSHAKE:
        rc = ornd_tls_handshake(&c->tls);
        if (rc != ORND_OK) {
            break;
        }
        rc = write_request(c);
        c->fetch_state = FETCH_SEND;
        if (rc != ORND_OK) {
            break;
        }
        /* fall through */
    case FETCH_SEND:
        rc = send_request(c);
        if (rc != ORND_OK) {
            break;
        }
        c->fetch_state = FETCH_READ;
        /* fall through */
    default: /* FETCH_READ */
        rc = read_answer(c);
        break;
    }
    return rc;
}

/* A fresh token, fetched if need be: blocking, or one polled step. A fetch
 * that began (a connection could not even be opened included) ends in
 * fetch_end(), the one place that keeps the token or notes the failure. */
static ornd_err_t fetch(ornd_client_t *c, bool nonblocking)
{
    ornd_err_t rc = ORND_OK;
    if (c->fetch_state == FETCH_IDLE) {
        rc = fetch_begin(c, nonblocking);
        if (rc != ORND_OK) {
            return rc; /* nothing began */
        }
        rc = ornd_tls_open(&c->tls, c->host, c->tcp_port, c->timeout_ms, c->fetch_deadline,
                           nonblocking);
    }
    if (rc == ORND_OK) {
        do {
            rc = fetch_step(c, nonblocking);
        } while (rc == ORND_ERR_WOULD_BLOCK && !nonblocking);
        if (rc == ORND_ERR_WOULD_BLOCK) {
            return ORND_IN_PROGRESS;
        }
    }
    return fetch_end(c, rc);
}

/* The token, fetched if need be, under the platform's lock when it has one:
 * tasks that wait meanwhile find the fresh token and send nothing. */
static ornd_err_t token_locked(ornd_client_t *c, char *copy, size_t cap, size_t *len,
                               bool nonblocking)
{
    const ornd_platform_t *pf = c->platform;
    if (pf->lock != NULL) {
        pf->lock(pf->ctx);
    }
    ornd_err_t rc = token_fresh(c) ? ORND_OK : fetch(c, nonblocking);
    if (rc == ORND_OK) {
        if (copy != NULL) {
            if (c->token.len + 1u > cap) {
                rc = ORND_ERR_BUF_TOO_SMALL;
            } else {
                memcpy(copy, c->token.value, c->token.len + 1u);
            }
        }
        if (len != NULL) {
            *len = c->token.len;
        }
    }
    if (pf->unlock != NULL) {
        pf->unlock(pf->ctx);
    }
    return rc;
}

ornd_err_t ornd_token(ornd_client_t *c, const char **token, size_t *len)
{
    if (!ready(c) || token == NULL) {
        return ready(c) ? ORND_ERR_ARG : ORND_ERR_STATE;
    }
    ornd_err_t rc = token_locked(c, NULL, 0, len, false);
    /* the token's place does not move: only what it holds is locked */
    *token = rc == ORND_OK ? c->token.value : NULL;
    return rc;
}

ornd_err_t ornd_token_copy(ornd_client_t *c, char *buf, size_t cap, size_t *len)
{
    if (!ready(c) || buf == NULL) {
        return ready(c) ? ORND_ERR_ARG : ORND_ERR_STATE;
    }
    return token_locked(c, buf, cap, len, false);
}

ornd_err_t ornd_token_poll(ornd_client_t *c)
{
    if (!ready(c)) {
        return ORND_ERR_STATE;
    }
    return token_locked(c, NULL, 0, NULL, true);
}

uint32_t ornd_token_wait_ms(const ornd_client_t *c)
{
    return ready(c) ? wait_ms(c, now(c)) : 0u;
}

ornd_err_t ornd_auth_header(ornd_client_t *c, char *buf, size_t cap, size_t *len)
{
    static const char prefix[] = "Authorization: Bearer ";
    const size_t plen = sizeof prefix - 1u;
    if (!ready(c) || buf == NULL) {
        return ready(c) ? ORND_ERR_ARG : ORND_ERR_STATE;
    }
    if (cap <= plen) {
        return ORND_ERR_BUF_TOO_SMALL;
    }
    size_t token_len = 0;
    ornd_err_t rc = token_locked(c, buf + plen, cap - plen, &token_len, false);
    if (rc != ORND_OK) {
        return rc;
    }
    memcpy(buf, prefix, plen);
    if (len != NULL) {
        *len = plen + token_len;
    }
    return ORND_OK;
}

void ornd_token_invalidate(ornd_client_t *c)
{
    /* during a fetch there is no cached token, and the answer is being
     * parsed into c->token */
    if (ready(c) && c->fetch_state == FETCH_IDLE) {
        drop_token(c);
    }
}

const ornd_token_t *ornd_token_info(const ornd_client_t *c)
{
    return ready(c) && c->have_token ? &c->token : NULL;
}

uint32_t ornd_token_remaining_s(const ornd_client_t *c)
{
    if (!ready(c) || !token_fresh(c)) {
        return 0;
    }
    uint32_t age = now(c) - c->fetched_at;
    return (c->usable_ms - age) / 1000u;
}

const ornd_server_error_t *ornd_server_error(const ornd_client_t *c)
{
    return ready(c) ? &c->server : NULL;
}

void ornd_client_release(ornd_client_t *c)
{
    if (!ready(c)) {
        return;
    }
    ornd_tls_free(&c->tls);
    ornd_tls_conf_free(&c->tls_conf);
    ornd_wipe(c, sizeof *c);
}

/* ---- for the library's other modules (client_internal.h) ------------------ */

bool ornd__transport_complete(const ornd_transport_t *t)
{
    return t->connect != NULL && t->send != NULL && t->recv != NULL && t->close != NULL;
}

const ornd_platform_t *ornd__client_platform(const ornd_client_t *c)
{
    return ready(c) ? c->platform : NULL;
}

const ornd_tls_conf_t *ornd__client_tls_conf(const ornd_client_t *c)
{
    return ready(c) ? &c->tls_conf : NULL;
}

uint32_t ornd__client_timeout_ms(const ornd_client_t *c)
{
    return ready(c) ? c->timeout_ms : 0u;
}

bool ornd__client_accepts_unknown_time(const ornd_client_t *c)
{
    return ready(c) && c->accept_unknown_time;
}
