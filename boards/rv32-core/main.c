/*
 * rv32-core image: the ornd-lite core (JSON scanner, HTTP reader/writer,
 * OAuth request and answer, URL parser, error names) with no OS and no C
 * library. main() writes a token request, parses a canned token answer fed
 * one byte at a time and returns 0 when every result is as expected, else
 * the number of the first check that failed. start.S keeps that number in
 * rv32_result (a debugger reads it; there is no console).
 */
#include <string.h>

#include "ornd/error.h"
#include "ornd/oauth.h"
#include "ornd/url.h"

#define ORND_TOKEN_URL "https://identity.officernd.com/oauth/token"

int main(void);
volatile int rv32_result = -1;

static char request[ORND_CONFIG_REQUEST_MAX];
static ornd_oauth_parser_t parser;
static ornd_token_t token;
static ornd_server_error_t server;

int main(void)
{
    static const char id[] = "device-1";
    static const char secret[] = "s3cret";
    static const char scope[] = "flex.community.members.read";
    ornd_oauth_request_t req = {
        .host = "identity.officernd.com",
        .port = 443,
        .path = "/oauth/token",
        .client_id = (const uint8_t *)id,
        .client_id_len = sizeof id - 1u,
        .client_secret = (const uint8_t *)secret,
        .client_secret_len = sizeof secret - 1u,
        .scope = scope,
        .scope_len = sizeof scope - 1u,
    };
    ornd_buf_t b;
    ornd_buf_init(&b, request, sizeof request);
    if (ornd_oauth_write_request(&b, &req) != ORND_OK) {
        return 1;
    }
    if (b.len < 28 || memcmp(request, "POST /oauth/token HTTP/1.1\r\n", 28) != 0) {
        return 2;
    }

    static const char answer[] = "HTTP/1.1 200 OK\r\n"
                                 "Content-Type: application/json\r\n"
                                 "Content-Length: 69\r\n"
                                 "\r\n"
                                 "{\"access_token\":\"abc.def.ghi\",\"token_type\":\"bearer\","
                                 "\"expires_in\":900}";
    ornd_oauth_parser_init(&parser, &token, &server);
    int rc = 0;
    size_t i = 0;
    while (rc == 0 && i < sizeof answer - 1u) {
        rc = ornd_oauth_feed(&parser, (const uint8_t *)&answer[i++], 1);
    }
    if (rc != 1 || i != sizeof answer - 1u) {
        return 3;
    }
    if (ornd_oauth_result(&parser) != ORND_OK || strcmp(token.value, "abc.def.ghi") != 0 ||
        token.expires_in_s != 900u) {
        return 4;
    }
    if (strcmp(ornd_errname(ORND_ERR_TOKEN_TYPE), "ORND_ERR_TOKEN_TYPE") != 0) {
        return 5;
    }
    char host[ORND_CONFIG_HOST_MAX + 1];
    char path[ORND_CONFIG_PATH_MAX + 1];
    uint16_t port = 0;
    if (ornd_url_parse(ORND_TOKEN_URL, host, sizeof host, &port, path, sizeof path) != ORND_OK ||
        strcmp(host, "identity.officernd.com") != 0 || port != 443 ||
        strcmp(path, "/oauth/token") != 0) {
        return 6;
    }
    return 0;
}
