/* mbedTLS glue: verified TLS over a port connection, static-pool allocation. */
#include "ornd/core/tls.h"

#include <string.h>

#include <mbedtls/error.h>
#include <mbedtls/memory_buffer_alloc.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/oid.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/psa_util.h>
#include <psa/crypto.h>

#include "ornd/config.h"
#include "ornd/error.h"

#if !defined(MBEDTLS_MEMORY_BUFFER_ALLOC_C) || !defined(MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG)
#error "ornd-lite needs MBEDTLS_MEMORY_BUFFER_ALLOC_C and MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG"
#endif

/* The one pool mbedTLS allocates from, and the port that feeds its RNG. Both
 * are process-wide because mbedTLS's allocator and PSA's RNG are. */
static unsigned char tls_pool[ORND_CONFIG_TLS_POOL_SIZE];
static const ornd_port_t *rng_port;
static bool global_ready;

/* PSA crypto draws all its randomness here (MBEDTLS_PSA_CRYPTO_EXTERNAL_RNG). */
psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *context,
                                             uint8_t *output, size_t output_size,
                                             size_t *output_length);
psa_status_t mbedtls_psa_external_get_random(mbedtls_psa_external_random_context_t *context,
                                             uint8_t *output, size_t output_size,
                                             size_t *output_length)
{
    (void)context;
    *output_length = 0;
    if (rng_port == NULL || rng_port->entropy(rng_port->ctx, output, output_size) != ORND_OK) {
        return PSA_ERROR_INSUFFICIENT_ENTROPY;
    }
    *output_length = output_size;
    return PSA_SUCCESS;
}

static int global_init(const ornd_port_t *port)
{
    if (rng_port == NULL) {
        rng_port = port;
    }
    if (global_ready) {
        return ORND_OK;
    }
    mbedtls_memory_buffer_alloc_init(tls_pool, sizeof tls_pool);
    psa_status_t st = psa_crypto_init();
    if (st != PSA_SUCCESS) {
        return st == PSA_ERROR_INSUFFICIENT_MEMORY  ? ORND_ERR_NO_MEM
               : st == PSA_ERROR_INSUFFICIENT_ENTROPY ? ORND_ERR_ENTROPY
                                                      : ORND_ERR_TLS;
    }
    global_ready = true;
    return ORND_OK;
}

void ornd_tls_pool_usage(size_t *now, size_t *peak)
{
    *now = 0;
    *peak = 0;
#if defined(MBEDTLS_MEMORY_DEBUG)
    size_t blocks;
    mbedtls_memory_buffer_alloc_cur_get(now, &blocks);
    mbedtls_memory_buffer_alloc_max_get(peak, &blocks);
#endif
}

/* ---- I/O callbacks: mbedTLS to port ------------------------------------- */

/* Wait allowed for the next network step: the step timeout, cut to what is
 * left of the exchange's deadline; 0 when the deadline has passed. */
static uint32_t step_wait(const ornd_tls_t *t)
{
    int32_t left = (int32_t)(t->deadline - t->port->now_ms(t->port->ctx));
    if (left <= 0) {
        return 0;
    }
    return (uint32_t)left < t->step_timeout_ms ? (uint32_t)left : t->step_timeout_ms;
}

/* Without waiting (a non-blocking connection, or the idle check) the port is
 * asked with timeout 0, and "nothing now" becomes mbedTLS's WANT_READ /
 * WANT_WRITE: the step is simply called again later. */
static bool no_wait(const ornd_tls_t *t)
{
    return t->nonblocking || t->poll_only;
}

/* The wait for the next port call: 0 (do not wait) without waiting, else
 * the step's time; false when a waiting step has none left. */
static bool may_call(const ornd_tls_t *t, uint32_t *wait)
{
    *wait = no_wait(t) ? 0u : step_wait(t);
    return no_wait(t) || *wait != 0;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    ornd_tls_t *t = ctx;
    uint32_t wait;
    int n = may_call(t, &wait) ? t->port->net_send(t->port->ctx, buf, len, wait)
                               : ORND_ERR_TIMEOUT;
    if (n > 0) {
        return n;
    }
    if (no_wait(t) && n == ORND_ERR_TIMEOUT) {
        return MBEDTLS_ERR_SSL_WANT_WRITE;
    }
    t->net_err = n < 0 ? n : ORND_ERR_NET;
    return MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    ornd_tls_t *t = ctx;
    (void)timeout; /* the step timeout and deadline are ours */
    uint32_t wait;
    int n = may_call(t, &wait) ? t->port->net_recv(t->port->ctx, buf, len, wait)
                               : ORND_ERR_TIMEOUT;
    if (n >= 0) {
        return n; /* 0: the peer closed */
    }
    if (no_wait(t) && n == ORND_ERR_TIMEOUT) {
        return MBEDTLS_ERR_SSL_WANT_READ; /* nothing there: mbedTLS's "later" */
    }
    t->net_err = n;
    return n == ORND_ERR_TIMEOUT ? MBEDTLS_ERR_SSL_TIMEOUT : MBEDTLS_ERR_NET_RECV_FAILED;
}

