/* SPDX-License-Identifier: MIT */
/*
 * Every fault at every call: a token fetch, and API requests (a GET that
 * fetches the token, a GET over the kept-alive connection, a POST refused
 * once with 401 and sent again with a new token), blocking and polled, run
 * over the scripted servers of ornd/testing.h through the fault-injecting
 * transport of tests/faults/. First without faults, to count the transport
 * calls of the exchange; then once per call number and fault kind. For each:
 *
 *   - every call ends with success or a documented error, and faults that
 *     only slow or split the traffic (short sends and receives, "not now",
 *     a short stall) change nothing the servers see;
 *   - no call takes longer than its deadline on the simulated clock;
 *   - a POST is carried out at most once (a 401 does nothing);
 *   - no more token requests in any minute than the rate guard allows;
 *   - the client and the API connection serve the next call.
 *
 * Then faults at random from seeds, several per run, with the same checks
 * (bar the first's "changes nothing").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fault.h"
#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/testing.h"

#define T 200u              /* timeout_ms of every step */
#define BOUND (3u * T + 5u) /* longest call: a token fetch or a connect + handshake */

static ornd_test_platform_t sim;
static ornd_platform_t platform;
static ornd_test_conn_t id_peer, api_peer;
static ornd_transport_t id_inner, api_inner, id_tr, api_tr;
static fault_plan_t plan;
static fault_conn_t id_fault, api_fault;
static ornd_client_t client;
static ornd_api_t api;

static unsigned posts_done; /* POSTs the server carried out (answered other than 401) */
static unsigned fault_points, seeded_faults_injected;

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
    if (strcmp(r->method, "POST") == 0 && r->status != 401) {
        posts_done++;
    }
}

/* A fresh world: servers, faults (none yet), client, API connection. */
static void unworld(void);

static void world(bool polling)
{
    static const uint8_t ca[] = "plain";
    unworld(); /* after a failed check, too */
    posts_done = 0;
    assert_int_equal(ornd_test_platform(&platform, &sim, 7000), ORND_OK);
    assert_int_equal(ornd_test_transport(&id_inner, &id_peer, &sim), ORND_OK);
    assert_int_equal(ornd_test_transport(&api_inner, &api_peer, &sim), ORND_OK);
    if (!polling) {
        id_inner.connect_start = api_inner.connect_start = NULL;
    }
    assert_int_equal(ornd_test_add(&id_peer, ornd_test_token(3599, ORND_TEST_FOREVER)), ORND_OK);
    static const char *const bodies[] = {"{\"a\":1}", "{\"b\":2}"};
    for (unsigned i = 0; i < 2; i++) {
        assert_int_equal(ornd_test_add(&api_peer, ornd_test_json(200, bodies[i])), ORND_OK);
    }
    assert_int_equal(ornd_test_add(&api_peer, ornd_test_json(401, "{}")), ORND_OK);
    assert_int_equal(ornd_test_add(&api_peer, ornd_test_json(201, "{\"_id\":\"c\"}")), ORND_OK);
    ornd_test_step_t rest = ornd_test_json(200, "{}");
    rest.times = ORND_TEST_FOREVER;
    assert_int_equal(ornd_test_add(&api_peer, rest), ORND_OK);
    api_peer.on_request = on_api_request;
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
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    ornd_api_settings_t as = {
        .transport = &api_tr, .client = &client, .api_url = "https://api.example/v2", .org = "o"};
    assert_int_equal(ornd_api_init(&api, &as), ORND_OK);
}

static void unworld(void)
{
    ornd_api_release(&api);
    ornd_client_release(&client);
}

/* ---- the calls, blocking or polled ----------------------------------------- */

static ornd_err_t token_poll(void *c)
{
    return ornd_token_poll(c);
}
static ornd_err_t api_poll(void *a)
{
    return ornd_api_poll(a);
}

static ornd_err_t token_call(bool polling)
{
    const char *tok;
    return polling ? ornd_test_poll(&sim, token_poll, &client, 1, 100000u, NULL)
                   : ornd_token(&client, &tok, NULL);
}

static ornd_err_t api_call(bool polling, const char *method, const char *path)
{
    ornd_api_result_t res;
    const uint8_t *body = strcmp(method, "POST") == 0 ? (const uint8_t *)"{\"m\":1}" : NULL;
    size_t len = body != NULL ? 7u : 0u;
    if (!polling) {
        return ornd_api_request(&api, method, path, body, len, NULL, &res);
    }
    ornd_err_t rc = ornd_api_start(&api, method, path, body, len, NULL, &res);
    return rc != ORND_OK ? rc : ornd_test_poll(&sim, api_poll, &api, 1, 100000u, NULL);
}

