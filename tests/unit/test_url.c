/* SPDX-License-Identifier: MIT */
/* Unit tests of https:// URL splitting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ornd/core/url.h"
#include "ornd/error.h"

static char host[32];
static char path[32];
static uint16_t port;

static int split(const char *url)
{
    memset(host, 0x7e, sizeof host);
    memset(path, 0x7e, sizeof path);
    return ornd_url_parse(url, host, sizeof host, &port, path, sizeof path);
}

static void accepts_good_urls(void **state)
{
    (void)state;
    assert_int_equal(split("https://identity.officernd.com/oauth/token"), ORND_OK);
    assert_string_equal(host, "identity.officernd.com");
    assert_int_equal(port, 443);
    assert_string_equal(path, "/oauth/token");

    assert_int_equal(split("HTTPS://localhost:8443/a?b=c&d=%20"), ORND_OK);
    assert_string_equal(host, "localhost");
    assert_int_equal(port, 8443);
    assert_string_equal(path, "/a?b=c&d=%20");

    assert_int_equal(split("https://[::1]:65535"), ORND_OK);
    assert_string_equal(host, "::1");
    assert_int_equal(port, 65535);
    assert_string_equal(path, "/");

    assert_int_equal(split("https://127.0.0.1"), ORND_OK);
    assert_string_equal(host, "127.0.0.1");

    assert_int_equal(split("https://[::ffff:127.0.0.1]/%2F%aa?q=%41"), ORND_OK);
    assert_string_equal(host, "::ffff:127.0.0.1");
    assert_string_equal(path, "/%2F%aa?q=%41");
    /* sub-delims, ':' and '@' are path characters */
    assert_int_equal(split("https://h/a:b@c!$&'()*+,;=-._~"), ORND_OK);
    assert_string_equal(path, "/a:b@c!$&'()*+,;=-._~");
}

static void rejects_bad_urls(void **state)
{
    (void)state;
    const char *bad[] = {
        "http://example.com/",
        "ftp://x/",
        "https://",
        "https:///path",
        "https://user@host/",
        "https://host:0/",
        "https://host:65536/",
        "https://host:/",
        "https://host:12a/",
        "https://ho st/",
        "https://host/a b",
        "https://host/a#frag",
        "https://host/\x7f",
        "https://[::1/",
        "https://[g::1]/",
        "https://host\\evil/",
        "",
        "https:/host/",
        /* brackets hold an IPv6 address, nothing else */
        "https://[1.2.3.4]/",
        "https://[abc]/x",
        "https://[:]/",
        "https://[.]/",
        "https://[]/",
        /* path bytes a URI never holds unencoded, and broken escapes */
        "https://host/a{b",
        "https://host/a}",
        "https://host/a|b",
        "https://host/\"q\"",
        "https://host/<a>",
        "https://host/a^b",
        "https://host/`a",
        "https://host/a\\b",
        "https://host/%zz",
        "https://host/a%2",
        "https://host/a%",
        "https://host/%g0",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(split(bad[i]), ORND_ERR_CONFIG_URL);
    }
    assert_int_equal(ornd_url_parse(NULL, host, sizeof host, &port, path, sizeof path),
                     ORND_ERR_ARG);
}

static void too_long_parts(void **state)
{
    (void)state;
    /* host buffer is 32: 31 characters fit, 32 do not */
    assert_int_equal(split("https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"), ORND_OK);
    assert_int_equal(split("https://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"), ORND_ERR_CONFIG_TOO_LONG);
    assert_int_equal(split("https://h/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), ORND_ERR_CONFIG_TOO_LONG);
    assert_int_equal(split("https://h/bbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), ORND_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_good_urls),
        cmocka_unit_test(rejects_bad_urls),
        cmocka_unit_test(too_long_parts),
    };
    return cmocka_run_group_tests_name("url", tests, NULL, NULL);
}
