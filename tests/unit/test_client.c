/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the client: settings, the token cache on a simulated clock
 * (including the 32-bit wrap), the fetch over a scripted identity server,
 * and wiping. Linked with libornd-testing.a (ornd/testing.h): a plain TLS
 * layer in place of src/tls.c, and the scripted peer below.
 */
/* White-box: the wipe checks look into the client's scratch memory. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "wall_clock.h"
#include "ornd/version.h"
#include "ornd/client.h"
#include "ornd/testing.h"

/* ---- the simulated platform and the scripted identity server -------------- */

static ornd_test_platform_t sim;
static ornd_platform_t platform;
static ornd_test_conn_t id;            /* the identity server */
static ornd_transport_t id_tr;         /* blocking only (no connect_start) */
static ornd_transport_t id_poll_tr;    /* can also connect without waiting */
static ornd_transport_t scripted;      /* the peer's own table */

/* Every connection goes to the token URL's host and port. */
static ornd_err_t checked_connect(void *ctx, const char *host, uint16_t p, uint32_t t)
{
    assert_string_equal(host, "id.example");
    assert_int_equal(p, 8443);
    return scripted.connect(ctx, host, p, t);
}
static ornd_err_t checked_start(void *ctx, const char *host, uint16_t p)
{
    assert_string_equal(host, "id.example");
    assert_int_equal(p, 8443);
    return scripted.connect_start(ctx, host, p);
}

/* The server gives `answer` to every request. */
static void serve_always(const char *answer)
{
    ornd_test_step_t s = ornd_test_answer(answer);
    s.times = ORND_TEST_FOREVER;
    assert_int_equal(ornd_test_script(&id, &s, 1), ORND_OK);
}

static ornd_client_t client;

#define ANSWER(expires)                                                                     \
    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n"                            \
    "{\"access_token\":\"tok-" #expires "\",\"token_type\":\"Bearer\",\"expires_in\":" #expires \
    ",\"scope\":\"flex.community.members.read\"}"

static const char *secret = "p+/=&% \"'\xc3\xa9!";

static const uint8_t ca[] = "not read by the plain TLS layer";

static ornd_settings_t settings(void)
{
    ornd_settings_t s = {
        .platform = &platform,
        .transport = &id_tr,
        .ca = ca,
        .ca_len = sizeof ca,
        .token_url = "https://id.example:8443/oauth/token",
        .client_id = "device-7",
        .client_secret = secret,
        .scope = "flex.community.members.read",
        .timeout_ms = 1000,
    };
    return s;
}

static int setup(void **state)
{
    (void)state;
    assert_int_equal(ornd_test_platform(&platform, &sim, 1000), ORND_OK);
    assert_int_equal(ornd_test_transport(&scripted, &id, &sim), ORND_OK);
    id_tr = scripted;
    id_tr.connect = checked_connect;
    id_tr.connect_start = NULL;
    id_poll_tr = id_tr;
    id_poll_tr.connect_start = checked_start;
    serve_always(ANSWER(3599));
    ornd_settings_t s = settings();
    return ornd_client_init(&client, &s) == ORND_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ornd_client_release(&client);
    return 0;
}

/* ---- tests ----------------------------------------------------------- */

static void fetches_once_then_serves_cache(void **state)
{
    (void)state;
    const char *tok = NULL;
    size_t len = 0;
    assert_int_equal(ornd_token(&client, &tok, &len), ORND_OK);
    assert_string_equal(tok, "tok-3599");
    assert_int_equal(len, 8);
    assert_int_equal(id.connects, 1);
    assert_int_equal(id.closes, 1);
    for (int i = 0; i < 5; i++) {
        sim.now_ms += 1000;
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    }
    assert_int_equal(id.connects, 1);
}

/* A second init of a live client is refused and changes nothing (it once
 * re-parsed the CA and leaked pool memory); after release, init works. */
static void init_of_an_initialised_client_is_refused(void **state)
{
    (void)state;
    char hdr[ORND_AUTH_HEADER_MAX];
    assert_int_equal(ornd_auth_header(&client, hdr, sizeof hdr, NULL), ORND_OK);
    ornd_settings_t s = settings();
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(ornd_client_init(&client, &s), ORND_ERR_STATE);
    }
    assert_non_null(ornd_token_info(&client)); /* the cached token is still there */
    assert_int_equal(ornd_auth_header(&client, hdr, sizeof hdr, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
    ornd_client_release(&client);
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
}

static void t_lock(void *ctx);

/* A platform or transport that lacks a required member is the port's fault. */
static void incomplete_port_is_refused(void **state)
{
    (void)state;
    ornd_client_t c = {0};
    ornd_settings_t s = settings();
    ornd_platform_t no_clock = platform;
    no_clock.now_ms = NULL;
    s.platform = &no_clock;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_PORT);
    ornd_platform_t half_lock = platform;
    half_lock.lock = t_lock;
    s.platform = &half_lock;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_PORT);
    ornd_transport_t no_recv = id_tr;
    no_recv.recv = NULL;
    s = settings();
    s.transport = &no_recv;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_PORT);
    s.transport = NULL;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_ARG);
    ornd_transport_t no_close = id_tr;
    no_close.close = NULL;
    s.transport = &no_close;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_PORT);
    ornd_platform_t no_entropy = platform;
    no_entropy.entropy = NULL;
    s = settings();
    s.platform = &no_entropy;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_PORT);
    /* no settings, no CA: the caller's fault; nothing is left initialised */
    assert_int_equal(ornd_client_init(&c, NULL), ORND_ERR_ARG);
    s = settings();
    s.ca = NULL;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_ARG);
    s.ca = ca;
    s.ca_len = 0;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_ARG);
    const char *tok;
    assert_int_equal(ornd_token(&c, &tok, NULL), ORND_ERR_STATE);
    assert_int_equal(ornd_token(NULL, &tok, NULL), ORND_ERR_STATE);
    assert_int_equal(ornd_token_wait_ms(NULL), 0);
    assert_null(ornd_token_info(NULL));
    ornd_client_release(NULL);
}

