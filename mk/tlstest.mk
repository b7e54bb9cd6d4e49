# SPDX-License-Identifier: MIT
# Tests of the TLS glue and the POSIX port over real sockets on loopback
# (tests/tls/): they link the real src/tls.c, mbedTLS and port/posix/, run
# on the host only (not under QEMU, unlike tests/unit/), and are built with
# the unit tests and the sanitizer build, so that tests/run-all.sh runs them
# in both unit stages. `make tls-tests` builds and runs the host ones alone.

TLSTEST_SRCS     := $(wildcard tests/tls/test_*.c)
TLSTEST_BINS     := $(patsubst tests/tls/%.c,$(HOST)/tests/%,$(TLSTEST_SRCS))
TLSTEST_SAN_BINS := $(patsubst tests/tls/%.c,$(SAN)/tests/%,$(TLSTEST_SRCS))

$(TLSTEST_BINS): $(HOST)/tests/%: tests/tls/%.c $(wildcard tests/tls/*.h) $(HOST_LIBS) | $(HOST)/tests
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Iport/posix $< $(HOST_LIBS) \
	    -lcmocka -lpthread -o $@
$(TLSTEST_SAN_BINS): $(SAN)/tests/%: tests/tls/%.c $(wildcard tests/tls/*.h) $(SAN)/libornd.a $(SAN)/libornd-posix.a $(LIBMBEDTLS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) $(WARN) -Iport/posix $< \
	    $(SAN)/libornd.a $(SAN)/libornd-posix.a $(LIBMBEDTLS) -lcmocka -lpthread -o $@

unit: $(TLSTEST_BINS)
san: $(TLSTEST_SAN_BINS)

.PHONY: tls-tests
tls-tests: $(TLSTEST_BINS)
	@for t in $(TLSTEST_BINS); do $$t || exit 1; done
