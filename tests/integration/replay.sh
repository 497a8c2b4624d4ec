#!/bin/bash
# A callback used a second time is refused with an error page and no
# session: with the flow cookie gone (the browser case), without any
# cookie, and with the old flow cookie replayed (the code is spent).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site

jar=$T/jar
out=$(op_login "$AUTH/login/alpha?return_to=%2F" alice "$jar")
cb=$(cat "$jar.callback")
is "${out%% *}" 302 "first use of the callback signs in"

# refused DESCRIPTION STATUS_ERE: the last response is an error page
# with that status and sets no session.
refused() {
	like "$STATUS" "$2" "$1: status"
	like "$(header Content-Type)" '^text/html' "$1: an HTML error page"
	ok "$1: no session cookie set" sets_no_session
}

# Signed in, the same browser reloading its spent callback just goes on
# to return_to (nothing to refuse: it is signed in already).
JAR=$jar
request "$cb"
is "$STATUS $LOCATION" "302 $WEB/" \
    "same callback again, the same signed-in browser: on to return_to"
ok "  ... no session cookie set" sets_no_session

JAR=$T/empty-jar
request "$cb"
refused "same callback, no cookies" '^400$'
request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" false "no session in a fresh browser"

# Replaying the old flow cookie too: the state matches, but the provider
# refuses the spent code.
flow=$(tr -d '\r' <"$jar.start" | sed -n 's/^[Ss]et-[Cc]ookie: *//p' |
    grep -o '^oidc_login_flow_[^=]*=[^;]*' | head -n 1)
like "$flow" '^oidc_login_flow_' "the flow cookie of the first login is known"
JAR=
request -H "Cookie: $flow" "$cb"
refused "same callback with the old flow cookie" '^(400|502)$'

done_testing
