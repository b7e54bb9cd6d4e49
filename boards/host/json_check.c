/* SPDX-License-Identifier: MIT */
/*
 * json-check [-c N]
 *
 * Checks that stdin holds exactly one valid JSON document, using the
 * library's streaming scanner. The input is fed in pieces of exactly N bytes
 * (1 to 4096, default 4096; only the last piece may be shorter), whatever
 * sizes read() returns, so that every chunking of the scanner can be tested.
 * The document is never held whole: a fixed 4096-byte buffer is refilled.
 *
 * Exit status: 0 valid, 1 invalid (the error is printed on stderr),
 * 2 usage or read error.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ornd/error.h"
#include "ornd/json.h"

#define BUF_SIZE 4096u

static uint8_t buf[BUF_SIZE];

static int usage(void)
{
    fprintf(stderr, "usage: json-check [-c N]   (N: chunk size, 1 to %u)\n", BUF_SIZE);
    return 2;
}

/* Parses a decimal chunk size in 1..BUF_SIZE; 0 when invalid. */
static size_t parse_chunk(const char *s)
{
    size_t n = 0;
    if (*s == '\0') {
        return 0;
    }
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9') {
            return 0;
        }
        n = n * 10u + (size_t)(*s - '0');
        if (n > BUF_SIZE) {
            return 0;
        }
    }
    return n;
}

/* Reads the command line; returns the chunk size, or 0 on a usage error. */
static size_t parse_args(int argc, char **argv)
{
    if (argc == 1) {
        return BUF_SIZE;
    }
    if (argc == 3 && strcmp(argv[1], "-c") == 0) {
        return parse_chunk(argv[2]);
    }
    if (argc == 2 && strncmp(argv[1], "-c", 2) == 0) {
        return parse_chunk(argv[1] + 2);
    }
    return 0;
}

static ornd_err_t ignore_event(void *user, const ornd_json_event_t *ev)
{
    (void)user;
    (void)ev;
    return 0;
}

/* read() that retries when interrupted; returns bytes read, 0 at EOF, -1. */
static ssize_t read_some(uint8_t *dst, size_t room)
{
    ssize_t n;
    do {
        n = read(STDIN_FILENO, dst, room);
    } while (n < 0 && errno == EINTR);
    return n;
}

/* Feeds the whole-chunk prefix of buf[0..fill), or everything at EOF, and
 * moves the rest to the front. Returns the scanner's verdict so far. */
static int feed_pieces(ornd_json_t *j, size_t *fill, size_t chunk, int eof)
{
    size_t off = 0;
    int rc = ORND_OK;
    while (rc == ORND_OK && *fill - off >= chunk) {
        rc = ornd_json_feed(j, buf + off, chunk);
        off += chunk;
    }
    if (rc == ORND_OK && eof && off < *fill) {
        rc = ornd_json_feed(j, buf + off, *fill - off);
        off = *fill;
    }
    memmove(buf, buf + off, *fill - off);
    *fill -= off;
    return rc;
}

/* Runs the scanner over stdin; returns its verdict or 1 for a read error. */
static int check_stdin(size_t chunk)
{
    ornd_json_t j;
    size_t fill = 0;
    int rc = ORND_OK;
    ornd_json_init(&j, ignore_event, NULL);
    while (rc == ORND_OK) {
        ssize_t n = read_some(buf + fill, BUF_SIZE - fill);
        if (n < 0) {
            perror("json-check: read");
            return 1;
        }
        fill += (size_t)n;
        rc = feed_pieces(&j, &fill, chunk, n == 0);
        if (n == 0) {
            break;
        }
    }
    return rc == ORND_OK ? ornd_json_finish(&j) : rc;
}

int main(int argc, char **argv)
{
    size_t chunk = parse_args(argc, argv);
    if (chunk == 0) {
        return usage();
    }
    int rc = check_stdin(chunk);
    if (rc == 1) {
        return 2;
    }
    if (rc != ORND_OK) {
        fprintf(stderr, "json-check: %s: %s\n", ornd_errname(rc), ornd_strerror(rc));
        return 1;
    }
    return 0;
}
