#!/bin/bash
# The rest of the flow against a hostile provider: userinfo (Bearer, a
# different sub), the authorization response (error text escaped; state
# missing, unknown, reused or from another browser: 400), a code
# redeemed once, and RP-initiated logout (id_token_hint when kept,
# client_id, post_logout_redirect_uri; logout_mode = "local" stays here).

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
start_hostile

add_provider ui ui
add_provider noui noui client_secret_basic 'userinfo = false'
add_provider flow flow
add_provider err err
add_provider lo lo
hostile_start

# --- Userinfo. ---------------------------------------------------------------

login ui
accepted "userinfo: a normal login"
is "$(events ui userinfo) $(events ui userinfo_ok)" "1 1" \
    "userinfo called once, with the access token as Bearer"
is "$(curl -s -o /dev/null -w '%{http_code}' "$H/ui/userinfo")" 401 \
    "(the provider refuses userinfo without the Bearer token)"

scenario ui '{"userinfo": {"claims": {"name": "Alice From Userinfo",
    "iss": "http://evil.example", "nonce": "x"}}}'
login ui
accepted "userinfo: extra claims"
JAR=$JAR_L
request "$AUTH/user"
JAR=
body >"$T/user.json"
is "$(json_get "$T/user.json" name)" "Alice From Userinfo" \
    "userinfo claims are merged over the ID token's"
unlike "$(body)" 'evil\.example' "userinfo cannot replace the ID token's iss"

scenario ui '{"userinfo": {"sub": "mallory"}}'
login ui
refused "userinfo of another sub" 502 'userinfo sub differs'
scenario ui '{"userinfo": {"status": 500}}'
login ui
refused "userinfo HTTP 500" 502 'userinfo endpoint answered HTTP 500'
scenario ui '{"userinfo": {"claims": {"sub": null}}}'
login ui
refused "userinfo without sub" 502 'userinfo has no sub'

scenario ui '{"at_hash": "omit",
    "token": {"json": {"access_token": "at\\r\\nX-Injected: 1"}}}'
login ui
refused "an access token that would inject a header into the userinfo call" \
    502 'access token holds bytes not allowed in a header'
scenario ui "{\"userinfo\": {\"claims\": {\"padding\": \"$(printf 'x%.0s' {1..70000})\"}}}"
login ui
refused "a userinfo answer over 64 KiB" 502 'response over 65536 bytes'
scenario ui '{"userinfo": {"status": 200, "claims": {"sub": ["alice"]}}}'
login ui
refused "a userinfo sub that is an array" 502 'userinfo has no sub'
scenario ui '{"userinfo": {"content_type": "application/jwt"}}'
login ui
refused "a signed (application/jwt) userinfo answer" 502 \
    'signed userinfo not supported'

login noui
accepted "userinfo = false"
is "$(events noui userinfo)" 0 "userinfo = false: the endpoint is never called"

# --- The provider's error response. -----------------------------------------

# error_page DESC ERROR DESCRIPTION
error_page() {
	scenario err "{\"authorize\": {\"error\": $(json_string "$2"),
	    \"error_description\": $(json_string "$3")}}"
	login err
	refused "$1" 400 "provider answered error="
	like "$(tr -d '\r' <"$CB_HEADERS" | grep -i '^content-type:')" 'text/html' \
	    "$1: an HTML error page"
}

error_page "access_denied with <script> in the description" access_denied \
    '<script>alert("x")</script> & more'
like "$(cat "$JAR_L.body")" '&lt;script&gt;alert\(&(quot|#34|#x22);x&(quot|#34|#x22);\)&lt;/script&gt; &amp; more' \
    "the description is shown HTML-escaped"
unlike "$(cat "$JAR_L.body")" '<script' "no <script> on the page"

error_page "an error code that is markup" '<img src=x onerror=alert(1)>' \
    "it's \"quoted\""
unlike "$(cat "$JAR_L.body")" '<img' "the error code is escaped"
like "$(cat "$JAR_L.body")" '&lt;img src=x onerror=alert\(1\)&gt;' \
    "the error code is shown escaped"
