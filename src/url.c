/* SPDX-License-Identifier: MIT */
/* https:// URL splitting. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/url.h"

#include <stdbool.h>
#include <string.h>

#include "ascii.h"
#include "ornd/error.h"

static bool is_hex(char c)
{
    return ornd_ascii_hex((uint8_t)c) >= 0;
}

static bool host_char_ok(char c, bool bracketed)
{
    if (bracketed) {
        return is_hex(c) || c == ':' || c == '.';
    }
    return ornd_ascii_alnum((uint8_t)c) || c == '-' || c == '.';
}

/* Copy `n` bytes of `src` as a NUL-terminated string into dst[cap]. */
static int copy_part(char *dst, size_t cap, const char *src, size_t n)
{
    if (n + 1u > cap) {
        return ORND_ERR_CONFIG_TOO_LONG;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
    return ORND_OK;
}

static int parse_host(const char **cur, char *host, size_t host_cap)
{
    const char *s = *cur;
    bool bracketed = *s == '[';
    s += bracketed ? 1 : 0;
    size_t n = 0;
    unsigned colons = 0;
    while (s[n] != '\0' && host_char_ok(s[n], bracketed)) {
        colons += s[n++] == ':' ? 1u : 0u;
    }
    if (n == 0 || (bracketed && (s[n] != ']' || colons < 2u))) {
        return ORND_ERR_CONFIG_URL; /* brackets hold an IPv6 address: two ':' at least */
    }
    int rc = copy_part(host, host_cap, s, n);
    *cur = s + n + (bracketed ? 1u : 0u);
    return rc;
}

static int parse_port(const char **cur, uint16_t *port)
{
    const char *s = *cur;
    *port = 443;
    if (*s != ':') {
        return ORND_OK;
    }
    s++;
    uint32_t v = 0;
    size_t digits = 0;
    while (*s >= '0' && *s <= '9') {
        v = v * 10u + (uint32_t)(*s - '0');
        if (v > 65535u) {
            return ORND_ERR_CONFIG_URL;
        }
        s++;
        digits++;
    }
    if (digits == 0 || v == 0) {
        return ORND_ERR_CONFIG_URL;
    }
    *port = (uint16_t)v;
    *cur = s;
    return ORND_OK;
}

static int parse_path(const char *s, char *path, size_t path_cap)
{
    if (*s == '\0') {
        return copy_part(path, path_cap, "/", 1);
    }
    if (*s != '/') {
        return ORND_ERR_CONFIG_URL;
    }
    /* RFC 3986 path and query: visible ASCII but the fragment's '#' and the
     * bytes a URI never holds unencoded; a '%' begins two hex digits */
    size_t n = 0;
    for (; s[n] != '\0'; n++) {
        const uint8_t c = (uint8_t)s[n];
        if (c <= 0x20u || c >= 0x7fu || strchr("#\"<>[\\]^`{|}", c) != NULL ||
            (c == '%' && !(is_hex(s[n + 1u]) && is_hex(s[n + 2u])))) {
            return ORND_ERR_CONFIG_URL;
        }
    }
    return copy_part(path, path_cap, s, n);
}

static bool has_https_scheme(const char *url)
{
    static const char scheme[] = "https://";
    /* a shorter url stops the comparison at its NUL */
    return ornd_ascii_ieq(url, sizeof scheme - 1u, scheme);
}

ornd_err_t ornd_url_parse(const char *url, char *host, size_t host_cap, uint16_t *port, char *path,
                          size_t path_cap)
{
    if (url == NULL || host == NULL || port == NULL || path == NULL) {
        return ORND_ERR_ARG;
    }
    if (!has_https_scheme(url)) {
        return ORND_ERR_CONFIG_URL;
    }
    const char *cur = url + strlen("https://");
    int rc = parse_host(&cur, host, host_cap);
    if (rc == ORND_OK) {
        rc = parse_port(&cur, port);
    }
    if (rc == ORND_OK) {
        rc = parse_path(cur, path, path_cap);
    }
    return rc;
}
