/* SPDX-License-Identifier: MIT */
/*
 * A program that uses mbedTLS on its own beside an ornd-lite client, the way
 * firmware with Wi-Fi, OTA or MQTT does:
 *
 *   coexist CA.pem TOKEN_URL   (credentials from ORND_CLIENT_ID/SECRET)
 *
 * In order: psa_generate_random() before the client exists; the program's
 * own CA certificate parsed (and held to the end); its own TLS connection
 * to the server of TOKEN_URL (verified handshake, one GET, the status line
 * read); the client initialised; a polled token fetch with the program's
 * own connection (and a PSA draw) made between its first steps; its own
 * connection again after the fetch; the header; the certificate freed after
 * the client is done with mbedTLS (the case that once aborted in mbedtls_free()).
 *
 * Built two ways: COEXIST_STATIC_POOL 1 (the host's mbedTLS configuration,
 * both opt-ins of ornd/tls_setup.h taken: the program's own mbedTLS objects
 * share the library's pool) and 0 (mbedTLS's default configuration, no
 * opt-in: the opt-ins are refused with ORND_ERR_TLS_SETUP and mbedTLS
 * allocates with calloc/free). One line per step, "name: ok ..." or
 * "name: FAILED ...", and at the end where mbedTLS's memory came from.
 */
#include <malloc.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <mbedtls/build_info.h>
#if defined(MBEDTLS_ENTROPY_C) && defined(MBEDTLS_CTR_DRBG_C)
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#define OWN_DRBG 1
#else
#define OWN_DRBG 0
#endif
#include <mbedtls/psa_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "ornd/ornd.h"
#include "ornd/tls_setup.h"
#include "ornd_posix.h"

#ifndef COEXIST_STATIC_POOL
#define COEXIST_STATIC_POOL 0
#endif

static ornd_posix_platform_t sys;
static ornd_posix_conn_t conn;
static ornd_platform_t platform;
static ornd_transport_t transport;
static ornd_client_t client;
static uint8_t ca[256 * 1024];
static size_t ca_len;

static char host[256];
static char port[8];
static mbedtls_x509_crt app_ca; /* the program's own, from before init to the end */
#if OWN_DRBG
static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
#endif
static int failures;

static void step(const char *name, int ok, const char *what)
{
    printf("%s: %s%s%s\n", name, ok ? "ok" : "FAILED", what[0] ? " " : "", what);
    failures += !ok;
}

static size_t heap_in_use(void)
{
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
}

/* ---- the program's own TLS connection, with its own socket and BIO ----- */

static int sock_send(void *ctx, const unsigned char *buf, size_t len)
{
    ssize_t n = send(*(int *)ctx, buf, len, MSG_NOSIGNAL);
    return n < 0 ? MBEDTLS_ERR_SSL_INTERNAL_ERROR : (int)n;
}

static int sock_recv(void *ctx, unsigned char *buf, size_t len)
{
    ssize_t n = recv(*(int *)ctx, buf, len, 0);
    return n < 0 ? MBEDTLS_ERR_SSL_INTERNAL_ERROR : (int)n;
}

static int tcp_connect(void)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    struct addrinfo *res = NULL;
    if (getaddrinfo(host, port, &hints, &res) != 0) {
        return -1;
    }
    int fd = -1;
    for (struct addrinfo *a = res; a != NULL && fd < 0; a = a->ai_next) {
        fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
        if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(res);
    return fd;
}

/* Handshake verified against app_ca, "GET /coexist/<label>", the status
 * line read: the local identity server answers 404 to any other path. */
