/* SPDX-License-Identifier: MIT */
/* Authenticated API requests over one kept-alive TLS connection. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/api.h"

#include <string.h>

#include "ascii.h"
#include "client_internal.h"
#include "compiler.h"
#include "ornd/core/http_writer.h"
#include "ornd/core/retry.h"
#include "ornd/core/text.h"
#include "ornd/core/url.h"
#include "ornd/core/wipe.h"
#include "ornd/error.h"
#include "wall_clock.h"

#define API_MAGIC 0x6f617069u /* "oapi": set while usable */
#define CONNECT_STEPS 3u      /* connect + handshake may take this many timeouts */

static bool api_ready(const ornd_api_t *a)
{
    return a != NULL && a->magic == API_MAGIC;
}

/* ---- settings ------------------------------------------------------------ */

/* Organisation slug: what may stand in a path segment unencoded. */
static bool valid_org(const char *org, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char ch = org[i];
        bool ok = ornd_ascii_alnum((uint8_t)ch) || ch == '-' || ch == '_' || ch == '.';
        if (!ok) {
            return false;
        }
    }
    return n > 0;
}

static ornd_err_t apply_settings(ornd_api_t *a, const ornd_api_settings_t *s)
{
    const char *url = s->api_url != NULL ? s->api_url : ORND_DEFAULT_API_URL;
    ornd_err_t rc =
        ornd_url_parse(url, a->host, sizeof a->host, &a->tcp_port, a->base, sizeof a->base);
    if (rc != ORND_OK) {
        return rc;
    }
    if (strchr(a->base, '?') != NULL) {
        return ORND_ERR_CONFIG_URL; /* a base path, not a request */
    }
    size_t len = strlen(a->base);
    while (len > 0 && a->base[len - 1u] == '/') {
        a->base[--len] = '\0'; /* requests bring their own '/' */
    }
    if (s->org != NULL && s->org[0] != '\0') {
        size_t n = strnlen(s->org, sizeof a->base);
        if (!valid_org(s->org, n) || n >= sizeof a->base) {
            return n >= sizeof a->base ? ORND_ERR_CONFIG_TOO_LONG : ORND_ERR_ARG;
        }
        if (len + 1u + n >= sizeof a->base) {
            return ORND_ERR_CONFIG_TOO_LONG;
        }
        a->base[len] = '/';
        memcpy(a->base + len + 1u, s->org, n + 1u);
    }
    a->timeout_ms = s->timeout_ms != 0 ? s->timeout_ms : ornd__client_timeout_ms(s->client);
    return ORND_OK;
}

ornd_err_t ornd__api_init(ornd_api_t *a, const ornd_api_settings_t *s, size_t size,
                          uint32_t fingerprint)
{
    if (size != sizeof *a || fingerprint != ORND_CONFIG_FINGERPRINT) {
        return ORND_ERR_ABI; /* nothing written: the caller's struct is another size */
    }
    if (a == NULL || s == NULL || s->transport == NULL || s->client == NULL) {
        return ORND_ERR_ARG;
    }
    if (api_ready(a)) {
        return ORND_ERR_STATE; /* initialised: release it first */
    }
    memset(a, 0, sizeof *a);
    const ornd_platform_t *pf = ornd__client_platform(s->client);
    if (pf == NULL) {
        return ORND_ERR_STATE; /* the client is not initialised */
    }
    if (!ornd__transport_complete(s->transport)) {
        return ORND_ERR_PORT;
    }
    ornd_err_t rc = apply_settings(a, s);
    if (rc != ORND_OK) {
        memset(a, 0, sizeof *a);
        return rc;
    }
    a->client = s->client;
    a->platform = pf;
    ornd_tls_init(&a->tls, pf, s->transport, ornd__client_tls_conf(s->client));
    a->magic = API_MAGIC;
    return ORND_OK;
}

/* ---- answer -------------------------------------------------------------- */

static bool is_2xx(int status)
{
    return status >= 200 && status <= 299;
}

static bool contains(const char *s, size_t len, const char *want)
{
    size_t n = strlen(want);
    for (size_t i = 0; i + n <= len; i++) {
        if (memcmp(s + i, want, n) == 0) {
            return true;
        }
    }
    return false;
}

/* The header fields the API answer is read for, beyond the framing. */
static const char *const answer_fields[] = {"www-authenticate"};

static ornd_err_t on_field(void *user, size_t index, const char *value, size_t value_len)
{
    ornd_api_t *a = user;
    if (index == 0 && contains(value, value_len, "invalid_token")) {
        a->res->invalid_token = true;
    }
    return ORND_OK;
}

