#!/usr/bin/env bash
# The Debian package: make deb builds it; it installs into a clean
# Debian 12 root made by mmdebstrap from this machine's configured
# archive; there, outside any checkout, dioscope --help, probe, a one-run
# bench of the overwrite scenario on a loop device and report of it work.
#
# The root, with the package's dependencies in it, is kept as a tarball in
# $DIOSCOPE_CACHE/deb-root (default /var/cache/dioscope), named by a
# digest of the archive's sources and the dependency list, so that only
# the first run downloads (a few minutes); later runs take about as long
# as the package build. Skipped, saying why, where the archive cannot be
# reached or the tools are missing. DIOSCOPE_DEB=FILE tests that package
# instead of building one.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

cache=${DIOSCOPE_CACHE:-/var/cache/dioscope}/deb-root
suite=bookworm
work=""
root=""

cleanup() {
	# the mounts live in a namespace of their own and end with it; this
	# catches what an interrupted run left all the same
	if [ -n "$root" ] && [ -d "$root" ]; then
		umount -R "$root" 2> /dev/null
		rm -rf --one-file-system "$root"
	fi
	[ -n "$work" ] && rm -rf "$work"
}
trap cleanup EXIT

need() {
	local tool
	for tool in "$@"; do
		command -v "$tool" > /dev/null && continue
		skip "the Debian package in a clean root" "$tool is not installed (make deps)"
		tap_done
		exit 0
	done
}
require_root "the Debian package in a clean root"
need mmdebstrap dpkg-buildpackage dh curl unshare

# the archive this machine is configured for, as apt's own files say it
sources=$(ls /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
	/etc/apt/sources.list.d/*.sources 2> /dev/null)
uri=$(cat $sources /dev/null | sed -nE \
	-e 's/^URIs:[[:space:]]*([^[:space:]]+).*/\1/p' \
	-e 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' | head -1)
if [ -z "$uri" ]; then
	skip "the Debian package in a clean root" "no archive configured in /etc/apt"
	tap_done
	exit 0
fi
if ! curl -fsI --max-time 20 "$uri/dists/$suite/Release" > /dev/null; then
	skip "the Debian package in a clean root" "the archive $uri cannot be reached"
	tap_done
	exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-deb.XXXXXX")
if [ -n "${DIOSCOPE_DEB:-}" ]; then
	deb=$DIOSCOPE_DEB
else
	t0=$(date +%s)
	if DEB_BUILD_OPTIONS=nocheck nice make deb > "$work/build.log" 2>&1; then
		ok "make deb builds the package ($(( $(date +%s) - t0 )) s)"
	else
		not_ok "make deb: $(tail -5 "$work/build.log" | tr '\n' ' ')"
		tap_done
		exit 1
	fi
	deb=$(ls build/deb/dioscope_*.deb | head -1)
fi
dpkg-deb -c "$deb" | awk '{ print $6 }' > "$work/contents"
missing=""
for f in usr/bin/dioscope usr/share/dioscope/bench/matrix \
	usr/share/dioscope/plots/common.gp usr/lib/dioscope/zero-range \
	usr/share/man/man8/dioscope-bench.8.gz \
	usr/share/bash-completion/completions/dioscope; do
	grep -qx "./$f" "$work/contents" || missing="$missing $f"
done
check_eq "the package holds the binary, its data, drivers, man pages, completion" "" "$missing"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libbpf1 libjson-c5 libxxhash0 fio gnuplot-nox mount e2fsprogs; do
	case ", $depends" in
	*", $lib"[\ ,]*|*", $lib") ;;
	*) not_ok "the package does not depend on $lib: $depends"; continue ;;
	esac
	ok "the package depends on $lib"
done

# The dependencies, first of each alternative, go into the cached root.
include=$(echo "$depends" | tr ',' '\n' | sed -E 's/\|.*//; s/\(.*\)//; s/[[:space:]]//g' |
	grep . | sort -u | tr '\n' ',')
