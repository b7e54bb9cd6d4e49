# SPDX-License-Identifier: MIT
# The testing library (ornd/testing.h) and what is built on it.
#
#   build/host/libornd-testing.a   core + sessions + port/testing (a scripted
#                                  peer, a plain TLS layer): host tests of
#                                  code written against the library, without
#                                  mbedTLS or a network
#   make fuzz-long FUZZ_SECONDS=600   every fuzz target for that long each
#
# The library's own client, API and paging unit tests link it in place of
# the TLS glue, on the host, under the sanitizers and on the Cortex-M4.

TESTING_TESTS := test_client test_api test_pages test_door test_faults
TESTING_LIB_SRCS := $(ORND_CORE_SRCS) $(ORND_SESSION_SRCS) $(ORND_TESTING_SRCS)
LIBORND_TESTING := $(HOST)/libornd-testing.a
TESTING_OBJS := $(patsubst %.c,$(HOST)/obj/%.o,$(TESTING_LIB_SRCS))

all: $(LIBORND_TESTING)

$(HOST)/obj/port/testing/%.o: port/testing/%.c $(MBEDTLS_STAMP) $(BUILD_FILES) mk/testing.mk
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(BASE_CFLAGS) $(SRC_WARN) -MMD -MP -c $< -o $@

$(LIBORND_TESTING): $(TESTING_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

# The door example's logic, tested over the scripted peers (tests/unit/test_door.c).
DOOR_LOGIC := boards/host/door_logic.c
TESTING_EXTRA_test_door := $(DOOR_LOGIC) -Iboards/host
# The fault-injecting transport and its sweep (tests/faults/).
TESTING_EXTRA_test_faults := tests/faults/fault.c -Itests/faults
TESTING_DEPS := $(wildcard tests/unit/*.h tests/faults/*.[ch]) boards/host/door.h $(DOOR_LOGIC)

$(addprefix $(HOST)/tests/,$(TESTING_TESTS)): $(HOST)/tests/%: tests/unit/%.c $(LIBORND_TESTING) \
        $(TESTING_DEPS) | $(HOST)/tests
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Isrc -Itests/unit $< $(TESTING_EXTRA_$*) \
	    $(LIBORND_TESTING) -lcmocka -o $@

# ---- under ASan + UBSan --------------------------------------------------------
SAN_LIBORND_TESTING := $(SAN)/libornd-testing.a
$(SAN_LIBORND_TESTING): $(patsubst %.c,$(SAN)/obj/%.o,$(TESTING_LIB_SRCS))
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^
$(addprefix $(SAN)/tests/,$(TESTING_TESTS)): $(SAN)/tests/%: tests/unit/%.c $(SAN_LIBORND_TESTING) \
        $(TESTING_DEPS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(WARN) -Isrc -Itests/unit $< $(TESTING_EXTRA_$*) \
	    $(SAN_LIBORND_TESTING) -lcmocka -o $@

# ---- on the Cortex-M4 (mk/boards.mk), the same way -----------------------------
M4_TESTING_OBJS := $(patsubst src/%.c,$(M4)/obj/src/%.o,$(ORND_CORE_SRCS) $(ORND_SESSION_SRCS)) \
                   $(patsubst port/testing/%.c,$(M4)/obj/testing/%.o,$(ORND_TESTING_SRCS))
$(M4)/obj/testing/%.o: port/testing/%.c $(MBEDTLS_STAMP) $(M4_MBEDTLS_CONFIG) $(M4_ORND_CONFIG)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(M4_CC) $(M4_CFLAGS) $(SRC_WARN) -c $< -o $@
$(M4)/obj/door_logic.o: $(DOOR_LOGIC) boards/host/door.h $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(M4_CC) $(M4_CFLAGS) $(WARN) -Iboards/host -c $< -o $@
$(M4)/obj/fault.o: tests/faults/fault.c tests/faults/fault.h $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(M4_CC) $(M4_CFLAGS) $(WARN) -Itests/faults -c $< -o $@
M4_TESTING_EXTRA_test_door := $(M4)/obj/door_logic.o
M4_TESTING_INC_test_door := -Iboards/host
M4_TESTING_EXTRA_test_faults := $(M4)/obj/fault.o
M4_TESTING_INC_test_faults := -Itests/faults
$(addprefix $(M4)/tests/,$(addsuffix .elf,$(TESTING_TESTS))): $(M4)/tests/%.elf: \
    tests/unit/%.c $(M4_TESTING_OBJS) $(M4)/obj/door_logic.o $(M4)/obj/fault.o $(M4)/obj/cmocka.o \
    $(M4_RT_OBJS) $(TESTING_DEPS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(M4_CC) $(M4_CFLAGS) $(WARN) $(M4_CMOCKA_INC) -Isrc -Itests/unit $(M4_TESTING_INC_$*) $< \
	    $(M4_TESTING_EXTRA_$*) $(M4_TESTING_OBJS) $(M4)/obj/cmocka.o $(M4_RT_OBJS) $(M4_LDFLAGS) -o $@

# ---- the session fuzzer: the state machines over the scripted peers -----------
# (no mbedTLS: the testing library in its place; its headers for client.c)
$(FUZZ)/fuzz_session: tests/fuzz/fuzz_session.c $(TESTING_LIB_SRCS) tests/faults/fault.c \
        tests/faults/fault.h include/ornd/testing.h $(MBEDTLS_STAMP)
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)$(FUZZ_CC) -std=c11 $(FUZZ_FLAGS) -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc \
	    -Itests/faults -isystem $(MBEDTLS_DIR)/include $(HOST_DEFS) $< tests/faults/fault.c \
	    $(TESTING_LIB_SRCS) -o $@

.PHONY: fuzz-long lint-testing
FUZZ_SECONDS ?= 600
# FUZZ_TARGETS="fuzz_json fuzz_http" runs only those. Each target gets the
# dictionary of its format (the same choice as tests/run-all.sh's).
FUZZ_TARGETS ?= $(notdir $(FUZZ_BINS))
fuzz-long: $(FUZZ_BINS)
	@for name in $(FUZZ_TARGETS); do \
	    f=$(FUZZ)/$$name; corpus=$(BUILD)/fuzz-long/corpus/$${name#fuzz_}; \
	    mkdir -p $$corpus; seeds=tests/fuzz/corpus/$${name#fuzz_}; \
	    [ -d $$seeds ] && cp -r $$seeds/. $$corpus/; \
	    case $$name in \
	    fuzz_http | fuzz_writer) dict=-dict=tests/fuzz/http.dict ;; \
	    fuzz_json | fuzz_match | fuzz_oauth) dict=-dict=tests/fuzz/json.dict ;; \
	    *) dict= ;; \
	    esac; \
	    echo "-- $$name, $(FUZZ_SECONDS) s $$dict"; \
	    $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 $$dict \
	        -artifact_prefix=$(BUILD)/fuzz-long/$$name- $$corpus 2>$(BUILD)/fuzz-long/$$name.log \
	        || { tail -n 30 $(BUILD)/fuzz-long/$$name.log; exit 1; }; \
	    grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb|^Done' \
	        $(BUILD)/fuzz-long/$$name.log; \
	    echo "   corpus: $$(ls $$corpus | wc -l) inputs"; \
	done

# clang-tidy over the testing library (cppcheck's run over port/ covers it).
lint: lint-testing
lint-testing: $(MBEDTLS_STAMP)
	@mkdir -p $(BUILD)
	clang-tidy --quiet $(ORND_TESTING_SRCS) -- $(BASE_CFLAGS) \
	    2>$(BUILD)/clang-tidy-testing.log || { cat $(BUILD)/clang-tidy-testing.log; exit 1; }

-include $(TESTING_OBJS:.o=.d)

# ---- make bench: a soak over the scripted servers (not in make test) -----------
.PHONY: bench-soak
bench: bench-soak
$(BENCH_HOST)/soak: tests/bench/soak.c $(LIBORND_TESTING)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) $< $(LIBORND_TESTING) -o $@
bench-soak: $(BENCH_HOST)/soak
	@$(BENCH_HOST)/soak

# ---- make coverage: gcov over unit, TLS, integration and fuzz corpus runs ---
# Needs gcovr (Debian package gcovr). Builds under build/cov/, with gcc's
# coverage, the library (core, sessions, TLS glue, POSIX port), the unit
# tests, the ABI test, the TLS and POSIX tests of tests/tls/, the fuzz
# targets' corpus replays (tests/fuzz/replay.c), and the programs the
# integration tests run (the tool, the door, the quickstart, token_race,
# fault_tls, coexist); then
# runs them all (the integration tests through tests/integration/run.sh, with
# ORND_BIN and the other *_BIN variables pointing at build/cov/), and prints
# one line per file of src/ and port/posix/ (lines, branches), the total and
# the goals' check (scripts/coverage.py; a report: it exits 0 whether the
# goals are met or not, non-zero only when a test fails).
#
# The coexistence program's default-configuration half (mbedTLS's own
# configuration, no opt-in) is build/host-default/coexist (mk/host-default.mk),
# not instrumented: its library is the same source compiled with other #if
# branches (src/tls_setup.c's stubs), which gcovr cannot add to the host
# build's counts; the lines both builds share are counted from the host build.
COV := $(BUILD)/cov
COV_FLAGS := -O0 -g --coverage -fprofile-update=prefer-atomic
COV_CORE := $(ORND_CORE_SRCS) $(ORND_SESSION_SRCS)
COV_LIB_OBJS := $(patsubst %.c,$(COV)/obj/%.o,$(COV_CORE) $(ORND_TLS_SRCS) $(ORND_POSIX_SRCS))
COV_TESTING_OBJS := $(patsubst %.c,$(COV)/obj/%.o,$(COV_CORE) $(ORND_TESTING_SRCS))
COV_PLAIN_TESTS := $(filter-out $(TESTING_TESTS),$(patsubst tests/unit/%.c,%,$(UNIT_SRCS)))
COV_TLS_TESTS := $(patsubst tests/tls/%.c,%,$(wildcard tests/tls/test_*.c))
COV_FUZZ := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRCS))
COV_CFLAGS = $(filter-out -O2,$(BASE_CFLAGS)) $(COV_FLAGS)
COV_LIBS := $(COV)/libornd.a $(LIBMBEDTLS)
COV_TESTS := $(addprefix $(COV)/tests/,$(COV_PLAIN_TESTS) $(TESTING_TESTS) $(COV_TLS_TESTS) test_abi)
COV_PROGS := $(COV)/ornd $(COV)/door $(COV)/quickstart $(COV)/tests/token_race \
             $(COV)/tests/fault_tls $(COV)/tests/coexist-pool $(HDEF)/coexist

$(COV)/obj/%.o: %.c $(MBEDTLS_STAMP) $(BUILD_FILES) mk/testing.mk
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(COV_CFLAGS) $(SRC_WARN) -Iport/posix -MMD -MP -c $< -o $@
# a header changed: its objects, so the archives and every program over them
-include $(COV_LIB_OBJS:.o=.d) $(COV_TESTING_OBJS:.o=.d)
$(COV)/libornd.a: $(COV_LIB_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^
$(COV)/libornd-testing.a: $(COV_TESTING_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^
$(addprefix $(COV)/tests/,$(TESTING_TESTS)): $(COV)/tests/%: tests/unit/%.c $(COV)/libornd-testing.a \
        $(TESTING_DEPS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -Isrc -Itests/unit $< $(TESTING_EXTRA_$*) \
	    $(COV)/libornd-testing.a -lcmocka -o $@
$(addprefix $(COV)/tests/,$(COV_PLAIN_TESTS)): $(COV)/tests/%: tests/unit/%.c $(COV_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -Isrc -Iport/posix -Itests/unit $< $(COV_LIBS) \
	    -lcmocka -o $@
$(addprefix $(COV)/tests/,$(COV_TLS_TESTS)): $(COV)/tests/%: tests/tls/%.c $(wildcard tests/tls/*.h) $(COV_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -Iport/posix $< $(COV_LIBS) -lcmocka -lpthread -o $@
# tests/abi/: an application built with other settings than the library, and
# without mbedTLS's headers, as the Makefile builds it.
$(COV)/tests/test_abi: tests/abi/test_abi.c tests/abi/abi_peer.c tests/abi/abi_peer.h $(COV_LIBS)
	@mkdir -p $(COV)/abi
	$(call say,LD,$@)$(CC) -std=c11 $(COV_FLAGS) $(WARN) -Iinclude -DORND_CONFIG_TOKEN_MAX=1024u \
	    -c tests/abi/test_abi.c -o $(COV)/abi/test_abi.o
	@$(CC) -std=c11 $(COV_FLAGS) $(WARN) -Iinclude -c tests/abi/abi_peer.c -o $(COV)/abi/abi_peer.o
	@$(CC) $(COV_FLAGS) $(COV)/abi/test_abi.o $(COV)/abi/abi_peer.o $(COV_LIBS) -lcmocka -o $@
$(COV)/fuzz/fuzz_session: tests/fuzz/fuzz_session.c tests/fuzz/replay.c tests/faults/fault.c \
        $(COV)/libornd-testing.a
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) -Isrc -Itests/faults $< tests/fuzz/replay.c \
	    tests/faults/fault.c $(COV)/libornd-testing.a -o $@
$(COV)/fuzz/%: tests/fuzz/%.c tests/fuzz/replay.c $(COV)/libornd.a
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) -Isrc $< tests/fuzz/replay.c $(COV)/libornd.a -o $@

# The programs of the integration tests, as Makefile and mk/host-default.mk
# build them, over the coverage build of the library.
$(COV)/ornd: $(TOOL_SRCS) boards/host/tool.h $(COV_LIBS)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -Iport/posix $(TOOL_SRCS) $(COV_LIBS) -o $@
$(COV)/door: $(DOOR_SRCS) boards/host/door.h $(COV_LIBS)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -Iport/posix $(DOOR_SRCS) $(COV_LIBS) -o $@
$(COV)/quickstart: boards/host/quickstart.c $(COV_LIBS)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -Iport/posix $< $(COV_LIBS) -o $@
$(COV)/tests/token_race: tests/integration/token_race.c $(COV_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -Iport/posix $< $(COV_LIBS) -lpthread -o $@
$(COV)/tests/fault_tls: tests/integration/fault_tls.c tests/faults/fault.c tests/faults/fault.h $(COV_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -Iport/posix -Itests/faults $< tests/faults/fault.c \
	    $(COV_LIBS) -o $@
$(COV)/tests/coexist-pool: tests/coexist/coexist.c $(COV_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(COV_CFLAGS) $(WARN) -DCOEXIST_STATIC_POOL=1 -Iport/posix $< $(COV_LIBS) -o $@

# Unit and TLS tests, fuzz corpus replays, then the integration tests (their
# log: build/cov/integration.log).
.PHONY: coverage
coverage: $(COV_TESTS) $(COV_PROGS) $(addprefix $(COV)/fuzz/,$(COV_FUZZ))
	@find $(COV) -name '*.gcda' -delete
	@for t in $(COV_TESTS); do \
	    $$t >$(COV)/$$(basename $$t).log 2>&1 || { echo "coverage: $$t failed ($(COV)/$$(basename $$t).log)"; exit 1; }; done
	@for f in $(COV_FUZZ); do [ -d tests/fuzz/corpus/$${f#fuzz_} ] || continue; \
	    $(COV)/fuzz/$$f tests/fuzz/corpus/$${f#fuzz_}/* || { echo "coverage: $$f failed"; exit 1; }; done
	@ORND_BIN=$(COV)/ornd DOOR_BIN=$(COV)/door QUICKSTART_BIN=$(COV)/quickstart \
	    TOKEN_RACE_BIN=$(COV)/tests/token_race FAULT_TLS_BIN=$(COV)/tests/fault_tls \
	    COEXIST_BIN=$(HDEF)/coexist COEXIST_POOL_BIN=$(COV)/tests/coexist-pool \
	    sh tests/integration/run.sh >$(COV)/integration.log 2>&1 || { \
	    grep -E '^(FAIL|ERROR):' $(COV)/integration.log; tail -n 1 $(COV)/integration.log; \
	    echo "coverage: integration tests failed ($(COV)/integration.log)"; exit 1; }
	@tail -n 1 $(COV)/integration.log
	@gcovr -r . --filter 'src/' --filter 'port/posix/' --json-summary $(COV)/summary.json \
	    $(COV) >/dev/null
	@$(PYTHON) scripts/coverage.py $(COV)/summary.json
clean: clean-cov
clean-cov:
	rm -rf $(COV)

# ---- the fault sweep over real TLS (tests/integration/test_fault_tls.py) ------
$(HOST)/tests/fault_tls: tests/integration/fault_tls.c tests/faults/fault.c tests/faults/fault.h \
        $(HOST_LIBS) | $(HOST)/tests
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Iport/posix -Itests/faults $< tests/faults/fault.c \
	    $(HOST_LIBS) -o $@
test: $(HOST)/tests/fault_tls
