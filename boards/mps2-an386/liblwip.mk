# SPDX-License-Identifier: MIT
# Cross-builds lwIP for the mps2-an386 network firmware into $(OUT)/liblwip.a:
# the IPv4 core, TCP, UDP (DNS, SNTP), ARP, the Ethernet layer and lwIP's
# SNTP client (apps/sntp), configured by
# boards/mps2-an386/lwipopts.h and arch/cc.h. No OS layer (NO_SYS 1) and no
# netif driver from lwIP: the board brings its own (netif_lan9118.c).
# Third-party code: compiled without the project's warning flags.
# Run by mk/mps2-net.mk once lwIP has been fetched:
#   make -f boards/mps2-an386/liblwip.mk LWIP_DIR=... BOARD_DIR=... OUT=... CC=... AR=... CFLAGS=...
FILES := core/init core/def core/dns core/inet_chksum core/ip core/mem core/memp \
         core/netif core/pbuf core/raw core/stats core/sys core/tcp core/tcp_in core/tcp_out \
         core/timeouts core/udp core/ipv4/etharp core/ipv4/icmp core/ipv4/ip4 \
         core/ipv4/ip4_addr core/ipv4/ip4_frag netif/ethernet apps/sntp/sntp
OBJS := $(patsubst %,$(OUT)/obj/%.o,$(FILES))
LWIP_CFLAGS := $(CFLAGS) -I$(BOARD_DIR) -I$(LWIP_DIR)/src/include

$(OUT)/liblwip.a: $(OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^
	@echo "  AR   $@"

$(OUT)/obj/%.o: $(LWIP_DIR)/src/%.c $(BOARD_DIR)/lwipopts.h $(BOARD_DIR)/arch/cc.h
	@mkdir -p $(dir $@)
	@$(CC) $(LWIP_CFLAGS) -c $< -o $@
	@echo "  CC   lwip/$*.c (Cortex-M4)"
