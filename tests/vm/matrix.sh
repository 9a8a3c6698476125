#!/bin/sh
# matrix.sh OUT -- every VM test file (tests/vm/*.bats, the slow forms too)
# on every suite in $SUITES, one bats run a file; writes the table test x
# suite (pass/fail/skip, seconds) to OUT with the date, the commit and the
# machine's load. Exit 1 if any test failed. `make check-matrix` runs it.
# MATRIX_FILES="tests/vm/A.bats ...": only those files; their rows in OUT
# are replaced, the others kept, and a line under the header says when and
# at which commit they were run again (OUT must have the same suites).
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
files=${MATRIX_FILES:-$(ls "$here"/*.bats)}
if [ -n "${MATRIX_FILES:-}" ]; then
	grep -qx "Suites: $suites." "$out" 2>/dev/null ||
		{ echo "matrix.sh: $out has no table of the suites $suites to update" >&2; exit 2; }
fi

start=$(date +%s)
# the commit tested is the one at the start: HEAD may move meanwhile
commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
# One suite's files in order, rows to $tmp/rows.SUITE; "1" in $tmp/failed.SUITE
# if any file failed. The suites run side by side (a guest takes one core:
# run-guest.sh's slots); each file through make, which sets SUITE's
# variables (IRD, PKG_CACHE, WB_KEXEC_FIXTURES, ...).
run_suite() {
	s=$1
	for f in $files; do
		name=$(basename "$f" .bats)
		echo "== matrix: $s $name" >&2
		# a failing file goes on to the next: the table is the point
		WB_SLOW=1 ${MAKE:-make} -s --no-print-directory -C "$repo" SUITE="$s" \
			VM_FILES="$f" BATS_FLAGS=-T vm-bats >"$tmp/$s.$name.tap" 2>&1 ||
			echo 1 >"$tmp/failed.$s"
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
			}' "$tmp/$s.$name.tap" >>"$tmp/rows.$s"
		grep -q '^ok\|^not ok' "$tmp/$s.$name.tap" || echo 1 >"$tmp/failed.$s"
		tail -n 40 "$tmp/$s.$name.tap" | grep -E '^(not ok|# )' | sed "s/^/$s: /" >&2 || true
	done
}
for s in $suites; do
	run_suite "$s" &
done
wait
failed=0
for s in $suites; do
	cat "$tmp/rows.$s" >>"$tmp/rows" 2>/dev/null || true
	[ -f "$tmp/failed.$s" ] && failed=1
done
secs=$(( $(date +%s) - start ))
load1=$(cut -d' ' -f1-3 /proc/loadavg)
dirty=$(git -C "$repo" status --porcelain 2>/dev/null | grep -qv '^??' && echo " (with uncommitted changes)" || true)

# rows TSV: one table row a test, one column a suite: "pass 12.3 s"
rows() {
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
		}' "$1"
}

# totals TABLE-ROWS: the line under the table
totals() {
	echo "Totals: $(grep -o '| pass ' "$1" | wc -l) passed, $(grep -o '| FAIL ' "$1" | wc -l) failed," \
		"$(grep -o '| skip ' "$1" | wc -l) skipped, $(grep -o '| not run ' "$1" | wc -l) not run."
}

write_full() {
	rows "$tmp/rows" >"$tmp/table"
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
	cat "$tmp/table"
	echo
	totals "$tmp/table"
}

# OUT with the re-run files' rows replaced (each file's rows where its old
# ones were, or in name order among the others), the rest kept as it was.
write_merged() {
	rows "$tmp/rows" >"$tmp/new"
	names=$(for f in $files; do basename "$f" .bats; done | sort | tr '\n' ' ')
	note="Re-run on $(date -u +%Y-%m-%d), commit $commit$dirty, load $load0 -> $load1, $((secs / 60)) min $((secs % 60)) s: $(echo $names | sed 's/ /, /g')."
	awk -v names=" $names" -v note="$note" '
		function file_of(row,  f) { split(row, f, "|"); gsub(/ /, "", f[2]); return f[2] }
		function emit(name,  i) {
			if (done[name]++) return
			for (i = 1; i <= n[name]; i++) print new[name, i]
		}
		function emit_before(name,  i) {
			for (i = 1; i <= nn; i++) if (order[i] < name) emit(order[i])
		}
		FNR == NR { k = file_of($0); if (!(k in n)) order[++nn] = k; new[k, ++n[k]] = $0; next }
		/^Suites: / { print; print note; next }
		/^\| --- / { print; table = 1; next }
		table && /^\| / {
			k = file_of($0); emit_before(k)
			if (index(names, " " k " ")) emit(k); else print
			next
		}
		table { table = 0; emit_before("~") }
		{ print }
		END { if (table) emit_before("~") }
	' "$tmp/new" "$out" >"$tmp/merged"
	sed "s/^Totals: .*/$(totals "$tmp/merged")/" "$tmp/merged"
}

if [ -n "${MATRIX_FILES:-}" ]; then
	write_merged >"$tmp/out" && mv "$tmp/out" "$out"
else
	write_full >"$out"
fi
cat "$out"
[ "$failed" = 0 ] && ! grep -q '	FAIL	' "$tmp/rows"
