# SPDX-License-Identifier: MIT
# lwIP port (port/lwip) and its host proof: lwIP 2.2.1 (pinned in
# scripts/fetch-lwip.sh) built with lwIP's unix port, and ornd-lwip-demo,
# which fetches a token over lwIP's TCP/IP through a TAP interface
# (tests/stages/lwip.sh runs it in a network namespace).
#
#   make lwip       build/host/lwip/ornd-lwip-demo (sockets port, NO_SYS 0) and
#                   build/host/lwip-nosys/ornd-lwip-raw-demo (raw-API port,
#                   NO_SYS 1); fetches lwIP on first use
#   make lwip-size  code size of port/lwip's objects

LWIP_VERSION  := 2.2.1
LWIP_DIR      ?= $(BUILD)/deps/lwip-$(LWIP_VERSION)
LWIP_STAMP    := $(LWIP_DIR)/contrib/ports/unix/port/sys_arch.c
LWIP_OPTS_DIR := port/lwip/host
LWIP_OUT      := $(HOST)/lwip
LWIP_LIB      := $(LWIP_OUT)/liblwip.a
LWIP_INC      := -isystem $(LWIP_DIR)/src/include -isystem $(LWIP_DIR)/contrib/ports/unix/port/include \
                 -I$(LWIP_OPTS_DIR) -Iport/lwip
LWIP_PORT_OBJ := $(HOST)/obj/port/lwip/ornd_lwip.o
LWIP_DEMO     := $(LWIP_OUT)/ornd-lwip-demo
# The library without the POSIX port.
LWIP_CORE_OBJS := $(patsubst %.c,$(HOST)/obj/%.o,$(LIB_SRCS))

# The raw-API flavour: lwIP built again with NO_SYS 1.
LWIP_NOSYS_OPTS := port/lwip/host-nosys
LWIP_NOSYS_OUT  := $(HOST)/lwip-nosys
LWIP_NOSYS_LIB  := $(LWIP_NOSYS_OUT)/liblwip.a
LWIP_NOSYS_INC  := $(subst $(LWIP_OPTS_DIR),$(LWIP_NOSYS_OPTS),$(LWIP_INC))
LWIP_RAW_OBJ    := $(HOST)/obj/port/lwip/ornd_lwip_raw.o
LWIP_RAW_DEMO   := $(LWIP_NOSYS_OUT)/ornd-lwip-raw-demo

.PHONY: lwip lwip-size lint-lwip
lwip: $(LWIP_DEMO) $(LWIP_RAW_DEMO)
test: $(LWIP_DEMO) $(LWIP_RAW_DEMO)

$(LWIP_STAMP):
	sh scripts/fetch-lwip.sh $(LWIP_DIR)

