#!/bin/bash
# Full logins through both providers: the authorization redirect, the
# callback, the session cookie, /user, /check and the signed-in page.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools
setup_site

JAR=
request "$AUTH/user"
body >"$T/user.json"
is "$STATUS" 200 "anonymous: /user answers 200"
is "$(json_get "$T/user.json" is_logged_in)" false "anonymous: is_logged_in false"
request "$AUTH/check"
is "$STATUS" 401 "anonymous: /check 401"

# check_login NAME LOGIN DISPLAY_NAME OP_URL CLIENT_ID
check_login() {
	local name=$1 login=$2 display=$3 op=$4 client=$5 out start flow
	local jar=$T/jar-$name given
	given="$(printf '%s' "${login:0:1}" | tr '[:lower:]' '[:upper:]')${login:1}"

	out=$(op_login "$AUTH/login/$name?return_to=%2Fprivate%2Fpage" "$login" "$jar")
	start=$(tr -d '\r' <"$jar.start")
	like "$start" '^HTTP/[0-9.]+ 302' "$name: login starts with a 302"
	like "$start" "^[Ll]ocation: $op/auth\?" \
	    "$name: to the provider's authorization endpoint"
	like "$start" "[?&]client_id=$client(&|$)" "$name: with client_id"
	like "$start" '[?&]code_challenge_method=S256(&|$)' "$name: with PKCE S256"
	like "$start" '[?&]state=[^&]{16,}' "$name: with a state"
	like "$start" '[?&]nonce=[^&]{16,}' "$name: with a nonce"
	flow=$(set_cookie 'oidc_login_flow_[^=]+' "$jar.start")
	ok "$name: flow cookie set" any_setting "$flow"
	like "$flow" '; *[Hh]ttp[Oo]nly' "$name: flow cookie HttpOnly"

	is "${out%% *}" 302 "$name: callback answers 302"
	is "${out#* }" "$WEB/private/page" "$name: callback redirects to return_to"
	session=$(session_cookies "$jar.headers")
	ok "$name: session cookie set" any_setting "$session"
	like "$session" '; *[Hh]ttp[Oo]nly' "$name: session cookie HttpOnly"
	like "$session" '; *[Ss]ame[Ss]ite=[Ll]ax' "$name: session cookie SameSite=Lax"
	like "$session" '; *[Pp]ath=/( *;|$)' "$name: session cookie Path=/"
	flow=$(set_cookie 'oidc_login_flow_[^=]+' "$jar.headers")
	ok "$name: flow cookie deleted by the callback" all_deleting "$flow"

	JAR=$jar
	request "$AUTH/user"
	body >"$T/user.json"
	is "$STATUS" 200 "$name: /user answers 200"
	like "$(header Content-Type)" '^application/json' "$name: /user is JSON"
	is "$(json_get "$T/user.json" is_logged_in)" true "$name: is_logged_in true"
	is "$(json_get "$T/user.json" provider)" "$name" "$name: provider"
	is "$(json_get "$T/user.json" sub)" "$login" "$name: sub"
	is "$(json_get "$T/user.json" email)" "$login@example.com" "$name: email"
	is "$(json_get "$T/user.json" name)" "$given Tester" "$name: name"
	unlike "$(body)" '"(nonce|at_hash|aud)"' "$name: no technical claims in /user"

	request "$AUTH/check"
	is "$STATUS" 200 "$name: /check 200"
	like "$(header X-Auth-Request-User)" "^($login@example.com|$login)\$" \
	    "$name: X-Auth-Request-User"
	is "$(header X-Auth-Request-Email)" "$login@example.com" \
	    "$name: X-Auth-Request-Email"
	is "$(header X-Auth-Request-Name)" "$given Tester" "$name: X-Auth-Request-Name"

	request "$AUTH/"
	is "$STATUS" 200 "$name: GET /auth/ answers 200"
	like "$(body)" "$given Tester" "$name: signed-in page names the user"
	like "$(body)" "$display" "$name: signed-in page names the provider"
	like "$(body)" '(href|action)="[^"]*/auth/logout' "$name: signed-in page offers logout"
	JAR=
}

check_login alpha alice "Acme ID" "$OP_A" "$ALPHA_ID"
check_login beta bob "Globex SSO" "$OP_B" "$BETA_ID"

# At debug level every call to a provider is one line: method, origin
# (never a path or query, which may carry a token), status and time.
calls='debug: provider call: (GET|POST) http://127\.0\.0\.1:[0-9]+: HTTP [0-9]{3} in [0-9]+ us \((new|reused) connection\)$'
is "$(grep -cE "${calls/(GET|POST)/POST}" "$T/oidc-login.log")" 2 \
    "debug log: one line per token request, two logins"
is "$(grep 'provider call: ' "$T/oidc-login.log" | grep -cvE "$calls")" 0 \
    "debug log: provider call lines name only method, origin, status, time"
is "$(grep -cE 'debug: callback: [0-9]+ us$' "$T/oidc-login.log")" 2 \
    "debug log: the callback's own time, once per login"

done_testing