static void refreshes_at_margin(void **state)
{
    (void)state;
    const char *tok;
    uint32_t start = sim.now_ms;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    uint32_t usable = (3599u - ORND_CONFIG_REFRESH_MARGIN_S) * 1000u;
    sim.now_ms = start + usable - 1u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
    assert_int_equal(ornd_token_remaining_s(&client), 0);
    sim.now_ms = start + usable;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 2);
    assert_int_equal(ornd_token_remaining_s(&client), usable / 1000u);
}

/* ornd_settings_t.refresh_margin_s: the token is refreshed that long before
 * it expires; until then it is served, after it it is not fresh (0 s
 * remaining) and the next call fetches. A margin beyond
 * ORND_CONFIG_MAX_EXPIRES_S counts as that (never wrapped round into a
 * small one): longer than the lifetime, so half the lifetime is used. */
static void refresh_margin_setting(void **state)
{
    (void)state;
    const char *tok;
    ornd_client_release(&client);
    ornd_settings_t s = settings();
    s.refresh_margin_s = 600;
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    uint32_t start = sim.now_ms;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    const uint32_t usable = (3599u - 600u) * 1000u;
    sim.now_ms = start + usable - 1000u;
    assert_int_equal(ornd_token_remaining_s(&client), 1);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
    sim.now_ms = start + usable;
    assert_int_equal(ornd_token_remaining_s(&client), 0);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 2);

    ornd_client_release(&client);
    s.refresh_margin_s = 4294968u; /* x 1000 would wrap round to 704 ms */
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    start = sim.now_ms;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    sim.now_ms = start + 3599000u / 2u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 4); /* refreshed at half its lifetime */
}

static void correct_across_clock_wrap(void **state)
{
    (void)state;
    const char *tok;
    sim.now_ms = UINT32_MAX - 5000u; /* 5 s before the 32-bit tick wraps */
    uint32_t start = sim.now_ms;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
    sim.now_ms = start + 10000u; /* wrapped: now a small number */
    assert_true(sim.now_ms < start);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
    uint32_t usable = (3599u - ORND_CONFIG_REFRESH_MARGIN_S) * 1000u;
    sim.now_ms = start + usable - 1u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
    sim.now_ms = start + usable + 1u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 2);
}

static void short_lifetime_uses_half_as_margin(void **state)
{
    (void)state;
    const char *tok;
    serve_always(ANSWER(100));
    uint32_t start = sim.now_ms;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    sim.now_ms = start + 49999u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
    sim.now_ms = start + 50000u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 2);
}

static void request_sent_is_exact(void **state)
{
    (void)state;
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    const char *body = "client_id=device-7&client_secret=p%2B%2F%3D%26%25+%22%27%C3%A9%21"
                       "&grant_type=client_credentials&scope=flex.community.members.read";
    char expect[1024];
    snprintf(expect, sizeof expect,
             "POST /oauth/token HTTP/1.1\r\nHost: id.example:8443\r\n"
             "User-Agent: ornd-lite/" ORND_VERSION_STRING "\r\nAccept: application/json\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %lu\r\n"
             "Connection: close\r\n\r\n%s",
             (unsigned long)strlen(body), body);
    size_t sent_len;
    const char *sent = ornd_test_sent(&id, &sent_len);
    assert_int_equal(sent_len, strlen(expect));
    assert_memory_equal(sent, expect, sent_len);
}

static bool contains(const void *hay, size_t hay_len, const void *needle, size_t n)
{
    for (size_t i = 0; i + n <= hay_len; i++) {
        if (memcmp((const char *)hay + i, needle, n) == 0) {
            return true;
        }
    }
    return false;
}

