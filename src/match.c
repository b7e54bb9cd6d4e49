/* SPDX-License-Identifier: MIT */
/*
 * Field matcher over the streaming JSON scanner (see ornd/match.h).
 *
 * The position of the current token in the document is a sequence of steps,
 * one per open container: a member name inside an object, "[]" inside an
 * array. Paths are linear, so for each path it is enough to remember how many
 * leading steps of the current position agree with it (`matched`): going one
 * level deeper can add one step, going back up cuts `matched` to the new
 * length, and a new member name replaces the last step. A value matches a
 * path when the position has exactly the path's steps and all of them agree.
 *
 * A member name arriving in fragments is compared on the fly against the
 * names of the paths that could use it; `key_alive` keeps one bit per path
 * still in agreement, and a name that runs past a path's name drops that
 * path, so that nothing ever matches by prefix.
 */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/match.h"

#include <string.h>

#include "ornd/error.h"

/* ---- paths ------------------------------------------------------------- */

static bool is_name_byte(char c)
{
    return c != '\0' && c != '.' && c != '[' && c != ']';
}

static int add_step(ornd_match_path_t *p, size_t off, size_t len)
{
    if (p->nsteps >= ORND_CONFIG_MATCH_STEPS_MAX || off > 0xFFFFu) {
        return ORND_ERR_CONFIG_TOO_LONG;
    }
    p->step[p->nsteps].off = (uint16_t)off;
    p->step[p->nsteps].len = (uint8_t)len;
    p->nsteps++;
    return ORND_OK;
}

/* Reads the name starting at s[*i]; *i ends after it. */
static int parse_name(ornd_match_path_t *p, const char *s, size_t *i)
{
    size_t start = *i;
    while (is_name_byte(s[*i])) {
        (*i)++;
    }
    size_t len = *i - start;
    if (len == 0) {
        return ORND_ERR_MATCH_PATH;
    }
    if (len > ORND_CONFIG_MATCH_NAME_MAX) {
        return ORND_ERR_CONFIG_TOO_LONG;
    }
    return add_step(p, start, len);
}

/* path = (name / "[]") *("." name / "[]") */
static int parse_path(ornd_match_path_t *p, const char *s)
{
    size_t i = 0;
    memset(p, 0, sizeof *p);
    p->text = s;
    do {
        int rc;
        if (s[i] == '[') {
            if (s[i + 1] != ']') {
                return ORND_ERR_MATCH_PATH;
            }
            rc = add_step(p, i, 0);
            i += 2;
        } else {
            if (i > 0) {
                if (s[i] != '.') {
                    return ORND_ERR_MATCH_PATH;
                }
                i++;
            }
            rc = parse_name(p, s, &i);
        }
        if (rc != ORND_OK) {
            return rc;
        }
    } while (s[i] != '\0');
    return ORND_OK;
}

static bool same_step(const ornd_match_path_t *a, const ornd_match_path_t *b, unsigned k)
{
    const ornd_match_step_t *x = &a->step[k];
    const ornd_match_step_t *y = &b->step[k];
    return x->len == y->len && memcmp(a->text + x->off, b->text + y->off, x->len) == 0;
}

/* Whether an earlier path has the same first k+1 steps as path i. */
static bool prefix_seen(const ornd_match_t *m, unsigned i, unsigned k)
{
    for (unsigned j = 0; j < i; j++) {
        const ornd_match_path_t *o = &m->path[j];
        unsigned s = 0;
        while (o->nsteps > k && s <= k && same_step(o, &m->path[i], s)) {
            s++;
        }
        if (s > k) {
            return true;
        }
    }
    return false;
}

/* Each prefix ending in "[]" reports its elements through the first path
 * that has it. */
static void find_element_leads(ornd_match_t *m)
{
    for (unsigned i = 0; i < m->npaths; i++) {
        ornd_match_path_t *p = &m->path[i];
        for (unsigned k = 0; k < p->nsteps; k++) {
            if (p->step[k].len == 0 && !prefix_seen(m, i, k)) {
                p->elem_lead |= 1u << k;
            }
        }
    }
}

ornd_err_t ornd_match_init(ornd_match_t *m, const char *const *paths, size_t count,
                           ornd_match_cb_t cb, void *user)
{
    if (m == NULL) {
        return ORND_ERR_ARG;
    }
    memset(m, 0, sizeof *m);
    m->cb = cb;
    m->user = user;
    ornd_json_init(&m->json, ornd_match_on_json, m);
    int rc = ORND_OK;
    if (paths == NULL || cb == NULL || count == 0) {
        rc = ORND_ERR_ARG;
    } else if (count > ORND_CONFIG_MATCH_PATHS_MAX) {
        rc = ORND_ERR_CONFIG_TOO_LONG;
    }
    for (size_t i = 0; rc == ORND_OK && i < count; i++) {
        rc = paths[i] == NULL ? ORND_ERR_ARG : parse_path(&m->path[i], paths[i]);
    }
    if (rc != ORND_OK) {
        m->err = rc;
        return rc;
    }
    m->npaths = (uint8_t)count;
    find_element_leads(m);
    return ORND_OK;
}

