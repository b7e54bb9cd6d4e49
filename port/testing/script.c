/* SPDX-License-Identifier: MIT */
/*
 * The scripted peer of ornd/testing.h: a transport whose other end is a
 * server played from a script, on a simulated clock. Static storage only.
 */
#include "ornd/testing.h"

#include <stdio.h>
#include <string.h>

static const char greeting[] = ORND_TEST_GREETING;

/* ---- the platform ------------------------------------------------------------ */

static uint32_t sim_now(void *ctx)
{
    return ((const ornd_test_platform_t *)ctx)->now_ms;
}

/* A fixed linear congruential sequence: reproducible jitter, no secrecy. */
static ornd_err_t sim_entropy(void *ctx, uint8_t *buf, size_t len)
{
    ornd_test_platform_t *sim = ctx;
    if (sim->entropy_fail) {
        return ORND_ERR_ENTROPY;
    }
    for (size_t i = 0; i < len; i++) {
        sim->seed = sim->seed * 1103515245u + 12345u;
        buf[i] = (uint8_t)(sim->seed >> 16);
    }
    return ORND_OK;
}

static ornd_err_t sim_unix_time(void *ctx, int64_t *seconds)
{
    const ornd_test_platform_t *sim = ctx;
    if (sim->time_unknown) {
        return ORND_ERR_TIME_UNKNOWN;
    }
    *seconds = sim->unix_s;
    return ORND_OK;
}

ornd_err_t ornd_test_platform(ornd_platform_t *p, ornd_test_platform_t *ctx, uint32_t start_ms)
{
    if (p == NULL || ctx == NULL) {
        return ORND_ERR_ARG;
    }
    memset(ctx, 0, sizeof *ctx);
    ctx->now_ms = start_ms;
    ctx->seed = 1u;
    ctx->unix_s = ORND_TEST_UNIX_S;
    memset(p, 0, sizeof *p);
    p->ctx = ctx;
    p->now_ms = sim_now;
    p->entropy = sim_entropy;
    p->unix_time = sim_unix_time;
    return ORND_OK;
}

void ornd_test_advance(ornd_test_platform_t *ctx, uint32_t ms)
{
    ctx->now_ms += ms;
}

/* The peers' waits: the clock moves, and the total is kept. */
static void wait_ms(ornd_test_platform_t *sim, uint32_t ms)
{
    sim->now_ms += ms;
    sim->waited_ms += ms;
}

ornd_err_t ornd_test_poll(ornd_test_platform_t *sim, ornd_err_t (*poll)(void *arg), void *arg,
                          uint32_t step_ms, unsigned max_passes, unsigned *passes)
{
    unsigned n = 0;
    ornd_err_t rc;
    while ((rc = poll(arg)) == ORND_IN_PROGRESS) {
        n++;
        sim->now_ms += step_ms;
        if (n >= max_passes) {
            rc = ORND_ERR_STATE;
            break;
        }
    }
    if (passes != NULL) {
        *passes = n;
    }
    return rc;
}

/* ---- steps ------------------------------------------------------------------ */

ornd_test_step_t ornd_test_step(ornd_test_kind_t kind)
{
    ornd_test_step_t s;
    memset(&s, 0, sizeof s);
    s.kind = kind;
    return s;
}

ornd_test_step_t ornd_test_answer(const char *http_answer)
{
    ornd_test_step_t s = ornd_test_step(ORND_TEST_ANSWER);
    s.text = http_answer;
    return s;
}

ornd_test_step_t ornd_test_json(int status, const char *body)
{
    ornd_test_step_t s = ornd_test_step(ORND_TEST_JSON);
    s.status = status;
    s.text = body;
    return s;
}

ornd_test_step_t ornd_test_token(int expires_in_s, uint32_t times)
{
    ornd_test_step_t s = ornd_test_step(ORND_TEST_TOKEN);
    s.status = expires_in_s;
    s.times = times;
    return s;
}

ornd_err_t ornd_test_add(ornd_test_conn_t *c, ornd_test_step_t step)
{
    if (c->n_steps >= ORND_TEST_STEPS_MAX) {
        return ORND_ERR_BUF_TOO_SMALL;
    }
    c->steps[c->n_steps++] = step;
    return ORND_OK;
}