static void scratch_wiped_after_fetch(void **state)
{
    (void)state;
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    const char *encoded = "p%2B%2F%3D%26%25";
    assert_false(contains(&client.scratch, sizeof client.scratch, encoded, strlen(encoded)));
    assert_false(contains(&client.scratch, sizeof client.scratch, "tok-3599", 8));
}

static void auth_header_and_small_buffers(void **state)
{
    (void)state;
    char hdr[ORND_AUTH_HEADER_MAX];
    size_t len = 0;
    assert_int_equal(ornd_auth_header(&client, hdr, sizeof hdr, &len), ORND_OK);
    assert_string_equal(hdr, "Authorization: Bearer tok-3599");
    assert_int_equal(len, strlen(hdr));
    char small[30];
    memset(small, 'x', sizeof small);
    assert_int_equal(ornd_auth_header(&client, small, strlen("Authorization: Bearer tok-3599"),
                                      NULL),
                     ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(ornd_auth_header(&client, small, 0, NULL), ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(ornd_auth_header(&client, NULL, 10, NULL), ORND_ERR_ARG);
}

static void failed_fetch_reports_server_and_keeps_nothing(void **state)
{
    (void)state;
    const char *tok = "unchanged";
    serve_always("HTTP/1.1 401 Unauthorized\r\nContent-Length: 68\r\n\r\n"
                    "{\"error\":\"invalid_client\",\"error_description\":\"Client unknown here\"}");
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_OAUTH_INVALID_CLIENT);
    assert_null(tok);
    assert_null(ornd_token_info(&client));
    const ornd_server_error_t *s = ornd_server_error(&client);
    assert_int_equal(s->http_status, 401);
    assert_string_equal(s->error, "invalid_client");
    assert_string_equal(s->text, "Client unknown here");
    /* nothing cached, and no new request before the back-off is over */
    uint32_t wait = ornd_token_wait_ms(&client);
    assert_true(wait >= 500 && wait <= 1000);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TOKEN_HELD);
    assert_int_equal(id.connects, 1);
    sim.now_ms += wait;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_OAUTH_INVALID_CLIENT);
    assert_int_equal(id.connects, 2);
}

static void network_failure_and_early_close(void **state)
{
    (void)state;
    const char *tok;
    ornd_test_step_t refuse = ornd_test_step(ORND_TEST_REFUSE);
    refuse.err = ORND_ERR_TIMEOUT;
    assert_int_equal(ornd_test_script(&id, &refuse, 1), ORND_OK);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TIMEOUT);
    sim.now_ms += ornd_token_wait_ms(&client);
    serve_always("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"access_token\":\"x\"");
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_CLOSED);
    assert_null(ornd_token_info(&client));
}

static void one_byte_reads(void **state)
{
    (void)state;
    const char *tok;
    id.read_chunk = 1;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_string_equal(tok, "tok-3599");
}

static void scope_defaults_to_requested(void **state)
{
    (void)state;
    const char *tok;
    serve_always("HTTP/1.1 200 OK\r\n\r\n{\"access_token\":\"t\",\"token_type\":\"Bearer\"}");
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    const ornd_token_t *info = ornd_token_info(&client);
    assert_non_null(info);
    assert_false(info->has_scope);
    assert_string_equal(info->scope, "flex.community.members.read");
    assert_int_equal(info->expires_in_s, 3600);
}

static void invalidate_forces_fetch(void **state)
{
    (void)state;
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    ornd_token_invalidate(&client);
    assert_null(ornd_token_info(&client));
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 2);
}

static void release_wipes_everything(void **state)
{
    (void)state;
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    ornd_client_release(&client);
    static const ornd_client_t zero;
    assert_memory_equal(&client, &zero, sizeof client);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_STATE);
    assert_null(ornd_server_error(&client));
}

/* A client that is not initialised (released here) is refused by every
 * call, before any argument is looked at, and nothing is sent. */
static void calls_on_a_released_client(void **state)
{
    (void)state;
    const char *tok = NULL;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_true(ornd_token_remaining_s(&client) > 0);
    ornd_client_release(&client);
    char buf[64];
    size_t len = 7;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_STATE);
    assert_int_equal(ornd_token(&client, NULL, NULL), ORND_ERR_STATE);
    assert_int_equal(ornd_token_copy(&client, buf, sizeof buf, &len), ORND_ERR_STATE);
    assert_int_equal(ornd_token_copy(&client, NULL, 0, NULL), ORND_ERR_STATE);
    assert_int_equal(ornd_auth_header(&client, buf, sizeof buf, &len), ORND_ERR_STATE);
    assert_int_equal(ornd_token_poll(&client), ORND_ERR_STATE);
    assert_int_equal(len, 7);
    assert_int_equal(ornd_token_wait_ms(&client), 0);
    assert_int_equal(ornd_token_remaining_s(&client), 0);
    assert_null(ornd_token_info(&client));
    ornd_token_invalidate(&client); /* no effect */
    ornd_client_release(&client);   /* twice: nothing left */
    assert_int_equal(id.connects, 1);
    /* an initialised client checks the buffer */
    ornd_settings_t s = settings();
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    assert_int_equal(ornd_token_copy(&client, NULL, sizeof buf, &len), ORND_ERR_ARG);
    assert_int_equal(ornd_token(&client, NULL, NULL), ORND_ERR_ARG);
    assert_int_equal(id.connects, 1);
}

