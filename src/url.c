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
    const char *s = url + strlen("https://");

    /* host: a name, or an IPv6 address in brackets (two ':' at least); the
     * NUL is no host character, so the scan stops at the end */
    const bool bracketed = *s == '[';
    s += bracketed ? 1 : 0;
    size_t n = 0;
    unsigned colons = 0;
    while (host_char_ok(s[n], bracketed)) {
        colons += s[n++] == ':' ? 1u : 0u;
    }
    if (n == 0 || (bracketed && (s[n] != ']' || colons < 2u))) {
        return ORND_ERR_CONFIG_URL;
    }
    int rc = copy_part(host, host_cap, s, n);
    if (rc != ORND_OK) {
        return rc;
    }
    s += n + (bracketed ? 1u : 0u);

    /* port: 1-65535 in decimal; without digits v stays 0, refused too */
    *port = 443;
    if (*s == ':') {
        uint32_t v = 0;
        while (ornd_ascii_digit((uint8_t) * ++s)) {
            v = v * 10u + (uint32_t)(*s - '0');
            if (v > 65535u) {
                return ORND_ERR_CONFIG_URL;
            }
        }
        if (v == 0) {
            return ORND_ERR_CONFIG_URL;
        }
        *port = (uint16_t)v;
    }

    /* path and query (none: "/"): RFC 3986 visible ASCII but the
     * fragment's '#' and the bytes a URI never holds unencoded; a '%'
     * begins two hex digits */
    if (*s == '\0') {
        s = "/";
    }
    if (*s != '/') {
        return ORND_ERR_CONFIG_URL;
    }
    for (n = 0; s[n] != '\0'; n++) {
        const uint8_t c = (uint8_t)s[n];
        if (c <= 0x20u || c >= 0x7fu || strchr("#\"<>[\\]^`{|}", c) != NULL ||
            (c == '%' && !(is_hex(s[n + 1u]) && is_hex(s[n + 2u])))) {
            return ORND_ERR_CONFIG_URL;
        }
    }
    return copy_part(path, path_cap, s, n);
}
