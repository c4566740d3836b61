# Checks a trace-event JSON file against the format's rules and counts
# what a test compares with the run: prints one object of counts.
#   jq -f tests/live/perfetto_check.jq TRACE
# Rules (the Trace Event Format of the Chromium project): every "B" has
# its "E" on the same thread, innermost first; every async "b" its "e"
# with the same id; timestamps do not go back on any track; slices of a
# thread ("B"/"E" and "X") nest; every flow "s" has one "f" of its id,
# not earlier.
def eps: 0.0005;	# times are written in microseconds with 3 decimals

def thread_key: "\(.pid)/\(.tid)";

# {bad: unmatched, iv: intervals} of the begin/end events of one track,
# in file order: ph $open begins, anything else ends
def pair($open):
  reduce .[] as $e ({stack: [], bad: 0, iv: []};
    if $e.ph == $open then .stack += [$e]
    elif (.stack | length) == 0 or .stack[-1].name != $e.name then .bad += 1
    else .iv += [[.stack[-1].ts, $e.ts]] | .stack |= .[:-1]
    end)
  | {bad: (.bad + (.stack | length)), iv};

# number of intervals [b, e] that begin inside another and end after it
def misnested:
  sort_by(.[0], -.[1])
  | reduce .[] as $i ({stack: [], bad: 0};
      .stack |= map(select(.[1] > $i[0] + eps))
      | if (.stack | length) > 0 and $i[1] > .stack[-1][1] + eps
        then .bad += 1 else .stack += [$i] end)
  | .bad;

def nonmonotonic:
  reduce .[] as $e ({last: null, bad: 0};
    if .last != null and $e.ts < .last - eps then .bad += 1 else . end
    | .last = $e.ts)
  | .bad;

.traceEvents as $ev
| ($ev | map(select(.ph != "M"))) as $t
| ($t | map(select(.ph == "B" or .ph == "E" or .ph == "X" or .ph == "i"))
      | group_by(thread_key)) as $threads
| ($t | map(select(.ph == "b" or .ph == "e")) | group_by(.id)) as $async
| ($threads | map(map(select(.ph == "B" or .ph == "E")) | pair("B"))) as $be
| ($async | map(pair("b"))) as $ab
| {
    unmatched_B_E: ($be | map(.bad) | add // 0),
    unmatched_b_e: ($ab | map(.bad) | add // 0),
    nonmonotonic: (($threads + $async) | map(nonmonotonic) | add // 0),
    misnested: ([range($threads | length)] | map(
        ($be[.].iv + ($threads[.] | map(select(.ph == "X") | [.ts, .ts + .dur])))
        | misnested) | add // 0),
    async_misnested: ($ab | map(.iv | misnested) | add // 0),
    flows_s: ($t | map(select(.ph == "s")) | length),
    flows_f: ($t | map(select(.ph == "f")) | length),
    flows_unpaired: ($t | map(select(.ph == "s" or .ph == "f"))
        | group_by(.id)
        | map(select(length != 2 or .[0].ph != "s" or .[1].ph != "f"
                     or .[1].ts < .[0].ts - eps)) | length),
    ios: ($t | map(select(.cat == "dio" and (.ph == "B" or (.ph == "b" and .args.io != null)))) | length),
    churn_pairs_in_ios: ($t | map(select(.cat == "dio" and (.ph == "B" or .ph == "b")) | .args.churn_pairs // 0) | add // 0),
    splits: ($t | map(select(.cat == "extent" and .name == "split")) | length),
    merges: ($t | map(select(.cat == "extent" and .name == "merge")) | length),
    header_ios: .otherData.ios,
    header_churn_pairs: .otherData.churn_pairs
  }
