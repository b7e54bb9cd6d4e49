/* SPDX-License-Identifier: MIT */
/*
 * What the API and paging tests share: a client and an API connection over
 * two scripted servers of ornd/testing.h (identity host: tokens "tok-1",
 * "tok-2", ...; API host: the answers a test scripts), on a simulated clock,
 * and a handler that keeps the body.
 */
#ifndef API_FIXTURE_H
#define API_FIXTURE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/pages.h"
#include "ornd/testing.h"

#define API_HOST "api.example"

static ornd_test_platform_t sim;
static ornd_platform_t platform;
static ornd_test_conn_t id_peer, api_peer;       /* the identity and API servers */
static ornd_transport_t id_tr, api_tr;           /* blocking only */
static ornd_transport_t id_poll_tr, api_poll_tr; /* can connect without waiting */

static ornd_client_t client;
static ornd_api_t api;

/* "Not now" answers of both servers. */
#define WOULD_BLOCKS() (id_peer.would_blocks + api_peer.would_blocks)

/* What the handler received. */
typedef struct {
    char body[8192];
    size_t len;
    unsigned calls;
    int fail_with;
} sink_t;
static sink_t sink;

static inline ornd_err_t to_sink(void *user, const uint8_t *data, size_t len)
{
    sink_t *s = user;
    s->calls++;
    if (s->fail_with != 0) {
        return s->fail_with;
    }
    assert_true(s->len + len < sizeof s->body);
    memcpy(s->body + s->len, data, len);
    s->len += len;
    s->body[s->len] = '\0';
    return ORND_OK;
}

static const ornd_api_handler_t handler = {.on_body = to_sink, .user = &sink, .body_max = 0};

#define ANSWER_200 "HTTP/1.1 200 OK\r\nContent-Length: 15\r\n\r\n{\"results\":[1]}"
#define ANSWER_201 "HTTP/1.1 201 Created\r\nContent-Length: 11\r\n\r\n{\"_id\":\"c\"}"
#define ANSWER_401                                                                                 \
    "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer error=\"invalid_token\"\r\n"            \
    "Content-Length: 26\r\n\r\n{\"message\":\"Unauthorized\"}"

/* Append answers to the API server's script, one per request, across its
 * connections in order: "<CLOSE>" is a connection closed before answering,
 * "<RESET>" a broken one. */
static inline void serve_list(const char *const *answers)
{
    for (; *answers != NULL; answers++) {
        ornd_test_step_t s = strcmp(*answers, "<CLOSE>") == 0   ? ornd_test_step(ORND_TEST_DROP)
                             : strcmp(*answers, "<RESET>") == 0 ? ornd_test_step(ORND_TEST_RESET)
                                                                : ornd_test_answer(*answers);
        assert_int_equal(ornd_test_add(&api_peer, s), ORND_OK);
    }
}
#define serve(...) serve_list((const char *const[]){__VA_ARGS__, NULL})

/* Bytes per read from both servers (0: as many as asked). */
static inline void read_chunk(size_t n)
{
    id_peer.read_chunk = n;
    api_peer.read_chunk = n;
}

/* Both servers: "not now" this many times before each step of a polled call. */
static inline void would_block_each(unsigned n)
{
    id_peer.would_block_each = n;
    api_peer.would_block_each = n;
}

/* A client and its API connection, over transports that can connect
 * without waiting (`polling`) or not; timeout_ms 0: the default. */
static inline int init_over(bool polling, uint32_t timeout_ms)
{
    static const uint8_t ca[] = "not read by the plain TLS layer";
    ornd_settings_t s = {.platform = &platform,
                         .transport = polling ? &id_poll_tr : &id_tr,
                         .token_url = "https://id.example/oauth/token",
                         .client_id = "dev",
                         .client_secret = "secret",
                         .scope = "flex.community.members.read",
                         .ca = ca,
                         .ca_len = sizeof ca,
                         .timeout_ms = timeout_ms};
    if (ornd_client_init(&client, &s) != ORND_OK) {
        return -1;
    }
    ornd_api_settings_t as = {.transport = polling ? &api_poll_tr : &api_tr,
                              .client = &client,
                              .api_url = "https://" API_HOST "/api/v2/organizations/",
                              .org = "acme"};
    return ornd_api_init(&api, &as) == ORND_OK ? 0 : -1;
}

static inline int setup(void **state)
{
    (void)state;
    memset(&sink, 0, sizeof sink);
    if (ornd_test_platform(&platform, &sim, 5000) != ORND_OK ||
        ornd_test_transport(&id_poll_tr, &id_peer, &sim) != ORND_OK ||
        ornd_test_transport(&api_poll_tr, &api_peer, &sim) != ORND_OK ||
        ornd_test_add(&id_peer, ornd_test_token(3599, ORND_TEST_FOREVER)) != ORND_OK) {
        return -1;
    }
    id_tr = id_poll_tr;
    id_tr.connect_start = NULL;
    api_tr = api_poll_tr;
    api_tr.connect_start = NULL;
    return init_over(false, 0);
}

static inline int teardown(void **state)
{
    (void)state;
    ornd_api_release(&api);
    ornd_client_release(&client);
    return 0;
}

/* Client and API over transports that can connect without waiting. */
static inline void use_polling_port(void)
{
    ornd_api_release(&api);
    ornd_client_release(&client);
    assert_int_equal(init_over(true, 1000), 0);
}

static inline ornd_err_t api_poll(void *a)
{
    return ornd_api_poll(a);
}

/* Poll to the end, the clock moving `step_ms` a pass; *passes counts the
 * ORND_IN_PROGRESS answers. */
static inline int poll_request(uint32_t step_ms, unsigned *passes)
{
    return ornd_test_poll(&sim, api_poll, &api, step_ms, 100000u, passes);
}

static inline unsigned count(const char *hay, const char *needle)
{
    unsigned n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle)) {
        n++;
    }
    return n;
}

#endif /* API_FIXTURE_H */
