#!/bin/sh
# SPDX-License-Identifier: MIT
# Fetch the pinned lwIP source into $1 (a directory), verified by SHA-256.
#
# Source: Debian's source archive (package lwip 2.2.1+dfsg1-1+deb13u1 in
# trixie). Its upstream tarball holds lwIP 2.2.1 with the contrib tree
# (contrib/ports/unix: sys_arch on pthreads, the TAP netif) inside, so one
# archive gives both. The tarball may also be handed in:
# LWIP_TARBALL=/path/lwip_2.2.1+dfsg1.orig.tar.xz
# Nothing is used unless its checksum matches the pin below.
NAME=lwIP
VERSION=2.2.1
TARBALL=lwip_${VERSION}+dfsg1.orig.tar.xz
SHA256=83729c274c499d3348e9fbbe043a3113f3fa8953e7efddc7c21c7fcbb1f2b7b1
POOL=l/lwip
TOP=lwip-$VERSION
CHECK=contrib/ports/unix/port/sys_arch.c
HANDIN=LWIP_TARBALL
DIRVAR=LWIP_DIR
. "$(dirname "$0")/fetch-source.sh" "$1"
