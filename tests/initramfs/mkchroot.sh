#!/bin/sh
# mkchroot.sh SUITE DIR -- a minimal Debian SUITE (bookworm, trixie) in
# DIR/root, made by mmdebstrap from deb.debian.org (SUITE, SUITE-updates,
# SUITE-security) with the archive keyring: neither the host's sources nor
# its apt configuration are read, so a bookworm host makes a trixie chroot.
# What the real initramfs-tools tier needs: the suite's kernel
# (linux-image-amd64), initramfs-tools, busybox, e2fsprogs, mdadm (for
# coexistence and the default-path bench), udev and kmod; lvm2, cryptsetup,
# cryptsetup-initramfs for the stacked roots (tests/vm/stacks.bats).  Nothing of
# warmboot is installed here: mkimage.sh adds it with `make install DESTDIR=`
# on an overlay.
#   DIR/root     the system          DIR/kver   its kernel version
#   DIR/vmlinux  that kernel uncompressed, for qemu -kernel (PVH boot): the
#                images' guests boot the kernel their modules belong to
#   DIR/suite    SUITE               DIR/versions  kernel, initramfs-tools,
#                mdadm, udev, busybox as installed ("PACKAGE VERSION" lines)
#   DIR/stamp    written last; its presence makes re-runs no-ops
# The caller names DIR by a hash of SUITE and this script (mk/initramfs.mk),
# so editing the package list rebuilds.  Cold: ~3-5 min, mostly downloads.
set -eu
suite=${1:?usage: mkchroot.sh SUITE DIR} dir=${2:?usage: mkchroot.sh SUITE DIR}
[ -f "$dir/stamp" ] && exit 0
here=$(cd "$(dirname "$0")" && pwd)
say() { printf 'mkchroot: %s\n' "$*" >&2; }
die() { printf 'mkchroot: fatal: %s\n' "$*" >&2; exit 1; }
case $suite in
bookworm | trixie) ;;
*) die "unknown suite '$suite' (bookworm or trixie)" ;;
esac
command -v mmdebstrap >/dev/null || die "mmdebstrap not installed (tests/initramfs/apt-packages)"
keyring=/usr/share/keyrings/debian-archive-keyring.gpg
[ -f "$keyring" ] || die "no $keyring (debian-archive-keyring, tests/initramfs/apt-packages)"

# One list; other areas (root stacks: lvm2, cryptsetup-initramfs) add to it.
pkgs=linux-image-amd64,initramfs-tools,busybox,e2fsprogs,mdadm,udev,kmod,zstd,cpio,lvm2,cryptsetup,cryptsetup-initramfs

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -rf "$dir/root"
mirror=http://deb.debian.org
say "mmdebstrap $suite ($pkgs) from $mirror into $dir/root"
# No initramfs while installing: INITRD=No makes the kernel's postinst hook
# skip it; mkimage.sh builds the images we test.
INITRD=No mmdebstrap --mode=root --variant=minbase --include="$pkgs" \
	--keyring="$keyring" \
	--aptopt='APT::Install-Recommends "false"' \
	--customize-hook='rm -f "$1"/boot/initrd.img-*' \
	"$suite" "$dir/root" \
	"deb $mirror/debian $suite main" \
	"deb $mirror/debian $suite-updates main" \
	"deb $mirror/debian-security $suite-security main" \
	>"$dir/mmdebstrap.log" 2>&1 || die "mmdebstrap failed, see $dir/mmdebstrap.log"
# /lib is /usr/lib in both suites' merged-/usr layout
kver=$(ls "$dir/root/usr/lib/modules" | sort -V | tail -n 1)
[ -n "$kver" ] && [ -f "$dir/root/boot/vmlinuz-$kver" ] || die "no kernel in the chroot"
echo "$kver" >"$dir/kver"
"$here/../vm/extract-vmlinux.sh" "$dir/root/boot/vmlinuz-$kver" >"$dir/vmlinux.tmp" ||
	die "no vmlinux in /boot/vmlinuz-$kver"
mv "$dir/vmlinux.tmp" "$dir/vmlinux"
echo "$suite" >"$dir/suite"
chroot "$dir/root" dpkg-query -W -f '${Package} ${Version}\n' "linux-image-$kver" \
	initramfs-tools mdadm udev busybox >"$dir/versions"
date -u +%FT%TZ >"$dir/stamp"
say "$suite: kernel $kver, chroot ready in $dir"
