# SPDX-License-Identifier: MIT
"""Answer heads as CDNs and web frameworks send them, for the local servers'
`heads:N` fault (tests/server/identity_server.py, api_server.py): the shapes
of Cloudflare, AWS ALB and CloudFront, Azure Front Door, nginx, Express with
helmet and ASP.NET on IIS; single lines of 1, 2, 4 and 8 KB; 40 fields; a
24 KB head. The same shapes as tests/unit/test_heads.c, as (name, value)
pairs added to the server's own fields (Date, Content-Type, framing).

    python3 tests/server/heads.py          lists them with their sizes
"""

import random

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _filler(rng, n):
    return "".join(rng.choice(ALPHABET) for _ in range(max(n, 0)))


def _long(rng, name, prefix, line):
    """(name, value) whose line "name: value" is `line` bytes."""
    return (name, prefix + _filler(rng, line - len(name) - 2 - len(prefix)))


def cloudflare(rng):
    return [
        ("CF-Ray", "8f1e2d3c4b5a6978-AMS"), ("CF-Cache-Status", "DYNAMIC"),
        _long(rng, "Set-Cookie", "__cf_bm=", 620),
        _long(rng, "Set-Cookie", "XSRF-TOKEN=", 400),
        _long(rng, "Set-Cookie", "laravel_session=", 420),
        ("Report-To", '{"endpoints":[{"url":"https:\\/\\/a.nel.cloudflare.com\\/report\\/v4?s='
         + _filler(rng, 90) + '"}],"group":"cf-nel","max_age":604800}'),
        ("NEL", '{"success_fraction":0,"report_to":"cf-nel","max_age":604800}'),
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
        ("Vary", "Accept-Encoding"), ("alt-svc", 'h3=":443"; ma=86400'),
    ]


def aws(rng):
    return [
        _long(rng, "Set-Cookie", "AWSALB=", 230),
        _long(rng, "Set-Cookie", "AWSALBCORS=", 260),
        ("X-Cache", "Miss from cloudfront"),
        ("Via", "1.1 5f0e8b2c1d3a4e6f7a8b9c0d1e2f3a4b.cloudfront.net (CloudFront)"),
        ("X-Amz-Cf-Pop", "FRA56-P5"), ("X-Amz-Cf-Id", _filler(rng, 54) + "=="),
        ("x-amzn-RequestId", "0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"),
    ]


def azure(rng):
    return [
        ("Strict-Transport-Security", "max-age=2592000"),
        _long(rng, "X-Azure-Ref", "20261201T080000Z-", 140),
        ("X-Cache", "CONFIG_NOCACHE"), ("X-FD-Int-Roxy-PurgeID", "0"),
        _long(rng, "Set-Cookie", "ASLBSA=", 180),
        _long(rng, "Set-Cookie", "ASLBSACORS=", 200),
        ("Accept-Ranges", "bytes"),
    ]


def nginx(rng):
    return [("X-Frame-Options", "SAMEORIGIN"), ("X-Content-Type-Options", "nosniff"),
            ("Pragma", "no-cache")]


def express_helmet(rng):
    return [
        _long(rng, "Content-Security-Policy",
              "default-src 'self';base-uri 'self';font-src 'self' https: data:;"
              "form-action 'self';frame-ancestors 'self';img-src 'self' data:;"
              "object-src 'none';script-src 'self' ", 2100),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Cross-Origin-Resource-Policy", "same-origin"),
        ("Origin-Agent-Cluster", "?1"), ("Referrer-Policy", "no-referrer"),
        ("Strict-Transport-Security", "max-age=15552000; includeSubDomains"),
        ("X-Content-Type-Options", "nosniff"), ("X-DNS-Prefetch-Control", "off"),
        ("X-Download-Options", "noopen"), ("X-Frame-Options", "SAMEORIGIN"),
        ("X-Permitted-Cross-Domain-Policies", "none"), ("X-XSS-Protection", "0"),
        _long(rng, "Permissions-Policy",
              "accelerometer=(), ambient-light-sensor=(), autoplay=(), ", 700),
        ("ETag", 'W/"3e8-' + _filler(rng, 27) + '"'), ("Keep-Alive", "timeout=5"),
    ]


def aspnet_iis(rng):
    return [
        ("Expires", "-1"), ("X-Server-Name", "Microsoft-IIS/10.0"),
        _long(rng, "Set-Cookie", ".AspNetCore.CookiesC1=", 4060),
        _long(rng, "Set-Cookie", ".AspNetCore.CookiesC2=", 3100),
        ("request-context", "appId=cid-v1:0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e"),
        ("X-AspNet-Version", "4.0.30319"), ("X-Powered-By", "ASP.NET"),
    ]


def single(size):
    return lambda rng: [_long(rng, "Set-Cookie", "session=", size)]


def forty(rng):
    return [("X-Field-%02d" % i, "value number %d" % i) for i in range(40)]


def head_24k(rng):
    return ([_long(rng, "Set-Cookie", "chunk=", 3980) for _ in range(6)]
            + [_long(rng, "Content-Security-Policy", "default-src 'self'; ", 400)])


HEADS = [
    ("cloudflare", cloudflare), ("aws", aws), ("azure", azure), ("nginx", nginx),
    ("express-helmet", express_helmet), ("aspnet-iis", aspnet_iis),
    ("line-1k", single(1024)), ("line-2k", single(2048)), ("line-4k", single(4096)),
    ("line-8k", single(8192)), ("40-fields", forty), ("24k", head_24k),
]


def fields(index):
    """The (name, value) fields of head `index` (deterministic)."""
    name, make = HEADS[index % len(HEADS)]
    return make(random.Random(name))


if __name__ == "__main__":
    for i, (name, _) in enumerate(HEADS):
        print("%2d %-15s %6d bytes" % (i, name, sum(len(n) + len(v) + 4 for n, v in fields(i))))
