# SPDX-License-Identifier: MIT
# Builds lwIP into $(OUT)/liblwip.a: the files of the lwIP tree named in
# LWIP_FILES (paths inside LWIP_DIR), configured by $(OPTS_DIR)/lwipopts.h
# (and arch/cc.h where the target has one). Third-party code: compiled
# without the project's warning flags. Run as a sub-make by mk/lwip.mk (the
# host, with lwIP's unix port) and mk/mps2-net.mk (the Cortex-M4 firmware):
#   make -f mk/liblwip.mk LWIP_DIR=... OPTS_DIR=... LWIP_FILES="..." \
#       [EXTRA_INC=...] [TAG=...] OUT=... CC=... AR=... CFLAGS=...
OBJS := $(patsubst %.c,$(OUT)/obj/%.o,$(LWIP_FILES))
LWIP_CFLAGS := $(CFLAGS) -I$(OPTS_DIR) -I$(LWIP_DIR)/src/include $(EXTRA_INC)
OPTS_FILES := $(wildcard $(OPTS_DIR)/lwipopts.h $(OPTS_DIR)/arch/cc.h)

$(OUT)/liblwip.a: $(OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^
	@echo "  AR   $@"

$(OUT)/obj/%.o: $(LWIP_DIR)/%.c $(OPTS_FILES)
	@mkdir -p $(dir $@)
	@$(CC) $(LWIP_CFLAGS) -c $< -o $@
	@echo "  CC   lwip/$*.c$(TAG)"
