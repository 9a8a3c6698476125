#!/usr/bin/env bats
# The binary's size budget: it goes into every initramfs and is read at
# every boot.

load helper

BUDGET=307200

@test "size: helper/warmboot stripped is within its budget of 300 KiB (307,200 bytes)" {
	size=$(stat -c %s "$WB")
	[ "$size" -le "$BUDGET" ] ||
		fail "helper/warmboot is $size bytes stripped, $((size - BUDGET)) over its budget of $BUDGET (300 KiB): find the growth with 'nm -S --size-sort' on an unstripped link, or make room before adding"
}
