#!/bin/bash
# Hostile users (issue 12), the rest, under lighttpd: a cross-site form
# POST to /auth/logout changes nothing (curl, and headless Chromium from
# a page on another origin); provider error text is shown only to the
# browser whose flow it ends; secrets written wrongly in secrets.toml
# never appear in a message; a ROCA-weak RSA key (CVE-2017-15361) in the
# JWKS is skipped; a callback replayed with its old flow cookie is
# refused ("state already used") even when the provider would redeem the
# code again and the replay reaches another oidc-login process; 405
# answers carry Allow; a logout body over 8192 bytes gets 413.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
CHROMIUM=${CHROMIUM:-$(command -v chromium || echo /usr/bin/chromium)}

# The provider's keys, and one with the ROCA structure, made now.
make_keys "$T/keys"
"$NODE" "$top_srcdir/tests/hostile/roca-key.js" --out "$T/keys/roca.pem" \
    >/dev/null || bail_out "roca-key.js could not make a key"
OP_SCRIPT=$HOSTILE_SCRIPT start_op hostile 0 --keys="$T/keys"
H=$OP_ISSUER

add_provider lo lo
add_provider err err
add_provider roca roca
add_provider roca1 roca1
add_provider rp rp
hostile_start

# flow_start PROVIDER JAR: starts a login in the browser of JAR and walks
# to the provider, which answers with a code; prints the callback URL,
# not requested.  The start's headers: JAR.start.
flow_start() {
	local out
	out=$(curl -sS -o /dev/null -D "$2.start" -b "$2" -c "$2" --max-time 5 \
	    -w '%{redirect_url}' "$AUTH/login/$1?return_to=%2Fprivate%2Fpage")
	curl -sS -o /dev/null -b "$2" -c "$2" --max-time 5 -w '%{redirect_url}' \
	    "$out"
}

# flow_cookie JAR: the name=value of the flow cookie JAR's start set.
flow_cookie() {
	tr -d '\r' <"$1.start" | sed -n 's/^[Ss]et-[Cc]ookie: *//p' |
	    grep -o '^oidc_login_flow_[^=]*=[^;]*' | head -n 1
}

# signed_in JAR: succeeds when /auth/user says the browser of JAR is.
signed_in() {
	local saved=$JAR_L r
	JAR_L=$1
	r=$(_user_logged_in)
	JAR_L=$saved
	[ "$r" = true ]
}

# not COMMAND...: succeeds when COMMAND fails.
not() {
	! "$@"
}

# no_set_cookie: succeeds unless the last response sets any cookie.
no_set_cookie() {
	[ -z "$(header Set-Cookie)" ]
}

# input_value NAME: the value of the <input name=NAME> in the last body.
input_value() {
	body | tr '\n' ' ' | grep -o "<input[^>]*name=\"$1\"[^>]*>" | head -n 1 |
	    grep -o 'value="[^"]*"' | sed 's/^value="//; s/"$//'
}

# =========================================================================
# (5) Logout CSRF.
# =========================================================================

# csrf_post DESC JAR [CURL_ARGS...]: the attacker's form POST to
# /auth/logout in the browser of JAR (no jar: a browser without cookies).
csrf_post() {
	local desc=$1 jar=$2
	shift 2
	JAR=$jar
	request -H "Origin: http://attacker.test" \
	    -H "Referer: http://attacker.test/prize.html" \
	    -H "Sec-Fetch-Site: cross-site" "$@" "$AUTH/logout"
	JAR=
	ok "$desc: no Set-Cookie in the answer ($STATUS)" no_set_cookie
}

JAR=
csrf_post "logout CSRF, no cookies at all" "" --data-urlencode "return_to=/"
is "$STATUS" 303 "logout CSRF, no cookies: a 303"
like "$LOCATION" "^($WEB)?/\$|^($WEB)?/auth/" \
    "logout CSRF, no cookies: to return_to or the signed-out page"
csrf_post "logout CSRF, no cookies, no form fields" "" --data ""
csrf_post "logout CSRF, no cookies, csrf=junk" "" \
    --data-urlencode "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    --data-urlencode "return_to=/"

# A browser in the middle of a login: its flow cookie stays too.
rm -f "$T/jar-midflow"
flow_start lo "$T/jar-midflow" >/dev/null
like "$(flow_cookie "$T/jar-midflow")" '^oidc_login_flow_' \
    "(a browser in the middle of a login has a flow cookie)"
