/* SPDX-License-Identifier: MIT */
/* Unit tests of the error names, texts and classes (src/error.c,
 * ornd/error.h): every code of the list under its own name, text and class,
 * the two non-negative values, and codes the list does not have. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/error.h"

typedef struct {
    ornd_err_t code;
    const char *name;
    ornd_err_class_t cls;
    const char *msg;
} row_t;

#define ROW(code, value, cls, msg) {code, #code, ORND_CLASS_##cls, msg},
static const row_t rows[] = {ORND_ERROR_LIST(ROW)};
#undef ROW
#define NROWS (sizeof rows / sizeof rows[0])

static void every_code_has_its_name_text_and_class(void **state)
{
    (void)state;
    for (size_t i = 0; i < NROWS; i++) {
        assert_true((int)rows[i].code < 0);
        assert_string_equal(ornd_errname(rows[i].code), rows[i].name);
        assert_int_equal(ornd_err_class(rows[i].code), rows[i].cls);
#if ORND_CONFIG_ERROR_STRINGS
        assert_string_equal(ornd_strerror(rows[i].code), rows[i].msg);
#else
        assert_string_equal(ornd_strerror(rows[i].code), rows[i].name); /* no texts built in */
#endif
        for (size_t j = 0; j < i; j++) {
            assert_int_not_equal(rows[i].code, rows[j].code); /* one value, one code */
        }
    }
}

static void success_and_in_progress(void **state)
{
    (void)state;
    assert_string_equal(ornd_errname(ORND_OK), "ORND_OK");
    assert_string_equal(ornd_errname(ORND_IN_PROGRESS), "ORND_IN_PROGRESS");
    assert_int_equal(ornd_err_class(ORND_OK), ORND_CLASS_OK);
    assert_int_equal(ornd_err_class(ORND_IN_PROGRESS), ORND_CLASS_OK); /* not a failure */
#if ORND_CONFIG_ERROR_STRINGS
    assert_string_equal(ornd_strerror(ORND_OK), "success");
    assert_string_equal(ornd_strerror(ORND_IN_PROGRESS), "in progress");
#else
    assert_string_equal(ornd_strerror(ORND_OK), "ORND_OK");
    assert_string_equal(ornd_strerror(ORND_IN_PROGRESS), "ORND_IN_PROGRESS");
#endif
}

/* Codes outside the list: a negative one is unknown and of the CONFIG class
 * (ornd/error.h); a positive one other than ORND_IN_PROGRESS counts as
 * success. Never NULL. */
static void codes_not_in_the_list(void **state)
{
    (void)state;
    static const int unknown[] = {-13, -19, -29, -99, -1000, INT32_MIN};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        ornd_err_t e = (ornd_err_t)unknown[i];
        assert_string_equal(ornd_errname(e), "ORND_ERR_UNKNOWN");
        assert_int_equal(ornd_err_class(e), ORND_CLASS_CONFIG);
#if ORND_CONFIG_ERROR_STRINGS
        assert_string_equal(ornd_strerror(e), "unknown error");
#else
        assert_string_equal(ornd_strerror(e), "ORND_ERR_UNKNOWN");
#endif
    }
    ornd_err_t other = (ornd_err_t)7;
    assert_string_equal(ornd_errname(other), "ORND_OK");
    assert_int_equal(ornd_err_class(other), ORND_CLASS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_its_name_text_and_class),
        cmocka_unit_test(success_and_in_progress),
        cmocka_unit_test(codes_not_in_the_list),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
