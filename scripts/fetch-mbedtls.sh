#!/bin/sh
# Fetch the pinned mbedTLS source into $1 (a directory), verified by SHA-256.
#
# Source: Debian's source archive (package mbedtls 3.6.6-0.1~deb13u1 in
# trixie), whose upstream tarball is byte-identical to the release. The
# tarball may also be handed in: MBEDTLS_TARBALL=/path/mbedtls_3.6.6.orig.tar.bz2
# Nothing is used unless its checksum matches the pin below.
set -eu

VERSION=3.6.6
TARBALL=mbedtls_${VERSION}.orig.tar.bz2
SHA256=8fb65fae8dcae5840f793c0a334860a411f884cc537ea290ce1c52bb64ca007a
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
URL=$MIRROR/pool/main/m/mbedtls/$TARBALL

dest=$1
[ -f "$dest/include/mbedtls/build_info.h" ] && exit 0

work=$(dirname "$dest")/.mbedtls-download
mkdir -p "$work"

fail() {
    echo "fetch-mbedtls: $*" >&2
    echo "fetch-mbedtls: give a copy instead: make MBEDTLS_DIR=/path/to/mbedtls-$VERSION" >&2
    echo "fetch-mbedtls:   or MBEDTLS_TARBALL=/path/to/$TARBALL (SHA-256 $SHA256)" >&2
    exit 1
}

if [ -n "${MBEDTLS_TARBALL:-}" ]; then
    cp "$MBEDTLS_TARBALL" "$work/$TARBALL" || fail "cannot read $MBEDTLS_TARBALL"
elif [ ! -f "$work/$TARBALL" ]; then
    echo "fetch-mbedtls: downloading mbedTLS $VERSION from Debian's source archive"
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

command -v bzip2 >/dev/null 2>&1 || fail "bzip2 is needed to unpack $TARBALL (apt-get install bzip2)"
rm -rf "$work/src"
mkdir -p "$work/src"
tar -xjf "$work/$TARBALL" -C "$work/src"
rm -rf "$dest"
mv "$work/src/mbedtls-$VERSION" "$dest"
rm -rf "$work/src"
echo "fetch-mbedtls: mbedTLS $VERSION ready in $dest"