static void own_tls(const char *label)
{
    mbedtls_ssl_config conf;
    mbedtls_ssl_context ssl;
    mbedtls_ssl_config_init(&conf);
    mbedtls_ssl_init(&ssl);
    char what[160] = "";
    int fd = tcp_connect();
    int rc = fd < 0 ? -1 : 0;
    if (rc == 0) {
        rc = mbedtls_ssl_config_defaults(&conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                         MBEDTLS_SSL_PRESET_DEFAULT);
    }
    if (rc == 0) {
        mbedtls_ssl_conf_authmode(&conf, MBEDTLS_SSL_VERIFY_REQUIRED);
        mbedtls_ssl_conf_ca_chain(&conf, &app_ca, NULL);
#if OWN_DRBG
        mbedtls_ssl_conf_rng(&conf, mbedtls_ctr_drbg_random, &drbg);
#else
        mbedtls_ssl_conf_rng(&conf, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
#endif
        rc = mbedtls_ssl_setup(&ssl, &conf);
    }
    if (rc == 0) {
        rc = mbedtls_ssl_set_hostname(&ssl, host);
    }
    if (rc == 0) {
        mbedtls_ssl_set_bio(&ssl, &fd, sock_send, sock_recv, NULL);
        rc = mbedtls_ssl_handshake(&ssl);
    }
    char req[512];
    int req_len =
        snprintf(req, sizeof req,
                 "GET /coexist/%s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", label, host);
    for (int off = 0; rc == 0 && off < req_len;) {
        int n = mbedtls_ssl_write(&ssl, (const unsigned char *)req + off, (size_t)(req_len - off));
        rc = n < 0 ? n : 0;
        off += n > 0 ? n : 0;
    }
    char ans[64] = "";
    size_t got = 0;
    while (rc == 0 && got < 12) {
        int n = mbedtls_ssl_read(&ssl, (unsigned char *)ans + got, sizeof ans - 1 - got);
        if (n <= 0) {
            rc = n < 0 ? n : -1;
        } else {
            got += (size_t)n;
        }
    }
    ans[got < 12 ? got : 12] = '\0';
    if (rc == 0) {
        snprintf(what, sizeof what, "%s, answer \"%s\"", mbedtls_ssl_get_version(&ssl), ans);
        (void)mbedtls_ssl_close_notify(&ssl);
    } else {
        snprintf(what, sizeof what, "mbedTLS error -0x%04x", (unsigned)-rc);
    }
    mbedtls_ssl_free(&ssl);
    mbedtls_ssl_config_free(&conf);
    if (fd >= 0) {
        close(fd);
    }
    char name[48];
    snprintf(name, sizeof name, "own-tls %s", label);
    step(name, rc == 0 && strcmp(ans, "HTTP/1.1 404") == 0, what);
}

static void draw(const char *name)
{
    uint8_t r[32];
    psa_status_t st = psa_generate_random(r, sizeof r);
    char what[48];
    snprintf(what, sizeof what, "psa_generate_random: %d", (int)st);
    step(name, st == PSA_SUCCESS, what);
}

/* https://HOST:PORT/... into host and port. */
static int split_url(const char *url)
{
    const char *h = strncmp(url, "https://", 8) == 0 ? url + 8 : NULL;
    const char *colon = h != NULL ? strchr(h, ':') : NULL;
    const char *slash = colon != NULL ? strchr(colon, '/') : NULL;
    if (slash == NULL || (size_t)(colon - h) >= sizeof host ||
        (size_t)(slash - colon - 1) >= sizeof port) {
        return -1;
    }
    memcpy(host, h, (size_t)(colon - h));
    memcpy(port, colon + 1, (size_t)(slash - colon - 1));
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {.tv_sec = 0, .tv_nsec = ms * 1000000L};
    nanosleep(&ts, NULL);
}

int main(int argc, char **argv)
{
    FILE *f = argc == 3 && split_url(argv[2]) == 0 ? fopen(argv[1], "rb") : NULL;
    if (f == NULL) {
        fprintf(stderr, "usage: coexist CA.pem https://HOST:PORT/oauth/token\n");
        return 2;
    }
    ca_len = fread(ca, 1, sizeof ca - 1, f);
    fclose(f);
    ca[ca_len++] = '\0';
    setvbuf(stdout, NULL, _IOLBF, 0);

    ornd_err_t rc = ornd_posix_platform(&platform, &sys);
    (void)ornd_posix_transport(&transport, &conn);
    step("platform", rc == ORND_OK, ornd_errname(rc));

    /* The opt-ins: taken with the host's configuration, refused without. */
    ornd_err_t pool = ornd_tls_use_static_pool();
    ornd_err_t rng = ornd_tls_use_platform_rng(&platform);
    char what[160];
    snprintf(what, sizeof what, "static pool %s, platform RNG %s", ornd_errname(pool),
             ornd_errname(rng));
    step("opt-ins",
         COEXIST_STATIC_POOL ? pool == ORND_OK && rng == ORND_OK
                             : pool == ORND_ERR_TLS_SETUP && rng == ORND_ERR_TLS_SETUP,
         what);

    /* The program's own mbedTLS, before the client exists. */
    psa_status_t st = psa_crypto_init();
    snprintf(what, sizeof what, "psa_crypto_init: %d", (int)st);
    step("psa-init", st == PSA_SUCCESS, what);
    draw("psa-random before init");
#if OWN_DRBG
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    int dr = mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, NULL, 0);
    step("own-drbg", dr == 0, "CTR_DRBG seeded from mbedTLS's own entropy");
#endif
    size_t heap0 = heap_in_use();
    size_t pool0 = 0, pool_peak = 0;
    (void)ornd_tls_pool_usage(&pool0, &pool_peak);
    mbedtls_x509_crt_init(&app_ca);
    int pr = mbedtls_x509_crt_parse(&app_ca, ca, ca_len);
    size_t heap_ca = heap_in_use() - heap0;
    size_t pool_ca = 0;
    (void)ornd_tls_pool_usage(&pool_ca, &pool_peak);
    pool_ca -= pool0;
    snprintf(what, sizeof what, "mbedtls_x509_crt_parse: %d; heap +%zu bytes, pool +%zu bytes", pr,
             heap_ca, pool_ca);
    step("own-cert", pr == 0, what);
    own_tls("before");

    /* The client: initialised, then a polled fetch with the program's own
     * connection made between its first steps. */
    ornd_settings_t s = {
        .platform = &platform,
        .transport = &transport,
        .token_url = argv[2],
        .client_id = getenv("ORND_CLIENT_ID"),
        .client_secret = getenv("ORND_CLIENT_SECRET"),
        .scope = "flex.community.members.read",
        .ca = ca,
        .ca_len = ca_len,
    };
    rc = ornd_client_init(&client, &s);
    step("client-init", rc == ORND_OK, ornd_errname(rc));
    int steps = 0, during = 0;
    do {
        rc = ornd_token_poll(&client);
        steps++;
        if (rc == ORND_IN_PROGRESS && during < 3) {
            own_tls("during");
            draw("psa-random during");
            during++;
        } else if (rc == ORND_IN_PROGRESS) {
            sleep_ms(1);
        }
    } while (rc == ORND_IN_PROGRESS && steps < 100000);
    snprintf(what, sizeof what, "%s after %d steps, own connections between them: %d",
             ornd_errname(rc), steps, during);
    step("polled-fetch", rc == ORND_OK && during >= 1, what);
    own_tls("after");
    char hdr[ORND_AUTH_HEADER_MAX];
    size_t len = 0;
    rc = ornd_auth_header(&client, hdr, sizeof hdr, &len);
    snprintf(what, sizeof what, "%s, %zu bytes", ornd_errname(rc), len);
    step("header", rc == ORND_OK && len > 22, what);
    draw("psa-random after");
    ornd_client_release(&client);

    /* The program's certificate, parsed before init, freed after release. */
    mbedtls_x509_crt_free(&app_ca);
    step("own-cert-free", 1, "");
#if OWN_DRBG
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
#endif

    /* Where mbedTLS's memory came from. */
    size_t pool_now = 0;
    ornd_err_t pu = ornd_tls_pool_usage(&pool_now, &pool_peak);
    if (COEXIST_STATIC_POOL) {
        snprintf(what, sizeof what, "static pool peak %zu bytes, %zu in use at the end", pool_peak,
                 pool_now);
        step("memory", pu == ORND_OK && pool_ca > 0 && heap_ca == 0 && pool_peak > pool_ca, what);
    } else {
        snprintf(what, sizeof what, "mbedTLS's own allocator (calloc/free), pool %s",
                 ornd_errname(pu));
        step("memory", pu == ORND_ERR_TLS_SETUP && heap_ca > 0, what);
    }
    ornd_posix_platform_release(&sys);
    printf("coexist: %s\n", failures == 0 ? "all steps ok" : "some steps FAILED");
    return failures == 0 ? 0 : 1;
}