static void init_rejects_bad_settings(void **state)
{
    (void)state;
    ornd_client_t c;
    ornd_settings_t s = settings();
    s.token_url = "http://id.example/oauth/token";
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_CONFIG_URL);
    s = settings();
    s.client_id = "";
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_CONFIG_CREDENTIALS);
    s = settings();
    s.client_secret = NULL;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_CONFIG_CREDENTIALS);
    char long_secret[ORND_CONFIG_CLIENT_SECRET_MAX + 2];
    memset(long_secret, 's', sizeof long_secret - 1u);
    long_secret[sizeof long_secret - 1u] = '\0';
    s = settings();
    s.client_secret = long_secret;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_CONFIG_TOO_LONG);
    long_secret[ORND_CONFIG_CLIENT_SECRET_MAX] = '\0'; /* exactly the maximum */
    assert_int_equal(ornd_client_init(&c, &s), ORND_OK);
    ornd_client_release(&c);
    const char *bad_scopes[] = {" a", "a ", "a  b", "a\tb", "a\"b", "caf\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad_scopes / sizeof bad_scopes[0]; i++) {
        s = settings();
        s.scope = bad_scopes[i];
        assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_ARG);
    }
    char long_scope[ORND_CONFIG_SCOPE_MAX + 2];
    memset(long_scope, 'x', sizeof long_scope - 1u);
    long_scope[sizeof long_scope - 1u] = '\0';
    s = settings();
    s.scope = long_scope;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_CONFIG_TOO_LONG);
    long_scope[ORND_CONFIG_SCOPE_MAX] = '\0'; /* exactly the maximum */
    assert_int_equal(ornd_client_init(&c, &s), ORND_OK);
    ornd_client_release(&c);
    s = settings();
    s.platform = NULL;
    assert_int_equal(ornd_client_init(&c, &s), ORND_ERR_ARG);
    assert_int_equal(ornd_client_init(NULL, &s), ORND_ERR_ARG);
}


/* The token request is the same for every fetch, so one that cannot fit
 * ORND_CONFIG_REQUEST_MAX is refused by init (nothing sent, ever), and the
 * longest that fits goes whole; init leaves no copy of it in scratch. Each
 * '!' of the scope is "%21" in the form, 3 bytes. */
static void request_too_long_for_its_buffer_is_refused_by_init(void **state)
{
    (void)state;
    static char scope[ORND_CONFIG_SCOPE_MAX + 1];
    ornd_client_t c;
    ornd_settings_t s = settings();
    s.scope = scope;
    size_t fits = 0;
    ornd_err_t rc = ORND_OK;
    for (size_t n = 1; n <= ORND_CONFIG_SCOPE_MAX && rc == ORND_OK; n++) {
        memset(scope, '!', n);
        scope[n] = '\0';
        rc = ornd_client_init(&c, &s);
        if (rc == ORND_OK) {
            fits = n;
            assert_false(contains(&c.scratch, sizeof c.scratch, "client_id=", 10));
            ornd_client_release(&c);
        }
    }
    assert_int_equal(rc, ORND_ERR_CONFIG_TOO_LONG);
    assert_true(fits > 0);
    /* with the longest scope that fits, the request goes whole and fills
     * the buffer to within one more '!' */
    memset(scope, '!', fits);
    scope[fits] = '\0';
    ornd_client_release(&client);
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    size_t sent_len;
    const char *sent = ornd_test_sent(&id, &sent_len);
    assert_true(sent_len <= ORND_CONFIG_REQUEST_MAX && sent_len + 3u > ORND_CONFIG_REQUEST_MAX);
    assert_memory_equal(sent + sent_len - 6u, "%21%21", 6);
}

/* ---- token request hygiene ---------------------------------------------- */

#define ANSWER_500 "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"

static void five_requests_a_minute_failed_ones_included(void **state)
{
    (void)state;
    const char *tok;
    uint32_t first = sim.now_ms;
    /* two failures (waiting out each back-off), then three successes */
    serve_always(ANSWER_500);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_UNAVAILABLE);
        sim.now_ms += ornd_token_wait_ms(&client);
    }
    serve_always(ANSWER(3599));
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
        ornd_token_invalidate(&client);
        sim.now_ms += 100;
    }
    assert_int_equal(id.connects, 5);
    /* the sixth within the minute is held back until the first is a minute old */
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TOKEN_HELD);
    assert_int_equal(id.connects, 5);
    assert_int_equal(ornd_token_wait_ms(&client), first + 60000u - sim.now_ms);
    sim.now_ms = first + 60000u - 1u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TOKEN_HELD);
    sim.now_ms += 1u;
    assert_int_equal(ornd_token_wait_ms(&client), 0);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 6);
}

