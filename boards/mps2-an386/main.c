/* SPDX-License-Identifier: MIT */
/*
 * mps2-an386 firmware: runs ornd-lite's token logic on the Cortex-M4 without
 * a network and checks every result, printing over semihosting. Exit status
 * 0 when every check passed, 1 otherwise.
 *
 *  1. writes the client-credentials token request into a buffer and checks
 *     its head, Content-Length and form body;
 *  2. feeds a canned chunked 200 token answer one byte at a time to the
 *     answer parser, checks the token, lifetime and scope, and prints the
 *     Authorization header built from it;
 *  3. feeds a canned 401 answer and checks the OAuth error is reported;
 *  4. initialises a full client (mbedTLS on the library's static pool, PSA
 *     crypto drawing from the platform's entropy, mbedTLS's clock the
 *     platform's, the test CA in PEM), verifies certificates of the test
 *     PKI against that CA on the target (ECDSA P-256 signatures, SHA-256,
 *     host names, validity dates: an expired leaf, a not-yet-valid one, an
 *     expired intermediate), then asks for a token: without a wall clock
 *     that is refused before any connection (ORND_ERR_TIME_UNKNOWN), with
 *     one it fails with ORND_ERR_CONNECT, because this firmware has no
 *     network at all.
 *
 * This firmware is a PLACEHOLDER that can never connect to anything: its
 * platform's entropy (port_mps2.c) is predictable, and its transport has no
 * network. Its wall clock is frozen at a time the test PKI is valid (the
 * board has no RTC). The network firmware (netfw.c) does not link it.
 */
#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/x509_crt.h>

#include "ornd/client.h"
#include "ornd/core/http_writer.h"
#include "ornd/tls_setup.h"
#include "port_mps2.h"
#include "semihost.h"
#include "stack.h"
#include "test_pki.h" /* generated: the test PKI of scripts/make-test-pki.sh, as PEM */

static unsigned passed, failed;

static void check(int ok, const char *what)
{
    sh_puts(ok ? "  ok    " : "  FAIL  ");
    sh_puts(what);
    sh_puts("\n");
    if (ok) {
        passed++;
    } else {
        failed++;
    }
}

static const char *find(const char *hay, size_t len, const char *needle)
{
    size_t n = strlen(needle);
    for (size_t i = 0; n <= len && i <= len - n; i++) {
        if (memcmp(hay + i, needle, n) == 0) {
            return hay + i;
        }
    }
    return NULL;
}

static char reqbuf[ORND_CONFIG_REQUEST_MAX];

static void request(void)
{
    static const char id[] = "5f2b6c0e8a1d4b3c";
    static const char secret[] = "s3cr+t/=&";
    static const char scope[] = "flex.community.members.read";
    ornd_oauth_request_t req = {
        .host = "identity.officernd.com",
        .port = 443,
        .path = "/oauth/token",
        .client_id = (const uint8_t *)id,
        .client_id_len = sizeof id - 1u,
        .client_secret = (const uint8_t *)secret,
        .client_secret_len = sizeof secret - 1u,
        .scope = scope,
        .scope_len = sizeof scope - 1u,
    };
    ornd_buf_t b;
    ornd_buf_init(&b, reqbuf, sizeof reqbuf);
    int rc = ornd_oauth_write_request(&b, &req);
    check(rc == ORND_OK, "token request written");
    if (rc != ORND_OK) {
        return;
    }
    static const char body[] = "client_id=5f2b6c0e8a1d4b3c&client_secret=s3cr%2Bt%2F%3D%26"
                               "&grant_type=client_credentials&scope=flex.community.members.read";
    check(b.len > 28 && memcmp(reqbuf, "POST /oauth/token HTTP/1.1\r\n", 28) == 0, "request line");
    check(find(reqbuf, b.len, "\r\nHost: identity.officernd.com\r\n") != NULL, "Host header");
    check(find(reqbuf, b.len, "\r\nContent-Length: 122\r\n") != NULL && sizeof body - 1u == 122u,
          "Content-Length matches the form body");
    const char *end = find(reqbuf, b.len, "\r\n\r\n");
    check(end != NULL && (size_t)(reqbuf + b.len - (end + 4)) == sizeof body - 1u &&
              memcmp(end + 4, body, sizeof body - 1u) == 0,
          "form body percent-encoded");
    sh_puts("  request: ");
    sh_write(1, reqbuf, end != NULL ? (size_t)(end - reqbuf) : b.len);
    sh_puts("\n");
}

static ornd_oauth_parser_t parser;
static ornd_token_t token;
static ornd_server_error_t server;

/* Feed `answer` one byte at a time; returns the number of bytes fed when
 * the parser stopped (complete, or an error), 0 if it never did, and its
 * last code in *rc. */
static size_t feed_bytewise(const char *answer, size_t len, int *rc)
{
    ornd_oauth_parser_init(&parser, &token, &server);
    for (size_t i = 0; i < len; i++) {
        *rc = ornd_oauth_feed(&parser, (const uint8_t *)&answer[i], 1);
        if (*rc != ORND_OK || ornd_oauth_complete(&parser)) {
            return i + 1;
        }
    }
    return 0;
}

