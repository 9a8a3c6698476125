#!/bin/sh
# run.sh CACHE [MAKE-TARGET...] -- the build and the host test tiers on a
# fresh Debian bookworm system, as CI's machine is when it starts: a chroot
# made by mmdebstrap (variant minbase) with only the packages that the
# project's apt-packages lists name, read as tests/install-deps.sh reads
# them.  A `git archive` of HEAD (committed work only) is unpacked in it and
# `make all check-unit check-bats` (or the targets given) runs there.
#
#   CACHE/fresh/chroot-KEY/root   the system (tests/fresh/mkchroot.sh), KEY
#                                 a hash of the lists and of mkchroot.sh;
#                                 built once, then reused
#   CACHE/fresh/make.log          the output of the last run
#   CACHE/fresh/run/              an overlay over it for one run (the cached
#                                 system itself is never written), removed
#                                 at the end
#
# Each run starts from that system as it was made: tests/install-deps.sh
# (which must find nothing missing), apt-get update (tests/vm/fetch.sh
# resolves the rig's kernel), then make.  deps/build.sh and tests/vm/fetch.sh
# write into the tree's own .cache, never the host's.  Taken from the host,
# read-only:
#   FRESH_SRC=1   (default) copy CACHE/src, the Debian source packages of
#                 deps/, rather than download them again (0: download inside,
#                 through deps/build.sh's private apt configuration)
#   FRESH_VM=1    bind the host's CACHE/vm-bookworm (tests/vm/fetch.sh's result)
#                 read-only rather than fetch it inside (default 0)
# Mounts (the overlay, /proc, /sys, /dev, a tmpfs /tmp) live in a private
# mount namespace of their own and are unmounted on exit.
# Measured on the 2-core machine (make check-fresh): see mk/fresh.mk.
set -eu
prog=fresh
say() { printf '%s: %s\n' "$prog" "$*" >&2; }
die() { printf '%s: fatal: %s\n' "$prog" "$*" >&2; exit 1; }

[ $# -ge 1 ] || die "usage: $0 CACHE [MAKE-TARGET...]"
top=$(cd "$(dirname "$0")/../.." && pwd)
here=$top/tests/fresh
[ "$(id -u)" = 0 ] || die "needs root (mmdebstrap --mode=root, chroot, mounts)"

# A mount namespace of our own: whatever happens, no mount outlives us.
if [ -z "${FRESH_NS:-}" ]; then
	command -v unshare >/dev/null || die "unshare missing (util-linux)"
	FRESH_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi

mkdir -p "$1"
cache=$(cd "$1" && pwd)
shift
[ $# -gt 0 ] || set -- all check-unit check-bats
git -C "$top" rev-parse --verify -q HEAD >/dev/null ||
	die "$top is not a git checkout with a commit (run.sh tests git archive HEAD)"

# The system: keyed by the lists (as tests/install-deps.sh finds them) and
# the script that makes it.
lists=$(cd "$top" && find .ci deps tests debian -maxdepth 2 \
	-name '*apt-packages' 2>/dev/null | sort)
# shellcheck disable=SC2086
key=$( (cd "$top" && for l in $lists; do echo "== $l"; cat "$l"; done; cat "$here/mkchroot.sh") |
	sha256sum | cut -c1-16)
fresh=$cache/fresh
chroot=$fresh/chroot-$key
mkdir -p "$fresh"
exec 8>"$fresh/.lock"
flock 8
if [ ! -f "$chroot/stamp" ]; then
	# only the current system is kept: each is ~1.2 GB
	for d in "$fresh"/chroot-*; do [ "$d" = "$chroot" ] || rm -rf "$d"; done
	"$here/mkchroot.sh" "$chroot" "$top"
fi

run=$fresh/run
m=$run/root
cleanup() {
	if [ -d "$m" ]; then
		umount -R "$m" 2>/dev/null || umount -R -l "$m" 2>/dev/null || true
	fi
	rm -rf "$run"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
cleanup
mkdir -p "$run/upper" "$run/work" "$m"
mount -t overlay overlay -o "lowerdir=$chroot/root,upperdir=$run/upper,workdir=$run/work" "$m"
mount -t proc proc "$m/proc"
mount -t sysfs sysfs "$m/sys"
mount --rbind /dev "$m/dev"
# tmpfs: tests make overlays of their own under /tmp, and an overlay's
# upper directory cannot be on an overlay
mount -t tmpfs -o mode=1777 tmpfs "$m/tmp"
cp -L /etc/resolv.conf "$m/etc/resolv.conf" 2>/dev/null || true

tree=/root/warmboot
mkdir -p "$m$tree"
git -C "$top" archive --format=tar HEAD | tar -x -C "$m$tree"
say "HEAD $(git -C "$top" rev-parse --short HEAD) in $m$tree; make $*"
mkdir -p "$m$tree/.cache"
if [ "${FRESH_SRC:-1}" = 1 ] && [ -d "$cache/src" ]; then
	cp -a "$cache/src" "$m$tree/.cache/src"
fi
if [ "${FRESH_VM:-0}" = 1 ] && [ -f "$cache/vm-bookworm/stamp" ]; then
	mkdir -p "$m$tree/.cache/vm-bookworm"
	mount --bind "$cache/vm-bookworm" "$m$tree/.cache/vm-bookworm"
	mount -o remount,bind,ro "$m$tree/.cache/vm-bookworm"
fi

# The environment of a fresh root login, nothing of the caller's.  The
# output goes to CACHE/fresh/make.log; its tail is shown on failure.
log=$fresh/make.log
t0=$(date +%s)
rc=0
# shellcheck disable=SC2016
chroot "$m" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/root TERM=dumb LANG=C.UTF-8 SHELL=/bin/sh \
	sh -c 'set -e; cd "$1"; shift
		tests/install-deps.sh
		apt-get update -qq
		make "$@"' sh "$tree" "$@" </dev/null >"$log" 2>&1 || rc=$?
secs=$(($(date +%s) - t0))
if [ $rc -ne 0 ]; then
	tail -n 60 "$log" >&2
	die "make $* failed in the fresh system (rc=$rc, ${secs}s); all of it in $log"
fi
# the test runners' own summary lines
grep -E '^[0-9]+ tests, [0-9]+ failed$|^not ok|# skip' "$log" >&2 || true
say "$(grep -c '^ok ' "$log") bats tests ok"
say "make $* passed in the fresh system in ${secs}s (log: $log)"
