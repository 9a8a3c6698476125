#!/bin/sh
# mkchroot.sh SUITE PKG_CACHE IRD -- the Debian SUITE system the package
# tests install warmboot into, in PKG_CACHE/chroot-KEY/root (KEY: a hash of
# SUITE, this script and the source chroot's stamp), with
# PKG_CACHE/chroot-KEY/{kver,kver2,suite,stamp}.
#   - a copy of the initramfs tier's chroot of the same suite
#     (IRD/chroot: tests/initramfs/mkchroot.sh, make initramfs-chroot:
#     kernel, initramfs-tools, busybox, mdadm, udev, kmod, e2fsprogs);
#   - plus systemd as init (systemd, systemd-sysv), for the VM tier, from the
#     chroot's own apt sources (deb.debian.org SUITE): the host's apt is
#     never asked;
#   - PKG_CACHE/debs: a second kernel package with another release string,
#     which the tests install to make the kernel hooks run: the other ABI of
#     linux-image-amd64 the suite's sources offer (main's when the chroot
#     has security's, or the reverse), else the cloud-amd64 flavour of the
#     same kernel.
# Cold: ~1-2 min.  Warm: a no-op.
set -eu
suite=${1:?usage: mkchroot.sh SUITE PKG_CACHE IRD}
pkgcache=${2:?usage: mkchroot.sh SUITE PKG_CACHE IRD}
ird=${3:?usage: mkchroot.sh SUITE PKG_CACHE IRD}
say() { printf 'mkchroot: %s\n' "$*" >&2; }
die() { printf 'mkchroot: fatal: %s\n' "$*" >&2; exit 1; }
src=$ird/chroot
[ -f "$src/stamp" ] || die "no $suite chroot in $src (make initramfs-chroot SUITE=$suite)"
[ "$(cat "$src/suite")" = "$suite" ] || die "$src is $(cat "$src/suite"), not $suite"
key=$( { echo "$suite"; cat "$0" "$src/stamp"; } | sha256sum | cut -c1-16)
mkdir -p "$pkgcache"
pkgcache=$(cd "$pkgcache" && pwd)
dir=$pkgcache/chroot-$key
[ -f "$dir/stamp" ] && exit 0
rm -rf "$pkgcache"/chroot-*
mkdir -p "$dir"
root=$dir/root
pkgs="systemd systemd-sysv"

say "copying $src/root"
cp -a "$src/root" "$root"
mounts="proc sys dev"
for m in $mounts; do mount --bind "/$m" "$root/$m"; done
trap 'for m in $mounts; do umount -l "$root/$m" 2>/dev/null; done' EXIT
in_root() { DEBIAN_FRONTEND=noninteractive INITRD=No LC_ALL=C.UTF-8 chroot "$root" "$@"; }
in_root apt-get update -qq >"$dir/apt.log" 2>&1 ||
	die "apt-get update in the chroot failed, see $dir/apt.log"
# shellcheck disable=SC2086
in_root apt-get install -y -qq --no-install-recommends $pkgs >>"$dir/apt.log" 2>&1 ||
	die "apt-get install in the chroot failed, see $dir/apt.log"
kver=$(cat "$src/kver")
[ -f "$root/boot/vmlinuz-$kver" ] || die "no kernel in the chroot"
echo "$kver" >"$dir/kver"

# The second kernel: another linux-image-amd64 ABI in the suite's sources,
# else the cloud flavour of this one (a real Debian kernel, release
# KVER with -cloud-amd64; virtio, ext4 and md as modules too).
other=$(in_root apt-cache madison linux-image-amd64 | awk '{ print $3 }' |
	while read -r v; do
		in_root apt-cache show "linux-image-amd64=$v" |
			sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p'
	done | grep -vx "linux-image-$kver" | sort -V | tail -n 1) || true
[ -n "$other" ] || other=linux-image-${kver%-amd64}-cloud-amd64
in_root apt-cache show "$other" >/dev/null 2>&1 || die "no second kernel ($other) in the $suite sources"
mkdir -p "$pkgcache/debs"
rm -f "$pkgcache/debs"/*.deb
in_root sh -c "cd /tmp && apt-get download -q $other" >"$dir/download.log" 2>&1 ||
	die "apt-get download $other failed, see $dir/download.log"
mv "$root"/tmp/linux-image-*.deb "$pkgcache/debs/"
for m in $mounts; do umount -l "$root/$m"; done
trap - EXIT
rm -f "$root"/boot/initrd.img-* "$root"/var/lib/initramfs-tools/*
chroot "$root" apt-get clean
echo "${other#linux-image-}" >"$dir/kver2"
echo "$suite" >"$dir/suite"
date -u +%FT%TZ >"$dir/stamp"
say "$suite chroot with kernel $kver in $root; second kernel $(cat "$dir/kver2") in $pkgcache/debs"
