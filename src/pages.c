/* Following cursorNext through a paged list. */
#include "ornd/pages.h"

#include <string.h>

#include "compiler.h"
#include "ornd/error.h"

static const char *const cursor_path[] = {"cursorNext"};

static int on_cursor(void *user, const ornd_match_event_t *ev)
{
    ornd_api_pages_t *pg = user;
    return ornd_match_capture(&pg->capture, ev);
}

/* Each body piece goes past the cursor matcher, then to the caller. */
static int tee(void *user, const uint8_t *data, size_t len)
{
    ornd_api_pages_t *pg = user;
    int rc = ornd_match_feed(&pg->match, data, len);
    if (rc == ORND_OK && pg->inner != NULL && pg->inner->on_body != NULL) {
        rc = pg->inner->on_body(pg->inner->user, data, len);
    }
    return rc;
}

/* A page is complete: its JSON must be, too; then the caller's end. */
static int tee_end(void *user)
{
    ornd_api_pages_t *pg = user;
    int rc = ornd_match_finish(&pg->match);
    if (rc == ORND_OK && pg->inner != NULL && pg->inner->on_end != NULL) {
        rc = pg->inner->on_end(pg->inner->user);
    }
    return rc;
}

static bool unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* path + ('?' or '&') + "$cursorNext=" + the cursor, percent-encoded. */
ORND_NOINLINE static int next_path(ornd_api_pages_t *pg, const char *path)
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
static int walk_begin(ornd_api_pages_t *pg, const char *path, const ornd_api_handler_t *h,
                      unsigned max_pages, ornd_api_result_t *res)
{
    if (pg == NULL || path == NULL || res == NULL) {
        return ORND_ERR_ARG;
    }
    size_t n = strlen(path);
    if (n >= sizeof pg->path) {
        return ORND_ERR_CONFIG_TOO_LONG;
    }
    memcpy(pg->path, path, n + 1u);
    pg->base = path;
    pg->inner = h;
    pg->res = res;
    pg->max_pages = max_pages;
    pg->count = 0;
    /* in the state, not on the stack: the request below goes deep */
    pg->tee = (ornd_api_handler_t){
        .on_body = tee, .on_end = tee_end, .user = pg, .body_max = h != NULL ? h->body_max : 0u};
    return ornd_match_init(&pg->match, cursor_path, 1, on_cursor, pg);
}

/* Before each page's request. */
static int page_begin(ornd_api_pages_t *pg)
{
    if (pg->max_pages != 0 && pg->count == pg->max_pages) {
        return ORND_ERR_HTTP_STATUS; /* the server did not end the list */
    }
    ornd_match_reset(&pg->match);
    ornd_match_capture_init(&pg->capture, pg->cursor, sizeof pg->cursor);
    return ORND_OK;
}

/* A page was read: ORND_IN_PROGRESS when it names a next one (its path is
 * ready), ORND_OK at the end of the list, or an error. */
static int page_end(ornd_api_pages_t *pg)
{
    pg->count++;
    if (!pg->capture.found || pg->capture.type != ORND_MATCH_STRING || pg->capture.len == 0) {
        return ORND_OK; /* null or absent: the last page */
    }
    int rc = next_path(pg, pg->base);
    if (rc == ORND_OK) {
        rc = page_begin(pg);
    }
    return rc == ORND_OK ? ORND_IN_PROGRESS : rc;
}

int ornd_api_get_pages(ornd_api_t *a, ornd_api_pages_t *pg, const char *path,
                       const ornd_api_handler_t *h, unsigned max_pages, ornd_api_result_t *res,
                       unsigned *pages)
{
    int rc = walk_begin(pg, path, h, max_pages, res);
    if (rc == ORND_OK) {
        rc = page_begin(pg);
    }
    while (rc == ORND_OK) {
        rc = ornd_api_request(a, "GET", pg->path, NULL, 0, &pg->tee, res);
        if (rc == ORND_OK) {
            rc = page_end(pg);
            rc = rc == ORND_IN_PROGRESS ? ORND_OK : rc == ORND_OK ? 1 : rc;
        }
    }
    if (pages != NULL) {
        *pages = pg != NULL && path != NULL && res != NULL ? pg->count : 0u;
    }
    return rc == 1 ? ORND_OK : rc;
}

int ornd_api_pages_start(ornd_api_t *a, ornd_api_pages_t *pg, const char *path,
                         const ornd_api_handler_t *h, unsigned max_pages, ornd_api_result_t *res)
{
    int rc = walk_begin(pg, path, h, max_pages, res);
    if (rc == ORND_OK) {
        rc = page_begin(pg);
    }
    return rc == ORND_OK ? ornd_api_start(a, "GET", pg->path, NULL, 0, &pg->tee, res) : rc;
}

int ornd_api_pages_poll(ornd_api_t *a, ornd_api_pages_t *pg, unsigned *pages)
{
    if (pg == NULL || pg->res == NULL) {
        return ORND_ERR_STATE;
    }
    int rc = ornd_api_poll(a);
    if (rc == ORND_OK) {
        rc = page_end(pg);
        if (rc == ORND_IN_PROGRESS) {
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
