/* SPDX-License-Identifier: MIT */
/*
 * ornd-lwip-demo: fetches an OfficeRnD token through port/lwip, over lwIP's
 * own TCP/IP stack (lwIP's unix port: pthreads sys_arch, a TAP interface).
 * Built twice: with NO_SYS 0 (port/lwip/host/lwipopts.h) it uses the
 * sockets port, ornd_lwip.c, with lwIP's tcpip thread; with NO_SYS 1
 * (port/lwip/host-nosys/lwipopts.h, ornd-lwip-raw-demo) it is a super loop
 * on the raw-API port, ornd_lwip_raw.c, whose poll hook reads the TAP and
 * runs lwIP's timers. Each takes the port's platform (clock, entropy, lock)
 * once and one transport for the token connection, and opts into the
 * library's static mbedTLS pool and PSA randomness from the platform, as a
 * firmware whose only mbedTLS user is ornd-lite does.
 *
 *   PRECONFIGURED_TAPIF=tap0 ORND_CLIENT_ID=... ORND_CLIENT_SECRET=... \
 *       ornd-lwip-demo --token-url URL --ca-file PEM --scope S [--count N]
 *       [--timeout-ms MS] [--wrap-in-ms MS] [--poll 1]
 *
 * lwIP takes 10.77.0.2/24 on the TAP (gateway 10.77.0.1) and resolves
 * "localhost" to 10.77.0.1 (port/lwip/host/lwipopts.h). The TAP must exist
 * and be up on the kernel side (tests/stages/lwip.sh does that in a network
 * namespace). Prints "Authorization: Bearer ..." once per fetch; with
 * --count N the token is invalidated between fetches, so each one is a new
 * connection. --wrap-in-ms puts the port clock's 32-bit wrap that far
 * ahead. --poll 1 fetches never blocking, with ornd_token_poll() once a
 * pass of a loop, and tells on stderr how many passes the fetch spanned:
 * the raw demo's loop runs lwIP between the passes and also counts the
 * passes that found a frame to feed to lwIP, proof that the loop kept
 * going; the sockets demo's loop sleeps 1 ms between passes (lwIP runs in
 * its own thread) and exercises the transport's connect_start.
 * Exit: 0 ok, 2 usage, 3 network/TLS, 4 rejected, 5 other.
 */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/sys.h"
#include "netif/tapif.h"
#include "ornd/client.h"
#include "ornd/tls_setup.h"
#if NO_SYS
#include "lwip/timeouts.h"
#include "ornd_lwip_raw.h"
#else
#include "lwip/tcpip.h"
#include "ornd_lwip.h"
#endif

#define CA_MAX (64u * 1024u)

#if NO_SYS
static ornd_lwip_raw_platform_t sys;
static ornd_lwip_raw_conn_t conn;
#else
static ornd_lwip_platform_t sys;
static ornd_lwip_conn_t conn;
#endif
static ornd_platform_t platform;
static ornd_transport_t transport;
static ornd_client_t client;
static struct netif tap;
static uint8_t ca_buf[CA_MAX + 1u];

/* The host's clock stands in for the firmware's wall clock (an RTC or
 * SNTP: lwIP's ports have none of their own, the firmware sets it). */
static ornd_err_t host_wall_clock(void *ctx, int64_t *seconds)
{
    (void)ctx;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) {
        return ORND_ERR_TIME_UNKNOWN;
    }
    *seconds = (int64_t)ts.tv_sec;
    return ORND_OK;
}

