#!/usr/bin/env bats
# The warmboot .deb (make deb) as a user meets it, in a copy of the cached
# bookworm chroot (make package-chroot): contents and maintainer scripts;
# `apt-get install ./warmboot_*.deb`; update-initramfs picking the initramfs
# hook up through the trigger; a second kernel package whose installation
# runs the kernel hooks after initramfs-tools'; removal of that kernel;
# `apt-get remove` and `apt-get purge` leaving nothing behind.
# The tests run in order and share the chroot; needs root.
load helper

setup_file() {
	[ "$(id -u)" = 0 ] || skip "needs root (chroot, mounts)"
	DEB=$(ls "$PKG_OUT"/warmboot_*.deb 2>/dev/null | head -n 1)
	CH=$(ls -d "$PKG_CACHE"/chroot-*/ 2>/dev/null | head -n 1)
	[ -f "$DEB" ] || return 0	# each test fails with the reason
	[ -f "$CH/stamp" ] || return 0
	R=$BATS_FILE_TMPDIR/root
	cp -a "$CH/root" "$R"
	KVER=$(cat "$CH/kver") KVER2=$(cat "$CH/kver2")
	cp "$DEB" "$R/tmp/"
	cp "$PKG_CACHE"/debs/linux-image-"$KVER2"_*.deb "$R/tmp/"
	# /proc with a command line this chroot can satisfy; a small /dev
	mount -t proc proc "$R/proc"
	echo "BOOT_IMAGE=/boot/vmlinuz-$KVER root=/dev/vda ro quiet" >"$BATS_FILE_TMPDIR/cmdline"
	mount --bind "$BATS_FILE_TMPDIR/cmdline" "$R/proc/cmdline"
	mount -t sysfs sysfs "$R/sys"
	# The machine's lockdown is not the system's under test: a kernel without
	# it (a locked-down host would make every check fatal; lockdown.bats and
	# secureboot.bats test lockdown in guests)
	mount -t securityfs securityfs "$R/sys/kernel/security"
	echo "[none] integrity confidentiality" >"$BATS_FILE_TMPDIR/lockdown"
	[ ! -e "$R/sys/kernel/security/lockdown" ] ||
		mount --bind "$BATS_FILE_TMPDIR/lockdown" "$R/sys/kernel/security/lockdown"
	mount -t tmpfs -o mode=755 dev "$R/dev"
	mknod -m 666 "$R/dev/null" c 1 3
	mknod -m 666 "$R/dev/zero" c 1 5
	mknod -m 666 "$R/dev/urandom" c 1 9
	mknod -m 660 "$R/dev/vda" b 254 0
	export DEB KVER KVER2 R
	# Only the modules named (none) and what the hooks add: the images are
	# listed, never booted, and MODULES=most costs minutes per image.
	sed -i 's/^MODULES=.*/MODULES=list/' "$R/etc/initramfs-tools/initramfs.conf"
	# the system before warmboot: with its initrd, as a real one has
	in_chroot update-initramfs -c -k "$KVER" >"$BATS_FILE_TMPDIR/initrd.log" 2>&1
	listing >"$BATS_FILE_TMPDIR/before"
}

teardown_file() {
	[ -n "${R:-}" ] || return 0
	umount "$R/sys/kernel/security/lockdown" 2>/dev/null || true
	umount "$R/proc/cmdline" "$R/proc" "$R/sys/kernel/security" "$R/sys" "$R/dev" 2>/dev/null || true
	rm -rf "$R"
}

setup() {
	[ -f "${DEB:-}" ] || fail "no warmboot .deb in ${PKG_OUT:-PKG_OUT}: run make deb"
	[ -d "${R:-}" ] || fail "no package chroot in ${PKG_CACHE:-PKG_CACHE}: run make package-chroot"
}

in_chroot() {
	DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$R" "$@"
}

