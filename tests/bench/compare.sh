#!/usr/bin/env bash
# compare.sh: time spork against bash and dash on the shared benchmark cases.
#
# For each case in ../shared/bench (relative to the repository root; override
# with BENCH=dir) it runs dash, bash and spork in paired rounds
# (dash bash spork, dash bash spork, ... ROUNDS times), takes the median wall
# time per shell, and prints a table:
#
#   case  N  dash(s)  bash/dash  spork/dash  spork/bash  check
#
# "check" is "ok" when spork's stdout equals dash's (the cases print
# checksums or counts), "DIFF" otherwise. spork runs in its default launch
# mode (fork); with SPAWN=1 it also runs with -o spawnmode in every round,
# and a spawn/dash column is added.
#
# Environment:
#   SPORK=/path/to/spork   binary to test (default: go build ./cmd/spork
#                          into a temporary directory, with CGO_ENABLED=0:
#                          see CGO below)
#   CGO=1                  build with the toolchain's default cgo setting
#                          instead (os/user and net, which readline imports,
#                          link the C library when cgo is on: about
#                          1 to 2.5 ms more per start-up, see README.md)
#   SPAWN=1                also measure spork -o spawnmode
#   DASH=dash BASH_BIN=bash  the reference shells
#   CASES="arith func"     cases to run (default: all, see list below)
#   ROUNDS=5               rounds per case
#   N=1000                 size for every case (default: each case's own
#                          default, see ../shared/bench/README.md);
#                          N_arith=200000 sets one case only
#   BENCH=dir              benchmark directory
#
# Examples:
#   tests/bench/compare.sh
#   SPORK=/bin/bash CASES="arith func" ROUNDS=3 tests/bench/compare.sh
#
# Cases: arith arith-colon extcmd func strings pipe-throughput pipe-create
# cmdsubst bigmem readloop heredoc startup. readloop reads a file made once
# with mklines.sh (100000 lines, or N); startup runs `SH=<shell> dash
# startup.sh N` (the driver is always dash, so the loop overhead is the same
# for every shell).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
BENCH=${BENCH:-$root/../shared/bench}
ROUNDS=${ROUNDS:-5}
SPAWN=${SPAWN:-0}
CGO=${CGO:-0}
DASH=${DASH:-dash}
BASH_BIN=${BASH_BIN:-bash}
ALL="arith arith-colon extcmd func strings pipe-throughput pipe-create cmdsubst bigmem readloop heredoc startup"
CASES=${CASES:-$ALL}

if [ ! -d "$BENCH" ]; then
	echo "compare.sh: benchmark directory $BENCH not found" >&2
	exit 2
fi
if [ "${EPOCHREALTIME:-}" = "" ]; then
	echo "compare.sh: needs bash 5 (EPOCHREALTIME)" >&2
	exit 2
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/spork-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

if [ -z "${SPORK:-}" ]; then
	echo "building spork (CGO_ENABLED=${CGO/1/default})..." >&2
	if [ "$CGO" = 1 ]; then
		build() { go build -o "$tmp/spork" ./cmd/spork; }
	else
		build() { CGO_ENABLED=0 go build -o "$tmp/spork" ./cmd/spork; }
	fi
	if ! (cd "$root" && build); then
		echo "compare.sh: go build ./cmd/spork failed (set SPORK=... to use another binary)" >&2
		exit 2
	fi
	SPORK=$tmp/spork
fi
DASH=$(command -v "$DASH") || { echo "no dash" >&2; exit 2; }
BASH_BIN=$(command -v "$BASH_BIN") || { echo "no bash" >&2; exit 2; }
SPORK=$(command -v "$SPORK") || { echo "no spork binary" >&2; exit 2; }

# case_n CASE: the N for a case ("" = the script's own default).
case_n() {
	local var="N_${1//-/_}"
	if [ -n "${!var:-}" ]; then
		echo "${!var}"
	elif [ -n "${N:-}" ]; then
		echo "$N"
	fi
}

