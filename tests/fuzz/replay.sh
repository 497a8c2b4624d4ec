#!/bin/sh
# Replays each fuzz target's committed corpus (tests/fuzz/corpus/<target>/)
# through its binary, libFuzzer-built or replay_main-built alike: one TAP
# line per target, "not ok" naming the input that crashed, leaked or
# tripped a sanitizer.
#
# Run by make check (which exports top_srcdir and top_builddir), or by
# hand from the build directory: sh tests/fuzz/replay.sh [target ...]

srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
builddir=${top_builddir:-$(pwd)}

TARGETS="chunks config cookie discovery form jwks jwt return_to seal \
session tmpl token toml userinfo"
[ $# -gt 0 ] && TARGETS="$*"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-replay.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

set -- $TARGETS
echo "1..$#"
n=0
for t in $TARGETS; do
	n=$((n + 1))
	bin="$builddir/tests/fuzz/fuzz_$t"
	dir="$srcdir/tests/fuzz/corpus/$t"
	if [ ! -x "$bin" ]; then
		echo "not ok $n - $t: $bin not built"
		continue
	fi
	if [ ! -d "$dir" ] || [ -z "$(ls "$dir")" ]; then
		echo "not ok $n - $t: no corpus in $dir"
		continue
	fi
	count=$(ls "$dir" | wc -l)
	# Files, not the directory: both builds then print "Running: FILE".
	if "$bin" -artifact_prefix="$tmp/" "$dir"/* >"$tmp/$t.log" 2>&1; then
		echo "ok $n - $t: $count inputs"
	else
		failed=$(sed -n 's/^Running: //p' "$tmp/$t.log" | tail -n 1)
		echo "not ok $n - $t: fails on ${failed#"$srcdir"/}"
		tail -n 30 "$tmp/$t.log" | sed 's/^/# /'
	fi
done
exit 0
