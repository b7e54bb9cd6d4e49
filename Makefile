# SPDX-License-Identifier: MIT
# ornd-lite — top-level build.
#
#   make            library, host tool, json-check, the door and quickstart examples in build/host/
#   make demo       local identity server + `ornd token` + the header it prints
#   make test       everything that checks the project (tests/README.md)
#   make lint       cppcheck and clang-tidy over src/, port/, boards/host/; cppcheck over the firmware boards
#   make clean      remove build outputs, keep the mbedTLS download
#   make distclean  remove build/ entirely
#   make V=1 ...    show each compiler command in full
#
# mbedTLS 3.6 LTS is pinned in scripts/fetch-mbedtls.sh; it is fetched and
# built on first use unless MBEDTLS_DIR points at a copy of its sources.

# Commands are shown as one short line each; `make V=1` shows them in full.
V ?= 0
ifeq ($(V),0)
say = @printf '  %-4s %s\n' $(1) $(2);
else
say =
endif

CC      ?= cc
AR      ?= ar
PYTHON  ?= python3
BUILD   := build
HOST    := $(BUILD)/host

MBEDTLS_VERSION := 3.6.7
MBEDTLS_DIR     ?= $(BUILD)/deps/mbedtls-$(MBEDTLS_VERSION)
MBEDTLS_STAMP   := $(MBEDTLS_DIR)/include/mbedtls/build_info.h
MBEDTLS_CONFIG  := boards/host/mbedtls_config.h

# The host tool holds the system CA bundle (~150 roots) in the TLS pool.
HOST_DEFS := -DORND_CONFIG_TLS_POOL_SIZE='(1024u*1024u)' -DORND_CONFIG_TLS_RNG_HOOK=1 \
             -DMBEDTLS_CONFIG_FILE='"$(abspath $(MBEDTLS_CONFIG))"'

WARN      := -Wall -Wextra -Werror
SRC_WARN  := $(WARN) -Wconversion -Wsign-conversion -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wcast-qual -Wformat=2 -Wundef
CFLAGS    ?= -O2 -g
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(CFLAGS) -Iinclude -isystem $(MBEDTLS_DIR)/include $(HOST_DEFS)

include mk/sources.mk
LIB_SRCS   := $(ORND_CORE_SRCS) $(ORND_SESSION_SRCS) $(ORND_TLS_SRCS)
PORT_SRCS  := $(ORND_POSIX_SRCS)
UNIT_SRCS  := $(wildcard tests/unit/test_*.c)
FUZZ_SRCS  := $(wildcard tests/fuzz/fuzz_*.c)

LIB_OBJS   := $(patsubst %.c,$(HOST)/obj/%.o,$(LIB_SRCS))
PORT_OBJS  := $(patsubst %.c,$(HOST)/obj/%.o,$(PORT_SRCS))
# The library (core, sessions, TLS glue) and each port in its own archive.
LIBORND    := $(HOST)/libornd.a
LIBORND_POSIX := $(HOST)/libornd-posix.a
# Objects are kept per source tree, so that a new MBEDTLS_DIR (a new pin, or
# the caller's copy) is compiled afresh, whatever the timestamps of its files.
MBEDTLS_OUT := $(HOST)/$(notdir $(MBEDTLS_DIR))
LIBMBEDTLS := $(MBEDTLS_OUT)/libmbedtls.a
UNIT_BINS  := $(patsubst tests/unit/%.c,$(HOST)/tests/%,$(UNIT_SRCS))

.PHONY: all demo test unit lint clean distclean mbedtls
all: $(LIBORND) $(LIBORND_POSIX) $(HOST)/ornd $(HOST)/json-check $(HOST)/door $(HOST)/quickstart

# ---- mbedTLS -------------------------------------------------------------
$(MBEDTLS_STAMP):
	sh scripts/fetch-mbedtls.sh $(MBEDTLS_DIR)

$(LIBMBEDTLS): $(MBEDTLS_STAMP) $(MBEDTLS_CONFIG) mk/mbedtls.mk
	$(MAKE) --no-print-directory -f mk/mbedtls.mk MBEDTLS_DIR=$(MBEDTLS_DIR) \
	    MBEDTLS_CONFIG=$(MBEDTLS_CONFIG) OUT=$(MBEDTLS_OUT) CC="$(CC)" AR="$(AR)" \
	    CFLAGS="-std=c99 -O2 -g"
mbedtls: $(LIBMBEDTLS)

