#!/usr/bin/env bats
# doc/warmboot.8 against the program: every command of `warmboot --help` has
# a section, and in each section the long options are exactly those of
# `warmboot CMD --help` (--help itself is documented once, for all).
load helper

MAN=$TOP/doc/warmboot.8

commands() {
	"$WB" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'
}

# Long options in text read on stdin, sorted, one a line.
long_opts() {
	grep -o -- '--[a-z][a-z0-9-]*' | grep -vx -- '--help' | sort -u
}

# The roff text of one command's section(s), with \- made plain.
man_section() {
	awk -v cmd="$1" '
		/^\.S[HS] / { on = ($0 ~ "^\\.SS \"warmboot " cmd "( |\"|$)") }
		on' "$MAN" | sed 's/\\-/-/g'
}

@test "manual: the command list is the program's" {
	run commands
	assert_success
	[ "${#lines[@]}" -ge 12 ]
	for c in "${lines[@]}"; do
		man_section "$c" | grep -q . || fail "no section for '$c' in doc/warmboot.8"
	done
	man_cmds=$(sed -n 's/^\.SS "warmboot \([a-z]*\).*/\1/p' "$MAN" | sort -u)
	assert_equal "$man_cmds" "$(commands | sort -u)"
}

@test "manual: each command's long options are exactly its --help's" {
	bad=
	for c in $(commands); do
		want=$("$WB" "$c" --help | long_opts)
		have=$(man_section "$c" | long_opts)
		if [ "$want" != "$have" ]; then
			bad="$bad
== $c: --help (<) vs doc/warmboot.8 (>)
$(diff <(echo "$want") <(echo "$have") || true)"
		fi
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "manual: kernel parameters, environment and exit codes of --help are documented" {
	plain=$(sed 's/\\-/-/g' "$MAN")
	helps=$("$WB" --help; for c in $(commands); do "$WB" "$c" --help; done)
	params=$(grep -o 'warmboot\.[a-z]*=' <<<"$helps" | sort -u)
	[ -n "$params" ]
	for p in $params warmboot.wait=; do
		grep -q "^\.[BI][RI]* *$p" <<<"$plain" || fail "kernel parameter $p not documented"
	done
	for v in $(grep -o 'WARMBOOT_[A-Z]*' <<<"$helps" | sort -u); do
		grep -q "$v" <<<"$plain" || fail "$v not documented"
	done
	exits=$(awk '/^\.SH EXIT STATUS/{on=1;next} /^\.SH/{on=0} on && /^\.B [0-9]$/{print $2}' "$MAN" | tr '\n' ' ')
	assert_equal "$exits" "0 1 2 3 4 "
	grep -q '0 success; 1 a check found a problem' <<<"$helps"
}

@test "manual: every setting of the host-side defaults section is documented" {
	defaults=$TOP/etc/default/warmboot
	[ -f "$defaults" ] || skip "no etc/default/warmboot"
	vars=$(sed -n 's/^\(WARMBOOT_\(KEXEC\|HOOK\)_[A-Z]*\)=.*/\1/p' "$defaults")
	[ -n "$vars" ]
	for v in $vars; do
		grep -q "^\.B.* $v" "$MAN" || fail "$v not in doc/warmboot.8"
	done
}

@test "manual: man renders it without warnings" {
	command -v man >/dev/null || skip "man not installed"
	run --separate-stderr env MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -l "$MAN"
	assert_success
	assert_equal "$stderr" ""
	assert_line --partial 'warmboot.chain=SPEC'
}
