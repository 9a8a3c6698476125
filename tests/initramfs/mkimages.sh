#!/bin/sh
# mkimages.sh IRD -- the images the VM tier boots, in IRD/images/NAME/
# (mkimage.sh output), from IRD/chroot and IRD/raid:
#   wb     warmboot installed and leading (mdadm's hook in too: coexistence),
#          the system's mdadm.conf = the chroot's + the array's ARRAY line,
#          WARMBOOT_HOMEHOST=wbhost (the host that made the array)
#   wbnoudev  as wb, with WARMBOOT_UDEV=no: no udev in the image
#   wbmdadm   as wb, with WARMBOOT_LEAD=mdadm: Debian's path assembles
#   mdadm  Debian's default: no warmboot; udev + mdadm incremental + local-block
# Each is rebuilt only when a hash of its inputs (the chroot, the array,
# warmboot's binary, hook, scripts, defaults, these scripts) changes.
set -eu
ird=${1:?usage: mkimages.sh IRD}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
chroot=$ird/chroot raid=$ird/raid
[ -f "$chroot/stamp" ] && [ -f "$raid/stamp" ] || { echo "mkimages: fatal: run make initramfs-chroot initramfs-raid" >&2; exit 2; }
mkdir -p "$ird/images"
conf=$ird/images/mdadm.conf
{ grep -v '^#' "$chroot/root/etc/mdadm/mdadm.conf" | sed '/^$/d'; cat "$raid/out/detail"; } >"$conf"

build() {
	name=$1
	shift
	key=$( (cat "$chroot/stamp" "$raid/stamp" "$conf" "$here/mkimage.sh" "$here/mkimages.sh"
		echo "$*"
		if [ "$name" != mdadm ]; then
			cat "$repo/helper/warmboot" "$repo/mkinitramfs-hooks/"* "$repo/etc/default/warmboot" \
				"$repo/hooks/bool" "$repo/hooks/warmboot-rescue" "$repo/share/"*
			find "$repo/scripts" -type f | sort | xargs cat
		fi) | sha256sum | cut -c1-16)
	out=$ird/images/$name
	if [ -f "$out/key" ] && [ "$(cat "$out/key")" = "$key" ]; then
		echo "mkimages: $name up to date" >&2
		return 0
	fi
	rm -rf "$out"
	"$here/mkimage.sh" --conf "$conf" "$@" "$chroot" "$out"
	echo "$key" >"$out/key"
}
build wb --set WARMBOOT_HOMEHOST=wbhost
build wbnoudev --set WARMBOOT_HOMEHOST=wbhost --set WARMBOOT_UDEV=no
build wbmdadm --set WARMBOOT_HOMEHOST=wbhost --set WARMBOOT_LEAD=mdadm
build mdadm --no-warmboot
