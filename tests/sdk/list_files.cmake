# SPDX-License-Identifier: MIT
# cmake -DSDK=esp-idf|zephyr -P tests/sdk/list_files.cmake
# Runs the ESP-IDF registration (through the top CMakeLists.txt, as IDF
# would) or the Zephyr module's CMakeLists.txt with stand-ins for the SDK's
# functions, which print what they are given, one item a line:
#   SRC <file>, DIR <dir>, REQUIRES <component>, LIBRARY <name>,
#   DEF <definition>, LINK <library>.
# tests/sdk/test_sdk_files.py checks that every file and directory exists.
get_filename_component(_root "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)

function(_say kind)
  foreach(_item ${ARGN})
    message("${kind} ${_item}")
  endforeach()
endfunction()

# ESP-IDF
function(idf_component_register)
  cmake_parse_arguments(A "" "" "SRCS;INCLUDE_DIRS;PRIV_INCLUDE_DIRS;REQUIRES;PRIV_REQUIRES" ${ARGN})
  _say(SRC ${A_SRCS})
  _say(DIR ${A_INCLUDE_DIRS} ${A_PRIV_INCLUDE_DIRS})
  _say(REQUIRES ${A_REQUIRES} ${A_PRIV_REQUIRES})
endfunction()

# Zephyr
function(zephyr_library_named name)
  _say(LIBRARY ${name})
endfunction()
function(zephyr_library_sources)
  _say(SRC ${ARGN})
endfunction()
function(zephyr_include_directories)
  _say(DIR ${ARGN})
endfunction()
function(zephyr_compile_definitions)
  _say(DEF ${ARGN})
endfunction()
function(zephyr_library_compile_definitions)
  _say(DEF ${ARGN})
endfunction()
function(zephyr_library_link_libraries)
  _say(LINK ${ARGN})
endfunction()

if(SDK STREQUAL "esp-idf")
  set(ESP_PLATFORM 1)
  include("${_root}/CMakeLists.txt")
elseif(SDK STREQUAL "zephyr")
  include("${_root}/zephyr/CMakeLists.txt")
else()
  message(FATAL_ERROR "SDK=esp-idf or SDK=zephyr")
endif()
