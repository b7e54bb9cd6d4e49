#!/bin/sh
# Fetch the pinned lwIP source into $1 (a directory), verified by SHA-256.
#
# Source: Debian's source archive (package lwip 2.2.1+dfsg1-1+deb13u1 in
# trixie). Its upstream tarball holds lwIP 2.2.1 with the contrib tree
# (contrib/ports/unix: sys_arch on pthreads, the TAP netif) inside, so one
# archive gives both. The tarball may also be handed in:
# LWIP_TARBALL=/path/lwip_2.2.1+dfsg1.orig.tar.xz
# Nothing is used unless its checksum matches the pin below.
set -eu

VERSION=2.2.1
TARBALL=lwip_${VERSION}+dfsg1.orig.tar.xz
SHA256=83729c274c499d3348e9fbbe043a3113f3fa8953e7efddc7c21c7fcbb1f2b7b1
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
URL=$MIRROR/pool/main/l/lwip/$TARBALL

dest=$1
[ -f "$dest/src/include/lwip/init.h" ] && [ -f "$dest/contrib/ports/unix/port/sys_arch.c" ] && exit 0

work=$(dirname "$dest")/.lwip-download
mkdir -p "$work"

fail() {
    echo "fetch-lwip: $*" >&2
    echo "fetch-lwip: give a copy instead: make LWIP_DIR=/path/to/lwip-$VERSION" >&2
    echo "fetch-lwip:   or LWIP_TARBALL=/path/to/$TARBALL (SHA-256 $SHA256)" >&2
    exit 1
}

if [ -n "${LWIP_TARBALL:-}" ]; then
    cp "$LWIP_TARBALL" "$work/$TARBALL" || fail "cannot read $LWIP_TARBALL"
elif [ ! -f "$work/$TARBALL" ]; then
    echo "fetch-lwip: downloading lwIP $VERSION from Debian's source archive"
    if command -v curl >/dev/null 2>&1; then
        curl -fsSL --retry 3 -o "$work/$TARBALL.part" "$URL" || fail "download of $URL failed"
    elif command -v wget >/dev/null 2>&1; then
        wget -q -O "$work/$TARBALL.part" "$URL" || fail "download of $URL failed"
    else
        fail "neither curl nor wget is installed"
    fi
    mv "$work/$TARBALL.part" "$work/$TARBALL"
fi

got=$(sha256sum "$work/$TARBALL" | cut -d' ' -f1)
if [ "$got" != "$SHA256" ]; then
    rm -f "$work/$TARBALL"
    fail "checksum mismatch for $TARBALL: got $got, want $SHA256"
fi

command -v xz >/dev/null 2>&1 || fail "xz is needed to unpack $TARBALL (apt-get install xz-utils)"
rm -rf "$work/src"
mkdir -p "$work/src"
xz -dc "$work/$TARBALL" | tar -xf - -C "$work/src"
rm -rf "$dest"
mv "$work/src/lwip-$VERSION" "$dest"
rm -rf "$work/src"
echo "fetch-lwip: lwIP $VERSION ready in $dest"
