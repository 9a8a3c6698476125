#!/bin/sh
# mkchroot.sh DIR -- a minimal Debian bookworm system in DIR/root, made by
# mmdebstrap from the host's apt sources, as the real initramfs-tools tier
# needs it: the Debian kernel (the same linux-image-amd64 as the VM rig),
# initramfs-tools, busybox, e2fsprogs, mdadm (for coexistence and the
# default-path bench), udev and kmod.  Nothing of warmboot is installed here:
# mkimage.sh adds it with `make install DESTDIR=` on an overlay.
#   DIR/root    the system          DIR/kver   its kernel version
#   DIR/stamp   written last; its presence makes re-runs no-ops
# The caller names DIR by a hash of this script (mk/initramfs.mk), so editing
# the package list rebuilds.  Cold: ~3-5 min, mostly downloads and dpkg.
set -eu
dir=${1:?usage: mkchroot.sh DIR}
[ -f "$dir/stamp" ] && exit 0
say() { printf 'mkchroot: %s\n' "$*" >&2; }
die() { printf 'mkchroot: fatal: %s\n' "$*" >&2; exit 1; }
command -v mmdebstrap >/dev/null || die "mmdebstrap not installed (tests/initramfs/apt-packages)"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -rf "$dir/root"
pkgs=linux-image-amd64,initramfs-tools,busybox,e2fsprogs,mdadm,udev,kmod,zstd,cpio,lvm2,cryptsetup,cryptsetup-initramfs
say "mmdebstrap bookworm ($pkgs) into $dir/root"
# The host's sources (the same mirror/snapshot the VM rig downloads from).
# No initramfs while installing: INITRD=No makes the kernel's postinst hook
# skip it; mkimage.sh builds the images we test.
INITRD=No mmdebstrap --mode=root --variant=minbase --include="$pkgs" \
	--aptopt='APT::Install-Recommends "false"' \
	--customize-hook='rm -f "$1"/boot/initrd.img-*' \
	bookworm "$dir/root" /etc/apt/sources.list.d/debian.sources \
	>"$dir/mmdebstrap.log" 2>&1 || die "mmdebstrap failed, see $dir/mmdebstrap.log"
kver=$(ls "$dir/root/lib/modules" | sort | tail -n 1)
[ -n "$kver" ] && [ -f "$dir/root/boot/vmlinuz-$kver" ] || die "no kernel in the chroot"
echo "$kver" >"$dir/kver"
date -u +%FT%TZ >"$dir/stamp"
say "kernel $kver, chroot ready in $dir"
