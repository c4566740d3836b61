#!/usr/bin/env bash
# The full screen of `dioscope top`, driven in tmux: the header, a row per
# file being written, sort keys that reorder the rows, freeze, help, and
# q (and a closed terminal) that end it with the screen restored and the
# BPF programs gone.
set -u
cd "$(dirname "$0")/../.."
. tests/lib.sh

DIOSCOPE=${DIOSCOPE:-$PWD/dioscope}
work=$(mktemp -d "${TMPDIR:-/tmp}/dioscope-tmux.XXXXXX")
sess=dioscope-top-$$
fio_pid=

cleanup() {
	tmux kill-session -t "$sess" 2>/dev/null
	tmux kill-session -t "$sess-hup" 2>/dev/null
	if [ -n "$fio_pid" ]; then
		kill "$fio_pid" 2>/dev/null
		wait "$fio_pid" 2>/dev/null
	fi
	scratch_down
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

require_root "top in tmux"
command -v tmux > /dev/null || { skip "top in tmux" "tmux missing"; tap_done; exit 0; }


screen() {
	tmux capture-pane -p -t "$1"
}

# wait_screen SESSION REGEX: up to 10 s for the screen to match
wait_screen() {
	for _ in $(seq 100); do
		screen "$1" | grep -qE "$2" && return 0
		sleep 0.1
	done
	return 1
}

# 1 while a program holds the terminal's alternate screen, as curses does
alternate() {
	tmux display -p -t "$1" '#{alternate_on}'
}

# gone_from_screen SESSION REGEX: up to 5 s for the screen not to match
gone_from_screen() {
	for _ in $(seq 50); do
		screen "$1" | grep -qE "$2" || return 0
		sleep 0.1
	done
	return 1
}

# The inode of the first row under the row of all inodes.
first_row() {
	screen "$sess" | awk '/INODE/ { table = 1; next }
		table && $1 ~ /^[0-9]+$/ { print $1; exit }'
}

# wait_first SORTKEY INODE: press the key, wait for INODE on top
wait_first() {
	tmux send-keys -t "$sess" "$1"
	for _ in $(seq 50); do
		[ "$(first_row)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

scratch_up 512M
# a: writes into unwritten extents (PRE_IO splits, conversions);
# b: more writes per second, into written blocks (neither)
fallocate -l 64M "$SCRATCH_MNT/a"
dd if=/dev/zero of="$SCRATCH_MNT/b" bs=1M count=16 oflag=direct status=none
ino_a=$(stat -c %i "$SCRATCH_MNT/a")
ino_b=$(stat -c %i "$SCRATCH_MNT/b")
merge_tier=$($DIOSCOPE probe --csv | awk -F, '$1 == "merge" { print $3 }')

fio --output=/dev/null --direct=1 --sync=1 --bs=4k --rw=randwrite \
	--time_based --runtime=60 \
	--name=a --filename="$SCRATCH_MNT/a" --size=64M --rate_iops=100 \
	--name=b --filename="$SCRATCH_MNT/b" --size=16M --rate_iops=400 &
fio_pid=$!

tmux new-session -d -s "$sess" -x 160 -y 40
tmux set-option -t "$sess" remain-on-exit on
tmux respawn-pane -k -t "$sess" \
	"TERM=screen $DIOSCOPE top -d $SCRATCH_MNT -i 0.5; echo \$? > $work/exit"

check "the screen comes up" wait_screen "$sess" '^dioscope top +kernel'
check_eq "... on the alternate screen" 1 "$(alternate "$sess")"
check "both files get a row" wait_screen "$sess" "^ +$ino_b .*$SCRATCH_MNT/b"
wait_screen "$sess" "^ +$ino_a .*$SCRATCH_MNT/a"
screen "$sess" > "$work/screen1"
check "the header names the kernel" grep -q "kernel $(uname -r)" "$work/screen1"
check "... the events per second and the lost events" \
	grep -qE 'events [0-9.k]+/s +lost [0-9]+' "$work/screen1"
check "... the tier per target" grep -qE '^tiers +[a-z]+: ' "$work/screen1"
check "... the column titles" grep -qE 'INODE +WR/s +RD/s +WB/s +PREIO/s +CONV/s +CSPLIT/s' "$work/screen1"
check "... and a help line" grep -qE '^ q quit .*\? help' "$work/screen1"
check "the file written into unwritten extents has a path" \
	grep -qE "^ +$ino_a( +[^ ]+){13} +$SCRATCH_MNT/a\$" "$work/screen1"
if [ "$merge_tier" = "-" ]; then
	check "merges show '-' here" grep -qE "^ +$ino_a( +[^ ]+){6} +- +- +-" "$work/screen1"
	check "... and the header says why" grep -qE '^- +MERGE/CHURN/WASTE' "$work/screen1"
fi

check "w sorts by writes/s: b first" wait_first w "$ino_b"
check "... and the header says so" wait_screen "$sess" 'sort: writes/s'
check "c sorts by conversions/s: a first" wait_first c "$ino_a"
check "... and the header says so" wait_screen "$sess" 'sort: conversions/s'
# put the higher inode on top first, so that sorting by inode moves it
low=$(printf '%s\n' "$ino_a" "$ino_b" | sort -n | head -1)
if [ "$low" = "$ino_a" ]; then wait_first w "$ino_b"; fi
check "i sorts by inode" wait_first i "$low"

tmux send-keys -t "$sess" f
check "f freezes the screen" wait_screen "$sess" '\[FROZEN\]'
screen "$sess" | sed '1d' > "$work/frozen1"
sleep 1.5
screen "$sess" | sed '1d' > "$work/frozen2"
check "... and the rows stay as they are" cmp -s "$work/frozen1" "$work/frozen2"
tmux send-keys -t "$sess" f
check "f again lets it go on" gone_from_screen "$sess" FROZEN

tmux send-keys -t "$sess" '?'
check "? shows the help" wait_screen "$sess" '^Keys: q quit'
tmux send-keys -t "$sess" x
check "any key goes back to the table" wait_screen "$sess" 'INODE +WR/s'

tmux send-keys -t "$sess" q
for _ in $(seq 100); do [ -s "$work/exit" ] && break; sleep 0.1; done
check_eq "q ends top with status 0" 0 "$(cat "$work/exit" 2>/dev/null)"
check_eq "the terminal is restored (alternate screen left)" 0 "$(alternate "$sess")"
check_eq "no BPF program of ours left loaded" 0 "$(leaked_progs)"

# Ctrl-C in the view: the same clean end
rm -f "$work/exit"
tmux respawn-pane -k -t "$sess" \
	"TERM=screen $DIOSCOPE top -d $SCRATCH_MNT; echo \$? > $work/exit"
wait_screen "$sess" '^dioscope top'
tmux send-keys -t "$sess" C-c
for _ in $(seq 100); do [ -s "$work/exit" ] && break; sleep 0.1; done
check_eq "Ctrl-C ends top with status 0" 0 "$(cat "$work/exit" 2>/dev/null)"
check_eq "... with the terminal restored" 0 "$(alternate "$sess")"
check_eq "... and no BPF program of ours left loaded" 0 "$(leaked_progs)"

# a terminal that closes under it: SIGHUP, and the same clean end
tmux new-session -d -s "$sess-hup" -x 120 -y 30 "$DIOSCOPE top -d $SCRATCH_MNT"
wait_screen "$sess-hup" '^dioscope top'
pid=$(pgrep -f "^$DIOSCOPE top -d $SCRATCH_MNT\$" | head -1)
tmux kill-session -t "$sess-hup"
for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
check "a closed terminal ends top" bash -c "! kill -0 $pid 2>/dev/null"
check_eq "... with no BPF program of ours left loaded" 0 "$(leaked_progs)"

tap_done
