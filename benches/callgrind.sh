#!/usr/bin/env bash
# User-space instructions per call, counted by valgrind's callgrind.
#
# Runs the release build of `benches/compare` (the same loops `cargo bench` times)
# in `--count CASE PEER N` mode under callgrind at two iteration counts and prints
# (Ir(N2) - Ir(N1)) / (N2 - N1) for each case and peer: the instructions one more
# call costs, with start-up and set-up cancelled out. Callgrind counts user space
# only, so the kernel's side of a system call is not in the figure; glibc's
# wrapper is. The loop's own increment-and-branch is in every figure alike.
#
#   benches/callgrind.sh                      # the default cases below
#   benches/callgrind.sh getsockname          # chosen cases (ids from --list)
#   N1=1000 N2=5000 benches/callgrind.sh      # other iteration counts
#   MARKDOWN=1 benches/callgrind.sh           # a Markdown table
set -euo pipefail
cd "$(dirname "$0")/.."

N1=${N1:-1000}
N2=${N2:-11000}
PEERS=(raw bsdsock std socket2 nix)
if [ $# -gt 0 ]; then
    CASES=("$@")
else
    CASES=(getsockopt setsockopt getsockname getsockname6 socket_close
           inet_pton_v4 inet_ntop_v4 inet_pton_v6 inet_ntop_v6)
fi

# bsdsock's targets (instructions per call), from issue 6.
declare -A TARGET=([getsockname]=23 [getsockopt]=22 [setsockopt]=19 [socket_close]=27)

command -v valgrind >/dev/null || { echo "valgrind is not installed" >&2; exit 1; }

bin=$(cargo bench --bench compare --no-run --message-format=json 2>/dev/null |
      sed -n 's/.*"executable":"\([^"]*\)".*/\1/p' | tail -n 1)
[ -x "$bin" ] || { echo "could not build benches/compare" >&2; exit 1; }

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
    echo "  counted $c" >&2
done

verdict() {
    local c=$1 v=${FIG[$1,bsdsock]} raw=${FIG[$1,raw]} t=${TARGET[$1]:-}
    [ -n "$t" ] && [ "$v" != "-" ] || { echo ""; return; }
    awk -v v="$v" -v t="$t" -v raw="$raw" 'BEGIN {
        printf "%s (<= %d; raw %+.1f)", (v <= t ? "met" : "NOT met"), t, v - raw }'
}

echo "User-space instructions per call (callgrind, (Ir(N=$N2) - Ir(N=$N1)) / $((N2 - N1)))"
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
    printf '%-14s' operation; for p in "${PEERS[@]}"; do printf '%10s' "$p"; done
    printf '  bsdsock target\n'
    for c in "${CASES[@]}"; do
        printf '%-14s' "$c"
        for p in "${PEERS[@]}"; do printf '%10s' "${FIG[$c,$p]}"; done
        printf '  %s\n' "$(verdict "$c")"
    done
fi