static bool want_io(int mbed)
{
    return mbed == MBEDTLS_ERR_SSL_WANT_READ || mbed == MBEDTLS_ERR_SSL_WANT_WRITE;
}

/* ---- error mapping ---------------------------------------------------- */

static int map_verify_flags(uint32_t flags)
{
    if (flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)) {
        return ORND_ERR_TLS_CERT_EXPIRED;
    }
    if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) {
        return ORND_ERR_TLS_HOSTNAME;
    }
    return ORND_ERR_TLS_CERT;
}

static bool is_alloc_error(int mbed)
{
    return mbed == MBEDTLS_ERR_SSL_ALLOC_FAILED || mbed == MBEDTLS_ERR_X509_ALLOC_FAILED ||
           mbed == MBEDTLS_ERR_PK_ALLOC_FAILED || mbed == MBEDTLS_ERR_MPI_ALLOC_FAILED ||
           mbed == MBEDTLS_ERR_ECP_ALLOC_FAILED || mbed == MBEDTLS_ERR_ASN1_ALLOC_FAILED ||
           mbed == PSA_ERROR_INSUFFICIENT_MEMORY;
}

/* Turn an mbedTLS error into the library's, preferring what the port said. */
static int map_error(ornd_tls_t *t, int mbed)
{
    if (mbed == MBEDTLS_ERR_NET_SEND_FAILED || mbed == MBEDTLS_ERR_NET_RECV_FAILED ||
        mbed == MBEDTLS_ERR_SSL_TIMEOUT) {
        return t->net_err < 0 ? t->net_err : ORND_ERR_NET;
    }
    if (mbed == MBEDTLS_ERR_SSL_CONN_EOF || mbed == MBEDTLS_ERR_NET_CONN_RESET) {
        return ORND_ERR_CLOSED;
    }
    if (mbed == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        return map_verify_flags(mbedtls_ssl_get_verify_result(&t->ssl));
    }
    if (is_alloc_error(mbed)) {
        return ORND_ERR_NO_MEM;
    }
    return ORND_ERR_TLS;
}

/* ---- name checks ------------------------------------------------------- */

static bool san_has_ip(const mbedtls_x509_sequence *san, const uint8_t *ip, size_t ip_len)
{
    for (const mbedtls_x509_sequence *cur = san; cur != NULL; cur = cur->next) {
        const unsigned tag = (unsigned)cur->buf.tag & MBEDTLS_ASN1_TAG_VALUE_MASK;
        if (tag == MBEDTLS_X509_SAN_IP_ADDRESS && cur->buf.len == ip_len &&
            memcmp(cur->buf.p, ip, ip_len) == 0) {
            return true;
        }
    }
    return false;
}

/* The server's certificate: the name is checked against its subjectAltName
 * only (RFC 9525 has no Common Name fallback, which mbedTLS would take), so
 * a certificate without one is refused; with an IP literal as host (no SNI,
 * and no name given to mbedTLS) the address must be an iPAddress entry. */
static int verify_leaf(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    const ornd_tls_t *t = ctx;
    if (depth != 0) {
        return 0;
    }
    if (!mbedtls_x509_crt_has_ext_type(crt, MBEDTLS_X509_EXT_SUBJECT_ALT_NAME) ||
        (t->ip_len > 0u && !san_has_ip(&crt->subject_alt_names, t->ip, t->ip_len))) {
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    }
    return 0;
}

/* ---- configuration, shared by connections --------------------------- */

