/* SPDX-License-Identifier: MIT */
/*
 * ornd — the host command-line tool.
 *
 *   ornd token [--scope S] [--token-url URL] [--ca-file PEM] [--timeout SECONDS]
 *              [--format json|token|header] [--retries N] [--max-wait SECONDS]
 *              [--poll]
 *   ornd api METHOD PATH... [--data JSON] [--org SLUG] [--api-url URL]
 *              [--select PATH]... [--all-pages] and the options of `token`
 *
 * Credentials come only from the environment (ORND_CLIENT_ID,
 * ORND_CLIENT_SECRET), never from argv, and are wiped from the environment
 * once copied. Exit status: 0 success, 2 usage or configuration, 3 network,
 * timeout or TLS, 4 credentials or scope rejected, 5 malformed or
 * unacceptable response, 6 rate-limited or unavailable after the retries.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/platform_util.h>

#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd_posix.h"
#include "tool.h"

#define CA_FILE_MAX ((size_t)512u * 1024u) /* the Debian bundle is ~220 KiB */

ornd_posix_platform_t sys;
ornd_platform_t platform;
static ornd_posix_conn_t id_conn;
static ornd_transport_t id_transport;
ornd_client_t client;
static uint8_t ca_buf[CA_FILE_MAX + 1u];

static void usage(FILE *out)
{
    fputs("usage: ornd token [--scope S] [--token-url URL] [--ca-file PEM]\n"
          "                  [--timeout SECONDS] [--format json|token|header]\n"
          "                  [--retries N] [--max-wait SECONDS] [--poll]\n"
          "                  [--insecure-accept-unknown-time]\n"
          "       ornd api METHOD PATH... --scope S [--org SLUG] [--api-url URL]\n"
          "                  [--data JSON] [--select PATH]... [--all-pages] [options of token]\n"
          "\n"
          "token: fetches an OfficeRnD OAuth 2.0 token (client credentials) and prints it.\n"
          "api:   sends each PATH in turn over one connection with the token and prints\n"
          "       the answers' bodies, or with --select the values at those JSON paths\n"
          "       (e.g. results[].email), one per line; --all-pages follows cursorNext.\n"
          "Credentials are read from ORND_CLIENT_ID and ORND_CLIENT_SECRET.\n"
          "  --scope S        scopes to request, space-separated (required)\n"
          "  --token-url URL  default " ORND_DEFAULT_TOKEN_URL "\n"
          "  --api-url URL    default " ORND_DEFAULT_API_URL "\n"
          "  --org SLUG       organisation, appended to the API URL\n"
          "  --data JSON      request body (sent as application/json)\n"
          "  --ca-file PEM    trusted CA certificates, default " DEFAULT_CA_FILE "\n"
          "  --timeout S      network timeout per step, seconds (default 10)\n"
          "  --format F       token: json (default), token, or header\n"
          "  --retries N      retries on 429/5xx (api: 429/503) (default 3)\n"
          "  --max-wait S     longest wait before a retry, seconds (default 30)\n"
          "  --poll           never blocking: the token with ornd_token_poll() and API\n"
          "                   requests with ornd_api_start()/ornd_api_poll(), from a\n"
          "                   loop (1 ms a pass); tells the passes on stderr\n"
          "  --insecure-accept-unknown-time\n"
          "                   INSECURE, for benches: when the wall clock does not know\n"
          "                   the time, connect anyway WITHOUT checking certificate\n"
          "                   dates (by default: refused, ORND_ERR_TIME_UNKNOWN, exit 6)\n"
          "Tests only: ORND_TEST_WALL_CLOCK=unknown (or =SECONDS since 1970) makes the\n"
          "platform's wall clock say it does not know the time (or that time).\n"
          "Exit: 0 ok, 2 usage/config, 3 network/TLS, 4 rejected (also 403),\n"
          "      5 bad response, 6 rate-limited/unavailable.\n",
          out);
}

