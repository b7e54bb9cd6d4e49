/* SPDX-License-Identifier: MIT */
/*
 * The transport side of a TLS connection (engine; unstable, not for
 * application code): how long a transport call may wait and how a
 * connection's transport is opened. One definition for the two layers that
 * implement ornd/core/tls.h: src/tls.c over mbedTLS and the plain layer of
 * port/testing.
 */
#ifndef ORND_CORE_TLS_TRANSPORT_H
#define ORND_CORE_TLS_TRANSPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "ornd/core/tls.h"
#include "ornd/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Wait allowed for the next network step: the step timeout, cut to what is
 * left of the exchange's deadline; 0 when the deadline has passed. */
uint32_t ornd_tls_step_wait(const ornd_tls_t *t);

/* Steps that must not wait: a non-blocking connection, or the idle check.
 * The transport is then asked with timeout 0 and may say "not now". */
bool ornd_tls_no_wait(const ornd_tls_t *t);

/* The wait for the next transport call in *wait: 0 without waiting, else
 * the step's time; false when a waiting step has none left. */
bool ornd_tls_may_call(const ornd_tls_t *t, uint32_t *wait);

/* The common part of ornd_tls_open(): check the connection can open (not
 * ready: ORND_ERR_STATE; polled without connect_start: ORND_ERR_PORT),
 * close what was open (ornd_tls_close()), set the step timeout, deadline
 * and mode, and connect the transport: blocking within the step's time, or
 * started without waiting. ORND_OK or the transport's error. */
ornd_err_t ornd_tls_transport_open(ornd_tls_t *t, const char *host, uint16_t port,
                                   uint32_t timeout_ms, uint32_t deadline, bool nonblocking);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_TLS_TRANSPORT_H */
