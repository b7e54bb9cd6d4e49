/* SPDX-License-Identifier: MIT */
/*
 * fault_tls CA.pem TOKEN_URL blocking|polled: the fault sweep over real TLS (src/tls.c,
 * mbedTLS, the POSIX port) against the local identity server, run by
 * tests/integration/test_fault_tls.py. ORND_CLIENT_ID / ORND_CLIENT_SECRET
 * from the environment.
 *
 * A token fetch, blocking or polled, first without faults to count the
 * transport calls, then with each fault of tests/faults/ at each call
 * number: short sends and receives of 1 byte, "not now" (a slow call when
 * blocking), a short stall, a timeout, a reset, a close. For each: the
 * fetch ends with success (the faults that only split or slow traffic must
 * not fail it) or a documented network or TLS error, within its deadline;
 * after the client is released the static mbedTLS pool is back to its
 * level before the client was made (nothing leaked on any path); and the
 * client, once its back-off is over, fetches again. The platform's clock
 * is the real one plus an offset, so that a back-off is waited out without
 * waiting.
 *
 * Prints "fault-tls: N passed, M failed" (N: fault points).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fault.h"
#include "ornd/client.h"
#include "ornd/tls_setup.h"
#include "ornd_posix.h"

#define T 250u

static ornd_posix_platform_t sys;
static ornd_posix_conn_t conn;
static ornd_platform_t real, platform;
static ornd_transport_t inner, tr;
static fault_plan_t plan;
static fault_conn_t fconn;
static ornd_client_t client;
static uint8_t ca[64 * 1024];
static size_t ca_len;
static uint32_t offset;
static unsigned passed, failed;

static uint32_t skewed_now(void *ctx)
{
    return real.now_ms(ctx) + offset;
}
static uint32_t clock_now(void *ctx)
{
    (void)ctx;
    return skewed_now(real.ctx);
}
static void clock_wait(void *ctx, uint32_t ms)
{
    (void)ctx;
    struct timespec ts = {.tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L};
    nanosleep(&ts, NULL);
}

static ornd_err_t token_poll_to_end(void)
{
    ornd_err_t rc;
    unsigned passes = 0;
    while ((rc = ornd_token_poll(&client)) == ORND_IN_PROGRESS && passes++ < 100000u) {
        clock_wait(NULL, 1);
    }
    return rc;
}

static ornd_err_t fetch(bool polled)
{
    const char *tok;
    return polled ? token_poll_to_end() : ornd_token(&client, &tok, NULL);
}

static size_t pool_now(void)
{
    size_t now = 0, peak = 0;
    (void)ornd_tls_pool_usage(&now, &peak);
    return now;
}

static void make_client(bool polled, const char *url)
{
    ornd_settings_t s = {.platform = &platform,
                         .transport = &tr,
                         .token_url = url,
                         .client_id = getenv("ORND_CLIENT_ID"),
                         .client_secret = getenv("ORND_CLIENT_SECRET"),
                         .scope = "flex.community.members.read",
                         .ca = ca,
                         .ca_len = ca_len,
                         .timeout_ms = T};
    (void)ornd_posix_transport(&inner, &conn);
    if (!polled) {
        inner.connect_start = NULL;
    }
    fault_plan_init(&plan, (fault_clock_t){.ctx = NULL, .now = clock_now, .wait = clock_wait});
    fault_transport(&tr, &fconn, &inner, &plan);
    ornd_err_t rc = ornd_client_init(&client, &s);
    if (rc != ORND_OK) {
        fprintf(stderr, "fault-tls: init: %s\n", ornd_errname(rc));
        exit(1);
    }
}

static bool documented(ornd_err_t rc)
{
    return rc == ORND_OK || rc == ORND_ERR_TIMEOUT || rc == ORND_ERR_NET || rc == ORND_ERR_CLOSED ||
           rc == ORND_ERR_CONNECT || rc == ORND_ERR_TLS;
}

typedef struct {
    fault_kind_t kind;
    size_t len;
    uint32_t ms;
    bool benign;
} kind_t;

static const kind_t kinds[] = {
    {FAULT_SHORT, 1, 0, true},    {FAULT_NOT_NOW, 0, 0, true}, {FAULT_STALL, 0, T / 4u, true},
    {FAULT_TIMEOUT, 0, 0, false}, {FAULT_RESET, 0, 0, false},  {FAULT_CLOSE, 0, 0, false},
};

static void sweep(bool polled, const char *url, size_t base)
{
    make_client(polled, url);
    ornd_err_t rc = fetch(polled);
    unsigned calls = plan.calls;
    ornd_client_release(&client);
    if (rc != ORND_OK || pool_now() != base) {
        fprintf(stderr, "fault-tls: clean fetch (%s): %s, pool %zu (was %zu)\n",
                polled ? "polled" : "blocking", ornd_errname(rc), pool_now(), base);
        failed++;
        return;
    }
    printf("fault-tls: %s fetch: %u transport calls (%.*s)\n", polled ? "polled" : "blocking",
           calls, (int)(calls < FAULT_TRACE_MAX ? calls : FAULT_TRACE_MAX), plan.trace);
    for (unsigned at = 1; at <= calls; at++) {
        for (unsigned k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
            make_client(polled, url);
            fault_t f = {.kind = kinds[k].kind, .at = at, .len = kinds[k].len, .ms = kinds[k].ms};
            fault_add(&plan, f);
            uint32_t t0 = clock_now(NULL);
            rc = fetch(polled);
            uint32_t took = clock_now(NULL) - t0;
            char what = at <= FAULT_TRACE_MAX ? plan.trace[at - 1u] : '?';
            bool ok =
                documented(rc) && took <= 3u * T + 100u && (!kinds[k].benign || rc == ORND_OK);
            /* the next call, once the back-off is over */
            plan.n_faults = 0;
            offset += ornd_token_wait_ms(&client) + 1u;
            ornd_token_invalidate(&client);
            ornd_err_t next = fetch(polled);
            ok = ok && next == ORND_OK;
            ornd_client_release(&client);
            size_t level = pool_now();
            ok = ok && level == base;
            if (!ok) {
                fprintf(stderr,
                        "fault-tls: %s, %s at call %u (%c): %s in %u ms, next %s, pool %zu (was "
                        "%zu)\n",
                        polled ? "polled" : "blocking", fault_name(f.kind), at, what,
                        ornd_errname(rc), (unsigned)took, ornd_errname(next), level, base);
                failed++;
            } else {
                passed++;
            }
        }
    }
}

