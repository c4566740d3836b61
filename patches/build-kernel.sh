#!/usr/bin/env bash
# Build a small bzImage of one of Debian's kernel sources with the patch
# series of this directory for it applied, configured as `make tinyconfig`
# plus lab.config (and KERNEL/lab.config), for the QEMU lab.
#
# usage: patches/build-kernel.sh [--kernel 6.1|7.3] [--debug] [--fresh]
#                                [--without NNNN]
#
#   --kernel K  which series and source: 6.1 (linux-source-6.1 of the
#               machine's bookworm sources, the default) or 7.3
#               (linux-source-7.3 of trixie-backports, downloaded through
#               the lab's apt configuration, tests/lab/lab.sh download).
#               KERNEL in the environment does the same.
#   --debug     also debug.config (lockdep, sleeping in atomic context),
#               in a tree of its own: bzImage-K-debug
#   --fresh     unpack the source again instead of reusing the unpacked tree
#   --without NNNN  the series less its patch NNNN-*.patch, in a tree of its
#               own: bzImage-K-without-NNNN (7.3 without 0002 is the same
#               build less the fix, the other arm of the fix's A/B on one
#               configuration)
#
# Output: bzImage-K in .cache/patches/ at the top of the repository (the
# cache directory can be moved with PATCHES_CACHE). JOBS sets make's -j (2).
# On a shared machine run it under nice (nice -n 10 make -C patches kernel).
#
# The source is unpacked once into the cache (linux-source-K). The
# patches applied to it are recorded there; when the series changes, the
# recorded patches are reverted and the new series applied, so that a
# rebuild only compiles what the change touches. A tree that cannot be
# brought to the new series is unpacked again. A full build takes about
# 11 minutes for 6.1 on 2 idle cores.
set -euo pipefail

say() { echo "build-kernel: $*" >&2; }
die() { say "error: $*"; exit 1; }

fresh=0
variant=""
without=""
kernel=${KERNEL:-6.1}
while [ $# -gt 0 ]; do
	case $1 in
	--fresh) fresh=1 ;;
	--debug) variant=-debug ;;
	--without)
		[ $# -ge 2 ] && [[ $2 =~ ^[0-9]{4}$ ]] && [ "$2" != 0000 ] ||
			die "--without needs the number of a patch (such as 0002)"
		without=$2
		shift ;;
	--kernel)
		[ $# -ge 2 ] || die "--kernel needs 6.1 or 7.3"
		kernel=$2
		shift ;;
	-h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done
case $kernel in
6.1|7.3) ;;
*) die "unknown kernel '$kernel' (known: 6.1 7.3)" ;;
esac

[ -z "$without" ] || variant="$variant-without-$without"
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
work=${PATCHES_CACHE:-$top/.cache/patches}
series_dir=$here/$kernel
src=$work/linux-source-$kernel$variant
state=$src/.dioscope
jobs=${JOBS:-2}
deps="build-essential flex bison bc libssl-dev libelf-dev dwarves xz-utils"

mkdir -p "$work"
# one build of a kernel at a time in this cache
exec 9> "$work/.lock-$kernel$variant"
if ! flock -n 9; then
	say "another build holds $work/.lock-$kernel$variant; waiting for it"
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
# the source: from the machine's sources (6.1) or the lab's (7.3)
tarball=$("$here/source.sh" "$kernel") || die "no source for $kernel (see above)"

# -- the source, unpacked once
if [ "$fresh" -eq 1 ] || [ ! -f "$state/unpacked" ]; then
	say "unpacking $(basename "$tarball") (about a minute)"
	rm -rf "$src" "$work/.unpack-$kernel$variant"
	mkdir -p "$work/.unpack-$kernel$variant"
	tar xf "$tarball" -C "$work/.unpack-$kernel$variant" || die "could not unpack $tarball"
	mv "$work/.unpack-$kernel$variant/linux-source-$kernel" "$src"
	rmdir "$work/.unpack-$kernel$variant"
	mkdir -p "$state/applied"
	touch "$state/unpacked"
fi

# -- the series
# (a cover letter, 0000-cover-letter.patch, is no patch)
mapfile -t series < <(find "$series_dir" -maxdepth 1 -name '*.patch' \
	! -name '0000-cover-letter.patch' ! -name "${without:-none}-*" | sort)
[ "${#series[@]}" -gt 0 ] || die "no patches in $series_dir"
[ -z "$without" ] || [ -n "$(find "$series_dir" -maxdepth 1 -name "$without-*.patch")" ] ||
	die "no patch $without in $series_dir"

# names and contents of patch files
series_digest() {
	local p

	for p in "$@"; do
		[ -f "$p" ] || continue
		basename "$p"
		cat "$p"
	done | sha256sum
}

mapfile -t applied < <(find "$state/applied" -name '*.patch' | sort)
if [ "$(series_digest "${series[@]}")" = "$(series_digest "${applied[@]}")" ]; then
	say "the series is applied already"
else
	for ((i = ${#applied[@]} - 1; i >= 0; i--)); do
		p=${applied[i]}
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
			die "$(basename "$p") does not apply to linux-source-$kernel"
		fi
		cp "$p" "$state/applied/"
	done
fi

# -- configuration: the common fragment, then the kernel's own
fragments=("$here/lab.config")
[ ! -f "$series_dir/lab.config" ] || fragments+=("$series_dir/lab.config")
[[ $variant != -debug* ]] || fragments+=("$here/debug.config")
cd "$src"
say "configuring: tinyconfig + ${fragments[*]#"$top/"}"
make -s tinyconfig > "$state/config.log" 2>&1 ||
	die "make tinyconfig failed (see $state/config.log)"
scripts/kconfig/merge_config.sh -m .config "${fragments[@]}" >> "$state/config.log" 2>&1 ||
	die "merging the configuration fragments failed (see $state/config.log)"
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
done < <(cat "${fragments[@]}")
while IFS= read -r line; do
	unmet+=("$line (nothing may be a module)")
done < <(grep -E '^CONFIG_[A-Za-z0-9_]+=m$' .config || true)
if [ "${#unmet[@]}" -gt 0 ]; then
	say "these options of the fragments did not end up as asked (a dependency is missing?):"
	printf '  %s\n' "${unmet[@]}" >&2
	die "the configuration does not hold what the fragments ask"
fi
say "every option of the fragments is set as asked"

# -- build
say "building bzImage of $kernel with -j$jobs"
start=$(date +%s)
if ! make -j"$jobs" bzImage > "$state/build.log" 2>&1; then
	tail -n 40 "$state/build.log" >&2
	die "the build failed (log: $state/build.log)"
fi
cp arch/x86/boot/bzImage "$work/bzImage-$kernel$variant.part"
mv "$work/bzImage-$kernel$variant.part" "$work/bzImage-$kernel$variant"
say "built in $(( $(date +%s) - start ))s"
echo "$work/bzImage-$kernel$variant"
