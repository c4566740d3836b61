#!/usr/bin/env bash
# The kernel lab: Debian's packaged kernels booted under QEMU (software
# emulation), so that the attach tiers the host refuses are tested too.
#
#   lab.sh fetch KERNEL            download and unpack the newest package of
#                                  a lab kernel (lab.sh kernels); print it
#   lab.sh run KERNEL [--timeout S] [--disk-size SIZE] [--out DIR]
#              [--kernel-image BZIMAGE] [--icount] -- CMD...
#                                  boot it, run CMD in the guest, print its
#                                  output, exit with its status
#   lab.sh kernels [default|all]   the kernels the lab knows (default:
#                                  those make test boots; any other
#                                  series after 6.12, such as 7.2, is
#                                  looked for in trixie-backports and sid)
#   lab.sh download DIR PACKAGE... download Debian packages into DIR through
#                                  the lab's apt configuration (the
#                                  machine's archives, the lab's suites)
#
# In the guest CMD (its words joined by blanks, read by the guest's sh)
# runs as root in a root filesystem in memory holding busybox, fio,
# xfs_io and qemu-img (programs other than fio that do direct IO),
# dioscope ($DIOSCOPE_BIN) and tests/lab/guest/ at /lab, with a fresh
# scratch ext4 (--disk-size, 1G) mounted at /mnt (/dev/vdb). What CMD
# writes to /out is copied to --out DIR. --kernel-image boots a kernel of
# one's own with everything the lab needs built in; KERNEL is then only
# its name. --icount (or LAB_ICOUNT=1) runs QEMU's instruction counter
# (-icount shift=0,sleep=off): guest time advances 1 ns per executed guest
# instruction, so that a time the guest measures is an instruction count,
# the same on every machine; the guest's kernel command line then says
# dioscope.clock=icount, which dioscope bench records in meta (clock=icount).
# LAB_BPFTRACE=1 adds bpftrace and its libraries (LLVM, 200 MB) to the
# guest's tools, for the self-benchmark's counting tracer.
# Exit status 77: QEMU cannot run here; 124: timed out (default
# 600 s); 69: the kernel's package cannot be downloaded.
set -euo pipefail

top=$(cd "$(dirname "$0")/../.." && pwd)
# one cache per machine, so that every clone reuses the downloads
cache=${LAB_CACHE:-/var/cache/dioscope/lab}
apt_dir=$cache/apt
DIOSCOPE_BIN=${DIOSCOPE_BIN:-$top/dioscope}
# the self-benchmark's helper, when it is built (make bench-self)
SELFBENCH_BIN=${SELFBENCH_BIN:-$top/build/perf/selfbench}
# QEMU 7.2's TCG corrupts EFLAGS now and then when it emulates
# CMPXCHG16B, which Linux's SLUB fast path runs all the time (6.12 crashed
# in about one boot of two): without CX16 the kernel takes its locked
# path instead.
LAB_CPU=${LAB_CPU:-qemu64,-cx16}
# QEMU 7.2's multi-threaded TCG lets a vCPU run kernel text another vCPU
# has just patched (static keys, tracepoints, BPF trampolines are
# patched through an int3): the guest dies of "Oops: int3". Toggling
# sched_switch in a loop while a pipe wakes tasks killed 7.3 and 6.12
# within 7 s of boot; with one thread for both vCPUs 3000 such patches
# went through, and the lab's checks took the same time (188 s against
# 190 s on 7.3), though a timed fio job does fewer IOs.
LAB_ACCEL=${LAB_ACCEL:-tcg,thread=single}
# QEMU's instruction counter (KERNEL-FACTS, "The lab machine"): it needs
# the single-threaded TCG above; sleep=off lets an idle guest's clock jump
# ahead rather than wait for real time.
LAB_ICOUNT=${LAB_ICOUNT:-0}
# bpftrace in the guest only when asked: its LLVM would take 200 MB of
# every guest's memory (the tools are copied into a tmpfs)
LAB_BPFTRACE=${LAB_BPFTRACE:-0}

die() { echo "lab: $*" >&2; exit 1; }
say() { echo "lab: $*" >&2; }
unavailable() { echo "lab: $*" >&2; exit 69; }

# --- apt: a private configuration derived from the machine's own ---------

