#!/bin/sh
# mkchroot.sh PKG_CACHE CACHE -- the bookworm system the package tests
# install warmboot into, in PKG_CACHE/chroot-KEY/root (KEY: a hash of this
# script), with PKG_CACHE/chroot-KEY/{kver,kver2,stamp}.
#   - the initramfs tier's chroot (CACHE/initramfs/chroot-*/root: kernel,
#     initramfs-tools, busybox, mdadm, udev, kmod, e2fsprogs), copied when
#     it exists, else made here by mmdebstrap with the same packages;
#   - plus systemd as init (systemd, systemd-sysv), for the VM tier;
#   - PKG_CACHE/debs: a second kernel package of another ABI (bookworm's
#     linux-image-amd64 in main, when the chroot has security's), which the
#     tests install to make the kernel hooks run.
# Cold: ~1 min from a copy, ~4-5 min by mmdebstrap.  Warm: a no-op.
set -eu
pkgcache=${1:?usage: mkchroot.sh PKG_CACHE CACHE}
cache=${2:?usage: mkchroot.sh PKG_CACHE CACHE}
say() { printf 'mkchroot: %s\n' "$*" >&2; }
die() { printf 'mkchroot: fatal: %s\n' "$*" >&2; exit 1; }
key=$(sha256sum "$0" | cut -c1-16)
mkdir -p "$pkgcache"
pkgcache=$(cd "$pkgcache" && pwd)
dir=$pkgcache/chroot-$key
[ -f "$dir/stamp" ] && exit 0
cache=$(cd "$cache" && pwd)
rm -rf "$pkgcache"/chroot-*
mkdir -p "$dir"
root=$dir/root
pkgs=linux-image-amd64,initramfs-tools,busybox,e2fsprogs,mdadm,udev,kmod,zstd,cpio,systemd,systemd-sysv

src=$(ls -d "$cache"/initramfs/chroot-*/stamp 2>/dev/null | head -n 1)
if [ -n "$src" ]; then
	say "copying $(dirname "$src")/root"
	cp -a "$(dirname "$src")/root" "$root"
	mounts="proc sys dev"
	for m in $mounts; do mount --bind "/$m" "$root/$m"; done
	trap 'for m in $mounts; do umount -l "$root/$m" 2>/dev/null; done' EXIT
	export DEBIAN_FRONTEND=noninteractive INITRD=No
	chroot "$root" apt-get update -qq >"$dir/apt.log" 2>&1 ||
		die "apt-get update in the chroot failed, see $dir/apt.log"
	chroot "$root" apt-get install -y -qq --no-install-recommends \
		$(echo "$pkgs" | tr , ' ') >>"$dir/apt.log" 2>&1 ||
		die "apt-get install in the chroot failed, see $dir/apt.log"
	for m in $mounts; do umount -l "$root/$m"; done
	trap - EXIT
else
	command -v mmdebstrap >/dev/null || die "mmdebstrap not installed (debian/ci-apt-packages)"
	say "mmdebstrap bookworm ($pkgs) into $root"
	INITRD=No mmdebstrap --mode=root --variant=minbase --include="$pkgs" \
		--aptopt='APT::Install-Recommends "false"' \
		--customize-hook='rm -f "$1"/boot/initrd.img-*' \
		bookworm "$root" /etc/apt/sources.list.d/debian.sources \
		>"$dir/mmdebstrap.log" 2>&1 || die "mmdebstrap failed, see $dir/mmdebstrap.log"
fi
rm -f "$root"/boot/initrd.img-* "$root"/var/lib/initramfs-tools/*
chroot "$root" apt-get clean
kver=$(ls "$root/lib/modules" | sort -V | tail -n 1)
[ -f "$root/boot/vmlinuz-$kver" ] || die "no kernel in the chroot"
echo "$kver" >"$dir/kver"

# The second kernel: the other linux-image-6.1.0-N-amd64 the host's sources
# offer (main's when the chroot has security's, or the reverse).
mkdir -p "$pkgcache/debs"
other=$(apt-cache madison linux-image-amd64 | awk '{print $3}' |
	while read -r v; do
		apt-cache show "linux-image-amd64=$v" | sed -n 's/^Depends: \(linux-image-[^ ]*\) .*/\1/p'
	done | grep -vx "linux-image-$kver" | sort -V | tail -n 1)
[ -n "$other" ] || die "no second kernel ABI in the apt sources"
(cd "$pkgcache/debs" && rm -f ./*.deb && apt-get download -q "$other" >"$dir/download.log" 2>&1) ||
	die "apt-get download $other failed, see $dir/download.log"
echo "${other#linux-image-}" >"$dir/kver2"
date -u +%FT%TZ >"$dir/stamp"
say "chroot with kernel $kver in $root; second kernel $(cat "$dir/kver2") in $pkgcache/debs"
