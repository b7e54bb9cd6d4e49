# SPDX-License-Identifier: MIT
# Fetch one pinned upstream source tarball from Debian's source archive,
# verify its SHA-256 and unpack it. Sourced by the fetch-<name>.sh scripts,
# which set, before `. scripts/fetch-source.sh DEST`:
#   NAME     short name for messages (mbedTLS, lwIP, cmocka)
#   VERSION  upstream version
#   TARBALL  file name in the pool (.tar.bz2 or .tar.xz)
#   SHA256   its pinned checksum
#   POOL     its pool directory, e.g. m/mbedtls
#   TOP      the directory the tarball unpacks to
#   CHECK    a file (relative to DEST) that is there once unpacked
#   HANDIN   name of the variable that may hand in a copy of the tarball
#   DIRVAR   name of the make variable that may hand in an unpacked tree
# Nothing is used unless its checksum matches the pin.
set -eu

dest=$1
[ -f "$dest/$CHECK" ] && exit 0

tag=fetch-$(echo "$NAME" | tr 'A-Z' 'a-z')
work=$(dirname "$dest")/.$(basename "$TOP")-download
mkdir -p "$work"
MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
URL=$MIRROR/pool/main/$POOL/$TARBALL
handed_in=$(eval "echo \"\${$HANDIN:-}\"")

fail() {
    echo "$tag: $*" >&2
    echo "$tag: give a copy instead: make $DIRVAR=/path/to/$TOP" >&2
    echo "$tag:   or $HANDIN=/path/to/$TARBALL (SHA-256 $SHA256)" >&2
    exit 1
}

if [ -n "$handed_in" ]; then
    cp "$handed_in" "$work/$TARBALL" || fail "cannot read $handed_in"
elif [ ! -f "$work/$TARBALL" ]; then
    echo "$tag: downloading $NAME $VERSION from Debian's source archive"
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

case $TARBALL in
*.bz2) tool=bzip2 pkg=bzip2 opt=-xjf ;;
*.xz) tool=xz pkg=xz-utils opt=-xJf ;;
*) fail "do not know how to unpack $TARBALL" ;;
esac
command -v "$tool" >/dev/null 2>&1 || fail "$tool is needed to unpack $TARBALL (apt-get install $pkg)"
rm -rf "$work/src"
mkdir -p "$work/src"
tar "$opt" "$work/$TARBALL" -C "$work/src"
rm -rf "$dest"
mv "$work/src/$TOP" "$dest"
rm -rf "$work/src"
echo "$tag: $NAME $VERSION ready in $dest"
