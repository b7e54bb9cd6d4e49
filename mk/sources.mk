# SPDX-License-Identifier: MIT
# The library's sources, one list per layer: every recipe (host, sanitizer,
# fuzz, boards, bench, install) and the CMake build read them here.
# One definition per line, `NAME := files...`, so that CMakeLists.txt can read
# the same lines.

# Sans-I/O core: buffers, HTTP writer and reader, JSON scanner and matcher,
# OAuth exchange, the rule for server text, URLs, error names, wiping. No OS, no mbedTLS: built freestanding.
ORND_CORE_SRCS := src/ascii.c src/buf.c src/error.c src/http_reader.c src/http_writer.c src/json.c src/match.c src/oauth.c src/text.c src/url.c src/wipe.c

# Sessions: the token client, API requests (and their retry policy), the
# paging helper, over the TLS layer's interface (include/ornd/core/tls.h);
# the wall-clock policy; the transport side of a connection, shared by the
# TLS glue and port/testing's plain layer.
ORND_SESSION_SRCS := src/client.c src/api.c src/retry.c src/pages.c src/wall_clock.c src/tls_transport.c

# TLS glue: the TLS layer over mbedTLS and its opt-in process-wide set-up
# (static pool, RNG, time).
ORND_TLS_SRCS := src/tls.c src/tls_setup.c src/tls_time.c

# Ports: each its own archive.
ORND_POSIX_SRCS := port/posix/ornd_posix.c
ORND_LWIP_SRCS := port/lwip/ornd_lwip.c
ORND_LWIP_RAW_SRCS := port/lwip/ornd_lwip_raw.c

# Public headers (include/ornd/*.h; the engine's under include/ornd/core/).
ORND_INCLUDE_DIR := include

# Testing: a scripted peer and a plain (unencrypted) TLS layer, linked with
# the core and sessions in place of the TLS glue, for host tests without
# mbedTLS or a network (ornd/testing.h).
ORND_TESTING_SRCS := port/testing/script.c port/testing/tls_plain.c
