# SPDX-License-Identifier: MIT
# Builds the mbedTLS library sources of $(MBEDTLS_DIR) into $(OUT)/libmbedtls.a
# with the configuration header $(MBEDTLS_CONFIG), or with mbedTLS's own
# default configuration when MBEDTLS_CONFIG is empty. Used for every target
# (host, sanitizer and cross builds), so all of them compile the same pinned
# sources the same way.
#   make -f mk/mbedtls.mk MBEDTLS_DIR=... MBEDTLS_CONFIG=... OUT=... CC=... AR=... CFLAGS=...
SRCS := $(wildcard $(MBEDTLS_DIR)/library/*.c)
OBJS := $(patsubst $(MBEDTLS_DIR)/library/%.c,$(OUT)/%.o,$(SRCS))
MBEDTLS_CFLAGS := $(CFLAGS) -I$(MBEDTLS_DIR)/include -I$(MBEDTLS_DIR)/library \
	$(if $(MBEDTLS_CONFIG),-DMBEDTLS_CONFIG_FILE='"$(abspath $(MBEDTLS_CONFIG))"')

$(OUT)/libmbedtls.a: $(OBJS)
	@rm -f $@
	@$(AR) rcs $@ $^
	@echo "  AR $@"


$(OUT)/%.o: $(MBEDTLS_DIR)/library/%.c $(MBEDTLS_CONFIG) | $(OUT)
	@$(CC) $(MBEDTLS_CFLAGS) -c $< -o $@
	@echo "  CC mbedtls/$*.c"

$(OUT):
	@mkdir -p $@
