/* SPDX-License-Identifier: MIT */
/* mbedTLS glue: verified TLS over a transport, in storage of a fixed size. */
#define ORND_ALLOW_PRIVATE_ACCESS
#include "ornd/core/tls.h"
#include "ornd/core/tls_transport.h"

#include <stdalign.h>
#include <string.h>

/* mbedtls/version.h first: it exists in every mbedTLS (2.x has no
 * build_info.h), so an old one stops the build with the message below. */
#include <mbedtls/version.h>
#if !defined(MBEDTLS_VERSION_NUMBER) || MBEDTLS_VERSION_NUMBER < 0x03060000
#error "ornd-lite needs mbedTLS 3.6 LTS or a later 3.x (mbedtls/version.h says older)"
#endif

#include <mbedtls/build_info.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/net_sockets.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/psa_util.h>
#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>
#include <psa/crypto.h>

#include "ornd/config.h"
#include "ornd/error.h"
#include "wall_clock.h"

/* ---- what the library needs of mbedTLS, in one place ---------------------- */

/* The version: checked above, before the headers 2.x lacks. */
#if !defined(MBEDTLS_SSL_CLI_C)
#error "ornd-lite needs MBEDTLS_SSL_CLI_C (TLS client)"
#endif
#if !defined(MBEDTLS_SSL_PROTO_TLS1_2) && !defined(MBEDTLS_SSL_PROTO_TLS1_3)
#error "ornd-lite needs MBEDTLS_SSL_PROTO_TLS1_2 or MBEDTLS_SSL_PROTO_TLS1_3"
#endif
#if !defined(MBEDTLS_X509_CRT_PARSE_C)
#error "ornd-lite needs MBEDTLS_X509_CRT_PARSE_C (server certificates are verified)"
#endif
#if !defined(MBEDTLS_PEM_PARSE_C)
#error "ornd-lite needs MBEDTLS_PEM_PARSE_C (CA certificates are given as PEM)"
#endif
#if !defined(MBEDTLS_PSA_CRYPTO_C)
#error "ornd-lite needs MBEDTLS_PSA_CRYPTO_C (its RNG feeds the handshake)"
#endif

/* The mbedTLS objects, kept in the storage ornd/config.h sizes. */
typedef struct {
    mbedtls_x509_crt ca;
    mbedtls_ssl_config conf;
} conf_mbed_t;

typedef struct {
    mbedtls_ssl_context ssl;
    mbedtls_ssl_session session;
} conn_mbed_t;

_Static_assert(sizeof(conf_mbed_t) <= ORND_CONFIG_TLS_CONF_STORAGE,
               "mbedTLS's x509_crt + ssl_config do not fit ORND_CONFIG_TLS_CONF_STORAGE: raise it");
_Static_assert(
    sizeof(conn_mbed_t) <= ORND_CONFIG_TLS_CONN_STORAGE,
    "mbedTLS's ssl_context + ssl_session do not fit ORND_CONFIG_TLS_CONN_STORAGE: raise it");
_Static_assert(alignof(conf_mbed_t) <= alignof(ornd_tls_conf_t) &&
                   alignof(conn_mbed_t) <= alignof(ornd_tls_t),
               "mbedTLS's objects need more alignment than the TLS storage has");

static conf_mbed_t *CF(ornd_tls_conf_t *cf)
{
    return (conf_mbed_t *)(void *)cf->mbed.bytes_;
}

static const conf_mbed_t *CF_CONST(const ornd_tls_conf_t *cf)
{
    return (const conf_mbed_t *)(const void *)cf->mbed.bytes_;
}

static conn_mbed_t *CN(ornd_tls_t *t)
{
    return (conn_mbed_t *)(void *)t->mbed.bytes_;
}

static mbedtls_ssl_context *SSL(ornd_tls_t *t)
{
    return &CN(t)->ssl;
}

/* ---- I/O callbacks: mbedTLS to the transport ------------------------------ */

/* One transport call for mbedTLS: receive into `in`, or (`in` NULL) send
 * from `out`. The count moved; 0 for the end of the stream (receiving);
 * mbedTLS's "later" when a step that must not wait finds the transport not
 * ready; else a failure, the transport's error kept for map_error (the
 * step's time used up is ORND_ERR_TIMEOUT). mbedTLS asks for at most one
 * record buffer (MBEDTLS_SSL_IN/OUT_BUFFER_LEN), so `len`, and a count of at
 * most `len`, fits its int. */