csrf_post "logout CSRF, only a flow cookie" "$T/jar-midflow" \
    --data-urlencode "return_to=/"

# The victim, signed in; the attacker, signed in on his own browser.
login lo
accepted "logout CSRF: the victim signs in"
victim=$JAR_L
login lo
accepted "logout CSRF: the attacker signs in (his own browser)"
JAR=$JAR_L
request "$AUTH/logout?return_to=%2F"
attacker_csrf=$(input_value csrf)
JAR=
like "$attacker_csrf" '^.{16,}$' "(the attacker holds a CSRF token of his own)"

mark=$(_log_mark)
csrf_post "logout CSRF with the victim's session, no csrf" "$victim" \
    --data-urlencode "return_to=/"
ok "  ... the victim is still signed in" signed_in "$victim"
csrf_post "logout CSRF with the victim's session, csrf=junk" "$victim" \
    --data-urlencode "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" \
    --data-urlencode "return_to=/"
ok "  ... the victim is still signed in" signed_in "$victim"
csrf_post "logout CSRF with the victim's session, the attacker's csrf" \
    "$victim" --data-urlencode "csrf=$attacker_csrf" \
    --data-urlencode "return_to=/"
ok "  ... the victim is still signed in" signed_in "$victim"
csrf_post "logout CSRF with the victim's session, text/plain body" "$victim" \
    -H 'Content-Type: text/plain' --data-binary 'return_to=/'
ok "  ... the victim is still signed in" signed_in "$victim"
# Not vacuous: the POSTs did reach oidc-login with the session.
like "$(_logs_since "$mark")" 'logout: CSRF token (missing|invalid)' \
    "(oidc-login saw those POSTs with the victim's session)"

# The control: the victim's own sign-out, with the right token, works.
JAR=$victim
request "$AUTH/logout?return_to=%2F"
request --data-urlencode "csrf=$(input_value csrf)" \
    --data-urlencode "return_to=/" "$AUTH/logout"
JAR=
like "$STATUS" '^30[23]$' "the victim's own sign-out: redirected"
ok "the victim's own sign-out: the session cookie is cleared" \
    all_deleting "$(session_cookies)"
ok "the victim's own sign-out: signed out" not signed_in "$victim"

# The same in a browser, from a page on another origin.
if [ ! -x "$CHROMIUM" ]; then
	skip "logout CSRF in Chromium" "chromium not installed"
elif [ ! -d "$top_srcdir/tests/node_modules/playwright-core" ]; then
	skip "logout CSRF in Chromium" "tests/node_modules/playwright-core missing"
else
	if CHROMIUM=$CHROMIUM "$NODE" "$top_srcdir/tests/hostile/logout-csrf.js" \
	    "$AUTH" lo >"$T/browser.json" 2>"$T/browser.log"; then
		pass "Chromium: the logout CSRF walk runs"
	else
		fail "Chromium: the logout CSRF walk runs" "$(tail -n 20 "$T/browser.log")"
	fi
	b() { json_get "$T/browser.json" "$1"; }
	is "$(b signed_in)" true "Chromium: signed in through the provider"
	for site in same_site cross_site; do
		label="Chromium, attacker page on another ${site/_/-} origin"
		like "$(b "$site.post_status")" '^[1-5][0-9][0-9]$' \
		    "$label: its form POST reached /auth/logout ($(b "$site.post_status"))"
		is "$(b "$site.set_cookie")" "" "$label: no Set-Cookie in the answer"
		is "$(b "$site.signed_in_after")" true "$label: still signed in"
	done
	is "$(b same_site.cookie_sent)" true \
	    "Chromium: the same-site page's POST carried the session cookie"
	is "$(b cross_site.cookie_sent)" false \
	    "Chromium: the cross-site page's POST did not (SameSite=Lax)"
	is "$(b own_logout.signed_in_before) $(b own_logout.signed_in_after)" \
	    "true false" "Chromium: the user's own sign-out signs out (the control)"
fi

# =========================================================================
# (6) The provider's error text, shown only to the flow it ends.
# =========================================================================

WORDS="Zq9-account-locked-call-555-0100"
words=$(urlencode "Your account is locked: $WORDS <b>now</b>")

