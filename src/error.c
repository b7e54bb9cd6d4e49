/* Error strings and classes, generated from the single list in ornd/error.h. */
#include "ornd/error.h"

#include <stddef.h>

typedef struct {
    int code;
    ornd_err_class_t cls;
    const char *name;
    const char *msg;
} err_entry_t;

static const err_entry_t err_table[] = {
#define ORND_X_ENTRY(code, value, cls, msg) {(value), ORND_CLASS_##cls, #code, (msg)},
    ORND_ERROR_LIST(ORND_X_ENTRY)
#undef ORND_X_ENTRY
};

static const err_entry_t *err_find(int err)
{
    for (size_t i = 0; i < sizeof err_table / sizeof err_table[0]; i++) {
        if (err_table[i].code == err) {
            return &err_table[i];
        }
    }
    return NULL;
}

const char *ornd_strerror(int err)
{
    if (err == ORND_IN_PROGRESS) {
        return "in progress";
    }
    if (err >= 0) {
        return "success";
    }
    const err_entry_t *e = err_find(err);
    return e != NULL ? e->msg : "unknown error";
}

const char *ornd_errname(int err)
{
    if (err == ORND_IN_PROGRESS) {
        return "ORND_IN_PROGRESS";
    }
    if (err >= 0) {
        return "ORND_OK";
    }
    const err_entry_t *e = err_find(err);
    return e != NULL ? e->name : "ORND_ERR_UNKNOWN";
}

ornd_err_class_t ornd_err_class(int err)
{
    if (err >= 0) {
        return ORND_CLASS_OK;
    }
    const err_entry_t *e = err_find(err);
    return e != NULL ? e->cls : ORND_CLASS_CONFIG;
}
