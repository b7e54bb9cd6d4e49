/* SPDX-License-Identifier: MIT */
/*
 * Byte and ASCII character classes and case-insensitive comparison, for the
 * library's own sources only (the protocols here are ASCII; no locale is
 * involved). One definition for every module that reads or writes
 * protocol text.
 */
#ifndef ORND_ASCII_H
#define ORND_ASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Classes of the 256 byte values: one table (src/ascii.c) for every grammar
 * the library reads or writes. The low four bits are the byte's class in a
 * JSON string (ORND_JSON_SC_*); above them, one flag per character set.
 */
enum {
    ORND_JSON_SC_PLAIN = 0, /* printable ASCII other than '"' and '\', DEL */
    ORND_JSON_SC_QUOTE,
    ORND_JSON_SC_BSLASH,
    ORND_JSON_SC_CTRL, /* below 0x20: must be escaped */
    ORND_JSON_SC_BAD,  /* continuation byte out of place, C0, C1, F5..FF */
    ORND_JSON_SC_LEAD, /* C2..DF; the lead classes below in the order of json.c's lead_aux */
    ORND_JSON_SC_LEAD_E0,
    ORND_JSON_SC_LEAD_E1, /* E1..EC, EE, EF */
    ORND_JSON_SC_LEAD_ED,
    ORND_JSON_SC_LEAD_F0,
    ORND_JSON_SC_LEAD_F1, /* F1..F3 */
    ORND_JSON_SC_LEAD_F4
};
#define ORND_BYTE_JSON 0x0Fu  /* the JSON string class */
#define ORND_BYTE_TCHAR 0x10u /* RFC 9110 tchar: a method, a field name */
#define ORND_BYTE_TEXT                                                                             \
    0x20u                    /* a byte of a field value, reason phrase or chunk                    \
                                extension: VCHAR, SP, HTAB, obs-text (0x80-0xFF) */
#define ORND_BYTE_FORM 0x40u /* kept as it is by form encoding: ALPHA DIGIT * - . _ */
#define ORND_BYTE_B64 0x80u  /* RFC 6750 b64token: ALPHA DIGIT - . _ ~ + / = */
extern const uint8_t ornd_byte_class[256];

static inline bool ornd_byte_is(uint8_t c, unsigned flag)
{
    return (ornd_byte_class[c] & flag) != 0u;
}

/*
 * UTF-8 (RFC 3629 §4), for the JSON scanner and the rule for server text.
 * Per lead class (from ORND_JSON_SC_LEAD): the continuation bytes needed |
 * the range of the first one << 2. Ranges exclude overlongs (E0, F0), UTF-16
 * surrogates (ED) and code points above U+10FFFF (F4); later continuation
 * bytes are always in range 0 (80..BF).
 */
extern const uint8_t ornd_utf8_lead[7];
extern const uint8_t ornd_utf8_lo[5];
extern const uint8_t ornd_utf8_hi[5];

/* The lead entry of byte c, or 0 when c starts no multi-byte sequence. */
static inline unsigned ornd_utf8_aux(uint8_t c)
{
    const unsigned cls = ornd_byte_class[c] & ORND_BYTE_JSON;
    return cls >= ORND_JSON_SC_LEAD ? ornd_utf8_lead[cls - ORND_JSON_SC_LEAD] : 0u;
}

/* May c be a continuation byte in `range`? */
static inline bool ornd_utf8_cont(unsigned range, uint8_t c)
{
    return c >= ornd_utf8_lo[range] && c <= ornd_utf8_hi[range];
}

static inline bool ornd_ascii_digit(uint8_t c)
{
    return (uint8_t)(c - '0') < 10u;
}

static inline bool ornd_ascii_alpha(uint8_t c)
{
    return (uint8_t)((c | 0x20u) - 'a') < 26u;
}

static inline bool ornd_ascii_alnum(uint8_t c)
{
    return ornd_ascii_digit(c) || ornd_ascii_alpha(c);
}

/* Control characters, DEL included. */
static inline bool ornd_ascii_ctl(uint8_t c)
{
    return c < 0x20u || c == 0x7Fu;
}

/* 'A'-'Z' as 'a'-'z'; every other byte as it is. */
static inline uint8_t ornd_ascii_lower(uint8_t c)
{
    return (uint8_t)(c - 'A') < 26u ? (uint8_t)(c | 0x20u) : c;
}

/* The value of a hex digit (either case), or -1. */
static inline int ornd_ascii_hex(uint8_t c)
{
    if (ornd_ascii_digit(c)) {
        return c - '0';
    }
    const uint8_t l = (uint8_t)(c | 0x20u);
    return (uint8_t)(l - 'a') < 6u ? l - 'a' + 10 : -1;
}

/* s[0..n) is the lower-case, NUL-terminated `lit`, ignoring case. */
static inline bool ornd_ascii_ieq(const char *s, size_t n, const char *lit)
{
    for (size_t i = 0; i < n; i++) {
        if (lit[i] == '\0' || ornd_ascii_lower((uint8_t)s[i]) != (uint8_t)lit[i]) {
            return false;
        }
    }
    return lit[n] == '\0';
}

#endif /* ORND_ASCII_H */
