/* SPDX-License-Identifier: MIT */
/* Following cursorNext through a paged list. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/pages.h"

#include <string.h>

#include "ascii.h"
#include "compiler.h"
#include "ornd/core/buf.h"
#include "ornd/error.h"

static const char *const cursor_path[] = {"cursorNext"};

static ornd_err_t on_cursor(void *user, const ornd_match_event_t *ev)
{
    ornd_api_pages_t *pg = user;
    return ornd_match_capture(&pg->capture, ev);
}

/* Each body piece goes past the cursor matcher, then to the caller. */
static ornd_err_t tee(void *user, const uint8_t *data, size_t len)
{
    ornd_api_pages_t *pg = user;
    ornd_err_t rc = ornd_match_feed(&pg->match, data, len);
    if (rc == ORND_OK && pg->inner != NULL && pg->inner->on_body != NULL) {
        rc = pg->inner->on_body(pg->inner->user, data, len);
    }
    return rc;
}

/* A page is complete: its JSON must be, too; then the caller's end. */
static ornd_err_t tee_end(void *user)
{
    ornd_api_pages_t *pg = user;
    ornd_err_t rc = ornd_match_finish(&pg->match);
    if (rc == ORND_OK && pg->inner != NULL && pg->inner->on_end != NULL) {
        rc = pg->inner->on_end(pg->inner->user);
    }
    return rc;
}

static bool unreserved(unsigned char c)
{
    return ornd_ascii_alnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* path + ('?' or '&') + "$cursorNext=" + the cursor, percent-encoded. */
ORND_NOINLINE static ornd_err_t next_path(ornd_api_pages_t *pg, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    static const char key[] = "$cursorNext=";
    ornd_buf_t b;
    ornd_buf_init(&b, pg->path, sizeof pg->path - 1u);
    ornd_buf_puts(&b, path);
    ornd_buf_puts(&b, strchr(path, '?') != NULL ? "&" : "?");
    ornd_buf_puts(&b, key);
    for (size_t i = 0; i < pg->capture.len; i++) {
        unsigned char c = (unsigned char)pg->cursor[i];
        char esc[3] = {'%', hex[c >> 4], hex[c & 15u]};
        ornd_buf_put(&b, unreserved(c) ? (const char *)&pg->cursor[i] : esc,
                     unreserved(c) ? 1u : 3u);
    }
    if (b.err != ORND_OK) {
        return ORND_ERR_CONFIG_TOO_LONG;
    }
    pg->path[b.len] = '\0';
    return ORND_OK;
}

/* Check the arguments and set the walk up. */
static ornd_err_t walk_begin(ornd_api_pages_t *pg, const char *path, const ornd_api_handler_t *h,
                             unsigned max_pages, ornd_api_result_t *res)
{
    if (pg == NULL || path == NULL || res == NULL) {
        return ORND_ERR_ARG;
    }
    pg->count = 0; /* a walk refused below read no page either */
    size_t n = strlen(path);
    if (n >= sizeof pg->path) {
        return ORND_ERR_CONFIG_TOO_LONG;
    }
    memcpy(pg->path, path, n + 1u);
    pg->base = path;
    pg->inner = h;
    pg->res = res;
    pg->max_pages = max_pages;
    /* in the state, not on the stack: the request below goes deep */
    pg->tee = (ornd_api_handler_t){
        .on_body = tee, .on_end = tee_end, .user = pg, .body_max = h != NULL ? h->body_max : 0u};
    return ornd_match_init(&pg->match, cursor_path, 1, on_cursor, pg);
}

/* Before each page's request. */
static ornd_err_t page_begin(ornd_api_pages_t *pg)
{
    if (pg->max_pages != 0 && pg->count == pg->max_pages) {
        return ORND_ERR_PAGE_LIMIT; /* the server did not end the list */
    }
    ornd_match_reset(&pg->match);
    ornd_match_capture_init(&pg->capture, pg->cursor, sizeof pg->cursor);
    return ORND_OK;
}

/* A page was read: *more when it names a next one (whose path is then
 * ready); ORND_OK at the end of the list too; or an error. */
static ornd_err_t page_end(ornd_api_pages_t *pg, bool *more)
{
    *more = false;
    pg->count++;
    if (!pg->capture.found || pg->capture.type != ORND_MATCH_STRING || pg->capture.len == 0) {
        return ORND_OK; /* null or absent: the last page */
    }
    ornd_err_t rc = next_path(pg, pg->base);
    if (rc == ORND_OK) {
        rc = page_begin(pg);
    }
    *more = rc == ORND_OK;
    return rc;
}

ornd_err_t ornd_api_get_pages(ornd_api_t *a, ornd_api_pages_t *pg, const char *path,
                              const ornd_api_handler_t *h, unsigned max_pages,
                              ornd_api_result_t *res, unsigned *pages)
{
    ornd_err_t rc = walk_begin(pg, path, h, max_pages, res);
    if (rc == ORND_OK) {
        rc = page_begin(pg);
    }
    bool more = rc == ORND_OK;
    while (more) {
        rc = ornd_api_request(a, "GET", pg->path, NULL, 0, &pg->tee, res);
        more = false;
        if (rc == ORND_OK) {
            rc = page_end(pg, &more);
        }
    }
    if (pages != NULL) {
        *pages = pg != NULL && path != NULL && res != NULL ? pg->count : 0u;
    }
    return rc;
}

ornd_err_t ornd_api_pages_start(ornd_api_t *a, ornd_api_pages_t *pg, const char *path,
                                const ornd_api_handler_t *h, unsigned max_pages,
                                ornd_api_result_t *res)
{
    ornd_err_t rc = walk_begin(pg, path, h, max_pages, res);
    if (rc == ORND_OK) {
        rc = page_begin(pg);
    }
    return rc == ORND_OK ? ornd_api_start(a, "GET", pg->path, NULL, 0, &pg->tee, res) : rc;
}

ornd_err_t ornd_api_pages_poll(ornd_api_t *a, ornd_api_pages_t *pg, unsigned *pages)
{
    if (pg == NULL || pg->res == NULL) {
        return ORND_ERR_STATE;
    }
    ornd_err_t rc = ornd_api_poll(a);
    if (rc == ORND_OK) {
        bool more;
        rc = page_end(pg, &more);
        if (rc == ORND_OK && more) {
            rc = ornd_api_start(a, "GET", pg->path, NULL, 0, &pg->tee, pg->res);
            rc = rc == ORND_OK ? ORND_IN_PROGRESS : rc;
        }
    }
    if (pages != NULL) {
        *pages = pg->count;
    }
    if (rc != ORND_IN_PROGRESS) {
        pg->res = NULL; /* the walk is over */
    }
    return rc;
}