static int bio_call(ornd_tls_t *t, unsigned char *in, size_t len, const unsigned char *out)
{
    const ornd_transport_t *tr = t->transport;
    uint32_t wait;
    size_t moved = 0;
    ornd_err_t rc = ORND_ERR_TIMEOUT;
    if (ornd_tls_may_call(t, &wait)) {
        rc = in != NULL ? tr->recv(tr->ctx, in, len, wait, &moved)
                        : tr->send(tr->ctx, out, len, wait, &moved);
    }
    if (rc == ORND_OK && moved > 0 && moved <= len) {
        return (int)moved;
    }
    if (rc == ORND_ERR_WOULD_BLOCK && wait == 0) { /* a call that was not to wait */
        return in != NULL ? MBEDTLS_ERR_SSL_WANT_READ : MBEDTLS_ERR_SSL_WANT_WRITE;
    }
    if (rc == ORND_ERR_CLOSED && in != NULL) {
        return 0; /* mbedTLS's "end of stream" */
    }
    t->net_err = rc < 0 && rc != ORND_ERR_WOULD_BLOCK ? rc : ORND_ERR_NET; /* never ORND_OK */
    return in != NULL ? MBEDTLS_ERR_NET_RECV_FAILED : MBEDTLS_ERR_NET_SEND_FAILED;
}

static int bio_send(void *ctx, const unsigned char *buf, size_t len)
{
    return bio_call(ctx, NULL, len, buf);
}

static int bio_recv_timeout(void *ctx, unsigned char *buf, size_t len, uint32_t timeout)
{
    (void)timeout; /* the step timeout and deadline are ours */
    return bio_call(ctx, buf, len, NULL);
}

static bool want_io(int mbed)
{
    return mbed == MBEDTLS_ERR_SSL_WANT_READ || mbed == MBEDTLS_ERR_SSL_WANT_WRITE;
}

/* ---- error mapping ---------------------------------------------------- */

static ornd_err_t map_verify_flags(uint32_t flags)
{
    if (flags & (MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE)) {
        return ORND_ERR_TLS_CERT_EXPIRED;
    }
    if (flags & MBEDTLS_X509_BADCERT_CN_MISMATCH) {
        return ORND_ERR_TLS_HOSTNAME;
    }
    return ORND_ERR_TLS_CERT;
}

/* mbedTLS's and PSA's "out of memory", one per module that allocates. */
static const int16_t alloc_errors[] = {
    MBEDTLS_ERR_SSL_ALLOC_FAILED, MBEDTLS_ERR_X509_ALLOC_FAILED, MBEDTLS_ERR_PK_ALLOC_FAILED,
    MBEDTLS_ERR_MPI_ALLOC_FAILED, MBEDTLS_ERR_ECP_ALLOC_FAILED,  MBEDTLS_ERR_ASN1_ALLOC_FAILED,
    MBEDTLS_ERR_PEM_ALLOC_FAILED, PSA_ERROR_INSUFFICIENT_MEMORY,
};

static bool is_alloc_error(int mbed)
{
    for (size_t i = 0; i < sizeof alloc_errors / sizeof alloc_errors[0]; i++) {
        if (mbed == alloc_errors[i]) {
            return true;
        }
    }
    return false;
}

/* Turn an mbedTLS error into the library's, preferring what the transport
 * said: mbedTLS's send and receive failures are bio_call's, which kept the
 * transport's error (never ORND_OK) in net_err before returning them. */
static ornd_err_t map_error(ornd_tls_t *t, int mbed)
{
    if (mbed == MBEDTLS_ERR_NET_SEND_FAILED || mbed == MBEDTLS_ERR_NET_RECV_FAILED) {
        return t->net_err;
    }
    if (mbed == MBEDTLS_ERR_SSL_CONN_EOF) {
        return ORND_ERR_CLOSED;
    }
    if (mbed == MBEDTLS_ERR_X509_CERT_VERIFY_FAILED) {
        return map_verify_flags(mbedtls_ssl_get_verify_result(SSL(t)));
    }
    if (mbed == MBEDTLS_ERR_ENTROPY_SOURCE_FAILED) {
        return ORND_ERR_ENTROPY; /* PSA's draw (the handshake's randomness) failed */
    }
    return is_alloc_error(mbed) ? ORND_ERR_NO_MEM : ORND_ERR_TLS;
}

/* ---- certificate dates: the platform's wall clock ------------------------ */

#define DATE_FLAGS ((uint32_t)(MBEDTLS_X509_BADCERT_EXPIRED | MBEDTLS_X509_BADCERT_FUTURE))

