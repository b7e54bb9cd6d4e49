/* SPDX-License-Identifier: MIT */
/*
 * mps2-an386 network firmware: fetches an OfficeRnD token over Ethernet.
 *
 * A bare-metal super loop: the LAN9118 driver (lan9118.c) as an lwIP netif
 * (netif_lan9118.c), lwIP 2.2.1 with NO_SYS 1 and a static IPv4 address,
 * and ornd-lite on port/lwip's raw-API port (its platform once, a transport
 * for the token connection and one for the API's). By default (mode=poll) the
 * loop feeds received frames to lwIP, runs its timers and calls
 * ornd_token_poll() once a pass, which never waits; with mode=block the
 * fetch is one ornd_auth_header() call, during which the transport's poll hook
 * does the feeding and the timers. It reads its configuration, the CA
 * certificates and its entropy from host files over semihosting (QEMU's
 * -semihosting-config target=native), fetches a token, prints the
 * "Authorization: Bearer ..." header on stdout and exits:
 *
 *   0 token fetched, 2 configuration, 3 network or TLS, 4 rejected by the
 *   server, 6 try later (also: the time is unknown), 5 other (as
 *   ornd_err_class() sorts the error)
 *
 * The wall clock (certificate dates) comes from SNTP: before its first
 * connection the firmware asks the configured server with lwIP's SNTP
 * client and waits for the answer (sntp_wait_ms at most); lwIP asks again
 * every MPS2_SNTP_REFRESH_S (lwipopts.h) and the clock runs on from SysTick
 * in between (wallclock.h: how stale it may get). Without an answer the
 * time is unknown and ornd-lite refuses to connect (ORND_ERR_TIME_UNKNOWN),
 * unless insecure_accept_unknown_time=1.
 *
 * Progress and errors go to stderr. The configuration file is named by the
 * second word of the semihosting command line (QEMU: -semihosting-config
 * ...,arg=netfw,arg=FILE); one key=value per line, '#' starts a comment:
 *
 *   url=https://localhost:8443/oauth/token   token URL (required)
 *   client_id=...                             (required)
 *   client_secret=...                         (required; the rest of the line)
 *   scope=flex.community.members.read
 *   ca_file=certs/ca.pem                      trusted CA, PEM (required)
 *   ip=10.77.0.2  netmask=255.255.255.0  gateway=10.77.0.1   (each on its line)
 *   host=localhost=10.77.0.1                  host table entry (at most 2)
 *   dns=10.77.0.1                             DNS server (optional)
 *   sntp=10.77.0.1                            SNTP server (IPv4 address)
 *   sntp_wait_ms=10000                        longest wait for its first answer
 *   sntp_refresh_s=3600                       then ask every this many s (>= 15;
 *                                             default MPS2_SNTP_REFRESH_S)
 *   linger_ms=0                               at the end, run the network this
 *                                             long more (SNTP refreshes go on)
 *   insecure_accept_unknown_time=1            INSECURE, benches only: connect
 *                                             without a known time, certificate
 *                                             dates NOT checked
 *   entropy_file=/dev/urandom                 (the default; a TEST CRUTCH)
 *   timeout_ms=5000                           each network step
 *   count=1                                   fetches, each on a new connection
 *   mode=poll                                 poll (never blocking) or block
 *   api_url=https://localhost:8444/api/v2/organizations   then, with a token,
 *   org=test-org                              one API request: GET api_get,
 *   api_get=/members?$limit=3                 printing "email: ..." for each
 *                                             results[].email of the answer
 *
 * Entropy, a TEST CRUTCH: every random byte of TLS comes from the host's
 * /dev/urandom, read over semihosting as needed, through the platform's
 * entropy member (which PSA draws from: ornd_tls_use_platform_rng()). That
 * is the host's CSPRNG, good for testing under QEMU only. A real board has
 * no host: it MUST put a TRNG-seeded source (its TRNG, conditioned as its
 * reference manual says, or a DRBG seeded from it) in that member
 * (crutch_entropy() below is the one function to replace). The offline
 * firmware.elf's placeholder entropy (port_mps2.c) is not linked here.
 * mbedTLS allocates from the library's static pool
 * (ornd_tls_use_static_pool()): ornd-lite is its only user here.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "lan9118.h"
#include "lwip/apps/sntp.h"
#include "lwip/dns.h"
#include "lwip/init.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/timeouts.h"
#include "lwip_arch.h"
#include "netif_lan9118.h"
#include "ornd/api.h"
#include "ornd/client.h"
#include "ornd/match.h"
#include "ornd/tls_setup.h"
#include "ornd_lwip_raw.h"
#include "semihost.h"
#include "stack.h"
#include "systick.h"
#include "wallclock.h"

#define EXIT_CONFIG 2
#define CONF_MAX 2048u
#define CA_MAX (8u * 1024u) /* PEM of the roots the token host needs */
#define HOSTS_MAX 2
#define COUNT_MAX 5u /* the client's own limit is 5 token requests a minute */