ornd_err_t ornd_test_script(ornd_test_conn_t *c, const ornd_test_step_t *steps, size_t n)
{
    if (n > ORND_TEST_STEPS_MAX || (steps == NULL && n > 0)) {
        return ORND_ERR_BUF_TOO_SMALL;
    }
    if (n > 0) {
        memcpy(c->steps, steps, n * sizeof *steps);
    }
    c->n_steps = (unsigned)n;
    c->next_step = 0;
    c->step_used = 0;
    return ORND_OK;
}

void ornd_test_reset_counts(ornd_test_conn_t *c)
{
    c->connects = c->closes = c->requests = c->tokens = c->would_blocks = 0;
    c->sent_len = 0;
    c->sent[0] = '\0';
    c->sent_overflow = false;
    memset(c->log, 0, sizeof c->log);
    c->req_start = 0;
}

const char *ornd_test_sent(const ornd_test_conn_t *c, size_t *len)
{
    if (len != NULL) {
        *len = c->sent_len;
    }
    return c->sent;
}

unsigned ornd_test_count(const ornd_test_conn_t *c, const char *needle)
{
    unsigned n = 0;
    size_t k = strlen(needle);
    for (size_t i = 0; k > 0 && i + k <= c->sent_len; i++) {
        if (memcmp(c->sent + i, needle, k) == 0) {
            n++;
        }
    }
    return n;
}

const ornd_test_request_t *ornd_test_request(const ornd_test_conn_t *c, unsigned i)
{
    return i < c->requests && i < ORND_TEST_REQUESTS_KEPT ? &c->log[i] : NULL;
}

/* The step at the head of the script (NULL when used up), and its use. */
static const ornd_test_step_t *head_step(const ornd_test_conn_t *c)
{
    return c->next_step < c->n_steps ? &c->steps[c->next_step] : NULL;
}

static void use_step(ornd_test_conn_t *c)
{
    const ornd_test_step_t *s = head_step(c);
    if (s == NULL || s->times == ORND_TEST_FOREVER) {
        return;
    }
    c->step_used++;
    if (c->step_used >= (s->times == 0u ? 1u : s->times)) {
        c->next_step++;
        c->step_used = 0;
    }
}

/* ---- the answers ---------------------------------------------------------- */

static size_t text_len(const ornd_test_step_t *s)
{
    if (s->text == NULL) {
        return 0;
    }
    return s->len != 0 ? s->len : strlen(s->text);
}

static int lower(char ch)
{
    int c = (unsigned char)ch;
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether `s` (n bytes) holds `want` (lower case), ignoring case. */
static bool has_nocase(const char *s, size_t n, const char *want)
{
    size_t k = strlen(want);
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        while (j < k && lower(s[i + j]) == (unsigned char)want[j]) {
            j++;
        }
        if (j == k) {
            return true;
        }
    }
    return false;
}

static size_t head_len(const char *s, size_t n)
{
    for (size_t i = 0; i + 4u <= n; i++) {
        if (memcmp(s + i, "\r\n\r\n", 4) == 0) {
            return i + 4u;
        }
    }
    return n;
}

static int status_of(const char *s, size_t n)
{
    int v = 0;
    if (n < 12u || memcmp(s, "HTTP/1.", 7) != 0) {
        return 0;
    }
    for (size_t i = 9; i < 12u; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return 0;
        }
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static const char *reason(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 503:
        return "Service Unavailable";
    default:
        return "Status";
    }
}

static void serve(ornd_test_conn_t *c, const char *head, size_t hlen, const char *body, size_t blen)
{
    c->answering = true;
    c->part[0] = head;
    c->part_len[0] = hlen;
    c->part[1] = body;
    c->part_len[1] = blen;
    c->part_pos[0] = c->part_pos[1] = 0;
}

