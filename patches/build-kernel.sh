#!/usr/bin/env bash
# Build a small bzImage of Debian's linux-source-6.1 with the patch series
# of this directory applied, configured as `make tinyconfig` plus
# lab.config, for the QEMU lab.
#
# usage: patches/build-kernel.sh [--fresh]
#
#   --fresh   unpack the source again instead of reusing the unpacked tree
#
# Output: .cache/patches/bzImage at the top of the repository (the cache
# directory can be moved with PATCHES_CACHE). JOBS sets make's -j (2).
#
# The source is unpacked once into .cache/patches/linux-source-6.1. The
# patches applied to it are recorded there; when the series changes, the
# recorded patches are reverted and the new series applied, so that a
# rebuild only compiles what the change touches. A tree that cannot be
# brought to the new series is unpacked again. A full build takes about
# 11 minutes on 2 cores.
set -euo pipefail

say() { echo "build-kernel: $*" >&2; }
die() { say "error: $*"; exit 1; }

fresh=0
for arg in "$@"; do
	case $arg in
	--fresh) fresh=1 ;;
	-h|--help) sed -n '2,18s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$arg' (see --help)" ;;
	esac
done

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
work=${PATCHES_CACHE:-$top/.cache/patches}
src=$work/linux-source-6.1
state=$src/.dioscope
tarball=/usr/src/linux-source-6.1.tar.xz
jobs=${JOBS:-2}
deps="linux-source-6.1 build-essential flex bison bc libssl-dev libelf-dev dwarves xz-utils"

mkdir -p "$work"
# one build at a time in this cache
exec 9> "$work/.lock"
if ! flock -n 9; then
	say "another build holds $work/.lock; waiting for it"
	flock 9
fi

# -- what the build needs
missing=""
for p in $deps; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
		grep -q '^install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
	[ "$(id -u)" -eq 0 ] || die "missing packages:$missing (install them, or run as root)"
	say "installing:$missing"
	apt-get update -qq || die "apt-get update failed"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing ||
		die "could not install:$missing"
fi
[ -r "$tarball" ] || die "$tarball is missing although linux-source-6.1 is installed"

# -- the source, unpacked once
if [ "$fresh" -eq 1 ] || [ ! -f "$state/unpacked" ]; then
	say "unpacking $(basename "$tarball") (about a minute)"
	rm -rf "$src" "$work/.unpack"
	mkdir -p "$work/.unpack"
	tar xf "$tarball" -C "$work/.unpack" || die "could not unpack $tarball"
	mv "$work/.unpack/linux-source-6.1" "$src"
	rmdir "$work/.unpack"
	mkdir -p "$state/applied"
	touch "$state/unpacked"
fi

# -- the series
mapfile -t series < <(find "$here" -maxdepth 1 -name '*.patch' | sort)
[ "${#series[@]}" -gt 0 ] || die "no patches in $here"

# names and contents of the patches in a directory
series_digest() {
	(cd "$1" && for p in *.patch; do
		[ -f "$p" ] || continue
		echo "$p"
		cat "$p"
	done) | sha256sum
}

if [ "$(series_digest "$here")" = "$(series_digest "$state/applied")" ]; then
	say "the series is applied already"
else
	mapfile -t old < <(find "$state/applied" -name '*.patch' | sort -r)
	for p in "${old[@]}"; do
		say "reverting $(basename "$p")"
		if ! patch -d "$src" -p1 -R --quiet --batch < "$p"; then
			rm -f "$state/unpacked"
			die "could not revert $(basename "$p"): run again to unpack afresh"
		fi
		rm -f "$p"
	done
	for p in "${series[@]}"; do
		say "applying $(basename "$p")"
		if ! patch -d "$src" -p1 --forward --quiet --batch < "$p"; then
			rm -f "$state/unpacked"
			die "$(basename "$p") does not apply to linux-source-6.1"
		fi
		cp "$p" "$state/applied/"
	done
fi

# -- configuration
cd "$src"
say "configuring: tinyconfig + lab.config"
make -s tinyconfig > "$state/config.log" 2>&1 ||
	die "make tinyconfig failed (see $state/config.log)"
scripts/kconfig/merge_config.sh -m .config "$here/lab.config" >> "$state/config.log" 2>&1 ||
	die "merging lab.config failed (see $state/config.log)"
make -s olddefconfig >> "$state/config.log" 2>&1 ||
	die "make olddefconfig failed (see $state/config.log)"

unmet=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" .config || unmet+=("$line (have: $(grep -E "^(# )?${line%%=*}[= ]" .config || echo unset))")
		;;
	"# CONFIG_"*" is not set")
		name=${line#\# }
		name=${name%% *}
		! grep -q "^$name=" .config || unmet+=("$line (have: $(grep "^$name=" .config))")
		;;
	esac
done < "$here/lab.config"
while IFS= read -r line; do
	unmet+=("$line (nothing may be a module)")
done < <(grep -E '^CONFIG_[A-Za-z0-9_]+=m$' .config || true)
if [ "${#unmet[@]}" -gt 0 ]; then
	say "these options of lab.config did not end up as asked (a dependency is missing?):"
	printf '  %s\n' "${unmet[@]}" >&2
	die "the configuration does not hold what lab.config asks"
fi
say "every option of lab.config is set as asked"

# -- build
say "building bzImage with -j$jobs (a full build takes about 11 minutes on 2 cores)"
start=$(date +%s)
if ! make -j"$jobs" bzImage > "$state/build.log" 2>&1; then
	tail -n 40 "$state/build.log" >&2
	die "the build failed (log: $state/build.log)"
fi
cp arch/x86/boot/bzImage "$work/bzImage"
say "built in $(( $(date +%s) - start ))s"
echo "$work/bzImage"
