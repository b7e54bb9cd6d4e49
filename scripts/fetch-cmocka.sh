#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch the pinned cmocka source into $1 (a directory), verified by SHA-256.
# Used to cross-build cmocka for the firmware targets (the unit tests run
# under QEMU); the host build links Debian's libcmocka-dev of the same version.
#
# Source: Debian's source archive (package cmocka 1.1.5-2.1 in bookworm).
# The tarball may also be handed in: CMOCKA_TARBALL=/path/cmocka_1.1.5.orig.tar.xz
# Nothing is used unless its checksum matches the pin below.
NAME=cmocka
VERSION=1.1.5
TARBALL=cmocka_${VERSION}.orig.tar.xz
SHA256=f0ccd8242d55e2fd74b16ba518359151f6f8383ff8aef4976e48393f77bba8b6
POOL=c/cmocka
TOP=cmocka-$VERSION
CHECK=src/cmocka.c
HANDIN=CMOCKA_TARBALL
DIRVAR=CMOCKA_DIR
. "$(dirname "$0")/fetch-source.sh" "$1"