# error_generic DESC URL [JAR]: the callback URL in the browser of JAR
# (default: none) gives a generic 400 page without the attacker's words.
error_generic() {
	JAR=${3:-}
	request "$2"
	JAR=
	is "$STATUS" 400 "$1: 400"
	like "$(header Content-Type)" '^text/html' "$1: an HTML page"
	if grep -aqF "$WORDS" "$T/last.body"; then
		fail "$1: the attacker's words are not on the page" \
		    "$(grep -aoF -m1 "$WORDS" "$T/last.body")"
	else
		pass "$1: the attacker's words are not on the page"
	fi
}

error_generic "error callback, a state of no flow" \
    "$AUTH/callback?error=access_denied&error_description=$words&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
error_generic "error callback, no state" \
    "$AUTH/callback?error=access_denied&error_description=$words"
error_generic "error callback, the words in the error code" \
    "$AUTH/callback?error=$words&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
# The attacker's own flow: its state is real, but not this browser's.
rm -f "$T/jar-eve"
cb=$(flow_start err "$T/jar-eve")
state=$(query_param "$cb" state)
like "$state" '^[A-Za-z0-9_-]{20,}$' "(the attacker has the state of his own flow)"
error_generic "error callback, the state of another browser's flow" \
    "$AUTH/callback?error=access_denied&error_description=$words&state=$state"
error_generic "error callback, that state, and an empty cookie jar" \
    "$AUTH/callback?error=access_denied&error_description=$words&state=$state" \
    "$T/jar-empty"

# The browser's own live flow: the provider's words are shown, escaped.
rm -f "$T/jar-own"
cb=$(flow_start err "$T/jar-own")
state=$(query_param "$cb" state)
JAR=$T/jar-own
request "$AUTH/callback?error=access_denied&error_description=$words&state=$state"
JAR=
is "$STATUS" 400 "error callback, this browser's live flow: 400"
like "$(body)" "$WORDS &lt;b&gt;now&lt;/b&gt;" \
    "error callback, this browser's live flow: the provider's words, escaped"
unlike "$(body)" '<b>now' "  ... never as markup"
scenario err "{\"authorize\": {\"error\": \"access_denied\",
    \"error_description\": \"$WORDS\"}}"
login err
is "$CB_STATUS" 400 "a real provider error: 400"
like "$(cat "$JAR_L.body")" "$WORDS" "a real provider error: its words are shown"
scenario err '{}'

# =========================================================================
# (8) A ROCA-weak RSA key in the JWKS (CVE-2017-15361).
# =========================================================================

is "$("$NODE" "$top_srcdir/tests/hostile/roca-key.js" --check "$T/keys/roca.pem")" \
    roca "(the key made has the ROCA fingerprint)"
is "$("$NODE" "$top_srcdir/tests/hostile/roca-key.js" --check "$T/keys/rsa.pem")" \
    clean "(an openssl key has not)"
is "$(openssl pkey -in "$T/keys/roca.pem" -noout -text 2>/dev/null | head -n 1)" \
    "Private-Key: (2048 bit, 2 primes)" "(it is a 2048-bit RSA key)"

publish roca '[{"key": "rsa"}, {"key": "roca"}]'
scenario roca '{"sign": {"alg": "RS256", "key": "roca"}}'
login roca
refused "a token signed with the ROCA key" 502 '.'
like "$(_logs_since "$LOG_MARK" | grep -a ROCA)" 'ROCA' \
    "a log line says the key was skipped for ROCA"
scenario roca '{"sign": {"alg": "PS256", "key": "roca"}}'
login roca
refused "PS256 with the ROCA key" 502 '.'
scenario roca '{}'
login roca
accepted "the other key of the same JWKS still signs in"

# The ROCA key alone, without a kid, and a token without one.
publish roca1 '[{"key": "roca", "kid": null}]'
scenario roca1 '{"sign": {"alg": "RS256", "key": "roca", "kid": null}}'
login roca1
refused "the ROCA key alone, no kid" 502 '.'
like "$(_logs_since "$LOG_MARK" | grep -a ROCA)" 'ROCA' \
    "the ROCA key alone: a log line says so"

# =========================================================================
# (9) A callback replayed, the provider redeeming the code again.
# =========================================================================

scenario rp '{"token": {"reusable_code": true}}'