/* A whole request is in: the head step decides what happens to it. */
static void request_done(ornd_test_conn_t *c)
{
    const ornd_test_step_t *s = head_step(c);
    ornd_test_request_t *r = &c->cur;
    r->answered = s != NULL ? s->kind : ORND_TEST_DROP;
    c->ready_at = c->sim->now_ms + (s != NULL ? s->delay_ms : 0u);
    c->close_after = c->req_close;
    switch (s != NULL ? s->kind : ORND_TEST_DROP) {
    case ORND_TEST_ANSWER:
    case ORND_TEST_ANSWER_CLOSE: {
        size_t n = text_len(s);
        r->status = status_of(s->text, n);
        c->close_after = c->close_after || s->kind == ORND_TEST_ANSWER_CLOSE ||
                         has_nocase(s->text, head_len(s->text, n), "\nconnection: close");
        serve(c, s->text, n, NULL, 0);
        break;
    }
    case ORND_TEST_JSON: {
        int status = s->status != 0 ? s->status : 200;
        size_t n = text_len(s);
        int h =
            snprintf(c->head_buf, sizeof c->head_buf,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
                     "Content-Length: %lu\r\n%s%s",
                     status, reason(status), (unsigned long)n,
                     status == 401 ? "WWW-Authenticate: Bearer error=\"invalid_token\"\r\n" : "",
                     s->retry_after_s != 0 ? "Retry-After: " : "");
        if (h > 0 && s->retry_after_s != 0) {
            h += snprintf(c->head_buf + h, sizeof c->head_buf - (size_t)h, "%lu\r\n",
                          (unsigned long)s->retry_after_s);
        }
        if (h > 0) {
            h += snprintf(c->head_buf + h, sizeof c->head_buf - (size_t)h, "\r\n");
        }
        r->status = status;
        serve(c, c->head_buf, h > 0 ? (size_t)h : 0u, s->text, n);
        break;
    }
    case ORND_TEST_TOKEN: {
        char body[128];
        c->tokens++;
        int b = snprintf(body, sizeof body,
                         "{\"access_token\":\"tok-%u\",\"token_type\":\"Bearer\","
                         "\"expires_in\":%d}",
                         c->tokens, s->status != 0 ? s->status : 3599);
        int h = snprintf(c->head_buf, sizeof c->head_buf,
                         "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                         "Content-Length: %d\r\n\r\n%s",
                         b, body);
        r->status = 200;
        serve(c, c->head_buf, h > 0 ? (size_t)h : 0u, NULL, 0);
        break;
    }
    case ORND_TEST_RESET:
        c->reset = true;
        break;
    case ORND_TEST_STALL:
        c->stalled = true;
        break;
    case ORND_TEST_DROP:
    case ORND_TEST_REFUSE:
    default:
        r->answered = ORND_TEST_DROP;
        c->fin = true;
        break;
    }
    use_step(c);
    if (c->requests < ORND_TEST_REQUESTS_KEPT) {
        c->log[c->requests] = *r;
    }
    c->requests++;
    if (c->on_request != NULL) {
        c->on_request(c->user, r);
    }
    memset(&c->cur, 0, sizeof c->cur);
    c->target_done = false;
    c->req_close = false;
    c->in_body = false;
    c->req_start = c->sent_len;
}

/* ---- reading the requests ------------------------------------------------- */

static bool starts_nocase(const char *s, size_t n, const char *want)
{
    size_t k = strlen(want);
    if (n < k) {
        return false;
    }
    for (size_t i = 0; i < k; i++) {
        if (lower(s[i]) != (unsigned char)want[i]) {
            return false;
        }
    }
    return true;
}

static size_t number(const char *s, size_t n)
{
    size_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            v = v * 10u + (size_t)(s[i] - '0');
        }
    }
    return v;
}

/* One line of a request head (without its CR LF). */
static void head_line(ornd_test_conn_t *c, const char *l, size_t n)
{
    ornd_test_request_t *r = &c->cur;
    if (!c->target_done) {
        size_t i = 0;
        while (i < n && l[i] != ' ' && i + 1u < sizeof r->method) {
            r->method[i] = l[i];
            i++;
        }
        r->method[i] = '\0';
        while (i < n && l[i] != ' ') {
            i++;
        }
        size_t t = 0;
        for (i++; i < n && l[i] != ' ' && t + 1u < sizeof r->target; i++) {
            r->target[t++] = l[i];
        }
        r->target[t] = '\0';
        c->target_done = true;
        return;
    }
    if (starts_nocase(l, n, "content-length:")) {
        r->body_len = number(l + 15, n - 15u);
    } else if (starts_nocase(l, n, "connection:") && has_nocase(l, n, "close")) {
        c->req_close = true;
    }
}

