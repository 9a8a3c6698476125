#!/bin/sh
# install-deps.sh -- install the Debian packages the build and the tests need
# (the lists: .ci/apt-packages and every */apt-packages file of an area),
# only those missing. Needs root when something is missing.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
lists=$(find "$top/.ci" "$top/deps" "$top/tests" "$top/debian" -maxdepth 2 \
	-name '*apt-packages' 2>/dev/null | sort)
wanted=$(cat $lists | sed 's/#.*//' | tr -s ' \t' '\n' | sed '/^$/d' | sort -u)
missing=
for p in $wanted; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -n "$missing" ] || exit 0
if [ "$(id -u)" != 0 ]; then
	echo "install-deps: fatal: missing packages:$missing (run as root: apt-get install$missing)" >&2
	exit 1
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