like "$(_logs_since "$LOG_MARK")" 'error=<img src=x onerror=alert\(1\)>' \
    "(the log line names it)"

error_page "invalid_scope, control characters in the description" \
    invalid_scope "$(printf 'line one\r\nSet-Cookie: x=y\x01')"
unlike "$(tr -d '\r' <"$CB_HEADERS")" '^Set-Cookie: x=y' "no header injection"

# --- RFC 9207: the iss of the authorization response. ----------------------

scenario flow '{"authorize": {"iss": true}}'
login flow
accepted "iss = the provider's issuer"
reset_events flow
scenario flow "{\"authorize\": {\"iss\": \"$H/ui\"}}"
login flow
refused "iss of another provider (mix-up)" 400 'iss .* is not the issuer'
is "$(events flow token)" 0 "the code was not sent to the token endpoint"
scenario flow "{\"authorize\": {\"iss\": \"$H/flow/\"}}"
login flow
refused "iss with a trailing slash" 400 'iss .* is not the issuer'
scenario flow '{}'

# --- state. --------------------------------------------------------------------

# start_login JAR: starts a login through flow and walks to the provider,
# which answers with a code; prints the callback URL, not requested.  The
# start's headers go to JAR.start.
start_login() {
	local out
	out=$(curl -sS -o /dev/null -D "$1.start" -b "$1" -c "$1" --max-time 5 \
	    -w '%{redirect_url}' "$AUTH/login/flow?return_to=%2Fprivate%2Fpage")
	curl -sS -o /dev/null -b "$1" -c "$1" --max-time 5 \
	    -w '%{redirect_url}' "$out"
}

# callback DESC JAR URL STATUS REASON [CURL_ARGS...]: requests URL as the
# callback in the browser of JAR, and checks the refusal.
callback() {
	local desc=$1 jar=$2 url=$3 status=$4 reason=$5
	shift 5
	JAR_L=$jar
	JAR=$jar
	LOG_MARK=$(_log_mark)
	request "$@" "$url"
	JAR=
	CB_STATUS=$STATUS
	CB_HEADERS=$T/last.headers
	refused "$desc" "$status" "$reason"
}

a=$T/jar-browser-a
b=$T/jar-browser-b
cb_a=$(start_login "$a")
like "$cb_a" "^$WEB/auth/callback\\?.*code=" "browser A: the provider sends a code"
cb_b=$(start_login "$b")
like "$cb_b" "^$WEB/auth/callback\\?.*code=" "browser B: the provider sends a code"
code_a=$(urldecode "$(query_param "$cb_a" code)")
state_a=$(query_param "$cb_a" state)

callback "callback without state" "$a" "$AUTH/callback?code=x" 400 \
    'callback without state'
callback "callback with an unknown state" "$a" \
    "$AUTH/callback?code=x&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" 400 \
    'no flow cookie for this state'
callback "callback with a malformed state" "$a" \
    "$AUTH/callback?code=x&state=..%2F..%0A%3Cx%3E" 400 \
    'state parameter malformed'
callback "callback with two states" "$a" \
    "$AUTH/callback?code=x&state=$state_a&state=$state_a" 400 \
    'parameter state repeated'
callback "browser A's callback in browser B" "$b" "$cb_a" 400 \
    'no flow cookie for this state'
is "$(events flow "redemptions.$code_a")" "" \
    "the code was not redeemed for browser B"

JAR_L=$a
JAR=$a
request "$cb_a"
JAR=
is "$STATUS $LOCATION" "302 $WEB/private/page" \
    "browser A's own callback still signs in"
is "$(_user_logged_in)" true "browser A is signed in"
is "$(events flow "redemptions.$code_a")" 1 "the provider saw the code once"

# The same callback again in the signed-in browser (a reload): nothing to
# refuse, it just goes on to return_to, the code untouched.
JAR=$a
LOG_MARK=$(_log_mark)
request "$cb_a"
JAR=
is "$STATUS $LOCATION" "302 $WEB/private/page" \
    "the same callback again, signed in: on to return_to"
ok "  ... no session cookie set" sets_no_session
is "$(_user_logged_in)" true "  ... still signed in"
like "$(_logs_since "$LOG_MARK")" 'signed in already, going on' \
    "  ... a log line says why"
