/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the token client and an API connection (src/client.c,
 * src/api.c, src/pages.c) driven through the scripted servers of
 * ornd/testing.h and the fault-injecting transport of tests/faults/. The
 * input is a program: what the servers answer (tokens, JSON, 401, 429, raw
 * bytes from the input, dropped, reset and stalled connections, refused
 * connects, slow answers), transport faults at call numbers, clock steps,
 * and the calls (token, GET, POST, a page walk; blocking or polled).
 *
 * Invariants, checked after every call:
 *   - never more connection attempts to the identity host in a minute than
 *     ORND_CONFIG_TOKEN_REQUESTS_PER_MIN (the rate guard);
 *   - a POST (each has its own path) carried out at most once by the
 *     server: a 401 does nothing, any other fate may have done it;
 *   - every call ends within its deadline on the simulated clock (a token
 *     call within 3 x timeout_ms; an API call within a bound of its
 *     connects, token fetches and waits), a polled one within a bounded
 *     number of passes;
 *   - no call returns "not now" (a transport's answer) or a state error,
 *     and a blocking call never says "in progress".
 * An input without faults and "not now" answers is run a second time with
 * answers read one byte at a time: every outcome must be the same.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fault.h"
#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/pages.h"
#include "ornd/testing.h"

#define T 100u
#define OPS_MAX 48u

static ornd_test_platform_t sim;
static ornd_platform_t platform;
static ornd_test_conn_t id_peer, api_peer;
static ornd_transport_t id_inner, api_inner, id_tr, api_tr;
static fault_plan_t plan;
static fault_conn_t id_fault, api_fault;
static ornd_client_t client;
static ornd_api_t api;
static ornd_api_pages_t pager;

static unsigned char done_posts[OPS_MAX]; /* carried out, per POST path */
static unsigned checked_connects;

typedef struct {
    const uint8_t *p;
    size_t n;
} input_t;

static uint8_t byte(input_t *in)
{
    if (in->n == 0) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

static uint32_t clock_now(void *ctx)
{
    return ((ornd_test_platform_t *)ctx)->now_ms;
}
static void clock_wait(void *ctx, uint32_t ms)
{
    ornd_test_advance(ctx, ms);
}

static void on_api_request(void *user, const ornd_test_request_t *r)
{
    (void)user;
    unsigned k;
    if (strcmp(r->method, "POST") == 0 && r->status != 401 &&
        sscanf(r->target, "/v2/o/p/%u", &k) == 1 && k < OPS_MAX) {
        if (++done_posts[k] > 1u) {
            abort(); /* a POST carried out twice */
        }
    }
}

static void check_guard(void)
{
    unsigned n = id_fault.connects < FAULT_CONNECTS_KEPT ? id_fault.connects : FAULT_CONNECTS_KEPT;
    for (unsigned i = checked_connects; i < n; i++) {
        unsigned limit = ORND_CONFIG_TOKEN_REQUESTS_PER_MIN;
        if (i >= limit && id_fault.connect_at[i] - id_fault.connect_at[i - limit] < 60000u) {
            abort(); /* more token requests in a minute than the guard allows */
        }
    }
    checked_connects = n;
}

static void check_rc(ornd_err_t rc, bool blocking)
{
    if (rc == ORND_ERR_WOULD_BLOCK || rc == ORND_ERR_STATE ||
        (blocking && rc == ORND_IN_PROGRESS)) {
        abort();
    }
    if (strcmp(ornd_errname(rc), "ORND_ERR_UNKNOWN") == 0) {
        abort();
    }
}

/* A server step from the input; raw answers point into it. */
static ornd_test_step_t step_from(input_t *in)
{
    static const int statuses[] = {200, 201, 204, 401, 403, 404, 429, 500, 503, 302};
    uint8_t k = byte(in);
    ornd_test_step_t s;
    switch (k % 9u) {
    case 0:
    case 1:
        s = ornd_test_json(statuses[byte(in) % 10u], (k & 0x10u) ? "{\"results\":[1]}" : "{}");
        s.retry_after_s = (k & 0x20u) ? byte(in) : 0u;
        break;
    case 2:
        s = ornd_test_token((int)(byte(in) % 8u) * 30, 0);
        break;
    case 3: {
        size_t len = byte(in);
        len = len < in->n ? len : in->n;
        s = ornd_test_answer(len > 0 ? (const char *)in->p : "HTTP/1.1 200 OK\r\n\r\n");
        s.len = len > 0 ? len : 0u;
        s.kind = (k & 0x10u) ? ORND_TEST_ANSWER_CLOSE : ORND_TEST_ANSWER;
        in->p += len;
        in->n -= len;
        break;
    }
    case 4:
        s = ornd_test_step(ORND_TEST_DROP);
        break;
    case 5:
        s = ornd_test_step(ORND_TEST_RESET);
        break;
    case 6:
        s = ornd_test_step(ORND_TEST_STALL);
        break;
    case 7:
        s = ornd_test_step(ORND_TEST_REFUSE);
        s.err = (k & 0x10u) ? ORND_ERR_DNS : ORND_ERR_CONNECT;
        break;
    default:
        s = ornd_test_json(200, "{\"cursorNext\":\"c\",\"results\":[]}");
        break;
    }
    s.delay_ms = (k & 0x40u) ? (uint32_t)byte(in) * 4u : 0u;
    s.times = (k & 0x80u) ? 2u : 1u;
    return s;
}

static ornd_err_t token_poll(void *c)
{
    return ornd_token_poll(c);
}
static ornd_err_t api_poll(void *a)
{
    return ornd_api_poll(a);
}

static ornd_err_t pages_rc;
static unsigned pages_n;
static ornd_err_t pages_poll(void *a)
{
    return ornd_api_pages_poll(a, &pager, &pages_n);
}

#define RESULTS_MAX 64u
typedef struct {
    ornd_err_t rc[RESULTS_MAX];
    unsigned n;
    unsigned id_requests, api_requests;
} outcome_t;

static void keep(outcome_t *o, ornd_err_t rc)
{
    if (o->n < RESULTS_MAX) {
        o->rc[o->n++] = rc;
    }
}

static void run(const uint8_t *data, size_t size, bool one_byte, outcome_t *o, bool *plain)
{
    static const uint8_t ca[] = "plain";
    input_t in = {data, size};
    memset(o, 0, sizeof *o);
    memset(done_posts, 0, sizeof done_posts);
    checked_connects = 0;
    ornd_test_platform(&platform, &sim, (uint32_t)byte(&in) << 24); /* near the wrap, too */
    ornd_test_transport(&id_inner, &id_peer, &sim);
    ornd_test_transport(&api_inner, &api_peer, &sim);
    uint8_t cfg = byte(&in);
    id_peer.read_chunk = api_peer.read_chunk = one_byte ? 1u : cfg % 8u;
    id_peer.would_block_each = api_peer.would_block_each = (cfg >> 3) % 3u;
    api_peer.send_chunk = (cfg >> 5) % 4u;
    api_peer.on_request = on_api_request;
    ornd_test_add(&id_peer, ornd_test_token(3599, 0));
    fault_plan_init(&plan, (fault_clock_t){.ctx = &sim, .now = clock_now, .wait = clock_wait});
    fault_transport(&id_tr, &id_fault, &id_inner, &plan);
    fault_transport(&api_tr, &api_fault, &api_inner, &plan);
    ornd_settings_t s = {.platform = &platform,
                         .transport = &id_tr,
                         .token_url = "https://id.example/oauth/token",
                         .client_id = "dev",
                         .client_secret = "secret",
                         .ca = ca,
                         .ca_len = sizeof ca,
                         .timeout_ms = T};
    ornd_api_settings_t as = {
        .transport = &api_tr, .client = &client, .api_url = "https://api.example/v2", .org = "o"};
    if (ornd_client_init(&client, &s) != ORND_OK || ornd_api_init(&api, &as) != ORND_OK) {
        abort();
    }
    *plain = id_peer.would_block_each == 0;
    for (unsigned op = 0; op < OPS_MAX && in.n > 0; op++) {
        uint8_t c = byte(&in);
        bool polled = (c & 0x80u) != 0;
        uint32_t t0 = sim.now_ms;
        unsigned passes = 0;
        ornd_err_t rc = ORND_OK;
        bool call = true;
        uint32_t bound = 0;
        unsigned faults0 = plan.injected;
        switch (c % 12u) {
        case 0: { /* a token */
            const char *tok;
            rc = polled ? ornd_test_poll(&sim, token_poll, &client, 1, 200000u, &passes)
                        : ornd_token(&client, &tok, NULL);
            bound = 3u * T;
            break;
        }
        case 1:
        case 2: { /* GET, or POST to a path of its own */
            char path[32];
            bool post = c % 12u == 2u;
            snprintf(path, sizeof path, post ? "/p/%u" : "/g/%u", op);
            ornd_api_result_t res;
            const uint8_t *body = post ? (const uint8_t *)"{}" : NULL;
            if (polled) {
                rc = ornd_api_start(&api, post ? "POST" : "GET", path, body, post ? 2u : 0u, NULL,
                                    &res);
                if (rc == ORND_OK) {
                    rc = ornd_test_poll(&sim, api_poll, &api, 1, 200000u, &passes);
                }
            } else {
                rc = ornd_api_request(&api, post ? "POST" : "GET", path, body, post ? 2u : 0u, NULL,
                                      &res);
            }
            bound = 40u * T;
            break;
        }
        case 3: /* a walk of up to 3 pages */
            pages_n = 0;
            pages_rc = ornd_api_pages_start(&api, &pager, "/w", NULL, 3, NULL);
            rc = pages_rc != ORND_OK ? pages_rc
                                     : ornd_test_poll(&sim, pages_poll, &api, 1, 200000u, &passes);
            bound = 120u * T;
            break;
        case 4:
        case 5:
            ornd_test_add(&api_peer, step_from(&in));
            call = false;
            break;
        case 6:
            ornd_test_add(&id_peer, step_from(&in));
            call = false;
            break;
        case 7: { /* a transport fault a few calls ahead */
            uint8_t f = byte(&in);
            fault_t ft = {.kind = (fault_kind_t)(1u + f % (unsigned)(FAULT_KINDS - 1)),
                          .at = plan.calls + 1u + byte(&in) % 24u,
                          .len = 1u + (f >> 4),
                          .ms = (uint32_t)(f >> 3) * 25u};
            fault_add(&plan, ft);
            *plain = false;
            call = false;
            break;
        }
        case 8:
            ornd_test_advance(&sim, (uint32_t)byte(&in) * 997u);
            call = false;
            break;
        case 9:
            ornd_token_invalidate(&client);
            call = false;
            break;
        case 10:
            ornd_api_close(&api);
            call = false;
            break;
        default:
            ornd_test_advance(&sim, 60001u); /* a minute: the guard's window */
            call = false;
            break;
        }
        if (call) {
            check_rc(rc, !polled);
            keep(o, rc);
            /* within the call's deadline; each fault may cost a timeout more,
             * each polled pass a tick */
            uint32_t allowed = bound + (plan.injected - faults0) * T + passes + 1u;
            if (sim.now_ms - t0 > allowed) {
                abort();
            }
        }
        check_guard();
        if (id_fault.connects >= FAULT_CONNECTS_KEPT - 2u) {
            break;
        }
    }
    o->id_requests = id_peer.requests;
    o->api_requests = api_peer.requests;
    ornd_api_release(&api);
    ornd_client_release(&client);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static outcome_t a, b;
    bool plain = false, plain_b = false;
    run(data, size, false, &a, &plain);
    if (plain) {
        run(data, size, true, &b, &plain_b);
        if (a.n != b.n || memcmp(a.rc, b.rc, a.n * sizeof a.rc[0]) != 0 ||
            a.id_requests != b.id_requests || a.api_requests != b.api_requests) {
            abort(); /* the outcome depended on how the answers were split */
        }
    }
    return 0;
}
