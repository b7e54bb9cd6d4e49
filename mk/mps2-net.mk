# SPDX-License-Identifier: MIT
# The mps2-an386 network firmware: lwIP 2.2.1 cross-built for the Cortex-M4,
# the board's LAN9118 driver as an lwIP netif, port/lwip's raw-API port, and
# build/mps2-an386/netfw.elf, which fetches a token over QEMU's emulated
# Ethernet (tests/stages/qemu_net.sh runs it on a TAP in a network namespace).
# This file comes after mk/boards.mk (M4_*) and mk/lwip.mk (LWIP_DIR,
# LWIP_STAMP, the pinned lwIP), whose variables it uses.
#
#   make BOARD=mps2-an386   builds netfw.elf too and prints its size table
#   make qemu-tests         (part of make test) builds it as well

M4_LWIP_OUT := $(M4)/lwip-$(LWIP_VERSION)
M4_LIBLWIP  := $(M4_LWIP_OUT)/liblwip.a
M4_LWIP_INC := -isystem $(LWIP_DIR)/src/include -Iport/lwip
M4_RAW_OBJ  := $(M4)/obj/port/lwip/ornd_lwip_raw.o
M4_NET_BOARD_OBJS := $(M4)/obj/board/netfw.o $(M4)/obj/board/lan9118.o \
                     $(M4)/obj/board/netif_lan9118.o $(M4)/obj/board/lwip_arch.o
# The SysTick clock and the SNTP-set wall clock; never port_mps2.o, the
# offline firmware's placeholder entropy.
M4_NET_OBJS := $(M4_NET_BOARD_OBJS) $(M4)/obj/board/systick.o $(M4)/obj/board/wallclock.o \
               $(M4)/obj/board/stack.o \
               $(M4_RT_OBJS) $(M4_RAW_OBJ)

# lwIP for the firmware: the IPv4 core, TCP, UDP (DNS, SNTP), ARP, the
# Ethernet layer and lwIP's SNTP client (apps/sntp), configured by the
# board's lwipopts.h and arch/cc.h. No OS layer (NO_SYS 1) and no netif
# driver from lwIP: the board brings its own (netif_lan9118.c).
M4_LWIP_FILES := $(patsubst %,src/%.c,core/init core/def core/dns core/inet_chksum core/ip \
                   core/mem core/memp core/netif core/pbuf core/raw core/stats core/sys core/tcp \
                   core/tcp_in core/tcp_out core/timeouts core/udp core/ipv4/etharp core/ipv4/icmp \
                   core/ipv4/ip4 core/ipv4/ip4_addr core/ipv4/ip4_frag netif/ethernet \
                   apps/sntp/sntp)
$(M4_LIBLWIP): $(LWIP_STAMP) $(M4_DIR)/lwipopts.h $(M4_DIR)/arch/cc.h mk/liblwip.mk
	$(MAKE) --no-print-directory -f mk/liblwip.mk LWIP_DIR=$(LWIP_DIR) OPTS_DIR=$(M4_DIR) \
	    LWIP_FILES="$(M4_LWIP_FILES)" TAG=" (Cortex-M4)" OUT=$(M4_LWIP_OUT) CC="$(M4_CC)" \
	    AR="$(M4_AR)" CFLAGS="-std=gnu99 $(M4_ARCH) $(M4_OPT)"

# Board files that use lwIP: its headers (as system headers) and port/lwip.
$(M4_NET_BOARD_OBJS): M4_BOARD_INC := $(M4_LWIP_INC)
$(M4_NET_BOARD_OBJS): $(LWIP_STAMP) $(M4_DIR)/lwipopts.h $(M4_DIR)/arch/cc.h

# port/lwip's raw-API port, built as the library is (SRC_WARN) against this
# board's lwipopts.h.
$(M4_RAW_OBJ): port/lwip/ornd_lwip_raw.c $(LWIP_STAMP) $(MBEDTLS_STAMP) $(M4_DIR)/lwipopts.h
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(M4_CC) $(M4_CFLAGS) $(SRC_WARN) -I$(M4_DIR) $(M4_LWIP_INC) -MMD -MP -c $< -o $@

$(M4)/netfw.elf: $(M4_NET_OBJS) $(M4_LIBORND) $(M4_LIBMBEDTLS) $(M4_LIBLWIP) $(M4_DIR)/mps2-an386.ld
	$(call say,LD,$@)$(M4_CC) $(M4_LDFLAGS) --specs=nano.specs -Wl,-Map,$@.map \
	    $(M4_NET_OBJS) $(M4_LIBORND) $(M4_LIBMBEDTLS) $(M4_LIBLWIP) -o $@

mps2-an386: $(M4)/netfw.elf
qemu-tests: $(M4)/netfw.elf

-include $(M4_NET_BOARD_OBJS:.o=.d) $(M4_RAW_OBJ:.o=.d)

# The boards' own C (startup, system calls, driver, netif, firmware; the
# RISC-V image) under cppcheck, as src/ and port/ are. (clang-tidy would
# need the cross C library's headers; it is not run on them.)
lint: lint-boards
lint-boards: $(LWIP_STAMP) $(MBEDTLS_STAMP)
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	    --std=c11 --inline-suppr -Iinclude -I$(M4_DIR) -Iport/lwip -I$(LWIP_DIR)/src/include \
	    -D__GNUC__ -D__arm__ --suppress='*:$(LWIP_DIR)/*' $(M4_DIR)/*.c
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability,performance \
	    --std=c11 --inline-suppr -Iinclude -I$(RV_DIR)/include -D__GNUC__ $(RV_DIR)/*.c
