#!/usr/bin/env bash
# The patch series of patches/ against their Debian sources, one folder per
# kernel (patches/6.1 against linux-source-6.1, patches/7.3 against
# linux-source-7.3): every patch applies cleanly in order, checkpatch
# (--strict) finds no error and no warning in it, and the tracepoints it
# adds carry the fields, in the order, that the BPF programs reading them
# expect.
#
# The series also applies with git am to a git tree of the files it
# touches, and checkpatch's checks are at most the trace-event idiom.
#
# Only the files a series touches and what checkpatch reads are unpacked,
# into a temporary directory. The sources come from patches/source.sh
# (linux-source-6.1 is installed when root; linux-source-7.3 is downloaded
# once into PATCHES_CACHE through the lab's apt configuration); a source
# that cannot be had on this machine is a failure. TAP lines, then
# "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-patches.XXXXXX")
trap 'rm -rf "$work"' EXIT

summary() {
	tap_done
	echo "$((tap_n - tap_failed)) passed, $tap_failed failed"
	[ "$tap_failed" -eq 0 ]
}

# apply_series K: unpack what series K needs into $work/linux-source-K,
# apply it and run checkpatch on each patch; sets src
apply_series() {
	local k=$1 tarball top p name out total
	local -a series members
	top=linux-source-$k
	src=$work/$top
	if ! tarball=$(patches/source.sh "$k" 2> "$work/source.log"); then
		sed 's/^/# /' "$work/source.log"
		not_ok "$k: the source is there ($(tail -n 1 "$work/source.log"))"
		return 1
	fi
	# the cover letter, where there is one, is no patch
	mapfile -t series < <(find patches/"$k" -maxdepth 1 -name '*.patch' \
		! -name '0000-cover-letter.patch' | sort)
	if [ "${#series[@]}" -eq 0 ]; then
		not_ok "$k: patches/$k holds a series"
		return 1
	fi
	# the files the series touches, and checkpatch with what it reads
	mapfile -t members < <(
		sed -n 's|^diff --git a/\([^ ]*\) b/.*|\1|p' "${series[@]}" | sort -u
		printf '%s\n' scripts/checkpatch.pl scripts/spelling.txt \
			scripts/const_structs.checkpatch)
	if tar xf "$tarball" -C "$work" --occurrence "${members[@]/#/$top/}" 2> "$work/tar.log"; then
		ok "$k: $top unpacks the ${#members[@]} files the test needs"
	else
		sed 's/^/# /' "$work/tar.log"
		not_ok "$k: $top unpacks the ${#members[@]} files the test needs"
		return 1
	fi

	for p in "${series[@]}"; do
		name=$(basename "$p")
		# cleanly: every line of context as it is (no fuzz); a hunk found
		# some lines away from where the patch puts it is only reported
		if patch -d "$src" -p1 --dry-run --batch --fuzz=0 -i "$PWD/$p" > "$work/patch.log" 2>&1; then
			ok "$k: $name applies cleanly (dry run)"
			grep -i offset "$work/patch.log" | sed 's/^/# /'
			check "$k: $name applies" patch -d "$src" -p1 --batch --fuzz=0 --quiet -i "$PWD/$p"
		else
			sed 's/^/# /' "$work/patch.log"
			not_ok "$k: $name applies cleanly (dry run)"
			continue
		fi
		# run from the kernel tree: inside another git repository
		# checkpatch takes the patch for a source file
		out=$(cd "$src" && perl scripts/checkpatch.pl --no-tree --strict "$OLDPWD/$p" 2>&1)
		total=$(grep '^total:' <<< "$out")
		if grep -q '^total: 0 errors, 0 warnings' <<< "$out"; then
			ok "$k: $name: checkpatch --strict finds no error and no warning (${total#total: })"
		else
			grep -E '^(ERROR|WARNING)' -A3 <<< "$out" | sed 's/^/# /'
			not_ok "$k: $name: checkpatch --strict finds no error and no warning (${total#total: })"
		fi
		check_eq "$k: $name: checkpatch's checks are only the trace-event idiom of include/trace/events" \
			"" "$(odd_checks <<< "$out")"
	done
	git_am "$k" "$tarball" "${members[@]}"
}

# The checks of checkpatch --strict that are not the way every trace
# event of include/trace/events is written (TP_STRUCT__entry( at the end
# of a line, TP_PROTO indented by a tab): the unpatched ext4.h draws 310
# of those two alone.
odd_checks() {
	awk '/^CHECK: / { msg = substr($0, 8); next }
		msg != "" && /^#[0-9]+: FILE: / {
			if (!(index($3, "include/trace/events/") == 1 &&
			      (msg == "Lines should not end with a \x27(\x27" ||
			       msg == "Alignment should match open parenthesis")))
				printf "%s %s; ", $3, msg
			msg = "" }'
}

