#!/usr/bin/env bats
# hooks/: the kernel postinst/postrm hooks and warmboot-kexec.service's loader,
# run as run-parts runs them, against the rig's real Debian bzImage and a real
# mkinitramfs initrd, with the recording binary (its kexec_file_load lines).
load helper

setup() {
	setup_sealed
	require_kernel_artefacts
	mkdir -p "$R/boot" "$R/proc/sys/kernel" "$R/sys/kernel" "$R/run/systemd/system" "$R/dev"
	install_kernel "$KVER"
	echo "BOOT_IMAGE=/boot/vmlinuz-$KVER root=/dev/md0 ro quiet" >"$R/proc/cmdline"
	: >"$R/dev/md0"
	echo 0 >"$R/proc/sys/kernel/kexec_load_disabled"
	echo 0 >"$R/sys/kernel/kexec_loaded"
	printf 'MemTotal: 2048000 kB\nMemAvailable: 1500000 kB\n' >"$R/proc/meminfo"
	export WARMBOOT_ROOT=$R WARMBOOT=$WBREC WB_LIB=$TOP/hooks
	export WARMBOOT_STATE=$BATS_TEST_TMPDIR/state WARMBOOT_DEFAULTS=$BATS_TEST_TMPDIR/default
	cp "$TOP/etc/default/warmboot" "$WARMBOOT_DEFAULTS"
	NEXT=$WARMBOOT_STATE/next
}

# install_kernel VERSION: the real bzImage and initrd under that name.
install_kernel() {
	cp "$WB_VMLINUZ" "$R/boot/vmlinuz-$1"
	cp "$WB_KEXEC_FIXTURES/itools-zstd.img" "$R/boot/initrd.img-$1"
}

# postinst VERSION: the hook as a kernel package's postinst runs it.
postinst() {
	DEB_MAINT_PARAMS="'configure' ''" run --separate-stderr \
		"$TOP/hooks/postinst.d/zz-warmboot" "$1" "$R/boot/vmlinuz-$1"
}
postrm() {
	DEB_MAINT_PARAMS="'remove'" run --separate-stderr \
		"$TOP/hooks/postrm.d/zz-warmboot" "$1" "$R/boot/vmlinuz-$1"
}
# later assignments win when the file is sourced
setting() { printf '%s=%s\n' "$1" "$2" >>"$WARMBOOT_DEFAULTS"; }

@test "hooks: run after initramfs-tools' hook in run-parts order, executable" {
	for d in postinst.d postrm.d; do
		[ -x "$TOP/hooks/$d/zz-warmboot" ]
		run run-parts --test --arg=x "$(mktemp -d)"
		order=$(printf '%s\n' initramfs-tools zz-warmboot dkms | LC_ALL=C sort)
		assert_equal "$(tail -n 1 <<<"$order")" zz-warmboot
	done
	run sh -n "$TOP/hooks/postinst.d/zz-warmboot"
	assert_success
}

@test "postinst: a kernel passing check is staged and preloaded, quietly on stdout" {
	postinst "$KVER"
	assert_success
	assert_output ""
	[[ $stderr == *"kernel $KVER checked and staged"* ]]
	run cat "$NEXT"
	assert_line "version=$KVER"
	assert_line "kernel=$R/boot/vmlinuz-$KVER"
	assert_line "initrd=$R/boot/initrd.img-$KVER"
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER $R/boot/initrd.img-$KVER \"root=/dev/md0 ro quiet\" 0x0"
	cmp "$R/run/warmboot/kexec" "$R/run/warmboot/preloaded"
}

@test "postinst: the settings' append/remove reach check and load" {
	setting WARMBOOT_KEXEC_APPEND "'wb.x=1 it'\\''s'"
	setting WARMBOOT_KEXEC_REMOVE "'quiet ro'"
	postinst "$KVER"
	assert_success
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER $R/boot/initrd.img-$KVER \"root=/dev/md0 wb.x=1 it's\" 0x0"
}

@test "postinst: a failing kernel is reported loudly, not staged, and unstages itself" {
	postinst "$KVER"
	assert_success
	rm "$R/dev/md0"	# root= now names nothing: check's fatal finding
	: >"$WARMBOOT_RECORD"
	postinst "$KVER"
	assert_success
	assert_output ""
	[[ $stderr == *"kernel $KVER FAILED \`warmboot check\` (exit 1)"* ]]
	[[ $stderr == *"fatal   root     root=/dev/md0 names nothing"* ]]
	[[ $stderr == *"NOT staged"* ]]
	[ ! -e "$NEXT" ]
	assert_equal "$(calls)" ""
}

