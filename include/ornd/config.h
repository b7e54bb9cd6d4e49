/*
 * ornd-lite compile-time settings.
 *
 * Every constant that bounds memory lives here. The whole memory budget of a
 * client is visible on this page: the client struct is a fixed-size object
 * whose size follows from these numbers (see `make bench` for the figure).
 *
 * To override, define ORND_CONFIG_FILE as the name of your own header
 * (e.g. -DORND_CONFIG_FILE='"my_ornd_config.h"'); it is included first, and
 * only the settings it does not define take the defaults below. Each default
 * may also be given with -D on the command line.
 */
#ifndef ORND_CONFIG_H
#define ORND_CONFIG_H

#ifdef ORND_CONFIG_FILE
#include ORND_CONFIG_FILE
#endif

/* ---- Credentials and request ------------------------------------------ */

/* Longest client_id accepted (bytes, without the terminating NUL).
 * OfficeRnD ids are 24-32 characters; 128 leaves room for other schemes. */
#ifndef ORND_CONFIG_CLIENT_ID_MAX
#define ORND_CONFIG_CLIENT_ID_MAX 128u
#endif

/* Longest client_secret accepted (bytes, without NUL). */
#ifndef ORND_CONFIG_CLIENT_SECRET_MAX
#define ORND_CONFIG_CLIENT_SECRET_MAX 128u
#endif

/* Longest scope string, requested or granted (several scopes separated by
 * single spaces). Ten flex.* scopes fit comfortably. */
#ifndef ORND_CONFIG_SCOPE_MAX
#define ORND_CONFIG_SCOPE_MAX 512u
#endif

/* Longest host name of the token URL (RFC 1035 allows 253). */
#ifndef ORND_CONFIG_HOST_MAX
#define ORND_CONFIG_HOST_MAX 128u
#endif

/* Longest path of the token URL, e.g. "/oauth/token". */
#ifndef ORND_CONFIG_PATH_MAX
#define ORND_CONFIG_PATH_MAX 128u
#endif

/* Buffer the token request (request line, headers and the form body) is
 * written into before it goes to TLS. Must hold the head (~200 bytes) plus
 * the percent-encoded id, secret and scope (up to 3 bytes per input byte).
 * A request that does not fit is refused with ORND_ERR_BUF_TOO_SMALL. */
#ifndef ORND_CONFIG_REQUEST_MAX
#define ORND_CONFIG_REQUEST_MAX 1536u
#endif

/* ---- Token cache -------------------------------------------------------- */

/* Longest access token kept (bytes, without NUL). A longer token is refused
 * with ORND_ERR_TOKEN_TOO_LARGE, never cut. OfficeRnD tokens are JWTs of about
 * 1 KiB; the default leaves twice that. */
#ifndef ORND_CONFIG_TOKEN_MAX
#define ORND_CONFIG_TOKEN_MAX 2048u
#endif

/* Seconds before expiry at which a cached token is considered stale and a new
 * one is fetched (at most half the token's lifetime is used as margin). */
#ifndef ORND_CONFIG_REFRESH_MARGIN_S
#define ORND_CONFIG_REFRESH_MARGIN_S 60u
#endif

/* Lifetime assumed when the answer has no expires_in (RFC 6749 §5.1). */
#ifndef ORND_CONFIG_DEFAULT_EXPIRES_S
#define ORND_CONFIG_DEFAULT_EXPIRES_S 3600u
#endif

/* Longest lifetime honoured; longer ones are clamped. Keeps lifetimes in
 * milliseconds below 2^31 so that tick arithmetic stays wrap-safe. */
#ifndef ORND_CONFIG_MAX_EXPIRES_S
#define ORND_CONFIG_MAX_EXPIRES_S 86400u
#endif

/* ---- Server error reporting -------------------------------------------- */

/* Longest OAuth "error" code kept (e.g. "invalid_client"). */
#ifndef ORND_CONFIG_ERROR_CODE_MAX
#define ORND_CONFIG_ERROR_CODE_MAX 48u
#endif

/* Longest server error text kept (error_description, message, or the start of
 * a non-JSON body). Longer text is cut and flagged as truncated. */
#ifndef ORND_CONFIG_ERROR_TEXT_MAX
#define ORND_CONFIG_ERROR_TEXT_MAX 200u
#endif

/* ---- HTTP reader ------------------------------------------------------- */

/* Longest value held of a header field the library uses (Content-Length,
 * Transfer-Encoding, Connection, Retry-After) or that a caller names
 * (ornd_http_reader_cfg_t.fields, e.g. WWW-Authenticate), after OWS is
 * trimmed, and longest chunk-size line. A longer used value is
 * ORND_ERR_HTTP_FIELD_TOO_LONG or ORND_ERR_HTTP_NAMED_FIELD_TOO_LONG, a
 * longer chunk-size line ORND_ERR_HTTP_LINE_TOO_LONG. Fields the library
 * does not use are checked and skipped whatever their length, never held. */
#ifndef ORND_CONFIG_HTTP_FIELD_MAX
#define ORND_CONFIG_HTTP_FIELD_MAX 384u
#endif

/* Longest field name a caller may name; longer names are never matched. */
#ifndef ORND_CONFIG_HTTP_NAME_MAX
#define ORND_CONFIG_HTTP_NAME_MAX 32u
#endif

/* Most bytes of status line plus headers (or of trailers) accepted in one
 * response; counted, not stored. More is ORND_ERR_HTTP_HEADERS_TOO_LARGE.
 * CDNs and web frameworks send heads of 8-24 KiB (cookies, CSP). */
