#!/usr/bin/env bats
# contrib/ansible on this host, no guest: ansible-lint (Debian's 6.13) is
# clean, the playbook parses against the example inventory and rolls in
# batches that stop at the first failed host, and the role's md-state
# compares what it recorded. The role against real hosts: tests/vm/ansible.bats.
load helper

ANS=$TOP/contrib/ansible
MDSTATE=$ANS/roles/warmboot/files/md-state

@test "ansible: ansible-lint finds nothing in contrib/ansible" {
	command -v ansible-lint >/dev/null || fail "ansible-lint not installed (tests/vm/apt-packages)"
	cd "$ANS"
	run env NO_COLOR=1 ANSIBLE_LOCAL_TEMP="$HOME/tmp" ansible-lint --offline rolling-reboot.yml roles/warmboot
	assert_success
	assert_output --partial 'Passed with production profile: 0 failure(s), 0 warning(s)'
}

@test "ansible: rolling-reboot.yml parses; serial batches, max_fail_percentage 0" {
	command -v ansible-playbook >/dev/null || fail "ansible-core not installed (tests/vm/apt-packages)"
	run env ANSIBLE_LOCAL_TEMP="$HOME/tmp" ansible-playbook --syntax-check \
		-i "$ANS/inventory.example.ini" "$ANS/rolling-reboot.yml"
	assert_success
	run env ANSIBLE_LOCAL_TEMP="$HOME/tmp" ansible-playbook --list-hosts \
		-i "$ANS/inventory.example.ini" "$ANS/rolling-reboot.yml"
	assert_success
	assert_line --partial 'hosts (3):'
	run python3 -c 'import sys, yaml
p = yaml.safe_load(open(sys.argv[1]))[0]
print(p["max_fail_percentage"], p["serial"], [r["role"] for r in p["roles"]])' "$ANS/rolling-reboot.yml"
	assert_output "0 {{ warmboot_serial | default(1) }} ['warmboot']"
}

@test "ansible: md-state says same for what it saved, what differs otherwise, 2 on bad usage" {
	run "$MDSTATE" save
	assert_failure 2
	run "$MDSTATE" check "$BATS_TEST_TMPDIR/none"
	assert_failure 2
	assert_output --partial 'unable to read'
	run "$MDSTATE" save "$BATS_TEST_TMPDIR/before"
	assert_success
	run "$MDSTATE" check "$BATS_TEST_TMPDIR/before"
	assert_success
	assert_output ''
	# an array recorded before that is not there now
	echo 'uuid=0d5c5f31-0000-0000-0000-000000000001 level=raid1 disks=2 degraded=0 state=running members=0:sda1,1:sdb1' \
		>>"$BATS_TEST_TMPDIR/before"
	run "$MDSTATE" check "$BATS_TEST_TMPDIR/before"
	assert_failure 1
	assert_line 'before: uuid=0d5c5f31-0000-0000-0000-000000000001 level=raid1 disks=2 degraded=0 state=running members=0:sda1,1:sdb1'
}
