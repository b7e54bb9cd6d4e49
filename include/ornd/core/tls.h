/* SPDX-License-Identifier: MIT */
/*
 * TLS over a port connection, through mbedTLS. Engine; unstable, not for
 * application code: its types are here so that the client and API structs
 * can hold a connection by value.
 *
 * Certificates are always verified: the chain against the configured CA
 * certificates and the server's name against the host name connected to
 * (also sent as SNI). TLS 1.2 is the minimum; TLS 1.3 is offered. There is no
 * switch to turn verification off.
 *
 * The mbedTLS objects live in storage of a size fixed by ornd/config.h, so
 * that the structs that hold a connection have the same layout whatever
 * mbedTLS configuration the includer sees; no mbedTLS header is included.
 */
#ifndef ORND_CORE_TLS_H
#define ORND_CORE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/config.h"
#include "ornd/core/private.h"
#include "ornd/error.h"
#include "ornd/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for mbedTLS objects, of a size fixed by ornd/config.h (src/tls.c
 * checks that mbedTLS's types fit). */
#define ORND__TLS_STORAGE(bytes)                                                                   \
    union {                                                                                        \
        uint64_t align_u64;                                                                        \
        void *align_ptr;                                                                           \
        unsigned char bytes_[(bytes)];                                                             \
    }

/* What every connection of a program to OfficeRnD shares: the CA
 * certificates and the mbedTLS configuration built on them. */
typedef struct {
    bool ORND_PRIVATE(ready);
    ORND__TLS_STORAGE(ORND_CONFIG_TLS_CONF_STORAGE) ORND_PRIVATE(mbed);
} ornd_tls_conf_t;

/* One connection (at most one open at a time) and the session kept from it
 * for resumption. */
typedef struct {
    const ornd_platform_t *ORND_PRIVATE(platform);
    const ornd_transport_t *ORND_PRIVATE(transport);
    const ornd_tls_conf_t *ORND_PRIVATE(conf);
    uint32_t ORND_PRIVATE(step_timeout_ms); /* longest wait for one network step */
    uint32_t ORND_PRIVATE(deadline);        /* platform clock: the exchange ends here */
    ornd_err_t ORND_PRIVATE(net_err);       /* last transport error seen by the I/O callbacks */
    bool ORND_PRIVATE(ready);
    bool ORND_PRIVATE(connected);
    bool ORND_PRIVATE(poll_only);      /* the idle check: receive without waiting */
    bool ORND_PRIVATE(nonblocking);    /* steps never wait: ORND_ERR_WOULD_BLOCK instead */
    bool ORND_PRIVATE(handshaking);    /* opened, handshake not finished */
    bool ORND_PRIVATE(has_session);    /* the kept session may resume the next handshake */
    uint32_t ORND_PRIVATE(handshakes); /* full or resumed, since init */
    bool ORND_PRIVATE(time_known);     /* the next handshake checks dates against: */
    int64_t ORND_PRIVATE(unix_time);   /* the wall clock's seconds, when known */
    uint8_t ORND_PRIVATE(ip)[16]; /* the host as an IP literal (ip_len 4 or 16), else ip_len 0 */
    uint8_t ORND_PRIVATE(ip_len);
    ORND__TLS_STORAGE(ORND_CONFIG_TLS_CONN_STORAGE) ORND_PRIVATE(mbed);
} ornd_tls_t;

/*
 * Parse the CA certificates (PEM, NUL-terminated, `ca_len` counting the NUL;
 * or DER) and prepare the configuration: TLS 1.2 minimum, 1.3 offered, peer
 * verification required, session tickets on. Calls psa_crypto_init() (which
 * does nothing once PSA is up); uses mbedTLS as the program set it up (see
 * ornd/tls_setup.h for the opt-ins of firmware that has no set-up of its own).
 * Errors: ORND_ERR_ARG, ORND_ERR_CONFIG_CA, ORND_ERR_NO_MEM, ORND_ERR_ENTROPY,
 * ORND_ERR_TLS.
 */
ornd_err_t ornd_tls_conf_init(ornd_tls_conf_t *cf, const uint8_t *ca, size_t ca_len);

/* Free the CA certificates and configuration. Every connection using `cf`
 * must have been freed first. */
