#!/bin/sh
# fetch.sh DIR SUITE -- download Debian SUITE's (bookworm|trixie) guest
# artefacts from Debian's archive and unpack them into DIR (usually
# $(CACHE)/vm-SUITE) without installing anything into the host system:
#   DIR/root/       the kernel image, busybox-static, mdadm, kexec-tools, kmod
#                   and the library packages they need, unpacked merged-/usr
#                   (bin, sbin, lib, lib64 -> usr/...), as Debian installs them
#   DIR/kver        kernel version (e.g. 6.1.0-56-amd64, 6.12.48+deb13-amd64)
#   DIR/suite       SUITE
#   DIR/vmlinuz     the real bzImage (kexec_file_load target)
#   DIR/vmlinux     uncompressed ELF kernel for qemu -kernel (PVH boot)
#   DIR/pins        package=version lines; part of the fixture cache key
#   DIR/stamp       written last; its presence makes re-runs no-ops
# apt runs with a private configuration in DIR/../apt-SUITE (sources.list of
# SUITE, SUITE-updates, SUITE-security; empty dpkg status; no host apt.conf):
# the host's apt setup is neither read nor changed.
set -eu

dir=${1:?usage: fetch.sh DIR SUITE}
suite=${2:?usage: fetch.sh DIR SUITE}
here=$(cd "$(dirname "$0")" && pwd)

say() { printf 'fetch: %s\n' "$*" >&2; }
die() { printf 'fetch: fatal: %s\n' "$*" >&2; exit 1; }

case $suite in
bookworm | trixie) ;;
*) die "unknown suite '$suite' (bookworm or trixie)" ;;
esac
[ -f "$dir/stamp" ] && exit 0

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
apt=$(dirname "$dir")/apt-$suite

# apt_setup: the private configuration; APT_CONFIG is read before anything
# else, and it points every other configuration path into $apt.
apt_setup() {
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -f "$keyring" ] || die "missing $keyring: install debian-archive-keyring"
	mkdir -p "$apt/parts" "$apt/sources.list.d" "$apt/preferences.d" \
		"$apt/lists/partial" "$apt/cache/archives/partial" "$apt/state"
	: >"$apt/status"
	cat >"$apt/sources.list" <<-EOF
	# Written by tests/vm/fetch.sh; used only through $apt/apt.conf.
	deb [signed-by=$keyring] http://deb.debian.org/debian $suite main
	deb [signed-by=$keyring] http://deb.debian.org/debian $suite-updates main
	deb [signed-by=$keyring] http://deb.debian.org/debian-security $suite-security main
	EOF
	cat >"$apt/apt.conf" <<-EOF
	Dir::Etc::main "/dev/null";
	Dir::Etc::Parts "$apt/parts";
	Dir::Etc::SourceList "$apt/sources.list";
	Dir::Etc::SourceParts "$apt/sources.list.d";
	Dir::Etc::Preferences "/dev/null";
	Dir::Etc::PreferencesParts "$apt/preferences.d";
	Dir::State "$apt/state";
	Dir::State::Lists "$apt/lists";
	Dir::State::status "$apt/status";
	Dir::Cache "$apt/cache";
	APT::Architecture "amd64";
	Acquire::Languages "none";
	APT::Sandbox::User "root";
	EOF
}

apt_private() { APT_CONFIG=$apt/apt.conf "$@"; }

# Packages named as "Depends:" of PKG..., alternatives and virtuals dropped.
deps() {
	apt_private apt-cache depends --no-recommends --no-suggests --no-conflicts \
		--no-breaks --no-replaces --no-enhances "$@" 2>/dev/null |
	awk '$1 == "Depends:" || $1 == "PreDepends:" { print $2 }' |
	grep -v '^<' | sort -u
}

# Library packages only (the tools' other dependencies -- udev, debconf --
# are not needed to run the binaries); trixie's t64 names start with lib too.
libs_only() { grep -e '^lib' -e '^zlib1g$' || true; }

apt_setup
say "updating the private $suite index in $apt"
apt_private apt-get -q update >"$apt/update.log" 2>&1 ||
	die "apt-get update failed, see $apt/update.log"

kimg=$(deps linux-image-amd64 | grep '^linux-image-[0-9]' | head -n 1)
[ -n "$kimg" ] || die "cannot resolve linux-image-amd64 in $suite"
kver=${kimg#linux-image-}

tools="mdadm kexec-tools kmod"
libs=$(deps $tools | libs_only)
while :; do
	more=$(deps $libs | libs_only)
	all=$(printf '%s\n%s\n' "$libs" "$more" | sed '/^$/d' | sort -u)
	[ "$all" = "$libs" ] && break
	libs=$all
done

rm -rf "$dir/root" "$dir/debs"
mkdir -p "$dir/debs" "$dir/root/usr/bin" "$dir/root/usr/sbin" "$dir/root/usr/lib" \
	"$dir/root/usr/lib64"
for d in bin sbin lib lib64; do ln -s "usr/$d" "$dir/root/$d"; done

pkgs="$kimg busybox-static $tools $libs"
say "downloading ($suite): $(echo $pkgs)"
(cd "$dir/debs" && apt_private apt-get download $pkgs >/dev/null 2>"$dir/download.log") ||
	die "apt-get download failed, see $dir/download.log"

: >"$dir/pins.tmp"
for p in $pkgs; do
	deb=$(ls "$dir/debs/${p}_"*.deb 2>/dev/null | sort | tail -n 1)
	[ -n "$deb" ] || die "no .deb for $p"
	# the directory symlinks stay: /bin/x of a bookworm package lands in usr/bin
	dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$dir/root" ||
		die "cannot unpack $deb"
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
echo "$suite" >"$dir/suite"
mv "$dir/pins.tmp" "$dir/pins"
date -u +%FT%TZ >"$dir/stamp"
say "$suite kernel $kver ready in $dir"
