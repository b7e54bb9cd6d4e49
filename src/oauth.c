/* SPDX-License-Identifier: MIT */
/* Token request writer and token answer interpretation (RFC 6749 §4.4, §5). */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/oauth.h"
#include "ornd/core/http_writer.h"
#include "ornd/core/text.h"

#include <string.h>

#include "ascii.h"
#include "ornd/error.h"

/* ---- request ------------------------------------------------------------- */

ornd_err_t ornd_oauth_write_request(ornd_buf_t *b, const ornd_oauth_request_t *req)
{
    static const char grant[] = "client_credentials";
    ornd_form_field_t fields[] = {
        {"client_id", req->client_id, req->client_id_len},
        {"client_secret", req->client_secret, req->client_secret_len},
        {"grant_type", (const uint8_t *)grant, sizeof grant - 1u},
        {"scope", (const uint8_t *)req->scope, req->scope_len},
    };
    size_t count = req->scope_len > 0 ? 4u : 3u;
    static const char *const headers[] = {"Connection: close"};
    ornd_http_request_t head = {
        .method = "POST",
        .host = req->host,
        .port = req->port,
        .target = req->path,
        .content_type = "application/x-www-form-urlencoded",
        .content_length = ornd_form_length(fields, count),
        .headers = headers,
        .header_count = 1,
    };
    const size_t start = b->len;
    ornd_err_t rc = ornd_http_write_head(b, &head);
    if (rc == ORND_OK) {
        ornd_form_write(b, fields, count);
        rc = b->err;
    }
    if (rc != ORND_OK) {
        b->len = start; /* the request whole or nothing of it */
    }
    return rc;
}

/* ---- answer: members we know ------------------------------------------ */

enum {
    F_NONE = 0,
    /* 200 answer */
    F_ACCESS_TOKEN,
    F_TOKEN_TYPE,
    F_EXPIRES_IN,
    F_SCOPE,
    /* error answer */
    F_ERROR,
    F_ERROR_DESCRIPTION,
    F_MESSAGE,
};

static bool is_success(const ornd_oauth_parser_t *p)
{
    return p->http.status == 200;
}

/* Names as a list of length-prefixed strings, ended by a zero length. */
static const char member_names[] = /* in the order of the F_ ids, from F_ACCESS_TOKEN */
    "\014access_token\012token_type\012expires_in\005scope"
    "\005error\021error_description\007message";
static const char error_names[] = /* from ORND_ERR_OAUTH_INVALID_REQUEST down */
    "\017invalid_request\016invalid_client\015invalid_grant"
    "\023unauthorized_client\026unsupported_grant_type\015invalid_scope";
_Static_assert(ORND_ERR_OAUTH_INVALID_SCOPE == ORND_ERR_OAUTH_INVALID_REQUEST - 5 &&
                   ORND_ERR_OAUTH_REJECTED == ORND_ERR_OAUTH_INVALID_REQUEST - 6,
               "error_names follows the order of the codes");

/* Index of s[0..n) in a list of names, or the number of names. */
static unsigned name_index(const char *list, const char *s, size_t n)
{
    unsigned i = 0;
    for (; *list != '\0'; list += (uint8_t)*list + 1u, i++) {
        if ((uint8_t)*list == n && memcmp(list + 1, s, n) == 0) {
            break;
        }
    }
    return i;
}

static uint8_t lookup_field(const ornd_oauth_parser_t *p)
{
    if (p->key_long) {
        return F_NONE;
    }
    const unsigned id = F_ACCESS_TOKEN + name_index(member_names, p->key, p->key_len);
    /* a 200 answer's members in a 200 answer, an error's in an error */
    return id <= F_MESSAGE && (id <= F_SCOPE) == is_success(p) ? (uint8_t)id : F_NONE;
}

/* ---- answer: 200 fields -------------------------------------------------- */