void ornd_match_reset(ornd_match_t *m)
{
    ornd_json_init(&m->json, ornd_match_on_json, m);
    m->key_pos = 0;
    m->key_alive = 0;
    m->hit = 0;
    for (unsigned i = 0; i < m->npaths; i++) {
        m->path[i].matched = 0;
    }
}

ornd_err_t ornd_match_feed(ornd_match_t *m, const uint8_t *data, size_t len)
{
    if (m == NULL) {
        return ORND_ERR_ARG;
    }
    return m->err != ORND_OK ? m->err : ornd_json_feed(&m->json, data, len);
}

ornd_err_t ornd_match_finish(ornd_match_t *m)
{
    if (m == NULL) {
        return ORND_ERR_ARG;
    }
    return m->err != ORND_OK ? m->err : ornd_json_finish(&m->json);
}

/* ---- events ------------------------------------------------------------ */

static int deliver(ornd_match_t *m, const ornd_match_event_t *ev)
{
    int rc = m->cb(m->user, ev);
    return rc < 0 ? rc : ORND_OK;
}

static int deliver_value(ornd_match_t *m, uint32_t paths, ornd_match_type_t type,
                         const ornd_json_event_t *jev, bool first, bool last)
{
    ornd_match_event_t ev = {ORND_MATCH_VALUE, 0, type, jev->data, jev->len, first, last, 0};
    if (ev.data == NULL) {
        ev.data = "";
        ev.len = 0;
    }
    for (unsigned i = 0; i < m->npaths; i++) {
        if ((paths >> i & 1u) != 0) {
            ev.path = i;
            int rc = deliver(m, &ev);
            if (rc != ORND_OK) {
                return rc;
            }
        }
    }
    return ORND_OK;
}

/* Paths whose steps are exactly those of a value at `depth`. */
static uint32_t paths_at(const ornd_match_t *m, unsigned depth)
{
    uint32_t hit = 0;
    for (unsigned i = 0; i < m->npaths; i++) {
        const ornd_match_path_t *p = &m->path[i];
        if (p->nsteps == depth && p->matched == depth) {
            hit |= 1u << i;
        }
    }
    return hit;
}

/* A value at `depth` begins or ends: if it is an element named by a path
 * prefix, its leading path reports it. */
static int element_mark(ornd_match_t *m, unsigned depth, ornd_match_kind_t kind)
{
    if (depth == 0) {
        return ORND_OK;
    }
    for (unsigned i = 0; i < m->npaths; i++) {
        const ornd_match_path_t *p = &m->path[i];
        if (p->matched >= depth && depth <= p->nsteps && (p->elem_lead >> (depth - 1u) & 1u) != 0) {
            ornd_match_event_t ev = {kind, i, ORND_MATCH_NULL, "", 0, false, false, depth};
            return deliver(m, &ev);
        }
    }
    return ORND_OK;
}

/* The position is back to `depth` steps. */
static void cut_to(ornd_match_t *m, unsigned depth)
{
    for (unsigned i = 0; i < m->npaths; i++) {
        if (m->path[i].matched > depth) {
            m->path[i].matched = (uint8_t)depth;
        }
    }
}

static void key_begins(ornd_match_t *m, unsigned depth)
{
    unsigned k = depth - 1u; /* the step this name fills */
    cut_to(m, k);
    m->key_pos = 0;
    m->key_alive = 0;
    for (unsigned i = 0; i < m->npaths; i++) {
        const ornd_match_path_t *p = &m->path[i];
        if (p->matched == k && p->nsteps > k && p->step[k].len != 0) {
            m->key_alive |= 1u << i;
        }
    }
}

static void on_key(ornd_match_t *m, const ornd_json_event_t *ev)
{
    unsigned k = ev->depth - 1u;
    if (ev->first) {
        key_begins(m, ev->depth);
    }
    for (unsigned i = 0; i < m->npaths && m->key_alive != 0; i++) {
        const ornd_match_path_t *p = &m->path[i];
        if ((m->key_alive >> i & 1u) == 0) {
            continue;
        }
        const ornd_match_step_t *s = &p->step[k];
        if (ev->len > (size_t)s->len - m->key_pos ||
            memcmp(p->text + s->off + m->key_pos, ev->data, ev->len) != 0) {
            m->key_alive &= ~(1u << i);
        } else if (ev->last && m->key_pos + ev->len == s->len) {
            m->path[i].matched = (uint8_t)ev->depth;
        }
    }
    if (m->key_alive != 0) {
        /* every live path's name is at least this long, so it fits */
        m->key_pos = (uint16_t)(m->key_pos + ev->len);
    }
}

