/* SPDX-License-Identifier: MIT */
/* The byte class table (src/ascii.c): every one of the 256 entries derived
 * here from the rules of its grammars, written out as the RFCs say them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ascii.h"

static bool in(int c, const char *set)
{
    return c != 0 && strchr(set, c) != NULL;
}

static bool alpha(int c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static bool digit(int c)
{
    return c >= '0' && c <= '9';
}

/* RFC 8259 §7 strings and RFC 3629 §4 UTF-8 lead bytes. */
static unsigned json_class(int c)
{
    if (c < 0x20) {
        return ORND_JSON_SC_CTRL;
    }
    if (c == '"') {
        return ORND_JSON_SC_QUOTE;
    }
    if (c == '\\') {
        return ORND_JSON_SC_BSLASH;
    }
    if (c < 0x80) {
        return ORND_JSON_SC_PLAIN;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        return ORND_JSON_SC_LEAD;
    }
    switch (c) {
    case 0xE0:
        return ORND_JSON_SC_LEAD_E0;
    case 0xED:
        return ORND_JSON_SC_LEAD_ED;
    case 0xF0:
        return ORND_JSON_SC_LEAD_F0;
    case 0xF4:
        return ORND_JSON_SC_LEAD_F4;
    default:
        break;
    }
    if (c >= 0xE1 && c <= 0xEF) {
        return ORND_JSON_SC_LEAD_E1;
    }
    if (c >= 0xF1 && c <= 0xF3) {
        return ORND_JSON_SC_LEAD_F1;
    }
    return ORND_JSON_SC_BAD;
}

static void every_byte_has_the_classes_of_its_grammars(void **state)
{
    (void)state;
    for (int c = 0; c < 256; c++) {
        const uint8_t b = (uint8_t)c;
        const bool tchar = alpha(c) || digit(c) || in(c, "!#$%&'*+-.^_`|~"); /* RFC 9110 §5.6.2 */
        const bool text = c == '\t' || (c >= 0x20 && c != 0x7F);   /* VCHAR SP HTAB obs-text */
        const bool form = alpha(c) || digit(c) || in(c, "*-._");   /* WHATWG urlencoded */
        const bool b64 = alpha(c) || digit(c) || in(c, "-._~+/="); /* RFC 6750 §2.1 */
        assert_int_equal(ornd_byte_class[b] & ORND_BYTE_JSON, json_class(c));
        assert_int_equal(ornd_byte_is(b, ORND_BYTE_TCHAR), tchar);
        assert_int_equal(ornd_byte_is(b, ORND_BYTE_TEXT), text);
        assert_int_equal(ornd_byte_is(b, ORND_BYTE_FORM), form);
        assert_int_equal(ornd_byte_is(b, ORND_BYTE_B64), b64);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_byte_has_the_classes_of_its_grammars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