# token_request CODE VERIFIER: redeems CODE at the provider directly;
# prints the HTTP status.
token_request() {
	curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
	    -u "rp-client:$HOSTILE_SECRET" \
	    --data-urlencode grant_type=authorization_code \
	    --data-urlencode "code=$1" \
	    --data-urlencode "redirect_uri=$WEB/auth/callback" \
	    --data-urlencode "code_verifier=$2" "$H/rp/token"
}

# Not vacuous: this provider does redeem a code twice.
verifier=$(random_hex)
challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary |
    openssl base64 -A | tr '+/' '-_' | tr -d '=')
loc=$(curl -sS -o /dev/null -w '%{redirect_url}' --max-time 5 \
    "$H/rp/authorize?response_type=code&client_id=rp-client&scope=openid&state=s&nonce=n&code_challenge_method=S256&code_challenge=$challenge&redirect_uri=$(urlencode "$WEB/auth/callback")")
code=$(urldecode "$(query_param "$loc" code)")
is "$(token_request "$code" "$verifier") $(token_request "$code" "$verifier")" \
    "200 200" "(token.reusable_code: the provider redeems a code twice)"

# replay DESC URL FLOW_COOKIE: the callback URL requested again by a
# browser holding only the old flow cookie; must be refused.
replay() {
	JAR_L=$T/jar-replay-$RANDOM
	LOG_MARK=$(_log_mark)
	JAR=$JAR_L
	request -H "Cookie: $3" "$2"
	JAR=
	CB_STATUS=$STATUS
	CB_HEADERS=$T/last.headers
	refused "$1" 400 'state already used'
}

# redemptions URL: how often the provider saw the code of callback URL.
redemptions() {
	events rp "redemptions.$(urldecode "$(query_param "$1" code)")"
}

rm -f "$T/jar-a"
cb=$(flow_start rp "$T/jar-a")
fc=$(flow_cookie "$T/jar-a")
JAR=$T/jar-a
request "$cb"
JAR=
is "$STATUS $LOCATION" "302 $WEB/private/page" "replay: the first callback signs in"
replay "replay: the same callback, the old flow cookie" "$cb" "$fc"
is "$(redemptions "$cb")" 1 "replay: the code went to the provider once"

# Another oidc-login process: a second lighttpd sharing the secret and
# the configuration, on another port of the same host.
# start_second_lighttpd: lighttpd.conf on another port, socket and logs.
# Sets WEB2 and LIGHTTPD2_PID; returns 1 when it does not come up.
start_second_lighttpd() {
	local tag2="oidc-login-test-$$-b$RANDOM"
	free_port WEB2_PORT
	WEB2=http://127.0.0.1:$WEB2_PORT
	sed -e "s#^server.port = .*#server.port = $WEB2_PORT#" \
	    -e "s#^server.tag = .*#server.tag = \"$tag2\"#" \
	    -e "s#^server.errorlog = .*#server.errorlog = \"$T/lighttpd-2.log\"#" \
	    -e "s#$T/oidc-login.sock#$T/oidc-login-2.sock#" \
	    "$T/lighttpd.conf" >"$T/lighttpd-2.conf"
	"$LIGHTTPD" -D -f "$T/lighttpd-2.conf" >>"$T/oidc-login-2.log" 2>&1 &
	LIGHTTPD2_PID=$!
	_pids+=("$LIGHTTPD2_PID")
	wait_server_tag "$WEB2/" "$tag2" "$LIGHTTPD2_PID" && return 0
	_stop_pid "$LIGHTTPD2_PID"
	_forget_pid "$LIGHTTPD2_PID"
	return 1
}
# (Another test may take the port first: then another one.)
start_second_lighttpd || start_second_lighttpd || start_second_lighttpd ||
    bail_out "the second lighttpd did not start"
touch "$T/lighttpd-2.log"
curl -s -o /dev/null --max-time 5 "$WEB2/auth/user"
p1=$(pgrep -P "$LIGHTTPD_PID" | head -n 1)
p2=$(pgrep -P "$LIGHTTPD2_PID" | head -n 1)
ok "(two oidc-login processes: $p1 and $p2)" \
    test -n "$p1" -a -n "$p2" -a "$p1" != "$p2"

