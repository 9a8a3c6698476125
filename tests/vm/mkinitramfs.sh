#!/bin/sh
# mkinitramfs.sh VMDIR OUT LAYER... -- build an uncompressed newc initramfs
# for the VM rig as a concatenation of per-layer cpio archives (the kernel
# unpacks concatenated archives in order).
#   base       busybox + applet links, /init, /lib/wbvm.sh, /scenarios  (always rebuilt)
#   modules    md personalities, virtio, scsi + dependencies, depmod'ed (cached;
#              .ko or .ko.xz as the suite ships them)
#   tools      mdadm, kexec, kmod (/opt/kmod/bin/{modprobe,insmod,...}) + libs (cached)
#   boot       /boot/vmlinuz, the real bzImage, for kexec (cached)
#   warmboot=PATH   /bin/warmboot (rebuilt when given)
set -eu
vm=${1:?usage: mkinitramfs.sh VMDIR OUT LAYER...}
out=${2:?usage: mkinitramfs.sh VMDIR OUT LAYER...}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
root=$vm/root
kver=$(cat "$vm/kver")
layers=$vm/layers
mkdir -p "$layers"

die() { printf 'mkinitramfs: fatal: %s\n' "$*" >&2; exit 1; }

# pack DIR OUT -- newc archive of DIR owned by root, stable order.
pack() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0 --reproducible) >"$2.tmp"
	mv "$2.tmp" "$2"
}

stage() {
	s=$layers/$1.d
	rm -rf "$s"
	mkdir -p "$s"
}

layer_base() {
	stage base
	mkdir -p "$s/bin" "$s/sbin" "$s/usr/bin" "$s/usr/sbin" "$s/lib" "$s/proc" \
		"$s/sys" "$s/dev" "$s/run" "$s/tmp" "$s/out" "$s/etc" "$s/scenarios"
	cp "$root/bin/busybox" "$s/bin/busybox"
	for a in $("$root/bin/busybox" --list-full); do
		[ -e "$s/$a" ] || ln -s /bin/busybox "$s/$a"
	done
	cp "$here/guest/init" "$s/init"
	cp "$here/guest/wbvm.sh" "$s/lib/wbvm.sh"
	cp "$here"/scenarios/* "$s/scenarios/"
	chmod 755 "$s/init" "$s"/scenarios/*
	printf 'root:x:0:0:root:/:/bin/sh\n' >"$s/etc/passwd"
	printf 'root:x:0:\n' >"$s/etc/group"
	pack "$s" "$layers/base.cpio"
}

layer_modules() {
	[ -f "$layers/modules.cpio" ] && return 0
	stage modules
	src=$root/lib/modules/$kver
	dst=$s/lib/modules/$kver
	# .ko (bookworm) or .ko.xz (trixie); what a release lacks (linear,
	# multipath, faulty on 6.12) or builds in (virtio_pci on 6.12: see its
	# modules.builtin) is simply not there
	want=$(cd "$src" && ls kernel/drivers/md/md-mod.ko* kernel/drivers/md/raid*.ko* \
		kernel/drivers/md/linear.ko* kernel/drivers/md/multipath.ko* \
		kernel/drivers/md/faulty.ko* kernel/drivers/virtio/virtio_pci.ko* \
		kernel/drivers/block/virtio_blk.ko* kernel/drivers/scsi/virtio_scsi.ko* \
		kernel/drivers/scsi/sd_mod.ko* kernel/crypto/*crc*.ko* \
		kernel/arch/x86/crypto/*crc*.ko* kernel/lib/crc*.ko* 2>/dev/null || true)
	case $want in *md-mod.ko*) ;; *) die "no md-mod in $src" ;; esac
	for m in $want; do
		for f in $m $(sed -n "s|^$m: *||p" "$src/modules.dep"); do
			mkdir -p "$dst/${f%/*}"
			cp "$src/$f" "$dst/$f"
		done
	done
	cp "$src"/modules.order "$src"/modules.builtin "$src"/modules.builtin.modinfo "$dst/"
	depmod -b "$s" "$kver"
	# trixie's kernel package installs into /usr/lib/modules: both paths
	# reach the tree, as on a merged-/usr system
	mkdir -p "$s/usr/lib"
	ln -s ../../lib/modules "$s/usr/lib/modules"
	pack "$s" "$layers/modules.cpio"
}

layer_tools() {
	[ -f "$layers/tools.cpio" ] && return 0
	stage tools
	mkdir -p "$s/sbin" "$s/bin" "$s/opt/kmod/bin"
	cp "$root/sbin/mdadm" "$s/sbin/mdadm"
	cp "$root/sbin/kexec" "$s/sbin/kexec"
	cp "$root/bin/kmod" "$s/bin/kmod"
	for a in modprobe insmod rmmod lsmod modinfo depmod; do
		ln -s /bin/kmod "$s/opt/kmod/bin/$a"
	done
	for l in $("$here/elfdeps.sh" "$root" "$root/sbin/mdadm" "$root/sbin/kexec" "$root/bin/kmod"); do
		mkdir -p "$s/${l%/*}"
		cp -L "$root/$l" "$s/$l"
	done
	pack "$s" "$layers/tools.cpio"
}

layer_boot() {
	[ -f "$layers/boot.cpio" ] && return 0
	stage boot
	mkdir -p "$s/boot"
	cp "$vm/vmlinuz" "$s/boot/vmlinuz"
	pack "$s" "$layers/boot.cpio"
}

layer_warmboot() {
	stage warmboot
	mkdir -p "$s/bin"
	cp "$1" "$s/bin/warmboot"
	chmod 755 "$s/bin/warmboot"
	pack "$s" "$layers/warmboot.cpio"
}

parts=
for layer in "$@"; do
	case $layer in
	base | modules | tools | boot) "layer_$layer"; parts="$parts $layers/$layer.cpio" ;;
	warmboot=*) layer_warmboot "${layer#warmboot=}"; parts="$parts $layers/warmboot.cpio" ;;
	*) die "unknown layer $layer" ;;
	esac
done
cat $parts >"$out.tmp"
mv "$out.tmp" "$out"