# The kernels of the lab: the oldest with the iomap DIO path's
# predecessor, Debian's stable ones, and the newest of each packaging.
LAB_KERNELS_ALL="5.10 6.1 6.12 6.18 7.0 7.3"
# what make test boots: the oldest (5.10: its verifier refuses what
# newer ones take), the stable kernels, the host's series (6.18, lazy
# preemption: the first-run loss check must hold there) and the newest
# 7.x, a few minutes each under TCG
LAB_KERNELS_DEFAULT="5.10 6.1 6.12 6.18 7.3"

# The suites that may hold each lab kernel: the main archive's and the
# security archive's. A series after 6.12 comes from trixie-backports
# (6.16 onwards) or sid.
suites_for() {
	case $1 in
	5.10) echo "bullseye bullseye-updates bullseye-security" ;;
	6.1) echo "bookworm bookworm-updates bookworm-security" ;;
	6.12) echo "bookworm-backports bookworm-security" ;;
	6.1[3-9] | 6.[2-9][0-9] | [7-9].[0-9] | [7-9].[0-9][0-9]) echo "trixie-backports sid" ;;
	*) die "unknown kernel '$1' (known: $LAB_KERNELS_ALL, or a later series)" ;;
	esac
}

# "URI KEYRING SUITES..." for each of the machine's apt sources
# (deb822 .sources files and the one-line sources.list).
machine_sources() {
	local f
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -r "$f" ] || continue
		awk '
		function flush() {
			if (uri != "" && suites != "" && types ~ /(^| )deb( |$)/ && enabled != "no")
				print uri, (key == "" ? "-" : key), suites
			uri = ""; key = ""; suites = ""; types = ""; enabled = ""
		}
		/^[ \t]*$/ { flush(); next }
		/^#/ { next }
		/^Types:/ { $1 = ""; types = $0 " " }
		/^Enabled:/ { enabled = $2 }
		/^URIs:/ { uri = $2 }
		/^Signed-By:/ { key = $2 }
		/^Suites:/ { $1 = ""; suites = $0 }
		END { flush() }' "$f"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -r "$f" ] || continue
		awk '$1 == "deb" {
			key = "-"; i = 2
			if ($2 ~ /^\[/) {
				for (; i <= NF; i++) {
					if ($i ~ /signed-by=/) {
						key = $i
						sub(/.*signed-by=/, "", key)
						sub(/\]$/, "", key)
					}
					if ($i ~ /\]$/) break
				}
				i++
			}
			print $i, key, $(i + 1)
		}' "$f"
	done
}

# archive_for main|security: "URI KEYRING" of the machine's Debian archive
# or of its security archive
archive_for() {
	machine_sources | awk -v kind="$1" '
		(kind == "security") == ($0 ~ /-security/) { print $1, $2; exit }'
}

# The lab's source lines: the machine's archives, the lab's suites.
lab_sources() {
	local muri mkey suri skey s
	read -r muri mkey <<<"$(archive_for main)" || true
	read -r suri skey <<<"$(archive_for security)" || true
	[ -n "${muri:-}" ] || unavailable "no Debian archive in the machine's apt sources"
	for s in bookworm bookworm-updates bookworm-backports bullseye bullseye-updates \
		 trixie trixie-backports sid; do
		echo "deb $(signed_by "$mkey")$muri $s main"
	done
	if [ -n "${suri:-}" ]; then
		for s in bookworm-security bullseye-security trixie-security; do
			echo "deb $(signed_by "$skey")$suri $s main"
		done
	fi
}

signed_by() {
	[ "$1" = - ] || echo "[signed-by=$1] "
}

apt_opts=()
set_apt_opts() {
	apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/etc/sources.list"
		  -o "Dir::Etc::SourceParts=$apt_dir/etc/sources.list.d"
		  -o "Dir::State=$apt_dir/state" -o "Dir::Cache=$apt_dir/cache"
		  -o "Dir::State::status=/var/lib/dpkg/status"
		  -o "APT::Sandbox::User=root")
}

# Package lists a day old are fresh enough to pick a kernel, unless the
# sources changed. A suite that cannot be fetched is told apart later,
# per kernel.
apt_refresh() {
	local stamp=$apt_dir/updated list=$apt_dir/etc/sources.list sources
	set_apt_opts
	sources=$(lab_sources)
	if [ -f "$stamp" ] && [ -n "$(find "$stamp" -mmin -1440)" ] &&
	   [ "$sources" = "$(cat "$list" 2>/dev/null)" ]; then
		return
	fi
	mkdir -p "$apt_dir/etc/sources.list.d" "$apt_dir/state/lists/partial" \
		"$apt_dir/cache/archives/partial"
	echo "$sources" > "$list"
	say "updating the lab's package lists"
	if apt-get "${apt_opts[@]}" -qq update > "$apt_dir/update.log" 2>&1; then
		touch "$stamp"
		# new lists: try every listed package again
		rm -f "$apt_dir/undownloadable" "$apt_dir/undownloadable.why"
	else
		say "apt-get update failed for some of the lab's suites ($apt_dir/update.log)"
	fi
}

