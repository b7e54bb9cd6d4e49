/* SPDX-License-Identifier: MIT */
/* Token request writer and token answer interpretation (RFC 6749 §4.4, §5). */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/oauth.h"
#include "ornd/core/http_writer.h"
#include "ornd/core/text.h"

#include <string.h>

#include "ascii.h"
#include "compiler.h"
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
#define BIT(field) (1u << (field))

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
/* A member name too long for p->key is kept cut to sizeof p->key - 1 bytes,
 * longer than any name of ours: it matches none. */
_Static_assert(sizeof((ornd_oauth_parser_t *)0)->key > sizeof "error_description",
               "p->key holds every member name of ours and one byte more");

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

_Static_assert(F_ERROR == F_ACCESS_TOKEN + 4 && F_MESSAGE == F_ERROR + 2,
               "four 200 members, then three error members");
static uint8_t lookup_field(const ornd_oauth_parser_t *p)
{
    /* a 200 answer's members (the first four names) in a 200 answer, an
     * error's (the three after them) in an error */
    const unsigned i = name_index(member_names, p->key, p->key_len);
    const bool token = is_success(p);
    return i - (token ? 0u : 4u) < (token ? 4u : 3u) ? (uint8_t)(F_ACCESS_TOKEN + i) : F_NONE;
}

/* Append the fragment to the string dst[0..*len) in a buffer of `cap` bytes
 * (its NUL included), as much of it as fits; the first fragment of a string
 * starts it afresh. Returns true when some did not fit. Every string member,
 * and the member names, are taken by it. */
static bool keep(char *dst, size_t cap, size_t *len, const ornd_json_event_t *ev)
{
    if (ev->first) {
        *len = 0;
    }
    const size_t room = cap - 1u - *len;
    const size_t k = ev->len < room ? ev->len : room;
    memcpy(dst + *len, ev->data, k);
    *len += k;
    dst[*len] = '\0';
    return k < ev->len;
}

/* ---- answer: 200 fields -------------------------------------------------- */

/* Whatever a refused token answer left in the token is cleared at the end
 * (complete()), so the fields below are kept before they are checked. */

/* RFC 6750 b64token: b64 characters, then any number of '='. The first fault
 * is the first in the text: a character up to the limit, then the limit. */
static int take_token(ornd_token_t *t, const ornd_json_event_t *ev)
{
    size_t i = t->len;
    const bool cut = keep(t->value, sizeof t->value, &t->len, ev);
    for (; i < t->len; i++) {
        const uint8_t c = (uint8_t)t->value[i];
        if (!ornd_byte_is(c, ORND_BYTE_B64) || (c != '=' && i > 0 && t->value[i - 1u] == '=')) {
            return ORND_ERR_TOKEN_CHARS;
        }
    }
    return cut ? ORND_ERR_TOKEN_TOO_LARGE : ORND_OK;
}

/* expires_in, read into the token: the digits of a positive integer,
 * clamped to ORND_CONFIG_MAX_EXPIRES_S as they come (at most 2147483: ten
 * times it and a digit fit in 32 bits); EXPIRES_BAD once a sign, fraction or
 * exponent came. */
