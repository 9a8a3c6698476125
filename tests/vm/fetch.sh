#!/bin/sh
# fetch.sh DIR -- download and unpack the guest artefacts into DIR (usually
# $(CACHE)/vm) without installing anything into the host system:
#   DIR/root/       dpkg -x of the kernel image, busybox-static, mdadm,
#                   kexec-tools, kmod and the library packages they need
#   DIR/kver        kernel version (e.g. 6.1.0-56-amd64)
#   DIR/vmlinuz     the real bzImage (kexec_file_load target)
#   DIR/vmlinux     uncompressed ELF kernel for qemu -kernel (PVH boot)
#   DIR/pins        package=version lines; part of the fixture cache key
#   DIR/stamp       written last; its presence makes re-runs no-ops
set -eu

dir=${1:?usage: fetch.sh DIR}
here=$(cd "$(dirname "$0")" && pwd)
[ -f "$dir/stamp" ] && exit 0

say() { printf 'fetch: %s\n' "$*" >&2; }
die() { printf 'fetch: fatal: %s\n' "$*" >&2; exit 1; }

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
rm -rf "$dir/root" "$dir/debs.tmp"
mkdir -p "$dir/debs" "$dir/root"

# Packages named as "Depends:" of PKG..., alternatives and virtuals dropped.
deps() {
	apt-cache depends --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$@" 2>/dev/null |
	awk '$1 == "Depends:" || $1 == "PreDepends:" { print $2 }' |
	grep -v '^<' | sort -u
}

kimg=$(deps linux-image-amd64 | grep '^linux-image-[0-9]' | head -n 1)
[ -n "$kimg" ] || die "cannot resolve linux-image-amd64 (run apt-get update)"
kver=${kimg#linux-image-}

tools="mdadm kexec-tools kmod"
# Close the library dependencies over lib* packages only (the tools' other
# dependencies -- udev, debconf -- are not needed to run the binaries).
libs=$(deps $tools | grep '^lib')
while :; do
	more=$(deps $libs | grep '^lib' | sort -u)
	all=$(printf '%s\n%s\n' "$libs" "$more" | sort -u)
	[ "$all" = "$libs" ] && break
	libs=$all
done

pkgs="$kimg busybox-static $tools $libs"
say "downloading: $(echo $pkgs)"
(cd "$dir/debs" && apt-get download $pkgs >/dev/null 2>"$dir/download.log") ||
	die "apt-get download failed, see $dir/download.log"

: >"$dir/pins.tmp"
for p in $pkgs; do
	deb=$(ls "$dir/debs/${p}_"*.deb 2>/dev/null | sort | tail -n 1)
	[ -n "$deb" ] || die "no .deb for $p"
	dpkg-deb -x "$deb" "$dir/root"
	printf '%s=%s\n' "$p" "$(dpkg-deb -f "$deb" Version)" >>"$dir/pins.tmp"
done

# Every NEEDED library of the tools must resolve inside the unpacked tree.
"$here/elfdeps.sh" "$dir/root" \
	"$dir/root/sbin/mdadm" "$dir/root/sbin/kexec" "$dir/root/bin/kmod" >/dev/null ||
	die "unresolved shared libraries"

moddir=$dir/root/lib/modules/$kver
[ -d "$moddir" ] || die "no module tree $moddir"
depmod -b "$dir/root" "$kver"

cp "$dir/root/boot/vmlinuz-$kver" "$dir/vmlinuz"
"$here/extract-vmlinux.sh" "$dir/vmlinuz" >"$dir/vmlinux.tmp"
mv "$dir/vmlinux.tmp" "$dir/vmlinux"

echo "$kver" >"$dir/kver"
mv "$dir/pins.tmp" "$dir/pins"
date -u +%FT%TZ >"$dir/stamp"
say "kernel $kver ready in $dir"