# run_once SHELL CASE N OUTFILE: run one case, print elapsed seconds.
# SHELL is a path, or a path and options ("spork -o spawnmode").
run_once() {
	local sh=$1 c=$2 n=$3 out=$4 t0 t1
	local -a cmd
	read -ra cmd <<<"$sh"
	t0=$EPOCHREALTIME
	case $c in
	startup)
		SH=$sh N=${n:-1000} "$DASH" "$BENCH/startup.sh" >"$out" 2>&1 ;;
	readloop)
		"${cmd[@]}" "$BENCH/readloop.sh" "$tmp/lines" >"$out" 2>&1 ;;
	*)
		if [ -n "$n" ]; then
			N=$n "${cmd[@]}" "$BENCH/$c.sh" >"$out" 2>&1
		else
			env -u N "${cmd[@]}" "$BENCH/$c.sh" >"$out" 2>&1
		fi ;;
	esac
	t1=$EPOCHREALTIME
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f\n", b - a }'
}

median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.4f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

built="given"
[ "$SPORK" = "$tmp/spork" ] && built="built, CGO_ENABLED=${CGO/1/default}"
printf '# dash=%s bash=%s spork=%s (%s) rounds=%s\n' "$DASH" "$BASH_BIN" "$SPORK" "$built" "$ROUNDS"
if [ "$SPAWN" = 1 ]; then
	printf '%-16s %10s %9s %10s %11s %11s %11s %6s\n' case N dash-s bash/dash spork/dash spork/bash spawn/dash check
else
	printf '%-16s %10s %9s %10s %11s %11s %6s\n' case N dash-s bash/dash spork/dash spork/bash check
fi
for c in $CASES; do
	if [ "$c" != startup ] && [ ! -f "$BENCH/$c.sh" ]; then
		echo "compare.sh: unknown case $c" >&2
		continue
	fi
	n=$(case_n "$c")
	if [ "$c" = readloop ]; then
		"$DASH" "$BENCH/mklines.sh" "${n:-100000}" "$tmp/lines"
	fi
	: >"$tmp/t.dash"; : >"$tmp/t.bash"; : >"$tmp/t.spork"; : >"$tmp/t.spawn"
	r=0
	while [ "$r" -lt "$ROUNDS" ]; do
		run_once "$DASH" "$c" "$n" "$tmp/o.dash" >>"$tmp/t.dash"
		run_once "$BASH_BIN" "$c" "$n" "$tmp/o.bash" >>"$tmp/t.bash"
		run_once "$SPORK" "$c" "$n" "$tmp/o.spork" >>"$tmp/t.spork"
		if [ "$SPAWN" = 1 ]; then
			run_once "$SPORK -o spawnmode" "$c" "$n" "$tmp/o.spawn" >>"$tmp/t.spawn"
		fi
		r=$((r + 1))
	done
	d=$(median <"$tmp/t.dash")
	b=$(median <"$tmp/t.bash")
	s=$(median <"$tmp/t.spork")
	check=ok
	cmp -s "$tmp/o.dash" "$tmp/o.spork" || check=DIFF
	sp=""
	if [ "$SPAWN" = 1 ]; then
		sp=$(median <"$tmp/t.spawn")
		cmp -s "$tmp/o.dash" "$tmp/o.spawn" || check=DIFF
	fi
	case $c in
	startup) shown=${n:-1000} ;;
	readloop) shown=${n:-100000} ;;
	*) shown=${n:-default} ;;
	esac
	awk -v c="$c" -v n="$shown" -v d="$d" -v b="$b" -v s="$s" -v sp="$sp" -v k="$check" 'BEGIN {
		printf "%-16s %10s %9.3f %10.2f %11.2f %11.2f", c, n, d,
			(d > 0 ? b / d : 0), (d > 0 ? s / d : 0), (b > 0 ? s / b : 0)
		if (sp != "") printf " %11.2f", (d > 0 ? sp / d : 0)
		printf " %6s\n", k
	}'
done
