/* SPDX-License-Identifier: MIT */
/*
 * Streaming JSON scanner (see ornd/json.h).
 *
 * One state byte says where the scanner is: between tokens (and so what may
 * come next), or inside a string, an escape, a raw UTF-8 sequence, a literal
 * or a number. feed() runs the step function of the current state until the
 * chunk is used up. The steps of strings and numbers consume as many bytes
 * as they can at once, and between tokens one loop goes from token to token
 * while they end inside the chunk, so that the dispatch is paid rarely; the
 * few bytes of escapes, raw UTF-8 sequences and literals go one per step.
 *
 * Raw runs of string and number bytes are reported straight from the
 * caller's buffer: the cursor's `mark` remembers where the current run began
 * in this chunk, and whatever is left of the run when the chunk ends is
 * delivered as a fragment that is not the last. A decoded escape waits in
 * j->pend until the next thing in the string is known, so that a string
 * ending in an escape (e.g. "\n") still needs only one event.
 *
 * Every event goes through emit(): its type is j->tok, which names the
 * container mark or literal just read as well as the token whose fragments
 * are being delivered.
 */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/json.h"

#include <string.h>

#include "ascii.h"
#include "ornd/error.h"

/* Keeps a rarely taken path out of its caller, so that the common path does
 * not pay for the registers the rare one needs. */
#if defined(__GNUC__)
#define COLD_PATH __attribute__((noinline))
#else
#define COLD_PATH
#endif

enum {
    /* Between tokens the state is the set of what may come next, one bit
     * each; a byte that no bit of the state allows is a syntax error. */
    B_VALUE = 1u, /* the start of a value */
    B_KEY = 2u,   /* the '"' of a member name */
    B_CLOSE = 4u, /* '}' or ']', whichever closes the innermost container */
    B_COMMA = 8u,
    B_COLON = 16u,
    ST_VALUE = B_VALUE,                 /* start, after ':', after ',' in an array */
    ST_ARRAY_FIRST = B_VALUE | B_CLOSE, /* after '[' */
    ST_KEY_FIRST = B_KEY | B_CLOSE,     /* after '{' */
    ST_KEY = B_KEY,                     /* after ',' in an object */
    ST_COLON = B_COLON,                 /* after a member name */
    ST_AFTER = B_COMMA | B_CLOSE,       /* after a value (top level: nothing, by the depth) */
    /* Inside tokens, from ST_TOKEN on. The number states are named after
     * what was read last; keep their order (num_next). The states from
     * ST_NUM_START to ST_UTF8 have a raw run in progress. */
    ST_TOKEN = 32u,
    ST_NUM_START = ST_TOKEN, /* before the first byte of a number */
    ST_NUM_MINUS,
    ST_NUM_ZERO,
    ST_NUM_INT,
    ST_NUM_DOT,
    ST_NUM_FRAC,
    ST_NUM_E,
    ST_NUM_ESIGN,
    ST_NUM_EXP,
    ST_STRING, /* inside a string, between escapes and UTF-8 sequences */
    ST_UTF8,   /* inside a raw multi-byte sequence; aux = need | range << 2 */
    ST_ESC,    /* after a backslash */
    ST_HEX,    /* inside \uXXXX; aux = digits read */
    ST_EXPECT  /* inside true/false/null or the "\u" of a low surrogate; aux =
                * index of the next byte in expected[] */
};

/* Where the scan is inside the chunk given to feed(). */
typedef struct {
    const uint8_t *p;    /* next byte */
    const uint8_t *end;  /* one past the chunk */
    const uint8_t *mark; /* start of the raw string or number run in progress */
} cursor_t;

/* ---- byte classes ------------------------------------------------------ */

/* Classes of string bytes (src/ascii.h). SC_PLAIN is 0 so the run loop
 * tests for zero. */
enum {
    SC_PLAIN = ORND_JSON_SC_PLAIN,
    SC_QUOTE = ORND_JSON_SC_QUOTE,
    SC_BSLASH = ORND_JSON_SC_BSLASH,
    SC_CTRL = ORND_JSON_SC_CTRL,
    SC_LEAD = ORND_JSON_SC_LEAD
};

static unsigned str_class(uint8_t b)
{
    return ornd_byte_class[b] & ORND_BYTE_JSON;
}