static void backoff_grows_with_jitter_and_resets(void **state)
{
    (void)state;
    const char *tok;
    serve_always(ANSWER_500);
    for (uint32_t n = 1; n <= 12; n++) {
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_UNAVAILABLE);
        uint32_t full = 1000u << (n - 1u);
        full = full < 300000u ? full : 300000u;
        uint32_t wait = ornd_token_wait_ms(&client);
        assert_true(wait >= full / 2u && wait <= full);
        sim.now_ms += wait + 60000u; /* also clear the per-minute guard */
    }
    serve_always(ANSWER(3599));
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(ornd_token_wait_ms(&client), 0);
    ornd_token_invalidate(&client);
    sim.now_ms += 60000u;
    serve_always(ANSWER_500);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_UNAVAILABLE);
    assert_true(ornd_token_wait_ms(&client) <= 1000u); /* back to the first step */
}

/* However many failures, the back-off stays within its cap (no shift past
 * the width of the counter), and one success resets it. */
static void backoff_capped_after_many_failures(void **state)
{
    (void)state;
    const char *tok;
    serve_always(ANSWER_500);
    for (uint32_t n = 1; n <= 300; n++) {
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_UNAVAILABLE);
        uint32_t wait = ornd_token_wait_ms(&client);
        if (n > 9) { /* 1 s << 9 is past the cap */
            assert_true(wait >= 300000u / 2u && wait <= 300000u);
        }
        sim.now_ms += wait + 60000u;
    }
    assert_int_equal(id.connects, 300);
    serve_always(ANSWER(3599));
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    ornd_token_invalidate(&client);
    sim.now_ms += 60000u;
    serve_always(ANSWER_500);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_UNAVAILABLE);
    assert_true(ornd_token_wait_ms(&client) <= 1000u);
}

/* The back-off's jitter comes from the platform's entropy; when that fails
 * the back-off still holds (the clock stands in for the jitter), within the
 * same bounds, and fetches resume once it has passed. */
static void backoff_holds_when_entropy_fails(void **state)
{
    (void)state;
    const char *tok;
    sim.entropy_fail = true;
    serve_always(ANSWER_500);
    for (uint32_t n = 1; n <= 3; n++) {
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_UNAVAILABLE);
        uint32_t full = 1000u << (n - 1u);
        uint32_t wait = ornd_token_wait_ms(&client);
        assert_true(wait >= full / 2u && wait <= full);
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TOKEN_HELD);
        sim.now_ms += wait + 60000u;
    }
    assert_int_equal(id.connects, 3);
    serve_always(ANSWER(3599));
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 4);
    sim.entropy_fail = false;
}

static void jitter_spreads_a_fleet(void **state)
{
    (void)state;
    const char *tok;
    serve_always(ANSWER_500);
    uint32_t lo = UINT32_MAX, hi = 0;
    for (int device = 0; device < 32; device++) {
        ornd_client_release(&client);
        ornd_settings_t s = settings();
        assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_UNAVAILABLE);
        uint32_t wait = ornd_token_wait_ms(&client);
        lo = wait < lo ? wait : lo;
        hi = wait > hi ? wait : hi;
    }
    assert_true(lo >= 500u && hi <= 1000u);
    assert_true(hi - lo >= 250u); /* not all at the same moment */
}

static void retry_after_honoured(void **state)
{
    (void)state;
    const char *tok;
    serve_always("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 120\r\nContent-Length: 0\r\n\r\n");
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_RATE_LIMITED);
    assert_int_equal(ornd_token_wait_ms(&client), 120000u);
    sim.now_ms += 119999u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TOKEN_HELD);
    sim.now_ms += 1u;
    serve_always(ANSWER(3599));
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 2);
}

static void guard_correct_across_clock_wrap(void **state)
{
    (void)state;
    const char *tok;
    sim.now_ms = UINT32_MAX - 200u;
    uint32_t first = sim.now_ms;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
        ornd_token_invalidate(&client);
        sim.now_ms += 100u; /* wraps on the way */
    }
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TOKEN_HELD);
    assert_int_equal(ornd_token_wait_ms(&client), (uint32_t)(first + 60000u - sim.now_ms));
    sim.now_ms = first + 60000u;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
}


/* ---- the polled fetch (ornd_token_poll) ---------------------------------- */

/* Re-initialise the client over a port that can start a connection
 * without waiting. */
static void use_polling_port(void)
{
    ornd_client_release(&client);
    ornd_settings_t s = settings();
    s.transport = &id_poll_tr;
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
}

static ornd_err_t token_poll(void *c)
{
    return ornd_token_poll(c);
}

/* Poll until the fetch ends, the clock moving `step_ms` a pass; returns the
 * outcome, *passes the calls that said ORND_IN_PROGRESS. */
