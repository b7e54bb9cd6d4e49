#!/bin/sh
# Fetch the pinned cmocka source into $1 (a directory), verified by SHA-256.
# Used to cross-build cmocka for the firmware targets (the unit tests run
# under QEMU); the host build links Debian's libcmocka-dev of the same version.
#
# Source: Debian's source archive (package cmocka 1.1.5-2.1 in bookworm).
# The tarball may also be handed in: CMOCKA_TARBALL=/path/cmocka_1.1.5.orig.tar.xz
# Nothing is used unless its checksum matches the pin below.
set -eu

VERSION=1.1.5
TARBALL=cmocka_${VERSION}.orig.tar.xz
SHA256=f0ccd8242d55e2fd74b16ba518359151f6f8383ff8aef4976e48393f77bba8b6
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
URL=$MIRROR/pool/main/c/cmocka/$TARBALL

dest=$1
[ -f "$dest/src/cmocka.c" ] && exit 0

work=$(dirname "$dest")/.cmocka-download
mkdir -p "$work"

fail() {
    echo "fetch-cmocka: $*" >&2
    echo "fetch-cmocka: give a copy instead: CMOCKA_TARBALL=/path/to/$TARBALL (SHA-256 $SHA256)" >&2
    exit 1
}

if [ -n "${CMOCKA_TARBALL:-}" ]; then
    cp "$CMOCKA_TARBALL" "$work/$TARBALL" || fail "cannot read $CMOCKA_TARBALL"
elif [ ! -f "$work/$TARBALL" ]; then
    echo "fetch-cmocka: downloading cmocka $VERSION from Debian's source archive"
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
tar -xJf "$work/$TARBALL" -C "$work/src"
rm -rf "$dest"
mv "$work/src/cmocka-$VERSION" "$dest"
rm -rf "$work/src"
echo "fetch-cmocka: cmocka $VERSION ready in $dest"