/* The fixed byte sequences of ST_EXPECT, NUL-terminated: the rest of each
 * literal after its first letter ("true" at 0, "false" at 4, "null" at 9),
 * then the "\u" that must follow a high surrogate (at EXPECT_LOW). */
static const char expected[] = "rue\0alse\0ull\0\\u";
#define EXPECT_LOW 13u

/* Number grammar (RFC 8259 section 6): next state per state and byte class.
 * N_END: the number is complete and this byte belongs to what follows. */
enum { NC_ZERO, NC_DIGIT, NC_DOT, NC_E, NC_SIGN, NC_OTHER };
#define N_END 0xFEu
#define N_BAD 0xFFu
static const uint8_t num_next[][6] = {
    /* columns:   '0'          '1'..'9'     '.'          'e' 'E'   '+' '-'       other */
    /* START: only '-' and digits get here, so the sign is '-' */
    /* START */ {ST_NUM_ZERO, ST_NUM_INT, N_BAD, N_BAD, ST_NUM_MINUS, N_BAD},
    /* MINUS */ {ST_NUM_ZERO, ST_NUM_INT, N_BAD, N_BAD, N_BAD, N_BAD},
    /* ZERO  */ {N_BAD, N_BAD, ST_NUM_DOT, ST_NUM_E, N_BAD, N_END},
    /* INT   */ {ST_NUM_INT, ST_NUM_INT, ST_NUM_DOT, ST_NUM_E, N_BAD, N_END},
    /* DOT   */ {ST_NUM_FRAC, ST_NUM_FRAC, N_BAD, N_BAD, N_BAD, N_BAD},
    /* FRAC  */ {ST_NUM_FRAC, ST_NUM_FRAC, N_BAD, ST_NUM_E, N_BAD, N_END},
    /* E     */ {ST_NUM_EXP, ST_NUM_EXP, N_BAD, N_BAD, ST_NUM_ESIGN, N_BAD},
    /* ESIGN */ {ST_NUM_EXP, ST_NUM_EXP, N_BAD, N_BAD, N_BAD, N_BAD},
    /* EXP   */ {ST_NUM_EXP, ST_NUM_EXP, N_BAD, N_BAD, N_BAD, N_END},
};

static unsigned num_class(uint8_t b)
{
    const unsigned digit = (unsigned)b - '0';
    if (digit < 10u) {
        return digit != 0 ? NC_DIGIT : NC_ZERO;
    }
    if (b == '.') {
        return NC_DOT;
    }
    if ((b | 0x20u) == 'e') {
        return NC_E;
    }
    return b == '+' || b == '-' ? NC_SIGN : NC_OTHER;
}

/* True in the number states where the number may end: after a digit of
 * the integer, fraction or exponent. */
static bool num_complete(uint8_t state)
{
    const unsigned ends = 1u << (ST_NUM_ZERO - ST_NUM_START) | 1u << (ST_NUM_INT - ST_NUM_START) |
                          1u << (ST_NUM_FRAC - ST_NUM_START) | 1u << (ST_NUM_EXP - ST_NUM_START);
    const unsigned i = (unsigned)state - ST_NUM_START;
    return i <= ST_NUM_EXP - ST_NUM_START && ((ends >> i) & 1u) != 0;
}

/* JSON whitespace: tab, LF, CR, space (bits 0, 1, 4 and 23 from tab). */
static bool is_space(uint8_t b)
{
    unsigned i = (unsigned)b - '\t';
    return i <= ' ' - '\t' && ((0x800013u >> i) & 1u) != 0;
}

/* Value of a hex digit, or 16 when b is none. */
static unsigned hex_value(uint8_t b)
{
    int v = ornd_ascii_hex(b);
    return v >= 0 ? (unsigned)v : 16u;
}

/* UTF-8 encoding of a code point (not a surrogate, at most U+10FFFF):
 * continuation bytes from the last one back, then the lead byte. */