# The suites of kernel $1 whose package lists could be fetched
reachable_suites() {
	local s
	for s in $(suites_for "$1"); do
		compgen -G "$apt_dir/state/lists/*_dists_${s}_main_binary-amd64_Packages*" \
			> /dev/null && echo "$s"
	done
	return 0
}

# The packages of a lab kernel, newest first. From 7.0 on Debian's
# linux-image-REL is a meta package over linux-binary-REL (vmlinuz),
# linux-modules-REL and linux-base-REL (the config): see split_parts.
packages_for() {
	local pattern
	case $1 in
	5.10) pattern='^linux-image-5\.10\.0-[0-9]+-cloud-amd64-unsigned$' ;;
	6.1) pattern='^linux-image-6\.1\.0-[0-9]+-cloud-amd64-unsigned$' ;;
	6.12) pattern='^linux-image-6\.12\.[0-9]+\+deb12-cloud-amd64-unsigned$' ;;
	*) pattern="^linux-image-${1//./\\.}\\.[0-9]+\\+deb[0-9]+-cloud-amd64(-unsigned)?\$" ;;
	esac
	apt-cache "${apt_opts[@]}" pkgnames linux-image- | grep -E "$pattern" | sort -rV || true
}

candidate() {	# candidate PACKAGE: the version apt would take, or nothing
	apt-cache "${apt_opts[@]}" policy "$1" 2>/dev/null |
		awk '$1 == "Candidate:" && $2 != "(none)" { print $2 }'
}

# split_parts PACKAGE VERSION: the linux-binary-, linux-modules- and
# linux-base- packages a meta image depends on, nothing for a whole image
split_parts() {
	apt-cache "${apt_opts[@]}" show "$1=$2" 2>/dev/null |
		awk '/^Depends:/ { sub(/^Depends:/, ""); print; exit }' | tr ',' '\n' |
		sed -n 's/^ *\(linux-\(binary\|modules\|base\)-[^ ]*\).*/\1/p'
}

# kernels/KERNEL is a link to kernels/RELEASE, swapped in one rename when
# a newer package is fetched, so that a run in progress is not disturbed.
kdir_for() { echo "$cache/kernels/$1"; }