static int poll_until_done(uint32_t step_ms, unsigned *passes)
{
    return ornd_test_poll(&sim, token_poll, &client, step_ms, 100000u, passes);
}

static void poll_needs_a_port_that_can_start(void **state)
{
    (void)state;
    for (int i = 0; i < 10; i++) { /* not counted as requests: never held */
        assert_int_equal(ornd_token_poll(&client), ORND_ERR_PORT);
    }
    assert_int_equal(id.connects, 0);
    assert_int_equal(ornd_token_wait_ms(&client), 0u);
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK); /* blocking still works */
}

static void polled_fetch_returns_at_every_wait(void **state)
{
    (void)state;
    use_polling_port();
    id.would_block_each = 3;
    unsigned passes;
    assert_int_equal(poll_until_done(1, &passes), ORND_OK);
    /* one ORND_IN_PROGRESS for every "not yet" of the network, no more */
    assert_int_equal(passes, id.would_blocks);
    /* handshake, request, answer data, end of answer: 3 waits each */
    assert_int_equal(passes, 12u);
    const char *tok;
    size_t len;
    assert_int_equal(ornd_token(&client, &tok, &len), ORND_OK);
    assert_string_equal(tok, "tok-3599");
    assert_int_equal(id.connects, 1);
    assert_int_equal(id.closes, 1);
    assert_non_null(strstr(ornd_test_sent(&id, NULL), "grant_type=client_credentials"));
    /* fresh now: no network */
    assert_int_equal(ornd_token_poll(&client), ORND_OK);
    assert_int_equal(id.connects, 1);
    assert_int_equal(id.would_blocks, 12u);
}

static void polled_fetch_one_byte_reads_and_error_answer(void **state)
{
    (void)state;
    use_polling_port();
    id.would_block_each = 1;
    id.read_chunk = 1;
    unsigned passes;
    assert_int_equal(poll_until_done(1, &passes), ORND_OK);
    assert_int_equal(passes, id.would_blocks);
    assert_true(passes > strlen(ANSWER(3599)));
    assert_string_equal(ornd_token_info(&client)->value, "tok-3599");
    ornd_token_invalidate(&client);
    sim.now_ms += 1000u;
    serve_always("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
                    "Content-Length: 26\r\n\r\n{\"error\":\"invalid_client\"}");
    assert_int_equal(poll_until_done(1, &passes), ORND_ERR_OAUTH_INVALID_CLIENT);
    assert_int_equal(ornd_server_error(&client)->http_status, 401);
    assert_null(ornd_token_info(&client));
    /* the failure holds the next request back, polled or not */
    assert_int_equal(ornd_token_poll(&client), ORND_ERR_TOKEN_HELD);
    assert_int_equal(id.connects, 2);
}

static void polled_fetch_ends_at_its_deadline(void **state)
{
    (void)state;
    use_polling_port();
    id.would_block_each = UINT32_MAX; /* the server never answers */
    uint32_t start = sim.now_ms;
    unsigned passes;
    assert_int_equal(poll_until_done(10, &passes), ORND_ERR_TIMEOUT);
    /* 3 x timeout_ms (1000) after the start, not one pass more */
    assert_int_equal(sim.now_ms - start, 3000u);
    assert_int_equal(passes, 300u);
    assert_int_equal(id.closes, 1);
    assert_int_equal(ornd_token_poll(&client), ORND_ERR_TOKEN_HELD);
    assert_true(ornd_token_wait_ms(&client) > 0u);
}

static void blocking_call_finishes_a_polled_fetch(void **state)
{
    (void)state;
    use_polling_port();
    id.would_block_each = 2;
    assert_int_equal(ornd_token_poll(&client), ORND_IN_PROGRESS);
    assert_int_equal(ornd_token_poll(&client), ORND_IN_PROGRESS);
    ornd_token_invalidate(&client); /* no effect during a fetch */
    const char *tok;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_string_equal(tok, "tok-3599");
    assert_int_equal(id.connects, 1);
    assert_int_equal(id.would_blocks, 2u); /* the blocking steps waited instead */
    assert_int_equal(ornd_token_poll(&client), ORND_OK);
}

/* A port with a lock: held during the whole fetch, released after. */
static int lock_depth, locks_taken;
static void t_lock(void *ctx)
{
    (void)ctx;
    assert_int_equal(lock_depth, 0);
    lock_depth++;
    locks_taken++;
}
static void t_unlock(void *ctx)
{
    (void)ctx;
    assert_int_equal(lock_depth, 1);
    lock_depth--;
}
static ornd_err_t locked_connect(void *ctx, const char *host, uint16_t p, uint32_t t)
{
    assert_int_equal(lock_depth, 1);
    return checked_connect(ctx, host, p, t);
}

