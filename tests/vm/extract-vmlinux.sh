#!/bin/sh
# extract-vmlinux.sh BZIMAGE -- write the uncompressed ELF vmlinux to stdout.
# Finds the compressed payload by its magic (xz, zstd, gzip, lzma) and keeps
# the first candidate that decompresses to an ELF file.
set -eu
img=${1:?usage: extract-vmlinux.sh BZIMAGE}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# try MAGIC_HEX_FOR_GREP DECOMPRESSOR...
try() {
	magic=$1
	shift
	for off in $(LC_ALL=C grep -obUaP "$magic" "$img" | cut -d: -f1); do
		tail -c +$((off + 1)) "$img" | "$@" >"$tmp/out" 2>/dev/null || true
		if [ "$(head -c 4 "$tmp/out" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]; then
			cat "$tmp/out"
			exit 0
		fi
	done
}
try '\x28\xb5\x2f\xfd' zstd -dc
try '\xfd\x37\x7a\x58\x5a\x00' xz -dc
try '\x1f\x8b\x08' gzip -dc
try '\x5d\x00\x00\x00' xz -dc --format=lzma
echo "extract-vmlinux: no ELF payload found in $img" >&2
exit 1
