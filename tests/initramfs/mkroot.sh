#!/bin/sh
# mkroot.sh RAIDDIR CHROOTDIR INITRD BUSYBOX OUTDIR -- copies of the RAID1
# members (mkraid.sh) with an ext4 root filesystem (mke2fs -d, UUID
# 5ee1ed00-0000-4000-8000-000000000001, label wbroot) written into both data
# areas, as md would have mirrored it:
#   /sbin/init        rootinit: prints WBVM markers (cmdline, mdstat, uptime) and powers off
#   /bin/busybox      static
#   /boot/vmlinuz-KVER /boot/initrd.img-KVER  the kernel and image under test
#                     (the chroot's kernel: mkchroot.sh, the image's suite)
#   /vmlinuz /initrd.img  Debian's symlinks to them
#   /boot/vmlinuz-broken  not a kernel (for a failing chain)
set -eu
[ $# -eq 5 ] || { echo "usage: mkroot.sh RAIDDIR CHROOTDIR INITRD BUSYBOX OUTDIR" >&2; exit 2; }
raid=$1 chroot=$2 initrd=$3 busybox=$4 out=$5
kver=$(cat "$chroot/kver")
vmlinuz=$chroot/root/boot/vmlinuz-$kver
off=$(sed -n 's/^ *Data Offset : \([0-9]*\) sectors.*/\1/p' "$raid/out/examine-r1a")
kib=$(sed -n 's/^ *Array Size : \([0-9]*\) KiB.*/\1/p' "$raid/out/examine-r1a")
[ -n "$off" ] && [ -n "$kib" ] || { echo "mkroot: fatal: no data offset/size in $raid/out" >&2; exit 1; }
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/wbroot.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
r=$tmp/root
mkdir -p "$r/sbin" "$r/bin" "$r/boot" "$r/proc" "$r/sys" "$r/dev" "$r/run" "$r/tmp" "$r/etc"
cp "$busybox" "$r/bin/busybox"
ln -s busybox "$r/bin/sh"
cp "$vmlinuz" "$r/boot/vmlinuz-$kver"
cp "$initrd" "$r/boot/initrd.img-$kver"
ln -s "boot/vmlinuz-$kver" "$r/vmlinuz"
ln -s "boot/initrd.img-$kver" "$r/initrd.img"
head -c 65536 /dev/urandom >"$r/boot/vmlinuz-broken"
echo "UUID=5ee1ed00-0000-4000-8000-000000000001 / ext4 ro 0 1" >"$r/etc/fstab"
cp "$(dirname "$0")/rootinit" "$r/sbin/init"
chmod 0755 "$r/sbin/init"
rm -f "$tmp/fs.img"
mke2fs -q -t ext4 -F -d "$r" -L wbroot -U 5ee1ed00-0000-4000-8000-000000000001 \
	-E root_owner=0:0 "$tmp/fs.img" "${kib}k"
for m in r1a r1b; do
	cp --sparse=always "$raid/$m.img" "$out/$m.img"
	dd if="$tmp/fs.img" of="$out/$m.img" bs=512 seek="$off" conv=notrunc,sparse status=none
done
