/* SPDX-License-Identifier: MIT */
/* Unit tests of the one rule for server text (ornd/core/text.h): kept in
 * pieces of any size, cleaned once whole; the same text however the input
 * was split and whatever room there is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/core/text.h"

static char out[64];
static bool cut;

/* Keep `in` in a buffer of `cap` bytes, in pieces of `piece`, then clean. */
static const char *clean(const char *in, size_t len, size_t cap, size_t piece)
{
    memset(out, 'Z', sizeof out);
    cut = false;
    size_t n = 0;
    for (size_t off = 0; off < len; off += piece) {
        n = ornd_text_keep(out, cap, n, in + off, len - off < piece ? len - off : piece, &cut);
        assert_true(n < cap);
        assert_int_equal(out[n], '\0');
    }
    if (cap > 0) {
        n = ornd_text_clean(out, n, cut);
        assert_int_equal(strlen(out), n);
    }
    return out;
}

static void rule(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        const char *want;
    } cases[] = {
        {"plain text", "plain text"},
        {"tab\there\r\nnext\x1b[2J\x7f", "tab here  next [2J "},
        {"Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x94\x91", "Zo\xc3\xab \xe2\x82\xac \xf0\x9f\x94\x91"},
        {"c1 \xc2\x85 \xc2\x9f \xc2\xa0", "c1     \xc2\xa0"},
        {"bad \xff \xfe \x80 \xc0\xaf \xc1\xbf", "bad ? ? ? ?? ??"},
        {"cut \xe2\x82 \xf0\x9f\x94 end \xe2", "cut ? ? end ?"},
        {"surrogate \xed\xa0\x80 big \xf4\x90\x80\x80 over \xe0\x80\xaf",
         "surrogate ??? big ???? over ???"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const size_t len = strlen(cases[i].in);
        for (size_t piece = 1; piece <= len; piece++) {
            assert_string_equal(clean(cases[i].in, len, sizeof out, piece), cases[i].want);
            assert_false(cut);
        }
    }
}

/* A small buffer: the text is cut at the same place for every split, a
 * sequence that does not fit whole is dropped, and the cut is flagged. */
static void cut_for_room(void **state)
{
    (void)state;
    static const char in[] = "ab\xc3\xab\xe2\x82\xac\xc2\x85x\xff yz";
    const size_t len = sizeof in - 1;
    for (size_t cap = 1; cap <= len + 2; cap++) {
        out[0] = '\0';
        char first[64];
        strcpy(first, clean(in, len, cap, len));
        const bool first_cut = cut;
        assert_true(strlen(first) < cap);
        for (size_t piece = 1; piece <= len; piece++) {
            assert_string_equal(clean(in, len, cap, piece), first);
            assert_int_equal(cut, first_cut);
        }
    }
    assert_string_equal(clean(in, len, 4, 1), "ab");
    assert_true(cut);
    assert_string_equal(clean(in, len, 5, 3), "ab\xc3\xab");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rule),
        cmocka_unit_test(cut_for_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
