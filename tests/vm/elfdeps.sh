#!/bin/sh
# elfdeps.sh ROOT ELF... -- print the paths (relative to ROOT, no leading /)
# of the ELF interpreter and all shared libraries the given executables need,
# found recursively through readelf -d NEEDED inside ROOT only (an ELF's
# RUNPATH first: systemd's binaries find libsystemd-shared there).
# Exits 1 if a library cannot be found.
set -eu
root=${1:?usage: elfdeps.sh ROOT ELF...}
shift
search="lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib usr/lib lib64"

find_lib() { # NAME RUNPATH-DIRS
	for d in $2 $search; do
		if [ -e "$root/$d/$1" ]; then echo "$d/$1"; return 0; fi
	done
	return 1
}

seen=" "
todo=
bad=0
for f in "$@"; do
	interp=$(readelf -l "$f" 2>/dev/null | sed -n 's/.*interpreter: \(.*\)]/\1/p')
	if [ -n "$interp" ]; then
		p=${interp#/}
		case $seen in *" $p "*) ;; *) seen="$seen$p "; echo "$p" ;; esac
	fi
	todo="$todo $f"
done
while [ -n "$todo" ]; do
	next=
	for f in $todo; do
		rp=$(readelf -d "$f" 2>/dev/null | sed -n 's/.*(RUNPATH).*\[\(.*\)\]/\1/p' | tr : ' ' | sed 's|^/||; s| /| |g')
		for n in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			if ! p=$(find_lib "$n" "$rp"); then
				echo "elfdeps: not found: $n (needed by $f)" >&2
				bad=1
				continue
			fi
			case $seen in *" $p "*) continue ;; esac
			seen="$seen$p "
			echo "$p"
			next="$next $root/$p"
		done
	done
	todo=$next
done
exit $bad
