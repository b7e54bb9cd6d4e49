#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs every check of `make test` (the Makefile has built what is needed) and
# ends with one line "make test: N passed, M failed". Each stage reports its
# own counts; a stage that cannot count (a fuzz run, the heap check) counts
# as one check.
set -u
cd "$(dirname "$0")/.."

HOST=build/host
SAN=build/san
FUZZ=build/fuzz
RUN=build/test-run
mkdir -p "$RUN"

passed=0
failed=0
failures=""

add() { # add PASSED FAILED STAGE
    passed=$((passed + $1))
    failed=$((failed + $2))
    [ "$2" -gt 0 ] && failures="$failures $3"
    return 0
}

stage() { printf '\n==== %s\n' "$*"; }

# A cmocka binary: its own "[  PASSED  ] N test(s)" / "[  FAILED  ] N test(s)".
run_cmocka() { # run_cmocka LABEL BINARY
    out=$("$2" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/.*\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    f=$(printf '%s\n' "$out" | sed -n 's/.*\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi # crashed: count it
    add "$p" "$f" "$1"
}

# A stage that prints "<label>: N passed, M failed" as its last such line.
run_counted() { # run_counted LABEL COMMAND...
    label=$1
    shift
    out=$("$@" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    line=$(printf '%s\n' "$out" | grep -E '[0-9]+ passed, [0-9]+ failed' | tail -n 1)
    p=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
    f=$(printf '%s\n' "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    add "$p" "$f" "$label"
}

check() { # check LABEL COMMAND...: one pass or one fail
    label=$1
    shift
    if "$@"; then add 1 0 "$label"; else add 0 1 "$label"; fi
}

stage "no heap in src/ and port/ (undefined symbols of their objects)"
heap_free() {
    refs=$(nm -u $HOST/obj/src/*.o $HOST/obj/port/*/*.o | awk '{print $NF}' |
        grep -E '^(malloc|calloc|realloc|free|strdup|strndup|aligned_alloc|posix_memalign)$' |
        sort -u)
    if [ -n "$refs" ]; then
        echo "heap functions referenced: $refs"
        return 1
    fi
    echo "no object of src/ or port/ references malloc, calloc, realloc or free"
}
check heap heap_free

stage "licence line on every file of the project (scripts/spdx.py)"
check spdx python3 scripts/spdx.py --check

# Binaries of DIR whose source is still in tests/ (a test removed from the
# tree may still sit in a build directory: it is not run).
current() { # current DIR PREFIX
    for b in "$1"/"$2"*; do
        src=$(ls tests/*/"$(basename "$b").c" 2>/dev/null | head -n 1)
        if [ -x "$b" ] && [ -n "$src" ]; then echo "$b"; fi
    done
}

stage "unit tests"
for t in $(current $HOST/tests test_); do run_cmocka "unit:$(basename "$t")" "$t"; done

stage "unit tests under ASan + UBSan"
for t in $(current $SAN/tests test_); do run_cmocka "san:$(basename "$t")" "$t"; done

stage "JSONTestSuite conformance (json-check, chunk sizes 1 and 4096)"
run_counted json-suite sh tests/json/run-suite.sh $HOST/json-check

stage "libFuzzer targets, ${FUZZ_SECONDS:-10} s each"
for f in $(current $FUZZ fuzz_); do
    name=$(basename "$f")
    corpus=$RUN/corpus/${name#fuzz_}
    mkdir -p "$corpus"
    seeds=tests/fuzz/corpus/${name#fuzz_}
    [ -d "$seeds" ] && cp -r "$seeds"/. "$corpus"/
    # a dictionary of the format's tokens (the same choice as make fuzz-long's)
    case $name in
    fuzz_http | fuzz_writer) dict=tests/fuzz/http.dict ;;
    fuzz_json | fuzz_match | fuzz_oauth) dict=tests/fuzz/json.dict ;;
    *) dict= ;;
    esac
    set --
    [ -n "$dict" ] && set -- -dict="$dict"
    echo "-- $name"
    check "fuzz:$name" "$f" -max_total_time="${FUZZ_SECONDS:-10}" -print_final_stats=0 \
        "$@" -artifact_prefix="$RUN/$name-" "$corpus" 2>"$RUN/$name.log"
    tail -n 2 "$RUN/$name.log"
done

stage "integration: ornd against the local identity server (one run under valgrind)"
run_counted integration env ORND_VALGRIND=1 sh tests/integration/run.sh

# Further stages brought by boards, ports and the like: each script prints
# its title first and "<label>: N passed, M failed" as its last count line.
for s in tests/stages/*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s" .sh)
    stage "$(sed -n 's/^# title: //p' "$s" | head -n 1)"
    run_counted "$name" sh "$s"
done

stage "static analysis (cppcheck, clang-tidy)"
check lint make --no-print-directory lint

echo
[ -n "$failures" ] && echo "failing stages:$failures"
echo "make test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
