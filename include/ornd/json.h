/* SPDX-License-Identifier: MIT */
/*
 * Streaming JSON scanner (RFC 8259, strict).
 *
 * A push scanner: the caller feeds bytes in any chunking, down to one byte at
 * a time, and the scanner reports events through a callback. No I/O, no
 * allocation, no global state; the whole state is the ornd_json_t below.
 *
 * Strings (member names and values) and numbers are delivered in fragments:
 * a value may arrive as several events of the same type, the first with
 * `first` set and the last with `last` set (one event may have both). String
 * fragments are decoded UTF-8: escapes, including \uXXXX and surrogate pairs,
 * are already turned into bytes. A fragment never splits a UTF-8 sequence
 * produced by an escape; raw multi-byte sequences from the input may be split
 * across fragments at chunk boundaries. Number fragments are the number's
 * text exactly as in the input.
 *
 * Runs of raw bytes are reported straight from the caller's buffer (no copy);
 * the bytes of a decoded escape come from a small buffer inside the scanner.
 * A string or number is never held whole: each feed() delivers what it has.
 * A last fragment may be empty when the token ends right after a fragment
 * was delivered (e.g. its closing quote starts the next chunk); "" is one
 * event with len 0 and both flags set.
 *
 * Fragment pointers are valid only during the callback.
 *
 * Strictness: exactly one value per document (any type at top level),
 * surrounded only by JSON whitespace; UTF-8 is validated (no overlongs, no
 * surrogates encoded in UTF-8, nothing above U+10FFFF); control characters
 * must be escaped; a \u escape of a lone surrogate is invalid; numbers follow
 * the RFC grammar exactly; nesting deeper than ORND_CONFIG_JSON_DEPTH_MAX is
 * ORND_ERR_JSON_DEPTH.
 *
 * Error codes: ORND_ERR_JSON_UTF8 for anything wrong inside a string's bytes
 * or escapes (invalid UTF-8, an unknown escape, a bad \u hex digit, a lone
 * surrogate); ORND_ERR_JSON_DEPTH for nesting; ORND_ERR_JSON_INCOMPLETE only
 * from ornd_json_finish(); ORND_ERR_JSON_SYNTAX for everything else,
 * including a raw control character inside a string.
 */
#ifndef ORND_JSON_H
#define ORND_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"
#include "ornd/core/private.h"
#include "ornd/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    ORND_JSON_OBJECT_BEGIN,
    ORND_JSON_OBJECT_END,
    ORND_JSON_ARRAY_BEGIN,
    ORND_JSON_ARRAY_END,
    ORND_JSON_KEY,    /* fragment of a member name */
    ORND_JSON_STRING, /* fragment of a string value */
    ORND_JSON_NUMBER, /* fragment of a number's text */
    ORND_JSON_TRUE,
    ORND_JSON_FALSE,
    ORND_JSON_NULL
} ornd_json_type_t;

typedef struct {
    ornd_json_type_t type;
    /* KEY, STRING, NUMBER: the fragment (may be empty, e.g. for ""). */
    const char *data;
    size_t len;
    bool first; /* KEY, STRING, NUMBER: first fragment of this token */
    bool last;  /* KEY, STRING, NUMBER: last fragment of this token */
    /* Number of containers around this token: 0 for a top-level value and
     * for the BEGIN/END of the top-level container, 1 for the members (keys
     * and values) of a top-level object, and so on. */
    unsigned depth;
} ornd_json_event_t;

/* Called for every event. Return 0 to go on; a negative value stops the scan
 * and is returned by ornd_json_feed() unchanged (the scanner is then in the
 * error state). */
typedef ornd_err_t (*ornd_json_cb_t)(void *user, const ornd_json_event_t *ev);

/* The scanner state. The members are private (ORND_PRIVATE); its size is fixed by the config
 * (40 bytes on 64-bit targets and 32 on 32-bit ones with the default depth). */
typedef struct {
    ornd_json_cb_t ORND_PRIVATE(cb);
    void *ORND_PRIVATE(user);
    int ORND_PRIVATE(err);          /* sticky: first error seen, or 0 */
    uint16_t ORND_PRIVATE(depth);   /* containers currently open */
    uint8_t ORND_PRIVATE(state);    /* where the scanner is (see json.c) */
    uint8_t ORND_PRIVATE(aux);      /* detail of the state: UTF-8 bytes still expected,
                                     * \u digits read, or position in a literal */
    uint16_t ORND_PRIVATE(hex);     /* \u escape being read */
    uint16_t ORND_PRIVATE(high);    /* high surrogate waiting for its low half, or 0 */
    uint8_t ORND_PRIVATE(tok);      /* event type of the fragments being delivered */
    uint8_t ORND_PRIVATE(first);    /* the next fragment is the first of its token */
    uint8_t ORND_PRIVATE(pend_len); /* decoded escape bytes waiting in pend */
    uint8_t ORND_PRIVATE(pend)[4];  /* one decoded escape (at most 4 UTF-8 bytes) */
    /* one bit per open container: 1 = object, 0 = array */
    uint8_t ORND_PRIVATE(stack)[(ORND_CONFIG_JSON_DEPTH_MAX + 7u) / 8u];
} ornd_json_t;

/* Start a new document. `cb` may not be NULL. */
void ornd_json_init(ornd_json_t *j, ornd_json_cb_t cb, void *user);

/*
 * Feed the next `len` bytes (len may be 0, data may then be NULL). Returns
 * ORND_OK, a negative ORND_ERR_JSON_* code for invalid input, or the
 * callback's negative return. After an error every further call returns the
 * same error. A NULL `data` with a non-zero `len` is ORND_ERR_ARG (not
 * sticky, nothing consumed).
 */
ornd_err_t ornd_json_feed(ornd_json_t *j, const uint8_t *data, size_t len);

/*
 * The input has ended. Returns ORND_OK when exactly one complete value was
 * seen (a top-level number ends here and its last fragment is delivered),
 * ORND_ERR_JSON_INCOMPLETE when the document stopped early (including empty
 * input), or the sticky error.
 */
ornd_err_t ornd_json_finish(ornd_json_t *j);

/* True once a complete top-level value has been seen and no error occurred
 * (before finish(), a top-level number is complete only once a byte after it
 * arrived). */
bool ornd_json_done(const ornd_json_t *j);

#ifdef __cplusplus
}
#endif

#endif /* ORND_JSON_H */
