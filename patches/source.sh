#!/usr/bin/env bash
# Print the path of Debian's source tarball of a kernel of patches/,
# getting it first when it is not there:
#
#   6.1  /usr/src/linux-source-6.1.tar.xz of the package linux-source-6.1
#        (the machine's own bookworm sources; installed when root)
#   7.3  linux-source-7.3.tar.xz in the cache (PATCHES_CACHE, default
#        .cache/patches), taken out of the package linux-source-7.3 of
#        trixie-backports, downloaded through the lab's apt configuration
#        (tests/lab/lab.sh download, which derives it from the machine's
#        own sources)
#
# usage: patches/source.sh 6.1|7.3
# Exit status 69 when the source cannot be had on this machine.
set -euo pipefail

say() { echo "source: $*" >&2; }
unavailable() { say "$*"; exit 69; }

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
work=${PATCHES_CACHE:-$top/.cache/patches}

case ${1:-} in
6.1)
	tarball=/usr/src/linux-source-6.1.tar.xz
	if [ ! -r "$tarball" ]; then
		[ "$(id -u)" -eq 0 ] ||
			unavailable "linux-source-6.1 is not installed (install it, or run as root)"
		say "installing linux-source-6.1"
		{ apt-get update -qq &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-source-6.1; } >&2 ||
			unavailable "could not install linux-source-6.1"
	fi ;;
7.3)
	tarball=$work/linux-source-7.3.tar.xz
	if [ ! -r "$tarball" ]; then
		mkdir -p "$work"
		debs=$(mktemp -d "$work/.debs.XXXXXX")
		trap 'rm -rf "$debs"' EXIT
		say "downloading linux-source-7.3 (trixie-backports, about 170 MB)"
		"$top/tests/lab/lab.sh" download "$debs" linux-source-7.3 >&2 ||
			unavailable "could not download linux-source-7.3"
		dpkg-deb --fsys-tarfile "$debs"/linux-source-7.3_*.deb |
			tar xO ./usr/src/linux-source-7.3.tar.xz > "$debs/src.tar.xz" ||
			unavailable "the package linux-source-7.3 holds no usr/src/linux-source-7.3.tar.xz"
		mv "$debs/src.tar.xz" "$tarball"
	fi ;;
*)
	say "usage: patches/source.sh 6.1|7.3"
	exit 2 ;;
esac
[ -r "$tarball" ] || unavailable "$tarball is missing"
echo "$tarball"