static void fetch_runs_under_the_port_lock(void **state)
{
    (void)state;
    ornd_platform_t locking = platform;
    locking.lock = t_lock;
    locking.unlock = t_unlock;
    ornd_transport_t locked_tr = id_tr;
    locked_tr.connect = locked_connect;
    ornd_client_release(&client);
    ornd_settings_t s = settings();
    s.platform = &locking;
    s.transport = &locked_tr;
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    lock_depth = locks_taken = 0;
    char hdr[ORND_AUTH_HEADER_MAX];
    assert_int_equal(ornd_auth_header(&client, hdr, sizeof hdr, NULL), ORND_OK);
    assert_int_equal(ornd_auth_header(&client, hdr, sizeof hdr, NULL), ORND_OK);
    assert_int_equal(locks_taken, 2);
    assert_int_equal(lock_depth, 0);
    assert_int_equal(id.connects, 1);
    /* an error inside releases the lock too */
    assert_int_equal(ornd_auth_header(&client, hdr, 10, NULL), ORND_ERR_BUF_TOO_SMALL);
    assert_int_equal(lock_depth, 0);
    ornd_client_release(&client);
    s = settings();
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
}

/* ---- the wall clock -------------------------------------------------------- */

/* What the connection to the token endpoint was last given as the time. */
#define TLS_TIME_KNOWN (client.ORND_PRIVATE(tls).ORND_PRIVATE(time_known))
#define TLS_TIME (client.ORND_PRIVATE(tls).ORND_PRIVATE(unix_time))

/* The platform does not know the time: refused before any connection, not
 * counted against the rate guard, no back-off; the caller is told. */
static void unknown_time_refused_before_anything_is_sent(void **state)
{
    (void)state;
    const char *tok = NULL;
    sim.time_unknown = true;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TIME_UNKNOWN);
    char hdr[ORND_AUTH_HEADER_MAX];
    assert_int_equal(ornd_auth_header(&client, hdr, sizeof hdr, NULL), ORND_ERR_TIME_UNKNOWN);
    assert_null(tok);
    assert_int_equal(id.connects, 0);
    assert_int_equal(id.requests, 0);
    assert_int_equal(ornd_token_wait_ms(&client), 0); /* nothing held back */
    assert_int_equal(ornd_err_class(ORND_ERR_TIME_UNKNOWN), ORND_CLASS_TRY_LATER);
    assert_non_null(strstr(ornd_strerror(ORND_ERR_TIME_UNKNOWN), "unix_time"));

    /* a clock still at its reset value is no better than none */
    sim.time_unknown = false;
    sim.unix_s = 1000;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TIME_UNKNOWN);
    sim.unix_s = ORND_CONFIG_MIN_UNIX_TIME - 1;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TIME_UNKNOWN);
    assert_int_equal(id.connects, 0);

    /* once the time is known, the fetch goes, and the connection has it */
    sim.unix_s = ORND_TEST_UNIX_S;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
    assert_true(TLS_TIME_KNOWN);
    assert_true(TLS_TIME == ORND_TEST_UNIX_S);
    /* a cached token needs no clock */
    sim.time_unknown = true;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 1);
}

/* Each connection gets the time read when it opens. */
static void each_connection_gets_the_time_of_its_opening(void **state)
{
    (void)state;
    const char *tok = NULL;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_true(TLS_TIME == ORND_TEST_UNIX_S);
    ornd_token_invalidate(&client);
    sim.unix_s = ORND_TEST_UNIX_S + 86400;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_int_equal(id.connects, 2);
    assert_true(TLS_TIME == ORND_TEST_UNIX_S + 86400);
}

/* A platform without a wall clock at all: the same refusal. */
static void platform_without_wall_clock_is_refused(void **state)
{
    (void)state;
    ornd_client_release(&client);
    ornd_platform_t no_wall = platform;
    no_wall.unix_time = NULL;
    ornd_settings_t s = settings();
    s.platform = &no_wall;
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    const char *tok = NULL;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_ERR_TIME_UNKNOWN);
    assert_int_equal(id.connects, 0);
    ornd_client_release(&client);
    s.platform = &platform;
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
}

/* The INSECURE opt-in: without the time the fetch goes, and the connection
 * is told there is no time (its dates are not checked). */
static void insecure_opt_in_connects_without_time(void **state)
{
    (void)state;
    ornd_client_release(&client);
    ornd_settings_t s = settings();
    s.insecure_accept_unknown_time = true;
    assert_int_equal(ornd_client_init(&client, &s), ORND_OK);
    sim.time_unknown = true;
    const char *tok = NULL;
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_string_equal(tok, "tok-3599");
    assert_int_equal(id.connects, 1);
    assert_false(TLS_TIME_KNOWN);
    /* with the time known, the opt-in changes nothing: the time is given */
    sim.time_unknown = false;
    ornd_token_invalidate(&client);
    assert_int_equal(ornd_token(&client, &tok, NULL), ORND_OK);
    assert_true(TLS_TIME_KNOWN);
    assert_true(TLS_TIME == sim.unix_s);
}

