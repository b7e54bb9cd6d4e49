#!/bin/sh
# SPDX-License-Identifier: MIT
# Parser cost under callgrind: instructions of the feed calls (and their
# trivial callbacks) per input byte, for each input and chunk size.
#   parse.sh BENCH_PARSE_BIN INPUT_DIR  > parse.json
set -eu
bin=$1 in=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '{'
sep=
for case in "json token.json" "json members.json" "http token.http" "http members.http"; do
    set -- $case
    for chunk in 1 1460; do
        valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" \
            --toggle-collect=ornd_json_init --toggle-collect=ornd_json_feed \
            --toggle-collect=ornd_json_finish --toggle-collect=ornd_http_reader_init \
            --toggle-collect=ornd_http_reader_feed \
            "$bin" "$1" "$in/$2" "$chunk" >"$tmp/res" 2>"$tmp/log" ||
            { cat "$tmp/log" "$tmp/res" >&2; exit 1; }
        ir=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$tmp/cg")
        bytes=$(sed -n 's/.*"bytes": \([0-9]*\).*/\1/p' "$tmp/res")
        printf '%s"%s %s %s": {"ir": %s, "bytes": %s}' "$sep" "$1" "$2" "$chunk" "$ir" "$bytes"
        sep=', '
    done
done
printf '}\n'