static int take_token(ornd_oauth_parser_t *p, const char *s, size_t n)
{
    ornd_token_t *t = p->token;
    const size_t room = ORND_CONFIG_TOKEN_MAX - t->len;
    const size_t k = n < room ? n : room;
    bool pad = t->len > 0 && t->value[t->len - 1u] == '=';
    /* the first fault found is the first in the text: characters up to the
     * limit, then the limit */
    for (size_t i = 0; i < k; i++) {
        const uint8_t c = (uint8_t)s[i];
        if (!ornd_byte_is(c, ORND_BYTE_B64)) { /* RFC 6750 b64token */
            return ORND_ERR_TOKEN_CHARS;
        }
        if (c == '=') {
            pad = true;
        } else if (pad) {
            return ORND_ERR_TOKEN_CHARS; /* only '=' after the first '=' */
        }
    }
    if (k < n) {
        return ORND_ERR_TOKEN_TOO_LARGE;
    }
    memcpy(t->value + t->len, s, k);
    t->len += k;
    t->value[t->len] = '\0';
    return ORND_OK;
}

static int take_token_type(ornd_oauth_parser_t *p, const char *s, size_t n)
{
    static const char bearer[] = "bearer";
    for (size_t i = 0; i < n; i++) {
        char c = (char)ornd_ascii_lower((uint8_t)s[i]);
        if (p->type_len >= sizeof bearer - 1u || c != bearer[p->type_len]) {
            p->type_ok = false;
        }
        if (p->type_len < UINT8_MAX) {
            p->type_len++;
        }
    }
    return ORND_OK;
}

static int take_expires(ornd_oauth_parser_t *p, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            p->expires_bad = true; /* sign, fraction or exponent */
            continue;
        }
        uint32_t d = (uint32_t)(s[i] - '0');
        p->expires = p->expires > (UINT32_MAX - d) / 10u ? UINT32_MAX : p->expires * 10u + d;
    }
    return ORND_OK;
}

bool ornd_oauth_scope_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const unsigned char ch = (unsigned char)s[i];
        const bool space = ch == ' ';
        const bool bad_space = space && (i == 0 || i + 1u == n || s[i - 1u] == ' ');
        if (bad_space || (!space && (ch < 0x21u || ch > 0x7eu || ch == '"' || ch == '\\'))) {
            return false;
        }
    }
    return true;
}

/* The granted scope, checked like a requested one once it is whole. */
static int take_scope(ornd_oauth_parser_t *p, const char *s, size_t n, bool last)
{
    ornd_token_t *t = p->token;
    if (n > ORND_CONFIG_SCOPE_MAX - t->scope_len) {
        return ORND_ERR_TOKEN_FIELD;
    }
    memcpy(t->scope + t->scope_len, s, n);
    t->scope_len += n;
    t->scope[t->scope_len] = '\0';
    t->has_scope = true;
    if (last && !ornd_oauth_scope_valid(t->scope, t->scope_len)) {
        return ORND_ERR_TOKEN_SCOPE;
    }
    return ORND_OK;
}

/* Per 200 member (F_ACCESS_TOKEN..F_SCOPE): the JSON types it may have, a
 * bit each, and the error when it has another. */
#define T(type) (1u << (type))
static const struct {
    uint16_t types;
    int8_t err;
} member_rule[] = {
    {T(ORND_JSON_STRING), ORND_ERR_TOKEN_FIELD},
    {T(ORND_JSON_STRING), ORND_ERR_TOKEN_TYPE},
    {T(ORND_JSON_NUMBER) | T(ORND_JSON_NULL), ORND_ERR_TOKEN_EXPIRES},
    {T(ORND_JSON_STRING) | T(ORND_JSON_NULL), ORND_ERR_TOKEN_FIELD},
};

static int success_type_error(uint8_t field, ornd_json_type_t type)
{
    const unsigned i = (unsigned)field - F_ACCESS_TOKEN;
    return (member_rule[i].types & T(type)) != 0u ? ORND_OK : member_rule[i].err;
}
#undef T