/* Success or an error a caller is told to expect from a call that uses the
 * network; OUTCOME_UNKNOWN only where the request is not idempotent. */
static bool documented(ornd_err_t rc, bool post)
{
    switch (rc) {
    case ORND_OK:
    case ORND_ERR_TIMEOUT:
    case ORND_ERR_NET:
    case ORND_ERR_CLOSED:
    case ORND_ERR_CONNECT:
    case ORND_ERR_TOKEN_HELD:
        return true;
    case ORND_ERR_OUTCOME_UNKNOWN:
        return post;
    default:
        return false;
    }
}

/* No minute holds more connection attempts to the identity host than the
 * guard allows. */
static void check_rate_guard(void)
{
    unsigned n = id_fault.connects < FAULT_CONNECTS_KEPT ? id_fault.connects : FAULT_CONNECTS_KEPT;
    for (unsigned i = 0; i < n; i++) {
        unsigned in_minute = 0;
        for (unsigned j = i; j < n; j++) {
            in_minute += id_fault.connect_at[j] - id_fault.connect_at[i] < 60000u;
        }
        assert_true(in_minute <= ORND_CONFIG_TOKEN_REQUESTS_PER_MIN);
    }
}

/* One timed call: its outcome, checked against the deadline and the list. */
static ornd_err_t timed(ornd_err_t (*call)(bool, const char *, const char *), bool polling,
                        const char *method, const char *path, uint32_t bound)
{
    uint32_t t0 = sim.now_ms;
    ornd_err_t rc = call(polling, method, path);
    if (sim.now_ms - t0 > bound) {
        fail_msg("%s %s took %u ms (bound %u)", method, path, (unsigned)(sim.now_ms - t0),
                 (unsigned)bound);
    }
    if (!documented(rc, strcmp(method, "POST") == 0)) {
        fail_msg("%s %s: %s", method, path, ornd_errname(rc));
    }
    return rc;
}

static ornd_err_t token_as_call(bool polling, const char *method, const char *path)
{
    (void)method, (void)path;
    return token_call(polling);
}

/* The exchange of a scenario; its outcomes in rc[]. */
static void exchange(bool api_scenario, bool polling, uint32_t bound, ornd_err_t rc[3])
{
    if (!api_scenario) {
        rc[0] = timed(token_as_call, polling, "TOKEN", "", bound);
        return;
    }
    rc[0] = timed(api_call, polling, "GET", "/a", bound);
    rc[1] = timed(api_call, polling, "GET", "/b", bound);
    rc[2] = timed(api_call, polling, "POST", "/checkins", bound);
    assert_true(posts_done <= 1u);
    if (rc[2] == ORND_OK) {
        assert_int_equal(posts_done, 1u);
    }
}

/* After the faults: the next call works once the client may ask again. */
static void next_call_works(bool api_scenario, bool polling)
{
    plan.n_faults = 0;
    plan.seed = 0;
    ornd_test_advance(&sim, ornd_token_wait_ms(&client) + 60001u);
    if (api_scenario) {
        assert_int_equal(api_call(polling, "GET", "/next"), ORND_OK);
    } else {
        ornd_token_invalidate(&client);
        assert_int_equal(token_call(polling), ORND_OK);
    }
    assert_non_null(ornd_token_info(&client));
    check_rate_guard();
}

/* ---- the sweep --------------------------------------------------------------- */

typedef struct {
    fault_kind_t kind;
    size_t len;
    uint32_t ms;
    bool benign; /* slows or splits, never breaks */
} kind_t;

static const kind_t kinds[] = {
    {FAULT_SHORT, 1, 0, true},      {FAULT_SHORT, 5, 0, true},       {FAULT_NOT_NOW, 0, 0, true},
    {FAULT_STALL, 0, T / 2u, true}, {FAULT_TIMEOUT, 0, 0, false},    {FAULT_RESET, 0, 0, false},
    {FAULT_CLOSE, 0, 0, false},     {FAULT_STALL, 0, 4u * T, false},
};

typedef struct {
    unsigned calls;
    unsigned id_requests, api_requests, id_connects, api_connects;
    ornd_err_t rc[3];
} baseline_t;

