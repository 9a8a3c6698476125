#!/usr/bin/env bats
# The --help texts: stored compressed in the binary (mk/help-blob.sh,
# helper/help.c), printed byte for byte as their source files hold them.

load helper

commands() {
	"$WB" --help | awk '/^Commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }'
}

@test "help: each command's --help and -h are cmd/NAME.help then exit-status.help" {
	n=0
	for c in $(commands); do
		cat "$TOP/helper/cmd/$c.help" "$TOP/helper/exit-status.help" >"$BATS_TEST_TMPDIR/want"
		for opt in --help -h; do
			"$WB" "$c" "$opt" >"$BATS_TEST_TMPDIR/got" ||
				fail "warmboot $c $opt exited $?"
			cmp "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got" ||
				fail "warmboot $c $opt differs from helper/cmd/$c.help: $(diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got")"
		done
		n=$((n + 1))
	done
	[ "$n" -eq 12 ] || fail "$n commands in warmboot --help, 12 expected"
}

@test "help: warmboot --help is warmboot.help, the command table, exit-status.help" {
	"$WB" --help >"$BATS_TEST_TMPDIR/got"
	head_lines=$(wc -l <"$TOP/helper/warmboot.help")
	head -n "$head_lines" "$BATS_TEST_TMPDIR/got" | cmp - "$TOP/helper/warmboot.help"
	tail -c "$(wc -c <"$TOP/helper/exit-status.help")" "$BATS_TEST_TMPDIR/got" |
		cmp - "$TOP/helper/exit-status.help"
	# between them one line per command, its summary from cmd/NAME.c
	run sh -c "sed -n '$((head_lines + 1)),\$p' '$BATS_TEST_TMPDIR/got' | sed '/^\$/,\$d'"
	assert_line --index 0 --regexp '^  modules    load drivers'
	assert_line --index 11 --regexp '^  unload     unload the kernel'
	[ "${#lines[@]}" -eq 12 ]
	for a in help -h; do
		"$WB" "$a" | cmp - "$BATS_TEST_TMPDIR/got"
	done
}

@test "help: every cmd/NAME.help belongs to a command" {
	for f in "$TOP"/helper/cmd/*.help; do
		c=${f##*/}
		c=${c%.help}
		commands | grep -qx "$c" || fail "helper/cmd/$c.help: no command $c in warmboot --help"
	done
}

@test "help: the texts are stored compressed, not as strings in the binary" {
	run grep -c -a -F "Usage: warmboot assemble" "$WB"
	assert_output 0
	run grep -c -a -F "Exit status: 0 success" "$WB"
	assert_output 0
}