static void token_answer(void)
{
    static const char tok[] = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkZXZpY2UifQ.c2lnbmF0dXJl";
    static const char answer[] =
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: application/json; charset=utf-8\r\n"
        "Transfer-Encoding: chunked\r\n"
        "Cache-Control: no-store\r\n"
        "\r\n"
        "20\r\n{\"access_token\":\"eyJhbGciOiJSUzI\r\n"
        "79\r\n1NiJ9.eyJzdWIiOiJkZXZpY2UifQ.c2lnbmF0dXJl\",\"token_type\":\"Bearer\","
        "\"expires_in\":3600,\"scope\":\"flex.community.members.read\"}\r\n"
        "0\r\n\r\n";
    int rc = 0;
    size_t done = feed_bytewise(answer, sizeof answer - 1u, &rc);
    check(done == sizeof answer - 1u && rc == ORND_OK, "200 answer complete exactly at its last byte");
    check(ornd_oauth_result(&parser) == ORND_OK, "200 answer accepted");
    check(token.len == sizeof tok - 1u && strcmp(token.value, tok) == 0, "access_token");
    check(token.expires_in_s == 3600u, "expires_in");
    check(token.has_scope && strcmp(token.scope, "flex.community.members.read") == 0, "scope");
    char hdr[ORND_AUTH_HEADER_MAX];
    ornd_buf_t b;
    ornd_buf_init(&b, hdr, sizeof hdr);
    ornd_buf_puts(&b, "Authorization: Bearer ");
    ornd_buf_put(&b, token.value, token.len);
    ornd_buf_put(&b, "", 1);
    check(b.err == ORND_OK, "Authorization header built");
    if (b.err == ORND_OK) {
        sh_puts("  ");
        sh_puts(hdr);
        sh_puts("\n");
    }
}

static void error_answer(void)
{
    static const char answer[] =
        "HTTP/1.1 401 Unauthorized\r\n"
        "Content-Type: application/json\r\n"
        "Content-Length: 63\r\n"
        "\r\n"
        "{\"error\":\"invalid_client\",\"error_description\":\"Unknown client\"}  ";
    int rc = 0;
    size_t done = feed_bytewise(answer, sizeof answer - 1u, &rc);
    check(done == sizeof answer - 3u && rc == ORND_ERR_OAUTH_INVALID_CLIENT,
          "401 answer ends at its Content-Length (bytes after it unread)");
    check(ornd_oauth_result(&parser) == ORND_ERR_OAUTH_INVALID_CLIENT, "401 -> invalid_client");
    check(server.http_status == 401 && strcmp(server.error, "invalid_client") == 0 &&
              strcmp(server.text, "Unknown client") == 0,
          "server error code and text kept");
}

static int verify(const char *pem, size_t len, const mbedtls_x509_crt *ca, const char *host,
                  uint32_t *flags)
{
    mbedtls_x509_crt crt;
    mbedtls_x509_crt_init(&crt);
    int rc = mbedtls_x509_crt_parse(&crt, (const unsigned char *)pem, len);
    if (rc == 0) {
        rc = mbedtls_x509_crt_verify(&crt, (mbedtls_x509_crt *)(uintptr_t)ca, NULL, host, flags,
                                     NULL, NULL);
    }
    mbedtls_x509_crt_free(&crt);
    return rc;
}

static ornd_platform_t platform;
static ornd_transport_t transport;
static ornd_client_t client;

/* The wall clock of this board without RTC or network: frozen at a time
 * when the test PKI's current certificates are valid. */
static ornd_err_t pki_clock(void *ctx, int64_t *seconds)
{
    (void)ctx;
    *seconds = TEST_PKI_VALID_AT;
    return ORND_OK;
}

/* mbedTLS serves ornd-lite alone on this board: it allocates from the
 * library's static pool, PSA draws its randomness from the platform, and
 * its clock is the platform's. Once, before anything uses mbedTLS. */
static void tls_setup(void)
{
    ornd_err_t rc = ornd_tls_use_static_pool();
    if (rc == ORND_OK) {
        rc = ornd_tls_use_platform_rng(&platform);
    }
    if (rc == ORND_OK) {
        rc = ornd_tls_use_platform_time(&platform);
    }
    check(rc == ORND_OK, "TLS set-up: static pool, PSA randomness and mbedTLS's clock from the "
                         "platform");
}

/* The library's mbedtls_platform_gmtime_r() (ORND_CONFIG_TLS_TIME_HOOK). */
static void calendar(void)
{
    mbedtls_time_t t = 1709210096; /* 2024-02-29 12:34:56 UTC, a Thursday */
    struct tm tm;
    const struct tm *r = mbedtls_platform_gmtime_r(&t, &tm);
    check(r == &tm && tm.tm_year == 124 && tm.tm_mon == 1 && tm.tm_mday == 29 && tm.tm_hour == 12 &&
              tm.tm_min == 34 && tm.tm_sec == 56 && tm.tm_wday == 4 && tm.tm_yday == 59,
          "mbedtls_platform_gmtime_r: 2024-02-29 12:34:56 UTC");
}

