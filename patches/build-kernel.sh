#!/usr/bin/env bash
# Build a small bzImage of Debian's linux-source-6.1 with the patches of
# this directory applied, for the QEMU lab (tests/lab/lab.sh run ...
# --kernel-image). Output: .cache/patches/bzImage. About 11 minutes on 2
# cores.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
work=${PATCHES_CACHE:-$top/.cache/patches}
src=$work/linux-source-6.1
deps="linux-source-6.1 build-essential flex bison bc libssl-dev libelf-dev dwarves"

say() { echo "build-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

missing=$(for p in $deps; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || echo "$p"
done)
if [ -n "$missing" ]; then
	say "installing:" $missing
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
fi

# a fresh tree each time the series changes, so re-running is idempotent
stamp=$(cat "$top"/patches/*.patch "$top/patches/lab.config" | sha256sum | cut -c1-16)
if [ ! -f "$src/.dioscope-$stamp" ]; then
	say "unpacking linux-source-6.1"
	rm -rf "$src"
	mkdir -p "$work"
	tar xf /usr/src/linux-source-6.1.tar.xz -C "$work"
	for p in "$top"/patches/*.patch; do
		say "applying $(basename "$p")"
		patch -d "$src" -p1 --quiet < "$p" || die "$(basename "$p") does not apply"
	done
	touch "$src/.dioscope-$stamp"
fi

cd "$src"
say "configuring: tinyconfig + lab.config"
make -s tinyconfig
scripts/kconfig/merge_config.sh -m .config "$top/patches/lab.config" > /dev/null
make -s olddefconfig
bad=0
while IFS= read -r line; do
	case $line in CONFIG_*=*) ;; *) continue ;; esac
	grep -qx "$line" .config || { say "not set as asked: $line"; bad=1; }
done < "$top/patches/lab.config"
[ "$bad" -eq 0 ] || die "the configuration does not hold what lab.config asks"

say "building bzImage with -j$(nproc)"
start=$(date +%s)
make -s -j"$(nproc)" bzImage
cp arch/x86/boot/bzImage "$work/bzImage"
say "built in $(( $(date +%s) - start ))s: $work/bzImage"
