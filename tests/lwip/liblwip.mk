# SPDX-License-Identifier: MIT
# Builds lwIP for the host proof of port/lwip into $(OUT)/liblwip.a: the core
# (IPv4, IPv6), the sequential and sockets APIs, the Ethernet layer and, from
# lwIP's contrib tree, the unix port's pthreads sys_arch and TAP netif.
# Third-party code: compiled without the project's warning flags.
#   make -f tests/lwip/liblwip.mk LWIP_DIR=... OPTS_DIR=... OUT=... CC=... AR=... CFLAGS=...
SRCS := $(wildcard $(LWIP_DIR)/src/core/*.c $(LWIP_DIR)/src/core/ipv4/*.c \
                   $(LWIP_DIR)/src/core/ipv6/*.c $(LWIP_DIR)/src/api/*.c) \
        $(LWIP_DIR)/src/netif/ethernet.c \
        $(LWIP_DIR)/contrib/ports/unix/port/sys_arch.c \
        $(LWIP_DIR)/contrib/ports/unix/port/netif/tapif.c
OBJS := $(patsubst $(LWIP_DIR)/%.c,$(OUT)/obj/%.o,$(SRCS))
LWIP_CFLAGS := $(CFLAGS) -I$(OPTS_DIR) -I$(LWIP_DIR)/src/include \
	-I$(LWIP_DIR)/contrib/ports/unix/port/include

$(OUT)/liblwip.a: $(OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^
	@echo "  AR   $@"

$(OUT)/obj/%.o: $(LWIP_DIR)/%.c $(OPTS_DIR)/lwipopts.h
	@mkdir -p $(dir $@)
	@$(CC) $(LWIP_CFLAGS) -c $< -o $@
	@echo "  CC   lwip/$*.c"
