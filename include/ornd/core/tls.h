/*
 * TLS over a port connection, through mbedTLS. Used by the client; exposed so
 * that the client struct can hold it by value and firmware can size it.
 *
 * Certificates are always verified: the chain against the configured CA
 * certificates and the server's name against the host name connected to
 * (also sent as SNI). TLS 1.2 is the minimum; TLS 1.3 is offered. There is no
 * switch to turn verification off.
 *
 * mbedTLS allocates only from one static pool of ORND_CONFIG_TLS_POOL_SIZE
 * bytes, shared by all clients of the program and set up on first use.
 */
#ifndef ORND_CORE_TLS_H
#define ORND_CORE_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include "ornd/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What every connection of a program to OfficeRnD shares: the CA
 * certificates and the mbedTLS configuration built on them. */
typedef struct {
    bool ready;
    mbedtls_x509_crt ca;
    mbedtls_ssl_config conf;
} ornd_tls_conf_t;

/* One connection (at most one open at a time) and the session kept from it
 * for resumption. */
typedef struct {
    const ornd_port_t *port;
    const ornd_tls_conf_t *conf;
    uint32_t step_timeout_ms; /* longest wait for one network step */
    uint32_t deadline;        /* port clock: the current exchange ends here */
    int net_err;              /* last port error seen by the I/O callbacks */
    bool ready;
    bool connected;
    bool poll_only;           /* the idle check: receive without waiting */
    bool nonblocking;         /* steps never wait: ORND_ERR_WOULD_BLOCK instead */
    bool handshaking;         /* opened, handshake not finished */
    bool has_session;         /* `session` may resume the next handshake */
    uint32_t handshakes;      /* full or resumed, since init */
    uint8_t ip[16];           /* the host as an IP literal (ip_len 4 or 16), else ip_len 0 */
    uint8_t ip_len;
    mbedtls_ssl_context ssl;
    mbedtls_ssl_session session;
} ornd_tls_t;

/*
 * Parse the CA certificates (PEM, NUL-terminated, `ca_len` counting the NUL;
 * or DER) and prepare the configuration: TLS 1.2 minimum, 1.3 offered, peer
 * verification required, session tickets on. Sets up the static pool and PSA
 * crypto on first use (the first port given supplies the randomness).
 * Errors: ORND_ERR_ARG, ORND_ERR_CONFIG_CA, ORND_ERR_NO_MEM, ORND_ERR_ENTROPY,
 * ORND_ERR_TLS.
 */
int ornd_tls_conf_init(ornd_tls_conf_t *cf, const ornd_port_t *port, const uint8_t *ca,
                       size_t ca_len);

/* Free the CA certificates and configuration. Every connection using `cf`
 * must have been freed first. */
void ornd_tls_conf_free(ornd_tls_conf_t *cf);

/* Prepare a connection over `port` with configuration `cf` (which must
 * outlive it). No I/O. */
void ornd_tls_init(ornd_tls_t *t, const ornd_port_t *port, const ornd_tls_conf_t *cf);

/*
 * Open a connection to host:port and prepare the handshake, offering the
 * session kept from the last connection (to the same host: a connection
 * object talks to one host) so that the server may resume it.
 * Blocking (nonblocking false): the port's net_connect, bounded by
 * `timeout_ms` and `deadline`. Non-blocking: the port's net_connect_start
 * (ORND_ERR_PORT when it has none), which returns at once; the TCP
 * connection completes during the handshake steps.
 * `timeout_ms` bounds each network step of a blocking connection; the whole
 * exchange is bounded by `deadline` (ornd_tls_set_deadline() moves it).
 * Errors: network class, TLS class, ORND_ERR_NO_MEM, ORND_ERR_PORT.
 * (ORND_ERR_WOULD_BLOCK, below, is not a failure: "call again later".)
 */
int ornd_tls_open(ornd_tls_t *t, const char *host, uint16_t port, uint32_t timeout_ms,
                  uint32_t deadline, bool nonblocking);

/* Run the handshake: ORND_OK when done; ORND_ERR_WOULD_BLOCK when a
 * non-blocking connection must wait for the network (call again later);
 * else an error, and the connection is closed. */
int ornd_tls_handshake(ornd_tls_t *t);

/* ornd_tls_open() + ornd_tls_handshake(), blocking. */
int ornd_tls_connect(ornd_tls_t *t, const char *host, uint16_t port, uint32_t timeout_ms,
                     uint32_t deadline);

/* Give the next exchange (writes and reads) an absolute deadline on the
 * port clock. */
void ornd_tls_set_deadline(ornd_tls_t *t, uint32_t deadline);

/* Switch a connection between waiting (blocking) and non-waiting steps; an
 * exchange begun one way may be finished the other. */
void ornd_tls_set_nonblocking(ornd_tls_t *t, bool nonblocking);

/* Write some of `buf`: bytes written (> 0), or on a non-blocking connection
 * ORND_ERR_WOULD_BLOCK (call again later with the same bytes), or an error. */
int ornd_tls_write(ornd_tls_t *t, const uint8_t *buf, size_t len);

/* Send all `len` bytes. Blocks (a blocking connection only). */
int ornd_tls_write_all(ornd_tls_t *t, const uint8_t *buf, size_t len);

/* Read up to `len` bytes: > 0 bytes read, 0 the peer closed the connection
 * cleanly (TLS close_notify), ORND_ERR_CLOSED when the connection ended
 * without close_notify (a bare TCP close or reset: what came may be cut
 * short), or another negative error. Blocks until something arrives or the step times out;
 * a non-blocking connection returns ORND_ERR_WOULD_BLOCK when nothing is there.
 * Session tickets the server sends on the way are kept. */
int ornd_tls_read(ornd_tls_t *t, uint8_t *buf, size_t len);

/*
 * Whether an idle, open connection can carry another request: true when
 * nothing has arrived on it; false when the peer has closed it (or sent
 * anything unasked, which makes it unusable). Does not wait.
 */
bool ornd_tls_idle_ok(ornd_tls_t *t);

/* Close the connection (close_notify when connected). The session is kept. */
void ornd_tls_close(ornd_tls_t *t);

/* Close and forget the session. */
void ornd_tls_free(ornd_tls_t *t);

/* Bytes of the static pool in use now and at most so far (0 when the pool
 * statistics are not compiled in). */
void ornd_tls_pool_usage(size_t *now, size_t *peak);

#ifdef __cplusplus
}
#endif

#endif /* ORND_CORE_TLS_H */
