#!/usr/bin/env bats
# completion/warmboot: driven like bash drives it (COMP_WORDS, COMP_CWORD),
# against the real binary's help texts.
load helper

setup() {
	setup_sealed
	# shellcheck disable=SC1091
	source "$TOP/completion/warmboot"
}

# complete WORD...: COMPREPLY for the last word, sorted, one a line.
complete_words() {
	COMP_WORDS=("$WB" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_warmboot
	printf '%s\n' "${COMPREPLY[@]}" | sort
}

@test "completion: is registered for warmboot" {
	run complete -p warmboot
	assert_output 'complete -F _warmboot warmboot'
}

@test "completion: first word offers every command of warmboot --help" {
	run complete_words ''
	assert_success
	want=$("$WB" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'; echo --help; echo --version)
	assert_output "$(sort <<<"$want")"
	[ "${#lines[@]}" -ge 14 ]
	run complete_words as
	assert_output assemble
}

@test "completion: each command's long options are exactly those of its --help" {
	for c in $("$WB" --help | sed -n '/^Commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
		# without `quoted` commands of other tools (`mdadm --examine --scan`)
		# reboot takes load's options
		want=$( { "$WB" "${c/#reboot/load}" --help | sed 's/`[^`]*`//g' | grep -o -- '--[a-z][a-z0-9-]*'; echo --help; } | sort -u)
		have=$(complete_words "$c" --)
		assert_equal "$c: $have" "$c: $want"
	done
}

@test "completion: short options, and options after other words" {
	run complete_words assemble -
	assert_line -- -R
	assert_line -- --scan
	run complete_words assemble --run --no-d
	assert_output -- --no-degraded
	run complete_words modules --dry-run --st
	assert_output -- --storage
}

@test "completion: arguments of options and of commands" {
	mkdir -p "$BATS_TEST_TMPDIR/d/sub"
	: >"$BATS_TEST_TMPDIR/d/mdadm.conf"
	run complete_words assemble --config "$BATS_TEST_TMPDIR/d/md"
	assert_output "$BATS_TEST_TMPDIR/d/mdadm.conf"
	run complete_words entries --root "$BATS_TEST_TMPDIR/d/"
	assert_output "$BATS_TEST_TMPDIR/d/sub"
	# an option without argument does not swallow the next word
	run complete_words assemble --run --
	assert_line -- --scan
	run complete_words load de
	assert_output default
	run complete_words reboot la
	assert_output latest
	run complete_words reboot --app
	assert_output -- --append
}