/* Keep the start of an error body as text; cleaned by the one text rule
 * once the request ends (finish()). */
static void keep_text(ornd_api_t *a, const uint8_t *data, size_t len)
{
    ornd_api_result_t *r = a->res;
    a->text_len = ornd_text_keep(r->error_text, sizeof r->error_text, a->text_len, data, len,
                                 &r->error_text_truncated);
}

static ornd_err_t on_body(void *user, const uint8_t *data, size_t len)
{
    ornd_api_t *a = user;
    if (!is_2xx(a->http.status)) {
        keep_text(a, data, len);
        return ORND_OK;
    }
    const ornd_api_handler_t *h = a->handler;
    if (h == NULL || h->on_body == NULL) {
        return ORND_OK;
    }
    ornd_err_t rc = h->on_body(h->user, data, len);
    if (rc < 0) {
        a->handler_err = rc;
    }
    return rc < 0 ? (ornd_err_t)rc : ORND_OK;
}

/* ---- one request: a state machine, stepped blocking or polled ------------
 *
 * TOKEN (a token copied into the head buffer) -> CONNECT (reuse the kept
 * connection, or open one) -> HANDSHAKE -> HEAD -> BODY (sent) -> READ (the
 * answer streamed to the handler), then what the answer means: done, or
 * once more from TOKEN after a 401 or a kept connection found closed.
 * ornd_api_request() runs it to the end, waiting in the port;
 * ornd_api_poll() goes as far as the network allows and returns
 * ORND_IN_PROGRESS.
 */
enum { REQ_IDLE = 0, REQ_TOKEN, REQ_CONNECT, REQ_HANDSHAKE, REQ_HEAD, REQ_BODY, REQ_READ };

static uint32_t now(const ornd_api_t *a)
{
    return a->platform->now_ms(a->platform->ctx);
}

/* The next network step may take `steps` timeouts from now. */
static void arm(ornd_api_t *a, uint32_t steps)
{
    a->deadline = now(a) + steps * a->timeout_ms;
    ornd_tls_set_deadline(&a->tls, a->deadline);
}

static bool idempotent(const char *method)
{
    static const char *const safe[] = {"GET", "HEAD", "PUT", "DELETE", "OPTIONS"};
    for (size_t i = 0; i < sizeof safe / sizeof safe[0]; i++) {
        if (strcmp(method, safe[i]) == 0) {
            return true;
        }
    }
    return false;
}

/* Where the token is copied before a request: the end of the head buffer. */
static char *token_slot(ornd_api_t *a)
{
    return a->scratch.head + sizeof a->scratch.head - (ORND_CONFIG_TOKEN_MAX + 1u);
}

/* The token first (fetched if need be, copied under the client's lock): a
 * fetch is not held up by this connection. Polled: the client's own polled
 * fetch, then the copy of the fresh token. */
static ornd_err_t take_token(ornd_api_t *a)
{
    if (a->nonblocking) {
        ornd_err_t rc = ornd_token_poll(a->client);
        if (rc != ORND_OK) {
            return rc;
        }
    }
    return ornd_token_copy(a->client, token_slot(a), ORND_CONFIG_TOKEN_MAX + 1u, &a->token_len);
}

/*
 * Build the head in scratch.head. The token (`token_len` bytes) waits at
 * token_slot(); the request target (base + path) is put just before it; the
 * head is written from the start, and its last line is the token, moved into
 * place. The head holds the token: the buffer is wiped once sent.
 */
ORND_NOINLINE static ornd_err_t build_head(ornd_api_t *a)
{
    static const char auth[] = "Authorization: Bearer ";
    const size_t auth_len = sizeof auth - 1u;
    char *const buf = a->scratch.head;
    const size_t cap = sizeof a->scratch.head;
    char *const token = token_slot(a);
    size_t base_len = strlen(a->base);
    size_t path_len = strlen(a->path);
    if (base_len + path_len + 1u > (size_t)(token - buf) / 2u) {
        return ORND_ERR_CONFIG_TOO_LONG;
    }
    char *target = token - (base_len + path_len + 1u);
    memcpy(target, a->base, base_len);
    memcpy(target + base_len, a->path, path_len + 1u);
    ornd_buf_t b;
    ornd_buf_init(&b, buf, (size_t)(target - buf));
    ornd_http_request_t req = {
        .method = a->method,
        .host = a->host,
        .port = a->tcp_port,
        .target = target,
        .content_type = a->body_len > 0 ? "application/json" : NULL,
        .content_length = a->body_len,
    };
    ornd_err_t rc = ornd_http_write_head(&b, &req);
    /* the head ends with an empty line: the Authorization line goes before
     * it; the target is no longer needed, the token is moved */
    size_t at = b.len - 2u;
    if (rc == ORND_OK && at + auth_len + a->token_len + 4u > cap) {
        rc = ORND_ERR_BUF_TOO_SMALL;
    }
    if (rc == ORND_OK) {
        memmove(buf + at + auth_len, token, a->token_len);
        b.len = at;
        b.cap = cap;
        ornd_buf_put(&b, auth, auth_len);
        b.len += a->token_len;
        ornd_buf_put(&b, "\r\n\r\n", 4u);
        rc = b.err;
    }
    a->out_len = b.len;
    a->out_sent = 0;
    return rc;
}

