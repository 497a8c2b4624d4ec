#!/bin/bash
# The server recipes in the documentation are the tested ones: every
# code block marked <!-- recipe: contrib/FILE --> in README.md,
# docs/hosting.md and docs/streamlit.md holds only lines of that file, in
# its order (comments and blank lines aside); every contrib recipe is
# started by a test; the recipes use only the placeholders the tests fill
# in.  No server needed.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"

docs=()
for f in README.md docs/hosting.md docs/streamlit.md; do
	[ -f "$top_srcdir/$f" ] && docs+=("$f")
done
[ ${#docs[@]} -gt 0 ] || skip_all "no documentation to check"

# _trimmed FILE: its lines without leading/trailing blanks, without blank
# lines and comment lines (#), without a trailing backslash.
_trimmed() {
	sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' \
	    -e 's/[[:space:]]*\\$//' "$1" | grep -v -e '^$' -e '^#' || true
}

# _blocks DOC: for each recipe marker, prints "PATH<TAB>BLOCK_FILE".
_blocks() {
	local doc=$1
	awk -v out="$T/block" -v doc="$(basename "$doc")" '
		/<!-- recipe: [^ ]+ -->/ {
			path = $0
			sub(/.*<!-- recipe: /, "", path)
			sub(/ -->.*/, "", path)
			want = 1
			next
		}
		want && /^```/ && !inblock { inblock = 1; n++
			file = out "-" doc "-" n; printf "" >file
			print path "\t" file; next }
		inblock && /^```/ { inblock = 0; want = 0; close(file); next }
		inblock { print >file }
	' "$top_srcdir/$doc"
}

# _in_order BLOCK RECIPE: succeeds when every trimmed line of BLOCK is a
# trimmed line of RECIPE, in the same order; else prints the first stray.
_in_order() {
	_trimmed "$1" >"$1.want"
	_trimmed "$2" >"$1.have"
	awk 'NR == FNR { want[++n] = $0; next }
	     i < n && $0 == want[i + 1] { i++ }
	     END { if (i < n) { print want[i + 1]; exit 1 } }' \
	    "$1.want" "$1.have"
}

for doc in "${docs[@]}"; do
	while IFS=$'\t' read -r path block; do
		if [ ! -f "$top_srcdir/$path" ]; then
			fail "$doc: the recipe $path exists"
			continue
		fi
		if stray=$(_in_order "$block" "$top_srcdir/$path"); then
			pass "$doc: the $path block is that file"
		else
			fail "$doc: the $path block is that file" \
			    "not in it (or out of order): $stray"
		fi
	done < <(_blocks "$doc")
done

for recipe in "$top_srcdir"/contrib/apache/*.conf \
    "$top_srcdir"/contrib/lighttpd/*.conf "$top_srcdir"/contrib/nginx/*.conf; do
	[ -f "$recipe" ] || continue
	name=${recipe#"$top_srcdir/contrib/"}
	if grep -lqF "recipe $name " "$top_srcdir"/tests/integration/*.sh; then
		pass "$name is started by a test"
	else
		fail "$name is started by a test"
	fi
	other=$(grep -o '@[A-Z_]*@' "$recipe" | sort -u |
	    grep -v -x -e @BINDIR@ -e @CONFIG@ -e @PORT@ -e @APP_PORT@ \
	    -e @RUNDIR@ -e @EXAMPLES@ || true)
	is "$other" "" "$name uses only the placeholders the tests fill in"
done

done_testing
