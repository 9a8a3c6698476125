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

# next-sync (WARMBOOT_REBOOT=kexec): warmboot-next.service's ExecStart, also
# run by the kernel hooks and the initramfs post-update hook.
next_sync() { run --separate-stderr "$TOP/hooks/next-sync" "$@"; }
post_update() {
	run --separate-stderr "$TOP/hooks/post-update.d/warmboot" "$KVER" "$R/boot/initrd.img-$KVER"
}
note() { sed -n "s/^$1=//p" "$R/run/warmboot/reboot"; }
# a field of `warmboot status --json`'s next_reboot
next_field() {
	"$WBREC" status --json | sed -n "s/.*\"next_reboot\":{.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"
}
load_call() {
	printf 'kexec_file_load %s %s "root=/dev/md0 ro quiet" 0x0' \
		"$R/boot/vmlinuz-$KVER" "$R/boot/initrd.img-$KVER"
}

@test "next-sync: WARMBOOT_REBOOT=firmware (the default) loads nothing; status says firmware and why" {
	grep -qx 'WARMBOOT_REBOOT=firmware' "$TOP/etc/default/warmboot"
	next_sync boot
	assert_success
	assert_equal "$(calls)" ""
	assert_equal "$(note via)" firmware
	run "$WBREC" status
	assert_failure 1
	assert_line "next reboot: firmware"
	assert_line "why: WARMBOOT_REBOOT=firmware in $WARMBOOT_DEFAULTS (not kexec)"
	# a word that is neither: reported, firmware
	setting WARMBOOT_REBOOT sometimes
	next_sync boot
	[[ $stderr == *"WARMBOOT_REBOOT=sometimes in $WARMBOOT_DEFAULTS is not kexec or firmware: firmware"* ]]
	assert_equal "$(calls)" ""
	# not a live system (no systemd running): nothing at all
	setting WARMBOOT_REBOOT kexec
	rm -r "$R/run/systemd"
	rm "$R/run/warmboot/reboot"
	next_sync boot
	assert_success
	assert_equal "$(calls)" ""
	[ ! -e "$R/run/warmboot/reboot" ]
}

@test "next-sync: kexec loads the next kernel, notes its initrd's sha256; unchanged, nothing is reloaded" {
	setting WARMBOOT_REBOOT kexec
	setting WARMBOOT_KEXEC_KERNEL "$R/boot/vmlinuz-$KVER"
	next_sync boot
	assert_success
	assert_equal "$(calls)" "$(load_call)"
	[[ $stderr == *"loaded $KVER for the next reboot (boot)"* ]]
	cmp "$R/run/warmboot/kexec" "$R/run/warmboot/preloaded"
	sum=$(sha256sum <"$R/boot/initrd.img-$KVER" | cut -c1-64)
	assert_equal "$(note initrd_sha256)" "$sum"
	echo 1 >"$R/sys/kernel/kexec_loaded"
	assert_equal "$(next_field via)" kexec
	assert_equal "$(next_field release)" "$KVER"
	assert_equal "$(next_field initrd_sha256)" "$sum"
	run "$WBREC" status
	assert_success
	assert_line --regexp "^next reboot: kexec into $KVER with initrd $R/boot/initrd.img-$KVER \(sha256 $sum\) and command line \"root=/dev/md0 ro quiet\", loaded at 20[0-9-]+T[0-9:]+Z$"
	assert_line "why: kept loaded, WARMBOOT_REBOOT=kexec (boot)"
	# the unit's first run in a boot is the boot's; later ones the path unit's
	next_sync warmboot-next.service
	[[ $stderr == *"(boot)"* ]]
	next_sync warmboot-next.service
	[[ $stderr == *"(warmboot-next.path or by hand)"* ]]
	# the same files, entries and settings: kept as loaded
	: >"$WARMBOOT_RECORD"
	next_sync boot-loader
	assert_success
	assert_equal "$(calls)" ""
	[[ $stderr == *"next kernel unchanged"* ]]
}

@test "next-sync: update-initramfs' post-update hook reloads a rewritten initrd; a broken one is unloaded, status says why" {
	setting WARMBOOT_REBOOT kexec
	setting WARMBOOT_KEXEC_KERNEL "$R/boot/vmlinuz-$KVER"
	next_sync boot
	echo 1 >"$R/sys/kernel/kexec_loaded"
	: >"$WARMBOOT_RECORD"
	# a new image (another real one), as update-initramfs writes it
	cp "$WB_KEXEC_FIXTURES/itools-gzip.img" "$R/boot/initrd.img-$KVER"
	post_update
	assert_success
	assert_output ""
	assert_equal "$(calls)" "$(load_call)"
	assert_equal "$(next_field initrd_sha256)" "$(sha256sum <"$R/boot/initrd.img-$KVER" | cut -c1-64)"
	# a truncated image fails the check: the loaded kernel goes
	head -c 65536 "$WB_KEXEC_FIXTURES/itools-zstd.img" >"$R/boot/initrd.img-$KVER"
	: >"$WARMBOOT_RECORD"
	post_update
	assert_success
	assert_equal "$(calls)" 'kexec_file_load - - "" 0x1'
	[[ $stderr == *"unloaded $KVER (update-initramfs $KVER $R/boot/initrd.img-$KVER): check failed: initrd: "* ]]
	[[ $stderr == *"next reboot goes through the firmware"* ]]
	[ ! -e "$R/run/warmboot/preloaded" ]
	echo 0 >"$R/sys/kernel/kexec_loaded"
	run "$WBREC" status
	assert_failure 1
	assert_line "next reboot: firmware"
	assert_line --regexp "^why: check of $R/boot/vmlinuz-$KVER failed \(update-initramfs .*\): initrd: .*the compressed data end too early"
	assert_equal "$(next_field via)" firmware
}