fetch() {
	local k=$1 pkg version got="" tmp link release suites parts part why=""
	suites_for "$k" > /dev/null
	apt_refresh
	suites=$(reachable_suites "$k" | tr '\n' ' ')
	[ -n "$suites" ] ||
		unavailable "kernel $k: none of its suites ($(suites_for "$k")) is reachable from this machine's Debian archives"
	link=$(kdir_for "$k")
	mkdir -p "$cache/kernels"
	tmp=$(mktemp -d "$cache/kernels/.fetch.XXXXXX")
	chmod 755 "$tmp"
	# shellcheck disable=SC2064
	trap "rm -rf '$tmp'" EXIT
	# a mirror may list a package it no longer serves, or a meta image
	# whose modules have no candidate: take the next older
	for pkg in $(packages_for "$k"); do
		version=$(candidate "$pkg")
		[ -n "$version" ] || continue
		grep -qsx "$pkg $version" "$apt_dir/undownloadable" && continue
		if is_ready "$link" && [ "$(cat "$link/package")" = "$pkg $version" ]; then
			rm -rf "$tmp"
			trap - EXIT
			cat "$link/package"
			return
		fi
		parts=$(split_parts "$pkg" "$version")
		case $parts in
		*linux-binary-*) ;;
		*) parts="" ;;
		esac
		why=""
		for part in $parts; do
			[ -n "$(candidate "$part")" ] ||
				why="$part has no downloadable candidate"
		done
		if [ -z "$why" ] &&
		   (cd "$tmp" && apt-get "${apt_opts[@]}" -qq download "$pkg" $parts > download.log 2>&1); then
			got=$pkg
			break
		fi
		[ -n "$why" ] ||
			why="listed but could not be downloaded: $(grep -m1 -o '[0-9]\{3\} [A-Za-z ]*' "$tmp/download.log" || tail -1 "$tmp/download.log")"
		say "$pkg $version: $why"
		echo "$pkg $version" >> "$apt_dir/undownloadable"
		echo "$pkg $version: $why" >> "$apt_dir/undownloadable.why"
		rm -f "$tmp"/*
	done
	[ -n "$got" ] ||
		unavailable "kernel $k: no package of it could be downloaded whole from the reachable suites ($suites)$(last_reason "$k")"
	unpack "$tmp" "$got" "$version"
	release=$(cat "$tmp/release")
	rm -rf "${cache:?}/kernels/$release"
	mv "$tmp" "$cache/kernels/$release"
	trap - EXIT
	# an older lab kept a directory here, not a link
	[ -L "$link" ] || rm -rf "$link"
	ln -sfn "$release" "$link.new"
	mv -T "$link.new" "$link"
	cat "$link/package"
}

# last_reason KERNEL: why the newest refused package of it was refused
last_reason() {
	local pkg
	pkg=$(packages_for "$1" | head -1)
	[ -n "$pkg" ] || { echo "; none is listed"; return; }
	grep -s "^$pkg " "$apt_dir/undownloadable.why" | tail -1 | sed 's/^/; newest: /'
	return 0
}

# unpack DIR PACKAGE VERSION: the kernel, its config and the modules the
# boot needs, from a whole image or from the parts of a meta image (they
# keep everything under usr/lib/modules/REL/)
unpack() {
	local dir=$1 pkg=$2 version=$3 deb root=$1/root mdir
	for deb in "$dir"/*.deb; do
		dpkg-deb -x "$deb" "$root"
	done
	if [ ! -d "$root/lib/modules" ] && [ -d "$root/usr/lib/modules" ]; then
		ln -s usr/lib "$root/lib"
	fi
	mdir=$(ls -d "$root"/lib/modules/* | head -1)
	[ -n "$mdir" ] || die "$pkg has no lib/modules/RELEASE"
	cp "$(ls "$root"/boot/vmlinuz-* "$mdir"/vmlinuz 2>/dev/null | head -1)" "$dir/vmlinuz" ||
		die "no vmlinuz in $pkg"
	cp "$(ls "$root"/boot/config-* "$mdir"/config 2>/dev/null | head -1)" "$dir/config" ||
		die "no kernel config in $pkg"
	echo "$pkg $version" > "$dir/package"
	basename "$mdir" > "$dir/release"
	extract_modules "$dir"
	rm -rf "$root" "$dir"/*.deb "$dir/download.log"
	echo "$BOOT_MODULES" > "$dir/ready"
}

# download DIR PACKAGE...: the packages (not their dependencies) into DIR,
# for those who need a package of another suite than the machine's, such
# as patches/build-kernel.sh a kernel source
download() {
	local dir=$1
	shift
	mkdir -p "$dir"
	apt_refresh
	(cd "$dir" && apt-get "${apt_opts[@]}" -qq download "$@") ||
		unavailable "could not download $* from the lab's suites ($apt_dir/update.log)"
}

# A kernel to boot: the one fetched before, or the newest if none was.
ensure_kernel() {
	is_ready "$(kdir_for "$1")" || fetch "$1" > /dev/null
}

# --- the guest's boot files -----------------------------------------------

# Modules the boot needs where this kernel builds them as modules: the
# dependencies (virtio_ring, jbd2, crc16...) come from modules.dep.
# CONFIG_X:module[,other name]; 7.x names crc32c's module crc32c-cryptoapi.
# dm-delay holds IOs in flight for the known-churn test (known-churn.sh).
BOOT_MODULES="VIRTIO_PCI:virtio_pci VIRTIO_BLK:virtio_blk EXT4_FS:ext4
JBD2:jbd2 FS_MBCACHE:mbcache CRC16:crc16
CRYPTO_CRC32C:crc32c_generic,crc32c-cryptoapi DM_DELAY:dm-delay"

needed_modules() {
	local cfg=$1 m
	for m in $BOOT_MODULES; do
		grep -q "^CONFIG_${m%%:*}=m" "$cfg" && echo "${m#*:}"
	done
	return 0
}

# is_ready DIR: a kernel unpacked whole, with the modules this lab boots
# (a kernel kept by a lab that needed fewer is fetched again)
is_ready() {
	[ -f "$1/ready" ] && [ "$(cat "$1/ready")" = "$BOOT_MODULES" ]
}

# Keep, decompressed, the modules the boot needs and what they depend on,
# listed in an order that loads every dependency first.
extract_modules() {
	local dir=$1 mdir mod
	mdir=$(echo "$dir"/root/lib/modules/*)
	# the package leaves modules.dep to its installer: make it here
	depmod -b "$dir/root" "$(basename "$mdir")" ||
		die "depmod failed for $(basename "$mdir")"
	mkdir -p "$dir/modules"
	: > "$dir/modules/order"
	for mod in $(needed_modules "$dir/config"); do
		add_module "$mdir" "$dir/modules" "$(module_path "$mdir" "$mod")"
	done
	return 0
}

# module_path MODDIR NAME[,NAME...]: the path of the first of the names
# that the kernel has, relative to MODDIR ("-" and "_" alike)
module_path() {
	local name re
	for name in ${2//,/ }; do
		re=$(echo "$name" | sed 's/[-_]/[-_]/g')
		grep -E "(^|/)$re\.ko(\.xz|\.zst|\.gz)?:" "$1/modules.dep" | cut -d: -f1 | head -1 |
			grep . && return 0
	done
	return 0
}

add_module() {	# add_module MODDIR DEST RELPATH
	local mdir=$1 dest=$2 rel=$3 name dep
	[ -n "$rel" ] || die "a module the boot needs is missing from the package"
	name=$(basename "$rel")
	name=${name%%.ko*}
	grep -qx "$name" "$dest/order" && return 0
	# modules.dep lists direct and indirect dependencies, deepest last
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

# keep FILE COPY: a link to the file, or a copy across filesystems
keep() {
	ln -f "$1" "$2" 2>/dev/null || cp "$1" "$2"
}

# replace TMP FILE: move a finished file into place in one rename
replace() {
	mv -f "$1" "$2"
}

# The initramfs of a kernel: busybox, the init and the modules, as cpio
# newc, zstd where the kernel reads it, else gzip. Rebuilt when one of
# them changes.
build_initramfs() {
	local dir=$1 ird sum comp=gzip
	grep -qs '^CONFIG_RD_ZSTD=y' "$dir/config" && comp=zstd
	sum=$( { sha256sum /bin/busybox "$top/tests/lab/guest/init" \
		"$dir"/modules/*; echo "$comp"; } | sha256sum | cut -c1-64)
	if [ -f "$dir/initrd" ] && [ "$(cat "$dir/initrd.inputs" 2>/dev/null)" = "$sum" ]; then
		return
	fi
	ird=$(mktemp -d)
	mkdir -p "$ird/bin" "$ird/proc" "$ird/sys" "$ird/dev" "$ird/root"
	cp /bin/busybox "$ird/bin/busybox"
	ln -s busybox "$ird/bin/sh"
	cp -r "$dir/modules" "$ird/modules"
	install -m 755 "$top/tests/lab/guest/init" "$ird/init"
	if [ "$comp" = zstd ]; then
		(cd "$ird" && find . | cpio -o -H newc --quiet | zstd -q -3) > "$dir/initrd.tmp"
	else
		(cd "$ird" && find . | cpio -o -H newc --quiet | gzip -1) > "$dir/initrd.tmp"
	fi
	rm -rf "$ird"
	replace "$dir/initrd.tmp" "$dir/initrd"
	echo "$sum" > "$dir/initrd.inputs"
}

# The root filesystem the command runs in: busybox, fio, xfs_io, qemu-img
# and dioscope with their libraries, the guest scripts, the bench's job files. Shared by all
# kernels; rebuilt when one of them changes (size and time of each).
tools_inputs() {
	local f
	for f in /bin/busybox "$(command -v fio)" "$(command -v mkfs.ext4)" "$(command -v filefrag)" \
		"$(command -v dmsetup)" "$(command -v xfs_io)" "$(command -v qemu-img)" \
		"$DIOSCOPE_BIN" "$SELFBENCH_BIN" "$0" "$top"/bench/* "$top"/tests/lab/profile-run.sh \
		"$top"/tests/lab/guest/*; do
		[ -e "$f" ] && stat -L -c '%n %s %Y' "$f"
	done
	[ "$LAB_BPFTRACE" = 1 ] && stat -L -c 'bpftrace %n %s %Y' "$(command -v bpftrace)"
	return 0
}

# copy_with_libs BINARY ROOT [PATH_IN_ROOT]: a program and its libraries
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
	local img=$cache/tools.img stamp=$cache/tools.inputs root size a
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
	# FIEMAP for the lab's checks of extent counts
	copy_with_libs "$(command -v filefrag)" "$root" /usr/sbin/filefrag
	# dm-delay tables for the known-churn test
	copy_with_libs "$(command -v dmsetup)" "$root" /usr/sbin/dmsetup
	# programs other than fio that do direct IO, for programs.sh
	for a in xfs_io qemu-img; do
		command -v "$a" > /dev/null &&
			copy_with_libs "$(command -v "$a")" "$root" "/usr/bin/$a"
	done
	[ -r /etc/mke2fs.conf ] && cp /etc/mke2fs.conf "$root/etc/"
	if [ -x "$DIOSCOPE_BIN" ]; then
		copy_with_libs "$DIOSCOPE_BIN" "$root" /usr/bin/dioscope
	else
		say "no dioscope at $DIOSCOPE_BIN: the guest has none"
	fi
	[ -x "$SELFBENCH_BIN" ] &&
		copy_with_libs "$SELFBENCH_BIN" "$root" /usr/bin/selfbench
	if [ "$LAB_BPFTRACE" = 1 ]; then
		command -v bpftrace > /dev/null ||
			die "LAB_BPFTRACE=1 but this machine has no bpftrace (make deps)"
		copy_with_libs "$(command -v bpftrace)" "$root" /usr/bin/bpftrace
	fi
	cp "$top"/tests/lab/guest/* "$top/tests/lab/profile-run.sh" "$root/lab/"
	cp -r "$top/bench" "$root/lab/bench"
	echo "root:x:0:0:root:/:/bin/sh" > "$root/etc/passwd"
	size=$(( $(du -sm "$root" | cut -f1) * 5 / 4 + 32 ))
	mkfs.ext4 -q -F -d "$root" -L labtools "$img.tmp" "${size}M" > /dev/null
	rm -rf "$root"
	replace "$img.tmp" "$img"
	tools_inputs > "$stamp"
}

# --- running ----------------------------------------------------------------

qemu_usable() {
	command -v qemu-system-x86_64 > /dev/null &&
		qemu-system-x86_64 -accel help 2>/dev/null | grep -qx tcg
}

qemu_pid=""
work=""
cleanup() {
	if [ -n "$qemu_pid" ]; then
		kill -9 "$qemu_pid" 2>/dev/null || true
		wait "$qemu_pid" 2>/dev/null || true
		qemu_pid=""
	fi
	if [ -n "$work" ]; then
		[ -z "${LAB_CONSOLE:-}" ] || cp "$work/console" "$LAB_CONSOLE" 2>/dev/null || true
		rm -rf "$work"
	fi
}

marker() {	# marker NAME: has the guest printed @@LAB-NAME yet?
	grep -q "@@LAB-$1" "$work/console"
}

# A kernel message saying the guest kernel died (only kernel messages:
# the command's own output may say anything).
crashed() {
	grep -qE '^\[ *[0-9]+\.[0-9]+\] (Kernel panic|Oops|BUG: (kernel NULL pointer|unable to handle)|general protection fault)' \
		"$work/console"
}

stop_qemu() {
	kill -9 "$qemu_pid" 2>/dev/null || true
	wait "$qemu_pid" 2>/dev/null || true
	qemu_pid=""
}

# Under the instruction counter Debian's 5.10 and 6.1 hang bringing up
# their second vCPU: the console stops at "x86: Booting SMP
# configuration:" and the guest clock with it (printk times frozen),
# with tsc=reliable too, while 6.12 and later boot. With maxcpus=1 they
# boot and run: so under icount a packaged kernel before 6.5 gets one
# vCPU, which the lab says and the runs' meta records (machine_cores).
icount_one_cpu() {	# icount_one_cpu KERNEL: a series before 6.5?
	[[ $1 =~ ^([0-9]+)\.([0-9]+)$ ]] || return 1
	[ "${BASH_REMATCH[1]}" -lt 6 ] ||
		{ [ "${BASH_REMATCH[1]}" -eq 6 ] && [ "${BASH_REMATCH[2]}" -lt 5 ]; }
}

# boot IMAGE INITRD CMD64 DEADLINE: the console goes to $work/console.
# Returns 0 when the guest finished (it powered off, or halted after
# saying it is done), 124 at the deadline (in $SECONDS), 125 when the
# guest kernel crashed (QEMU is stopped at once: a crashed guest may hang
# rather than panic), QEMU's status when it failed by itself.
boot() {
	local rc=0 done_at="" clock=() append=""
	if [ "$LAB_ICOUNT" = 1 ]; then
		clock=(-icount shift=0,sleep=off)
		append="dioscope.clock=icount"
		[ "$one_cpu" = 1 ] && append="$append maxcpus=1"
	fi
	qemu-system-x86_64 -accel "$LAB_ACCEL" -cpu "$LAB_CPU" "${clock[@]}" \
		-m 2G -smp 2 -nographic -no-reboot -nodefaults -serial stdio \
		-kernel "$1" -initrd "$2" \
		-append "console=ttyS0 quiet loglevel=1 panic=-1 panic_on_oops=1 softlockup_panic=1 ${LAB_APPEND:-} $append lab.cmd=$3" \
		-drive "file=$work/tools.img,if=virtio,format=raw,readonly=on" \
		-drive "file=$work/scratch.img,if=virtio,format=raw" \
		-drive "file=$work/out.img,if=virtio,format=raw" \
		< /dev/null > "$work/console" 2> "$work/qemu.err" &
	qemu_pid=$!
	while kill -0 "$qemu_pid" 2>/dev/null; do
		if marker DONE; then
			# a kernel without ACPI halts instead of powering off
			[ -n "$done_at" ] || done_at=$SECONDS
			if [ $((SECONDS - done_at)) -ge 2 ]; then
				stop_qemu
				return 0
			fi
		elif crashed; then
			sleep 1	# let the console finish the report
			stop_qemu
			return 125
		elif [ "$SECONDS" -ge "$4" ]; then
			stop_qemu
			return 124
		fi
		sleep 0.2
	done
	wait "$qemu_pid" || rc=$?
	qemu_pid=""
	crashed && return 125
	return "$rc"
}

# The command's output: the console between the markers. Output that
# does not end in a newline shares its last line with the end marker.
command_output() {
	tr -d '\r' < "$work/console" | awk '
		/@@LAB-END rc=[0-9]+@@/ {
			if (on) { sub(/@@LAB-END rc=[0-9]+@@.*/, ""); printf "%s", $0 }
			exit
		}
		on { print }
		/@@LAB-BEGIN@@/ { on = 1 }'
}