static int configure(ornd_tls_conf_t *cf)
{
    int rc = mbedtls_ssl_config_defaults(&cf->conf, MBEDTLS_SSL_IS_CLIENT,
                                         MBEDTLS_SSL_TRANSPORT_STREAM, MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc != 0) {
        return is_alloc_error(rc) ? ORND_ERR_NO_MEM : ORND_ERR_TLS;
    }
    mbedtls_ssl_conf_authmode(&cf->conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(&cf->conf, &cf->ca, NULL);
    mbedtls_ssl_conf_rng(&cf->conf, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
    mbedtls_ssl_conf_min_tls_version(&cf->conf, MBEDTLS_SSL_VERSION_TLS1_2);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    mbedtls_ssl_conf_max_tls_version(&cf->conf, MBEDTLS_SSL_VERSION_TLS1_3);
#endif
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    mbedtls_ssl_conf_session_tickets(&cf->conf, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    /* TLS 1.3 tickets come after the handshake; keep them (ornd_tls_read). */
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        &cf->conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
#endif
#endif
    return ORND_OK;
}

int ornd_tls_conf_init(ornd_tls_conf_t *cf, const ornd_port_t *port, const uint8_t *ca,
                       size_t ca_len)
{
    memset(cf, 0, sizeof *cf);
    if (port == NULL || ca == NULL || ca_len == 0) {
        return ORND_ERR_ARG;
    }
    int rc = global_init(port);
    if (rc != ORND_OK) {
        return rc;
    }
    mbedtls_x509_crt_init(&cf->ca);
    mbedtls_ssl_config_init(&cf->conf);
    cf->ready = true;
    int mbed = mbedtls_x509_crt_parse(&cf->ca, ca, ca_len);
    if (mbed < 0 || cf->ca.raw.len == 0) {
        rc = is_alloc_error(mbed) ? ORND_ERR_NO_MEM : ORND_ERR_CONFIG_CA;
    } else {
        rc = configure(cf);
    }
    if (rc != ORND_OK) {
        ornd_tls_conf_free(cf);
    }
    return rc;
}

void ornd_tls_conf_free(ornd_tls_conf_t *cf)
{
    if (!cf->ready) {
        return;
    }
    mbedtls_ssl_config_free(&cf->conf);
    mbedtls_x509_crt_free(&cf->ca);
    cf->ready = false;
}

/* ---- connections ------------------------------------------------------- */

void ornd_tls_init(ornd_tls_t *t, const ornd_port_t *port, const ornd_tls_conf_t *cf)
{
    memset(t, 0, sizeof *t);
    t->port = port;
    t->conf = cf;
    mbedtls_ssl_init(&t->ssl);
    mbedtls_ssl_session_init(&t->session);
    t->ready = true;
}

static void forget_session(ornd_tls_t *t)
{
    mbedtls_ssl_session_free(&t->session);
    mbedtls_ssl_session_init(&t->session);
    t->has_session = false;
}

/* Keep the connection's session (with its ticket, if any) for the next
 * handshake. A session that cannot be exported is simply not kept. */
static void keep_session(ornd_tls_t *t)
{
    forget_session(t);
    t->has_session = mbedtls_ssl_get_session(&t->ssl, &t->session) == 0;
}

/* After a failed open or handshake: nothing of it is kept. */
static int abandon(ornd_tls_t *t, int rc)
{
    forget_session(t); /* never offer a session twice to a failing peer */
    mbedtls_ssl_free(&t->ssl);
    mbedtls_ssl_init(&t->ssl);
    t->port->net_close(t->port->ctx);
    t->handshaking = false;
    return rc;
}

int ornd_tls_open(ornd_tls_t *t, const char *host, uint16_t port, uint32_t timeout_ms,
                  uint32_t deadline, bool nonblocking)
{
    if (!t->ready || t->conf == NULL || !t->conf->ready || host == NULL) {
        return ORND_ERR_STATE;
    }
    if (nonblocking && t->port->net_connect_start == NULL) {
        return ORND_ERR_PORT;
    }
    ornd_tls_close(t);
    t->step_timeout_ms = timeout_ms;
    t->deadline = deadline;
    t->net_err = 0;
    t->poll_only = false;
    t->nonblocking = nonblocking;
    int rc;
    if (nonblocking) {
        rc = t->port->net_connect_start(t->port->ctx, host, port);
    } else {
        uint32_t wait = step_wait(t);
        rc = wait == 0 ? ORND_ERR_TIMEOUT : t->port->net_connect(t->port->ctx, host, port, wait);
    }
    if (rc != ORND_OK) {
        return rc;
    }
    rc = mbedtls_ssl_setup(&t->ssl, &t->conf->conf);
    if (rc == 0) {
        /* RFC 6066 §3: no SNI for an IP literal; verify_leaf checks it */
        t->ip_len = (uint8_t)mbedtls_x509_crt_parse_cn_inet_pton(host, t->ip);
        rc = mbedtls_ssl_set_hostname(&t->ssl, t->ip_len > 0u ? NULL : host);
        mbedtls_ssl_set_verify(&t->ssl, verify_leaf, t);
    }
    if (rc == 0 && t->has_session && mbedtls_ssl_set_session(&t->ssl, &t->session) != 0) {
        forget_session(t); /* not resumable: a full handshake it is */
    }
    if (rc != 0) {
        return abandon(t, map_error(t, rc));
    }
    mbedtls_ssl_set_bio(&t->ssl, t, bio_send, NULL, bio_recv_timeout);
    t->handshaking = true;
    return ORND_OK;
}

int ornd_tls_handshake(ornd_tls_t *t)
{
    if (!t->handshaking) {
        return ORND_ERR_STATE;
    }
    int rc;
    do {
        rc = mbedtls_ssl_handshake(&t->ssl);
    } while (want_io(rc) && !t->nonblocking);
    if (want_io(rc)) {
        return ORND_ERR_WOULD_BLOCK;
    }
    if (rc != 0) {
        return abandon(t, map_error(t, rc));
    }
    t->handshaking = false;
    t->connected = true;
    t->handshakes++;
    keep_session(t); /* TLS 1.2: the session ID or ticket is known now */
    return ORND_OK;
}

int ornd_tls_connect(ornd_tls_t *t, const char *host, uint16_t port, uint32_t timeout_ms,
                     uint32_t deadline)
{
    int rc = ornd_tls_open(t, host, port, timeout_ms, deadline, false);
    return rc == ORND_OK ? ornd_tls_handshake(t) : rc;
}

void ornd_tls_set_deadline(ornd_tls_t *t, uint32_t deadline)
{
    t->deadline = deadline;
}

void ornd_tls_set_nonblocking(ornd_tls_t *t, bool nonblocking)
{
    t->nonblocking = nonblocking;
}

int ornd_tls_write(ornd_tls_t *t, const uint8_t *buf, size_t len)
{
    if (!t->connected) {
        return ORND_ERR_STATE;
    }
    for (;;) {
        int n = mbedtls_ssl_write(&t->ssl, buf, len);
        if (n > 0) {
            return n;
        }
        if (n == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            keep_session(t);
        } else if (want_io(n)) {
            if (t->nonblocking) {
                return ORND_ERR_WOULD_BLOCK; /* again later, with the same bytes */
            }
        } else {
            return n < 0 ? map_error(t, n) : ORND_ERR_TLS;
        }
    }
}

int ornd_tls_write_all(ornd_tls_t *t, const uint8_t *buf, size_t len)
{
    while (len > 0) {
        int n = ornd_tls_write(t, buf, len);
        if (n < 0) {
            return n; /* ORND_ERR_WOULD_BLOCK on a non-blocking connection */
        }
        buf += n;
        len -= (size_t)n;
    }
    return t->connected ? ORND_OK : ORND_ERR_STATE;
}

int ornd_tls_read(ornd_tls_t *t, uint8_t *buf, size_t len)
{
    if (!t->connected) {
        return ORND_ERR_STATE;
    }
    for (;;) {
        int n = mbedtls_ssl_read(&t->ssl, buf, len);
        if (n > 0) {
            return n;
        }
        if (n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY) {
            return 0; /* a clean end: the peer said close_notify */
        }
        if (n == 0) {
            return ORND_ERR_CLOSED; /* the transport ended without close_notify */
        }
        if (n == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            keep_session(t); /* TLS 1.3: the ticket for the next connection */
        } else if (!want_io(n)) {
            return map_error(t, n);
        } else if (t->nonblocking) {
            return ORND_ERR_WOULD_BLOCK; /* nothing yet */
        }
        /* else: not data, nothing wrong: go on reading */
    }
}

bool ornd_tls_idle_ok(ornd_tls_t *t)
{
    if (!t->connected) {
        return false;
    }
    uint8_t byte;
    int n;
    t->poll_only = true;
    do {
        n = mbedtls_ssl_read(&t->ssl, &byte, 1);
        if (n == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            keep_session(t);
        }
    } while (n == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET);
    t->poll_only = false;
    /* Only "nothing there" leaves the connection fit for a request. */
    return n == MBEDTLS_ERR_SSL_WANT_READ;
}

void ornd_tls_close(ornd_tls_t *t)
{
    if (!t->ready) {
        return;
    }
    if (t->connected) {
        /* Best effort, never waiting: the answer is in. */
        t->poll_only = true;
        (void)mbedtls_ssl_close_notify(&t->ssl);
        t->poll_only = false;
        t->connected = false;
    }
    t->handshaking = false;
    mbedtls_ssl_free(&t->ssl);
    mbedtls_ssl_init(&t->ssl);
    t->port->net_close(t->port->ctx);
}

void ornd_tls_free(ornd_tls_t *t)
{
    if (!t->ready) {
        return;
    }
    ornd_tls_close(t);
    mbedtls_ssl_free(&t->ssl);
    forget_session(t);
    t->ready = false;
}
