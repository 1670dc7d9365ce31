#!/usr/bin/env bash
# User-space instructions per call, counted by valgrind's callgrind.
#
# Runs the optimized build of `benches/compare` (the same loops `cargo bench`
# times) in `--count CASE PEER N` mode under callgrind at two iteration counts and
# prints (Ir(N2) - Ir(N1)) / (N2 - N1) for each case and peer: the instructions
# one more call costs, with start-up and set-up cancelled out. Callgrind counts
# user space only, so the kernel's side of a system call is not in the figure;
# glibc's wrapper is. The loop's own increment-and-branch is in every figure alike.
#
#   benches/callgrind.sh                        # the default cases below, all peers
#   benches/callgrind.sh getsockname            # chosen cases (ids from --list)
#   PROFILE=bench-fat-lto benches/callgrind.sh  # built with lto = "fat" (Cargo.toml)
#   N1=1000 N2=5000 benches/callgrind.sh        # other iteration counts
#   MARKDOWN=1 benches/callgrind.sh             # a Markdown table
#   benches/callgrind.sh --check                # bsdsock against benches/callgrind.guard
#   benches/callgrind.sh --record               # write the measured figures there
#
# --check exits non-zero when a guarded row of bsdsock measures above the figure
# recorded in benches/callgrind.guard (CI runs it, see .ci/run). The figures are
# exact: the loop does the same work on every call, the text rows cycle through
# eight inputs and N1, N2 are multiples of eight, and start-up cancels in the
# difference, so two runs of one build agree to the last digit. The only slack
# allowed is the rounding of the printed figure to one decimal (+0.05): one more
# instruction on a single-call row is +1.0, and on one of the eight inputs of a
# text row +0.125, and both fail.
set -euo pipefail
cd "$(dirname "$0")/.."

MODE=table
case "${1:-}" in
    --check) MODE=check; shift ;;
    --record) MODE=record; shift ;;
esac
GUARD=benches/callgrind.guard
N1=${N1:-1000}
N2=${N2:-11000}
PROFILE=${PROFILE:-bench}
PEERS=(raw bsdsock std socket2 nix)
if [ "$MODE" != table ]; then
    # The guard's figures hold for the default profile and iteration counts only.
    [ "$PROFILE" = bench ] && [ "$N1" = 1000 ] && [ "$N2" = 11000 ] || {
        echo "--check and --record use the default PROFILE, N1 and N2" >&2; exit 2; }
    PEERS=(bsdsock)
    mapfile -t CASES < <(sed -e 's/#.*//' "$GUARD" | awk 'NF { print $1 }')
elif [ $# -gt 0 ]; then
    CASES=("$@")
else
    CASES=(getsockopt setsockopt getsockname getsockname6 socket_close
           inet_pton_v4 inet_pton_v4_bad inet_ntop_v4 inet_pton_v6 inet_pton_v6_bad inet_ntop_v6
           getnameinfo getnameinfo_buf sendmsg recvmsg)
fi

# bsdsock's targets (instructions per call). getsockopt's 25 is the floor of a call that
# checks the reported length and the value's range and returns Result<T, Error>; an
# inline syscall that bypasses glibc (20) is not wanted: LD_PRELOAD stacks must see it.
declare -A TARGET=([getsockname]=23 [getsockopt]=25 [setsockopt]=19 [socket_close]=27)

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

log=$(mktemp)
trap 'rm -f "$log"' EXIT
bin=$(cargo bench --profile "$PROFILE" --bench compare --no-run --message-format=json 2>"$log" |
      sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
[ -x "$bin" ] || { cat "$log" >&2; echo "could not build benches/compare" >&2; exit 1; }

# Total instructions of one run, or nothing if this peer has no such call.
ir() {
    local out
    out=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null \
          "$bin" --count "$1" "$2" "$3" 2>&1) || return 0
    sed -n 's/.*Collected : \([0-9]*\).*/\1/p' <<<"$out"
}

per_call() {
    local a b
    a=$(ir "$1" "$2" "$N1")
    b=$(ir "$1" "$2" "$N2")
    [ -n "$a" ] && [ -n "$b" ] || { echo "-"; return; }
    awk -v a="$a" -v b="$b" -v n1="$N1" -v n2="$N2" 'BEGIN { printf "%.1f", (b - a) / (n2 - n1) }'
}

declare -A FIG
for c in "${CASES[@]}"; do
    for p in "${PEERS[@]}"; do
        FIG[$c,$p]=$(per_call "$c" "$p")
    done
    [ "$MODE" != table ] || echo "  counted $c" >&2
done

if [ "$MODE" = check ]; then
    echo "bsdsock instructions per call against $GUARD (profile $PROFILE)"
    printf '%-18s %9s %9s\n' case measured recorded
    fail=0
    while read -r c rec; do
        got=${FIG[$c,bsdsock]}
        verdict=$(awk -v g="$got" -v r="$rec" 'BEGIN {
            if (g == "-") print "FAIL (no such case)"
            else if (g > r + 0.05) print "FAIL (rose)"
            else if (g < r - 0.05) print "ok (fell: --record the new figure)"
            else print "ok" }')
        printf '%-18s %9s %9s  %s\n' "$c" "$got" "$rec" "$verdict"
        [[ $verdict == ok* ]] || fail=1
    done < <(sed -e 's/#.*//' "$GUARD" | awk 'NF { print $1, $2 }')
    [ "$fail" = 0 ] || { echo "callgrind guard: a figure rose above its record" >&2; exit 1; }
    echo "callgrind guard: no figure rose"
    exit 0
fi

if [ "$MODE" = record ]; then
    tmp=$(mktemp)
    while IFS= read -r line; do
        read -r c _ <<<"${line%%#*}"
        if [ -n "${c:-}" ]; then printf '%s %s\n' "$c" "${FIG[$c,bsdsock]}"; else printf '%s\n' "$line"; fi
    done <"$GUARD" >"$tmp"
    mv "$tmp" "$GUARD"
    echo "recorded in $GUARD:"; grep -v '^#' "$GUARD"
    exit 0
fi

verdict() {
    local c=$1 v=${FIG[$1,bsdsock]} raw=${FIG[$1,raw]} t=${TARGET[$1]:-}
    [ -n "$t" ] && [ "$v" != "-" ] || { echo ""; return; }
    awk -v v="$v" -v t="$t" -v raw="$raw" 'BEGIN {
        printf "%s (<= %d; raw %+.1f)", (v <= t ? "met" : "NOT met"), t, v - raw }'
}

echo "User-space instructions per call (callgrind, (Ir(N=$N2) - Ir(N=$N1)) / $((N2 - N1)), profile $PROFILE)"
if [ -n "${MARKDOWN:-}" ]; then
    printf '| operation |'; for p in "${PEERS[@]}"; do printf ' %s |' "$p"; done
    printf ' bsdsock target |\n|---|'; for _ in "${PEERS[@]}"; do printf -- '--:|'; done
    printf -- '---|\n'
    for c in "${CASES[@]}"; do
        printf '| %s |' "$c"
        for p in "${PEERS[@]}"; do printf ' %s |' "${FIG[$c,$p]/-/—}"; done
        printf ' %s |\n' "$(verdict "$c")"
    done
else
    printf '%-18s' operation; for p in "${PEERS[@]}"; do printf '%10s' "$p"; done
    printf '  bsdsock target\n'
    for c in "${CASES[@]}"; do
        printf '%-18s' "$c"
        for p in "${PEERS[@]}"; do printf '%10s' "${FIG[$c,$p]}"; done
        printf '  %s\n' "$(verdict "$c")"
    done
fi
