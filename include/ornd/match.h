/* SPDX-License-Identifier: MIT */
/*
 * Field matcher over the streaming JSON scanner.
 *
 * The caller names the values it wants by path and receives them one by one
 * as the document streams in, in memory fixed at compile time whatever the
 * document's size: nothing of the document is buffered, and the matcher's
 * whole state is the ornd_match_t below (its size follows from the
 * ORND_CONFIG_MATCH_* settings in ornd/config.h).
 *
 * Paths (docs/match.md has the grammar):
 *   cursorNext              member "cursorNext" of the top-level object
 *   results[].email         member "email" of every element of the array
 *                           that is member "results" of the top-level object
 *   a.b[].c[].d             any depth of nesting
 *   []   [].id   [][]       elements of a top-level array
 * A name is 1..ORND_CONFIG_MATCH_NAME_MAX bytes, none of them '.', '[', ']'
 * or NUL; it is compared byte for byte with the decoded member name (so
 * "caf\u00e9" in the document matches the UTF-8 path name "café"). A member
 * name matches only when it is exactly the path's name: longer names do not
 * match by prefix, whatever the chunking. Everything not named is skipped.
 *
 * Sans-I/O: ornd_match_feed() runs the matcher's own JSON scanner over the
 * bytes given, in any chunking down to one byte; the callbacks are the same
 * for every chunking (only string and number fragment boundaries differ).
 * A caller that already runs a scanner may instead pass ornd_match_on_json()
 * as that scanner's callback (with the matcher as its `user`) and never call
 * ornd_match_feed()/ornd_match_finish().
 *
 * Events delivered to the callback (ornd_match_event_t):
 *   ORND_MATCH_VALUE          a fragment of the value at path `path`. Strings
 *       arrive decoded (escapes turned into UTF-8 bytes; a string may hold
 *       NUL bytes, `len` is authoritative), numbers as their text, true,
 *       false and null as that text in one fragment. Long values arrive in
 *       several fragments: `first` on the first, `last` on the last (one
 *       fragment may carry both; a last fragment may be empty).
 *       An object or an array at a matched path is reported by one event of
 *       type ORND_MATCH_OBJECT or ORND_MATCH_ARRAY, empty, first and last
 *       set; its content is not delivered for that path (other paths may
 *       still match inside it).
 *   ORND_MATCH_ELEMENT_BEGIN / ORND_MATCH_ELEMENT_END   an array element
 *       named by a path prefix that ends in "[]" begins / has ended, so the
 *       caller can group the fields of one record. `level` is the number of
 *       steps of that prefix (2 for "results[]"), `path` the lowest index of
 *       the paths that share that prefix; each element is reported once
 *       whatever the number of paths into it. Both are delivered for every
 *       element, also those that hold none of the wanted fields. BEGIN comes
 *       before and END after every VALUE inside the element.
 * A path given twice delivers its values twice (once per index).
 *
 * Fragment pointers are valid only during the callback.
 */
#ifndef ORND_MATCH_H
#define ORND_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"
#include "ornd/core/private.h"
#include "ornd/error.h"
#include "ornd/json.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ORND_MATCH_VALUE,
    ORND_MATCH_ELEMENT_BEGIN,
    ORND_MATCH_ELEMENT_END
} ornd_match_kind_t;

typedef enum {
    ORND_MATCH_STRING,
    ORND_MATCH_NUMBER,
    ORND_MATCH_TRUE,
    ORND_MATCH_FALSE,
    ORND_MATCH_NULL,
    ORND_MATCH_OBJECT, /* content not delivered for this path */
    ORND_MATCH_ARRAY   /* content not delivered for this path */
} ornd_match_type_t;

typedef struct {
    ornd_match_kind_t kind;
    unsigned path;          /* index into the paths given to ornd_match_init() */
    ornd_match_type_t type; /* VALUE: JSON type of the value */
    const char *data;       /* VALUE: fragment bytes (never NULL) */
    size_t len;
    bool first;     /* VALUE: first fragment of this value */
    bool last;      /* VALUE: last fragment of this value */
    unsigned level; /* ELEMENT_*: steps of the element's path prefix */
} ornd_match_event_t;

/* Return 0 to go on; a negative value stops the scan and is returned by
 * ornd_match_feed()/ornd_match_finish() unchanged (then sticky). */
typedef ornd_err_t (*ornd_match_cb_t)(void *user, const ornd_match_event_t *ev);

/* One step of a parsed path: a member name (offset and length in the path
 * string) or, with len 0, "[]". */
typedef struct {
    uint16_t off;
    uint8_t len;
} ornd_match_step_t;