static int parse_number(const char *opt, const char *s, unsigned long min, unsigned long max,
                        unsigned long *out)
{
    char *end = NULL;
    errno = 0;
    unsigned long v = strtoul(s, &end, 10);
    if (s[0] < '0' || s[0] > '9' || *end != '\0' || errno != 0 || v < min || v > max) {
        fprintf(stderr, "ornd: %s needs a whole number from %lu to %lu\n", opt, min, max);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_format(const char *s, format_t *f)
{
    if (strcmp(s, "json") == 0) {
        *f = FORMAT_JSON;
    } else if (strcmp(s, "token") == 0) {
        *f = FORMAT_TOKEN;
    } else if (strcmp(s, "header") == 0) {
        *f = FORMAT_HEADER;
    } else {
        fprintf(stderr, "ornd: --format must be json, token or header\n");
        return -1;
    }
    return 0;
}

/* One option with its value; returns -1 on a usage error. */
static int parse_option(options_t *o, const char *name, const char *value)
{
    if (strcmp(name, "--scope") == 0) {
        o->scope = value;
    } else if (strcmp(name, "--token-url") == 0) {
        o->token_url = value;
    } else if (strcmp(name, "--ca-file") == 0) {
        o->ca_file = value;
    } else if (strcmp(name, "--timeout") == 0) {
        return parse_number(name, value, 1, 3600, &o->timeout_s);
    } else if (strcmp(name, "--format") == 0) {
        return parse_format(value, &o->format);
    } else if (strcmp(name, "--retries") == 0) {
        return parse_number(name, value, 0, 10, &o->retries);
    } else if (strcmp(name, "--max-wait") == 0) {
        return parse_number(name, value, 0, 3600, &o->max_wait_s);
    } else if (o->api && strcmp(name, "--api-url") == 0) {
        o->api_url = value;
    } else if (o->api && strcmp(name, "--org") == 0) {
        o->org = value;
    } else if (o->api && strcmp(name, "--data") == 0) {
        o->data = value;
    } else if (o->api && strcmp(name, "--select") == 0) {
        if (o->select_count == TOOL_SELECT_MAX) {
            fprintf(stderr, "ornd: at most %u --select paths\n", TOOL_SELECT_MAX);
            return -1;
        }
        o->select[o->select_count++] = value;
    } else {
        fprintf(stderr, "ornd: unknown option %s\n", name);
        return -1;
    }
    return 0;
}

static bool is_help(const char *arg)
{
    return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* Positional arguments of `api`: the method, then the paths. */
static int take_positional(options_t *o, const char *arg)
{
    if (!o->api) {
        fprintf(stderr, "ornd: unexpected argument %s\n", arg);
        return -1;
    }
    if (o->method == NULL) {
        o->method = arg;
    } else if (o->path_count == TOOL_PATH_MAX) {
        fprintf(stderr, "ornd: at most %u paths\n", TOOL_PATH_MAX);
        return -1;
    } else {
        o->paths[o->path_count++] = arg;
    }
    return 0;
}

static int parse_args(int argc, char **argv, options_t *o)
{
    *o = (options_t){.token_url = ORND_DEFAULT_TOKEN_URL, .ca_file = DEFAULT_CA_FILE,
                     .timeout_s = 10, .retries = 3, .max_wait_s = 30, .format = FORMAT_JSON};
    if (argc >= 2 && is_help(argv[1])) {
        usage(stdout);
        exit(EXIT_OK);
    }
    if (argc < 2 || (strcmp(argv[1], "token") != 0 && strcmp(argv[1], "api") != 0)) {
        usage(stderr);
        return -1;
    }
    o->api = strcmp(argv[1], "api") == 0;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        if (is_help(arg)) {
            usage(stdout);
            exit(EXIT_OK);
        }
        if (strncmp(arg, "--", 2) != 0) {
            if (take_positional(o, arg) != 0) {
                return -1;
            }
        } else if (strcmp(arg, "--poll") == 0) {
            o->poll = true;
        } else if (strcmp(arg, "--insecure-accept-unknown-time") == 0) {
            o->insecure_unknown_time = true;
        } else if (o->api && strcmp(arg, "--all-pages") == 0) {
            o->all_pages = true;
        } else if (i + 1 >= argc) {
            fprintf(stderr, "ornd: %s needs a value\n", arg);
            return -1;
        } else if (parse_option(o, arg, argv[++i]) != 0) {
            return -1;
        }
    }
    if (o->scope == NULL || o->scope[0] == '\0') {
        fprintf(stderr, "ornd: --scope is required (e.g. --scope flex.community.members.read)\n");
        return -1;
    }
    if (o->api && (o->method == NULL || o->path_count == 0)) {
        fprintf(stderr, "ornd: api needs a METHOD and at least one PATH\n");
        return -1;
    }
    return 0;
}

/* Read the CA file whole into ca_buf, NUL-terminated (mbedTLS wants that for PEM). */
static int read_ca(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "ornd: cannot open CA file %s: %s\n", path, strerror(errno));
        return -1;
    }
    size_t n = fread(ca_buf, 1, CA_FILE_MAX + 1u, f);
    int bad = ferror(f);
    fclose(f);
    if (bad || n == 0 || n > CA_FILE_MAX) {
        fprintf(stderr, "ornd: CA file %s is %s\n", path,
                bad ? "unreadable" : n == 0 ? "empty" : "larger than 512 KiB");
        return -1;
    }
    ca_buf[n] = '\0';
    *len = n + 1u;
    return 0;
}