#define EXPIRES_BAD UINT32_MAX
_Static_assert(ORND_CONFIG_MAX_EXPIRES_S <= (UINT32_MAX - 9u) / 10u, "expires_in fits 32 bits");
static void take_expires(ornd_token_t *t, const ornd_json_event_t *ev)
{
    uint32_t v = t->expires_in_s;
    for (size_t i = 0; i < ev->len; i++) {
        const uint32_t d = (uint8_t)ev->data[i] - (uint32_t)'0';
        const uint32_t e = v * 10u + d;
        v = d > 9u || v == EXPIRES_BAD      ? EXPIRES_BAD
            : e < ORND_CONFIG_MAX_EXPIRES_S ? e
                                            : ORND_CONFIG_MAX_EXPIRES_S;
    }
    t->expires_in_s = v;
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

/* Per member, the error when its value has another JSON type than its own (a
 * number for expires_in, a string for every other): 0 for the error
 * members, whose odd values are passed over. */
static const int8_t wrong_type[] = {
    ORND_ERR_TOKEN_FIELD,
    ORND_ERR_TOKEN_TYPE,
    ORND_ERR_TOKEN_EXPIRES,
    ORND_ERR_TOKEN_FIELD,
    0,
    0,
    0,
};

/* ---- answer: JSON events --------------------------------------------- */

/* A known member's value begins: 1 to take it, else it is passed over and
 * the result (ORND_OK, or why a token answer is refused) is the answer's
 * field_err: no member was refused yet, or none would be read. Kept out of
 * on_json(): inlined, its tests are copied into each of the callback's
 * paths, a bigger function for the same work. */
ORND_NOINLINE static int value_begins(ornd_oauth_parser_t *p, unsigned field, ornd_json_type_t type)
{
    const unsigned bit = BIT(field);
    if (p->seen & bit) {
        /* a repeated member: refused in a token, ignored in an error */
        return field <= F_SCOPE ? ORND_ERR_TOKEN_FIELD : ORND_OK;
    }
    if (type == ORND_JSON_NULL && (field == F_EXPIRES_IN || field == F_SCOPE)) {
        return ORND_OK; /* as if absent */
    }
    /* error_description wins over message: a message after it is as if
     * repeated, and it replaces one before it */
    p->seen |= (uint8_t)(bit | (field == F_ERROR_DESCRIPTION ? BIT(F_MESSAGE) : 0u));
    if (type != (field == F_EXPIRES_IN ? ORND_JSON_NUMBER : ORND_JSON_STRING)) {
        return wrong_type[field - F_ACCESS_TOKEN];
    }
    return 1;
}

/* A fragment of a known member's value: ORND_OK, or why the token answer is
 * refused. */
static int take_value(ornd_oauth_parser_t *p, unsigned field, const ornd_json_event_t *ev)
{
    ornd_token_t *t = p->token;
    ornd_server_error_t *s = p->server;
    switch (field) {
    case F_ACCESS_TOKEN:
        return take_token(t, ev);
    case F_TOKEN_TYPE:
        /* "bearer" in any case: how much of it the type matched so far, or
         * 7 once it cannot be it. A letter with bit 5 set is its lower
         * case: each letter of "bearer" matches either case of itself only. */
        for (size_t i = 0; i < ev->len; i++) {
            const unsigned at = p->type_matched;
            p->type_matched =
                (uint8_t)(at < 6u && ((uint8_t)ev->data[i] | 0x20u) == (uint8_t) "bearer"[at]
                              ? at + 1u
                              : 7u);
        }
        return ORND_OK;
    case F_EXPIRES_IN:
        take_expires(t, ev);
        return ORND_OK;
    case F_SCOPE: /* checked like a requested one once it is whole */
        t->has_scope = true;
        if (keep(t->scope, sizeof t->scope, &t->scope_len, ev)) {
            return ORND_ERR_TOKEN_FIELD;
        }
        return ev->last && !ornd_oauth_scope_valid(t->scope, t->scope_len) ? ORND_ERR_TOKEN_SCOPE
                                                                           : ORND_OK;
    default: { /* error (the code), error_description, message (the text) */
        const bool code = field == F_ERROR;
        bool *cut = code ? &s->error_truncated : &s->text_truncated;
        if (ev->first) {
            *cut = false; /* (error_description after a message) */
        }
        *cut |= keep(code ? s->error : s->text, code ? sizeof s->error : sizeof s->text,
                     code ? &p->error_len : &p->text_len, ev);
        return ORND_OK;
    }
    }
}

static int on_json(void *user, const ornd_json_event_t *ev)
{
    ornd_oauth_parser_t *p = user;
    const unsigned field = p->field;
    if (ev->depth != 1u) {
        return ORND_OK; /* the top-level container itself, or nested values */
    }
    if (ev->type == ORND_JSON_KEY) {
        keep(p->key, sizeof p->key, &p->key_len, ev);
        /* after a refused member the answer is only read on to its end */
        if (ev->last && p->field_err == ORND_OK) {
            p->field = lookup_field(p);
        }
        return ORND_OK;
    }
    if (field == F_NONE) {
        return ORND_OK;
    }
    /* Keys never come here, and a container's end neither: its begin
     * already ended the member. */
    const bool text = ev->type == ORND_JSON_STRING || ev->type == ORND_JSON_NUMBER;
    if (!text || ev->last) {
        p->field = F_NONE; /* the value is over */
    }
    int rc = !text || ev->first ? value_begins(p, field, ev->type) : 1;
    if (rc > 0) {
        rc = take_value(p, field, ev);
        if (rc == ORND_OK) {
            return ORND_OK;
        }
    }
    /* Passed over, or refused. Kept, not returned: the body is read on, so a
     * syntax error later in it wins, whatever the size of the pieces the
     * values came in. */
    p->field_err = rc;
    p->field = F_NONE;
    return ORND_OK;
}

/* ---- answer: HTTP body --------------------------------------------------- */

static ornd_err_t on_body(void *user, const uint8_t *data, size_t len)
{
    ornd_oauth_parser_t *p = user;
    if (!is_success(p)) {
        /* the start of an error body as text, in case it is not JSON */
        p->raw_len =
            ornd_text_keep(p->raw, sizeof p->raw, p->raw_len, data, len, &p->raw_truncated);
    }
    /* after an error the scanner only says it again (and then only for an
     * error answer: a 200 one stops the reader at its first) */
    int rc = ornd_json_feed(&p->json, data, len);
    if (rc == ORND_OK) {
        return ORND_OK;
    }
    p->json_err = rc;
    /* A 200 answer must be valid JSON; an error answer may be anything. */
    return is_success(p) ? (ornd_err_t)rc : ORND_OK;
}

/* ---- answer: outcome ----------------------------------------------------- */

/* A whole 200 answer whose JSON and members were acceptable. */
static int success_result(ornd_oauth_parser_t *p)
{
    ornd_token_t *t = p->token;
    if (t->len == 0) {
        return ORND_ERR_TOKEN_MISSING; /* absent or empty */
    }
    if (p->type_matched != 6u) {
        return ORND_ERR_TOKEN_TYPE; /* absent or not bearer */
    }
    if (!(p->seen & BIT(F_EXPIRES_IN))) {
        t->expires_in_s = ORND_CONFIG_DEFAULT_EXPIRES_S; /* absent or null */
    } else if (t->expires_in_s == 0 || t->expires_in_s == EXPIRES_BAD) {
        return ORND_ERR_TOKEN_EXPIRES; /* present: a positive integer */
    }
    return ORND_OK;
}

static int error_result(ornd_oauth_parser_t *p)
{
    ornd_server_error_t *s = p->server;
    const int status = p->http.status;
    size_t error_len = p->error_len;
    size_t text_len = p->text_len;
    if (p->json_err != ORND_OK) {
        /* Not JSON, or broken: whatever its members seemed to say is
         * dropped and the start of the body is the text. Deciding this
         * once, at the end, keeps the outcome independent of how the stream
         * was cut into pieces. */
        s->error_truncated = false;
        error_len = 0;
        text_len = p->raw_len;
        memcpy(s->text, p->raw, text_len + 1u);
        s->text_truncated = p->raw_truncated;
    }
    /* the texts are whole: cleaned once, by the one rule */
    error_len = ornd_text_clean(s->error, error_len, s->error_truncated);
    (void)ornd_text_clean(s->text, text_len, s->text_truncated);
    if (status == 400 || status == 401 || status == 403) {
        return ORND_ERR_OAUTH_INVALID_REQUEST - (int)name_index(error_names, s->error, error_len);
    }
    if (status == 429) {
        return ORND_ERR_RATE_LIMITED;
    }
    if (status >= 500 && status <= 599) {
        return ORND_ERR_UNAVAILABLE;
    }
    return ORND_ERR_HTTP_STATUS;
}

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
            memset(p->token, 0, sizeof *p->token); /* nothing of a refused token */
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
    p->json_err = rc;                  /* as for a body that is not JSON */
    const int by_status = complete(p); /* rc itself for a 200 answer */
    p->err = answer_fault && by_status != ORND_ERR_HTTP_STATUS ? by_status : rc;
    return p->err;
}

