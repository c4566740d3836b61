#!/usr/bin/env bash
# The kernel lab: Debian's packaged kernels booted under QEMU (software
# emulation), so that the attach tiers the host refuses are tested too.
#
#   lab.sh fetch KERNEL            download and unpack a kernel (5.10, 6.1, 6.12)
#   lab.sh run KERNEL [--timeout S] [--disk-size SIZE] [--out DIR]
#              [--kernel-image BZIMAGE] -- CMD...
#                                  boot it, run CMD in the guest, print its
#                                  output, exit with its status
#   lab.sh kernels                 the kernels the lab knows
#
# In the guest CMD runs as root in a small root filesystem holding
# busybox, fio, dioscope and tests/lab/guest/, with a fresh scratch ext4
# mounted at /mnt and /out copied back to --out DIR. Exit status 77 means
# QEMU cannot run here at all; 124 means the guest timed out.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
cache=${LAB_CACHE:-$top/.cache/lab}
apt_dir=$cache/apt
DIOSCOPE_BIN=${DIOSCOPE_BIN:-$top/dioscope}

die() { echo "lab: $*" >&2; exit 1; }
say() { echo "lab: $*" >&2; }

# --- apt: a private configuration derived from the machine's own ---------

# "URI KEYRING" of the machine's Debian archive and security archive,
# read from its deb822 and one-line sources.
machine_sources() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
		function flush() {
			if (uri != "" && suites != "")
				print uri, (key == "" ? "-" : key), suites
			uri = ""; key = ""; suites = ""
		}
		/^[ \t]*$/ { flush(); next }
		/^URIs:/ { uri = $2 }
		/^Signed-By:/ { key = $2 }
		/^Suites:/ { $1 = ""; suites = $0 }
		END { flush() }' "$f"
	done
	if [ -r /etc/apt/sources.list ]; then
		awk '$1 == "deb" {
			key = "-"; i = 2
			if ($2 ~ /^\[/) {
				for (; i <= NF && $i !~ /\]$/; i++)
					if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
				if ($i ~ /signed-by=/) { key = $i; sub(/.*signed-by=/, "", key); sub(/\]$/, "", key) }
				i++
			}
			print $i, key, $(i + 1)
		}' /etc/apt/sources.list
	fi
}

# archive_for KIND: the URI and keyring of the main or the security archive
archive_for() {
	local kind=$1
	machine_sources | while read -r uri key suites; do
		case "$kind:$suites" in
		security:*-security*) echo "$uri $key"; break ;;
		main:*-security*) ;;
		main:*) echo "$uri $key"; break ;;
		esac
	done
}

write_sources() {
	local main sec muri mkey suri skey
	main=$(archive_for main)
	sec=$(archive_for security)
	[ -n "$main" ] || die "no Debian archive in the machine's apt sources"
	read -r muri mkey <<<"$main"
	mkdir -p "$apt_dir/etc/sources.list.d" "$apt_dir/state/lists/partial" \
		"$apt_dir/cache/archives/partial"
	{
		opt() { [ "$1" = - ] && echo "" || echo "[signed-by=$1] "; }
		for s in bookworm bookworm-backports bullseye; do
			echo "deb $(opt "$mkey")$muri $s main"
		done
		if [ -n "$sec" ]; then
			read -r suri skey <<<"$sec"
			echo "deb $(opt "$skey")$suri bullseye-security main"
		fi
	} > "$apt_dir/etc/sources.list"
}

apt_opts() {
	echo "-o Dir::Etc::SourceList=$apt_dir/etc/sources.list" \
	     "-o Dir::Etc::SourceParts=$apt_dir/etc/sources.list.d" \
	     "-o Dir::State=$apt_dir/state -o Dir::Cache=$apt_dir/cache" \
	     "-o Dir::State::status=/var/lib/dpkg/status" \
	     "-o APT::Sandbox::User=root"
}

apt_refresh() {
	local stamp=$apt_dir/updated
	# package lists a day old are fresh enough to pick a kernel
	if [ -f "$stamp" ] && [ -n "$(find "$stamp" -mmin -1440)" ]; then
		return
	fi
	write_sources
	say "updating the lab's package lists"
	# shellcheck disable=SC2046
	apt-get $(apt_opts) -qq update || die "apt-get update failed for the lab's sources"
	touch "$stamp"
}