@test "next-sync: keeps a kernel loaded by hand; the setting off unloads only its own kernel" {
	setting WARMBOOT_REBOOT kexec
	mkdir -p "$R/run/warmboot"
	printf 'kernel=/boot/other\ninitrd=\nrelease=x\ncmdline=\nloaded_at=1\n' >"$R/run/warmboot/kexec"
	echo 1 >"$R/sys/kernel/kexec_loaded"
	next_sync boot
	assert_success
	[[ $stderr == *"keeping the kernel loaded by hand (boot): /boot/other"* ]]
	assert_equal "$(calls)" ""
	run "$WBREC" status
	assert_line "why: loaded by \`warmboot load\` or the kernel hook's preload, not kept in step"
	# the postinst hook's preload, with the setting off: left to WARMBOOT_HOOK_PRELOAD
	rm "$R/run/warmboot/kexec"
	echo 0 >"$R/sys/kernel/kexec_loaded"
	setting WARMBOOT_REBOOT firmware
	postinst "$KVER"
	echo 1 >"$R/sys/kernel/kexec_loaded"
	: >"$WARMBOOT_RECORD"
	next_sync settings
	assert_equal "$(calls)" ""
	cmp "$R/run/warmboot/kexec" "$R/run/warmboot/preloaded"
	# turned on: it becomes next-sync's (reloaded); turned off: unloaded
	setting WARMBOOT_REBOOT kexec
	next_sync settings
	assert_equal "$(calls)" "$(load_call)"
	: >"$WARMBOOT_RECORD"
	setting WARMBOOT_REBOOT firmware
	next_sync settings
	assert_equal "$(calls)" 'kexec_file_load - - "" 0x1'
	[[ $stderr == *"unloaded $KVER (settings): WARMBOOT_REBOOT=firmware in $WARMBOOT_DEFAULTS"* ]]
}

@test "kernel hooks with WARMBOOT_REBOOT=kexec: next-sync loads instead of the preload, once; after a removal, again" {
	setting WARMBOOT_REBOOT kexec
	postinst "$KVER"
	assert_success
	assert_output ""
	assert_equal "$(calls)" "$(load_call)"
	[[ $stderr == *"loaded $KVER for the next reboot (kernel $KVER installed)"* ]]
	assert_equal "$(note via)" kexec
	echo 1 >"$R/sys/kernel/kexec_loaded"
	: >"$WARMBOOT_RECORD"
	postrm "$KVER"
	assert_success
	# forgotten and unloaded by postrm; next-sync finds no staged kernel and
	# tries the boot loader's default (under /: none here, or the host's)
	[[ $stderr == *"no longer staged"* ]]
	[[ $(calls) == 'kexec_file_load - - "" 0x1'* ]]
	# the hooks are quiet when the package is gone
	WB_LIB=$BATS_TEST_TMPDIR/gone post_update
	assert_success
	assert_equal "$stderr" ""
}

@test "units: warmboot-next.service at boot, warmboot-next.path on the boot loader's files and the settings" {
	s=$TOP/hooks/systemd/warmboot-next.service p=$TOP/hooks/systemd/warmboot-next.path
	grep -qx 'WantedBy=multi-user.target' "$s"
	grep -qx 'After=local-fs.target' "$s"
	grep -qx 'Type=oneshot' "$s"
	grep -qx 'ExecStart=/usr/lib/warmboot/next-sync warmboot-next.service' "$s"
	grep -qx 'SyslogIdentifier=warmboot' "$s"
	for f in /boot/grub/grub.cfg /boot/grub/grubenv /boot/loader/entries /etc/default/warmboot; do
		grep -qx "PathChanged=$f" "$p" || fail "$p does not watch $f"
	done
	grep -qx 'Unit=warmboot-next.service' "$p"
	run sh -n "$TOP/hooks/next-sync"
	assert_success
	if command -v systemd-analyze >/dev/null; then
		d=$BATS_TEST_TMPDIR/units
		mkdir -p "$d"
		cp "$s" "$p" "$d/"
		sed -i "s|^ExecStart=/usr/lib/warmboot/next-sync|ExecStart=$TOP/hooks/next-sync|" "$d/warmboot-next.service"
		run systemd-analyze verify --man=no "$d/warmboot-next.service" "$d/warmboot-next.path"
		assert_success
	fi
}
