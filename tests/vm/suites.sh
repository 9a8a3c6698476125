#!/bin/sh
# suites.sh MAKE TARGET SUITE... -- run `MAKE SUITE=S TARGET` for every
# SUITE side by side (each guest takes one core: run-guest.sh's slots), each
# line of output prefixed with its suite; exit 1 if any run failed, naming
# it. The artefacts must be built first: two makes building the same cache
# at once would race.
set -eu
make=${1:?usage: suites.sh MAKE TARGET SUITE...}
target=${2:?usage: suites.sh MAKE TARGET SUITE...}
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for s in "$@"; do
	{
		rc=0
		$make --no-print-directory SUITE="$s" "$target" 2>&1 || rc=$?
		echo "$rc" >"$tmp/$s.rc"
	} | sed -u "s/^/$s: /" &
done
wait
failed=
for s in "$@"; do
	[ "$(cat "$tmp/$s.rc" 2>/dev/null)" = 0 ] || failed="$failed $s"
done
[ -z "$failed" ] || { echo "suites.sh: $target failed on:$failed" >&2; exit 1; }