int exit_status(int err)
{
    switch (ornd_err_class(err)) {
    case ORND_CLASS_OK:
        return EXIT_OK;
    case ORND_CLASS_NETWORK:
    case ORND_CLASS_TLS:
        return EXIT_NETWORK;
    case ORND_CLASS_REJECTED:
        return EXIT_REJECTED;
    case ORND_CLASS_MALFORMED:
        return EXIT_MALFORMED;
    case ORND_CLASS_TRY_LATER:
        return EXIT_TRY_LATER;
    default:
        return EXIT_USAGE;
    }
}

void report_token_error(int err)
{
    fprintf(stderr, "ornd: token request failed: %s (%s)\n", ornd_strerror(err),
            ornd_errname(err));
    const ornd_server_error_t *s = ornd_server_error(&client);
    if (s == NULL || s->http_status == 0) {
        return;
    }
    if (s->error[0] != '\0' || s->text[0] != '\0') {
        fprintf(stderr, "ornd: server answered %d: %s%s%s%s\n", s->http_status, s->error,
                s->error[0] != '\0' && s->text[0] != '\0' ? ": " : "", s->text,
                s->text_truncated ? " [...]" : "");
    } else {
        fprintf(stderr, "ornd: server answered HTTP %d\n", s->http_status);
    }
}

void tool_sleep_ms(uint32_t ms)
{
    struct timespec ts = {.tv_sec = (time_t)(ms / 1000u), .tv_nsec = (long)(ms % 1000u) * 1000000L};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Fetch, and on 429/5xx wait as long as the library says (the server's
 * Retry-After, or its jittered back-off) and try again, a few times. A wait
 * longer than --max-wait ends the run instead: the server is never asked
 * earlier than it said. */
/* A token the blocking way, or as a super loop would get it: one
 * ornd_token_poll() per pass, the rest of the pass free for other work. */
static int get_token(const options_t *o, const char **token)
{
    if (o->poll) {
        unsigned long passes = 1;
        int rc;
        while ((rc = ornd_token_poll(&client)) == ORND_IN_PROGRESS) {
            tool_sleep_ms(1); /* the loop's other work */
            passes++;
        }
        fprintf(stderr, "ornd: ornd_token_poll: %s after %lu loop passes\n", ornd_errname(rc),
                passes);
        if (rc != ORND_OK) {
            return rc;
        }
    }
    return ornd_token(&client, token, NULL);
}

int fetch_with_retries(const options_t *o, const char **token)
{
    for (unsigned long attempt = 0;; attempt++) {
        int rc = get_token(o, token);
        if (rc == ORND_OK || ornd_err_class(rc) != ORND_CLASS_TRY_LATER || attempt >= o->retries ||
            rc == ORND_ERR_TIME_UNKNOWN) { /* no wait makes the clock known */
            return rc;
        }
        uint32_t wait = ornd_token_wait_ms(&client);
        if (wait > o->max_wait_s * 1000u) {
            fprintf(stderr, "ornd: %s; the next attempt is allowed in %u s, beyond --max-wait %lu\n",
                    ornd_strerror(rc), (unsigned)((wait + 999u) / 1000u), o->max_wait_s);
            return rc;
        }
        fprintf(stderr, "ornd: %s; retrying in %u.%03u s (%lu of %lu)\n", ornd_strerror(rc),
                (unsigned)(wait / 1000u), (unsigned)(wait % 1000u), attempt + 1u, o->retries);
        tool_sleep_ms(wait);
    }
}

/* Print a JSON string value (token and scope are ASCII, but escape anyway). */
static void print_json_string(const char *s)
{
    putchar('"');
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            printf("\\%c", c);
        } else if (c < 0x20u) {
            printf("\\u%04x", c);
        } else {
            putchar(c);
        }
    }
    putchar('"');
}