static int success_value(ornd_oauth_parser_t *p, const ornd_json_event_t *ev)
{
    int rc = success_type_error(p->field, ev->type);
    if (rc != ORND_OK) {
        return rc;
    }
    if (ev->type == ORND_JSON_NULL) {
        p->seen &= (uint8_t) ~(1u << p->field); /* null: as if absent */
        return ORND_OK;
    }
    switch (p->field) {
    case F_ACCESS_TOKEN:
        return take_token(p, ev->data, ev->len);
    case F_TOKEN_TYPE:
        return take_token_type(p, ev->data, ev->len);
    case F_EXPIRES_IN:
        return take_expires(p, ev->data, ev->len);
    default:
        return take_scope(p, ev->data, ev->len, ev->last);
    }
}

/* ---- answer: error fields ----------------------------------------------- */

static void error_value(ornd_oauth_parser_t *p, const ornd_json_event_t *ev)
{
    ornd_server_error_t *s = p->server;
    if (ev->type != ORND_JSON_STRING) {
        return; /* already an error answer: odd types are not worth another */
    }
    if (p->field == F_ERROR) {
        p->error_len = (uint16_t)ornd_text_keep(s->error, sizeof s->error, p->error_len, ev->data,
                                                ev->len, &s->error_truncated);
        return;
    }
    /* error_description wins over message. */
    bool desc = p->field == F_ERROR_DESCRIPTION;
    if (ev->first && (desc || !(p->seen & (1u << F_ERROR_DESCRIPTION)))) {
        s->text[0] = '\0';
        s->text_truncated = false;
        p->text_len = 0;
        p->json_text = true;
    }
    if (!desc && (p->seen & (1u << F_ERROR_DESCRIPTION))) {
        return;
    }
    p->text_len = (uint16_t)ornd_text_keep(s->text, sizeof s->text, p->text_len, ev->data, ev->len,
                                           &s->text_truncated);
}

/* ---- answer: JSON events --------------------------------------------- */

static void take_key(ornd_oauth_parser_t *p, const ornd_json_event_t *ev)
{
    if (ev->first) {
        p->key_len = 0;
        p->key_long = false;
    }
    if (ev->len > sizeof p->key - p->key_len) {
        p->key_long = true;
    } else {
        memcpy(p->key + p->key_len, ev->data, ev->len);
        p->key_len = (uint8_t)(p->key_len + ev->len);
    }
    if (ev->last) {
        p->field = lookup_field(p);
    }
}

/* The event begins a member's value. Keys never come here, and a
 * container's end neither: its begin already ended the member (value_over). */
static bool is_value_start(const ornd_json_event_t *ev)
{
    return (ev->type != ORND_JSON_STRING && ev->type != ORND_JSON_NUMBER) || ev->first;
}

static int on_json(void *user, const ornd_json_event_t *ev)
{
    ornd_oauth_parser_t *p = user;
    if (ev->depth != 1u) {
        return ORND_OK; /* the top-level container itself, or nested values */
    }
    if (ev->type == ORND_JSON_KEY) {
        take_key(p, ev);
        return ORND_OK;
    }
    if (p->field == F_NONE || p->field_err != ORND_OK) {
        return ORND_OK;
    }
    int rc = ORND_OK;
    if (is_value_start(ev)) {
        uint8_t bit = (uint8_t)(1u << p->field);
        if (p->seen & bit) {
            /* a repeated member: refused in a token, ignored in an error */
            rc = is_success(p) ? ORND_ERR_TOKEN_FIELD : ORND_OK;
            p->field = F_NONE;
        }
        p->seen |= bit;
    }
    if (p->field != F_NONE) {
        if (is_success(p)) {
            rc = success_value(p, ev);
        } else {
            error_value(p, ev);
        }
        bool value_over =
            (ev->type != ORND_JSON_STRING && ev->type != ORND_JSON_NUMBER) || ev->last;
        if (value_over) {
            p->field = F_NONE;
        }
    }
    if (rc != ORND_OK) {
        /* Kept, not returned: the body is read on, so a syntax error later in
         * it wins, whatever the size of the pieces the values came in. */
        p->field_err = rc;
        p->field = F_NONE;
    }
    return ORND_OK;
}