static void full_client(void)
{
    ornd_settings_t s = {
        .platform = &platform,
        .transport = &transport,
        .token_url = "https://identity.officernd.com/oauth/token",
        .client_id = "5f2b6c0e8a1d4b3c",
        .client_secret = "s3cr+t/=&",
        .scope = "flex.community.members.read",
        .ca = (const uint8_t *)test_ca_pem,
        .ca_len = sizeof test_ca_pem,
        .timeout_ms = 1000,
    };
    ornd_err_t rc = ornd_client_init(&client, &s);
    check(rc == ORND_OK, "client init: PSA crypto up, test CA parsed");
    if (rc != ORND_OK) {
        sh_puts("  ");
        sh_puts(ornd_strerror(rc));
        sh_puts("\n");
        return;
    }

    mbedtls_x509_crt ca;
    mbedtls_x509_crt_init(&ca);
    check(mbedtls_x509_crt_parse(&ca, (const unsigned char *)test_ca_pem, sizeof test_ca_pem) == 0,
          "CA parsed for verification");
    uint32_t flags = 0;
    uint32_t t0 = mps2_now_ms();
    int mrc = verify(test_server_pem, sizeof test_server_pem, &ca, "localhost", &flags);
    uint32_t t1 = mps2_now_ms();
    check(mrc == 0 && flags == 0, "server certificate (ECDSA P-256) verifies for localhost");
    mrc = verify(test_server_rsa_pem, sizeof test_server_rsa_pem, &ca, "localhost", &flags);
    check(mrc == 0 && flags == 0, "server certificate with RSA-2048 key verifies");
    mrc = verify(test_server_pem, sizeof test_server_pem, &ca, "identity.officernd.com", &flags);
    check(mrc != 0 && (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) != 0, "wrong host name rejected");
    mrc = verify(test_untrusted_pem, sizeof test_untrusted_pem, &ca, "localhost", &flags);
    check(mrc != 0 && (flags & MBEDTLS_X509_BADCERT_NOT_TRUSTED) != 0,
          "certificate of another CA rejected");
    mrc = verify(test_expired_pem, sizeof test_expired_pem, &ca, "localhost", &flags);
    check(mrc != 0 && flags == MBEDTLS_X509_BADCERT_EXPIRED, "expired certificate rejected");
    mrc = verify(test_future_pem, sizeof test_future_pem, &ca, "localhost", &flags);
    check(mrc != 0 && flags == MBEDTLS_X509_BADCERT_FUTURE, "not-yet-valid certificate rejected");
    mrc = verify(test_chained_pem, sizeof test_chained_pem, &ca, "localhost", &flags);
    check(mrc == 0 && flags == 0, "leaf through a valid intermediate verifies");
    mrc = verify(test_chained_int_expired_pem, sizeof test_chained_int_expired_pem, &ca,
                 "localhost", &flags);
    check(mrc != 0 && (flags & MBEDTLS_X509_BADCERT_EXPIRED) != 0,
          "leaf through an expired intermediate rejected");
    mbedtls_x509_crt_free(&ca);
    sh_puts("  one ECDSA P-256 chain verification: ");
    sh_put_u32(t1 - t0);
    sh_puts(" ms (QEMU, not a hardware timing)\n");

    char hdr[ORND_AUTH_HEADER_MAX];
    platform.unix_time = NULL;
    rc = ornd_auth_header(&client, hdr, sizeof hdr, NULL);
    check(rc == ORND_ERR_TIME_UNKNOWN,
          "without a wall clock the fetch is refused before connecting (ORND_ERR_TIME_UNKNOWN)");
    platform.unix_time = pki_clock;
    rc = ornd_auth_header(&client, hdr, sizeof hdr, NULL);
    check(rc == ORND_ERR_CONNECT,
          "the placeholder can never connect: no network (ORND_ERR_CONNECT)");
    ornd_client_release(&client);
    check(ornd_auth_header(&client, hdr, sizeof hdr, NULL) == ORND_ERR_STATE,
          "released client refuses");
}

int main(void)
{
    sh_puts("ornd-lite " ORND_VERSION " on mps2-an386 (Cortex-M4), no network\n");
    sh_puts("WARNING: this board's entropy is a placeholder, NOT a secure source\n");
    stack_paint();
    (void)mps2_platform(&platform);    /* cannot fail: the argument is given */
    platform.unix_time = pki_clock;    /* the board has no RTC: a frozen clock */
    (void)mps2_no_network(&transport); /* likewise */
    tls_setup();
    calendar();
    request();
    token_answer();
    error_answer();
    full_client();
    sh_puts("  stack used: ");
    sh_put_u32(stack_used());
    sh_puts(" bytes (of 64 KiB reserved)\n");
    sh_puts("firmware: ");
    sh_put_u32(passed);
    sh_puts(" passed, ");
    sh_put_u32(failed);
    sh_puts(" failed\n");
    return failed == 0 ? 0 : 1;
}
