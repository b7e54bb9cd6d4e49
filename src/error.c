/* SPDX-License-Identifier: MIT */
/* Error strings and classes, generated from the single list in ornd/error.h. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/error.h"

#include <stddef.h>

#include "ornd/config.h"

typedef struct {
    int code;
    ornd_err_class_t cls;
    const char *name;
#if ORND_CONFIG_ERROR_STRINGS
    const char *msg;
#endif
} err_entry_t;

#if ORND_CONFIG_ERROR_STRINGS
#define ORND_X_ENTRY(code, value, cls, msg) {(value), ORND_CLASS_##cls, #code, (msg)},
#else
#define ORND_X_ENTRY(code, value, cls, msg) {(value), ORND_CLASS_##cls, #code},
#endif
static const err_entry_t err_table[] = {ORND_ERROR_LIST(ORND_X_ENTRY)};
#undef ORND_X_ENTRY

static const err_entry_t *err_find(ornd_err_t err)
{
    for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++) {
        if (err_table[i].code == (int)err) {
            return &err_table[i];
        }
    }
    return NULL;
}

const char *ornd_strerror(ornd_err_t err)
{
#if ORND_CONFIG_ERROR_STRINGS
    if (err == ORND_IN_PROGRESS) {
        return "in progress";
    }
    if ((int)err >= 0) {
        return "success";
    }
    const err_entry_t *e = err_find(err);
    return e != NULL ? e->msg : "unknown error";
#else
    return ornd_errname(err);
#endif
}

const char *ornd_errname(ornd_err_t err)
{
    if (err == ORND_IN_PROGRESS) {
        return "ORND_IN_PROGRESS";
    }
    if ((int)err >= 0) {
        return "ORND_OK";
    }
    const err_entry_t *e = err_find(err);
    return e != NULL ? e->name : "ORND_ERR_UNKNOWN";
}

ornd_err_class_t ornd_err_class(ornd_err_t err)
{
    if ((int)err >= 0) {
        return ORND_CLASS_OK;
    }
    const err_entry_t *e = err_find(err);
    return e != NULL ? e->cls : ORND_CLASS_CONFIG;
}
