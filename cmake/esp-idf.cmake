# SPDX-License-Identifier: MIT
# ornd-lite as an ESP-IDF component (CMakeLists.txt includes this when
# ESP_PLATFORM is set; the manifest is idf_component.yml): the library and
# the lwIP sockets port, over IDF's own mbedtls and lwip components. IDF's
# mbedTLS has its own entropy and allocator, so no opt-in is needed and the
# RNG hook stays off (ORND_CONFIG_TLS_RNG_HOOK 0, the default).
include("${CMAKE_CURRENT_LIST_DIR}/ornd_sources.cmake")
idf_component_register(SRCS ${ORND_LIB_SRCS} ${ORND_LWIP_SRCS}
                       INCLUDE_DIRS "${ORND_INCLUDE_DIR}" "${ORND_ROOT}/port/lwip"
                       REQUIRES mbedtls lwip)
