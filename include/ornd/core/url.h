/* SPDX-License-Identifier: MIT */
/*
 * https:// URL splitting for the token and API endpoints.
 */
#ifndef ORND_CORE_URL_H
#define ORND_CORE_URL_H

#include <stddef.h>
#include <stdint.h>

#include "ornd/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Split "https://host[:port][/path[?query]]" into host (without brackets for
 * an IPv6 literal), TCP port (443 when absent) and path ("/" when absent),
 * each NUL-terminated in caller buffers. The scheme must be https
 * (case-insensitive). Rejected with ORND_ERR_CONFIG_URL: other schemes,
 * user info, fragments, empty hosts, characters that are not allowed in a
 * host name, ports outside 1-65535, bytes outside visible ASCII in the path.
 * A part longer than its buffer is ORND_ERR_CONFIG_TOO_LONG.
 */
ornd_err_t ornd_url_parse(const char *url, char *host, size_t host_cap, uint16_t *port, char *path,
                          size_t path_cap);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_URL_H */
