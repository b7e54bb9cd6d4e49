/* SPDX-License-Identifier: MIT */
/*
 * A fault-injecting transport: wraps any transport (ornd/port.h) and, at
 * given call numbers or at random from a seed, shortens sends and receives
 * to any length down to 1 byte, says "not now", times out, resets or
 * closes the connection, or stalls. Calls are counted across every
 * transport that shares one plan (connect, connect_start, send and recv;
 * close is not counted), from 1.
 *
 * The port contract holds under every fault: "not now"
 * (ORND_ERR_WOULD_BLOCK) is only returned to calls with timeout 0 (with a
 * timeout, the fault makes the call slow instead: half its timeout passes,
 * then it goes through); ORND_ERR_TIMEOUT only after the call's timeout
 * has passed on the plan's clock. A reset or close breaks the connection
 * until the next connect.
 */
#ifndef FAULT_H
#define FAULT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ornd/port.h"

typedef enum {
    FAULT_NONE = 0,
    FAULT_SHORT,   /* send/recv: at most `len` bytes (>= 1) move */
    FAULT_NOT_NOW, /* "not now" (timeout 0); a slow call (with a timeout) */
    FAULT_TIMEOUT, /* the call's timeout passes, ORND_ERR_TIMEOUT; "not now" at timeout 0 */
    FAULT_RESET,   /* ORND_ERR_NET (a connect: ORND_ERR_CONNECT), until the next connect */
    FAULT_CLOSE,   /* ORND_ERR_CLOSED (a connect: ORND_ERR_CONNECT), until the next connect */
    FAULT_STALL,   /* the connection says nothing for `ms` from this call on */
    FAULT_KINDS
} fault_kind_t;

typedef struct {
    fault_kind_t kind;
    unsigned at; /* the call number, from 1 */
    size_t len;  /* SHORT */
    uint32_t ms; /* STALL */
} fault_t;

/* The clock the faults wait on: the simulated one of ornd/testing.h, or a
 * real one that sleeps. */
typedef struct {
    void *ctx;
    uint32_t (*now)(void *ctx);
    void (*wait)(void *ctx, uint32_t ms);
} fault_clock_t;

#define FAULTS_MAX 16u
#define FAULT_TRACE_MAX 256u
#define FAULT_CONNECTS_KEPT 64u

/* What the transports of one exchange share: the call count and the faults. */
typedef struct {
    fault_clock_t clock;
    fault_t faults[FAULTS_MAX];
    unsigned n_faults;
    uint32_t seed;   /* seeded faults: 0 for none */
    unsigned one_in; /* seeded: each call faulted with probability 1/one_in */
    uint32_t max_stall_ms;
    unsigned calls;              /* counted so far */
    unsigned injected;           /* faults that took effect */
    char trace[FAULT_TRACE_MAX]; /* each call: 'c'onnect, 's'end, 'r'ecv */
} fault_plan_t;

/* One wrapped transport (the context of its table). */
typedef struct {
    fault_plan_t *plan;
    const ornd_transport_t *inner;
    bool broken;
    ornd_err_t broken_err;
    bool stalled;
    uint32_t stall_until;
    unsigned connects;                        /* connection attempts through this transport */
    uint32_t connect_at[FAULT_CONNECTS_KEPT]; /* when (the plan's clock) */
} fault_conn_t;

/* A plan with no faults yet, on `clock`. */
void fault_plan_init(fault_plan_t *p, fault_clock_t clock);

/* Add a fault at call `at`: 0, or -1 when the plan is full. */
int fault_add(fault_plan_t *p, fault_t f);

/* Faults at random: each call with probability 1/one_in, of any kind, any
 * length, stalls up to max_stall_ms; reproducible from `seed` (not 0). */
void fault_seed(fault_plan_t *p, uint32_t seed, unsigned one_in, uint32_t max_stall_ms);

/* Fill `t` over `c`, which passes the calls to `inner` under `plan`. */
void fault_transport(ornd_transport_t *t, fault_conn_t *c, const ornd_transport_t *inner,
                     fault_plan_t *plan);

const char *fault_name(fault_kind_t k);

#endif /* FAULT_H */
