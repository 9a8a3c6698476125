#!/bin/sh
# mkstackimages.sh IRD STACKDIR [NAME...] -- the real update-initramfs images
# of the stacked-root tier in IRD/stack-images/NAME (mkimage.sh output), all
# with the system's mdadm.conf = the chroot's + the three arrays of STACKDIR
# (mkstack.sh) and WARMBOOT_HOMEHOST=wbhost; default: every NAME:
#   lvm          warmboot leads, Debian's mdadm installed beside it
#   lvm-nomdadm  warmboot leads, mdadm purged (warmboot's udev rule instead)
#   lvm-lead     WARMBOOT_LEAD=mdadm: Debian's udev + mdadm assemble
#   lvm-noudev   mdadm purged, WARMBOOT_UDEV=no: warmboot activates the VG
#   luks-key     mdadm purged; crypttab: croot with /etc/keys/root.key, put
#                into the image by cryptsetup-initramfs (KEYFILE_PATTERN)
#   luks-pass    mdadm purged; crypttab: croot, passphrase asked on the console
#   luks-mdadm   luks-key with Debian's mdadm installed beside warmboot
#   luks-noudev  luks-key with WARMBOOT_UDEV=no (the hook keeps udev: cryptroot)
# Rebuilt when a hash of the inputs (chroot, disks, warmboot's binary, hook,
# scripts, rule, these scripts, the NAME's options) changes.
set -eu
ird=${1:?usage: mkstackimages.sh IRD STACKDIR [NAME...]} stack=${2:?}
shift 2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
chroot=$ird/chroot
[ -f "$chroot/stamp" ] && [ -f "$stack/stamp" ] || { echo "mkstackimages: fatal: no chroot or stack disks" >&2; exit 2; }
imgs=$ird/stack-images
mkdir -p "$imgs"
{ grep -v '^#' "$chroot/root/etc/mdadm/mdadm.conf" | sed '/^$/d'; cat "$stack/out/detail"; } >"$imgs/mdadm.conf"
luks=$(cat "$stack/out/luks-uuid")

# files DIR KEY: the admin's crypttab (KEY: a key file, or none) and keys
files() {
	mkdir -p "$1/etc/keys" "$1/etc/cryptsetup-initramfs"
	chmod 0700 "$1/etc/keys"
	cp "$stack/root.key" "$1/etc/keys/root.key"
	echo "croot UUID=$luks $2 luks,initramfs" >"$1/etc/crypttab"
	echo 'KEYFILE_PATTERN="/etc/keys/*.key"' >"$1/etc/cryptsetup-initramfs/conf-hook"
	mkdir -p "$1/etc/initramfs-tools/conf.d"
	echo UMASK=0077 >"$1/etc/initramfs-tools/conf.d/umask"
}

image() {
	name=$1
	shift
	out=$imgs/$name
	key=$( { echo "$*"; cat "$chroot/stamp" "$stack/stamp" "$imgs/mdadm.conf" "$here"/mk*.sh \
		"$repo/helper/warmboot" "$repo/mkinitramfs-hooks/"* "$repo/etc/default/warmboot" \
		"$repo/hooks/bool" "$repo/hooks/udev/"* "$repo/share/"*
		find "$repo/scripts" -type f | sort | xargs cat; } | sha256sum | cut -c1-16)
	[ "$(cat "$out/key" 2>/dev/null)" = "$key" ] && { echo "mkstackimages: $name up to date" >&2; return 0; }
	rm -rf "$out"
	"$here/mkimage.sh" --conf "$imgs/mdadm.conf" --set WARMBOOT_HOMEHOST=wbhost "$@" "$chroot" "$out"
	echo "$key" >"$out/key"
}

[ $# -gt 0 ] || set -- lvm lvm-nomdadm lvm-lead lvm-noudev luks-key luks-pass luks-mdadm luks-noudev
for n in "$@"; do
	f=$imgs/$n.files
	rm -rf "$f"
	case $n in
	lvm) image lvm ;;
	lvm-nomdadm) image lvm-nomdadm --purge mdadm ;;
	lvm-lead) image lvm-lead --set WARMBOOT_LEAD=mdadm ;;
	lvm-noudev) image lvm-noudev --purge mdadm --set WARMBOOT_UDEV=no ;;
	luks-key) files "$f" /etc/keys/root.key; image luks-key --purge mdadm --files "$f" ;;
	luks-pass) files "$f" none; image luks-pass --purge mdadm --files "$f" ;;
	luks-mdadm) files "$f" /etc/keys/root.key; image luks-mdadm --files "$f" ;;
	luks-noudev)
		files "$f" /etc/keys/root.key
		image luks-noudev --purge mdadm --set WARMBOOT_UDEV=no --files "$f" ;;
	*) echo "mkstackimages: fatal: no image $n" >&2; exit 2 ;;
	esac
done