# The host proof of port/lwip: the core (IPv4, IPv6), the sequential and
# sockets APIs, the Ethernet layer and, from lwIP's contrib tree, the unix
# port's pthreads sys_arch and TAP netif (built by mk/liblwip.mk).
LWIP_HOST_FILES = $(patsubst $(LWIP_DIR)/%,%,$(wildcard $(LWIP_DIR)/src/core/*.c \
                      $(LWIP_DIR)/src/core/ipv4/*.c $(LWIP_DIR)/src/core/ipv6/*.c \
                      $(LWIP_DIR)/src/api/*.c)) \
                  src/netif/ethernet.c contrib/ports/unix/port/sys_arch.c \
                  contrib/ports/unix/port/netif/tapif.c
LWIP_HOST_MAKE = $(MAKE) --no-print-directory -f mk/liblwip.mk LWIP_DIR=$(LWIP_DIR) \
    LWIP_FILES="$(LWIP_HOST_FILES)" EXTRA_INC="-I$(LWIP_DIR)/contrib/ports/unix/port/include" \
    CC="$(CC)" AR="$(AR)" CFLAGS="-std=gnu99 -O2 -g"

$(LWIP_LIB): $(LWIP_STAMP) $(LWIP_OPTS_DIR)/lwipopts.h mk/liblwip.mk
	$(LWIP_HOST_MAKE) OPTS_DIR=$(LWIP_OPTS_DIR) OUT=$(LWIP_OUT)

$(LWIP_NOSYS_LIB): $(LWIP_STAMP) $(LWIP_NOSYS_OPTS)/lwipopts.h mk/liblwip.mk
	$(LWIP_HOST_MAKE) OPTS_DIR=$(LWIP_NOSYS_OPTS) OUT=$(LWIP_NOSYS_OUT)

$(LWIP_RAW_OBJ): port/lwip/ornd_lwip_raw.c $(LWIP_STAMP) $(MBEDTLS_STAMP) $(LWIP_NOSYS_OPTS)/lwipopts.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(BASE_CFLAGS) $(SRC_WARN) $(LWIP_NOSYS_INC) -MMD -MP -c $< -o $@

$(LWIP_RAW_DEMO): tests/lwip/ornd_lwip_demo.c $(LWIP_RAW_OBJ) $(LWIP_CORE_OBJS) $(LIBMBEDTLS) $(LWIP_NOSYS_LIB)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) $(LWIP_NOSYS_INC) $< $(LWIP_CORE_OBJS) \
	    $(LWIP_RAW_OBJ) $(LIBMBEDTLS) $(LWIP_NOSYS_LIB) -o $@

$(HOST)/obj/port/lwip/%.o: port/lwip/%.c $(LWIP_STAMP) $(MBEDTLS_STAMP) $(LWIP_OPTS_DIR)/lwipopts.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(BASE_CFLAGS) $(SRC_WARN) $(LWIP_INC) -MMD -MP -c $< -o $@

$(LWIP_DEMO): tests/lwip/ornd_lwip_demo.c $(LWIP_PORT_OBJ) $(LWIP_CORE_OBJS) $(LIBMBEDTLS) $(LWIP_LIB)
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) $(LWIP_INC) $< $(LWIP_CORE_OBJS) \
	    $(LWIP_PORT_OBJ) $(LIBMBEDTLS) $(LWIP_LIB) -pthread -o $@

# Host objects, and (when arm-none-eabi-gcc is installed) the same sources
# for Cortex-M4 at -Os against the host lwipopts.h: an indication of the
# port's code size on a microcontroller, not a board build.
ARM_CC ?= arm-none-eabi-gcc
lwip-size: $(LWIP_PORT_OBJ) $(LWIP_RAW_OBJ)
	@echo "port/lwip, host ($(CC) $(CFLAGS)):"
	@size $(LWIP_PORT_OBJ) $(LWIP_RAW_OBJ)
	@if command -v $(ARM_CC) >/dev/null 2>&1; then \
	    mkdir -p $(HOST)/lwip-arm; \
	    $(ARM_CC) -std=c11 -mcpu=cortex-m4 -mthumb -Os $(SRC_WARN) -Iinclude $(LWIP_INC) \
	        -c port/lwip/ornd_lwip.c -o $(HOST)/lwip-arm/ornd_lwip.o && \
	    $(ARM_CC) -std=c11 -mcpu=cortex-m4 -mthumb -Os $(SRC_WARN) -Iinclude $(LWIP_NOSYS_INC) \
	        -c port/lwip/ornd_lwip_raw.c -o $(HOST)/lwip-arm/ornd_lwip_raw.o && \
	    echo "port/lwip, Cortex-M4 ($(ARM_CC) -Os):" && \
	    $(ARM_CC:gcc=size) $(HOST)/lwip-arm/ornd_lwip.o $(HOST)/lwip-arm/ornd_lwip_raw.o; \
	else echo "($(ARM_CC) not installed: no Cortex-M4 figure)"; fi

-include $(LWIP_PORT_OBJ:.o=.d) $(LWIP_RAW_OBJ:.o=.d)

# port/lwip under the same linters as src/ and port/posix, this time with
# lwIP's headers and the host lwipopts.h (`make lint` runs it first).
LWIP_LINT_INC := -I$(LWIP_DIR)/src/include -I$(LWIP_DIR)/contrib/ports/unix/port/include \
                 -I$(LWIP_OPTS_DIR) -Iport/lwip
lint: lint-lwip
lint-lwip: $(LWIP_STAMP) $(MBEDTLS_STAMP)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	    --std=c11 --inline-suppr -Iinclude $(LWIP_LINT_INC) -D__GNUC__ -D__linux__ \
	    --suppress='*:$(LWIP_DIR)/*' port/lwip/ornd_lwip.c
	@mkdir -p $(BUILD)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	    --std=c11 --inline-suppr -Iinclude $(subst $(LWIP_OPTS_DIR),$(LWIP_NOSYS_OPTS),$(LWIP_LINT_INC)) \
	    -D__GNUC__ -D__linux__ --suppress='*:$(LWIP_DIR)/*' port/lwip/ornd_lwip_raw.c
	@mkdir -p $(BUILD)
	clang-tidy --quiet port/lwip/ornd_lwip.c -- $(BASE_CFLAGS) $(LWIP_INC) \
	    2>$(BUILD)/clang-tidy-lwip.log || { cat $(BUILD)/clang-tidy-lwip.log; exit 1; }
	clang-tidy --quiet port/lwip/ornd_lwip_raw.c -- $(BASE_CFLAGS) $(LWIP_NOSYS_INC) \
	    2>$(BUILD)/clang-tidy-lwip.log || { cat $(BUILD)/clang-tidy-lwip.log; exit 1; }
