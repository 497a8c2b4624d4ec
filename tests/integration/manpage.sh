#!/bin/bash
# The man pages cover the program: every configuration key the parser
# accepts (from `oidc-login --help`, printed from lib/cfg.c's key table)
# has an item in oidc-login.toml(5), under the right section, with the
# same type and default; no item names a key that does not exist; every
# option of cgi-bin/main.c is in oidc-login(8); mandoc finds nothing to
# warn about.  Needs no server.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"

PROG=$top_builddir/cgi-bin/oidc-login
MAN8=$top_builddir/man/oidc-login.8
MAN5=$top_builddir/man/oidc-login.toml.5
MAIN_C=$top_srcdir/cgi-bin/main.c

[ -x "$PROG" ] || bail_out "$PROG not built"
[ -f "$MAN8" ] && [ -f "$MAN5" ] || bail_out "man pages not built (make)"

"$PROG" --help >"$T/help" 2>&1
ok "oidc-login --help exits 0" [ $? -eq 0 ]

# --help lists the keys per section: "[auth]: ..." then "[auth.NAME]: ...",
# each key as "  NAME (TYPE[, required | , default: ...])".
awk '
	/^\[auth\]:/      { group = "auth"; next }
	/^\[auth\.NAME\]:/ { group = "provider"; next }
	group != "" && /^  [a-z_]+ \(/ {
		key = $1
		desc = substr($0, index($0, "(") + 1)
		sub(/\)$/, "", desc)
		print group "\t" key "\t" desc
	}
' "$T/help" >"$T/keys"
nkeys=$(wc -l <"$T/keys")
ok "--help lists the keys ($nkeys)" [ "$nkeys" -ge 20 ]

# mdoc_items FILE SUBSECTION: the ".It" lines of a subsection whose title
# starts with SUBSECTION, one per line, \(dq turned into ".
mdoc_items() {
	awk -v ss="$2" '
		/^\.Ss / { inside = index(substr($0, 5), ss) == 1; next }
		/^\.S[hs] / { inside = 0 }
		inside && /^\.It / { gsub(/\\\(dq/, "\""); print }
	' "$1"
}
mdoc_items "$MAN5" "The [auth] section" >"$T/items-auth"
mdoc_items "$MAN5" "The [auth.NAME] sections" >"$T/items-provider"
ok "oidc-login.toml.5 has an [auth] key list" [ -s "$T/items-auth" ]
ok "oidc-login.toml.5 has an [auth.NAME] key list" [ -s "$T/items-provider" ]

# has_item ITEMS_FILE KEY: an ".It" line naming "Ic KEY".
has_item() {
	grep -Eq "^\.It (.* )?Ic $2( |$)" "$1"
}

while IFS=$'\t' read -r group key desc; do
	if has_item "$T/items-$group" "$key"; then
		pass "$key: documented in the [${group/provider/auth.NAME}] list"
	else
		fail "$key: documented in the [${group/provider/auth.NAME}] list" \
		    "no '.It Ic $key' in that part of man/oidc-login.toml.5.in"
	fi
done <"$T/keys"

# The first item of each key carries "Pq TYPE, default: ..." exactly as
# --help prints it, so the page cannot drift from the parser.
cut -f2,3 "$T/keys" | sort -u -t$'\t' -k1,1 >"$T/descs"
while IFS=$'\t' read -r key desc; do
	got=$(cat "$T/items-auth" "$T/items-provider" |
	    sed -n "s/^\.It Ic $key Pq //p" | head -n 1)
	is "$got" "$desc" "$key: type and default as in --help"
done <"$T/descs"

# No item for a key the parser does not know.
cut -f2 "$T/keys" | sort -u >"$T/known"
cat "$T/items-auth" "$T/items-provider" | grep -o 'Ic [a-z_]*' |
    sed 's/^Ic //' | sort -u >"$T/documented"
stale=$(comm -13 "$T/known" "$T/documented" | tr '\n' ' ')
is "$stale" "" "oidc-login.toml.5 documents no unknown key"

# Options: every long option of main.c's table, every short one of its
# getopt string, and every option the usage text shows.
longs=$(sed -n '/long_options\[\] = {/,/^};/p' "$MAIN_C" |
    grep -o '{ "[a-z][a-z-]*"' | sed 's/{ "//; s/"//')
shorts=$(grep -o 'getopt_long([^"]*"[^"]*"' "$MAIN_C" | sed 's/.*"\(.*\)"/\1/' |
    tr -d ':')
usage=$(sed -n '1,/^$/p' "$T/help" | grep -o -- '--[a-z][a-z-]*' | sed 's/^--//')
ok "main.c has long options" [ -n "$longs" ]
ok "main.c has short options" [ -n "$shorts" ]
for o in $(printf '%s\n' $longs $usage | sort -u); do
	ok "--$o: in oidc-login.8" grep -Eq "Fl Fl $o( |$)" "$MAN8"
done
for ((i = 0; i < ${#shorts}; i++)); do
	o=${shorts:i:1}
	ok "-$o: in oidc-login.8" grep -Eq "Fl $o( |$)" "$MAN8"
done

# What the program says about its files and signals is in the page too.
default_config=$(grep -o '/[^ ]*/oidc-login/secrets\.toml' "$T/help" | head -n 1)
ok "default configuration $default_config: in FILES" \
    grep -Fqx ".It Pa $default_config" "$MAN8"
for word in OIDC_LOGIN_CONFIG SIGTERM SIGUSR1 "Sh EXIT STATUS" \
    "Sh EXAMPLES" "Sh SEE ALSO"; do
	ok "oidc-login.8 has $word" grep -Fq "$word" "$MAN8"
done
for word in "Sh EXAMPLES" "Sh FILES" "Xr oidc-login 8"; do
	ok "oidc-login.toml.5 has $word" grep -Fq "$word" "$MAN5"
done
ok "no placeholder left in the pages" \
    bash -c "! grep -n '@[a-z]*@' '$MAN8' '$MAN5'"

# mandoc -T lint: warnings and worse (style notes such as a manual not
# installed yet are not counted).
if command -v mandoc >/dev/null 2>&1; then
	for page in "$MAN8" "$MAN5"; do
		out=$(mandoc -T lint -W warning "$page" 2>&1 |
		    grep -v 'outdated mandoc.db')
		is "$out" "" "mandoc -T lint: $(basename "$page") clean"
	done
else
	skip "mandoc -T lint: oidc-login.8" "mandoc not installed"
	skip "mandoc -T lint: oidc-login.toml.5" "mandoc not installed"
fi

done_testing