/* The host's CSPRNG stands in for the firmware's TRNG. */
static int host_entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n <= 0) {
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

#if NO_SYS
/* The super loop's poll hook: one received frame (tapif_select() waits for
 * one until lwIP's next timer is due, at most ~1 s here, so max_wait_ms is
 * a hint only on this host), then lwIP's timers. */
static void host_poll(void *ctx, uint32_t max_wait_ms)
{
    (void)ctx;
    (void)max_wait_ms;
    (void)tapif_select(&tap);
    sys_check_timeouts();
}

/* The super loop of a firmware that never blocks: lwIP, then one step of
 * the token fetch, then (here) nothing else; tapif_select() stands for the
 * idle wait (WFI) until a frame or lwIP's next timer. */
static ornd_err_t poll_loop(void)
{
    unsigned long passes = 0, frames = 0;
    ornd_err_t rc;
    do {
        passes++;
        rc = ornd_token_poll(&client);
        if (rc == ORND_IN_PROGRESS) {
            frames += tapif_select(&tap) > 0 ? 1u : 0u;
            sys_check_timeouts();
        }
    } while (rc == ORND_IN_PROGRESS);
    fprintf(stderr, "ornd-lwip-demo: ornd_token_poll: %s after %lu loop passes, %lu with a frame\n",
            ornd_errname(rc), passes, frames);
    return rc;
}

static void start_lwip(void)
{
    lwip_init();
    ip4_addr_t ip, mask, gw;
    IP4_ADDR(&ip, 10, 77, 0, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 10, 77, 0, 1);
    netif_add(&tap, &ip, &mask, &gw, NULL, tapif_init, netif_input);
    netif_set_default(&tap);
    netif_set_up(&tap);
}

static ornd_err_t start_port(void)
{
    ornd_err_t rc = ornd_lwip_raw_platform(&platform, &sys, host_entropy, NULL);
    return rc == ORND_OK ? ornd_lwip_raw_transport(&transport, &conn, host_poll, NULL) : rc;
}
#else
/* An application task's loop that never blocks in the library: one step
 * of the token fetch a pass, then (here) a 1 ms sleep for the task's other
 * work; lwIP runs in its tcpip thread meanwhile. */
static ornd_err_t poll_loop(void)
{
    unsigned long passes = 0;
    ornd_err_t rc;
    do {
        passes++;
        rc = ornd_token_poll(&client);
        if (rc == ORND_IN_PROGRESS) {
            sys_msleep(1);
        }
    } while (rc == ORND_IN_PROGRESS);
    fprintf(stderr, "ornd-lwip-demo: ornd_token_poll: %s after %lu loop passes\n", ornd_errname(rc),
            passes);
    return rc;
}

static void tcpip_ready(void *arg)
{
    sys_sem_signal((sys_sem_t *)arg);
}

static void start_lwip(void)
{
    sys_sem_t ready;
    if (sys_sem_new(&ready, 0) != ERR_OK) {
        fprintf(stderr, "ornd-lwip-demo: no semaphore\n");
        exit(5);
    }
    tcpip_init(tcpip_ready, &ready);
    sys_sem_wait(&ready);
    sys_sem_free(&ready);

    ip4_addr_t ip, mask, gw;
    IP4_ADDR(&ip, 10, 77, 0, 2);
    IP4_ADDR(&mask, 255, 255, 255, 0);
    IP4_ADDR(&gw, 10, 77, 0, 1);
    LOCK_TCPIP_CORE();
    netif_add(&tap, &ip, &mask, &gw, NULL, tapif_init, tcpip_input);
    netif_set_default(&tap);
    netif_set_up(&tap);
    UNLOCK_TCPIP_CORE();
}

static ornd_err_t start_port(void)
{
    ornd_err_t rc = ornd_lwip_platform(&platform, &sys, host_entropy, NULL);
    if (rc != ORND_OK) {
        return rc;
    }
    /* The platform's lock is lwIP's sys_mutex; the library may take it
     * around a fetch, so it is only exercised here, never held across a
     * call. */
    platform.lock(platform.ctx);
    platform.unlock(platform.ctx);
    return ornd_lwip_transport(&transport, &conn);
}
#endif

static int read_ca(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return -1;
    }
    size_t n = fread(ca_buf, 1, CA_MAX + 1u, f);
    fclose(f);
    if (n == 0 || n > CA_MAX) {
        return -1;
    }
    ca_buf[n] = '\0';
    *len = n + 1u;
    return 0;
}

static int exit_status(ornd_err_t err)
{
    switch (ornd_err_class(err)) {
    case ORND_CLASS_OK:
        return 0;
    case ORND_CLASS_NETWORK:
    case ORND_CLASS_TLS:
        return 3;
    case ORND_CLASS_REJECTED:
        return 4;
    default:
        return 5;
    }
}

