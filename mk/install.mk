# SPDX-License-Identifier: MIT
# make install PREFIX=/opt/ornd [DESTDIR=...]: the library for other programs.
#
#   include/ornd/*.h, include/ornd/core/*.h   the public headers (the public
#                                             structs hold the core's types)
#   include/ornd_posix.h                      the POSIX port's header
#   include/ornd/mbedtls/{mbedtls,psa}/       the mbedTLS the library was built
#                                             with; its mbedtls/mbedtls_config.h
#                                             is $(MBEDTLS_CONFIG)
#   lib/libornd.a                             core, sessions, TLS glue
#   lib/libornd-posix.a                       the POSIX port
#   lib/libornd-mbedtls.a                     that mbedTLS, built with that config
#   lib/pkgconfig/ornd.pc                     flags (mk/ornd.pc.in)
#   lib/cmake/ornd/orndConfig*.cmake          find_package(ornd): ornd::ornd,
#                                             ornd::posix (cmake/*.cmake.in)
#
# The version comes from include/ornd/version.h, the build settings the .pc
# and the CMake package report from the Makefile's HOST_DEFS.
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_DIR := $(DESTDIR)$(PREFIX)

version_part = $(shell sed -n 's/^\#define ORND_VERSION_$(1) \(.*\)$$/\1/p' include/ornd/version.h)
ORND_VERSION_MAJOR := $(call version_part,MAJOR)
ORND_VERSION_MINOR := $(call version_part,MINOR)
ORND_VERSION_PATCH := $(call version_part,PATCH)
ORND_VERSION_FULL  := $(ORND_VERSION_MAJOR).$(ORND_VERSION_MINOR).$(ORND_VERSION_PATCH)

# What the library in build/host was built with (HOST_DEFS in the Makefile).
INSTALL_RNG_HOOK  := $(if $(findstring -DORND_CONFIG_TLS_RNG_HOOK=1,$(HOST_DEFS)),1,0)
INSTALL_POOL_SIZE := $(shell printf '#include "ornd/config.h"\nunsigned long v = ORND_CONFIG_TLS_POOL_SIZE;\n' | \
    $(CC) -E -P -Iinclude $(filter -DORND_%,$(HOST_DEFS)) - 2>/dev/null | \
    sed -n 's/^unsigned long v = \(.*\);/\1/p' | tr -d ' ' | sed 's/u//g')
INSTALL_POOL_SIZE := $(shell echo '$(INSTALL_POOL_SIZE)' | sed 's/[()]//g' | tr '*' ' ' | \
    awk '{p = 1; for (i = 1; i <= NF; i++) p *= $$i; print p}')

INSTALL_SUBST := sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(ORND_VERSION_FULL)|g' \
    -e 's|@VERSION_MAJOR@|$(ORND_VERSION_MAJOR)|g' -e 's|@VERSION_MINOR@|$(ORND_VERSION_MINOR)|g' \
    -e 's|@MBEDTLS_VERSION@|$(MBEDTLS_VERSION)|g' -e 's|@MBEDTLS_CONFIG@|$(MBEDTLS_CONFIG)|g' \
    -e 's|@TLS_RNG_HOOK@|$(INSTALL_RNG_HOOK)|g' -e 's|@TLS_POOL_SIZE@|$(INSTALL_POOL_SIZE)|g' \
    -e 's|@SIZEOF_VOID_P@|$(shell getconf LONG_BIT | awk '{print $$1 / 8}')|g'

.PHONY: install uninstall
install: $(LIBORND) $(LIBORND_POSIX) $(LIBMBEDTLS) mk/ornd.pc.in cmake/orndConfig.cmake.in \
         cmake/orndConfigVersion.cmake.in
	@test -n "$(PREFIX)" || { echo "make install: PREFIX is empty"; exit 1; }
	install -d $(INSTALL_DIR)/include/ornd/core $(INSTALL_DIR)/lib/pkgconfig \
	    $(INSTALL_DIR)/lib/cmake/ornd $(INSTALL_DIR)/include/ornd/mbedtls
	install -m 644 $(wildcard include/ornd/*.h) $(INSTALL_DIR)/include/ornd/
	install -m 644 $(wildcard include/ornd/core/*.h) $(INSTALL_DIR)/include/ornd/core/
	install -m 644 port/posix/ornd_posix.h $(INSTALL_DIR)/include/
	install -m 644 $(LIBORND) $(LIBORND_POSIX) $(INSTALL_DIR)/lib/
	install -m 644 $(LIBMBEDTLS) $(INSTALL_DIR)/lib/libornd-mbedtls.a
	cp -R $(MBEDTLS_DIR)/include/mbedtls $(MBEDTLS_DIR)/include/psa $(INSTALL_DIR)/include/ornd/mbedtls/
	install -m 644 $(MBEDTLS_CONFIG) $(INSTALL_DIR)/include/ornd/mbedtls/mbedtls/mbedtls_config.h
	$(INSTALL_SUBST) mk/ornd.pc.in >$(INSTALL_DIR)/lib/pkgconfig/ornd.pc
	$(INSTALL_SUBST) cmake/orndConfig.cmake.in >$(INSTALL_DIR)/lib/cmake/ornd/orndConfig.cmake
	$(INSTALL_SUBST) cmake/orndConfigVersion.cmake.in \
	    >$(INSTALL_DIR)/lib/cmake/ornd/orndConfigVersion.cmake

uninstall:
	rm -rf $(INSTALL_DIR)/include/ornd $(INSTALL_DIR)/lib/cmake/ornd
	rm -f $(INSTALL_DIR)/include/ornd_posix.h $(INSTALL_DIR)/lib/pkgconfig/ornd.pc \
	    $(addprefix $(INSTALL_DIR)/lib/,libornd.a libornd-posix.a libornd-mbedtls.a)
