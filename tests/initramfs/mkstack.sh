#!/bin/sh
# mkstack.sh VMDIR CHROOTDIR DIR -- the disks of the stacked-root tier
# (tests/vm/stacks.bats), made once in a rig guest (scenario stack-mkdisks)
# by mdadm 4.2 and the chroot's own lvm2 and cryptsetup:
#   DIR/r1a.img r1b.img  md 1.2 wbhost:root -> LVM vgroot/root  (ext4 root.img)
#   DIR/c1a.img c1b.img  md 1.2 wbhost:croot -> LUKS1           (ext4 root.img)
#   DIR/b1a.img b1b.img  md 1.0 wbhost:boot, empty (stacks.bats writes /boot)
#   DIR/pass DIR/root.key   the LUKS passphrase and key file
#   DIR/data.sha256         sha256 of /data on root.img (the root init prints it)
#   DIR/out/                detail, examine-*, luks-uuid;  DIR/stamp last.
# root.img (mke2fs -d, label wbroot): a static busybox, /data and rootinit as
# /sbin/init.  The caller keys DIR by a hash of
# this script, the scenario, the chroot and the rig's pins.
set -eu
vm=${1:?usage: mkstack.sh VMDIR CHROOTDIR DIR} chroot=${2:?} dir=${3:?}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$dir/stamp" ] && exit 0
die() { printf 'mkstack: fatal: %s\n' "$*" >&2; exit 1; }
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wbstack.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# --- the root filesystem ------------------------------------------------------
r=$tmp/root
mkdir -p "$r/sbin" "$r/bin" "$r/proc" "$r/sys" "$r/dev" "$r/run" "$r/tmp" "$r/etc"
cp "$vm/root/bin/busybox" "$r/bin/busybox"
head -c 1048576 /dev/urandom >"$r/data"
sha256sum <"$r/data" | cut -d' ' -f1 >"$dir/data.sha256"
cp "$here/rootinit" "$r/sbin/init"
chmod 0755 "$r/sbin/init"
mke2fs -q -t ext4 -F -d "$r" -L wbroot -E root_owner=0:0 "$tmp/root.img" 20M
printf wbpass >"$tmp/pass"
head -c 64 /dev/urandom >"$tmp/root.key"

# --- lvm2 and cryptsetup for the guest: Debian's, from the chroot ------------
s=$tmp/stack
c=$chroot/root
kver=$(cat "$vm/kver")
mkdir -p "$s/sbin" "$s/lib/modules/stack"
for b in lvm dmsetup cryptsetup; do cp -L "$c/sbin/$b" "$s/sbin/$b"; done
for l in $("$here/../vm/elfdeps.sh" "$c" "$c/sbin/lvm" "$c/sbin/dmsetup" "$c/sbin/cryptsetup"); do
	mkdir -p "$s/${l%/*}"
	cp -L "$c/$l" "$s/$l"
done
# .ko on bookworm, .ko.xz on trixie, nothing where the kernel has it built in
# (ecb on 6.12); the scenario inserts what is there, in this order
for m in drivers/md/dm-mod drivers/md/dm-crypt crypto/ecb crypto/xts; do
	f=$(ls "$c/lib/modules/$kver/kernel/$m".ko* 2>/dev/null) ||
		grep -q "^kernel/$m.ko$" "$c/lib/modules/$kver/modules.builtin" ||
		die "no module $m in $c/lib/modules/$kver"
	[ -z "$f" ] || cp "$f" "$s/lib/modules/stack/"
	echo "${m##*/}" >>"$s/lib/modules/stack/order"
done
(cd "$s" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$tmp/stack.cpio"
"$here/../vm/mkinitramfs.sh" "$vm" "$tmp/rig.cpio" base modules tools
cat "$tmp/stack.cpio" >>"$tmp/rig.cpio"

# --- the guest -------------------------------------------------------------------
rm -f "$dir"/*.img
truncate -s 64M "$dir/r1a.img" "$dir/r1b.img" "$dir/c1a.img" "$dir/c1b.img"
truncate -s 80M "$dir/b1a.img" "$dir/b1b.img"
set --
for d in r1a r1b c1a c1b b1a b1b; do set -- "$@" --disk "$dir/$d.img"; done
"$here/../vm/run-guest.sh" --vm "$vm" --initrd "$tmp/rig.cpio" "$@" \
	--in "$tmp/root.img" --in "$tmp/pass" --in "$tmp/root.key" --out "$dir/out" --timeout 300 \
	--log "$dir/console.log" stack-mkdisks >/dev/null ||
	die "guest failed, see $dir/console.log"
grep -q 'UUID=' "$dir/out/detail" && [ -s "$dir/out/luks-uuid" ] || die "no arrays or LUKS in $dir/out"
cp "$tmp/pass" "$tmp/root.key" "$dir/"
date -u +%FT%TZ >"$dir/stamp"