int main(int argc, char **argv)
{
    bool polled = argc == 4 && strcmp(argv[3], "polled") == 0;
    FILE *f =
        argc == 4 && (polled || strcmp(argv[3], "blocking") == 0) ? fopen(argv[1], "rb") : NULL;
    if (f == NULL) {
        fprintf(stderr, "usage: fault_tls CA.pem TOKEN_URL blocking|polled\n");
        return 2;
    }
    ca_len = fread(ca, 1, sizeof ca - 1u, f);
    fclose(f);
    ca[ca_len++] = '\0';
    if (ornd_posix_platform(&real, &sys) != ORND_OK || ornd_tls_use_static_pool() != ORND_OK ||
        ornd_tls_use_platform_rng(&real) != ORND_OK) {
        fprintf(stderr, "fault-tls: set-up failed\n");
        return 1;
    }
    platform = real;
    platform.now_ms = skewed_now;
    size_t base = pool_now();
    sweep(polled, argv[2], base);
    size_t now = 0, peak = 0;
    (void)ornd_tls_pool_usage(&now, &peak);
    printf("fault-tls: static pool %zu bytes in use at the start and at the end, peak %zu\n", base,
           peak);
    printf("fault-tls: %u passed, %u failed\n", passed, failed);
    ornd_posix_platform_release(&sys);
    return failed == 0 ? 0 : 1;
}