# Every path of the system with its type, except what apt, dpkg, logs and
# initramfs-tools legitimately change on any install.
listing() {
	(cd "$R" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp \
		-o -path ./var/lib/dpkg -o -path ./var/cache -o -path ./var/log \
		-o -path ./var/lib/apt -o -path ./boot -o -path ./var/lib/initramfs-tools \
		-o -path './initrd.img*' -o -path './vmlinuz*' \) -prune \
		-o -printf '%y %p\n' | sort)
}

@test "package: files, conffiles, trigger, maintainer scripts" {
	run dpkg-deb -c "$DEB"
	for f in ./usr/sbin/warmboot ./etc/kernel/postinst.d/zz-warmboot \
		./etc/kernel/postrm.d/zz-warmboot ./lib/systemd/system/warmboot-kexec.service \
		./usr/lib/warmboot/functions ./usr/lib/warmboot/kexec-load ./usr/lib/warmboot/bool \
		./usr/lib/warmboot/warmboot-rescue ./usr/share/warmboot/rescue.txt \
		./usr/share/man/man8/warmboot.8.gz ./usr/share/bash-completion/completions/warmboot \
		./etc/default/warmboot ./usr/lib/warmboot/next-sync \
		./etc/initramfs/post-update.d/warmboot ./lib/systemd/system/warmboot-next.service \
		./lib/systemd/system/warmboot-next.path; do
		assert_line --partial " $f"
	done
	# whatever the tree's initramfs-tools hook and scripts are
	for f in $(cd "$TOP" && ls mkinitramfs-hooks/* scripts/*/* 2>/dev/null); do
		case $f in
		mkinitramfs-hooks/*) assert_line --partial " ./usr/share/initramfs-tools/hooks/${f#*/}" ;;
		*) assert_line --partial " ./usr/share/initramfs-tools/$f" ;;
		esac
	done
	d=$BATS_TEST_TMPDIR/ctl
	dpkg-deb -e "$DEB" "$d"
	run cat "$d/conffiles"
	assert_line /etc/default/warmboot
	assert_line /etc/kernel/postinst.d/zz-warmboot
	assert_line /etc/kernel/postrm.d/zz-warmboot
	assert_line /etc/initramfs/post-update.d/warmboot
	if ls "$TOP"/mkinitramfs-hooks/* >/dev/null 2>&1; then
		run cat "$d/triggers"
		assert_line 'activate-noawait update-initramfs'
	fi
	# enabled for kexec.target, never started by the package
	grep -q 'deb-systemd-helper.*enable.*warmboot-kexec.service' "$d/postinst"
	grep -q 'deb-systemd-helper.*enable.*warmboot-next.service' "$d/postinst"
	grep -q 'deb-systemd-helper.*enable.*warmboot-next.path' "$d/postinst"
	! grep -q 'deb-systemd-invoke.*start' "$d/postinst"
	run dpkg-deb -f "$DEB" Built-Using
	assert_output --regexp '^kmod \(= [^)]+\), libzstd \(= [^)]+\), xz-utils \(= [^)]+\), zlib \(= [^)]+\)$'
}

@test "package: apt installs it; the trigger rebuilds the initrd with warmboot" {
	run in_chroot apt-get install -y --no-install-recommends "/tmp/${DEB##*/}"
	assert_success
	assert_output --partial 'Setting up warmboot'
	assert_output --partial "update-initramfs: Generating /boot/initrd.img-$KVER"
	run in_chroot /usr/sbin/warmboot --version
	assert_success
	[ -L "$R/etc/systemd/system/kexec.target.wants/warmboot-kexec.service" ]
	if ls "$TOP"/mkinitramfs-hooks/* >/dev/null 2>&1; then
		run in_chroot lsinitramfs "/boot/initrd.img-$KVER"
		assert_line --regexp '/warmboot$'
	fi
	[ -f "$R/usr/share/man/man8/warmboot.8.gz" ]
}

@test "package: a new kernel package runs the hooks; it is checked and staged" {
	run --separate-stderr in_chroot apt-get install -y --no-install-recommends \
		"/tmp/$(cd "$R/tmp" && ls linux-image-"$KVER2"_*.deb)"
	assert_success
	# initramfs-tools' hook first, then warmboot's, which checks its initrd
	[[ $stderr == *"update-initramfs: Generating /boot/initrd.img-$KVER2"*"warmboot: kernel $KVER2 checked and staged"* ]] ||
		fail "hook order or check output wrong: $stderr"
	run cat "$R/var/lib/warmboot/next"
	assert_line "version=$KVER2"
	assert_line "kernel=/boot/vmlinuz-$KVER2"
	assert_line "initrd=/boot/initrd.img-$KVER2"
	# in a chroot nothing is loaded for kexec
	[ ! -e "$R/run/warmboot/preloaded" ]
	if ls "$TOP"/mkinitramfs-hooks/* >/dev/null 2>&1; then
		run in_chroot lsinitramfs "/boot/initrd.img-$KVER2"
		assert_line --regexp '/warmboot$'
	fi
}

@test "package: reinstalling a kernel that now fails its check unstages it, loudly" {
	# (INITRD=No: initramfs-tools' hook skips; its image is as it was)
	echo "BOOT_IMAGE=/boot/vmlinuz-$KVER root=/dev/vdz ro" >"$BATS_FILE_TMPDIR/cmdline"
	run --separate-stderr in_chroot env INITRD=No DEB_MAINT_PARAMS="'configure' ''" \
		run-parts --report --arg="$KVER2" --arg="/boot/vmlinuz-$KVER2" /etc/kernel/postinst.d
	echo "BOOT_IMAGE=/boot/vmlinuz-$KVER root=/dev/vda ro quiet" >"$BATS_FILE_TMPDIR/cmdline"
	assert_success
	[[ $stderr == *"kernel $KVER2 FAILED \`warmboot check\`"*"root=/dev/vdz names nothing"* ]] ||
		fail "no loud failure: $stderr"
	[ ! -e "$R/var/lib/warmboot/next" ]
	run --separate-stderr in_chroot env INITRD=No DEB_MAINT_PARAMS="'configure' ''" \
		run-parts --arg="$KVER2" --arg="/boot/vmlinuz-$KVER2" /etc/kernel/postinst.d
	assert_success
	grep -qx "version=$KVER2" "$R/var/lib/warmboot/next"
}

@test "package: removing the staged kernel forgets it" {
	run --separate-stderr in_chroot apt-get purge -y "linux-image-$KVER2"
	assert_success
	[[ $stderr == *"kernel $KVER2 removed: no longer staged"* ]] || fail "$stderr"
	[ ! -e "$R/var/lib/warmboot/next" ]
}

@test "package: remove keeps only conffiles; the initrd loses warmboot" {
	run in_chroot apt-get remove -y warmboot
	assert_success
	assert_output --partial "update-initramfs: Generating /boot/initrd.img-$KVER"
	[ ! -e "$R/usr/sbin/warmboot" ]
	[ ! -e "$R/lib/systemd/system/warmboot-kexec.service" ]
	[ -f "$R/etc/default/warmboot" ]
	[ -f "$R/etc/kernel/postinst.d/zz-warmboot" ]
	# the orphaned kernel hooks stay quiet and harmless
	run --separate-stderr in_chroot env DEB_MAINT_PARAMS="'configure' ''" \
		/etc/kernel/postinst.d/zz-warmboot "$KVER" "/boot/vmlinuz-$KVER"
	assert_success
	assert_equal "$stderr" ""
	run in_chroot lsinitramfs "/boot/initrd.img-$KVER"
	refute_line --regexp '/warmboot$'
}

@test "package: purge leaves nothing behind" {
	run in_chroot apt-get purge -y warmboot
	assert_success
	run in_chroot dpkg-query -W -f='${Status}' warmboot
	refute_output --partial installed
	after=$(listing)
	# the second kernel came and went too; nothing else may differ
	run diff <(cat "$BATS_FILE_TMPDIR/before") <(echo "$after")
	assert_success
	[ ! -e "$R/var/lib/warmboot" ]
}
