#!/bin/sh
# SPDX-License-Identifier: MIT
# sizeof(ornd_client_t) and sizeof(ornd_tls_t) on the host and on Cortex-M4,
# and the TLS pool's size, as JSON.
#   ram.sh HOST_PROBE_BIN CM4_PROBE_OBJ CM4_TLS_SETUP_OBJ
set -eu
nm_size() {
    hex=$(arm-none-eabi-nm -S "$1" | awk -v s="$2" '$4 == s { print $2 }')
    [ -n "$hex" ] || { echo "ram.sh: no symbol $2 in $1" >&2; exit 1; }
    printf '%d' "0x$hex"
}
host=$("$1")
printf '{"host": %s, "cm4": {"client": %s, "tls": %s}, "pool_size": %s}\n' "$host" \
    "$(nm_size "$2" ornd_bench_client_size)" "$(nm_size "$2" ornd_bench_tls_size)" \
    "$(nm_size "$3" tls_pool)"
