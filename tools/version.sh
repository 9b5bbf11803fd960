#!/bin/sh
# Prints the version of this build: `git describe` in a git checkout (a tag
# vX.Y.Z gives "X.Y.Z-N-gHASH", no tag gives "VERSION+gHASH"), "-dirty" for
# uncommitted changes; the VERSION file alone in a tree without .git (a
# release tarball, a Debian source package).
cd "$(dirname "$0")/.." || exit 1
base=$(cat VERSION 2>/dev/null || echo unknown)
if [ -e .git ] && d=$(git describe --tags --always --dirty --match 'v[0-9]*' 2>/dev/null); then
	case $d in
	v[0-9]*) echo "${d#v}" ;;
	*) echo "$base+g$d" ;;
	esac
else
	echo "$base"
fi