#ifndef ORND_CONFIG_HTTP_HEADERS_MAX
#define ORND_CONFIG_HTTP_HEADERS_MAX 32768u
#endif

/* Most header fields (or trailer fields) accepted in one response. */
#ifndef ORND_CONFIG_HTTP_HEADER_COUNT_MAX
#define ORND_CONFIG_HTTP_HEADER_COUNT_MAX 256u
#endif

/* Largest response body accepted on the token path; the token answer is
 * about 1.2 KiB. More is ORND_ERR_HTTP_BODY_TOO_LARGE. */
#ifndef ORND_CONFIG_TOKEN_BODY_MAX
#define ORND_CONFIG_TOKEN_BODY_MAX 16384u
#endif

/* ---- JSON scanner ------------------------------------------------------ */

/* Deepest nesting of arrays and objects accepted. Each level costs one bit of
 * scanner state. Deeper input is ORND_ERR_JSON_DEPTH. */
#ifndef ORND_CONFIG_JSON_DEPTH_MAX
#define ORND_CONFIG_JSON_DEPTH_MAX 32u
#endif

/* ---- TLS ---------------------------------------------------------------- */

/* Static pool mbedTLS allocates from (record buffers, handshake state, the
 * parsed CA certificates). A full handshake with 16 KiB input records needs
 * about 40 KiB plus the CA certificates (~1.7 KiB each once parsed); the host
 * tool raises this to hold the system CA bundle. */
#ifndef ORND_CONFIG_TLS_POOL_SIZE
#define ORND_CONFIG_TLS_POOL_SIZE (64u * 1024u)
#endif

/* Default network timeout for connect, each send and each receive (ms). */
#ifndef ORND_CONFIG_TIMEOUT_MS
#define ORND_CONFIG_TIMEOUT_MS 10000u
#endif

/* Chunk read from TLS at a time while reading a response. */
#ifndef ORND_CONFIG_RECV_CHUNK
#define ORND_CONFIG_RECV_CHUNK 256u
#endif

/* ---- Token request hygiene ---------------------------------------------- */

/* Token requests allowed per minute and client, failed ones included
 * (OfficeRnD allows 5 per application). A further request within the minute
 * is held back with ORND_ERR_TOKEN_HELD. */
#ifndef ORND_CONFIG_TOKEN_REQUESTS_PER_MIN
#define ORND_CONFIG_TOKEN_REQUESTS_PER_MIN 5u
#endif

/* Back-off after a failed token request: base << (failures - 1), capped,
 * then a random half of it taken off ("equal jitter"), so that a fleet that
 * failed together does not retry together. A server's Retry-After, when
 * longer, is honoured instead (capped at ORND_CONFIG_RETRY_AFTER_MAX_S). */
#ifndef ORND_CONFIG_BACKOFF_BASE_MS
#define ORND_CONFIG_BACKOFF_BASE_MS 1000u
#endif
#ifndef ORND_CONFIG_BACKOFF_MAX_MS
#define ORND_CONFIG_BACKOFF_MAX_MS 300000u
#endif
#ifndef ORND_CONFIG_RETRY_AFTER_MAX_S
#define ORND_CONFIG_RETRY_AFTER_MAX_S 3600u
#endif

/* ---- API calls ------------------------------------------------------------ */

/* Request head of an API call (request line, Host, Authorization with the
 * token, Content-Type/Length), while it is built also holding the request
 * target. The body is sent from the caller's memory. */
#ifndef ORND_CONFIG_API_HEAD_MAX
#define ORND_CONFIG_API_HEAD_MAX (ORND_CONFIG_TOKEN_MAX + 1536u)
#endif

/* Base path of the API (/api/v2/organizations/<org>). */
#ifndef ORND_CONFIG_API_BASE_MAX
#define ORND_CONFIG_API_BASE_MAX 160u
#endif

/* Longest path (with query) the paging helper builds, and longest cursor it
 * takes from a page's cursorNext (ornd/pages.h). */
#ifndef ORND_CONFIG_API_PATH_MAX
#define ORND_CONFIG_API_PATH_MAX 512u
#endif
#ifndef ORND_CONFIG_API_CURSOR_MAX
#define ORND_CONFIG_API_CURSOR_MAX 256u
#endif

/* Start of an API error body kept for the caller (bytes). */
#ifndef ORND_CONFIG_API_ERROR_TEXT_MAX
#define ORND_CONFIG_API_ERROR_TEXT_MAX 200u
#endif

/* ---- Field matcher (ornd/match.h) --------------------------------------- */

/* Most paths one matcher looks for at once (at most 32: one bit each in the
 * matcher's masks). Each path costs about 12 + 4 * STEPS_MAX bytes. */
#ifndef ORND_CONFIG_MATCH_PATHS_MAX
#define ORND_CONFIG_MATCH_PATHS_MAX 8u
#endif

/* Most steps in one path ("results[].email" has three: results, [], email);
 * at most 32. A path cannot match deeper than ORND_CONFIG_JSON_DEPTH_MAX. */
#ifndef ORND_CONFIG_MATCH_STEPS_MAX
#define ORND_CONFIG_MATCH_STEPS_MAX 8u
#endif

/* Longest member name in a path (bytes, at most 255). Member names in the
 * document may be of any length; longer ones simply match nothing. */
#ifndef ORND_CONFIG_MATCH_NAME_MAX
#define ORND_CONFIG_MATCH_NAME_MAX 64u
#endif

#endif /* ORND_CONFIG_H */