int main(int argc, char **argv)
{
    const char *url = NULL, *ca = NULL, *scope = NULL;
    unsigned long count = 1, timeout_ms = 5000, wrap_in_ms = 0, poll = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--token-url") == 0) {
            url = argv[i + 1];
        } else if (strcmp(argv[i], "--ca-file") == 0) {
            ca = argv[i + 1];
        } else if (strcmp(argv[i], "--scope") == 0) {
            scope = argv[i + 1];
        } else if (strcmp(argv[i], "--count") == 0) {
            count = strtoul(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--wrap-in-ms") == 0) {
            wrap_in_ms = strtoul(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--poll") == 0) {
            poll = strtoul(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--timeout-ms") == 0) {
            timeout_ms = strtoul(argv[i + 1], NULL, 10);
        }
    }
    const char *id = getenv("ORND_CLIENT_ID");
    const char *secret = getenv("ORND_CLIENT_SECRET");
    size_t ca_len = 0;
    if (url == NULL || ca == NULL || id == NULL || secret == NULL || count == 0 || count > 10 ||
        timeout_ms == 0 || timeout_ms > 60000 || read_ca(ca, &ca_len) != 0) {
        fprintf(stderr, "usage: ORND_CLIENT_ID=.. ORND_CLIENT_SECRET=.. ornd-lwip-demo "
                        "--token-url URL --ca-file PEM [--scope S] [--count N<=10]\n"
                        "       [--timeout-ms MS<=60000] [--wrap-in-ms MS] [--poll 1]\n");
        return 2;
    }

    start_lwip();
    ornd_err_t rc = start_port();
    if (rc != ORND_OK) {
        fprintf(stderr, "ornd-lwip-demo: port setup failed: %s\n", ornd_errname(rc));
        return 5;
    }
    platform.unix_time = host_wall_clock;
    /* mbedTLS serves ornd-lite alone here: its memory from the library's
     * static pool, PSA's randomness from the platform's entropy. */
    rc = ornd_tls_use_static_pool();
    if (rc == ORND_OK) {
        rc = ornd_tls_use_platform_rng(&platform);
    }
    if (rc != ORND_OK) {
        fprintf(stderr, "ornd-lwip-demo: TLS set-up failed: %s\n", ornd_errname(rc));
        return 5;
    }
    if (wrap_in_ms != 0) {
        /* Put the platform clock's 32-bit wrap wrap_in_ms ahead. */
        sys.clock_bias = 0u - (uint32_t)sys_now() - (uint32_t)wrap_in_ms;
        fprintf(stderr, "ornd-lwip-demo: port clock now %lu\n",
                (unsigned long)platform.now_ms(platform.ctx));
    }
    ornd_settings_t s = {.platform = &platform,
                         .transport = &transport,
                         .token_url = url,
                         .client_id = id,
                         .client_secret = secret,
                         .scope = scope,
                         .ca = ca_buf,
                         .ca_len = ca_len,
                         .timeout_ms = (uint32_t)timeout_ms};
    rc = ornd_client_init(&client, &s);
    for (unsigned long i = 0; rc == ORND_OK && i < count; i++) {
        char hdr[ORND_AUTH_HEADER_MAX];
        if (poll != 0) {
            rc = poll_loop(); /* then ornd_auth_header() finds a fresh token */
        }
        if (rc == ORND_OK) {
            rc = ornd_auth_header(&client, hdr, sizeof hdr, NULL);
        }
        if (rc == ORND_OK) {
            printf("%s\n", hdr);
            fflush(stdout);
            ornd_token_invalidate(&client);
        }
    }
    if (rc != ORND_OK) {
        const ornd_server_error_t *e = ornd_server_error(&client);
        fprintf(stderr, "ornd-lwip-demo: token request failed: %s (%s)", ornd_strerror(rc),
                ornd_errname(rc));
        if (e != NULL && e->http_status != 0) {
            fprintf(stderr, "; server answered %d %s", e->http_status, e->error);
        }
        fputc('\n', stderr);
    }
    if (wrap_in_ms != 0) {
        fprintf(stderr, "ornd-lwip-demo: port clock at the end %lu\n",
                (unsigned long)platform.now_ms(platform.ctx));
    }
    ornd_client_release(&client);
#if !NO_SYS
    ornd_lwip_platform_release(&sys);
#endif
    return exit_status(rc);
}
