# SPDX-License-Identifier: MIT
# The library against mbedTLS built with mbedTLS's own default configuration,
# unchanged (no MBEDTLS_CONFIG_FILE): what an SDK's stock mbedTLS looks like.
# mbedTLS then has its own entropy (MBEDTLS_ENTROPY_C) and allocates with
# calloc/free; neither opt-in of ornd/tls_setup.h is available, and the
# library is built without the RNG hook. The tool built here leaves mbedTLS
# as configured (boards/host/tool.c says how it decides).
#
#   make host-default   build/host-default/{libornd.a,libornd-posix.a,ornd}
#   make coexist        build/host-default/coexist, build/host/tests/coexist-pool
#
# tests/stages/default_config.sh runs the integration tests against its tool.

HDEF            := $(BUILD)/host-default
HDEF_MBEDTLS    := $(HDEF)/$(notdir $(MBEDTLS_DIR))
HDEF_LIBMBEDTLS := $(HDEF_MBEDTLS)/libmbedtls.a
HDEF_CFLAGS     := -std=c11 -D_POSIX_C_SOURCE=200809L $(CFLAGS) -Iinclude -isystem $(MBEDTLS_DIR)/include
HDEF_LIB_OBJS   := $(patsubst %.c,$(HDEF)/obj/%.o,$(LIB_SRCS))
HDEF_PORT_OBJS  := $(patsubst %.c,$(HDEF)/obj/%.o,$(PORT_SRCS))
HDEF_LIBS       := $(HDEF)/libornd.a $(HDEF)/libornd-posix.a $(HDEF_LIBMBEDTLS)

.PHONY: host-default clean-host-default
host-default: $(HDEF)/ornd
test: $(HDEF)/ornd
clean: clean-host-default
clean-host-default:
	rm -rf $(HDEF)

$(HDEF_LIBMBEDTLS): $(MBEDTLS_STAMP) mk/mbedtls.mk
	$(MAKE) --no-print-directory -f mk/mbedtls.mk MBEDTLS_DIR=$(MBEDTLS_DIR) \
	    MBEDTLS_CONFIG= OUT=$(HDEF_MBEDTLS) CC="$(CC)" AR="$(AR)" CFLAGS="-std=c99 -O2 -g"

$(HDEF)/obj/%.o: %.c $(MBEDTLS_STAMP) $(BUILD_FILES) mk/host-default.mk
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(HDEF_CFLAGS) $(SRC_WARN) -Iport/posix -MMD -MP -c $< -o $@

$(HDEF)/libornd.a: $(HDEF_LIB_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^
$(HDEF)/libornd-posix.a: $(HDEF_PORT_OBJS)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

$(HDEF)/ornd: $(TOOL_SRCS) boards/host/tool.h $(HDEF_LIBS)
	$(call say,LD,$@)$(CC) $(HDEF_CFLAGS) $(WARN) -Iport/posix $(TOOL_SRCS) $(HDEF_LIBS) -o $@

-include $(HDEF_LIB_OBJS:.o=.d) $(HDEF_PORT_OBJS:.o=.d)

# tests/coexist/coexist.c: a program using mbedTLS on its own beside a client,
# built twice: against mbedTLS's default configuration without the opt-ins
# (build/host-default/coexist) and against the host configuration with the
# static pool and the platform RNG (build/host/tests/coexist-pool).
# tests/integration/test_coexist.py runs both against the identity server.
COEXIST_BINS := $(HDEF)/coexist $(HOST)/tests/coexist-pool
.PHONY: coexist
coexist: $(COEXIST_BINS)
test: $(COEXIST_BINS)

$(HDEF)/coexist: tests/coexist/coexist.c $(HDEF_LIBS)
	$(call say,LD,$@)$(CC) $(HDEF_CFLAGS) $(WARN) -Iport/posix $< $(HDEF_LIBS) -o $@
$(HOST)/tests/coexist-pool: tests/coexist/coexist.c $(HOST_LIBS) | $(HOST)/tests
	$(call say,LD,$@)$(CC) $(BASE_CFLAGS) $(WARN) -DCOEXIST_STATIC_POOL=1 -Iport/posix $< \
	    $(HOST_LIBS) -o $@