typedef struct {
    const char *url, *client_id, *scope, *ca_file, *entropy_file;
    char *client_secret; /* in conf_text, wiped once the client has its copy */
    ip4_addr_t ip, netmask, gateway, dns, sntp;
    bool have_ip, have_dns, have_sntp;
    uint32_t sntp_wait_ms, linger_ms;
    bool insecure_unknown_time; /* insecure_accept_unknown_time=1 */
    const char *host_name[HOSTS_MAX];
    ip4_addr_t host_addr[HOSTS_MAX];
    int hosts;
    uint32_t timeout_ms;
    unsigned long count;
    bool block;                          /* mode=block: fetch with the blocking call */
    const char *api_url, *org, *api_get; /* the optional API request */
} netfw_conf_t;

static char cmdline[256];
static char conf_text[CONF_MAX + 1u];
static uint8_t ca_pem[CA_MAX + 1u];
static netfw_conf_t conf;
static long entropy_handle = -1;

static struct netif nif;
static ornd_lwip_raw_platform_t sys;
static ornd_platform_t platform;
static ornd_lwip_raw_conn_t conn;
static ornd_transport_t transport;
static ornd_client_t client;

/* ---- output ----------------------------------------------------------------- */

static void err_puts(const char *s)
{
    sh_write(2, s, strlen(s));
}

