#!/bin/sh
# mkimage.sh [options] CHROOTDIR OUTDIR -- build a real initramfs-tools image
# in the cached chroot (mkchroot.sh) without changing it: an overlay in a
# private mount namespace, warmboot installed as a user would
# (`make install DESTDIR=... PREFIX=/usr`), then `update-initramfs -c -k KVER`
# in the chroot with /proc, /sys and /dev mounted.
#   --conf FILE       /etc/mdadm/mdadm.conf of the system (default: the chroot's)
#   --set VAR=VALUE   a line for /etc/default/warmboot (repeatable)
#   --no-warmboot     Debian's default image: mdadm's hook and scripts only
#   --purge PKGS      dpkg --purge these (space-separated) in the overlay first
#   --files DIR       copy DIR's tree onto the system first (crypttab, keys)
#   --make-flags F    extra flags for `make install` (e.g. "-o helper/warmboot")
# OUTDIR: initrd.img, lsinitramfs.txt (its names), layout.txt (lsinitramfs
# -l: types, links), build.log, default (the installed /etc/default/warmboot),
# the image's etc_mdadm_mdadm.conf, conf_conf.d_warmboot, conf_modules.
set -eu
conf='' sets='' wb=yes mflags=${INITRAMFS_MAKE_FLAGS:-} purge='' files=''
while [ $# -gt 0 ]; do
	case $1 in
	--conf) conf=$2; shift ;;
	--set) sets="$sets
$2"; shift ;;
	--no-warmboot) wb=no ;;
	--make-flags) mflags=$2; shift ;;
	--purge) purge="$purge $2"; shift ;;
	--files) files=$(cd "$2" && pwd); shift ;;
	-*) echo "usage: mkimage.sh [options] CHROOTDIR OUTDIR" >&2; exit 2 ;;
	*) break ;;
	esac
	shift
done
[ $# -eq 2 ] || { echo "usage: mkimage.sh [options] CHROOTDIR OUTDIR" >&2; exit 2; }
chroot=$(cd "$1" && pwd) out=$2
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
[ -f "$chroot/stamp" ] || { echo "mkimage: fatal: no chroot in $chroot (make initramfs-chroot)" >&2; exit 2; }
kver=$(cat "$chroot/kver")
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/wbimg.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/upper" "$work/wd" "$work/m"
printf '%s\n' "$sets" | sed '/^$/d' >"$work/sets"
[ -n "$conf" ] && cp "$conf" "$work/mdadm.conf"

# shellcheck disable=SC2016 # expanded by the inner shell
unshare -m sh -eu -c '
	chroot=$1 work=$2 out=$3 repo=$4 kver=$5 wb=$6 mflags=$7 purge=$8 files=$9
	m=$work/m
	mount --make-rprivate /
	mount -t overlay overlay -o "lowerdir=$chroot/root,upperdir=$work/upper,workdir=$work/wd" "$m"
	mount -t proc proc "$m/proc"
	mount -t sysfs sysfs "$m/sys"
	mount --rbind /dev "$m/dev"
	# shellcheck disable=SC2086
	[ -z "$purge" ] || chroot "$m" dpkg --purge --no-triggers $purge
	[ -z "$files" ] || cp -a "$files/." "$m/"
	if [ "$wb" = yes ]; then
		# shellcheck disable=SC2086
		make -s -C "$repo" $mflags install DESTDIR="$m" PREFIX=/usr
		cat "$work/sets" >>"$m/etc/default/warmboot"
		cp "$m/etc/default/warmboot" "$out/default"
	fi
	[ -f "$work/mdadm.conf" ] && mkdir -p "$m/etc/mdadm" && cp "$work/mdadm.conf" "$m/etc/mdadm/mdadm.conf"
	rm -f "$m/boot/initrd.img-$kver"
	chroot "$m" update-initramfs -c -k "$kver"
	cp "$m/boot/initrd.img-$kver" "$out/initrd.img"
	chroot "$m" lsinitramfs -l "/boot/initrd.img-$kver" >"$out/layout.txt"
	awk "{ print \$9 }" "$out/layout.txt" >"$out/lsinitramfs.txt"
	chroot "$m" unmkinitramfs "/boot/initrd.img-$kver" /tmp/x >/dev/null 2>&1 || true
	for f in etc/mdadm/mdadm.conf conf/conf.d/warmboot conf/modules; do
		for x in "$m/tmp/x/main/$f" "$m/tmp/x/$f"; do
			[ -f "$x" ] && cp "$x" "$out/$(echo "$f" | tr / _)"
		done
	done
	: an image may lack some of them
' sh "$chroot" "$work" "$out" "$repo" "$kver" "$wb" "$mflags" "$purge" "$files" >"$out/build.log" 2>&1 || {
	echo "mkimage: fatal: image build failed; last lines of $out/build.log:" >&2
	tail -n 30 "$out/build.log" >&2
	exit 1
}
echo "mkimage: $out/initrd.img ($(du -k "$out/initrd.img" | cut -f1) KiB, kernel $kver)" >&2
