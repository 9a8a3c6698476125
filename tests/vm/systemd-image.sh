#!/bin/sh
# systemd-image.sh DIR MODE -- the guest of tests/vm/systemd.bats: the
# package chroot (debian/ci/mkchroot.sh, $PKG_CACHE) with the warmboot .deb
# ($PKG_OUT) installed by dpkg, its initrd made by update-initramfs, and
# systemd as init.  MODE full: the second kernel's .deb is left in /root for
# the guest to install; reduced: it is installed here (its initrd built on
# the host, the guest runs only the postinst.d hooks again).
#   DIR/root.img  ext4, the root file system (vda)
#   DIR/vmlinuz DIR/initrd.img  the first kernel and its initrd, for -kernel
#   DIR/kver DIR/kver2 DIR/stamp
# DIR is named by the caller after a hash of the inputs; a DIR with a stamp
# is reused as it is.  Cold: ~1.5 min (reduced), ~1 min (full).
# For other scenarios (tests/vm/reboot.bats):
#   WB_IMAGE_SCENARIO  the scenario run as wbvm-systemd.service (default
#                      systemd-kexec)
#   WB_IMAGE_PKGS      more Debian packages, from the chroot's own sources
#   WB_IMAGE_DEFAULTS  lines appended to the guest's /etc/default/warmboot
set -eu
dir=${1:?usage: systemd-image.sh DIR full|reduced}
mode=${2:?usage: systemd-image.sh DIR full|reduced}
say() { printf 'systemd-image: %s\n' "$*" >&2; }
die() { printf 'systemd-image: fatal: %s\n' "$*" >&2; exit 1; }
[ -f "$dir/stamp" ] && exit 0
top=$(cd "$(dirname "$0")/../.." && pwd)
deb=$(ls "$PKG_OUT"/warmboot_*.deb 2>/dev/null | head -n 1)
ch=$(ls -d "$PKG_CACHE"/chroot-*/ 2>/dev/null | head -n 1)
[ -f "$deb" ] || die "no warmboot .deb in $PKG_OUT (make deb)"
[ -f "$ch/stamp" ] || die "no package chroot in $PKG_CACHE (make package-chroot)"
kver=$(cat "$ch/kver") kver2=$(cat "$ch/kver2")
kdeb=$(ls "$PKG_CACHE"/debs/linux-image-"$kver2"_*.deb)
scenario=${WB_IMAGE_SCENARIO:-systemd-kexec}

rm -rf "$dir"
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
r=$dir/root
cp -a "$ch/root" "$r"
umount_all() {
	for m in proc sys dev; do umount "$r/$m" 2>/dev/null || true; done
}
trap umount_all EXIT
mount -t proc proc "$r/proc"
mount -t sysfs sysfs "$r/sys"
mount -t tmpfs -o mode=755 dev "$r/dev"
mknod -m 666 "$r/dev/null" c 1 3
mknod -m 666 "$r/dev/zero" c 1 5
mknod -m 666 "$r/dev/urandom" c 1 9
in_root() { DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$r" "$@"; }

cp "$deb" "$kdeb" "$r/tmp/"
log=$dir/image.log
# The guest needs little: virtio, ext4 (and what warmboot's hook adds).
# MODULES=most would cost minutes per image under load.
sed -i 's/^MODULES=.*/MODULES=list/' "$r/etc/initramfs-tools/initramfs.conf"
printf '%s\n' virtio_pci virtio_blk ext4 >>"$r/etc/initramfs-tools/modules"
# the package's trigger makes the first initrd
in_root dpkg -i "/tmp/${deb##*/}" >"$log" 2>&1 || die "dpkg -i warmboot failed, see $log"
[ -f "$r/boot/initrd.img-$kver" ] || in_root update-initramfs -c -k "$kver" >>"$log" 2>&1 ||
	die "update-initramfs failed, see $log"
if [ "$mode" = reduced ]; then
	in_root dpkg -i "/tmp/${kdeb##*/}" >>"$log" 2>&1 || die "dpkg -i $kver2 failed, see $log"
	[ -f "$r/boot/initrd.img-$kver2" ] || die "no initrd for $kver2, see $log"
else
	cp "$kdeb" "$r/root/"
fi
if [ -n "${WB_IMAGE_PKGS:-}" ]; then
	{ in_root apt-get update -qq && in_root apt-get install -y -qq --no-install-recommends \
		$WB_IMAGE_PKGS && in_root apt-get clean; } >>"$log" 2>&1 ||
		die "apt-get install $WB_IMAGE_PKGS failed, see $log"
fi
[ -z "${WB_IMAGE_DEFAULTS:-}" ] || printf '%s\n' "$WB_IMAGE_DEFAULTS" >>"$r/etc/default/warmboot"
rm -f "$r/tmp"/*.deb "$r/var/lib/warmboot/next"
umount_all
trap - EXIT

# the guest: root on vda, no getty on the console, no timers, the scenario
echo wbguest >"$r/etc/hostname"
echo '/dev/vda / ext4 rw,errors=remount-ro 0 1' >"$r/etc/fstab"
for u in serial-getty@ttyS0.service getty@tty1.service apt-daily.timer \
	apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service fstrim.timer \
	man-db.timer dpkg-db-backup.timer systemd-timesyncd.service; do
	ln -sf /dev/null "$r/etc/systemd/system/$u"
done
install -m 0755 "$top/tests/vm/scenarios/$scenario" "$r/usr/local/sbin/wbvm-systemd"
cat >"$r/etc/systemd/system/wbvm-systemd.service" <<'UNIT'
[Unit]
Description=warmboot VM test scenario
After=basic.target systemd-udev-settle.service warmboot-next.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/wbvm-systemd
StandardOutput=journal+console
[Install]
WantedBy=multi-user.target
UNIT
mkdir -p "$r/etc/systemd/system/multi-user.target.wants" "$r/var/lib/wbvm"
ln -sf ../wbvm-systemd.service "$r/etc/systemd/system/multi-user.target.wants/"
echo "$kver2" >"$r/var/lib/wbvm/kver2"
echo "$mode" >"$r/var/lib/wbvm/mode"
[ -x "$r/sbin/kexec" ] && die "kexec-tools is in the chroot"

cp "$r/boot/vmlinuz-$kver" "$dir/vmlinuz"
cp "$r/boot/initrd.img-$kver" "$dir/initrd.img"
echo "$kver" >"$dir/kver"
echo "$kver2" >"$dir/kver2"
size=$(du -sm "$r" | cut -f1)
truncate -s $(( size * 2 + 1024 ))M "$dir/root.img"
mkfs.ext4 -q -F -L wbroot -d "$r" "$dir/root.img" >>"$log" 2>&1 || die "mkfs.ext4 -d failed, see $log"
rm -rf "$r"
date -u +%FT%TZ >"$dir/stamp"
say "$mode image ($kver, second kernel $kver2) in $dir"
