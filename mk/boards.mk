# SPDX-License-Identifier: MIT
# Firmware and cross builds (boards/mps2-an386, boards/rv32-core) and the
# unit tests cross-built for Cortex-M4 and run under QEMU.
#
#   make BOARD=mps2-an386   firmware ELFs + size tables in build/mps2-an386/:
#                           firmware.elf (offline self-checks) and netfw.elf
#                           (token over Ethernet, rules in mk/mps2-net.mk)
#   make BOARD=rv32-core    RISC-V (rv32imac) core library + size table
#   make qemu-tests         unit-test ELFs for Cortex-M4 (part of `make test`;
#                           run by tests/stages/qemu.sh)
# Without BOARD the default goal stays the host build.

ARM_PREFIX ?= arm-none-eabi-
RV_PREFIX  ?= riscv64-unknown-elf-

.PHONY: mps2-an386 qemu-tests rv32-core

ifeq ($(BOARD),mps2-an386)
.DEFAULT_GOAL := mps2-an386
else ifeq ($(BOARD),rv32-core)
.DEFAULT_GOAL := rv32-core
endif

# ---- mps2-an386 (Cortex-M4) ------------------------------------------------
M4       := $(BUILD)/mps2-an386
M4_DIR   := boards/mps2-an386
M4_CC    := $(ARM_PREFIX)gcc
M4_AR    := $(ARM_PREFIX)ar
M4_SIZE  := $(ARM_PREFIX)size
M4_ARCH  := -mcpu=cortex-m4 -mthumb -mfloat-abi=soft
M4_OPT   := -Os -g -ffunction-sections -fdata-sections
M4_MBEDTLS_CONFIG := $(M4_DIR)/mbedtls_config.h
# The board's ornd-lite settings (PSA's RNG hook in the library, TLS storage
# cut to the board's mbedTLS): $(M4_DIR)/ornd_config.h.
M4_ORND_CONFIG := $(M4_DIR)/ornd_config.h
M4_ORND_DEFS := -DORND_CONFIG_FILE='"$(abspath $(M4_ORND_CONFIG))"'
M4_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L $(M4_ARCH) $(M4_OPT) -Iinclude -isystem $(MBEDTLS_DIR)/include \
             -DMBEDTLS_CONFIG_FILE='"$(abspath $(M4_MBEDTLS_CONFIG))"' $(M4_ORND_DEFS)
M4_LDFLAGS := $(M4_ARCH) -nostartfiles -T$(M4_DIR)/mps2-an386.ld -Wl,--gc-sections
M4_MBEDTLS_OUT := $(M4)/$(notdir $(MBEDTLS_DIR))
M4_LIBMBEDTLS := $(M4_MBEDTLS_OUT)/libmbedtls.a
M4_LIBORND := $(M4)/libornd.a
M4_LIB_OBJS := $(patsubst src/%.c,$(M4)/obj/src/%.o,$(LIB_SRCS))
M4_RT_OBJS := $(M4)/obj/board/startup.o $(M4)/obj/board/semihost.o $(M4)/obj/board/syscalls.o
M4_FW_OBJS := $(M4)/obj/board/main.o $(M4)/obj/board/port_mps2.o $(M4)/obj/board/systick.o \
              $(M4)/obj/board/stack.o \
              $(M4_RT_OBJS)
M4_PKI   := $(M4)/pki

$(M4_LIBMBEDTLS): $(MBEDTLS_STAMP) $(M4_MBEDTLS_CONFIG) mk/mbedtls.mk
	$(MAKE) --no-print-directory -f mk/mbedtls.mk MBEDTLS_DIR=$(MBEDTLS_DIR) \
	    MBEDTLS_CONFIG=$(M4_MBEDTLS_CONFIG) OUT=$(M4_MBEDTLS_OUT) CC="$(M4_CC)" AR="$(M4_AR)" \
	    CFLAGS="-std=c99 $(M4_ARCH) $(M4_OPT)"

