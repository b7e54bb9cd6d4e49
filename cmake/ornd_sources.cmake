# SPDX-License-Identifier: MIT
# Reads mk/sources.mk, the one source list the Makefile uses too: every line
# `NAME := files...` sets NAME to those files as absolute paths (ORND_CORE_SRCS,
# ORND_SESSION_SRCS, ORND_TLS_SRCS, ORND_POSIX_SRCS, ORND_LWIP_SRCS,
# ORND_LWIP_RAW_SRCS, ORND_INCLUDE_DIR). Included by CMakeLists.txt, the ESP-IDF
# component (cmake/esp-idf.cmake) and the Zephyr module (zephyr/CMakeLists.txt).
get_filename_component(ORND_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
file(STRINGS "${ORND_ROOT}/mk/sources.mk" _ornd_source_lines REGEX "^[A-Z_]+ := ")
foreach(_line IN LISTS _ornd_source_lines)
  string(REGEX MATCH "^([A-Z_]+) := (.*)$" _m "${_line}")
  set(_name "${CMAKE_MATCH_1}")
  separate_arguments(_files UNIX_COMMAND "${CMAKE_MATCH_2}")
  set(${_name} "")
  foreach(_f IN LISTS _files)
    list(APPEND ${_name} "${ORND_ROOT}/${_f}")
  endforeach()
endforeach()
foreach(_list ORND_CORE_SRCS ORND_SESSION_SRCS ORND_TLS_SRCS ORND_POSIX_SRCS ORND_LWIP_SRCS
        ORND_LWIP_RAW_SRCS ORND_INCLUDE_DIR)
  if(NOT ${_list})
    message(FATAL_ERROR "ornd: mk/sources.mk defines no ${_list}")
  endif()
endforeach()
# The library: core, sessions, TLS glue.
set(ORND_LIB_SRCS ${ORND_CORE_SRCS} ${ORND_SESSION_SRCS} ${ORND_TLS_SRCS})
# Its version, from include/ornd/version.h.
file(STRINGS "${ORND_ROOT}/include/ornd/version.h" _ornd_version_lines
     REGEX "^#define ORND_VERSION_(MAJOR|MINOR|PATCH) ")
set(ORND_VERSION "")
foreach(_part MAJOR MINOR PATCH)
  string(REGEX MATCH "ORND_VERSION_${_part} ([0-9]+)" _m "${_ornd_version_lines}")
  list(APPEND ORND_VERSION "${CMAKE_MATCH_1}")
endforeach()
list(JOIN ORND_VERSION "." ORND_VERSION)