/* The calendar of certificate dates (src/wall_clock.c), against the C
 * library's gmtime_r(). */
static void assert_utc_is_gmtime(int64_t t)
{
    struct tm u;
    ornd__utc_from_unix(t, &u);
    const time_t tt = (time_t)t;
    struct tm tm;
    assert_non_null(gmtime_r(&tt, &tm));
    assert_int_equal(u.tm_year, tm.tm_year);
    assert_int_equal(u.tm_mon, tm.tm_mon);
    assert_int_equal(u.tm_mday, tm.tm_mday);
    assert_int_equal(u.tm_hour, tm.tm_hour);
    assert_int_equal(u.tm_min, tm.tm_min);
    assert_int_equal(u.tm_sec, tm.tm_sec);
    assert_int_equal(u.tm_yday, tm.tm_yday);
    assert_int_equal(u.tm_wday, tm.tm_wday);
}

static void calendar_arithmetic(void **state)
{
    (void)state;
    /* every day from 1970 to 2200, at a second that moves through the day */
    for (int64_t d = 0; d <= 84006; d++) {
        assert_utc_is_gmtime(d * 86400 + (d * 7919) % 86400);
    }
    /* and on to the largest taken as it is, every 997th day at its last second */
    for (int64_t d = 84007; d * 86400 < ((int64_t)1 << 38); d += 997) {
        assert_utc_is_gmtime(d * 86400 + 86399);
    }
    assert_utc_is_gmtime(951782400);              /* 2000-02-29 */
    assert_utc_is_gmtime(4107542399);             /* 2100-02-28 23:59:59, no leap day */
    assert_utc_is_gmtime(253402300799);           /* 9999-12-31 23:59:59, the last x509 date */
    assert_utc_is_gmtime(((int64_t)1 << 38) - 1); /* the largest taken as it is */
    /* outside the range: clamped */
    struct tm u;
    memset(&u, 0, sizeof u);
    ornd__utc_from_unix(-1, &u);
    assert_int_equal(u.tm_year, 70);
    assert_int_equal(u.tm_mon, 0);
    assert_int_equal(u.tm_mday, 1);
    assert_int_equal(u.tm_sec, 0);
    ornd__utc_from_unix(INT64_MAX, &u);
    struct tm top;
    memset(&top, 0, sizeof top);
    ornd__utc_from_unix(((int64_t)1 << 38) - 1, &top);
    assert_memory_equal(&u, &top, sizeof u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(fetches_once_then_serves_cache, setup, teardown),
        cmocka_unit_test_setup_teardown(request_too_long_for_its_buffer_is_refused_by_init, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(init_of_an_initialised_client_is_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(incomplete_port_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(refreshes_at_margin, setup, teardown),
        cmocka_unit_test_setup_teardown(refresh_margin_setting, setup, teardown),
        cmocka_unit_test_setup_teardown(correct_across_clock_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(short_lifetime_uses_half_as_margin, setup, teardown),
        cmocka_unit_test_setup_teardown(request_sent_is_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(scratch_wiped_after_fetch, setup, teardown),
        cmocka_unit_test_setup_teardown(auth_header_and_small_buffers, setup, teardown),
        cmocka_unit_test_setup_teardown(failed_fetch_reports_server_and_keeps_nothing, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(network_failure_and_early_close, setup, teardown),
        cmocka_unit_test_setup_teardown(one_byte_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(scope_defaults_to_requested, setup, teardown),
        cmocka_unit_test_setup_teardown(invalidate_forces_fetch, setup, teardown),
        cmocka_unit_test_setup_teardown(release_wipes_everything, setup, teardown),
        cmocka_unit_test_setup_teardown(calls_on_a_released_client, setup, teardown),
        cmocka_unit_test_setup_teardown(init_rejects_bad_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(five_requests_a_minute_failed_ones_included, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(backoff_grows_with_jitter_and_resets, setup, teardown),
        cmocka_unit_test_setup_teardown(backoff_capped_after_many_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(backoff_holds_when_entropy_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(jitter_spreads_a_fleet, setup, teardown),
        cmocka_unit_test_setup_teardown(retry_after_honoured, setup, teardown),
        cmocka_unit_test_setup_teardown(guard_correct_across_clock_wrap, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_time_refused_before_anything_is_sent, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(each_connection_gets_the_time_of_its_opening, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(platform_without_wall_clock_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(insecure_opt_in_connects_without_time, setup, teardown),
        cmocka_unit_test(calendar_arithmetic),
        cmocka_unit_test_setup_teardown(fetch_runs_under_the_port_lock, setup, teardown),
        cmocka_unit_test_setup_teardown(poll_needs_a_port_that_can_start, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_fetch_returns_at_every_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(polled_fetch_one_byte_reads_and_error_answer, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(polled_fetch_ends_at_its_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(blocking_call_finishes_a_polled_fetch, setup, teardown),
    };
    return cmocka_run_group_tests_name("client", tests, NULL, NULL);
}
