/* SPDX-License-Identifier: MIT */
/* The ornd tool's parts: options, the shared client, exit statuses. */
#ifndef ORND_TOOL_H
#define ORND_TOOL_H

#include <stdbool.h>

#include "ornd/client.h"
#include "ornd/tls_setup.h"
#include "ornd_posix.h"

#define DEFAULT_CA_FILE "/etc/ssl/certs/ca-certificates.crt"
#define TOOL_PATH_MAX 32u   /* paths of one `ornd api` run */
#define TOOL_SELECT_MAX 8u  /* --select paths */

enum { EXIT_OK = 0, EXIT_USAGE = 2, EXIT_NETWORK = 3, EXIT_REJECTED = 4,
       EXIT_MALFORMED = 5, EXIT_TRY_LATER = 6 };

typedef enum { FORMAT_JSON, FORMAT_TOKEN, FORMAT_HEADER } format_t;

typedef struct {
    bool api; /* the `api` subcommand, else `token` */
    const char *scope;
    const char *token_url;
    const char *ca_file;
    unsigned long timeout_s;
    unsigned long retries;
    unsigned long max_wait_s;
    format_t format;
    bool poll;                  /* fetch with ornd_token_poll() from a loop */
    bool insecure_unknown_time; /* --insecure-accept-unknown-time */
    /* api */
    const char *method;
    const char *paths[TOOL_PATH_MAX];
    unsigned path_count;
    const char *api_url;
    const char *org;
    const char *data;
    const char *select[TOOL_SELECT_MAX];
    unsigned select_count;
    bool all_pages;
} options_t;

/* The platform and the token client, set up by tool.c before a command
 * runs. */
extern ornd_posix_platform_t sys;
extern ornd_platform_t platform;
extern ornd_client_t client;

/* Exit status for an error code (by its class). */
int exit_status(int err);

/* Fetch a token, retrying on 429/5xx as ornd_token_wait_ms() says. */
int fetch_with_retries(const options_t *o, const char **token);

/* Tell on stderr why a token request failed (with the server's words). */
void report_token_error(int err);

/* Sleep, resuming after signals. */
void tool_sleep_ms(uint32_t ms);

/* The `api` subcommand (tool_api.c). Returns the exit status. */
int run_api(const options_t *o);

#endif /* ORND_TOOL_H */