static void print_token(const options_t *o, const char *token)
{
    const ornd_token_t *t = ornd_token_info(&client);
    if (o->format == FORMAT_TOKEN) {
        printf("%s\n", token);
    } else if (o->format == FORMAT_HEADER) {
        printf("Authorization: Bearer %s\n", token);
    } else {
        fputs("{\"access_token\":", stdout);
        print_json_string(token);
        printf(",\"token_type\":\"Bearer\",\"expires_in\":%lu,\"scope\":",
               (unsigned long)t->expires_in_s);
        print_json_string(t->scope);
        puts("}");
    }
    if (strcmp(t->scope, o->scope) != 0) {
        fprintf(stderr, "ornd: note: granted scope \"%s\" differs from the requested \"%s\"\n",
                t->scope, o->scope);
    }
}

/* Copy a credential out of the environment and wipe it there. */
static const char *take_env(const char *name, char *dst, size_t cap)
{
    char *v = getenv(name);
    if (v == NULL || v[0] == '\0') {
        fprintf(stderr, "ornd: %s is not set\n", name);
        return NULL;
    }
    size_t n = strlen(v);
    if (n >= cap) {
        fprintf(stderr, "ornd: %s is longer than %zu bytes\n", name, cap - 1u);
        return NULL;
    }
    memcpy(dst, v, n + 1u);
    mbedtls_platform_zeroize(v, n);
    return dst;
}

/* For tests, ORND_TEST_WALL_CLOCK: "unknown", a wall clock that does not
 * know the time (as a device's before its first SNTP answer), or a number
 * of seconds since 1970 it says it is. */
static int64_t test_wall_clock_s;
static ornd_err_t test_wall_clock(void *ctx, int64_t *seconds)
{
    (void)ctx;
    if (test_wall_clock_s < 0) {
        return ORND_ERR_TIME_UNKNOWN;
    }
    *seconds = test_wall_clock_s;
    return ORND_OK;
}

/* The wall clock as the tests may want it, and what the INSECURE opt-in
 * means for this run, said on stderr. */
static void wall_clock_setup(const options_t *o)
{
    const char *test = getenv("ORND_TEST_WALL_CLOCK");
    if (test != NULL && test[0] != '\0') {
        char *end = NULL;
        long long v = strtoll(test, &end, 10);
        test_wall_clock_s = strcmp(test, "unknown") == 0 ? -1 : (*end == '\0' && v >= 0 ? v : -1);
        platform.unix_time = test_wall_clock;
        fprintf(stderr, "ornd: ORND_TEST_WALL_CLOCK=%s: the wall clock says %s (a test setting)\n",
                test, test_wall_clock_s < 0 ? "it does not know the time" : "that many seconds");
    }
    int64_t now = 0;
    if (o->insecure_unknown_time &&
        (platform.unix_time == NULL || platform.unix_time(platform.ctx, &now) != ORND_OK)) {
        fprintf(stderr, "ornd: WARNING: the time is unknown and --insecure-accept-unknown-time "
                        "is given: certificate dates are NOT checked\n");
    }
}

