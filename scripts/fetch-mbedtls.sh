#!/bin/sh
# Fetch the pinned mbedTLS source into $1 (a directory), verified by SHA-256.
#
# Source: Debian's source archive (package mbedtls 3.6.7-3, in forky and
# sid), whose upstream tarball is byte-identical to the release. 3.6.7 rather
# than trixie's 3.6.6: it carries the 3.6 LTS security fixes of July 2026 and
# the fix for TLS 1.2 servers that sign with RSA-PSS, which 3.6.6 refuses.
# The tarball may also be handed in: MBEDTLS_TARBALL=/path/mbedtls_3.6.7.orig.tar.bz2
# Nothing is used unless its checksum matches the pin below.
set -eu

VERSION=3.6.7
TARBALL=mbedtls_${VERSION}.orig.tar.bz2
SHA256=a7e8bcbec0e6f761b4af24f25677626b35f762f68eef79c08677a363212d11f6
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
