#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch the pinned mbedTLS source into $1 (a directory), verified by SHA-256.
#
# Source: Debian's source archive (package mbedtls 3.6.7-3, in forky and
# sid), whose upstream tarball is byte-identical to the release. 3.6.7 rather
# than trixie's 3.6.6: it carries the 3.6 LTS security fixes of July 2026 and
# the fix for TLS 1.2 servers that sign with RSA-PSS, which 3.6.6 refuses.
# The tarball may also be handed in: MBEDTLS_TARBALL=/path/mbedtls_3.6.7.orig.tar.bz2
# Nothing is used unless its checksum matches the pin below.
NAME=mbedTLS
VERSION=3.6.7
TARBALL=mbedtls_${VERSION}.orig.tar.bz2
SHA256=a7e8bcbec0e6f761b4af24f25677626b35f762f68eef79c08677a363212d11f6
POOL=m/mbedtls
TOP=mbedtls-$VERSION
CHECK=include/mbedtls/build_info.h
HANDIN=MBEDTLS_TARBALL
DIRVAR=MBEDTLS_DIR
. "$(dirname "$0")/fetch-source.sh" "$1"