# ---- library ---------------------------------------------------------------
# Objects are rebuilt when the flags or the source lists change.
BUILD_FILES := Makefile mk/sources.mk
$(HOST)/obj/src/%.o: src/%.c $(MBEDTLS_STAMP) $(BUILD_FILES) | $(HOST)/obj/src
	$(call say,CC,$@)$(CC) $(BASE_CFLAGS) $(SRC_WARN) -MMD -MP -c $< -o $@
$(HOST)/obj/port/posix/%.o: port/posix/%.c $(MBEDTLS_STAMP) $(BUILD_FILES) | $(HOST)/obj/port/posix
	$(call say,CC,$@)$(CC) $(BASE_CFLAGS) $(SRC_WARN) -Iport/posix -MMD -MP -c $< -o $@

$(LIBORND): $(LIB_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^
$(LIBORND_POSIX): $(PORT_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

# ---- host programs ---------------------------------------------------------
HOST_LIBS := $(LIBORND) $(LIBORND_POSIX) $(LIBMBEDTLS)
TOOL_SRCS := boards/host/tool.c boards/host/tool_api.c
$(HOST)/ornd: $(TOOL_SRCS) boards/host/tool.h $(HOST_LIBS)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Iport/posix $(TOOL_SRCS) $(HOST_LIBS) -o $@
DOOR_SRCS := boards/host/door.c boards/host/door_logic.c
$(HOST)/door: $(DOOR_SRCS) boards/host/door.h $(HOST_LIBS)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Iport/posix $(DOOR_SRCS) $(HOST_LIBS) -o $@
# README.md's library example, quoted there whole (tests/docs/readme_example.sh).
$(HOST)/quickstart: boards/host/quickstart.c $(HOST_LIBS)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Iport/posix $< $(HOST_LIBS) -o $@
$(HOST)/json-check: boards/host/json_check.c $(LIBORND)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) $< $(LIBORND) -o $@

# Programs the integration tests run beside the tool.
$(HOST)/tests/token_race: tests/integration/token_race.c $(HOST_LIBS) | $(HOST)/tests
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Iport/posix $< $(HOST_LIBS) -lpthread -o $@

# ---- unit tests (cmocka) ---------------------------------------------------
$(HOST)/tests/%: tests/unit/%.c $(HOST_LIBS) $(wildcard tests/unit/*.h) | $(HOST)/tests
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Isrc -Iport/posix -Itests/unit $< $(HOST_LIBS) -lcmocka -o $@

# The client, API, paging, door and fault tests link libornd-testing.a (a
# plain TLS layer and scripted peers in place of the TLS glue, so that
# connections, answers and breaks are exact): mk/testing.mk. The library
# itself has no test seam.

# An application built with other settings than the library, and without
# mbedTLS's headers: the library refuses its structs (tests/abi/).
$(HOST)/tests/test_abi: tests/abi/test_abi.c tests/abi/abi_peer.c tests/abi/abi_peer.h $(LIBORND) | $(HOST)/tests
	@mkdir -p $(HOST)/obj/tests/abi
	$(call say,LD,$@)$(CC) -std=c11 $(CFLAGS) $(WARN) -Iinclude -DORND_CONFIG_TOKEN_MAX=1024u \
	    -c tests/abi/test_abi.c -o $(HOST)/obj/tests/abi/test_abi.o
	@$(CC) -std=c11 $(CFLAGS) $(WARN) -Iinclude -c tests/abi/abi_peer.c -o $(HOST)/obj/tests/abi/abi_peer.o
	@$(CC) $(HOST)/obj/tests/abi/test_abi.o $(HOST)/obj/tests/abi/abi_peer.o $(LIBORND) \
	    $(LIBMBEDTLS) -lcmocka -o $@
UNIT_BINS += $(HOST)/tests/test_abi

unit: $(UNIT_BINS)

# Sanitizer build of the library and unit tests (ASan + UBSan, gcc).
SAN       := $(BUILD)/san
SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_OBJS  := $(patsubst %.c,$(SAN)/obj/%.o,$(LIB_SRCS))
SAN_PORT_OBJS := $(patsubst %.c,$(SAN)/obj/%.o,$(PORT_SRCS))
SAN_BINS  := $(patsubst tests/unit/%.c,$(SAN)/tests/%,$(UNIT_SRCS))
$(SAN)/obj/%.o: %.c $(MBEDTLS_STAMP) $(BUILD_FILES)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(SRC_WARN) -Iport/posix -MMD -MP -c $< -o $@
$(SAN)/libornd.a: $(SAN_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^
$(SAN)/libornd-posix.a: $(SAN_PORT_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^
$(SAN)/tests/%: tests/unit/%.c $(SAN)/libornd.a $(SAN)/libornd-posix.a $(LIBMBEDTLS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(WARN) -Isrc -Iport/posix -Itests/unit $< \
	    $(SAN)/libornd.a $(SAN)/libornd-posix.a $(LIBMBEDTLS) -lcmocka -o $@
$(SAN)/json-check: boards/host/json_check.c $(SAN)/libornd.a
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(WARN) $< $(SAN)/libornd.a -o $@
san: $(SAN_BINS) $(SAN)/json-check

# libFuzzer targets (clang). Each links only the sans-I/O core.
FUZZ      := $(BUILD)/fuzz
FUZZ_CC   ?= clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all $(WARN)
FUZZ_CORE := $(ORND_CORE_SRCS)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FUZZ)/%,$(FUZZ_SRCS))
# built from the sources in one step: every header they may include
FUZZ_HEADERS := $(wildcard src/*.h include/ornd/*.h include/ornd/core/*.h tests/fuzz/*.h)
# Settings of one target's build (core and target alike): the matcher at its
# ceiling of paths, so that every bit of its 32-bit path masks is used.
FUZZ_DEFS_fuzz_match := -DORND_CONFIG_MATCH_PATHS_MAX=32u
$(FUZZ)/%: tests/fuzz/%.c $(FUZZ_CORE) $(FUZZ_HEADERS) $(MBEDTLS_STAMP) Makefile
	@mkdir -p $(dir $@)
	$(call say,FUZZ,$@)$(FUZZ_CC) -std=c11 $(FUZZ_FLAGS) -Iinclude -Isrc -I$(MBEDTLS_DIR)/include $(HOST_DEFS) \
	    $(FUZZ_DEFS_$*) $< $(FUZZ_CORE) -o $@
fuzz: $(FUZZ_BINS)

# ---- checks ----------------------------------------------------------------
ITEST_BINS := $(HOST)/tests/token_race
test: all unit san fuzz $(ITEST_BINS)
	@sh tests/run-all.sh

demo: all
	@sh tests/demo.sh

# cppcheck reads our headers only, not mbedTLS's: it is told what the host
# mbedTLS (its version and configuration) defines that src/tls.c checks for.
LINT_MBEDTLS := -DMBEDTLS_VERSION_NUMBER=0x03060700 -DMBEDTLS_SSL_CLI_C -DMBEDTLS_SSL_PROTO_TLS1_2 \
    -DMBEDTLS_X509_CRT_PARSE_C -DMBEDTLS_PEM_PARSE_C -DMBEDTLS_PSA_CRYPTO_C \
    -DMBEDTLS_MEMORY_BUFFER_ALLOC_C -DMBEDTLS_PSA_CRYPTO_EXTERNAL_RNG
# The library's C is kept in the project's .clang-format style.
FORMAT_FILES = $(wildcard src/*.[ch] include/ornd/*.h include/ornd/core/*.h \
                  port/*/*.[ch] port/lwip/*/*.h)

lint: $(MBEDTLS_STAMP)
	clang-format --dry-run -Werror $(FORMAT_FILES)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	    --std=c11 --inline-suppr -Iinclude -Iport/posix -D__GNUC__ $(HOST_DEFS) \
	    $(LINT_MBEDTLS) src port
	@mkdir -p $(BUILD)
	clang-tidy --quiet $(LIB_SRCS) $(PORT_SRCS) -- $(BASE_CFLAGS) -Iport/posix \
	    2>$(BUILD)/clang-tidy.log || { cat $(BUILD)/clang-tidy.log; exit 1; }
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	    --std=c11 --inline-suppr -Iinclude -Iport/posix -D__GNUC__ $(HOST_DEFS) boards/host
	clang-tidy --quiet $(wildcard boards/host/*.c) -- $(BASE_CFLAGS) -Iport/posix \
	    2>$(BUILD)/clang-tidy-host.log || { cat $(BUILD)/clang-tidy-host.log; exit 1; }

clean:
	rm -rf $(HOST) $(SAN) $(FUZZ) $(BUILD)/test-run
distclean:
	rm -rf $(BUILD)

$(HOST)/obj/src $(HOST)/obj/port/posix $(HOST)/tests:
	@mkdir -p $@

-include $(LIB_OBJS:.o=.d) $(PORT_OBJS:.o=.d) $(SAN_OBJS:.o=.d) $(SAN_PORT_OBJS:.o=.d)

# Further parts (boards, ports, benchmarks) bring their own rules in mk/;
# mk/mbedtls.mk is not one of them: it is run as a sub-make.
include $(sort $(filter-out mk/mbedtls.mk mk/liblwip.mk mk/sources.mk,$(wildcard mk/*.mk)))