/* Each certificate of the chain: its validity against the time the
 * connection was given. With no time (the INSECURE opt-in) the dates are
 * not checked, also not by mbedTLS's own clock, which then knows no better. */
static void check_dates(const ornd_tls_t *t, const mbedtls_x509_crt *crt, uint32_t *flags)
{
    if (!t->time_known) {
        *flags &= ~DATE_FLAGS;
        return;
    }
    struct tm tm;
    ornd__utc_from_unix(t->unix_time, &tm);
    const mbedtls_x509_time now = {.year = tm.tm_year + 1900,
                                   .mon = tm.tm_mon + 1,
                                   .day = tm.tm_mday,
                                   .hour = tm.tm_hour,
                                   .min = tm.tm_min,
                                   .sec = tm.tm_sec};
    if (mbedtls_x509_time_cmp(&crt->valid_to, &now) < 0) {
        *flags |= MBEDTLS_X509_BADCERT_EXPIRED;
    }
    if (mbedtls_x509_time_cmp(&crt->valid_from, &now) > 0) {
        *flags |= MBEDTLS_X509_BADCERT_FUTURE;
    }
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
static void check_name(const ornd_tls_t *t, const mbedtls_x509_crt *crt, uint32_t *flags)
{
    if (!mbedtls_x509_crt_has_ext_type(crt, MBEDTLS_X509_EXT_SUBJECT_ALT_NAME) ||
        (t->ip_len > 0u && !san_has_ip(&crt->subject_alt_names, t->ip, t->ip_len))) {
        *flags |= MBEDTLS_X509_BADCERT_CN_MISMATCH;
    }
}

/* mbedTLS's verify callback, per connection, for each certificate of the
 * chain: the dates of every one, the name of the server's own (depth 0). */
static int verify_cert(void *ctx, mbedtls_x509_crt *crt, int depth, uint32_t *flags)
{
    const ornd_tls_t *t = ctx;
    check_dates(t, crt, flags);
    if (depth == 0) {
        check_name(t, crt, flags);
    }
    return 0;
}

/* unix_time is read only while time_known (check_dates). */
void ornd_tls_set_time(ornd_tls_t *t, const int64_t *unix_time)
{
    t->time_known = unix_time != NULL;
    if (unix_time != NULL) {
        t->unix_time = *unix_time;
    }
}

/* ---- configuration, shared by connections --------------------------- */

/* The client's configuration over the CA certificates `ca`: 0, or the error
 * of mbedtls_ssl_config_defaults() (the settings after it cannot fail). */
static int configure(mbedtls_ssl_config *conf, mbedtls_x509_crt *ca)
{
    int rc = mbedtls_ssl_config_defaults(conf, MBEDTLS_SSL_IS_CLIENT, MBEDTLS_SSL_TRANSPORT_STREAM,
                                         MBEDTLS_SSL_PRESET_DEFAULT);
    if (rc != 0) {
        return rc;
    }
    mbedtls_ssl_conf_authmode(conf, MBEDTLS_SSL_VERIFY_REQUIRED);
    mbedtls_ssl_conf_ca_chain(conf, ca, NULL);
    mbedtls_ssl_conf_rng(conf, mbedtls_psa_get_random, MBEDTLS_PSA_RANDOM_STATE);
    mbedtls_ssl_conf_min_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_2);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    mbedtls_ssl_conf_max_tls_version(conf, MBEDTLS_SSL_VERSION_TLS1_3);
#endif
#if defined(MBEDTLS_SSL_SESSION_TICKETS)
    mbedtls_ssl_conf_session_tickets(conf, MBEDTLS_SSL_SESSION_TICKETS_ENABLED);
#if defined(MBEDTLS_SSL_PROTO_TLS1_3)
    /* TLS 1.3 tickets come after the handshake; keep them (ornd_tls_read). */
    mbedtls_ssl_conf_tls13_enable_signal_new_session_tickets(
        conf, MBEDTLS_SSL_TLS1_3_SIGNAL_NEW_SESSION_TICKETS_ENABLED);
#endif
#endif
    return 0;
}

