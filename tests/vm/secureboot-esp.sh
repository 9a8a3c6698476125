#!/bin/sh
# secureboot-esp.sh VMDIR [OUT INITRD] -- a FAT EFI system partition image OUT
# (no partition table; OVMF reads it whole) that boots Debian's Secure Boot
# chain: /EFI/BOOT/BOOTX64.EFI = shim (shim-signed's shimx64.efi.signed,
# Microsoft-signed), grubx64.efi and mmx64.efi beside it (grub-efi-amd64-
# signed's monolithic grub, Debian-signed, which reads /EFI/debian/grub.cfg
# of the disk it came from), /vmlinuz = VMDIR/vmlinuz (the suite's
# Debian-signed kernel) and /initrd = INITRD. grub.cfg boots them with
# $wbcmdline, which run-guest.sh --uefi puts into /EFI/debian/cmdline.cfg.
# No fbx64.efi: shim would run the fallback loader instead of grub.
#
# The packages come from VMDIR's suite through the rig's private apt
# indexes (VMDIR/../apt-SUITE, made by fetch.sh; the host's apt is not
# used) into SB_CACHE (default: VMDIR's parent)/secureboot-SUITE-KEY, KEY a
# hash of this script and VMDIR/pins; unpacked with dpkg-deb -x. Without OUT
# only that (make vm-secureboot). The image is made without mounting (mtools).
set -eu

vm=${1:?usage: secureboot-esp.sh VMDIR [OUT INITRD]}
out=${2:-}
initrd=${3:-}
[ -z "$out" ] || [ -n "$initrd" ] || { echo "usage: secureboot-esp.sh VMDIR [OUT INITRD]" >&2; exit 2; }

die() { printf 'secureboot-esp: fatal: %s\n' "$*" >&2; exit 1; }

[ -f "$vm/stamp" ] || die "no rig in $vm: run make vm-fetch"
vm=$(cd "$vm" && pwd)
suite=$(cat "$vm/suite")
rig_apt=$(dirname "$vm")/apt-$suite
if [ ! -d "$rig_apt/lists" ] || [ ! -f "$rig_apt/apt.conf" ]; then
	die "no private apt indexes in $rig_apt: run make vm-fetch"
fi
command -v mcopy >/dev/null || die "mtools is not installed (tests/vm/apt-packages)"
key=$(cat "$0" "$vm/pins" | sha256sum | cut -c1-16)
dir=${SB_CACHE:-$(dirname "$vm")}/secureboot-$suite-$key

# fetch: through the rig's apt configuration (fetch.sh's), its sources and
# indexes read where they are (the file may name the directory it was first
# written in), its state, status and cache moved here
fetch() {
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp/state" "$dir.tmp/cache/archives/partial" "$dir.tmp/debs"
	: >"$dir.tmp/status"
	was=$(sed -n 's|^Dir::State::Lists "\(.*\)/lists";$|\1|p' "$rig_apt/apt.conf")
	[ -n "$was" ] || die "no Dir::State::Lists in $rig_apt/apt.conf"
	sed -e "s|\"$was/|\"$rig_apt/|" \
		-e "s|^Dir::State \".*|Dir::State \"$dir.tmp/state\";|" \
		-e "s|^Dir::State::status \".*|Dir::State::status \"$dir.tmp/status\";|" \
		-e "s|^Dir::Cache \".*|Dir::Cache \"$dir.tmp/cache\";|" \
		"$rig_apt/apt.conf" >"$dir.tmp/apt.conf"
	(cd "$dir.tmp/debs" && APT_CONFIG=$dir.tmp/apt.conf apt-get download \
		shim-signed shim-helpers-amd64-signed grub-efi-amd64-signed \
		>"$dir.tmp/download.log" 2>&1) ||
		die "apt-get download failed, see $dir.tmp/download.log (stale indexes: make vm-fetch)"
	mkdir "$dir.tmp/root"
	for deb in "$dir.tmp"/debs/*.deb; do
		dpkg-deb -x "$deb" "$dir.tmp/root"
		printf '%s=%s\n' "$(dpkg-deb -f "$deb" Package)" "$(dpkg-deb -f "$deb" Version)"
	done >"$dir.tmp/pins"
	cp "$dir.tmp/root/usr/lib/shim/shimx64.efi.signed" "$dir.tmp/shimx64.efi"
	cp "$dir.tmp/root/usr/lib/shim/mmx64.efi.signed" "$dir.tmp/mmx64.efi"
	cp "$dir.tmp/root/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed" "$dir.tmp/grubx64.efi"
	rm -rf "$dir.tmp/root" "$dir.tmp/cache" "$dir.tmp/state" "$dir.tmp/debs" \
		"$dir.tmp/apt.conf" "$dir.tmp/status"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
}
[ -f "$dir/grubx64.efi" ] || fetch
[ -n "$out" ] || exit 0

cfg=$(mktemp)
trap 'rm -f "$cfg"' EXIT
cat >"$cfg" <<-'EOF'
set timeout=0
source $prefix/cmdline.cfg
echo "wbvm grub: linux /vmlinuz $wbcmdline"
linux /vmlinuz $wbcmdline
initrd /initrd
boot
EOF
# room for the files and 8 MiB to spare
size=$(( ($(stat -c %s "$vm/vmlinuz") + $(stat -c %s "$initrd")) / 1048576 + 16 ))
rm -f "$out"
truncate -s "${size}M" "$out"
mformat -i "$out" -F -v WBESP ::
mmd -i "$out" ::/EFI ::/EFI/BOOT ::/EFI/debian
mcopy -i "$out" "$dir/shimx64.efi" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$out" "$dir/grubx64.efi" "$dir/mmx64.efi" ::/EFI/BOOT/
mcopy -i "$out" "$cfg" ::/EFI/debian/grub.cfg
mcopy -i "$out" "$vm/vmlinuz" ::/vmlinuz
mcopy -i "$out" "$initrd" ::/initrd
