/* SPDX-License-Identifier: MIT */
/* What the library's other modules (api.c) take from a client, and the one
 * check of a transport's table. Implemented in client.c. */
#ifndef ORND_CLIENT_INTERNAL_H
#define ORND_CLIENT_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ornd/client.h"

/* The required members are there (connect, send, recv, close). */
bool ornd__transport_complete(const ornd_transport_t *t);

/* NULL / 0 for a client that is not initialised. */
const ornd_platform_t *ornd__client_platform(const ornd_client_t *c);
const ornd_tls_conf_t *ornd__client_tls_conf(const ornd_client_t *c);
uint32_t ornd__client_timeout_ms(const ornd_client_t *c);
/* The client's INSECURE opt-in: connections without a known time. */
bool ornd__client_accepts_unknown_time(const ornd_client_t *c);

#endif /* ORND_CLIENT_INTERNAL_H */