static void err_u32(unsigned long v)
{
    char d[11];
    size_t i = sizeof d;
    d[--i] = '\0';
    do {
        d[--i] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    err_puts(&d[i]);
}

static void err_hex(uint32_t v)
{
    char d[11] = "0x";
    for (int i = 0; i < 8; i++) {
        d[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xfu];
    }
    d[10] = '\0';
    err_puts(d);
}

static void err_line(const char *a, const char *b)
{
    err_puts("netfw: ");
    err_puts(a);
    err_puts(b);
    err_puts("\n");
}

/* ---- configuration, over semihosting -------------------------------------- */

/* Read a whole host file into buf (cap bytes and a NUL). Its length, or -1
 * when it cannot be opened or read, -2 when it is larger than cap. */
static long read_host_file(const char *path, void *buf, size_t cap)
{
    long h = sh_open_read(path);
    if (h < 0) {
        return -1;
    }
    long len = sh_flen(h);
    long got = -1;
    if (len >= 0 && (size_t)len > cap) {
        got = -2;
    } else if (len >= 0) {
        got = len == 0 ? 0 : sh_read(h, buf, (size_t)len);
        if (got != len) {
            got = -1;
        }
    }
    sh_close(h);
    if (got >= 0) {
        ((char *)buf)[got] = '\0';
    }
    return got;
}

static int parse_ip(const char *key, const char *val, ip4_addr_t *out)
{
    if (!ip4addr_aton(val, out)) {
        err_line("not an IPv4 address: ", key);
        return -1;
    }
    return 0;
}

static int parse_number(const char *key, const char *val, unsigned long max, unsigned long *out)
{
    char *end = NULL;
    unsigned long v = strtoul(val, &end, 10);
    if (end == val || *end != '\0' || v == 0 || v > max) {
        err_line("bad number for ", key);
        return -1;
    }
    *out = v;
    return 0;
}

static int parse_line(char *line)
{
    char *eq = strchr(line, '=');
    if (eq == NULL) {
        err_line("configuration line without '=': ", line);
        return -1;
    }
    *eq = '\0';
    const char *key = line;
    char *val = eq + 1;
    unsigned long n = 0;
    if (strcmp(key, "url") == 0) {
        conf.url = val;
    } else if (strcmp(key, "client_id") == 0) {
        conf.client_id = val;
    } else if (strcmp(key, "client_secret") == 0) {
        conf.client_secret = val;
    } else if (strcmp(key, "scope") == 0) {
        conf.scope = val;
    } else if (strcmp(key, "ca_file") == 0) {
        conf.ca_file = val;
    } else if (strcmp(key, "entropy_file") == 0) {
        conf.entropy_file = val;
    } else if (strcmp(key, "ip") == 0) {
        conf.have_ip = true;
        return parse_ip(key, val, &conf.ip);
    } else if (strcmp(key, "netmask") == 0) {
        return parse_ip(key, val, &conf.netmask);
    } else if (strcmp(key, "gateway") == 0) {
        return parse_ip(key, val, &conf.gateway);
    } else if (strcmp(key, "dns") == 0) {
        conf.have_dns = true;
        return parse_ip(key, val, &conf.dns);
    } else if (strcmp(key, "sntp") == 0) {
        conf.have_sntp = true;
        return parse_ip(key, val, &conf.sntp);
    } else if (strcmp(key, "sntp_wait_ms") == 0) {
        if (parse_number(key, val, 120000u, &n) != 0) {
            return -1;
        }
        conf.sntp_wait_ms = (uint32_t)n;
    } else if (strcmp(key, "sntp_refresh_s") == 0) {
        if (parse_number(key, val, 86400u, &n) != 0 || n < 15u) {
            err_line("sntp_refresh_s: 15 to 86400 seconds (RFC 4330: at least 15)", "");
            return -1;
        }
        wallclock_set_refresh_s((uint32_t)n);
    } else if (strcmp(key, "linger_ms") == 0) {
        if (parse_number(key, val, 60000u, &n) != 0) {
            return -1;
        }
        conf.linger_ms = (uint32_t)n;
    } else if (strcmp(key, "insecure_accept_unknown_time") == 0) {
        if (strcmp(val, "0") != 0 && strcmp(val, "1") != 0) {
            err_line("insecure_accept_unknown_time must be 0 or 1, not ", val);
            return -1;
        }
        conf.insecure_unknown_time = val[0] == '1';
    } else if (strcmp(key, "host") == 0) {
        char *at = strchr(eq + 1, '=');
        if (at == NULL || conf.hosts == HOSTS_MAX) {
            err_line("host=NAME=ADDRESS, at most 2: ", val);
            return -1;
        }
        *at = '\0';
        conf.host_name[conf.hosts] = val;
        return parse_ip(key, at + 1, &conf.host_addr[conf.hosts++]);
    } else if (strcmp(key, "timeout_ms") == 0) {
        if (parse_number(key, val, 60000u, &n) != 0) {
            return -1;
        }
        conf.timeout_ms = (uint32_t)n;
    } else if (strcmp(key, "api_url") == 0) {
        conf.api_url = val;
    } else if (strcmp(key, "org") == 0) {
        conf.org = val;
    } else if (strcmp(key, "api_get") == 0) {
        if (val[0] != '/') {
            err_line("api_get must be a path starting with '/': ", val);
            return -1;
        }
        conf.api_get = val;
    } else if (strcmp(key, "mode") == 0) {
        if (strcmp(val, "poll") != 0 && strcmp(val, "block") != 0) {
            err_line("mode must be poll or block, not ", val);
            return -1;
        }
        conf.block = strcmp(val, "block") == 0;
    } else if (strcmp(key, "count") == 0) {
        return parse_number(key, val, COUNT_MAX, &conf.count);
    } else {
        err_line("unknown configuration key: ", key);
        return -1;
    }
    return 0;
}

static int load_config(void)
{
    /* the command line: program name, then the configuration file */
    if (sh_cmdline(cmdline, sizeof cmdline) != 0) {
        err_line("no semihosting command line", "");
        return -1;
    }
    char *path = strchr(cmdline, ' ');
    while (path != NULL && *path == ' ') {
        path++;
    }
    if (path == NULL || *path == '\0') {
        err_line("usage: -semihosting-config enable=on,target=native,arg=netfw,arg=CONFIG", "");
        return -1;
    }
    char *end = strchr(path, ' ');
    if (end != NULL) {
        *end = '\0';
    }
    long len = read_host_file(path, conf_text, CONF_MAX);
    if (len < 0) {
        err_line(len == -2 ? "configuration file too large: " : "cannot read ", path);
        return -1;
    }

    conf = (netfw_conf_t){
        .entropy_file = "/dev/urandom", .timeout_ms = 5000u, .count = 1u, .sntp_wait_ms = 10000u};
    IP4_ADDR(&conf.netmask, 255, 255, 255, 0);
    char *line = conf_text;
    while (line != NULL && *line != '\0') {
        char *next = strchr(line, '\n');
        if (next != NULL) {
            *next++ = '\0';
        }
        size_t n = strlen(line);
        if (n > 0 && line[n - 1] == '\r') {
            line[n - 1] = '\0';
        }
        if (line[0] != '\0' && line[0] != '#' && parse_line(line) != 0) {
            return -1;
        }
        line = next;
    }
    if (conf.url == NULL || conf.client_id == NULL || conf.client_secret == NULL ||
        conf.ca_file == NULL || !conf.have_ip) {
        err_line("the configuration needs url, client_id, client_secret, ca_file and ip", "");
        return -1;
    }
    return 0;
}

/* ---- entropy: a TEST CRUTCH, the host's CSPRNG over semihosting ------------ */

/* The platform's entropy member. TEST CRUTCH: the host's /dev/urandom, read
 * over semihosting, exists only under QEMU. A real board MUST replace this
 * with a TRNG-seeded source (its TRNG, or a DRBG seeded from it). */
static int crutch_entropy(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    while (len > 0) {
        long n = sh_read(entropy_handle, buf, len);
        if (n <= 0) {
            return -1;
        }
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* ---- the super loop's poll hook ------------------------------------------- */

/* Feed received frames to lwIP and run its timers. When nothing arrived,
 * sleep until the next interrupt (SysTick, 1 ms): the transport calls again
 * until its event or its deadline. */
static void poll_net(void *ctx, uint32_t max_wait_ms)
{
    (void)max_wait_ms;
    if (lan9118_netif_poll(ctx) == 0) {
        __asm__ volatile("wfi");
    }
    sys_check_timeouts();
}

/* The super loop of a firmware that never blocks, until `step` (one
 * ornd_token_poll() or ornd_api_poll()) has finished: one step a pass (it
 * does what the network allows and returns), then lwIP's input and timers,
 * then the rest of the firmware's work (here: sleep until the next
 * interrupt when no frame came). Tells how many passes it took and how many
 * of them fed lwIP a frame. */
static ornd_err_t super_loop(ornd_err_t (*step)(void), const char *what)
{
    unsigned long passes = 0, frames = 0;
    ornd_err_t rc;
    for (;;) {
        passes++;
        rc = step();
        if (rc != ORND_IN_PROGRESS) {
            break;
        }
        int n = lan9118_netif_poll(&nif);
        frames += n > 0 ? 1u : 0u;
        sys_check_timeouts();
        if (n == 0) {
            __asm__ volatile("wfi"); /* other work would go here */
        }
    }
    err_puts("netfw: ");
    err_puts(what);
    err_puts(": ");
    err_puts(ornd_errname(rc));
    err_puts(" after ");
    err_u32(passes);
    err_puts(" loop passes, ");
    err_u32(frames);
    err_puts(" with a frame\n");
    return rc;
}

static ornd_err_t token_step(void)
{
    return ornd_token_poll(&client);
}

static ornd_err_t poll_for_token(void)
{
    return super_loop(token_step, "ornd_token_poll");
}

/* ---- bring-up --------------------------------------------------------------- */

static void put_hex2(char *d, uint8_t v)
{
    d[0] = "0123456789abcdef"[v >> 4];
    d[1] = "0123456789abcdef"[v & 15u];
}

static int start_network(void)
{
    lwip_init();
    if (netif_add(&nif, &conf.ip, &conf.netmask, &conf.gateway, NULL, lan9118_netif_init,
                  netif_input) == NULL) {
        err_line("no LAN9118 Ethernet controller answers at 0x40200000 "
                 "(QEMU: -nic ...,model=lan9118)",
                 "");
        return -1;
    }
    netif_set_default(&nif);
    netif_set_up(&nif);
    for (int i = 0; i < conf.hosts; i++) {
        ip_addr_t a;
        ip_addr_copy_from_ip4(a, conf.host_addr[i]);
        if (dns_local_addhost(conf.host_name[i], &a) != ERR_OK) {
            err_line("cannot add host entry ", conf.host_name[i]);
            return -1;
        }
    }
    if (conf.have_dns) {
        ip_addr_t a;
        ip_addr_copy_from_ip4(a, conf.dns);
        dns_setserver(0, &a);
    }

    char mac[18];
    for (int i = 0; i < 6; i++) {
        put_hex2(&mac[3 * i], nif.hwaddr[i]);
        mac[3 * i + 2] = i < 5 ? ':' : '\0';
    }
    char ip[IP4ADDR_STRLEN_MAX], gw[IP4ADDR_STRLEN_MAX];
    (void)ip4addr_ntoa_r(&conf.ip, ip, sizeof ip);
    (void)ip4addr_ntoa_r(&conf.gateway, gw, sizeof gw);
    err_puts("netfw: LAN9118 ID_REV ");
    err_hex(lan9118_stats()->id_rev);
    err_puts(", MAC ");
    err_puts(mac);
    err_puts(netif_is_link_up(&nif) ? ", link up" : ", link DOWN");
    err_puts("; lwIP " LWIP_VERSION_STRING " ");
    err_puts(ip);
    err_puts(" gateway ");
    err_puts(gw);
    err_puts("\n");
    return 0;
}

/* ---- the wall clock, from SNTP ---------------------------------------------- */

/* Ask the configured SNTP server and run the network until it answers or
 * sntp_wait_ms has passed; lwIP's SNTP client stays on (it asks again every
 * MPS2_SNTP_REFRESH_S). Without a server or an answer the time is unknown. */
static void wait_for_time(void)
{
    if (!conf.have_sntp) {
        err_line("no sntp= server in the configuration: the time is unknown", "");
        return;
    }
    char addr[IP4ADDR_STRLEN_MAX];
    (void)ip4addr_ntoa_r(&conf.sntp, addr, sizeof addr);
    ip_addr_t a;
    ip_addr_copy_from_ip4(a, conf.sntp);
    sntp_setoperatingmode(SNTP_OPMODE_POLL);
    sntp_setserver(0, &a);
    sntp_init();
    uint32_t t0 = mps2_now_ms();
    int64_t now = 0;
    while (wallclock_unix_time(NULL, &now) != ORND_OK && mps2_now_ms() - t0 < conf.sntp_wait_ms) {
        if (lan9118_netif_poll(&nif) == 0) {
            __asm__ volatile("wfi");
        }
        sys_check_timeouts();
    }
    if (wallclock_unix_time(NULL, &now) == ORND_OK) {
        err_puts("netfw: time from SNTP server ");
        err_puts(addr);
        err_puts(": unix ");
        err_u32((unsigned long)now);
        err_puts(" after ");
        err_u32(mps2_now_ms() - t0);
        err_puts(" ms; asked again every ");
        err_u32(mps2_sntp_refresh_ms() / 1000u);
        err_puts(" s, unknown after ");
        err_u32(WALLCLOCK_MAX_AGE_S);
        err_puts(" s without an answer\n");
    } else {
        err_puts("netfw: no SNTP answer from ");
        err_puts(addr);
        err_puts(" within ");
        err_u32(conf.sntp_wait_ms);
        err_puts(" ms: the time is unknown\n");
    }
}

/* The network runs on for linger_ms (lwIP's timers: SNTP's refreshes), then
 * says how many SNTP answers set the clock in all. */
static void linger(void)
{
    uint32_t t0 = mps2_now_ms();
    while (mps2_now_ms() - t0 < conf.linger_ms) {
        if (lan9118_netif_poll(&nif) == 0) {
            __asm__ volatile("wfi");
        }
        sys_check_timeouts();
    }
    if (conf.have_sntp) {
        err_puts("netfw: SNTP answers taken: ");
        err_u32(wallclock_syncs());
        err_puts("\n");
    }
}

/* ---- the token -------------------------------------------------------------- */

static int exit_status(ornd_err_t err)
{
    switch (ornd_err_class(err)) {
    case ORND_CLASS_OK:
        return 0;
    case ORND_CLASS_NETWORK:
    case ORND_CLASS_TLS:
        return 3;
    case ORND_CLASS_REJECTED:
        return 4;
    case ORND_CLASS_TRY_LATER:
        return 6;
    default:
        return 5;
    }
}

/* ---- one API request ----------------------------------------------------- */

static ornd_lwip_raw_conn_t api_conn;
static ornd_transport_t api_transport;
static ornd_api_t api;
static ornd_match_t emails;

/* Each results[].email of the answer, as it streams: "email: <value>". */
static ornd_err_t print_email(void *user, const ornd_match_event_t *ev)
{
    (void)user;
    if (ev->kind == ORND_MATCH_VALUE) {
        if (ev->first) {
            sh_write(1, "email: ", 7);
        }
        sh_write(1, ev->data, ev->len);
        if (ev->last) {
            sh_write(1, "\n", 1);
        }
    }
    return ORND_OK;
}

static ornd_err_t emails_body(void *user, const uint8_t *data, size_t len)
{
    (void)user;
    return ornd_match_feed(&emails, data, len);
}

static ornd_err_t emails_end(void *user)
{
    (void)user;
    return ornd_match_finish(&emails);
}

static ornd_err_t api_step(void)
{
    return ornd_api_poll(&api);
}

/* GET conf.api_get over its own connection (its own transport), the token
 * and the platform from the client (the token fetched again if need be). */
static ornd_err_t api_request(void)
{
    static const char *const paths[] = {"results[].email"};
    static const ornd_api_handler_t h = {.on_body = emails_body, .on_end = emails_end};
    ornd_api_settings_t as = {.client = &client,
                              .transport = &api_transport,
                              .api_url = conf.api_url,
                              .org = conf.org,
                              .timeout_ms = conf.timeout_ms};
    ornd_api_result_t res;
    memset(&res, 0, sizeof res);
    ornd_err_t rc = ornd_lwip_raw_transport(&api_transport, &api_conn, poll_net, &nif);
    if (rc == ORND_OK) {
        rc = ornd_api_init(&api, &as);
    }
    if (rc == ORND_OK) {
        rc = ornd_match_init(&emails, paths, 1, print_email, NULL);
    }
    if (rc == ORND_OK && conf.block) {
        rc = ornd_api_request(&api, "GET", conf.api_get, NULL, 0, &h, &res);
    } else if (rc == ORND_OK) {
        rc = ornd_api_start(&api, "GET", conf.api_get, NULL, 0, &h, &res);
        if (rc == ORND_OK) {
            rc = super_loop(api_step, "ornd_api_poll");
        }
    }
    err_puts("netfw: GET ");
    err_puts(conf.api_get);
    err_puts(": ");
    err_puts(ornd_errname(rc));
    err_puts(", HTTP ");
    err_u32((unsigned long)res.status);
    err_puts(", ");
    err_u32((unsigned long)res.body_bytes);
    err_puts(" body bytes\n");
    ornd_api_release(&api);
    return rc;
}

static ornd_err_t fetch_tokens(void)
{
    ornd_settings_t s = {
        .platform = &platform,
        .transport = &transport,
        .token_url = conf.url,
        .client_id = conf.client_id,
        .client_secret = conf.client_secret,
        .scope = conf.scope,
        .ca = ca_pem,
        .ca_len = strlen((const char *)ca_pem) + 1u, /* PEM: counts the NUL */
        .timeout_ms = conf.timeout_ms,
        .insecure_accept_unknown_time = conf.insecure_unknown_time,
    };
    int64_t now = 0;
    if (conf.insecure_unknown_time && wallclock_unix_time(NULL, &now) != ORND_OK) {
        err_line("WARNING: the time is unknown and insecure_accept_unknown_time=1: "
                 "certificate dates are NOT checked",
                 "");
    }
    ornd_err_t rc = ornd_lwip_raw_transport(&transport, &conn, poll_net, &nif);
    if (rc == ORND_OK) {
        rc = ornd_client_init(&client, &s);
    }
    for (volatile char *p = conf.client_secret; *p != '\0'; p++) {
        *p = '\0'; /* the client holds its own copy now */
    }
    for (unsigned long i = 0; rc == ORND_OK && i < conf.count; i++) {
        char hdr[ORND_AUTH_HEADER_MAX];
        size_t len = 0;
        uint32_t t0 = mps2_now_ms();
        rc = conf.block ? ORND_OK : poll_for_token(); /* then no fetch below */
        if (rc == ORND_OK) {
            rc = ornd_auth_header(&client, hdr, sizeof hdr, &len);
        }
        uint32_t t1 = mps2_now_ms();
        if (rc == ORND_OK) {
            sh_write(1, hdr, len);
            sh_write(1, "\n", 1);
            err_puts("netfw: token fetched in ");
            err_u32(t1 - t0);
            err_puts(" ms (QEMU, not a hardware timing)\n");
            ornd_token_invalidate(&client); /* the next fetch: a new connection */
        } else {
            err_puts("netfw: token request failed: ");
            err_puts(ornd_strerror(rc));
            err_puts(" (");
            err_puts(ornd_errname(rc));
            err_puts(")");
            const ornd_server_error_t *e = ornd_server_error(&client);
            if (e != NULL && e->http_status != 0) {
                err_puts("; server answered ");
                err_u32((unsigned long)e->http_status);
                err_puts(" ");
                err_puts(e->error);
            }
            err_puts(" after ");
            err_u32(t1 - t0);
            err_puts(" ms\n");
        }
    }
    if (rc == ORND_OK && conf.api_url != NULL && conf.api_get != NULL) {
        rc = api_request();
    }
    if (rc != ORND_OK && ornd_err_class(rc) == ORND_CLASS_CONFIG) {
        err_line("client configuration refused: ", ornd_strerror(rc));
    }
    ornd_client_release(&client);
    err_puts("netfw: frames sent ");
    err_u32(lan9118_stats()->tx_frames);
    err_puts(", received ");
    err_u32(lan9118_stats()->rx_frames);
    err_puts(", dropped ");
    err_u32(lan9118_stats()->rx_dropped);
    err_puts("\n");
    return rc;
}

int main(void)
{
    stack_paint();
    err_puts("netfw: ornd-lite " ORND_VERSION " on mps2-an386 (Cortex-M4), LAN9118 + lwIP\n");
    if (load_config() != 0) {
        return EXIT_CONFIG;
    }
    entropy_handle = sh_open_read(conf.entropy_file);
    uint32_t seed = 0;
    if (entropy_handle < 0 || crutch_entropy(NULL, (uint8_t *)&seed, sizeof seed) != 0) {
        err_line("cannot read entropy from the host file ", conf.entropy_file);
        return EXIT_CONFIG;
    }
    err_line("entropy: the host's ", conf.entropy_file);
    err_line("entropy: over semihosting, a TEST CRUTCH: a real board must supply a "
             "TRNG-seeded source as the platform's entropy",
             "");
    long ca_len = read_host_file(conf.ca_file, ca_pem, CA_MAX);
    if (ca_len <= 0) {
        err_line(ca_len == -2 ? "CA file too large: " : "cannot read the CA file ", conf.ca_file);
        return EXIT_CONFIG;
    }

    mps2_clock_start();
    mps2_lwip_seed(seed);
    /* The platform, once, with the SNTP-set wall clock; mbedTLS set up for
     * ornd-lite alone, before its first use. */
    ornd_err_t rc = ornd_lwip_raw_platform(&platform, &sys, crutch_entropy, NULL);
    platform.unix_time = wallclock_unix_time;
    wallclock_init(&platform); /* random SNTP request stamps */
    if (rc == ORND_OK) {
        rc = ornd_tls_use_static_pool();
    }
    if (rc == ORND_OK) {
        rc = ornd_tls_use_platform_rng(&platform);
    }
    if (rc == ORND_OK) {
        rc = ornd_tls_use_platform_time(&platform);
    }
    if (rc != ORND_OK) {
        err_line("platform or TLS set-up failed: ", ornd_errname(rc));
        return exit_status(rc);
    }
    if (start_network() != 0) {
        return 3;
    }
    wait_for_time(); /* before the first handshake */
    rc = fetch_tokens();
    linger();
    sh_close(entropy_handle);
    err_puts("netfw: stack used ");
    err_u32(stack_used());
    err_puts(" bytes (of 64 KiB reserved)\n");
    return exit_status(rc);
}