static uint8_t utf8_encode(uint32_t cp, uint8_t out[4])
{
    static const uint8_t lead[4] = {0x00u, 0xC0u, 0xE0u, 0xF0u};
    const uint8_t n = cp < 0x80u ? 1u : cp < 0x800u ? 2u : cp < 0x10000u ? 3u : 4u;
    for (unsigned i = n - 1u; i != 0; i--) {
        out[i] = (uint8_t)(0x80u | (cp & 0x3Fu));
        cp >>= 6;
    }
    out[0] = (uint8_t)(lead[n - 1u] | cp);
    return n;
}

/* ---- events ------------------------------------------------------------ */

/* The one event builder: an event of type j->tok. For a fragment, `first`
 * is j->first; for a mark or a literal j->first is always 0 (every token
 * before it ended with a fragment, which cleared it). */
static int emit(ornd_json_t *j, const void *data, size_t len, bool last)
{
    ornd_json_event_t ev = {
        (ornd_json_type_t)j->tok, (const char *)data, len, j->first != 0, last, j->depth};
    j->first = 0;
    int rc = j->cb(j->user, &ev);
    return rc < 0 ? rc : ORND_OK;
}

/* A container begins or ends, or a literal was read. */
static int emit_mark(ornd_json_t *j, ornd_json_type_t type)
{
    j->tok = (uint8_t)type;
    return emit(j, NULL, 0, false);
}

static int emit_pending(ornd_json_t *j, bool last)
{
    size_t n = j->pend_len;
    j->pend_len = 0;
    return emit(j, j->pend, n, last);
}

/* flush_run() when a decoded escape waits: it goes first, and carries
 * `last` itself when the run is empty. Kept apart from flush_run(), so
 * that the common path does not pay for the registers this one needs. */
COLD_PATH static int flush_with_pending(ornd_json_t *j, const uint8_t *from, size_t n, bool last)
{
    int rc = emit_pending(j, n == 0);
    if (rc != ORND_OK || n == 0) {
        return rc;
    }
    return emit(j, from, n, last);
}

/*
 * Delivers the raw run [from, to), preceded by a waiting decoded escape. Not
 * last: nothing happens while the run is empty (the escape keeps waiting).
 * Last: the token ends, so something is always delivered, perhaps empty.
 */
static int flush_run(ornd_json_t *j, const uint8_t *from, const uint8_t *to, bool last)
{
    size_t n = (size_t)(to - from);
    if (n == 0 && !last) {
        return ORND_OK;
    }
    if (j->pend_len != 0) {
        return flush_with_pending(j, from, n, last);
    }
    return emit(j, from, n, last);
}

/* ---- containers -------------------------------------------------------- */

/* The innermost open container is an object (depth > 0). */
static bool in_object(const ornd_json_t *j)
{
    unsigned i = j->depth - 1u;
    return (((unsigned)j->stack[i >> 3] >> (i & 7u)) & 1u) != 0;
}

/* '{' or '[' (they differ in bit 0x20 only). The event is delivered before
 * the depth counts the new container, so that it carries the depth
 * outside it. */
static int open_container(ornd_json_t *j, cursor_t *c)
{
    const unsigned d = j->depth;
    if (d >= ORND_CONFIG_JSON_DEPTH_MAX) {
        return ORND_ERR_JSON_DEPTH;
    }
    const unsigned object = ((unsigned)*c->p >> 5) & 1u;
    const unsigned shift = d & 7u;
    uint8_t *byte = &j->stack[d >> 3];
    *byte = (uint8_t)((*byte & ~(1u << shift)) | object << shift);
    j->state = object != 0 ? ST_KEY_FIRST : ST_ARRAY_FIRST;
    c->p++;
    int rc = emit_mark(j, object != 0 ? ORND_JSON_OBJECT_BEGIN : ORND_JSON_ARRAY_BEGIN);
    j->depth = (uint16_t)(d + 1u);
    return rc;
}

/* '}' or ']': it must close the innermost container. */
static int close_container(ornd_json_t *j, cursor_t *c)
{
    const bool object = (*c->p & 0x20u) != 0;
    if (j->depth == 0 || in_object(j) != object) {
        return ORND_ERR_JSON_SYNTAX;
    }
    j->depth--;
    j->state = ST_AFTER;
    c->p++;
    return emit_mark(j, object ? ORND_JSON_OBJECT_END : ORND_JSON_ARRAY_END);
}

/* ---- strings ----------------------------------------------------------- */