# git_am K TARBALL MEMBER...: the series applies with git am, in order, to
# a git tree of the same files of the source, as a maintainer applies it
git_am() {
	local k=$1 tarball=$2 g=$work/git-$1
	shift 2
	mkdir -p "$g"
	if ! tar xf "$tarball" -C "$g" --strip-components=1 --occurrence \
		"${@/#/linux-source-$k/}" 2> "$work/tar.log"; then
		sed 's/^/# /' "$work/tar.log"
		not_ok "$k: git am: the source's files unpack"
		return 1
	fi
	if (cd "$g" && git init -q && git add -A &&
		git -c user.name=test -c user.email=test@localhost commit -qm source &&
		git -c user.name=test -c user.email=test@localhost am -q "${series[@]/#/$OLDPWD/}") \
		> "$work/am.log" 2>&1; then
		ok "$k: the series applies with git am ($(( $(cd "$g" && git rev-list --count HEAD) - 1 )) patches)"
	else
		sed 's/^/# /' "$work/am.log"
		not_ok "$k: the series applies with git am"
	fi
	rm -rf "$g"
}

# The entry fields of a trace event in the patched header: those of its
# own TRACE_EVENT, or of the DECLARE_EVENT_CLASS it is defined with.
tp_fields() {
	awk -v ev="$1" '
	function fields_of(name) {
		for (i = 1; i <= nl; i++) {
			if (index(line[i], "TRACE_EVENT(" name ",") == 1 ||
			    index(line[i], "DECLARE_EVENT_CLASS(" name ",") == 1) {
				out = ""
				for (j = i + 1; j <= nl && line[j] !~ /TP_fast_assign/; j++)
					if (line[j] ~ /__field\(/) {
						f = line[j]
						sub(/.*, */, "", f); sub(/\).*/, "", f)
						out = out f " "
					}
				return out
			}
		}
		return ""
	}
	{ line[++nl] = $0 }
	END {
		out = fields_of(ev)
		if (out == "")
			for (i = 1; i <= nl; i++)
				if (match(line[i], "^DEFINE_EVENT\\([a-z0-9_]+, " ev ",")) {
					cls = line[i]
					sub(/^DEFINE_EVENT\(/, "", cls); sub(/,.*/, "", cls)
					out = fields_of(cls)
					break
				}
		print out
	}' "$src/include/trace/events/ext4.h" | sed 's/ $//'
}
# the fields of the struct a BPF program reads the event with
bpf_fields() {
	awk -v st="struct trace_event_raw_$1___ds {" '$0 == st { on = 1; next }
		on && /^}/ { exit } on && !/struct trace_entry/ {
		gsub(/;/, ""); printf "%s ", $NF }' bpf/extent_churn.bpf.c | sed 's/ $//'
}

merge_want="dev ino boundary left_lblk left_len left_unwritten right_lblk right_len right_unwritten"
for k in 6.1 7.3; do
	apply_series "$k" || continue
	# 7.2 dropped ext4_split_extent_at()'s split_flag argument, and the
	# event its field
	case $k in
	6.1) split_want="dev ino split ee_lblk ee_pblk ee_len unwritten split_flag flags" ;;
	*) split_want="dev ino split ee_lblk ee_pblk ee_len unwritten flags" ;;
	esac
	check_eq "$k: ext4_ext_split has the agreed fields" "$split_want" "$(tp_fields ext4_ext_split)"
	check_eq "$k: ext4_ext_merge has the agreed fields" "$merge_want" "$(tp_fields ext4_ext_merge)"
	check_eq "$k: ext4_ext_insert_merge has the fields of ext4_ext_merge" "$merge_want" \
		"$(tp_fields ext4_ext_insert_merge)"
	# every field the BPF program reads is one of the event's; a field
	# the program reads only where it exists (bpf_core_field_exists)
	# may be missing
	for ev in ext4_ext_split ext4_ext_merge; do
		have=" $(tp_fields "$ev") "
		missing=""
		for f in $(bpf_fields "$ev"); do
			[[ $have == *" $f "* ]] && continue
			grep -q "bpf_core_field_exists(ctx->$f)" bpf/extent_churn.bpf.c ||
				missing="$missing $f"
		done
		check_eq "$k: $ev: the BPF program reads only fields the patch defines" "" "${missing# }"
		check_eq "$k: $ev: the BPF program knows every field in the same order" \
			"$(tp_fields "$ev")" "$(for f in $(bpf_fields "$ev"); do
				[[ $have == *" $f "* ]] && printf '%s ' "$f"; done | sed 's/ $//')"
	done
	rm -rf "$src"
done
summary