static void take_byte(ornd_test_conn_t *c, char ch)
{
    if (c->in_body) {
        if (--c->body_left == 0) {
            request_done(c);
        }
        return;
    }
    if (ch != '\n') {
        if (c->line_len < sizeof c->line) {
            c->line[c->line_len++] = ch;
        }
        return;
    }
    size_t n = c->line_len;
    if (n > 0 && c->line[n - 1u] == '\r') {
        n--;
    }
    c->line_len = 0;
    if (n == 0 && c->target_done) { /* the end of the head */
        c->cur.offset = c->req_start;
        c->body_left = c->cur.body_len;
        c->in_body = c->body_left > 0;
        if (!c->in_body) {
            request_done(c);
        }
        return;
    }
    if (n > 0) {
        head_line(c, c->line, n);
    }
}

/* ---- the connection --------------------------------------------------------- */

static void new_connection(ornd_test_conn_t *c)
{
    c->open = true;
    c->reset = c->fin = c->stalled = c->fail_pending = false;
    c->answering = false;
    c->greeting_pos = 0;
    c->blocked = 0;
    c->line_len = 0;
    c->in_body = false;
    c->req_close = false;
    c->target_done = false;
    memset(&c->cur, 0, sizeof c->cur);
    c->req_start = c->sent_len;
}

static void drop_connection(ornd_test_conn_t *c)
{
    c->open = false;
    c->answering = false;
    c->fail_pending = false;
}

static void note_attempt(ornd_test_conn_t *c, const char *host, uint16_t port)
{
    if (c->open) {
        c->closes++;
    }
    drop_connection(c);
    c->connects++;
    size_t n = host != NULL ? strnlen(host, sizeof c->host - 1u) : 0u;
    if (n > 0) {
        memcpy(c->host, host, n);
    }
    c->host[n] = '\0';
    c->port = port;
}

/* A REFUSE step at the head: consumed by this attempt, with its error. */
static bool refused(ornd_test_conn_t *c, ornd_err_t *err, uint32_t *delay)
{
    const ornd_test_step_t *s = head_step(c);
    if (s == NULL || s->kind != ORND_TEST_REFUSE) {
        return false;
    }
    *err = s->err != ORND_OK ? s->err : ORND_ERR_CONNECT;
    *delay = s->delay_ms;
    use_step(c);
    return true;
}

static ornd_err_t t_connect(void *ctx, const char *host, uint16_t port, uint32_t timeout_ms)
{
    ornd_test_conn_t *c = ctx;
    note_attempt(c, host, port);
    ornd_err_t err;
    uint32_t delay;
    if (refused(c, &err, &delay)) {
        if (delay > timeout_ms) {
            wait_ms(c->sim, timeout_ms);
            return ORND_ERR_TIMEOUT;
        }
        wait_ms(c->sim, delay);
        return err;
    }
    new_connection(c);
    return ORND_OK;
}

static ornd_err_t t_connect_start(void *ctx, const char *host, uint16_t port)
{
    ornd_test_conn_t *c = ctx;
    note_attempt(c, host, port);
    ornd_err_t err;
    uint32_t delay;
    bool refuse = refused(c, &err, &delay);
    new_connection(c);
    if (refuse) { /* told by the first send or receive, as a real stack does */
        c->fail_pending = true;
        c->fail_err = err;
    }
    return ORND_OK;
}

/* An injected "not now" (would_block_each) before a call that would move. */
static bool not_now(ornd_test_conn_t *c, uint32_t timeout_ms)
{
    if (timeout_ms != 0) {
        return false;
    }
    if (c->blocked < c->would_block_each) {
        c->blocked++;
        c->would_blocks++;
        return true;
    }
    c->blocked = 0;
    return false;
}

/* A scripted failure due now: the connection drops with its error, or a
 * reset connection stays broken; ORND_OK when neither. */
static ornd_err_t failure(ornd_test_conn_t *c)
{
    if (c->fail_pending) {
        drop_connection(c);
        return c->fail_err;
    }
    return c->reset ? ORND_ERR_NET : ORND_OK;
}