ornd_err_t ornd_tls_conf_init(ornd_tls_conf_t *cf, const uint8_t *ca, size_t ca_len)
{
    cf->ready = false; /* until the mbedTLS objects are initialised */
    if (ca == NULL || ca_len == 0) {
        return ORND_ERR_ARG;
    }
    /* PSA is up (psa_crypto_init() does nothing when it already is); a
     * failure leaves nothing behind */
    int mbed = psa_crypto_init();
    ornd_err_t rc = mbed == PSA_ERROR_INSUFFICIENT_ENTROPY ? ORND_ERR_ENTROPY : ORND_ERR_TLS;
    if (mbed == PSA_SUCCESS) {
        conf_mbed_t *m = CF(cf);
        mbedtls_x509_crt_init(&m->ca);
        mbedtls_ssl_config_init(&m->conf);
        cf->ready = true;
        /* 0: every certificate parsed, and at least one (mbedTLS says
         * "unknown format" for none); > 0: that many certificates of a PEM
         * bundle could not be parsed (the others were): refused whole,
         * never trusted short */
        mbed = mbedtls_x509_crt_parse(&m->ca, ca, ca_len);
        rc = ORND_ERR_CONFIG_CA;
        if (mbed == 0) {
            mbed = configure(&m->conf, &m->ca);
            if (mbed == 0) {
                return ORND_OK;
            }
            rc = ORND_ERR_TLS;
        }
        ornd_tls_conf_free(cf);
    }
    /* out of memory, PSA's (psa_crypto_init()) or mbedTLS's, whatever the step */
    return is_alloc_error(mbed) ? ORND_ERR_NO_MEM : rc;
}

void ornd_tls_conf_free(ornd_tls_conf_t *cf)
{
    if (!cf->ready) {
        return;
    }
    mbedtls_ssl_config_free(&CF(cf)->conf);
    mbedtls_x509_crt_free(&CF(cf)->ca);
    cf->ready = false;
}

/* ---- connections ------------------------------------------------------- */

void ornd_tls_init(ornd_tls_t *t, const ornd_platform_t *platform,
                   const ornd_transport_t *transport, const ornd_tls_conf_t *cf)
{
    memset(t, 0, sizeof *t);
    t->platform = platform;
    t->transport = transport;
    t->conf = cf;
    mbedtls_ssl_init(SSL(t));
    mbedtls_ssl_session_init(&CN(t)->session);
    t->ready = true;
}

static void forget_session(ornd_tls_t *t)
{
    mbedtls_ssl_session_free(&CN(t)->session);
    mbedtls_ssl_session_init(&CN(t)->session);
    t->has_session = false;
}

/* Keep the connection's session (with its ticket, if any) for the next
 * handshake. A session that cannot be exported is simply not kept. */
static void keep_session(ornd_tls_t *t)
{
    forget_session(t);
    t->has_session = mbedtls_ssl_get_session(SSL(t), &CN(t)->session) == 0;
}

/* After a failed open or handshake: its error (mbedTLS's `mbed`, mapped
 * while the context still holds it); nothing of it is kept (not connected,
 * so no close_notify). */
static ornd_err_t abandon(ornd_tls_t *t, int mbed)
{
    const ornd_err_t rc = map_error(t, mbed);
    forget_session(t); /* never offer a session twice to a failing peer */
    ornd_tls_close(t);
    return rc;
}

ornd_err_t ornd_tls_open(ornd_tls_t *t, const char *host, uint16_t port, uint32_t timeout_ms,
                         uint32_t deadline, bool nonblocking)
{
    ornd_err_t rc = ornd_tls_transport_open(t, host, port, timeout_ms, deadline, nonblocking);
    if (rc != ORND_OK) {
        return rc;
    }
    int mbed = mbedtls_ssl_setup(SSL(t), &CF_CONST(t->conf)->conf);
    if (mbed == 0) {
        /* RFC 6066 §3: no SNI for an IP literal; check_name checks it */
        t->ip_len = (uint8_t)mbedtls_x509_crt_parse_cn_inet_pton(host, t->ip);
        mbed = mbedtls_ssl_set_hostname(SSL(t), t->ip_len > 0u ? NULL : host);
    }
    if (mbed == 0 && t->has_session && mbedtls_ssl_set_session(SSL(t), &CN(t)->session) != 0) {
        forget_session(t); /* not resumable: a full handshake it is */
    }
    if (mbed != 0) {
        return abandon(t, mbed);
    }
    mbedtls_ssl_set_verify(SSL(t), verify_cert, t);
    mbedtls_ssl_set_bio(SSL(t), t, bio_send, NULL, bio_recv_timeout);
    t->handshaking = true;
    return ORND_OK;
}

ornd_err_t ornd_tls_handshake(ornd_tls_t *t)
{
    if (!t->handshaking) {
        return ORND_ERR_STATE;
    }
    int rc;
    do {
        rc = mbedtls_ssl_handshake(SSL(t));
    } while (want_io(rc) && !t->nonblocking);
    if (want_io(rc)) {
        return ORND_ERR_WOULD_BLOCK;
    }
    if (rc != 0) {
        return abandon(t, rc);
    }
    t->handshaking = false;
    t->connected = true;
    t->handshakes++;
    keep_session(t); /* TLS 1.2: the session ID or ticket is known now */
    return ORND_OK;
}