void ornd_tls_conf_free(ornd_tls_conf_t *cf);

/* Prepare a connection over `transport`, timed by `platform`'s clock, with
 * configuration `cf`; all three must outlive it. No I/O. */
void ornd_tls_init(ornd_tls_t *t, const ornd_platform_t *platform,
                   const ornd_transport_t *transport, const ornd_tls_conf_t *cf);

/*
 * The wall-clock time for the certificate dates of the next handshake:
 * `unix_time` (seconds since 1970 UTC), or NULL when it is not known, in
 * which case the dates are NOT checked on that connection (the caller's
 * policy allowed it: ornd_settings_t.insecure_accept_unknown_time). Until
 * called after ornd_tls_init() the time counts as unknown. Each certificate
 * of the chain is checked against it, also when mbedTLS checks the dates
 * with a clock of its own (MBEDTLS_HAVE_TIME_DATE).
 */
void ornd_tls_set_time(ornd_tls_t *t, const int64_t *unix_time);

/*
 * Open a connection to host:port and prepare the handshake, offering the
 * session kept from the last connection (to the same host: a connection
 * object talks to one host) so that the server may resume it.
 * Blocking (nonblocking false): the transport's connect, bounded by
 * `timeout_ms` and `deadline`. Non-blocking: its connect_start
 * (ORND_ERR_PORT when it has none), which returns at once; the TCP
 * connection completes during the handshake steps.
 * `timeout_ms` bounds each network step of a blocking connection; the whole
 * exchange is bounded by `deadline` (ornd_tls_set_deadline() moves it).
 * Errors: network class, TLS class, ORND_ERR_NO_MEM, ORND_ERR_PORT.
 */
ornd_err_t ornd_tls_open(ornd_tls_t *t, const char *host, uint16_t port, uint32_t timeout_ms,
                         uint32_t deadline, bool nonblocking);

/* Run the handshake: ORND_OK when done; ORND_ERR_WOULD_BLOCK when a
 * non-blocking connection must wait for the network (call again later);
 * else an error, and the connection is closed. */
ornd_err_t ornd_tls_handshake(ornd_tls_t *t);

/* Give the next exchange (writes and reads) an absolute deadline on the
 * platform clock. */
void ornd_tls_set_deadline(ornd_tls_t *t, uint32_t deadline);

/* Switch a connection between waiting (blocking) and non-waiting steps; an
 * exchange begun one way may be finished the other. */
void ornd_tls_set_nonblocking(ornd_tls_t *t, bool nonblocking);

/* Write some of `buf`: ORND_OK with *written >= 1; on a non-blocking
 * connection ORND_ERR_WOULD_BLOCK (call again later with the same bytes);
 * or an error. */
ornd_err_t ornd_tls_write(ornd_tls_t *t, const uint8_t *buf, size_t len, size_t *written);

/* Read up to `len` bytes: ORND_OK with *got >= 1; ORND_ERR_CLOSED when the
 * peer ended the stream cleanly (TLS close_notify); ORND_ERR_TRUNCATED when
 * the connection ended without close_notify (a bare TCP close: what came
 * may be cut short); ORND_ERR_WOULD_BLOCK on a non-blocking connection when
 * nothing is there; or an error. Blocks until something arrives or the step
 * times out. Session tickets the server sends on the way are kept. */
ornd_err_t ornd_tls_read(ornd_tls_t *t, uint8_t *buf, size_t len, size_t *got);

/*
 * Whether an idle, open connection can carry another request: true when
 * nothing has arrived on it; false when the peer has closed it (or sent
 * anything unasked, which makes it unusable). Does not wait.
 */
bool ornd_tls_idle_ok(ornd_tls_t *t);

/* Whether the connection is open (handshake done, not closed since). */
bool ornd_tls_connected(const ornd_tls_t *t);

/* Full or resumed handshakes since ornd_tls_init(). */
uint32_t ornd_tls_handshakes(const ornd_tls_t *t);

/* Close the connection (close_notify when connected). The session is kept. */
void ornd_tls_close(ornd_tls_t *t);

/* Close and forget the session. */
void ornd_tls_free(ornd_tls_t *t);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_TLS_H */