static ornd_err_t t_send(void *ctx, const uint8_t *buf, size_t len, uint32_t timeout_ms,
                         size_t *sent)
{
    ornd_test_conn_t *c = ctx;
    *sent = 0;
    if (!c->open) {
        return ORND_ERR_CLOSED;
    }
    if (not_now(c, timeout_ms)) {
        return ORND_ERR_WOULD_BLOCK;
    }
    ornd_err_t broken = failure(c);
    if (broken != ORND_OK) {
        return broken;
    }
    size_t n = c->send_chunk != 0 && len > c->send_chunk ? c->send_chunk : len;
    *sent = n;
    if (c->fin) {
        return ORND_OK; /* into a connection the peer has closed: never read */
    }
    for (size_t i = 0; i < n; i++) {
        if (c->sent_len < ORND_TEST_RECORD_MAX) {
            c->sent[c->sent_len++] = (char)buf[i];
            c->sent[c->sent_len] = '\0';
        } else {
            c->sent_overflow = true;
        }
        take_byte(c, (char)buf[i]);
    }
    return ORND_OK;
}

/* Copy what the peer has to say now; 0 when nothing. */
static size_t take_answer(ornd_test_conn_t *c, uint8_t *buf, size_t len)
{
    size_t cap = c->read_chunk != 0 && len > c->read_chunk ? c->read_chunk : len;
    size_t n = 0;
    if (c->greeting_pos < ORND_TEST_GREETING_LEN) {
        n = ORND_TEST_GREETING_LEN - c->greeting_pos;
        n = n < cap ? n : cap;
        memcpy(buf, &greeting[c->greeting_pos], n);
        c->greeting_pos += n;
        return n;
    }
    for (unsigned p = 0; c->answering && p < 2u && n < cap; p++) {
        size_t left = c->part_len[p] - c->part_pos[p];
        size_t k = left < cap - n ? left : cap - n;
        if (k > 0) {
            memcpy(buf + n, c->part[p] + c->part_pos[p], k);
            c->part_pos[p] += k;
            n += k;
        }
    }
    if (c->answering && c->part_pos[0] == c->part_len[0] && c->part_pos[1] == c->part_len[1]) {
        c->answering = false;
        c->fin = c->fin || c->close_after;
    }
    return n;
}

static bool has_something(const ornd_test_conn_t *c)
{
    return c->greeting_pos < ORND_TEST_GREETING_LEN || c->answering || c->fin || c->reset;
}

static ornd_err_t t_recv(void *ctx, uint8_t *buf, size_t len, uint32_t timeout_ms, size_t *received)
{
    ornd_test_conn_t *c = ctx;
    *received = 0;
    if (!c->open) {
        return ORND_ERR_CLOSED;
    }
    bool moves = has_something(c) || c->fail_pending;
    if (moves && not_now(c, timeout_ms)) {
        return ORND_ERR_WOULD_BLOCK;
    }
    ornd_err_t broken = failure(c);
    if (broken != ORND_OK) {
        return broken;
    }
    if (c->answering && c->greeting_pos == ORND_TEST_GREETING_LEN) {
        int32_t left = (int32_t)(c->ready_at - c->sim->now_ms);
        if (left > 0) { /* the peer is still working on it */
            if (timeout_ms == 0) {
                return ORND_ERR_WOULD_BLOCK;
            }
            if ((uint32_t)left > timeout_ms) {
                wait_ms(c->sim, timeout_ms);
                return ORND_ERR_TIMEOUT;
            }
            wait_ms(c->sim, (uint32_t)left);
        }
    }
    size_t n = len > 0 ? take_answer(c, buf, len) : 0u;
    if (n > 0) {
        *received = n;
        return ORND_OK;
    }
    if (c->fin) {
        return ORND_ERR_CLOSED;
    }
    if (timeout_ms == 0) {
        return ORND_ERR_WOULD_BLOCK; /* silent */
    }
    wait_ms(c->sim, timeout_ms);
    return ORND_ERR_TIMEOUT;
}

static void t_close(void *ctx)
{
    ornd_test_conn_t *c = ctx;
    if (c->open) {
        c->closes++;
    }
    drop_connection(c);
}

ornd_err_t ornd_test_transport(ornd_transport_t *t, ornd_test_conn_t *c, ornd_test_platform_t *sim)
{
    if (t == NULL || c == NULL || sim == NULL) {
        return ORND_ERR_ARG;
    }
    memset(c, 0, sizeof *c);
    c->sim = sim;
    memset(t, 0, sizeof *t);
    t->ctx = c;
    t->connect = t_connect;
    t->connect_start = t_connect_start;
    t->send = t_send;
    t->recv = t_recv;
    t->close = t_close;
    return ORND_OK;
}
