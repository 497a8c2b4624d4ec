#!/bin/bash
# return_to: a same-site path is honoured after the login; anything else
# (another host, a scheme, backslashes, control characters, encoded forms)
# lands on /.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site

JAR=$T/jar

# lands RETURN_TO_QUERY_VALUE EXPECTED DESCRIPTION: logs in with
# ?return_to=VALUE (already encoded for the query) and checks where the
# callback sends the browser.
lands() {
	local out
	out=$(op_login "$AUTH/login/alpha?return_to=$1" alice "$JAR")
	is "$out" "302 $2" "$3"
}

lands "$(urlencode "/private/page?x=1")" "$WEB/private/page?x=1" \
    "/private/page?x=1 is honoured"
lands "$(urlencode "/")" "$WEB/" "/ is honoured"

while IFS= read -r bad; do
	[ -n "$bad" ] || continue
	lands "$(urlencode "$(printf '%b' "$bad")")" "$WEB/" "refused: $bad"
done <<'EOF_LIST'
//evil.example
//evil.example/path
/\\evil.example
\\\\evil.example
https://evil.example/
http://127.0.0.1:1/
javascript:alert(1)
JavaScript:alert(1)
data:text/html,x
%2F%2Fevil.example
%252F%252Fevil.example
/%5Cevil.example
/\t/evil.example
/\n/evil.example
 //evil.example
private/page
EOF_LIST

# The raw, unencoded forms in the query as a careless link would have them.
lands "//evil.example" "$WEB/" "refused raw: //evil.example"
lands "%2F%2Fevil.example" "$WEB/" "refused raw: %2F%2Fevil.example"
lands "https://evil.example" "$WEB/" "refused raw: https://evil.example"
lands "/%5Cevil.example" "$WEB/" "refused raw: /%5Cevil.example"
lands "/%09/evil.example" "$WEB/" "refused raw: /%09/evil.example"

done_testing