static int on_fragment(ornd_match_t *m, const ornd_json_event_t *ev, ornd_match_type_t type)
{
    int rc = ORND_OK;
    if (ev->first) {
        rc = element_mark(m, ev->depth, ORND_MATCH_ELEMENT_BEGIN);
        m->hit = paths_at(m, ev->depth);
    }
    if (rc == ORND_OK && m->hit != 0) {
        rc = deliver_value(m, m->hit, type, ev, ev->first, ev->last);
    }
    if (rc == ORND_OK && ev->last) {
        rc = element_mark(m, ev->depth, ORND_MATCH_ELEMENT_END);
    }
    return rc;
}

static int on_literal(ornd_match_t *m, const ornd_json_event_t *ev, ornd_match_type_t type,
                      const char *text)
{
    int rc = element_mark(m, ev->depth, ORND_MATCH_ELEMENT_BEGIN);
    uint32_t hit = paths_at(m, ev->depth);
    if (rc == ORND_OK && hit != 0) {
        ornd_json_event_t lit = *ev;
        lit.data = text;
        lit.len = strlen(text);
        rc = deliver_value(m, hit, type, &lit, true, true);
    }
    return rc != ORND_OK ? rc : element_mark(m, ev->depth, ORND_MATCH_ELEMENT_END);
}

static int on_begin(ornd_match_t *m, const ornd_json_event_t *ev, ornd_match_type_t type)
{
    unsigned d = ev->depth;
    int rc = element_mark(m, d, ORND_MATCH_ELEMENT_BEGIN);
    uint32_t hit = paths_at(m, d);
    if (rc == ORND_OK && hit != 0) {
        rc = deliver_value(m, hit, type, ev, true, true);
    }
    if (type == ORND_MATCH_ARRAY) {
        /* every element of this array takes the step "[]" */
        for (unsigned i = 0; i < m->npaths; i++) {
            ornd_match_path_t *p = &m->path[i];
            if (p->matched == d && p->nsteps > d && p->step[d].len == 0) {
                p->matched = (uint8_t)(d + 1u);
            }
        }
    }
    return rc;
}

static int on_end(ornd_match_t *m, const ornd_json_event_t *ev)
{
    cut_to(m, ev->depth);
    return element_mark(m, ev->depth, ORND_MATCH_ELEMENT_END);
}

ornd_err_t ornd_match_on_json(void *user, const ornd_json_event_t *ev)
{
    ornd_match_t *m = user;
    switch (ev->type) {
    case ORND_JSON_KEY:
        on_key(m, ev);
        return ORND_OK;
    case ORND_JSON_STRING:
        return on_fragment(m, ev, ORND_MATCH_STRING);
    case ORND_JSON_NUMBER:
        return on_fragment(m, ev, ORND_MATCH_NUMBER);
    case ORND_JSON_TRUE:
        return on_literal(m, ev, ORND_MATCH_TRUE, "true");
    case ORND_JSON_FALSE:
        return on_literal(m, ev, ORND_MATCH_FALSE, "false");
    case ORND_JSON_NULL:
        return on_literal(m, ev, ORND_MATCH_NULL, "null");
    case ORND_JSON_OBJECT_BEGIN:
        return on_begin(m, ev, ORND_MATCH_OBJECT);
    case ORND_JSON_ARRAY_BEGIN:
        return on_begin(m, ev, ORND_MATCH_ARRAY);
    case ORND_JSON_OBJECT_END:
    case ORND_JSON_ARRAY_END:
        return on_end(m, ev);
    default:
        return ORND_OK;
    }
}

/* ---- capture ----------------------------------------------------------- */

void ornd_match_capture_init(ornd_match_capture_t *c, char *buf, size_t size)
{
    memset(c, 0, sizeof *c);
    c->buf = buf;
    c->size = buf != NULL ? size : 0u;
    if (c->size > 0) {
        buf[0] = '\0';
    }
}

static int capture_overflow(ornd_match_capture_t *c)
{
    c->too_long = true;
    c->found = false;
    c->len = 0;
    if (c->size > 0) {
        c->buf[0] = '\0';
    }
    return ORND_ERR_MATCH_TOO_LONG;
}

ornd_err_t ornd_match_capture(ornd_match_capture_t *c, const ornd_match_event_t *ev)
{
    if (c == NULL || ev == NULL) {
        return ORND_ERR_ARG;
    }
    if (ev->kind != ORND_MATCH_VALUE) {
        return ORND_OK;
    }
    if (ev->first) {
        c->len = 0;
        c->found = false;
        c->too_long = false;
        c->type = ev->type;
    } else if (c->too_long) {
        return ORND_ERR_MATCH_TOO_LONG;
    }
    if (c->size == 0 || ev->len > c->size - 1u - c->len) {
        return capture_overflow(c);
    }
    if (ev->len > 0) {
        memcpy(c->buf + c->len, ev->data, ev->len);
    }
    c->len += ev->len;
    c->buf[c->len] = '\0';
    c->found = ev->last;
    return ORND_OK;
}