/* ---- answer: HTTP body --------------------------------------------------- */

/* Keep the start of an error body as text, in case it is not JSON. */
static void capture_raw(ornd_oauth_parser_t *p, const uint8_t *data, size_t len)
{
    p->raw_len = ornd_text_keep(p->raw, sizeof p->raw, p->raw_len, data, len, &p->raw_truncated);
}

static ornd_err_t on_body(void *user, const uint8_t *data, size_t len)
{
    ornd_oauth_parser_t *p = user;
    if (!is_success(p)) {
        capture_raw(p, data, len);
    }
    if (p->json_err != ORND_OK) {
        return ORND_OK;
    }
    int rc = ornd_json_feed(&p->json, data, len);
    if (rc == ORND_OK) {
        return ORND_OK;
    }
    p->json_err = rc;
    /* A 200 answer must be valid JSON; an error answer may be anything. */
    return is_success(p) ? (ornd_err_t)rc : ORND_OK;
}

/* ---- answer: outcome ----------------------------------------------------- */

static int success_result(ornd_oauth_parser_t *p)
{
    ornd_token_t *t = p->token;
    if (!(p->seen & (1u << F_ACCESS_TOKEN)) || t->len == 0) {
        return ORND_ERR_TOKEN_MISSING;
    }
    if (!(p->seen & (1u << F_TOKEN_TYPE)) || !p->type_ok || p->type_len != 6u) {
        return ORND_ERR_TOKEN_TYPE;
    }
    uint32_t expires = ORND_CONFIG_DEFAULT_EXPIRES_S;
    if (p->seen & (1u << F_EXPIRES_IN)) {
        if (p->expires_bad || p->expires == 0) {
            return ORND_ERR_TOKEN_EXPIRES; /* present: a positive integer */
        }
        expires = p->expires;
    }
    t->expires_in_s = expires > ORND_CONFIG_MAX_EXPIRES_S ? ORND_CONFIG_MAX_EXPIRES_S : expires;
    return ORND_OK;
}

/*
 * The answer failed (broken HTTP or JSON): whatever its members seemed to
 * say is dropped, the partial token included, and the start of an error body
 * is the text. Deciding this once, at the end, keeps the outcome independent
 * of how the stream was cut into pieces.
 */
static void drop_json_fields(ornd_oauth_parser_t *p)
{
    ornd_server_error_t *s = p->server;
    p->raw_len = ornd_text_clean(p->raw, p->raw_len, p->raw_truncated); /* the text is whole */
    memset(p->token, 0, sizeof *p->token);
    s->error[0] = '\0';
    s->error_truncated = false;
    p->error_len = 0;
    memcpy(s->text, p->raw, p->raw_len + 1u);
    s->text_truncated = p->raw_truncated;
    p->text_len = (uint16_t)p->raw_len;
}

static int error_result(ornd_oauth_parser_t *p)
{
    ornd_server_error_t *s = p->server;
    int status = p->http.status;
    if (p->json_err != ORND_OK) {
        drop_json_fields(p);
    } else if (!p->json_text) {
        /* Valid JSON with neither description nor message: the code says it all. */
        s->text[0] = '\0';
        s->text_truncated = false;
        p->text_len = 0;
    }
    /* the texts are whole: cleaned once, by the one rule */
    p->error_len = (uint16_t)ornd_text_clean(s->error, p->error_len, s->error_truncated);
    p->text_len = (uint16_t)ornd_text_clean(s->text, p->text_len, s->text_truncated);
    if (status == 400 || status == 401 || status == 403) {
        return ORND_ERR_OAUTH_INVALID_REQUEST -
               (int)name_index(error_names, s->error, p->error_len);
    }
    if (status == 429) {
        return ORND_ERR_RATE_LIMITED;
    }
    if (status >= 500 && status <= 599) {
        return ORND_ERR_UNAVAILABLE;
    }
    return ORND_ERR_HTTP_STATUS;
}