/* The HTTP reader said `rc`. Once the response is framed, its outcome is
 * settled here: bytes after it are not part of it and are left unread, so
 * the outcome never depends on how the stream happened to be cut into reads.
 * (The reader's ORND_OK at the end of the stream is a complete response.) */
static ornd_err_t settle(ornd_oauth_parser_t *p, ornd_err_t rc)
{
    if (rc == ORND_OK && !ornd_http_reader_complete(&p->http)) {
        return ORND_OK; /* more to come */
    }
    if (rc != ORND_OK) {
        return (ornd_err_t)fail(p, rc);
    }
    p->done = true;
    return (ornd_err_t)complete(p);
}

void ornd_oauth_parser_init(ornd_oauth_parser_t *p, ornd_token_t *token,
                            ornd_server_error_t *server)
{
    memset(p, 0, sizeof *p);
    memset(token, 0, sizeof *token);
    memset(server, 0, sizeof *server);
    p->token = token;
    p->server = server;
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
    return settle(p, ornd_http_reader_feed(&p->http, data, len, NULL));
}

ornd_err_t ornd_oauth_eof(ornd_oauth_parser_t *p, bool clean)
{
    if (p->err != ORND_OK || p->done) {
        return (ornd_err_t)p->err;
    }
    return settle(p, ornd_http_reader_eof(&p->http, clean));
}

bool ornd_oauth_complete(const ornd_oauth_parser_t *p)
{
    return p->done;
}

ornd_err_t ornd_oauth_result(const ornd_oauth_parser_t *p)
{
    return (ornd_err_t)p->err;
}