/* The tool is its process's only mbedTLS user. Built against an mbedTLS
 * configured for it (boards/host/mbedtls_config.h) it takes both opt-ins of
 * ornd/tls_setup.h: the static pool, whose peak `ornd api` reports, and PSA's
 * RNG from the port. Built against mbedTLS's own default configuration
 * (build/host-default/) it has neither and takes neither: mbedTLS allocates
 * with calloc/free and draws from its own entropy sources. */
#if defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C)
#define TOOL_STATIC_POOL 1
#else
#define TOOL_STATIC_POOL 0
#endif
#if defined(MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG)
#define TOOL_PLATFORM_RNG 1
#else
#define TOOL_PLATFORM_RNG 0
#endif

/* Credentials from the environment, CA file, client. 0 or an exit status. */
static int start_client(const options_t *o)
{
    static char id[ORND_CONFIG_CLIENT_ID_MAX + 1u];
    static char secret[ORND_CONFIG_CLIENT_SECRET_MAX + 1u];
    size_t ca_len = 0;
    if (take_env("ORND_CLIENT_ID", id, sizeof id) == NULL ||
        take_env("ORND_CLIENT_SECRET", secret, sizeof secret) == NULL ||
        read_ca(o->ca_file, &ca_len) != 0) {
        mbedtls_platform_zeroize(secret, sizeof secret);
        return EXIT_USAGE;
    }
    int rc = ornd_posix_platform(&platform, &sys);
    if (rc == ORND_OK) {
        rc = ornd_posix_transport(&id_transport, &id_conn);
    }
#if TOOL_STATIC_POOL
    if (rc == ORND_OK) {
        rc = ornd_tls_use_static_pool(); /* the tool's one mbedTLS user: measure its pool */
    }
#endif
#if TOOL_PLATFORM_RNG
    if (rc == ORND_OK) {
        rc = ornd_tls_use_platform_rng(&platform);
    }
#endif
    if (rc != ORND_OK) {
        mbedtls_platform_zeroize(secret, sizeof secret);
        fprintf(stderr, "ornd: platform set-up failed: %s (%s)\n", ornd_strerror(rc),
                ornd_errname(rc));
        return EXIT_USAGE;
    }
    wall_clock_setup(o);
    ornd_settings_t s = {.platform = &platform, .transport = &id_transport, .token_url = o->token_url, .client_id = id,
                         .client_secret = secret, .scope = o->scope, .ca = ca_buf,
                         .ca_len = ca_len, .timeout_ms = (uint32_t)(o->timeout_s * 1000u),
                         .insecure_accept_unknown_time = o->insecure_unknown_time};
    rc = ornd_client_init(&client, &s);
    mbedtls_platform_zeroize(secret, sizeof secret);
    if (rc != ORND_OK) {
        fprintf(stderr, "ornd: configuration rejected: %s (%s)\n", ornd_strerror(rc),
                ornd_errname(rc));
        return exit_status(rc) == EXIT_OK ? EXIT_USAGE : exit_status(rc);
    }
    return EXIT_OK;
}

static int run_token(const options_t *o)
{
    const char *token = NULL;
    int rc = fetch_with_retries(o, &token);
    if (rc == ORND_OK) {
        print_token(o, token);
    } else {
        report_token_error(rc);
    }
    return exit_status(rc);
}

static int run(const options_t *o)
{
    int status = start_client(o);
    if (status != EXIT_OK) {
        return status;
    }
    status = o->api ? run_api(o) : run_token(o);
    ornd_client_release(&client);
    return status;
}

int main(int argc, char **argv)
{
    options_t o;
    if (parse_args(argc, argv, &o) != 0) {
        return EXIT_USAGE;
    }
    int status = run(&o);
    if (fflush(stdout) != 0) {
        fprintf(stderr, "ornd: cannot write output: %s\n", strerror(errno));
        return status == EXIT_OK ? EXIT_USAGE : status;
    }
    return status;
}
