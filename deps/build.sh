#!/bin/sh
# deps/build.sh - build the static libraries helper/warmboot links against.
#
#   deps/build.sh uapi CACHE
#       Copy the host's kernel uapi headers (linux-libc-dev) to CACHE/uapi:
#       musl-gcc passes -nostdinc, so they need a folder of their own.
#   deps/build.sh sysroot CACHE SYSROOT
#       Fetch the Debian source packages pinned in deps/versions, build
#       libzstd, liblzma, zlib and then libkmod with musl-gcc (static, -Os),
#       install them into SYSROOT and write SYSROOT/include/wb_libversions.h.
#       SYSROOT/.stamp is touched last, once everything is in place.
#
# Called from mk/deps.mk. apt runs with a private configuration under
# CACHE/apt, so the machine's own sources are neither read nor changed;
# downloaded sources are kept in CACHE/src and not fetched again.
# Build output goes to CACHE/build-logs/*.log; the tail is shown on failure.
# Environment: DEPS_JOBS (default 2), DEPS_CC (default musl-gcc).
set -eu

prog=deps/build.sh
say() { printf '%s: %s\n' "$prog" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: fatal: %s\n' "$prog" "$*" >&2; exit 1; }

[ $# -ge 2 ] || die "usage: $0 uapi CACHE | $0 sysroot CACHE SYSROOT"
cmd=$1
cache=$2
deps=$(cd "$(dirname "$0")" && pwd)

# Nothing from the caller's environment leaks into the builds: no jobserver
# of an outer make, no glibc flags or .pc search paths.
unset MAKEFLAGS MFLAGS MAKELEVEL GNUMAKEFLAGS CFLAGS CPPFLAGS LDFLAGS LIBS \
	CC AR PKG_CONFIG_PATH PKG_CONFIG_SYSROOT_DIR CONFIG_SITE || true
export LC_ALL=C

jobs=${DEPS_JOBS:-2}
cc=${DEPS_CC:-musl-gcc}
# No unwind tables: C never unwinds, and they are ~5% of the binary.
opt='-Os -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables'

uapi() {
	multiarch=$(gcc -print-multiarch 2>/dev/null || true)
	[ -n "$multiarch" ] || multiarch=x86_64-linux-gnu
	for d in /usr/include/linux /usr/include/asm-generic \
		"/usr/include/$multiarch/asm"; do
		[ -d "$d" ] || die "missing $d: install linux-libc-dev"
	done
	rm -rf "$cache/uapi.new"
	mkdir -p "$cache/uapi.new"
	cp -R /usr/include/linux /usr/include/asm-generic "$cache/uapi.new/"
	cp -R "/usr/include/$multiarch/asm" "$cache/uapi.new/asm"
	rm -rf "$cache/uapi"
	mv "$cache/uapi.new" "$cache/uapi"
	touch "$cache/uapi/.stamp"
}

# run LOG CMD...: append CMD's output to build-logs/LOG.log; on failure
# show the tail of that log and stop.
run() {
	log=$logs/$1.log
	shift
	printf '+ %s\n' "$*" >>"$log"
	if ! "$@" </dev/null >>"$log" 2>&1; then
		printf '%s: fatal: %s failed; last lines of %s:\n' "$prog" "$1" "$log" >&2
		tail -n 40 "$log" >&2
		exit 1
	fi
}

apt_private() {
	tool=$1
	shift
	"$tool" -q \
		-o Dir::Etc::SourceList="$apt/sources.list" \
		-o Dir::Etc::SourceParts="$apt/sources.list.d" \
		-o Dir::State::Lists="$apt/lists" \
		-o Dir::Cache="$apt/cache" \
		-o APT::Get::Only-Source=true \
		"$@"
}

apt_setup() {
	mkdir -p "$apt/sources.list.d" "$apt/lists/partial" \
		"$apt/cache/archives/partial"
	keyring=/usr/share/keyrings/debian-archive-keyring.gpg
	[ -f "$keyring" ] || die "missing $keyring: install debian-archive-keyring"
	cat >"$apt/sources.list" <<-EOF
	# Written by deps/build.sh; used only with -o Dir::Etc::SourceList.
	deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm main
	deb-src [signed-by=$keyring] http://deb.debian.org/debian bookworm-updates main
	deb-src [signed-by=$keyring] http://deb.debian.org/debian-security bookworm-security main
	EOF
}

updated=
apt_update() {
	[ -z "$updated" ] || return 0
	say "updating the private source index in $apt"
	run fetch apt_private apt-get update
	updated=1
}

# dsc PKG VERSION: the .dsc file name (no epoch) of a source package.
dsc() { printf '%s_%s.dsc' "$1" "${2#*:}"; }

# fetch PKG PIN: set $used to the version to build and make sure its source
# is in $src. The pin is used when it is still in the archive; otherwise the
# newest version bookworm, -updates or -security carries, with a warning.
fetch() {
	pkg=$1
	pin=$2
	used=
	record=$src/$pkg.used
	if [ -f "$src/$(dsc "$pkg" "$pin")" ]; then
		used=$pin
		return 0
	fi
	if [ -f "$record" ]; then
		read -r rpin rused <"$record" || true
		if [ "$rpin" = "$pin" ] && [ -f "$src/$(dsc "$pkg" "$rused")" ]; then
			used=$rused
			warn "$pkg $pin is not in the archive; using cached $pkg $used"
			return 0
		fi
	fi
	apt_update
	avail=$(apt_private apt-cache showsrc "$pkg" 2>>"$logs/fetch.log" |
		sed -n 's/^Version: //p' | sort -u)
	for v in $avail; do
		[ "$v" != "$pin" ] || used=$pin
	done
	if [ -z "$used" ]; then
		for v in $avail; do
			if [ -z "$used" ] || dpkg --compare-versions "$v" gt "$used"; then
				used=$v
			fi
		done
		[ -n "$used" ] || die "source package $pkg is not in bookworm"
		warn "$pkg $pin is no longer in the archive; building bookworm's current $pkg $used instead (update deps/versions)"
	fi
	if [ -f "$src/$(dsc "$pkg" "$used")" ]; then
		printf '%s %s\n' "$pin" "$used" >"$record"
		return 0
	fi
	say "downloading $pkg $used"
	rm -rf "$src/.dl"
	mkdir -p "$src/.dl"
	# Let apt download as its sandbox user rather than warn and run as root.
	if [ "$(id -u)" = 0 ] && id _apt >/dev/null 2>&1; then
		chown _apt "$src/.dl"
	fi
	(cd "$src/.dl" && run fetch apt_private apt-get source --download-only "$pkg=$used")
	# The .dsc goes last, so a present .dsc means a complete download.
	for f in "$src/.dl"/*; do
		case $f in *.dsc) ;; *) mv -f "$f" "$src/" ;; esac
	done
	mv -f "$src/.dl/$(dsc "$pkg" "$used")" "$src/"
	rm -rf "$src/.dl"
	printf '%s %s\n' "$pin" "$used" >"$record"
}

# unpack PKG VERSION DIR: dpkg-source checks the .dsc checksums and applies
# the Debian patches.
unpack() {
	rm -rf "${build:?}/$3"
	run "$3" dpkg-source -x "$src/$(dsc "$1" "$2")" "$build/$3"
}

build_zstd() {
	cd "$build/zstd/lib"
	# Decompression only, at -O2 with its inlining: warmboot check and load
	# decompress whole initrds (100+ MiB), and ZSTD_LIB_MINIFY's -Os and
	# ZSTD_NO_INLINE made that twice as slow for 16 KiB less.  Minify's
	# other size options are kept: one Huffman and one sequence decoder,
	# no legacy formats, no error strings.
	export CFLAGS="-O2 ${opt#-Os } -DNDEBUG -DDYNAMIC_BMI2=0 -fno-stack-protector -fomit-frame-pointer"
	set -- CC="$cc" AR=ar ZSTD_LIB_COMPRESSION=0 ZSTD_LEGACY_SUPPORT=0 \
		ZSTD_STRIP_ERROR_STRINGS=1 HUF_FORCE_DECOMPRESS_X1=1 \
		ZSTD_FORCE_DECOMPRESS_SEQUENCES_SHORT=1 \
		PREFIX="$sysroot" LIBDIR="$sysroot/lib" INCLUDEDIR="$sysroot/include"
	run zstd make -j"$jobs" libzstd.a "$@"
	run zstd make install-static install-includes install-pc "$@"
}

build_xz() {
	cd "$build/xz"
	run xz ./configure CC="$cc" CFLAGS="$opt" \
		--prefix="$sysroot" --libdir="$sysroot/lib" \
		--disable-shared --enable-static --enable-small --enable-threads=no \
		--disable-encoders --disable-microlzma --disable-lzip-decoder \
		--disable-xz --disable-xzdec --disable-lzmadec --disable-lzmainfo \
		--disable-lzma-links --disable-scripts --disable-doc --disable-nls
	run xz make -j"$jobs"
	run xz make install
}

build_zlib() {
	cd "$build/zlib"
	run zlib env CC="$cc" CFLAGS="$opt" ./configure --static \
		--prefix="$sysroot" --libdir="$sysroot/lib"
	run zlib make -j"$jobs" libz.a
	run zlib make install
}

build_kmod() {
	cd "$build/kmod"
	run kmod patch -p1 -i "$deps/kmod-enable-static.patch"
	run kmod patch -p1 -i "$deps/kmod-xz-bufsiz.patch"
	# The Debian source has no configure; gtk-doc is not needed.
	mkdir -p libkmod/docs
	[ -f libkmod/docs/gtk-doc.make ] || : >libkmod/docs/gtk-doc.make
	run kmod autoreconf -fi
	# PKG_CONFIG_LIBDIR, not _PATH: only the sysroot's .pc files are seen.
	# No zlib in libkmod: its gzclose() drags zlib's whole deflate into the
	# binary (~30 KiB); Debian ships no .ko.gz, and warmboot inflates gzip
	# modules itself.
	run kmod env PKG_CONFIG_LIBDIR="$sysroot/lib/pkgconfig" ./configure \
		CC="$cc" CFLAGS="$opt -isystem $cache/uapi -I$sysroot/include" \
		--prefix="$sysroot" --libdir="$sysroot/lib" --sysconfdir=/etc \
		--enable-static --disable-shared --disable-tools \
		--disable-manpages --disable-test-modules --disable-gtk-doc \
		--with-zstd --with-xz --without-zlib --without-openssl
	run kmod make -j"$jobs"
	run kmod make install
}

sysroot() {
	sysroot=$1
	apt=$cache/apt
	src=$cache/src
	build=$cache/build
	logs=$cache/build-logs
	command -v "$cc" >/dev/null || die "$cc not found: install musl-tools"
	[ -f "$cache/uapi/.stamp" ] || uapi
	rm -rf "$sysroot" "$build" "$logs"
	mkdir -p "$sysroot/include" "$sysroot/lib/pkgconfig" "$src" "$build" "$logs"
	apt_setup

	# versions: "source-package version define"; lookups go through $build/used.
	: >"$build/used"
	while read -r pkg pin def; do
		case $pkg in '' | '#'*) continue ;; esac
		fetch "$pkg" "$pin"
		printf '%s %s %s %s\n' "$pkg" "$used" "$def" "$pin" >>"$build/used"
	done <"$deps/versions"
	version() { awk -v p="$1" '$1 == p { print $2 }' "$build/used"; }

	# zstd and xz first: kmod's configure finds them through pkg-config.
	for step in libzstd:zstd xz-utils:xz zlib:zlib kmod:kmod; do
		pkg=${step%%:*}
		dir=${step#*:}
		v=$(version "$pkg")
		[ -n "$v" ] || die "$pkg is not listed in deps/versions"
		say "building $pkg $v"
		unpack "$pkg" "$v" "$dir"
		(build_"$dir")
	done

	rm -rf "${sysroot:?}/share" "${sysroot:?}/bin"
	find "$sysroot/lib" -name '*.la' -delete
	libs="libkmod.a libzstd.a liblzma.a libz.a"
	for l in $libs; do
		[ -f "$sysroot/lib/$l" ] || die "$l was not installed"
	done
	if find "$sysroot" -name '*.so*' | grep -q .; then
		die "a shared library was installed into $sysroot"
	fi

	h=$sysroot/include/wb_libversions.h
	{
		echo '/* Generated by deps/build.sh: the Debian source versions built into'
		echo ' * the static libraries of the sysroot. Do not edit. */'
		echo '#ifndef WB_LIBVERSIONS_H'
		echo '#define WB_LIBVERSIONS_H'
		while read -r pkg v def pin; do
			note=
			[ "$v" = "$pin" ] || note=" /* pinned $pin, not in the archive */"
			printf '#define %s "%s"%s\n' "$def" "$v" "$note"
		done <"$build/used"
		echo '#endif'
	} >"$h"

	# Equal times, so make never sees the libraries as older than the stamp.
	touch "$sysroot/.stamp"
	for l in $libs; do touch -r "$sysroot/.stamp" "$sysroot/lib/$l"; done
	touch -r "$sysroot/.stamp" "$h"
	rm -rf "$build"
	say "sysroot ready in $sysroot"
	grep '_VERSION "' "$h" | sed 's/^/  /' >&2
}

# up_to_date STAMP: STAMP exists and is newer than everything it is built from.
up_to_date() {
	[ -f "$1" ] || return 1
	for f in "$deps"/build.sh "$deps"/versions "$deps"/*.patch; do
		[ -n "$(find "$1" -newer "$f")" ] || return 1
	done
}

# Several makes may share one CACHE (engineers in one checkout): one builds,
# the others wait for it and then find the stamp fresh.
mkdir -p "$cache"
exec 9>"$cache/.deps.lock"
flock 9

case $cmd in
uapi) uapi ;;
sysroot)
	[ $# -eq 3 ] || die "usage: $0 sysroot CACHE SYSROOT"
	if up_to_date "$3/.stamp"; then
		say "$3 was built meanwhile by another make"
		exit 0
	fi
	sysroot "$3"
	;;
*) die "unknown command $cmd" ;;
esac
