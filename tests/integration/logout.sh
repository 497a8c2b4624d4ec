#!/bin/bash
# Logout: the confirmation page, the CSRF check, clearing every session
# cookie, RP-initiated logout at the provider.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site

JAR=$T/jar
out=$(op_login "$AUTH/login/alpha?return_to=%2F" alice "$JAR")
is "${out%% *}" 302 "signed in through alpha"

# input_value NAME: the value of the <input name=NAME> in the last body.
input_value() {
	body | tr '\n' ' ' | grep -o "<input[^>]*name=\"$1\"[^>]*>" | head -n 1 |
	    grep -o 'value="[^"]*"' | sed 's/^value="//; s/"$//'
}

request "$AUTH/logout?return_to=%2F"
is "$STATUS" 200 "GET /logout shows a page"
like "$(header Content-Type)" '^text/html' "logout page is HTML"
like "$(body | tr '\n' ' ')" '<form[^>]*method="(post|POST)"' "logout page has a POST form"
# A browser enforces form-action on the redirect that follows the POST.
like "$(header Content-Security-Policy)" "form-action [^;]*$OP_A( |;|\$)" \
    "logout page CSP lets the form lead to the provider's logout"
csrf=$(input_value csrf)
like "$csrf" '^.{16,}$' "logout form carries a csrf field"
is "$(input_value return_to)" / "logout form carries return_to"

not_clearing() {
	! all_deleting "$1"
}

still_signed_in() {
	request "$AUTH/user"
	body >"$T/user.json"
	[ "$(json_get "$T/user.json" is_logged_in)" = true ]
}

request --data-urlencode "return_to=/" "$AUTH/logout"
is "$STATUS" 403 "POST /logout without csrf: 403"
ok "session cookie not cleared without csrf" not_clearing "$(session_cookies)"
ok "still signed in after a refused logout" still_signed_in

if [ "${csrf:0:1}" = A ]; then wrong=B${csrf:1}; else wrong=A${csrf:1}; fi
request --data-urlencode "csrf=$wrong" --data-urlencode "return_to=/" "$AUTH/logout"
is "$STATUS" 403 "POST /logout with a wrong csrf: 403"
ok "session cookie not cleared with a wrong csrf" not_clearing "$(session_cookies)"
ok "still signed in after a wrong csrf" still_signed_in

request --data-urlencode "csrf=$csrf" --data-urlencode "return_to=/" "$AUTH/logout"
like "$STATUS" '^30[23]$' "POST /logout with csrf redirects"
like "$LOCATION" "^$OP_A/session/end\?" "to the provider's end_session_endpoint"
is "$(query_param "$LOCATION" client_id)" "$ALPHA_ID" "with client_id"
is "$(urldecode "$(query_param "$LOCATION" post_logout_redirect_uri)")" "$WEB/" \
    "with post_logout_redirect_uri"
like "$LOCATION" '[?&]id_token_hint=ey' \
    "with id_token_hint: the ID token is kept for logout, though not exposed"
cleared=$(session_cookies)
ok "session cookies cleared (Max-Age=0)" all_deleting "$cleared"
like "$cleared" '^oidc_login=' "the session cookie itself is cleared"
logout_url=$LOCATION

request "$AUTH/user"
body >"$T/user.json"
is "$(json_get "$T/user.json" is_logged_in)" false "/user after logout: false"
request "$AUTH/check"
is "$STATUS" 401 "/check after logout: 401"

out=$(op_logout "$logout_url" "$JAR")
is "$out" "303 $WEB/" "the provider accepts the logout and returns to the site"

done_testing