/* Send data[out_sent..len): ORND_OK when all is out. */
static ornd_err_t send_out(ornd_api_t *a, const uint8_t *data, size_t len)
{
    while (a->out_sent < len) {
        size_t n = 0;
        ornd_err_t rc = ornd_tls_write(&a->tls, data + a->out_sent, len - a->out_sent, &n);
        if (rc != ORND_OK) {
            return rc;
        }
        a->out_sent += n;
        arm(a, 1u);
    }
    a->out_sent = 0;
    return ORND_OK;
}

static void start_answer(ornd_api_t *a)
{
    ornd_http_reader_cfg_t cfg = {
        .fields = answer_fields,
        .field_count = sizeof answer_fields / sizeof answer_fields[0],
        .on_field = on_field,
        .on_body = on_body,
        .user = a,
        .head_request = strcmp(a->method, "HEAD") == 0,
        .body_max = a->handler != NULL ? a->handler->body_max : 0u,
    };
    ornd_http_reader_init(&a->http, &cfg);
    a->text_len = 0;
    a->handler_err = ORND_OK;
    a->started = false;
}

/* An answer the HTTP reader could not read to its end whose final status
 * already said no (401/403/429/5xx): the status decides the outcome, the
 * connection is not reused. */
static bool status_decides(const ornd_api_t *a, ornd_err_t rc)
{
    const int status = a->http.status;
    const bool answer_fault = (rc <= ORND_ERR_HTTP_STATUS_LINE && rc >= ORND_ERR_HTTP_STATUS) ||
                              rc == ORND_ERR_HTTP_NAMED_FIELD_TOO_LONG || rc == ORND_ERR_TRUNCATED;
    return answer_fault && a->handler_err == ORND_OK &&
           (status == 401 || status == 403 || status == 429 || (status >= 500 && status <= 599));
}

/* Read what there is of the answer: ORND_OK once it is complete. */
ORND_NOINLINE static ornd_err_t read_answer(ornd_api_t *a)
{
    for (;;) {
        size_t n = 0;
        ornd_err_t got = ornd_tls_read(&a->tls, a->scratch.rx, sizeof a->scratch.rx, &n);
        ornd_err_t rc;
        size_t used = 0;
        if (got == ORND_OK) {
            a->started = true;
            arm(a, 1u);
            rc = ornd_http_reader_feed(&a->http, a->scratch.rx, n, &used);
            if (rc == ORND_OK && ornd_http_reader_complete(&a->http) && used != n) {
                a->http.connection_close = true; /* unasked bytes: not reusable */
            }
        } else if (got == ORND_ERR_CLOSED || got == ORND_ERR_TRUNCATED) {
            rc = ornd_http_reader_eof(&a->http, got == ORND_ERR_CLOSED); /* clean: close_notify */
            a->http.connection_close = true;
        } else {
            rc = got;
        }
        bool decided = false;
        if (rc != ORND_OK && status_decides(a, rc)) {
            a->http.connection_close = true;
            rc = ORND_OK;
            decided = true;
        }
        if (rc != ORND_OK) {
            /* the handler's own code as it returned it (an enum may be narrower) */
            return a->handler_err != ORND_OK ? a->handler_err : rc;
        }
        if (decided || ornd_http_reader_complete(&a->http)) {
            return ORND_OK;
        }
    }
}

static ornd_err_t finish(ornd_api_t *a, ornd_err_t rc)
{
    ornd_wipe(a->scratch.head, sizeof a->scratch.head); /* no token left behind */
    if (a->res != NULL) {
        ornd_api_result_t *r = a->res;
        a->text_len = ornd_text_clean(r->error_text, a->text_len, r->error_text_truncated);
    }
    a->state = REQ_IDLE;
    a->res = NULL;
    a->handler = NULL;
    return rc;
}