static baseline_t run_clean(bool api_scenario, bool polling)
{
    baseline_t b;
    world(polling);
    exchange(api_scenario, polling, BOUND, b.rc);
    for (unsigned i = 0; i < (api_scenario ? 3u : 1u); i++) {
        assert_int_equal(b.rc[i], ORND_OK);
    }
    b.calls = plan.calls;
    b.id_requests = id_peer.requests;
    b.api_requests = api_peer.requests;
    b.id_connects = id_peer.connects;
    b.api_connects = api_peer.connects;
    assert_true(b.calls <= FAULT_TRACE_MAX);
    next_call_works(api_scenario, polling);
    unworld();
    return b;
}

static void sweep(bool api_scenario, bool polling)
{
    baseline_t b = run_clean(api_scenario, polling);
    if (api_scenario) {
        /* keep-alive and the 401 refresh are in the exchange */
        assert_int_equal(b.api_connects, 1u);
        assert_int_equal(b.id_requests, 2u);
        assert_int_equal(b.api_requests, 4u);
    }
    for (unsigned at = 1; at <= b.calls; at++) {
        for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            world(polling);
            fault_t f = {.kind = kinds[k].kind, .at = at, .len = kinds[k].len, .ms = kinds[k].ms};
            assert_int_equal(fault_add(&plan, f), 0);
            ornd_err_t rc[3];
            exchange(api_scenario, polling, BOUND, rc);
            fault_points++;
            /* what the call was, in the clean run */
            char what = plan.trace[at - 1u];
            bool benign = kinds[k].benign || (polling && what != 'c' && f.kind == FAULT_TIMEOUT);
            if (benign) {
                for (unsigned i = 0; i < (api_scenario ? 3u : 1u); i++) {
                    if (rc[i] != ORND_OK) {
                        fail_msg("%s at call %u (%c): call %u: %s", fault_name(f.kind), at, what, i,
                                 ornd_errname(rc[i]));
                    }
                }
                assert_int_equal(id_peer.requests, b.id_requests);
                assert_int_equal(api_peer.requests, b.api_requests);
                assert_int_equal(id_peer.connects, b.id_connects);
                assert_int_equal(api_peer.connects, b.api_connects);
            } else if (!api_scenario) {
                /* the token fetch: the error of the fault */
                ornd_err_t want = what == 'c' ? (f.kind == FAULT_RESET || f.kind == FAULT_CLOSE
                                                     ? ORND_ERR_CONNECT
                                                     : ORND_ERR_TIMEOUT)
                                  : f.kind == FAULT_RESET ? ORND_ERR_NET
                                  : f.kind == FAULT_CLOSE ? ORND_ERR_CLOSED
                                                          : ORND_ERR_TIMEOUT;
                if (rc[0] != want) {
                    fail_msg("%s at call %u (%c): %s, not %s", fault_name(f.kind), at, what,
                             ornd_errname(rc[0]), ornd_errname(want));
                }
            }
            next_call_works(api_scenario, polling);
            unworld();
        }
    }
}

static void token_fetch_blocking(void **state)
{
    (void)state;
    sweep(false, false);
}
static void token_fetch_polled(void **state)
{
    (void)state;
    sweep(false, true);
}
static void api_requests_blocking(void **state)
{
    (void)state;
    sweep(true, false);
}
static void api_requests_polled(void **state)
{
    (void)state;
    sweep(true, true);
}

/* Several faults a run, from seeds: the same invariants. */
static void seeded_faults(void **state)
{
    (void)state;
    for (uint32_t seed = 1; seed <= 400u; seed++) {
        bool polling = (seed & 1u) != 0;
        world(polling);
        fault_seed(&plan, seed, 4u, 2u * T);
        ornd_err_t rc[3];
        exchange(true, polling, 6u * BOUND, rc);
        seeded_faults_injected += plan.injected;
        next_call_works(true, polling);
        unworld();
    }
}

static void report(void **state)
{
    (void)state;
    printf("fault sweep: %u fault points (call number x fault kind x mode x scenario), "
           "%u seeded faults in 400 runs\n",
           fault_points, seeded_faults_injected);
    assert_true(fault_points > 0u && seeded_faults_injected > 400u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(token_fetch_blocking),  cmocka_unit_test(token_fetch_polled),
        cmocka_unit_test(api_requests_blocking), cmocka_unit_test(api_requests_polled),
        cmocka_unit_test(seeded_faults),         cmocka_unit_test(report),
    };
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