is "$(events flow "redemptions.$code_a")" 1 "the provider still saw the code once"

# The old flow cookie put back: the state matches, the provider refuses
# the spent code.
flow_cookie=$(tr -d '\r' <"$a.start" | sed -n 's/^[Ss]et-[Cc]ookie: *//p' |
    grep -o '^oidc_login_flow_[^=]*=[^;]*' | head -n 1)
like "$flow_cookie" '^oidc_login_flow_' "browser A's flow cookie is known"
callback "the callback replayed with its old flow cookie" "$T/jar-empty" \
    "$cb_a" 400 'state already used' -H "Cookie: $flow_cookie"
is "$(events flow "redemptions.$code_a")" 1 \
    "the replay did not even reach the provider (the state was used here)"

# A flow without its code.
cb_c=$(start_login "$T/jar-c")
callback "a callback without code" "$T/jar-c" \
    "$AUTH/callback?state=$(query_param "$cb_c" state)" 400 'callback without code'

still_alive "after the state checks"

# --- Logout at the provider. ---------------------------------------------------

# input_value NAME: the value of the <input name=NAME> in the last body.
input_value() {
	body | tr '\n' ' ' | grep -o "<input[^>]*name=\"$1\"[^>]*>" | head -n 1 |
	    grep -o 'value="[^"]*"' | sed 's/^value="//; s/"$//'
}

# logout: signs the last login's browser out; sets STATUS and LOCATION.
logout() {
	local csrf
	JAR=$JAR_L
	request "$AUTH/logout?return_to=%2F"
	csrf=$(input_value csrf)
	request --data-urlencode "csrf=$csrf" --data-urlencode "return_to=/" \
	    "$AUTH/logout"
	JAR=
}

# id_token_of JAR: the ID token /user shows for that browser.
id_token_of() {
	local saved=$JAR_L
	JAR=$1
	request "$AUTH/user"
	JAR=
	body >"$T/user.json"
	json_get "$T/user.json" tokens.id
}

login lo
accepted "logout: signed in (ID token not exposed)"
logout
like "$STATUS" '^30[23]$' "logout redirects"
like "$LOCATION" "^$H/lo/end_session\\?" "to the provider's end_session_endpoint"
is "$(query_param "$LOCATION" client_id)" lo-client "with client_id"
is "$(urldecode "$(query_param "$LOCATION" post_logout_redirect_uri)")" "$WEB/" \
    "with post_logout_redirect_uri"
like "$(query_param "$LOCATION" id_token_hint)" '^ey' \
    "with id_token_hint: the ID token is kept for logout, though not exposed"
is "$(_user_logged_in)" false "signed out here"

hostile_restart 'expose_tokens = ["id"]'
login lo
accepted "logout: signed in, expose_tokens = [\"id\"]"
id_token=$(id_token_of "$JAR_L")
like "$id_token" '^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$' \
    "/user shows the kept ID token"
logout
like "$LOCATION" "^$H/lo/end_session\\?" "logout goes to the provider"
is "$(query_param "$LOCATION" id_token_hint)" "$id_token" \
    "with id_token_hint = the kept ID token"
reset_events lo
out=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' --max-time 5 "$LOCATION")
is "$out" "302 $WEB/" "the provider accepts it and sends the browser back"
is "$(events lo end_session.0.id_token_hint)" "$id_token" \
    "the provider got the id_token_hint"
is "$(events lo end_session.0.client_id)" lo-client "the provider got client_id"
is "$(events lo end_session.0.post_logout_redirect_uri)" "$WEB/" \
    "the provider got post_logout_redirect_uri"
is "$(_user_logged_in)" false "signed out here"

hostile_restart 'logout_mode = "local"'
reset_events lo
login lo
accepted "logout: signed in, logout_mode = \"local\""
logout
is "$STATUS $LOCATION" "303 $WEB/auth/signed-out" \
    "logout_mode local: on to the signed-out page"
is "$(events lo end_session)" "[]" "the provider's end_session is not involved"
is "$(_user_logged_in)" false "signed out here"

done_testing
