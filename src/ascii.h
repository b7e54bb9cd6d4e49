/* SPDX-License-Identifier: MIT */
/*
 * ASCII character classes and case-insensitive comparison, for the
 * library's own sources only (the protocols here are ASCII; no locale is
 * involved). One definition for every module that reads or writes
 * protocol text.
 */
#ifndef ORND_ASCII_H
#define ORND_ASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

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