$(M4)/obj/src/%.o: src/%.c $(MBEDTLS_STAMP) $(M4_MBEDTLS_CONFIG) $(M4_ORND_CONFIG)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(M4_CC) $(M4_CFLAGS) $(SRC_WARN) -MMD -MP -c $< -o $@
$(M4_LIBORND): $(M4_LIB_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(M4_AR) rcs $@ $^

# The test PKI (scripts/make-test-pki.sh), embedded as PEM strings for the firmware,
# and a time at which its current certificates are valid (an hour after the
# server certificate's start: the firmware's clock, frozen there).
$(M4)/gen/test_pki.h: scripts/make-test-pki.sh
	@mkdir -p $(dir $@) $(M4_PKI)
	@sh scripts/make-test-pki.sh $(M4_PKI) >/dev/null
	$(call say,GEN,$@){ echo '/* generated from scripts/make-test-pki.sh output */'; \
	  start=$$(openssl x509 -noout -startdate -in $(M4_PKI)/server.pem | cut -d= -f2); \
	  echo "#define TEST_PKI_VALID_AT $$(($$(date -u -d "$$start" +%s) + 3600))"; \
	  for n in ca server server-rsa untrusted expired future chained chained-int-expired; do \
	    printf 'static const char test_%s_pem[] =\n' "$$n" | tr - _; \
	    sed 's/.*/    "&\\n"/' $(M4_PKI)/$$n.pem; echo '    ;'; \
	  done; } >$@.tmp && mv $@.tmp $@

$(M4)/obj/board/main.o: $(M4)/gen/test_pki.h
# M4_BOARD_INC: further include options of some board files (mk/mps2-net.mk).
$(M4)/obj/board/%.o: $(M4_DIR)/%.c $(MBEDTLS_STAMP) $(M4_MBEDTLS_CONFIG)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(M4_CC) $(M4_CFLAGS) $(WARN) -I$(M4_DIR) -I$(M4)/gen $(M4_BOARD_INC) -MMD -MP -c $< -o $@

$(M4)/firmware.elf: $(M4_FW_OBJS) $(M4_LIBORND) $(M4_LIBMBEDTLS) $(M4_DIR)/mps2-an386.ld
	$(call say,LD,$@)$(M4_CC) $(M4_LDFLAGS) --specs=nano.specs -Wl,-Map,$@.map \
	    $(M4_FW_OBJS) $(M4_LIBORND) $(M4_LIBMBEDTLS) -o $@

# netfw.elf is a prerequisite too (mk/mps2-net.mk).
mps2-an386: $(M4)/firmware.elf
	@$(PYTHON) scripts/map-sizes.py $(M4_SIZE) $(M4)/firmware.elf $(M4)/firmware.elf.map
	@echo
	@$(PYTHON) scripts/map-sizes.py $(M4_SIZE) $(M4)/netfw.elf $(M4)/netfw.elf.map

# ---- unit tests on the Cortex-M4, under QEMU --------------------------------
CMOCKA_VERSION := 1.1.5
CMOCKA_DIR ?= $(BUILD)/deps/cmocka-$(CMOCKA_VERSION)
CMOCKA_STAMP := $(CMOCKA_DIR)/src/cmocka.c
$(CMOCKA_STAMP):
	sh scripts/fetch-cmocka.sh $(CMOCKA_DIR)
M4_CMOCKA_INC := -isystem $(CMOCKA_DIR)/include
$(M4)/obj/cmocka.o: $(CMOCKA_STAMP) $(M4_DIR)/cmocka/config.h mk/boards.mk
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(M4_CC) -std=gnu99 $(M4_ARCH) $(M4_OPT) -DHAVE_CONFIG_H -DPRIdS='"u"' -I$(M4_DIR)/cmocka \
	    -I$(CMOCKA_DIR)/include -I$(CMOCKA_DIR)/src -c $(CMOCKA_STAMP) -o $@

M4_TEST_BINS := $(patsubst tests/unit/%.c,$(M4)/tests/%.elf,$(UNIT_SRCS))
M4_TEST_LIBS := $(M4)/obj/cmocka.o $(M4_RT_OBJS) $(M4_LIBORND) $(M4_LIBMBEDTLS)
$(M4)/tests/%.elf: tests/unit/%.c $(M4_TEST_LIBS) $(wildcard tests/unit/*.h)
	@mkdir -p $(dir $@)
	$(call say,LD,$@)$(M4_CC) $(M4_CFLAGS) $(WARN) $(M4_CMOCKA_INC) -Isrc -Itests/unit $< \
	    $(M4_TEST_LIBS) $(M4_LDFLAGS) -o $@
# As on the host, the tests over the scripted peers link the testing
# library's objects in place of the TLS glue (mk/testing.mk).

qemu-tests: $(M4_TEST_BINS) $(M4)/firmware.elf
test: qemu-tests

-include $(M4_LIB_OBJS:.o=.d) $(M4_FW_OBJS:.o=.d)

# ---- rv32-core (RISC-V rv32imac, freestanding) ------------------------------
# The sans-I/O core only (not tls.c/client.c, which need mbedTLS), with no C
# library: the board's include/string.h declares the few functions the core
# calls and mem.c defines them; libgcc supplies 64-bit division.
RV       := $(BUILD)/rv32-core
RV_DIR   := boards/rv32-core
RV_CC    := $(RV_PREFIX)gcc
RV_AR    := $(RV_PREFIX)ar
RV_NM    := $(RV_PREFIX)nm
RV_SIZE  := $(RV_PREFIX)size
RV_ARCH  := -march=rv32imac -mabi=ilp32
RV_CFLAGS := -std=c11 $(RV_ARCH) -Os -g -ffreestanding -ffunction-sections -fdata-sections \
             -Iinclude -I$(RV_DIR)/include
RV_CORE_SRCS := $(ORND_CORE_SRCS)
RV_CORE_OBJS := $(patsubst src/%.c,$(RV)/obj/src/%.o,$(RV_CORE_SRCS))
RV_BOARD_OBJS := $(RV)/obj/start.o $(RV)/obj/main.o $(RV)/obj/mem.o $(RV)/obj/semihost.o

$(RV)/obj/src/%.o: src/%.c $(RV_DIR)/include/string.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(RV_CC) $(RV_CFLAGS) $(SRC_WARN) -MMD -MP -c $< -o $@
$(RV)/obj/main.o: $(RV_DIR)/main.c $(RV_DIR)/semihost.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(RV_CC) $(RV_CFLAGS) $(SRC_WARN) -c $< -o $@
$(RV)/obj/semihost.o: $(RV_DIR)/semihost.c $(RV_DIR)/semihost.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(RV_CC) $(RV_CFLAGS) $(SRC_WARN) -c $< -o $@
$(RV)/obj/mem.o: $(RV_DIR)/mem.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(RV_CC) $(RV_CFLAGS) $(WARN) -fno-tree-loop-distribute-patterns -c $< -o $@
$(RV)/obj/start.o: $(RV_DIR)/start.S
	@mkdir -p $(dir $@)
	$(call say,AS,$@)$(RV_CC) $(RV_ARCH) -c $< -o $@
$(RV)/libornd-core.a: $(RV_CORE_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(RV_AR) rcs $@ $^
$(RV)/rv32-core.elf: $(RV_BOARD_OBJS) $(RV)/libornd-core.a $(RV_DIR)/rv32-core.ld
	$(call say,LD,$@)$(RV_CC) $(RV_ARCH) -nostdlib -nostartfiles -T$(RV_DIR)/rv32-core.ld \
	    -Wl,--gc-sections -Wl,-Map,$@.map $(RV_BOARD_OBJS) $(RV)/libornd-core.a -lgcc -o $@

rv32-core: $(RV)/rv32-core.elf
qemu-tests: $(RV)/rv32-core.elf # run by tests/stages/rv32.sh
	@echo "object sizes (rv32imac -Os, before --gc-sections):"
	@$(RV_SIZE) $(RV_CORE_OBJS) | sed 's|$(RV)/obj/||; s/^/  /'
	@echo "external symbols the core needs (nm -u over its objects, less its own):"
	@$(RV_NM) -u $(RV_CORE_OBJS) | awk '$$1 == "U" {print $$2}' | sort -u >$(RV)/undef.txt
	@$(RV_NM) --defined-only $(RV_CORE_OBJS) | awk 'NF == 3 && $$2 ~ /[TDRB]/ {print $$3}' | \
	    sort -u >$(RV)/defined.txt
	@comm -23 $(RV)/undef.txt $(RV)/defined.txt | tr '\n' ' ' | fold -s -w 76 | sed 's/^/  /'; echo
	@$(PYTHON) scripts/map-sizes.py $(RV_SIZE) $(RV)/rv32-core.elf $(RV)/rv32-core.elf.map

-include $(RV_CORE_OBJS:.o=.d)

# `make clean` also drops the cross builds (the downloaded sources stay).
.PHONY: clean-boards
clean: clean-boards
clean-boards:
	rm -rf $(M4) $(RV)
