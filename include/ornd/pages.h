/* SPDX-License-Identifier: MIT */
/*
 * Following a paged list of the OfficeRnD API (cursorNext).
 *
 * Lists answer {"results":[...],"cursorNext":"...","cursorPrev":...} with
 * cursorNext null (or absent) on the last page. ornd_api_get_pages() sends
 * GET path, then GET path with $cursorNext=<cursor> appended, while a page
 * names a next cursor, all over the API connection of `a`. Every page's body
 * streams to the caller's handler as it arrives (feed it to an ornd_match_t
 * to pick the fields of each record); the helper itself keeps only the
 * cursor, found by a matcher of its own as the page streams past.
 */
#ifndef ORND_PAGES_H
#define ORND_PAGES_H

#include <stddef.h>

#include "ornd/api.h"
#include "ornd/config.h"
#include "ornd/core/private.h"
#include "ornd/error.h"
#include "ornd/match.h"

#ifdef __cplusplus
extern "C" {
#endif

/* State of one walk through a list. The members are private (ORND_PRIVATE). */
typedef struct {
    ornd_match_t ORND_PRIVATE(match); /* finds cursorNext in each page */
    ornd_match_capture_t ORND_PRIVATE(capture);
    const ornd_api_handler_t *ORND_PRIVATE(inner);
    ornd_api_handler_t ORND_PRIVATE(tee); /* what each page's request is given */
    char ORND_PRIVATE(cursor)[ORND_CONFIG_API_CURSOR_MAX + 1];
    char ORND_PRIVATE(path)[ORND_CONFIG_API_PATH_MAX + 1];
    const char *ORND_PRIVATE(base);       /* the caller's path */
    ornd_api_result_t *ORND_PRIVATE(res); /* NULL once a polled walk is over */
    unsigned ORND_PRIVATE(max_pages);
    unsigned ORND_PRIVATE(count); /* pages read */
} ornd_api_pages_t;

/*
 * Walk the list at `path` (a GET path as for ornd_api_request(), with or
 * without a query). `h` receives every page's body; `max_pages` bounds the
 * walk (0: no bound) against a server that never ends it; `pages` (may be
 * NULL) receives the number of pages read. `res` tells about the last
 * request. Stops at the first failing page and returns its error; also
 * ORND_ERR_JSON_* for a page that is not JSON, ORND_ERR_MATCH_TOO_LONG for a
 * cursor over ORND_CONFIG_API_CURSOR_MAX bytes, ORND_ERR_CONFIG_TOO_LONG when
 * path and cursor exceed ORND_CONFIG_API_PATH_MAX, ORND_ERR_PAGE_LIMIT when
 * max_pages is reached with more to come.
 */
ornd_err_t ornd_api_get_pages(ornd_api_t *a, ornd_api_pages_t *pg, const char *path,
                              const ornd_api_handler_t *h, unsigned max_pages,
                              ornd_api_result_t *res, unsigned *pages);

/*
 * The same walk, never blocking: ornd_api_pages_start() checks the arguments
 * and starts the first page's request (ornd_api_start()); then call
 * ornd_api_pages_poll() once a pass until it returns something other than
 * ORND_IN_PROGRESS: what ornd_api_get_pages() would have returned. `pages`
 * (may be NULL) receives the pages read so far. `path`, `h` and `res` must
 * stay valid until the end; the API connection takes no other request
 * meanwhile. Needs a transport with connect_start, as ornd_api_start().
 */
ornd_err_t ornd_api_pages_start(ornd_api_t *a, ornd_api_pages_t *pg, const char *path,
                                const ornd_api_handler_t *h, unsigned max_pages,
                                ornd_api_result_t *res);
ornd_err_t ornd_api_pages_poll(ornd_api_t *a, ornd_api_pages_t *pg, unsigned *pages);

#ifdef __cplusplus
}
#endif

#endif /* ORND_PAGES_H */
