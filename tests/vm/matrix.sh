#!/bin/sh
# matrix.sh OUT -- every VM test file (tests/vm/*.bats, the slow forms too)
# on every suite in $SUITES, one bats run a file; writes the table test x
# suite (pass/fail/skip, seconds) to OUT with the date, the commit and the
# machine's load. Exit 1 if any test failed. `make check-matrix` runs it.
set -eu
out=${1:?usage: matrix.sh OUT}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
suites=${SUITES:-bookworm trixie}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for s in $suites; do
	(SUITE=$s VM_DIR= . "$here/suite.sh") || exit 2
done

start=$(date +%s)
# the commit tested is the one at the start: HEAD may move meanwhile
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
failed=0
for s in $suites; do
	for f in "$here"/*.bats; do
		name=$(basename "$f" .bats)
		echo "== matrix: $s $name" >&2
		# a failing file goes on to the next: the table is the point
		SUITE=$s VM_DIR=${CACHE:-$repo/.cache}/vm-$s WB_SLOW=1 bats -T "$f" >"$tmp/$s.$name.tap" 2>&1 || failed=1
		# "ok 3 NAME in 1234ms # skip WHY" -> file TAB name TAB result TAB seconds
		awk -v file="$name" -v suite="$s" '
			/^(not )?ok [0-9]+ / {
				res = ($1 == "not") ? "FAIL" : "pass"
				line = $0
				sub(/^(not )?ok [0-9]+ /, "", line)
				if (line ~ / # skip/) { res = "skip"; sub(/ # skip.*/, "", line) }
				ms = 0
				if (match(line, / in [0-9]+ms$/)) {
					ms = substr(line, RSTART + 4, RLENGTH - 6) + 0
					line = substr(line, 1, RSTART - 1)
				}
				printf "%s\t%s\t%s\t%s\t%.1f\n", suite, file, line, res, ms / 1000
			}' "$tmp/$s.$name.tap" >>"$tmp/rows"
		grep -q . "$tmp/$s.$name.tap" || failed=1
		tail -n 40 "$tmp/$s.$name.tap" | grep -E '^(not ok|# )' >&2 || true
	done
done
secs=$(( $(date +%s) - start ))
load1=$(cut -d' ' -f1-3 /proc/loadavg)
dirty=$(git -C "$repo" status --porcelain 2>/dev/null | grep -qv '^??' && echo " (with uncommitted changes)" || true)
{
	echo "# VM test matrix"
	echo
	echo "\`make check-matrix\` on $(date -u +%Y-%m-%d), commit $commit$dirty, $(nproc) cores,"
	echo "load $load0 at the start and $load1 at the end; $((secs / 60)) min $((secs % 60)) s in all."
	echo "Suites: $suites."
	echo
	printf '| file | test |'
	for s in $suites; do printf ' %s |' "$s"; done
	echo
	printf '| --- | --- |'
	for s in $suites; do printf ' --- |'; done
	echo
	# one row a test, one column a suite: "pass 12.3 s"
	awk -F '\t' -v suites="$suites" '
		{ key = $2 "\t" $3; if (!(key in seen)) { seen[key] = 1; order[++n] = key }
		  cell[key, $1] = $4 " " $5 " s" }
		END {
			ns = split(suites, s, " ")
			for (i = 1; i <= n; i++) {
				split(order[i], k, "\t")
				gsub(/\|/, "\\|", k[2])
				row = "| " k[1] " | " k[2] " |"
				for (j = 1; j <= ns; j++)
					row = row " " ((order[i], s[j]) in cell ? cell[order[i], s[j]] : "not run") " |"
				print row
			}
		}' "$tmp/rows"
	echo
	echo "Totals: $(grep -c '	pass	' "$tmp/rows") passed, $(grep -c '	FAIL	' "$tmp/rows") failed, $(grep -c '	skip	' "$tmp/rows") skipped."
} >"$out"
cat "$out"
[ "$failed" = 0 ] && ! grep -q '	FAIL	' "$tmp/rows"