/* First byte in [p, end) that is not plain printable ASCII, or end. Four
 * bytes per round, each tested on its own so that the stop is exact (most
 * strings are short: word-at-a-time tricks cost more than they save). */
static const uint8_t *skip_plain(const uint8_t *p, const uint8_t *end)
{
    size_t blocks = (size_t)(end - p) / 4u;
    for (; blocks != 0; blocks--, p += 4) {
        if (str_class(p[0]) != SC_PLAIN) {
            return p;
        }
        if (str_class(p[1]) != SC_PLAIN) {
            return p + 1;
        }
        if (str_class(p[2]) != SC_PLAIN) {
            return p + 2;
        }
        if (str_class(p[3]) != SC_PLAIN) {
            return p + 3;
        }
    }
    while (p < end && str_class(*p) == SC_PLAIN) {
        p++;
    }
    return p;
}

/* The closing quote. A ':' right after a member name is taken at once: it
 * is nearly always there, and this saves a trip through step_between(). */
static int string_end(ornd_json_t *j, cursor_t *c)
{
    const uint8_t *quote = c->p++;
    if (j->tok != ORND_JSON_KEY) {
        j->state = ST_AFTER;
    } else if (c->p < c->end && *c->p == ':') {
        j->state = ST_VALUE;
        c->p++;
    } else {
        j->state = ST_COLON;
    }
    return flush_run(j, c->mark, quote, true);
}

/* Inside a string: skips the plain run, then acts on the byte that ended it. */
static int step_string(ornd_json_t *j, cursor_t *c)
{
    const uint8_t *p = skip_plain(c->p, c->end);
    c->p = p;
    if (p == c->end) {
        return ORND_OK;
    }
    unsigned cls = str_class(*p);
    if (cls >= SC_LEAD) {
        j->aux = (uint8_t)ornd_utf8_lead[cls - SC_LEAD];
        j->state = ST_UTF8;
        c->p++;
        return ORND_OK;
    }
    if (cls == SC_QUOTE) {
        return string_end(j, c);
    }
    if (cls == SC_BSLASH) {
        /* the run before it is delivered (the escape may need bytes from
         * the next chunk, and the run must not be held) */
        j->state = ST_ESC;
        c->p++;
        return flush_run(j, c->mark, p, false);
    }
    return cls == SC_CTRL ? ORND_ERR_JSON_SYNTAX : ORND_ERR_JSON_UTF8;
}

/* A continuation byte of a raw multi-byte sequence; it stays in the run.
 * j->aux holds the bytes still needed and, above them, the allowed range of
 * this one (only the first continuation byte has a narrowed range). */
static int step_utf8(ornd_json_t *j, cursor_t *c)
{
    const unsigned aux = j->aux;
    if (!ornd_utf8_cont(aux >> 2, *c->p)) {
        return ORND_ERR_JSON_UTF8;
    }
    c->p++;
    j->aux = (uint8_t)((aux & 3u) - 1u);
    if (j->aux == 0) {
        j->state = ST_STRING;
    }
    return ORND_OK;
}

/* An escape was decoded into code point cp: it waits in pend (after the one
 * waiting before it, if any, is delivered) and a new raw run begins. */
static int escape_decoded(ornd_json_t *j, cursor_t *c, uint32_t cp)
{
    int rc = j->pend_len != 0 ? emit_pending(j, false) : ORND_OK;
    j->pend_len = utf8_encode(cp, j->pend);
    j->state = ST_STRING;
    c->mark = ++c->p;
    return rc;
}

/* The 'u' of a \u escape was read: its hex digits follow. */
static void begin_hex(ornd_json_t *j)
{
    j->state = ST_HEX;
    j->aux = 0;
    j->hex = 0;
}