/* Open a new connection, or go on with the kept one when the server has
 * not closed it while it was idle. */
ORND_NOINLINE static ornd_err_t connect_or_reuse(ornd_api_t *a)
{
    a->reused = ornd_tls_connected(&a->tls) && ornd_tls_idle_ok(&a->tls);
    if (a->reused) {
        a->state = REQ_HEAD;
        return ORND_OK;
    }
    ornd_tls_close(&a->tls);
    ornd_err_t rc =
        ornd__connection_time(a->platform, ornd__client_accepts_unknown_time(a->client), &a->tls);
    if (rc != ORND_OK) {
        return rc; /* before any byte: the certificate dates could not be checked */
    }
    a->connections++;
    arm(a, CONNECT_STEPS);
    a->state = REQ_HANDSHAKE;
    return ornd_tls_open(&a->tls, a->host, a->tcp_port, a->timeout_ms, a->deadline, a->nonblocking);
}

/* The request was sent (or not all of it) and its answer read (or not):
 * ORND_IN_PROGRESS when it must go out once more, else the outcome. What
 * to do is ornd_retry_decide()'s; this carries it out. */
ORND_NOINLINE static ornd_err_t after_exchange(ornd_api_t *a, ornd_err_t rc)
{
    if (rc != ORND_OK || a->http.connection_close) {
        ornd_tls_close(&a->tls);
    }
    ornd_api_result_t *res = a->res;
    if (rc == ORND_OK) {
        res->status = a->http.status;
        res->has_retry_after = a->http.has_retry_after;
        res->retry_after_s = a->http.retry_after_s;
        res->body_bytes = a->http.body_received;
    }
    ornd_exchange_t x = {
        .rc = rc,
        .status = a->http.status,
        .idempotent = idempotent(a->method),
        .reused = a->reused,
        .started = a->started,
        .handler_failed = a->handler_err != ORND_OK,
        .stale_retried = a->stale_retried,
        .token_refreshes = res->token_refreshes,
    };
    ornd_retry_t retry;
    rc = ornd_retry_decide(&x, &retry);
    if (retry == ORND_RETRY_STALE) {
        a->stale_retried = true;
        return ORND_IN_PROGRESS;
    }
    if (retry == ORND_RETRY_REFRESH) {
        ornd_token_invalidate(a->client);
        res->token_refreshes++;
        return ORND_IN_PROGRESS;
    }
    const ornd_api_handler_t *h = a->handler;
    if (rc == ORND_OK && h != NULL && h->on_end != NULL) {
        ornd_err_t end = h->on_end(h->user);
        rc = end < 0 ? end : ORND_OK;
    }
    return rc;
}

/* The head: built once (the token in it), sent over as many polls as it
 * takes, wiped once out. */
ORND_NOINLINE static ornd_err_t send_head(ornd_api_t *a)
{
    ornd_err_t rc = ORND_OK;
    if (a->out_len == 0) {
        if (a->res->sends == 0) {
            a->res->reused = a->reused;
        }
        a->res->sends++;
        start_answer(a);
        arm(a, 1u);
        rc = build_head(a);
    }
    if (rc == ORND_OK) {
        rc = send_out(a, (const uint8_t *)a->scratch.head, a->out_len);
    }
    if (rc != ORND_ERR_WOULD_BLOCK) {
        ornd_wipe(a->scratch.head, sizeof a->scratch.head); /* it held the token */
    }
    return rc;
}

/* One network operation said "not yet": wait for the next poll, unless
 * this step has had its time. */
static ornd_err_t not_yet(ornd_api_t *a)
{
    return (int32_t)(now(a) - a->deadline) >= 0 ? ORND_ERR_TIMEOUT : ORND_ERR_WOULD_BLOCK;
}

