/* SPDX-License-Identifier: MIT */
/*
 * `ornd api`: authenticated requests over one kept-alive connection.
 *
 * Each PATH is sent in turn with METHOD over the same connection; the bodies
 * go to stdout as they arrive, each ended by a newline. A PATH of "-" reads
 * paths from stdin, one per line, each sent as soon as its line arrives (a
 * script can keep one connection across its requests).
 *
 * --select PATH (repeatable) prints, instead of the bodies, the values at
 * those JSON paths one per line as the answer streams (strings decoded,
 * control characters as spaces; an object or array as {} or []).
 * --all-pages follows cursorNext through a paged list.
 *
 * A 429 or 503 answer (the request was not carried out) is sent again after
 * its Retry-After, up to --retries times and never after waiting longer than
 * --max-wait; any other failure ends the run.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ornd/api.h"
#include "ornd/match.h"
#include "ornd/pages.h"
#include "tool.h"

static ornd_posix_conn_t api_conn;
static ornd_transport_t api_transport;
static ornd_api_t api;
static ornd_match_t selector;
static ornd_api_pages_t pager;

/* --select: print each matched value on a line of its own. */
static ornd_err_t print_value(void *user, const ornd_match_event_t *ev)
{
    (void)user;
    if (ev->kind != ORND_MATCH_VALUE) {
        return ORND_OK;
    }
    if (ev->type == ORND_MATCH_OBJECT || ev->type == ORND_MATCH_ARRAY) {
        fputs(ev->type == ORND_MATCH_OBJECT ? "{}" : "[]", stdout);
    }
    for (size_t i = 0; i < ev->len; i++) {
        unsigned char c = (unsigned char)ev->data[i];
        putchar(c < 0x20u || c == 0x7fu ? ' ' : c);
    }
    if (ev->last) {
        putchar('\n');
    }
    return ORND_OK;
}

static ornd_err_t select_body(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    return ornd_match_feed(&selector, data, len);
}

/* The end of one document (an answer, or one page of a list). */
static ornd_err_t select_end(void *user)
{
    (void)user;
    int rc = ornd_match_finish(&selector);
    ornd_match_reset(&selector);
    return rc;
}

typedef struct {
    int last; /* last byte written, -1 if none */
} print_state_t;

static ornd_err_t print_body(void *user, const uint8_t *data, size_t len)
{
    print_state_t *p = user;
    if (len > 0 && fwrite(data, 1, len, stdout) != len) {
        return ORND_ERR_ARG;
    }
    if (len > 0) {
        p->last = data[len - 1u];
    }
    return ORND_OK;
}

static void report_api_error(const char *method, const char *path, int rc,
                             const ornd_api_result_t *res)
{
    if (ornd_err_class(rc) == ORND_CLASS_REJECTED && res->status == 0) {
        report_token_error(rc); /* the token request itself was refused */
        return;
    }
    fprintf(stderr, "ornd: %s %s failed: %s (%s)\n", method, path, ornd_strerror(rc),
            ornd_errname(rc));
    if (res->status != 0) {
        fprintf(stderr, "ornd: server answered %d%s%s%s\n", res->status,
                res->error_text[0] != '\0' ? ": " : "", res->error_text,
                res->error_text_truncated ? " [...]" : "");
    }
    if (res->has_retry_after) {
        fprintf(stderr, "ornd: the server asks to wait %lu s\n", (unsigned long)res->retry_after_s);
    }
}

#define NO_RETRY UINT32_MAX

/* How long to wait before sending again, or NO_RETRY. Only answers that say
 * the request was not carried out are retried: 429 and 503 (after their
 * Retry-After, else 1 s), and a token request held back by the client. */
static uint32_t retry_wait(int rc, const ornd_api_result_t *res)
{
    if (rc == ORND_ERR_TOKEN_HELD) {
        return ornd_token_wait_ms(&client);
    }
    if ((rc == ORND_ERR_RATE_LIMITED || rc == ORND_ERR_UNAVAILABLE) &&
        (res->status == 429 || res->status == 503)) {
        return res->has_retry_after ? res->retry_after_s * 1000u : 1000u;
    }
    return NO_RETRY;
}

/* One request the blocking way, or as a super loop would send it: one
 * ornd_api_poll() per pass (1 ms a pass), the passes told on stderr. */
static int send_one(const options_t *o, const char *path, const uint8_t *body, size_t body_len,
                    const ornd_api_handler_t *h, ornd_api_result_t *res)
{
    if (!o->poll) {
        return ornd_api_request(&api, o->method, path, body, body_len, h, res);
    }
    int rc = ornd_api_start(&api, o->method, path, body, body_len, h, res);
    if (rc != ORND_OK) {
        return rc;
    }
    unsigned long passes = 1;
    while ((rc = ornd_api_poll(&api)) == ORND_IN_PROGRESS) {
        tool_sleep_ms(1); /* the loop's other work */
        passes++;
    }
    fprintf(stderr, "ornd: ornd_api_poll: %s after %lu loop passes\n", ornd_errname(rc), passes);
    return rc;
}

/* A whole list the never-blocking way: ornd_api_pages_poll() per pass. */
static int walk_polled(const char *path, const ornd_api_handler_t *h, ornd_api_result_t *res,
                       unsigned *pages)
{
    int rc = ornd_api_pages_start(&api, &pager, path, h, 10000u, res);
    unsigned long passes = 1;
    while (rc == ORND_OK && (rc = ornd_api_pages_poll(&api, &pager, pages)) == ORND_IN_PROGRESS) {
        tool_sleep_ms(1); /* the loop's other work */
        passes++;
        rc = ORND_OK;
    }
    fprintf(stderr, "ornd: ornd_api_pages_poll: %s after %lu loop passes\n", ornd_errname(rc),
            passes);
    return rc;
}