typedef struct {
    const char *text;   /* the caller's path string */
    uint32_t elem_lead; /* bit k: report ELEMENT_* for the prefix of k+1 steps */
    uint8_t nsteps;
    uint8_t matched; /* leading steps the current position matches */
    ornd_match_step_t step[ORND_CONFIG_MATCH_STEPS_MAX];
} ornd_match_path_t;

/* The matcher state. The members are private (ORND_PRIVATE). */
typedef struct {
    ornd_json_t ORND_PRIVATE(json); /* used by ornd_match_feed()/ornd_match_finish() */
    ornd_match_cb_t ORND_PRIVATE(cb);
    void *ORND_PRIVATE(user);
    int ORND_PRIVATE(err); /* init error, or 0 */
    uint8_t ORND_PRIVATE(npaths);
    uint16_t ORND_PRIVATE(key_pos);   /* bytes of the member name compared so far */
    uint32_t ORND_PRIVATE(key_alive); /* paths whose name still agrees with the member name */
    uint32_t ORND_PRIVATE(hit);       /* paths matching the string or number in progress */
    ornd_match_path_t ORND_PRIVATE(path)[ORND_CONFIG_MATCH_PATHS_MAX];
} ornd_match_t;

/*
 * Parses and checks `count` paths and starts a document. The path strings
 * are NUL-terminated and owned by the caller; they must stay unchanged while
 * the matcher is used (they are referred to, not copied). `cb` may not be
 * NULL. Errors (the matcher then refuses to run, every feed returns it):
 *   ORND_ERR_ARG               m, paths or cb NULL, count 0, a path NULL
 *   ORND_ERR_MATCH_PATH        a path does not follow the grammar
 *   ORND_ERR_CONFIG_TOO_LONG   more than ORND_CONFIG_MATCH_PATHS_MAX paths,
 *                              a path of more than ORND_CONFIG_MATCH_STEPS_MAX
 *                              steps or a name over ORND_CONFIG_MATCH_NAME_MAX
 */
ornd_err_t ornd_match_init(ornd_match_t *m, const char *const *paths, size_t count,
                           ornd_match_cb_t cb, void *user);

/* Starts a new document with the same paths and callback (e.g. the next
 * page of a list). Keeps an init error. */
void ornd_match_reset(ornd_match_t *m);

/*
 * Feeds the next `len` bytes of the document (see ornd_json_feed()).
 * Returns ORND_OK, an ORND_ERR_JSON_* code for invalid JSON, the callback's
 * negative return, or the init error. Errors are sticky.
 */
ornd_err_t ornd_match_feed(ornd_match_t *m, const uint8_t *data, size_t len);

/* The document has ended (see ornd_json_finish()): delivers the last
 * fragment of a top-level number, then returns ORND_OK,
 * ORND_ERR_JSON_INCOMPLETE, or the sticky error. */
ornd_err_t ornd_match_finish(ornd_match_t *m);

/* An ornd_json_cb_t: `user` is the ornd_match_t. For callers that run their
 * own scanner over the document (the matcher's own one then stays unused). */
ornd_err_t ornd_match_on_json(void *user, const ornd_json_event_t *ev);

/* ---- capture of one value into a caller buffer ------------------------- */

/*
 * Collects the fragments of one matched value, e.g. cursorNext: call
 * ornd_match_capture() from the callback with the events of that path and
 * return what it returns. Never cuts silently: a value that does not fit
 * (with its terminating NUL) in the buffer is ORND_ERR_MATCH_TOO_LONG, which,
 * returned from the callback, stops the scan. Each value starts afresh on its
 * first fragment, so after the document the capture holds the last value
 * matched. An object or array is captured as its type with empty text.
 */
typedef struct {
    char *buf; /* caller's buffer */
    size_t size;
    size_t len;             /* bytes of the value, without the NUL */
    ornd_match_type_t type; /* of the value */
    bool found;             /* a complete value is in buf (NUL-terminated) */
    bool too_long;          /* the value in progress did not fit */
} ornd_match_capture_t;

/* `buf` may be NULL only with size 0 (then every value is too long). */
void ornd_match_capture_init(ornd_match_capture_t *c, char *buf, size_t size);

/* Takes one event: VALUE events are collected, others ignored. Returns
 * ORND_OK, ORND_ERR_ARG (c or ev NULL) or ORND_ERR_MATCH_TOO_LONG (then
 * found is false, len 0, buf holds an empty string if size > 0, and the
 * further fragments of that value return the same error). */
ornd_err_t ornd_match_capture(ornd_match_capture_t *c, const ornd_match_event_t *ev);

#ifdef __cplusplus
}
#endif

#endif /* ORND_MATCH_H */