key=$( (cat $sources; echo "$suite $include") | sha256sum | cut -c1-16)
tarball=$cache/$suite-$key.tar
if [ ! -s "$tarball" ]; then
	mkdir -p "$cache"
	t0=$(date +%s)
	# shellcheck disable=SC2086
	if nice mmdebstrap --variant=apt --format=tar --include="${include%,}" "$suite" \
		"$tarball.tmp" $sources > "$work/mmdebstrap.log" 2>&1; then
		mv "$tarball.tmp" "$tarball"
		ok "mmdebstrap made a Debian 12 root ($(( $(date +%s) - t0 )) s, cached as $tarball)"
	else
		rm -f "$tarball.tmp"
		if grep -qiE 'could not resolve|failed to fetch|connection|temporary failure' "$work/mmdebstrap.log"; then
			skip "the Debian package in a clean root" "mmdebstrap could not fetch from $uri"
			tap_done
			exit 0
		fi
		not_ok "mmdebstrap: $(tail -5 "$work/mmdebstrap.log" | tr '\n' ' ')"
		tap_done
		exit 1
	fi
	# older roots of other keys are of no further use
	find "$cache" -name "$suite-*.tar" ! -name "$(basename "$tarball")" -delete
else
	ok "the Debian 12 root comes from the cache ($tarball)"
fi

root=$(mktemp -d /var/tmp/dioscope-root.XXXXXX)
tar -xf "$tarball" -C "$root"
cp "$deb" "$root/tmp/dioscope.deb"
if chroot "$root" dpkg -i /tmp/dioscope.deb > "$work/dpkg.log" 2>&1; then
	ok "dpkg -i installs the package into the clean root"
else
	not_ok "dpkg -i in the clean root: $(tail -5 "$work/dpkg.log" | tr '\n' ' ')"
	tap_done
	exit 1
fi
check "the root holds no checkout" not test -e "$root/bench/matrix"

# Inside a mount namespace of its own: /proc, /sys, tracefs, bpffs and
# /dev (loop devices) for the root, all gone when the namespace ends.
# Another live test's IO would show in the bench: take the live lock.
cat > "$root/tmp/run.sh" <<'IN'
set -u
cd /
unset DIOSCOPE_DATA_DIR
echo "== help"; dioscope --help; echo "rc=$?"
echo "== probe"; dioscope probe; echo "rc=$?"
echo "== bench"
dioscope bench -s overwrite --runs 1 --size 16M --runtime 2 -o /tmp/res; echo "rc=$?"
echo "== report"; dioscope report /tmp/res; echo "rc=$?"
IN
flock /var/lock/dioscope-live.lock unshare -m --propagation private sh -c '
	r=$1
	# the root a mount point of its own, so that bench inside can make
	# its mounts private to itself
	mount --bind "$r" "$r" &&
	mount -t proc proc "$r/proc" &&
	mount -t sysfs sysfs "$r/sys" &&
	{ mount -t tracefs nodev "$r/sys/kernel/tracing" 2> /dev/null || true; } &&
	{ mount -t bpf bpf "$r/sys/fs/bpf" 2> /dev/null || true; } &&
	mount --rbind /dev "$r/dev" &&
	exec chroot "$r" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		TMPDIR=/tmp sh /tmp/run.sh' sh "$root" > "$work/run.log" 2>&1
part() { sed -n "/^== $1\$/,/^rc=/p" "$work/run.log"; }
rc_of() { part "$1" | sed -n 's/^rc=//p'; }

check_eq "dioscope --help in the root exits 0" 0 "$(rc_of help)"
check_eq "it finds the installed data" "/usr/share/dioscope (installed)" \
	"$(part help | sed -n 's/^data: //p')"
check_eq "dioscope probe in the root exits 0" 0 "$(rc_of probe)"
check_eq "a one-run bench of overwrite in the root exits 0" 0 "$(rc_of bench)"
check "the bench wrote a summary row for overwrite" \
	sh -c "grep -q '^overwrite' '$root'/tmp/res/*/summary.csv"
check_eq "dioscope report of the result exits 0" 0 "$(rc_of report)"
check "the report names the overwrite scenario" \
	sh -c "sed -n '/^== report\$/,/^rc=/p' '$work/run.log' | grep -q overwrite"
if [ "$tap_failed" -gt 0 ]; then
	echo "# what ran in the root:"
	sed 's/^/#   /' "$work/run.log" | tail -40
fi

tap_done