static int one_request(const options_t *o, const char *path)
{
    print_state_t ps = {.last = -1};
    ornd_api_handler_t h = {.on_body = print_body, .user = &ps, .body_max = 0};
    if (o->select_count > 0) {
        ornd_match_reset(&selector);
        h.on_body = select_body;
        h.on_end = select_end;
    }
    ornd_api_result_t res;
    const uint8_t *body = (const uint8_t *)o->data;
    size_t body_len = o->data != NULL ? strlen(o->data) : 0u;
    int rc;
    unsigned pages = 0;
    for (unsigned long attempt = 0;; attempt++) {
        if (o->all_pages && o->poll) {
            rc = walk_polled(path, &h, &res, &pages);
        } else if (o->all_pages) {
            /* the selector is reset per page: each page is a document */
            rc = ornd_api_get_pages(&api, &pager, path, &h, 10000u, &res, &pages);
        } else {
            rc = send_one(o, path, body, body_len, &h, &res);
        }
        uint32_t wait = retry_wait(rc, &res);
        if (wait == NO_RETRY || attempt >= o->retries || pages > 0) {
            break;
        }
        if (wait > o->max_wait_s * 1000u) {
            fprintf(stderr, "ornd: %s %s: the server asks to wait %u s, beyond --max-wait %lu\n",
                    o->method, path, (unsigned)((wait + 999u) / 1000u), o->max_wait_s);
            break;
        }
        fprintf(stderr, "ornd: %s %s: %s; retrying in %u.%03u s (%lu of %lu)\n", o->method,
                path, ornd_strerror(rc), (unsigned)(wait / 1000u), (unsigned)(wait % 1000u),
                attempt + 1u, o->retries);
        tool_sleep_ms(wait);
    }
    if (ps.last >= 0 && ps.last != '\n') {
        putchar('\n');
    }
    if (rc != ORND_OK) {
        report_api_error(o->method, path, rc, &res);
    } else if (o->all_pages) {
        fprintf(stderr, "ornd: %s: %u page(s)\n", path, pages);
    }
    return rc;
}

/* Paths from stdin, one per line; empty lines are skipped. */
static int paths_from_stdin(const options_t *o, unsigned *done)
{
    static char line[1024];
    while (fgets(line, sizeof line, stdin) != NULL) {
        size_t n = strlen(line);
        if (n > 0 && line[n - 1u] != '\n' && !feof(stdin)) {
            fprintf(stderr, "ornd: a path on stdin is longer than %zu bytes\n", sizeof line - 2u);
            return ORND_ERR_ARG;
        }
        while (n > 0 && (line[n - 1u] == '\n' || line[n - 1u] == '\r')) {
            line[--n] = '\0';
        }
        if (n == 0) {
            continue;
        }
        int rc = one_request(o, line);
        (*done)++;
        fflush(stdout);
        if (rc != ORND_OK) {
            return rc;
        }
    }
    return ORND_OK;
}

int run_api(const options_t *o)
{
    (void)ornd_posix_transport(&api_transport, &api_conn);
    ornd_api_settings_t as = {.client = &client, .transport = &api_transport, .api_url = o->api_url,
                              .org = o->org, .timeout_ms = (uint32_t)(o->timeout_s * 1000u)};
    int rc = ornd_api_init(&api, &as);
    if (rc != ORND_OK) {
        fprintf(stderr, "ornd: API settings rejected: %s (%s)\n", ornd_strerror(rc),
                ornd_errname(rc));
        return exit_status(rc) == EXIT_OK ? EXIT_USAGE : exit_status(rc);
    }
    if (o->all_pages && (strcmp(o->method, "GET") != 0 || o->data != NULL)) {
        fprintf(stderr, "ornd: --all-pages needs GET and no --data\n");
        ornd_api_release(&api);
        return EXIT_USAGE;
    }
    if (o->select_count > 0) {
        rc = ornd_match_init(&selector, o->select, o->select_count, print_value, NULL);
        if (rc != ORND_OK) {
            fprintf(stderr, "ornd: --select path rejected: %s (%s)\n", ornd_strerror(rc),
                    ornd_errname(rc));
            ornd_api_release(&api);
            return EXIT_USAGE;
        }
    }
    unsigned done = 0;
    for (unsigned i = 0; i < o->path_count && rc == ORND_OK; i++) {
        if (strcmp(o->paths[i], "-") == 0) {
            rc = paths_from_stdin(o, &done);
        } else {
            rc = one_request(o, o->paths[i]);
            done++;
        }
    }
    size_t pool_now, pool_peak;
    if (ornd_tls_pool_usage(&pool_now, &pool_peak) == ORND_OK) {
        fprintf(stderr, "ornd: %u request(s), %lu connection(s), TLS pool peak %lu bytes\n", done,
                (unsigned long)ornd_api_connections(&api), (unsigned long)pool_peak);
    } else { /* mbedTLS's default configuration: no pool, calloc/free */
        fprintf(stderr, "ornd: %u request(s), %lu connection(s), mbedTLS's own allocator\n", done,
                (unsigned long)ornd_api_connections(&api));
    }
    ornd_api_release(&api);
    return exit_status(rc);
}