@test "postinst: WARMBOOT_HOOK_STRICT=yes fails the configuration" {
	setting WARMBOOT_HOOK_STRICT yes
	rm "$R/dev/md0"
	postinst "$KVER"
	assert_failure 1
	[[ $stderr == *"failing the kernel's configuration"* ]]
}

@test "postinst: the yes/no settings take every word of hooks/bool" {
	rm "$R/dev/md0"
	for w in on ON y 1 true True; do
		setting WARMBOOT_HOOK_STRICT "$w"
		postinst "$KVER"
		assert_failure 1
		[[ $stderr == *"failing the kernel's configuration"* ]] || fail "WARMBOOT_HOOK_STRICT=$w"
	done
	for w in off Off n 0 false NO ""; do
		setting WARMBOOT_HOOK_STRICT "$w"
		postinst "$KVER"
		assert_success
		[[ $stderr != *"failing"* ]] || fail "WARMBOOT_HOOK_STRICT=$w"
	done
}

@test "postinst: a yes/no setting with another word is reported and its default taken" {
	setting WARMBOOT_HOOK_PRELOAD sure
	setting WARMBOOT_HOOK_STRICT maybe
	rm "$R/dev/md0"
	postinst "$KVER"
	assert_success
	[[ $stderr == *"warning: WARMBOOT_HOOK_STRICT=maybe in $WARMBOOT_DEFAULTS is not yes or no: no"* ]]
	: >"$R/dev/md0"
	postinst "$KVER"
	assert_success
	[[ $stderr == *"warning: WARMBOOT_HOOK_PRELOAD=sure in $WARMBOOT_DEFAULTS is not yes or no: yes"* ]]
	[[ $(calls) == kexec_file_load* ]]
	# empty is the default, as /etc/default/warmboot says: preloaded
	setting WARMBOOT_HOOK_PRELOAD ""
	: >"$WARMBOOT_RECORD"
	postinst "$KVER"
	[[ $stderr != *"is not yes or no"* ]]
	[[ $(calls) == kexec_file_load* ]]
	setting WARMBOOT_HOOK_PRELOAD off
	: >"$WARMBOOT_RECORD"
	postinst "$KVER"
	assert_equal "$(calls)" ""
}

@test "postinst: a corrupt kernel image fails the check" {
	head -c 3000000 "$WB_VMLINUZ" >"$R/boot/vmlinuz-$KVER"
	postinst "$KVER"
	assert_success
	[[ $stderr == *"FAILED"* ]]
	[ ! -e "$NEXT" ]
}

@test "postinst: the newest kernel stays staged; an older one only checked" {
	install_kernel 6.1.0-99-amd64
	postinst 6.1.0-99-amd64
	assert_success
	postinst "$KVER"
	assert_success
	[[ $stderr == *"the newer 6.1.0-99-amd64 stays staged"* ]]
	run cat "$NEXT"
	assert_line version=6.1.0-99-amd64
	# once the newer one is gone, the older takes its place
	rm "$R/boot/vmlinuz-6.1.0-99-amd64"
	postinst "$KVER"
	run cat "$NEXT"
	assert_line "version=$KVER"
}

@test "postinst: only at configure; no version is a warning; nothing in a chroot-like root" {
	DEB_MAINT_PARAMS="'abort-upgrade' '1'" run "$TOP/hooks/postinst.d/zz-warmboot" "$KVER"
	assert_success
	[ ! -e "$NEXT" ]
	run --separate-stderr "$TOP/hooks/postinst.d/zz-warmboot"
	assert_success
	[[ $stderr == *"passed no version"* ]]
	# no systemd running: staged but not loaded
	rm -r "$R/run/systemd"
	postinst "$KVER"
	assert_success
	[ -e "$NEXT" ]
	assert_equal "$(calls)" ""
	# preloading off
	mkdir -p "$R/run/systemd/system"
	setting WARMBOOT_HOOK_PRELOAD no
	postinst "$KVER"
	assert_equal "$(calls)" ""
}

@test "postinst: a kernel loaded by hand is not replaced" {
	mkdir -p "$R/run/warmboot"
	printf 'kernel=/boot/other\ninitrd=\nrelease=x\ncmdline=\nloaded_at=1\n' >"$R/run/warmboot/kexec"
	echo 1 >"$R/sys/kernel/kexec_loaded"
	postinst "$KVER"
	assert_success
	[[ $stderr == *"already loaded by hand"* ]]
	assert_equal "$(calls)" ""
}