/* The answer cannot be read to its end: settle on `rc` for good. When the
 * final status already said no (400/401/403, 429, 5xx), the status decides
 * the outcome: an odd head or body behind it does not make it "malformed". */

/* The response is complete: settle the outcome once. */
static int complete(ornd_oauth_parser_t *p)
{
    ornd_server_error_t *s = p->server;
    s->http_status = p->http.status;
    s->has_retry_after = p->http.has_retry_after;
    s->retry_after_s = p->http.retry_after_s;
    if (p->json_err == ORND_OK) {
        p->json_err = ornd_json_finish(&p->json);
    }
    if (is_success(p)) {
        p->err = p->json_err != ORND_OK    ? p->json_err
                 : p->field_err != ORND_OK ? p->field_err
                                           : success_result(p);
        if (p->err != ORND_OK) {
            drop_json_fields(p);
        }
    } else {
        p->err = error_result(p);
    }
    return p->err;
}

/* The answer cannot be read to its end: settle on `rc` for good (its texts
 * from the start of the body). When the final status already said no
 * (400/401/403, 429, 5xx), the status decides the outcome: an odd head or
 * body behind it (a fault of the HTTP reader, -40..-49, or a close-delimited
 * body cut without close_notify) does not make it "malformed". */
static int fail(ornd_oauth_parser_t *p, int rc)
{
    const bool answer_fault =
        (rc <= ORND_ERR_HTTP_STATUS_LINE && rc >= ORND_ERR_HTTP_STATUS) || rc == ORND_ERR_TRUNCATED;
    p->json_err = rc; /* as for a body that is not JSON */
    const int by_status = complete(p);
    p->err =
        answer_fault && p->http.status != 200 && by_status != ORND_ERR_HTTP_STATUS ? by_status : rc;
    return p->err;
}

void ornd_oauth_parser_init(ornd_oauth_parser_t *p, ornd_token_t *token,
                            ornd_server_error_t *server)
{
    memset(p, 0, sizeof *p);
    memset(token, 0, sizeof *token);
    memset(server, 0, sizeof *server);
    p->token = token;
    p->server = server;
    p->type_ok = true;
    ornd_json_init(&p->json, on_json, p);
    ornd_http_reader_cfg_t cfg = {
        .on_body = on_body,
        .user = p,
        .head_request = false,
        .body_max = ORND_CONFIG_TOKEN_BODY_MAX,
    };
    ornd_http_reader_init(&p->http, &cfg);
}

ornd_err_t ornd_oauth_feed(ornd_oauth_parser_t *p, const uint8_t *data, size_t len)
{
    if (p->err != ORND_OK || p->done) {
        return (ornd_err_t)p->err;
    }
    size_t used = 0;
    ornd_err_t rc = ornd_http_reader_feed(&p->http, data, len, &used);
    if (rc != ORND_OK) {
        return (ornd_err_t)fail(p, rc);
    }
    if (!ornd_http_reader_complete(&p->http)) {
        return ORND_OK;
    }
    /* The response is framed: its outcome is settled here. Bytes after it
     * (used < len) are not part of it and are left unread, so the outcome
     * never depends on how the stream happened to be cut into reads. */
    p->done = true;
    return (ornd_err_t)complete(p);
}

ornd_err_t ornd_oauth_eof(ornd_oauth_parser_t *p, bool clean)
{
    if (p->err != ORND_OK || p->done) {
        return (ornd_err_t)p->err;
    }
    ornd_err_t rc = ornd_http_reader_eof(&p->http, clean);
    if (rc != ORND_OK) {
        return (ornd_err_t)fail(p, rc);
    }
    p->done = true;
    return (ornd_err_t)complete(p);
}

bool ornd_oauth_complete(const ornd_oauth_parser_t *p)
{
    return p->done;
}

ornd_err_t ornd_oauth_result(const ornd_oauth_parser_t *p)
{
    return (ornd_err_t)p->err;
}