void ornd_tls_set_deadline(ornd_tls_t *t, uint32_t deadline)
{
    t->deadline = deadline;
}

void ornd_tls_set_nonblocking(ornd_tls_t *t, bool nonblocking)
{
    t->nonblocking = nonblocking;
}

/* Read into `in`, or (`in` NULL) write from `out`, *count bytes at most:
 * *count is then what was moved (0 but for ORND_OK). mbedTLS is called
 * again after a ticket (kept) and, on a blocking connection, after "later". */
static ornd_err_t tls_io(ornd_tls_t *t, uint8_t *in, const uint8_t *out, size_t *count)
{
    const size_t len = *count;
    *count = 0;
    if (!t->connected) {
        return ORND_ERR_STATE;
    }
    for (;;) {
        int n =
            in != NULL ? mbedtls_ssl_read(SSL(t), in, len) : mbedtls_ssl_write(SSL(t), out, len);
        if (n > 0) {
            *count = (size_t)n;
            return ORND_OK;
        }
        if (n == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            keep_session(t); /* TLS 1.3: the ticket for the next connection */
        } else if (want_io(n)) {
            if (t->nonblocking) {
                return ORND_ERR_WOULD_BLOCK; /* nothing yet, or again later with the same bytes */
            }
        } else if (in != NULL && (n == 0 || n == MBEDTLS_ERR_SSL_PEER_CLOSE_NOTIFY)) {
            /* the transport ended without close_notify, or a clean end: the
             * peer said close_notify */
            return n == 0 ? ORND_ERR_TRUNCATED : ORND_ERR_CLOSED;
        } else {
            return map_error(t, n); /* ORND_ERR_TLS for a write of nothing (0) */
        }
        /* else: not data, nothing wrong: go on */
    }
}

ornd_err_t ornd_tls_write(ornd_tls_t *t, const uint8_t *buf, size_t len, size_t *written)
{
    *written = len;
    return tls_io(t, NULL, buf, written);
}

ornd_err_t ornd_tls_read(ornd_tls_t *t, uint8_t *buf, size_t len, size_t *got)
{
    *got = len;
    return tls_io(t, buf, NULL, got);
}

bool ornd_tls_idle_ok(ornd_tls_t *t)
{
    if (!t->connected) {
        return false;
    }
    uint8_t byte;
    int n = 0;
    int prev = 0;
    t->poll_only = true;
    /* A read that meets a TLS 1.3 ticket says WANT_READ and takes the ticket
     * in on the next call: read until two WANT_READs in a row (nothing
     * there) or anything else (a close_notify, data, an error) behind it.
     * Bounded, for a server that sends nothing but tickets. */
    for (int pass = 0; pass < 16; pass++) {
        prev = n;
        n = mbedtls_ssl_read(SSL(t), &byte, 1);
        if (n == MBEDTLS_ERR_SSL_RECEIVED_NEW_SESSION_TICKET) {
            keep_session(t);
        } else if (n != MBEDTLS_ERR_SSL_WANT_READ || prev == MBEDTLS_ERR_SSL_WANT_READ) {
            break;
        }
    }
    t->poll_only = false;
    /* Only "nothing there" leaves the connection fit for a request. */
    return n == MBEDTLS_ERR_SSL_WANT_READ;
}

bool ornd_tls_connected(const ornd_tls_t *t)
{
    return t->connected;
}

uint32_t ornd_tls_handshakes(const ornd_tls_t *t)
{
    return t->handshakes;
}

void ornd_tls_close(ornd_tls_t *t)
{
    if (!t->ready) {
        return;
    }
    if (t->connected) {
        /* Best effort, never waiting: the answer is in. */
        t->poll_only = true;
        (void)mbedtls_ssl_close_notify(SSL(t));
        t->poll_only = false;
        t->connected = false;
    }
    t->handshaking = false;
    mbedtls_ssl_free(SSL(t));
    mbedtls_ssl_init(SSL(t));
    t->transport->close(t->transport->ctx);
}

void ornd_tls_free(ornd_tls_t *t)
{
    if (!t->ready) {
        return;
    }
    ornd_tls_close(t); /* which leaves the context freed (as initialised) */
    forget_session(t);
    t->ready = false;
}