# replay2 DESC URL FLOW_COOKIE: replay at the second server.
replay2() {
	local n1 n2 lines
	n1=$(wc -l <"$T/oidc-login-2.log")
	n2=$( (wc -l <"$T/lighttpd-2.log") 2>/dev/null || echo 0)
	JAR=$T/jar-replay2-$RANDOM
	request -H "Cookie: $3" "${2/#$WEB/$WEB2}"
	is "$STATUS" 400 "$1: 400"
	ok "$1: no session cookie set" sets_no_session
	is "$(_user_logged_in_at "$WEB2")" false "$1: not signed in there"
	JAR=
	lines=$( { tail -n +"$((n1 + 1))" "$T/oidc-login-2.log"
	    tail -n +"$((n2 + 1))" "$T/lighttpd-2.log" 2>/dev/null; } |
	    grep -aE 'GET /auth/callback: [0-9]{3} ' || true)
	like "$lines" ': 400 .*state already used' "$1: the log line says state already used"
}

_user_logged_in_at() {
	curl -sS -b "$JAR" --max-time 5 "$1/auth/user" |
	    sed -n 's/^{ *"is_logged_in" *: *\(true\|false\)[,}].*/\1/p'
}

rm -f "$T/jar-c"
cb=$(flow_start rp "$T/jar-c")
fc=$(flow_cookie "$T/jar-c")
JAR=$T/jar-c
request "$cb"
JAR=
is "$STATUS $LOCATION" "302 $WEB/private/page" \
    "replay across processes: the first callback signs in (process 1)"
replay2 "replay across processes: the same callback at process 2" "$cb" "$fc"
is "$(redemptions "$cb")" 1 "replay across processes: the code went to the provider once"

rm -f "$T/jar-d"
cb=$(flow_start rp "$T/jar-d")
fc=$(flow_cookie "$T/jar-d")
JAR=$T/jar-d
request "${cb/#$WEB/$WEB2}"
JAR=
is "$STATUS $LOCATION" "302 $WEB2/private/page" \
    "a flow started at process 1 completes at process 2"
replay "replay across processes: the same callback back at process 1" "$cb" "$fc"
is "$(redemptions "$cb")" 1 "  ... the code went to the provider once"

_stop_pid "$LIGHTTPD2_PID"
_forget_pid "$LIGHTTPD2_PID"

# =========================================================================
# (10) 405 with Allow; 413 for a logout body over 8192 bytes.
# =========================================================================

# allow DESC METHOD PATH ALLOW
allow() {
	request -X "$2" --data '' "$AUTH$3"
	is "$STATUS" 405 "$1: 405"
	is "$(header Allow)" "$4" "$1: Allow: $4"
}

allow "POST to the callback" POST '/callback?code=x&state=y' "GET, HEAD"
allow "PUT to the callback" PUT /callback "GET, HEAD"
allow "DELETE to the callback" DELETE /callback "GET, HEAD"
allow "POST to /user" POST /user "GET, HEAD"
allow "POST to /" POST / "GET, HEAD"
allow "PUT to /logout" PUT /logout "GET, HEAD, POST"

# form_body N FILE: a form body of exactly N bytes.
form_body() {
	{ printf 'return_to=%%2F&pad='; head -c "$(($1 - 18))" /dev/zero |
	    tr '\0' x; } >"$2"
}

for n in 8193 9000 100000 200000 1000000; do
	form_body "$n" "$T/form"
	is "$(wc -c <"$T/form" | tr -d ' ')" "$n" "(a form body of $n bytes)"
	request -H 'Content-Type: application/x-www-form-urlencoded' \
	    --data-binary @"$T/form" "$AUTH/logout"
	is "$STATUS" 413 "POST /logout, $n bytes: 413"
done
form_body 9000 "$T/form"
request -H 'Content-Type: application/x-www-form-urlencoded' \
    -H 'Transfer-Encoding: chunked' --data-binary @"$T/form" "$AUTH/logout"
is "$STATUS" 413 "POST /logout, 9000 bytes chunked: 413"
form_body 8192 "$T/form"
request -H 'Content-Type: application/x-www-form-urlencoded' \
    --data-binary @"$T/form" "$AUTH/logout"
is "$STATUS" 303 "POST /logout, 8192 bytes (the limit): read (303)"

still_alive "after the misc cases"

# =========================================================================
# (7) Secrets written wrongly never appear in a message.  Last: it ends
# with lighttpd started on a configuration that cannot load.
# =========================================================================

