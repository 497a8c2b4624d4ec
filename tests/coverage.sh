#!/bin/sh
# tests/coverage.sh - line and branch coverage of lib/ and cgi-bin/ by
# the test suite; what `make coverage` runs.
#
#   tests/coverage.sh report SRCDIR BUILDDIR
#       gcovr over a build configured with --enable-coverage whose tests
#       have run: one table per kind (lines, branches), per file, and
#       BUILDDIR/coverage.txt with both.
#   tests/coverage.sh build SRCDIR BUILDDIR [MAKE]
#       from a tree not built for coverage: copies the sources (git's
#       tracked and untracked-but-not-ignored files, else `make
#       distdir`) to BUILDDIR/build-coverage, configures it with
#       --enable-coverage CFLAGS='-g -O0', builds, runs `make coverage`
#       there.
#
# Needs gcovr (Debian package gcovr).  Set OIDC_LOGIN_SLOW_TESTS=1 to
# include the soak and RSS tests.

set -u
mode=${1:-}
srcdir=$(cd "${2:-.}" && pwd)
builddir=$(cd "${3:-.}" && pwd)
make=${4:-make}

need_gcovr() {
	command -v gcovr >/dev/null 2>&1 && return 0
	echo "coverage: gcovr not found (Debian: apt-get install gcovr)" >&2
	exit 1
}

report() {
	need_gcovr
	out=$builddir/coverage.txt
	# Branches the compiler adds for itself (exception edges, constant
	# conditions) are not decisions of ours.
	opts="-r $srcdir --object-directory $builddir --filter $srcdir/lib/ \
	    --filter $srcdir/cgi-bin/ --exclude-unreachable-branches \
	    --exclude-throw-branches"
	{
		echo "== Lines"
		# shellcheck disable=SC2086
		gcovr $opts
		echo
		echo "== Branches"
		# shellcheck disable=SC2086
		gcovr $opts --branches
	} >"$out" 2>"$builddir/coverage.err"
	rc=$?
	cat "$out"
	[ $rc -eq 0 ] || { cat "$builddir/coverage.err" >&2; exit $rc; }
	echo "coverage: written to $out"
}

build() {
	need_gcovr
	dir=$builddir/build-coverage
	rm -rf "$dir"
	mkdir -p "$dir" || exit 1
	if [ -e "$srcdir/.git" ] && command -v git >/dev/null 2>&1; then
		(cd "$srcdir" && git ls-files -co --exclude-standard -z |
		    xargs -0 cp --parents -t "$dir") || exit 1
	else
		(cd "$builddir" && $make distdir distdir="$dir.tmp" >/dev/null) &&
		    rm -rf "$dir" && mv "$dir.tmp" "$dir" || exit 1
	fi
	if [ -d "$srcdir/tests/node_modules" ] && [ ! -e "$dir/tests/node_modules" ]; then
		ln -s "$srcdir/tests/node_modules" "$dir/tests/node_modules"
	fi
	cd "$dir" || exit 1
	echo "coverage: building in $dir"
	{ autoreconf -fi && ./configure -q --enable-coverage CFLAGS='-g -O0' &&
	    $make -j"$(nproc 2>/dev/null || echo 2)"; } >"$dir/build.log" 2>&1 || {
		tail -n 40 "$dir/build.log" >&2
		echo "coverage: the coverage build failed (log: $dir/build.log)" >&2
		exit 1
	}
	$make -j"$(nproc 2>/dev/null || echo 2)" coverage
}

case $mode in
report) report ;;
build) build ;;
*)
	echo "usage: $0 report|build SRCDIR BUILDDIR [MAKE]" >&2
	exit 2
	;;
esac
