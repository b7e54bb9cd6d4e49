# SPDX-License-Identifier: MIT
# `make bench`: footprint, stack, RAM, parser cost and network cost of the
# library, printed as one table and written to build/bench.json, with the
# budgets of README.md ("Benchmarks") checked (PASS/FAIL; exit status 0).
# Needs arm-none-eabi-gcc (+ newlib), valgrind, openssl and python3.
#
# Cortex-M4 figures: src/*.c and mbedTLS (boards/mps2-an386/mbedtls_config.h)
# built with arm-none-eabi-gcc -Os, with -fstack-usage -fcallgraph-info=su
# for the stack analysis. Host figures: the ordinary host build.

BENCH      := $(BUILD)/bench
BENCH_CM4  := $(BENCH)/cm4
BENCH_HOST := $(BENCH)/host
CM4_CC     ?= arm-none-eabi-gcc
CM4_AR     ?= arm-none-eabi-ar
CM4_FLAGS  := -mcpu=cortex-m4 -mthumb -Os -ffunction-sections -fdata-sections
CM4_SU     := -fstack-usage -fcallgraph-info=su
BENCH_MBEDTLS_CONFIG := boards/mps2-an386/mbedtls_config.h
# the board's settings of mbedTLS and of ornd-lite (boards/mps2-an386)
BENCH_ORND_CONFIG := boards/mps2-an386/ornd_config.h
CM4_DEFS   := -DMBEDTLS_CONFIG_FILE='"$(abspath $(BENCH_MBEDTLS_CONFIG))"' \
              -DORND_CONFIG_FILE='"$(abspath $(BENCH_ORND_CONFIG))"'
CM4_INC    := -Iinclude -isystem $(MBEDTLS_DIR)/include
CM4_MBEDTLS_OUT := $(BENCH_CM4)/$(notdir $(MBEDTLS_DIR))
CM4_LIBMBEDTLS := $(CM4_MBEDTLS_OUT)/libmbedtls.a
CM4_OBJS   := $(patsubst src/%.c,$(BENCH_CM4)/ornd/%.o,$(LIB_SRCS))

.PHONY: bench
bench: $(BENCH_CM4)/token.elf $(BENCH_CM4)/sizeof_probe.o $(BENCH_HOST)/sizeof_probe \
       $(BENCH_HOST)/bench_parse $(BENCH_HOST)/bench_net $(BENCH_HOST)/bench_api \
       $(BUILD)/mps2-an386/netfw.elf $(BUILD)/mps2-an386/firmware.elf
	@mkdir -p $(BENCH)/inputs
	@for fw in netfw firmware; do $(PYTHON) scripts/map-sizes.py $(ARM_PREFIX)size \
	    $(BUILD)/mps2-an386/$$fw.elf $(BUILD)/mps2-an386/$$fw.elf.map --json $(BENCH)/fw-$$fw.json; done
	@$(PYTHON) tests/bench/sizes.py $(BENCH)/sizes.json $(BENCH_CM4)/token.map $(CM4_OBJS) \
	    -- $(CM4_LIBMBEDTLS)
	@$(PYTHON) tests/bench/stack.py $(BENCH)/stack.json --lib $(CM4_OBJS:.o=.ci) \
	    --mbedtls $(wildcard $(CM4_MBEDTLS_OUT)/*.ci) --headers $(wildcard include/ornd/*.h include/ornd/core/*.h)
	@sh tests/bench/ram.sh $(BENCH_HOST)/sizeof_probe $(BENCH_CM4)/sizeof_probe.o \
	    $(BENCH_CM4)/ornd/tls_setup.o >$(BENCH)/ram.json
	@$(PYTHON) tests/bench/gen_inputs.py $(BENCH)/inputs
	@sh tests/bench/parse.sh $(BENCH_HOST)/bench_parse $(BENCH)/inputs >$(BENCH)/parse.json
	@sh scripts/make-test-pki.sh $(BENCH)/certs-ec
	@sh tests/bench/make-rsa-chain.sh $(BENCH)/certs-rsa
	@sh tests/bench/net.sh $(BENCH_HOST)/bench_net $(BENCH)/certs-ec $(BENCH)/certs-rsa \
	    >$(BENCH)/net.json
	@sh tests/bench/api.sh $(BENCH_HOST)/bench_api $(BENCH)/certs-ec >$(BENCH)/api.json
	@$(PYTHON) tests/bench/report.py $(BENCH) $(BUILD)/bench.json

# ---- Cortex-M4 -------------------------------------------------------------
$(CM4_LIBMBEDTLS): $(MBEDTLS_STAMP) $(BENCH_MBEDTLS_CONFIG) mk/mbedtls.mk
	$(MAKE) --no-print-directory -f mk/mbedtls.mk MBEDTLS_DIR=$(MBEDTLS_DIR) \
	    MBEDTLS_CONFIG=$(BENCH_MBEDTLS_CONFIG) OUT=$(CM4_MBEDTLS_OUT) CC="$(CM4_CC)" \
	    AR="$(CM4_AR)" CFLAGS="-std=c99 $(CM4_FLAGS) $(CM4_SU)"

$(BENCH_CM4)/ornd/%.o: src/%.c $(MBEDTLS_STAMP) $(BENCH_MBEDTLS_CONFIG) $(BENCH_ORND_CONFIG)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CM4_CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(CM4_FLAGS) $(CM4_SU) \
	    $(SRC_WARN) $(CM4_INC) $(CM4_DEFS) -MMD -MP -c $< -o $@

# The token path: a --gc-sections link of the smallest firmware that fetches
# a token header; the map file tells what each module keeps.
$(BENCH_CM4)/token.elf: tests/bench/token_entry.c $(CM4_OBJS) $(CM4_LIBMBEDTLS)
	$(call say,LD,$@)$(CM4_CC) -std=c11 $(CM4_FLAGS) $(WARN) $(CM4_INC) $(CM4_DEFS) $< \
	    $(CM4_OBJS) $(CM4_LIBMBEDTLS) --specs=nano.specs --specs=nosys.specs \
	    -Wl,--gc-sections -Wl,-Map=$(BENCH_CM4)/token.map -o $@

$(BENCH_CM4)/sizeof_probe.o: tests/bench/sizeof_probe.c $(MBEDTLS_STAMP) $(wildcard include/ornd/*.h include/ornd/core/*.h)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CM4_CC) -std=c11 -DBENCH_NO_MAIN $(CM4_FLAGS) $(WARN) $(CM4_INC) \
	    $(CM4_DEFS) -c $< -o $@

# ---- host ------------------------------------------------------------------
$(BENCH_HOST)/sizeof_probe: tests/bench/sizeof_probe.c $(MBEDTLS_STAMP) $(wildcard include/ornd/*.h include/ornd/core/*.h)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) $< -o $@
$(BENCH_HOST)/bench_parse: tests/bench/bench_parse.c $(LIBORND)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) $< $(LIBORND) -o $@
$(BENCH_HOST)/bench_net $(BENCH_HOST)/bench_api: $(BENCH_HOST)/bench_%: tests/bench/bench_%.c \
        tests/bench/count_port.h $(HOST_LIBS)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -Iport/posix $< $(HOST_LIBS) -o $@

-include $(CM4_OBJS:.o=.d)

# `make clean` also removes the benchmark builds and results.
.PHONY: bench-clean
bench-clean:
	rm -rf $(BENCH) $(BUILD)/bench.json
clean: bench-clean