run() {
	local k=$1; shift
	local timeout=600 disk=1G out="" image="" dir cmd try deadline rc
	one_cpu=0
	while [ $# -gt 0 ]; do
		case $1 in
		--timeout) [ $# -ge 2 ] || die "--timeout needs SECONDS"; timeout=$2; shift 2 ;;
		--disk-size) [ $# -ge 2 ] || die "--disk-size needs a SIZE"; disk=$2; shift 2 ;;
		--out) [ $# -ge 2 ] || die "--out needs a DIR"; out=$2; shift 2 ;;
		--kernel-image) [ $# -ge 2 ] || die "--kernel-image needs a bzImage"; image=$2; shift 2 ;;
		--icount) LAB_ICOUNT=1; shift ;;
		--) shift; break ;;
		*) die "unknown option $1 (usage: lab.sh run KERNEL [options] -- CMD...)" ;;
		esac
	done
	[ $# -gt 0 ] || die "no command given (after --)"
	[[ $timeout =~ ^[0-9]+$ ]] || die "--timeout takes whole seconds, not '$timeout'"
	case $LAB_ICOUNT in
	0) ;;
	1) [[ $LAB_ACCEL == *thread=single* ]] ||
		die "--icount needs single-threaded TCG (LAB_ACCEL=tcg,thread=single), not '$LAB_ACCEL'" ;;
	*) die "LAB_ICOUNT takes 0 or 1, not '$LAB_ICOUNT'" ;;
	esac
	case $LAB_BPFTRACE in
	0 | 1) ;;
	*) die "LAB_BPFTRACE takes 0 or 1, not '$LAB_BPFTRACE'" ;;
	esac
	if ! qemu_usable; then
		echo "lab: qemu-system-x86_64 with TCG is not available: cannot run the lab" >&2
		exit 77
	fi
	cmd=$(printf '%s ' "$@" | base64 -w0)
	# the kernel keeps 2048 bytes of its command line
	[ ${#cmd} -le 1600 ] ||
		die "the command is too long for the kernel command line: put it in a script under tests/lab/guest/"

	# one preparer at a time: others wait, then find everything built
	mkdir -p "$cache"
	exec 9> "$cache/.lock"
	flock 9
	if [ "$LAB_ICOUNT" = 1 ] && [ -z "$image" ] && icount_one_cpu "$k"; then
		one_cpu=1
		say "$k under icount: one vCPU (maxcpus=1): its second hangs the boot"
	fi
	if [ -z "$image" ]; then
		ensure_kernel "$k"
		dir=$(readlink -f "$(kdir_for "$k")")
		image=$dir/vmlinuz
	else
		[ -r "$image" ] || die "no kernel image at $image"
		# a kernel of our own, everything built in: no modules needed
		dir=$cache/custom
		mkdir -p "$dir/modules"
		: > "$dir/modules/order"
	fi
	trap cleanup EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
	work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-lab.XXXXXX")
	build_initramfs "$dir"
	build_tools
	# The cache is the machine's: another clone may rebuild these files
	# for its own dioscope once the lock is let go. Keep ours.
	keep "$dir/initrd" "$work/initrd"
	keep "$cache/tools.img" "$work/tools.img"
	flock -u 9

	truncate -s "$disk" "$work/scratch.img"
	mkfs.ext4 -q -F "$work/scratch.img"
	truncate -s "${LAB_OUT_SIZE:-256M}" "$work/out.img"
	deadline=$((SECONDS + timeout))
	# A boot that crashes before the command starts is booted again: it
	# says nothing of the command. A crash while it runs is reported.
	for try in $(seq "${LAB_BOOT_TRIES:-3}"); do
		rc=0
		boot "$image" "$work/initrd" "$cmd" "$deadline" || rc=$?
		if [ "$rc" -ne 125 ] || marker BEGIN; then
			break
		fi
		say "the $k guest kernel crashed while booting (try $try): $(crash_line)"
	done
	finish "$k" "$rc" "$timeout" "$out"
}

crash_line() {
	tr -d '\r' < "$work/console" | grep -m1 -E 'BUG:|Oops|RIP:|Kernel panic' || true
}

# finish KERNEL BOOT_STATUS TIMEOUT OUT_DIR: print the output, copy /out,
# exit with the command's status
finish() {
	local k=$1 rc=$2 timeout=$3 out=$4 status
	if [ "$rc" -eq 124 ]; then
		if marker BEGIN; then command_output; else tail -20 "$work/console" >&2; fi
		echo "lab: the $k guest did not finish within ${timeout}s" >&2
		exit 124
	fi
	if [ "$rc" -eq 125 ]; then
		command_output
		tr -d '\r' < "$work/console" | grep -A30 -m1 -E 'BUG:|Oops|Kernel panic' >&2 || true
		die "the $k guest kernel crashed$(marker BEGIN && echo ' while running the command')"
	fi
	if [ "$rc" -ne 0 ] && [ ! -s "$work/console" ]; then
		die "QEMU failed (status $rc): $(head -3 "$work/qemu.err" | tr '\n' ' ')"
	fi
	if ! marker 'END rc='; then
		tr -d '\r' < "$work/console" | tail -30 >&2
		die "the $k guest did not run the command (console above; QEMU status $rc)"
	fi
	command_output
	if [ -n "$out" ]; then
		mkdir -p "$out"
		tar xf "$work/out.img" -C "$out" ||
			say "what the guest wrote to /out could not be read back"
	fi
	status=$(tr -d '\r' < "$work/console" | sed -n 's/.*@@LAB-END rc=\([0-9]*\)@@.*/\1/p' | tail -1)
	exit "${status:-1}"
}

case ${1:-} in
fetch)
	[ $# -eq 2 ] || die "usage: lab.sh fetch KERNEL"
	mkdir -p "$cache"
	exec 9> "$cache/.lock"
	flock 9
	fetch "$2" ;;
run)
	[ $# -ge 2 ] || die "usage: lab.sh run KERNEL [options] -- CMD..."
	k=$2
	shift 2
	run "$k" "$@" ;;
kernels)
	case ${2:-all} in
	all) echo "$LAB_KERNELS_ALL" ;;
	default) echo "$LAB_KERNELS_DEFAULT" ;;
	*) die "usage: lab.sh kernels [default|all]" ;;
	esac ;;
download)
	[ $# -ge 3 ] || die "usage: lab.sh download DIR PACKAGE..."
	mkdir -p "$cache"
	exec 9> "$cache/.lock"
	flock 9
	shift
	download "$@" ;;
*) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 2 ;;
esac
