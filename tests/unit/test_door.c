/* SPDX-License-Identifier: MIT */
/*
 * An example of a firmware team's host test: the door's logic
 * (boards/host/door_logic.c) runs unchanged over the scripted servers of
 * ornd/testing.h, linked with libornd-testing.a (no TLS, no network, a
 * simulated clock). docs/testing.md walks through it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "door.h"
#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/testing.h"

/* The program's objects, as the firmware has them (door.c), with the
 * simulated platform and two scripted servers in place of the port. */
static ornd_test_platform_t sim;
static ornd_test_conn_t identity, officernd;
static ornd_platform_t platform;
static ornd_transport_t id_transport, api_transport;
static ornd_client_t client;
static ornd_api_t api;
static door_out_t out;

static const time_t NOW = 1764579600; /* 2025-12-01T09:00:00Z: the check-in's start */
#define START "2025-12-01T09:00:00.000Z"
#define MEMBER "{\"results\":[{\"_id\":\"m1\",\"name\":\"Ada Lovelace\"}]}"
#define CHECKIN "{\"_id\":\"c1\",\"start\":\"" START "\"}"

static int setup(void **state)
{
    (void)state;
    static const uint8_t ca[] = "the plain TLS layer reads no certificate";
    memset(&out, 0, sizeof out);
    ornd_test_platform(&platform, &sim, 1000);
    ornd_test_transport(&id_transport, &identity, &sim);
    ornd_test_transport(&api_transport, &officernd, &sim);
    /* the identity server gives a token to every request */
    ornd_test_add(&identity, ornd_test_token(3600, ORND_TEST_FOREVER));
    ornd_settings_t s = {.platform = &platform,
                         .transport = &id_transport,
                         .client_id = "door-7",
                         .client_secret = "secret",
                         .scope = "flex.community.members.read flex.community.checkins.create",
                         .ca = ca,
                         .ca_len = sizeof ca};
    ornd_api_settings_t as = {.client = &client, .transport = &api_transport, .org = "acme"};
    if (ornd_client_init(&client, &s) != ORND_OK || ornd_api_init(&api, &as) != ORND_OK) {
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ornd_api_release(&api);
    ornd_client_release(&client);
    return 0;
}

static void a_member_is_checked_in_and_the_door_opens(void **state)
{
    (void)state;
    ornd_test_add(&officernd, ornd_test_json(200, MEMBER));
    ornd_test_add(&officernd, ornd_test_json(201, CHECKIN));
    assert_true(door_badge(&api, "ada@example.com", "loc1", NOW, &out));
    assert_string_equal(out.text, "door: OPEN for Ada Lovelace (check-in c1)\n");
    /* what the server saw: one token request, the look-up, one check-in */
    assert_int_equal(identity.requests, 1);
    assert_int_equal(officernd.requests, 2);
    assert_int_equal(officernd.connects, 1); /* one kept-alive connection */
    assert_string_equal(ornd_test_request(&officernd, 0)->target,
                        "/api/v2/organizations/acme/members?email=ada%40example.com&$limit=1");
    assert_string_equal(ornd_test_request(&officernd, 1)->method, "POST");
    assert_string_equal(ornd_test_request(&officernd, 1)->target,
                        "/api/v2/organizations/acme/checkins/m1");
    assert_int_equal(
        ornd_test_count(&officernd, "\r\n\r\n{\"location\":\"loc1\",\"start\":\"" START "\"}"), 1);
    assert_int_equal(ornd_test_count(&officernd, "Authorization: Bearer tok-1\r\n"), 2);
}

static void a_stranger_is_denied_and_nothing_is_posted(void **state)
{
    (void)state;
    ornd_test_add(&officernd, ornd_test_json(200, "{\"results\":[]}"));
    assert_false(door_badge(&api, "nobody@example.com", "loc1", NOW, &out));
    assert_string_equal(out.text, "door: DENIED nobody@example.com: not a member\n");
    assert_int_equal(officernd.requests, 1);
    assert_int_equal(ornd_test_count(&officernd, "POST "), 0);
}

/* The connection breaks after the check-in went out: the door looks for it
 * and opens when it is there, without sending it a second time. */
static void a_lost_answer_is_looked_up_not_resent(void **state)
{
    (void)state;
    ornd_test_add(&officernd, ornd_test_json(200, MEMBER));
    ornd_test_add(&officernd, ornd_test_step(ORND_TEST_DROP)); /* the POST's answer is lost */
    ornd_test_add(&officernd,
                  ornd_test_json(200, "{\"results\":[{\"_id\":\"c0\",\"start\":\"2025-11-30T08:00:"
                                      "00.000Z\"},{\"_id\":\"c1\",\"start\":\"" START "\"}]}"));
    assert_true(door_badge(&api, "ada@example.com", "loc1", NOW, &out));
    assert_string_equal(out.text, "door: check-in for Ada Lovelace may or may not exist; looking\n"
                                  "door: OPEN for Ada Lovelace (check-in c1)\n");
    assert_int_equal(ornd_test_count(&officernd, "POST "), 1);
    assert_string_equal(ornd_test_request(&officernd, 2)->target,
                        "/api/v2/organizations/acme/checkins?member=m1");
    assert_int_equal(officernd.connects, 2);
}

/* The server refuses the token once: a new one is fetched, the request is
 * sent again, the door opens. */
static void a_refused_token_is_renewed(void **state)
{
    (void)state;
    ornd_test_add(&officernd, ornd_test_json(401, "{\"message\":\"Unauthorized\"}"));
    ornd_test_add(&officernd, ornd_test_json(200, MEMBER));
    ornd_test_add(&officernd, ornd_test_json(201, CHECKIN));
    assert_true(door_badge(&api, "ada@example.com", "loc1", NOW, &out));
    assert_int_equal(identity.requests, 2);
    assert_int_equal(ornd_test_count(&officernd, "Authorization: Bearer tok-2\r\n"), 2);
}

/* Rate-limited: the door says so, with the server's Retry-After. */
static void rate_limited_says_when_to_try_again(void **state)
{
    (void)state;
    ornd_test_add(&officernd, ornd_test_json(200, MEMBER));
    ornd_test_step_t busy = ornd_test_json(429, NULL);
    busy.retry_after_s = 30;
    ornd_test_add(&officernd, busy);
    assert_false(door_badge(&api, "ada@example.com", "loc1", NOW, &out));
    assert_string_equal(out.text, "door: DENIED Ada Lovelace: rate limited by the server (429) "
                                  "(try again in 30 s)\n");
}

/* A server that never answers: the badge is refused after the request's
 * timeout on the simulated clock, not hung; the next badge works. */
static void a_silent_server_times_out(void **state)
{
    (void)state;
    ornd_test_add(&officernd, ornd_test_step(ORND_TEST_STALL));
    ornd_test_add(&officernd, ornd_test_json(200, "{\"results\":[]}"));
    uint32_t t0 = sim.now_ms;
    assert_false(door_badge(&api, "ada@example.com", "loc1", NOW, &out));
    assert_string_equal(out.text, "door: DENIED ada@example.com: network timeout\n");
    assert_true(sim.now_ms - t0 <= 3u * ORND_CONFIG_TIMEOUT_MS);
    memset(&out, 0, sizeof out);
    assert_false(door_badge(&api, "nobody@example.com", "loc1", NOW, &out));
    assert_string_equal(out.text, "door: DENIED nobody@example.com: not a member\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_member_is_checked_in_and_the_door_opens, setup, teardown),
        cmocka_unit_test_setup_teardown(a_stranger_is_denied_and_nothing_is_posted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(a_lost_answer_is_looked_up_not_resent, setup, teardown),
        cmocka_unit_test_setup_teardown(a_refused_token_is_renewed, setup, teardown),
        cmocka_unit_test_setup_teardown(rate_limited_says_when_to_try_again, setup, teardown),
        cmocka_unit_test_setup_teardown(a_silent_server_times_out, setup, teardown),
    };
    return cmocka_run_group_tests_name("door", tests, NULL, NULL);
}