# The packages of a lab kernel, newest first.
package_for() {
	local pattern
	case $1 in
	5.10) pattern='^linux-image-5\.10\.0-[0-9]+-cloud-amd64-unsigned$' ;;
	6.1) pattern='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' ;;
	6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$' ;;
	*) die "unknown kernel '$1' (known: 5.10 6.1 6.12)" ;;
	esac
	# shellcheck disable=SC2046
	apt-cache $(apt_opts) pkgnames linux-image- | grep -E "$pattern" | sort -rV
}

kdir_for() { echo "$cache/kernels/$1"; }

fetch() {
	local k=$1 pkg dir deb
	dir=$(kdir_for "$k")
	if [ -f "$dir/ready" ]; then
		return
	fi
	apt_refresh
	rm -rf "$dir"
	mkdir -p "$dir/deb"
	# a mirror may list a package it no longer serves: try older ones
	for pkg in $(package_for "$k") ""; do
		[ -n "$pkg" ] || die "no package for kernel $k could be downloaded from the lab's sources"
		say "fetching $pkg"
		# shellcheck disable=SC2046
		(cd "$dir/deb" && apt-get $(apt_opts) -qq download "$pkg" 2>/dev/null) && break
	done
	deb=$(ls "$dir"/deb/*.deb)
	dpkg-deb -x "$deb" "$dir/root"
	cp "$dir"/root/boot/vmlinuz-* "$dir/vmlinuz"
	cp "$dir"/root/boot/config-* "$dir/config"
	echo "$pkg $(dpkg-deb -f "$deb" Version)" > "$dir/package"
	basename "$dir"/root/lib/modules/* > "$dir/release"
	extract_modules "$dir"
	rm -rf "$dir/deb" "$dir/root"
	touch "$dir/ready"
}

# --- the guest's boot files -----------------------------------------------

# Modules the boot needs where this kernel builds them as modules.
needed_modules() {
	local cfg=$1 m
	for m in VIRTIO_BLK:virtio_blk VIRTIO_PCI:virtio_pci EXT4_FS:ext4 \
		 JBD2:jbd2 FS_MBCACHE:mbcache CRC16:crc16 \
		 CRYPTO_CRC32C:crc32c_generic VIRTIO_RING:virtio_ring \
		 VIRTIO:virtio; do
		grep -q "^CONFIG_${m%%:*}=m" "$cfg" && echo "${m#*:}"
	done
	return 0
}

# Keep, decompressed, the modules the boot needs and what they depend on,
# listed in an order that loads every dependency first (modules.dep).
extract_modules() {
	local dir=$1 mdir mod
	mdir=$(echo "$dir"/root/lib/modules/*)
	# the package leaves modules.dep to the installer: make it here
	depmod -b "$dir/root" "$(basename "$mdir")" ||
		die "depmod failed for $(basename "$mdir")"
	mkdir -p "$dir/modules"
	: > "$dir/modules/order"
	for mod in $(needed_modules "$dir/config"); do
		add_module "$mdir" "$dir/modules" "$(module_path "$mdir" "$mod")"
	done
}

module_path() {	# module_path MODDIR NAME -> path relative to MODDIR
	grep -E "(^|/)$2\.ko(\.xz|\.zst)?:" "$1/modules.dep" | cut -d: -f1 | head -1
}

add_module() {	# add_module MODDIR DEST RELPATH
	local mdir=$1 dest=$2 rel=$3 name dep
	[ -n "$rel" ] || die "a needed module is missing from the package"
	name=$(basename "$rel"); name=${name%%.ko*}
	grep -qx "$name" "$dest/order" && return 0
	# modules.dep lists the direct and indirect dependencies, deepest last
	for dep in $(grep -E "^$rel:" "$mdir/modules.dep" | cut -d: -f2 | tr ' ' '\n' | tac); do
		add_module "$mdir" "$dest" "$dep"
	done
	grep -qx "$name" "$dest/order" && return 0
	case $rel in
	*.xz) xz -dc "$mdir/$rel" > "$dest/$name.ko" ;;
	*.zst) zstd -qdc "$mdir/$rel" > "$dest/$name.ko" ;;
	*) cp "$mdir/$rel" "$dest/$name.ko" ;;
	esac
	echo "$name" >> "$dest/order"
}

# busybox, the init and the modules; rebuilt when the init changes
build_initramfs() {
	local dir=$1 ird
	if [ -f "$dir/initrd.gz" ] && [ "$dir/initrd.gz" -nt "$top/tests/lab/guest/init" ]; then
		return
	fi
	ird=$(mktemp -d)
	mkdir -p "$ird/bin" "$ird/proc" "$ird/sys" "$ird/dev" "$ird/root"
	cp /bin/busybox "$ird/bin/busybox"
	ln -s busybox "$ird/bin/sh"
	cp -r "$dir/modules" "$ird/modules"
	cp "$top/tests/lab/guest/init" "$ird/init"
	chmod +x "$ird/init"
	(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$dir/initrd.gz"
	rm -rf "$ird"
}

# The root filesystem the command runs in: busybox, fio and dioscope with
# their libraries, the guest scripts. Rebuilt when one of them changes.
tools_inputs() {
	local f
	for f in /bin/busybox "$(command -v fio)" "$(command -v mkfs.ext4)" \
		"$DIOSCOPE_BIN" "$0" "$top"/bench/* \
		"$top"/tests/lab/guest/*; do
		[ -e "$f" ] && stat -c '%n %s %Y' "$f"
	done
}

# copy_with_libs BINARY ROOT [PATH_IN_ROOT]
copy_with_libs() {
	local bin=$1 dest=$2 at=${3:-$1} lib
	mkdir -p "$dest$(dirname "$at")"
	cp -L "$bin" "$dest$at"
	for lib in $(ldd "$bin" 2>/dev/null | awk '/\//{ print ($2 == "=>") ? $3 : $1 }'); do
		[ -e "$dest$lib" ] && continue
		mkdir -p "$dest$(dirname "$lib")"
		cp -L "$lib" "$dest$lib"
	done
}

build_tools() {
	local img=$cache/tools.img stamp=$cache/tools.inputs root size
	if [ -f "$img" ] && [ "$(tools_inputs)" = "$(cat "$stamp" 2>/dev/null)" ]; then
		return
	fi
	say "building the guest root filesystem"
	root=$(mktemp -d)
	mkdir -p "$root"/{bin,sbin,usr/bin,proc,sys,dev,mnt,out,tmp,lab,etc}
	chmod 1777 "$root/tmp"
	cp /bin/busybox "$root/bin/busybox"
	for a in $(/bin/busybox --list); do
		[ "$a" = busybox ] || ln -sf /bin/busybox "$root/bin/$a"
	done
	copy_with_libs "$(command -v fio)" "$root"
	# for dioscope bench in the guest: it makes its own filesystems
	copy_with_libs "$(command -v mkfs.ext4)" "$root" /usr/sbin/mkfs.ext4
	[ -r /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$root/etc/"
	if [ -x "$DIOSCOPE_BIN" ]; then
		copy_with_libs "$DIOSCOPE_BIN" "$root" /usr/bin/dioscope
	fi
	cp "$top"/tests/lab/guest/* "$root/lab/"
	cp -r "$top/bench" "$root/lab/bench"
	echo "root:x:0:0:root:/:/bin/sh" > "$root/etc/passwd"
	size=$(( $(du -sm "$root" | cut -f1) * 5 / 4 + 32 ))
	rm -f "$img"
	mkfs.ext4 -q -F -d "$root" -L labtools "$img" "${size}M" > /dev/null
	rm -rf "$root"
	tools_inputs > "$stamp"
}

# --- running ----------------------------------------------------------------

qemu_usable() {
	command -v qemu-system-x86_64 >/dev/null &&
		qemu-system-x86_64 -accel help 2>/dev/null | grep -q tcg
}

# boot IMAGE INITRD CMD64 WORKDIR TIMEOUT: the console goes to
# WORKDIR/console. Returns 0 when QEMU exited by itself, 124 on timeout,
# 125 when the guest kernel crashed (QEMU is stopped at once: a crashed
# guest may hang instead of panicking).
boot() {
	local pid waited=0 ended=0 rc=0
	# QEMU 7.2 emulates cmpxchg16b wrongly (CPU flags are corrupted) and
	# the guest allocator runs it constantly: hide the feature
	qemu-system-x86_64 -accel tcg -cpu "${LAB_CPU:-qemu64,-cx16}" \
		-m 2G -smp 2 -nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$1" -initrd "$2" \
		-append "console=ttyS0 quiet loglevel=1 panic=-1 panic_on_oops=1 softlockup_panic=1 ${LAB_APPEND:-} lab.cmd=$3" \
		-drive "file=$cache/tools.img,if=virtio,format=raw,readonly=on" \
		-drive "file=$4/scratch.img,if=virtio,format=raw" \
		-drive "file=$4/out.img,if=virtio,format=raw" \
		< /dev/null > "$4/console" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		# a kernel without ACPI halts instead of powering off
		if grep -q '@@LAB-END rc=' "$4/console" && [ "$ended" -ge 5 ]; then
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null || true
			return 0
		fi
		grep -q '@@LAB-END rc=' "$4/console" && ended=$((ended + 1))
		if ! grep -q '@@LAB-END rc=' "$4/console" &&
		   grep -qE 'Kernel panic|BUG: |Oops|general protection fault' "$4/console"; then
			sleep 1	# let the console finish the report
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null || true
			return 125
		fi
		if [ "$waited" -ge "$5" ]; then
			kill -9 "$pid" 2>/dev/null
			wait "$pid" 2>/dev/null || true
			return 124
		fi
		sleep 1
		waited=$((waited + 1))
	done
	wait "$pid" || rc=$?
	return "$rc"
}

run() {
	local k=$1; shift
	local timeout=600 disk=1G out="" image="" dir work rc
	while [ $# -gt 0 ]; do
		case $1 in
		--timeout) timeout=$2; shift 2 ;;
		--disk-size) disk=$2; shift 2 ;;
		--out) out=$2; shift 2 ;;
		--kernel-image) image=$2; shift 2 ;;
		--) shift; break ;;
		*) die "unknown option $1" ;;
		esac
	done
	[ $# -gt 0 ] || die "no command given (after --)"
	if ! qemu_usable; then
		echo "lab: qemu-system-x86_64 with TCG is not available: cannot run the lab" >&2
		exit 77
	fi
	if [ -z "$image" ]; then
		fetch "$k"
		dir=$(kdir_for "$k")
		image=$dir/vmlinuz
	else
		# a kernel of our own, everything built in: no modules needed
		dir=$cache/custom
		mkdir -p "$dir/modules"
		touch "$dir/modules/order"
	fi
	build_initramfs "$dir"
	initrd=$dir/initrd.gz
	build_tools
	work=$(mktemp -d)
	# shellcheck disable=SC2064
	trap "rm -rf '$work'" EXIT
	truncate -s "$disk" "$work/scratch.img"
	mkfs.ext4 -q -F "$work/scratch.img"
	truncate -s 256M "$work/out.img"
	local cmd try
	cmd=$(printf '%s ' "$@" | base64 -w0)
	# Under TCG, Debian's 6.12 kernel with QEMU 7.2 crashes in about one
	# boot of three (corrupted state in early boot or soon after, on every
	# CPU model and machine type tried). A run whose guest kernel crashed
	# is run again on a fresh scratch disk, and the retry is reported.
	for try in $(seq "${LAB_BOOT_TRIES:-10}"); do
		rc=0
		boot "$image" "$initrd" "$cmd" "$work" "$timeout" || rc=$?
		grep -q '@@LAB-END rc=' "$work/console" && break
		# a command that hangs is a failure; a boot that hangs is a crash
		[ "$rc" -eq 124 ] && grep -q '@@LAB-BEGIN@@' "$work/console" && break
		# the init always reports the end: without it the kernel died
		say "the $k guest kernel crashed (try $try): $(grep -m1 -E 'BUG:|Oops|RIP:|panic' "$work/console" | tr -d '\r')"
		mkfs.ext4 -q -F "$work/scratch.img"
	done
	if [ "$rc" -eq 124 ]; then
		sed -n '/@@LAB-BEGIN@@/,$p' "$work/console" | sed 1d >&2
		echo "lab: the guest did not finish within ${timeout}s" >&2
		exit 124
	fi
	if ! grep -q '@@LAB-END rc=' "$work/console"; then
		tail -30 "$work/console" >&2
		die "the guest did not run the command (console above)"
	fi
	sed -n '/@@LAB-BEGIN@@/,/@@LAB-END rc=/p' "$work/console" | sed '1d;$d' | tr -d '\r'
	if [ -n "$out" ]; then
		mkdir -p "$out"
		tar xf "$work/out.img" -C "$out" 2>/dev/null || true
	fi
	rc=$(sed -n 's/.*@@LAB-END rc=\([0-9]*\)@@.*/\1/p' "$work/console" | tail -1)
	exit "${rc:-1}"
}

case ${1:-} in
fetch) [ $# -eq 2 ] || die "usage: lab.sh fetch KERNEL"; fetch "$2"; cat "$(kdir_for "$2")/package" ;;
run) [ $# -ge 2 ] || die "usage: lab.sh run KERNEL [options] -- CMD..."; k=$2; shift 2; run "$k" "$@" ;;
kernels) echo "5.10 6.1 6.12" ;;
*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