@test "postrm: forgets and unloads the removed staged kernel, keeps others" {
	postinst "$KVER"
	echo 1 >"$R/sys/kernel/kexec_loaded"
	: >"$WARMBOOT_RECORD"
	postrm 6.1.0-1-amd64
	assert_success
	[ -e "$NEXT" ]
	DEB_MAINT_PARAMS="'upgrade' '1'" run "$TOP/hooks/postrm.d/zz-warmboot" "$KVER"
	[ -e "$NEXT" ]
	assert_equal "$(calls)" ""
	postrm "$KVER"
	assert_success
	[ ! -e "$NEXT" ]
	[[ $stderr == *"no longer staged"* ]]
	assert_equal "$(calls)" "kexec_file_load - - \"\" 0x1"
	[ ! -e "$R/run/warmboot/preloaded" ]
}

@test "hooks: do nothing once the package is removed but not purged" {
	WB_LIB=$BATS_TEST_TMPDIR/gone postinst "$KVER"
	assert_success
	assert_equal "$stderr" ""
	WB_LIB=$BATS_TEST_TMPDIR/gone postrm "$KVER"
	assert_success
}

# warmboot-kexec.service's ExecStart
kexec_load() { run --separate-stderr "$TOP/hooks/kexec-load"; }

@test "kexec-load: loads the staged kernel; without one, the default entry" {
	setting WARMBOOT_HOOK_PRELOAD no
	postinst "$KVER"
	kexec_load
	assert_success
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER $R/boot/initrd.img-$KVER \"root=/dev/md0 ro quiet\" 0x0"
	rm "$NEXT"
	: >"$WARMBOOT_RECORD"
	kexec_load
	[[ $stderr == *"no kernel staged"* ]]
	# `warmboot load default` looks under / for the boot loader's entries
	[[ $stderr == *"no kernel for 'default'"* || $(calls) == kexec_file_load* ]]
}

@test "kexec-load: WARMBOOT_KEXEC_KERNEL names the kernel" {
	install_kernel 6.1.0-99-amd64
	setting WARMBOOT_KEXEC_KERNEL "$R/boot/vmlinuz-6.1.0-99-amd64"
	kexec_load
	assert_success
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-6.1.0-99-amd64 $R/boot/initrd.img-6.1.0-99-amd64 \"root=/dev/md0 ro quiet\" 0x0"
}

@test "kexec-load: keeps a kernel loaded by hand, reloads the hook's preload" {
	postinst "$KVER"
	echo 1 >"$R/sys/kernel/kexec_loaded"
	: >"$WARMBOOT_RECORD"
	kexec_load
	assert_success
	assert_equal "$(calls)" "kexec_file_load $R/boot/vmlinuz-$KVER $R/boot/initrd.img-$KVER \"root=/dev/md0 ro quiet\" 0x0"
	[ ! -e "$R/run/warmboot/preloaded" ]
	# now the loaded kernel is nobody's preload: kept
	: >"$WARMBOOT_RECORD"
	kexec_load
	assert_success
	[[ $stderr == *"keeping the kernel loaded by hand"* ]]
	assert_equal "$(calls)" ""
}

@test "kexec-load: a failing reload keeps the checked preload; nothing loaded fails" {
	postinst "$KVER"
	echo 1 >"$R/sys/kernel/kexec_loaded"
	mv "$R/boot/vmlinuz-$KVER" "$R/boot/gone"	# /boot unmounted meanwhile
	: >"$WARMBOOT_RECORD"
	kexec_load
	assert_success
	[[ $stderr == *"reloading failed; the kernel preloaded at install boots: $R/boot/vmlinuz-$KVER"* ]]
	assert_equal "$(calls)" ""
	cmp "$R/run/warmboot/kexec" "$R/run/warmboot/preloaded"
	# nothing preloaded, nothing loadable: the unit fails, systemd reboots through firmware
	echo 0 >"$R/sys/kernel/kexec_loaded"
	rm "$R/run/warmboot/preloaded"
	kexec_load
	assert_failure
}

@test "unit: wanted by kexec.target, before systemd-kexec.service, oneshot, no default deps" {
	u=$TOP/hooks/systemd/warmboot-kexec.service
	grep -qx 'WantedBy=kexec.target' "$u"
	grep -qx 'Before=kexec.target systemd-kexec.service' "$u"
	grep -qx 'DefaultDependencies=no' "$u"
	grep -qx 'Type=oneshot' "$u"
	grep -qx 'ExecStart=/usr/lib/warmboot/kexec-load' "$u"
	if command -v systemd-analyze >/dev/null; then
		d=$BATS_TEST_TMPDIR/units
		mkdir -p "$d"
		cp "$u" "$d/"
		# the ExecStart path must exist for verify: point it at the source
		sed -i "s|^ExecStart=.*|ExecStart=$TOP/hooks/kexec-load|" "$d/warmboot-kexec.service"
		run systemd-analyze verify --man=no "$d/warmboot-kexec.service"
		assert_success
	fi
}