/* Run the request as far as it goes: to its end when blocking. */
ORND_NOINLINE static ornd_err_t step(ornd_api_t *a)
{
    ornd_tls_set_nonblocking(&a->tls, a->nonblocking);
    for (;;) {
        ornd_err_t rc = ORND_OK;
        switch (a->state) {
        case REQ_TOKEN:
            rc = take_token(a);
            if (rc != ORND_OK) {
                return rc == ORND_IN_PROGRESS ? rc : finish(a, rc);
            }
            a->state = REQ_CONNECT;
            continue;
        case REQ_CONNECT:
            rc = connect_or_reuse(a);
            if (rc != ORND_OK) {
                return finish(a, rc); /* nothing was sent */
            }
            continue;
        case REQ_HANDSHAKE:
            rc = ornd_tls_handshake(&a->tls);
            if (rc == ORND_ERR_WOULD_BLOCK) {
                rc = not_yet(a);
                if (rc == ORND_ERR_WOULD_BLOCK) {
                    return ORND_IN_PROGRESS;
                }
                ornd_tls_close(&a->tls);
            }
            if (rc != ORND_OK) {
                return finish(a, rc); /* nothing was sent */
            }
            a->state = REQ_HEAD;
            continue;
        case REQ_HEAD:
            rc = send_head(a);
            if (rc == ORND_OK) {
                a->state = REQ_BODY;
                continue;
            }
            break;
        case REQ_BODY:
            rc = send_out(a, a->body, a->body_len);
            if (rc == ORND_OK) {
                a->state = REQ_READ;
                continue;
            }
            break;
        case REQ_READ:
            rc = read_answer(a); /* ORND_OK: the whole answer is in */
            break;
        default:
            return finish(a, ORND_ERR_STATE);
        }
        if (rc == ORND_ERR_WOULD_BLOCK) {
            rc = not_yet(a);
            if (rc == ORND_ERR_WOULD_BLOCK) {
                return ORND_IN_PROGRESS;
            }
        }
        rc = after_exchange(a, rc);
        if (rc != ORND_IN_PROGRESS) {
            return finish(a, rc);
        }
        a->state = REQ_TOKEN; /* once more */
        a->out_len = 0;
    }
}

/* The head is built once as a check, with a token of the longest length
 * the client may hold: a method or path that cannot go is refused before
 * anything is opened or sent, and a request that goes once goes with every
 * token. */
static ornd_err_t head_fits(ornd_api_t *a)
{
    a->token_len = ORND_CONFIG_TOKEN_MAX;
    const ornd_err_t rc = build_head(a);
    ornd_wipe(a->scratch.head, sizeof a->scratch.head);
    a->token_len = 0;
    a->out_len = 0;
    return rc;
}

static ornd_err_t begin(ornd_api_t *a, const char *method, const char *path, const uint8_t *body,
                        size_t body_len, const ornd_api_handler_t *h, ornd_api_result_t *res,
                        bool nonblocking)
{
    if (res == NULL) {
        return ORND_ERR_ARG;
    }
    memset(res, 0, sizeof *res);
    if (!api_ready(a) || a->state != REQ_IDLE) {
        return ORND_ERR_STATE;
    }
    if (method == NULL || path == NULL || path[0] != '/' || (body == NULL && body_len > 0)) {
        return ORND_ERR_ARG;
    }
    if (nonblocking && a->tls.transport->connect_start == NULL) {
        return ORND_ERR_PORT;
    }
    a->res = res;
    a->handler = h;
    a->method = method;
    a->path = path;
    a->body = body;
    a->body_len = body_len;
    a->nonblocking = nonblocking;
    a->stale_retried = false;
    a->out_len = 0;
    a->out_sent = 0;
    const ornd_err_t rc = head_fits(a);
    if (rc != ORND_OK) {
        return rc;
    }
    a->state = REQ_TOKEN;
    return ORND_OK;
}

ornd_err_t ornd_api_request(ornd_api_t *a, const char *method, const char *path,
                            const uint8_t *body, size_t body_len, const ornd_api_handler_t *h,
                            ornd_api_result_t *res)
{
    ornd_err_t rc = begin(a, method, path, body, body_len, h, res, false);
    return rc == ORND_OK ? step(a) : rc;
}

ornd_err_t ornd_api_start(ornd_api_t *a, const char *method, const char *path, const uint8_t *body,
                          size_t body_len, const ornd_api_handler_t *h, ornd_api_result_t *res)
{
    return begin(a, method, path, body, body_len, h, res, true);
}

ornd_err_t ornd_api_poll(ornd_api_t *a)
{
    if (!api_ready(a) || a->state == REQ_IDLE) {
        return ORND_ERR_STATE;
    }
    return step(a);
}

uint32_t ornd_api_connections(const ornd_api_t *a)
{
    return api_ready(a) ? a->connections : 0u;
}

void ornd_api_close(ornd_api_t *a)
{
    if (api_ready(a)) {
        ornd_tls_close(&a->tls);
        if (a->state != REQ_IDLE) {
            (void)finish(a, ORND_OK); /* a polled request is given up */
        }
    }
}

void ornd_api_release(ornd_api_t *a)
{
    if (api_ready(a)) {
        ornd_tls_free(&a->tls);
        ornd_wipe(a, sizeof *a);
    }
}