static int step_escape(ornd_json_t *j, cursor_t *c)
{
    /* the escapes of RFC 8259 §7, 'u' apart: each letter, then what it
     * stands for */
    static const char pairs[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
    const uint8_t b = *c->p;
    if (b == 'u') {
        begin_hex(j);
        c->p++;
        return ORND_OK;
    }
    for (const char *e = pairs; *e != '\0'; e += 2) {
        if (b == (uint8_t)*e) {
            return escape_decoded(j, c, (uint8_t)e[1]);
        }
    }
    return ORND_ERR_JSON_UTF8;
}

/* All four digits of a \u escape are in j->hex. Surrogates are the code
 * units whose top six bits are 0x36 (high half) or 0x37 (low half). */
static int hex_done(ornd_json_t *j, cursor_t *c)
{
    uint32_t u = j->hex;
    const unsigned top = (unsigned)u >> 10;
    if (j->high != 0) {
        if (top != 0x37u) {
            return ORND_ERR_JSON_UTF8;
        }
        u = 0x10000u + (((uint32_t)j->high - 0xD800u) << 10) + (u - 0xDC00u);
        j->high = 0;
    } else if (top == 0x37u) {
        return ORND_ERR_JSON_UTF8;
    } else if (top == 0x36u) {
        /* only "\u" of the low half may follow */
        j->high = (uint16_t)u;
        j->state = ST_EXPECT;
        j->aux = EXPECT_LOW;
        c->p++;
        return ORND_OK;
    }
    return escape_decoded(j, c, u);
}

static int step_hex(ornd_json_t *j, cursor_t *c)
{
    unsigned v = hex_value(*c->p);
    if (v > 15u) {
        return ORND_ERR_JSON_UTF8;
    }
    j->hex = (uint16_t)((unsigned)j->hex << 4 | v);
    if (++j->aux < 4u) {
        c->p++;
        return ORND_OK;
    }
    return hex_done(j, c);
}

/* ---- literals and numbers ---------------------------------------------- */

/* A byte of the rest of a literal, or of the "\u" after a high surrogate. */
static int step_expect(ornd_json_t *j, cursor_t *c)
{
    unsigned i = j->aux;
    if (*c->p != (uint8_t)expected[i]) {
        return i >= EXPECT_LOW ? ORND_ERR_JSON_UTF8 : ORND_ERR_JSON_SYNTAX;
    }
    c->p++;
    j->aux = (uint8_t)++i;
    if (expected[i] != '\0') {
        return ORND_OK;
    }
    if (i > EXPECT_LOW) {
        begin_hex(j);
        return ORND_OK;
    }
    j->state = ST_AFTER;
    return emit(j, NULL, 0, false); /* j->tok is the literal's type */
}

static int step_number(ornd_json_t *j, cursor_t *c)
{
    const uint8_t *p = c->p;
    unsigned st = j->state;
    for (; p < c->end; p++) {
        unsigned next = num_next[st - ST_NUM_START][num_class(*p)];
        if (next == N_BAD) {
            return ORND_ERR_JSON_SYNTAX;
        }
        if (next == N_END) {
            c->p = p;
            j->state = ST_AFTER;
            return flush_run(j, c->mark, p, true);
        }
        st = next;
    }
    j->state = (uint8_t)st;
    c->p = p;
    return ORND_OK;
}

/* ---- between tokens ---------------------------------------------------- */

static int begin_string(ornd_json_t *j, cursor_t *c, ornd_json_type_t type)
{
    j->tok = (uint8_t)type;
    j->first = 1;
    j->state = ST_STRING;
    c->mark = ++c->p;
    return step_string(j, c);
}

/* A value that is not a string or a container: a number or a literal. */
static int begin_scalar(ornd_json_t *j, cursor_t *c)
{
    const uint8_t b = *c->p;
    if (b == '-' || ornd_ascii_digit(b)) {
        j->tok = (uint8_t)ORND_JSON_NUMBER;
        j->first = 1;
        j->state = ST_NUM_START;
        c->mark = c->p;
        return step_number(j, c);
    }
    if (b == 't') {
        j->tok = (uint8_t)ORND_JSON_TRUE;
        j->aux = 0;
    } else if (b == 'f') {
        j->tok = (uint8_t)ORND_JSON_FALSE;
        j->aux = 4;
    } else if (b == 'n') {
        j->tok = (uint8_t)ORND_JSON_NULL;
        j->aux = 9;
    } else {
        return ORND_ERR_JSON_SYNTAX;
    }
    j->state = ST_EXPECT;
    c->p++;
    return ORND_OK;
}

/* Acts on one structural byte (not whitespace) as far as the state allows
 * it; a token it starts is scanned as far as the chunk goes. '{' and '['
 * differ in bit 0x20 only, and so do '}' and ']'. */
static int on_byte(ornd_json_t *j, cursor_t *c)
{
    unsigned s = j->state;
    uint8_t b = *c->p;
    if (b == ',' && (s & B_COMMA) != 0) {
        if (j->depth == 0) {
            return ORND_ERR_JSON_SYNTAX;
        }
        s = in_object(j) ? ST_KEY : ST_VALUE;
        j->state = (uint8_t)s;
        /* the next member's name (or a string in an array) nearly always
         * follows at once */
        if (++c->p == c->end || *c->p != '"') {
            return ORND_OK;
        }
        b = '"';
    }
    if (b == '"' && (s & (B_KEY | B_VALUE)) != 0) {
        return begin_string(j, c, (s & B_KEY) != 0 ? ORND_JSON_KEY : ORND_JSON_STRING);
    }
    if ((b | 0x20u) == '}' && (s & B_CLOSE) != 0) {
        return close_container(j, c);
    }
    if (b == ':' && (s & B_COLON) != 0) {
        j->state = ST_VALUE;
        c->p++;
        return ORND_OK;
    }
    if ((s & B_VALUE) == 0) {
        return ORND_ERR_JSON_SYNTAX;
    }
    if ((b | 0x20u) == '{') {
        return open_container(j, c);
    }
    return begin_scalar(j, c);
}

/* Runs from token to token as long as each one ends inside the chunk, so
 * that a chunk of short tokens goes through the driver only once. */
static int step_between(ornd_json_t *j, cursor_t *c)
{
    do {
        const uint8_t *p = c->p;
        while (p < c->end && is_space(*p)) {
            p++;
        }
        c->p = p;
        if (p == c->end) {
            return ORND_OK;
        }
        int rc = on_byte(j, c);
        if (rc != ORND_OK) {
            return rc;
        }
    } while (j->state < ST_TOKEN);
    return ORND_OK;
}

/* ---- driver ------------------------------------------------------------ */

static int step(ornd_json_t *j, cursor_t *c)
{
    switch (j->state) {
    case ST_STRING:
        return step_string(j, c);
    case ST_UTF8:
        return step_utf8(j, c);
    case ST_ESC:
        return step_escape(j, c);
    case ST_HEX:
        return step_hex(j, c);
    case ST_EXPECT:
        return step_expect(j, c);
    default:
        break;
    }
    return j->state >= ST_TOKEN ? step_number(j, c) : step_between(j, c);
}

static int fail(ornd_json_t *j, int err)
{
    j->err = err;
    return err;
}

void ornd_json_init(ornd_json_t *j, ornd_json_cb_t cb, void *user)
{
    memset(j, 0, sizeof *j);
    j->cb = cb;
    j->user = user;
    j->state = ST_VALUE;
}

ornd_err_t ornd_json_feed(ornd_json_t *j, const uint8_t *data, size_t len)
{
    if (j->err != ORND_OK) {
        return j->err;
    }
    if (len == 0) {
        return ORND_OK;
    }
    if (data == NULL) {
        return ORND_ERR_ARG;
    }
    cursor_t c = {data, data + len, data};
    int rc = ORND_OK;
    while (rc == ORND_OK && c.p < c.end) {
        rc = step(j, &c);
    }
    /* the chunk ended inside a string or number: deliver the run read so far */
    if (rc == ORND_OK && j->state >= ST_TOKEN && j->state <= ST_UTF8) {
        rc = flush_run(j, c.mark, c.end, false);
    }
    return rc == ORND_OK ? ORND_OK : fail(j, rc);
}

ornd_err_t ornd_json_finish(ornd_json_t *j)
{
    if (j->err != ORND_OK) {
        return j->err;
    }
    if (j->depth == 0 && num_complete(j->state)) {
        j->state = ST_AFTER;
        int rc = emit(j, "", 0, true);
        if (rc != ORND_OK) {
            return fail(j, rc);
        }
    }
    return ornd_json_done(j) ? ORND_OK : fail(j, ORND_ERR_JSON_INCOMPLETE);
}

bool ornd_json_done(const ornd_json_t *j)
{
    return j->err == ORND_OK && j->depth == 0 && j->state == ST_AFTER;
}