# A valid configuration with secrets; then one line at a time replaced.
SECRET_CORE=$(random_hex | head -c 24)
good_config() {
	cat <<EOF
# oidc-login secrets test
[auth]
redirect_uri = "$WEB/auth/callback"
cookie_secret = "$(random_hex)"
template_dir = "$top_srcdir/templates"

[auth.cfg]
client_id = "cfg-client"
client_secret = "GOCSPX-$SECRET_CORE"
server_metadata_url = "$H/cfg/.well-known/openid-configuration"

[connections.db]
password = "db-$SECRET_CORE"
EOF
}

# leaks TEXT: succeeds when TEXT holds the secret core or a piece of it.
leaks() {
	printf '%s' "$1" | grep -aqF -e "${SECRET_CORE:0:10}" \
	    -e "${SECRET_CORE:7:10}" -e "${SECRET_CORE: -10}"
}

good_config >"$T/good.toml"
out=$("$OIDC_LOGIN" --check-config -c "$T/good.toml" 2>&1)
rc=$?
is "$rc" 0 "--check-config on a good configuration: exit 0"
ok "--check-config on a good configuration: no secret in its summary" \
    not leaks "$out"

# secret_case DESC PATTERN LINE: the configuration with the first line
# matching PATTERN replaced by LINE; --check-config refuses it, names the
# place, and prints no part of the secret.
secret_case() {
	local desc=$1 out rc
	# (ENVIRON: awk -v would read the backslashes as escapes.)
	good_config | P=$2 L=$3 awk \
	    '!done && $0 ~ ENVIRON["P"] { print ENVIRON["L"]; done = 1; next }
	    { print }' >"$T/bad.toml"
	out=$("$OIDC_LOGIN" --check-config -c "$T/bad.toml" 2>&1)
	rc=$?
	ok "$desc: --check-config refuses it (exit $rc)" test "$rc" -ne 0
	like "$out" 'bad\.toml:[0-9]+' "$desc: the message names the line"
	if leaks "$out"; then
		fail "$desc: the message holds no part of the secret" "$out"
	else
		pass "$desc: the message holds no part of the secret"
	fi
}

S=$SECRET_CORE
while IFS='|' read -r desc pattern line; do
	line=${line//@S@/$S}
	secret_case "$desc" "$pattern" "${line//@NL@/$'\n'}"
done <<'EOF'
client_secret unquoted|^client_secret|client_secret = GOCSPX-@S@
client_secret unquoted, two words|^client_secret|client_secret = GOCSPX-@S@ and more
client_secret starting with digits, unquoted|^client_secret|client_secret = 1234@S@
client_secret with a bad escape|^client_secret|client_secret = "GOCSPX-@S@\q"
client_secret with a bad \u escape|^client_secret|client_secret = "GOCSPX-\uZZ@S@"
client_secret unterminated|^client_secret|client_secret = "GOCSPX-@S@
client_secret unterminated, single quotes|^client_secret|client_secret = 'GOCSPX-@S@
client_secret unterminated multi-line|^client_secret|client_secret = """GOCSPX-@S@
client_secret with text after it|^client_secret|client_secret = "GOCSPX-x" GOCSPX-@S@
client_secret with a NUL escape|^client_secret|client_secret = "GOCSPX-@S@\u0000x"
client_secret as a bare key value pair|^client_secret|client_secret GOCSPX-@S@
cookie_secret unquoted|^cookie_secret|cookie_secret = @S@@S@
cookie_secret starting with digits, unquoted|^cookie_secret|cookie_secret = 0@S@@S@
cookie_secret too short|^cookie_secret|cookie_secret = "@S@"
cookie_secret_previous unquoted in an array|^template_dir|template_dir = "/"@NL@cookie_secret_previous = [@S@@S@]
EOF

# The program's own log, when lighttpd starts it with such a file.
good_config | sed "s/^client_secret = .*/client_secret = GOCSPX-$S/" >"$T/bad.toml"
mark=$(_log_mark)
stop_lighttpd
try_start_lighttpd "$T/bad.toml" "$WEB_PORT" || true
curl -s -o /dev/null --max-time 5 "$AUTH/"
sleep 0.5
stop_lighttpd
logged=$(_logs_since "$mark")
like "$logged" 'client_secret' \
    "started by lighttpd with an unquoted client_secret: the log says what is wrong"
if leaks "$logged"; then
	fail "  ... and holds no part of the secret" \
	    "$(printf '%s\n' "$logged" | grep -aF "${S:0:10}" | head -n 3)"
else
	pass "  ... and holds no part of the secret"
fi

done_testing
