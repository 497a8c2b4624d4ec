#!/bin/bash
# The test provider and the curl drivers on their own, without oidc-login:
# discovery, PKCE required, a code flow with client_secret_basic (RS256) and
# client_secret_post (ES256), token checks, userinfo, code reuse, single
# sign-on, cancel, RP-initiated logout, a clean SIGTERM.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
need_tools

# A stand-in relying party that answers every request (the callback).
"$NODE" -e '
	const s = require("http").createServer((q, r) => r.end("callback\n"));
	s.listen(0, "127.0.0.1", () => console.log(s.address().port));
' >"$T/rp.port" &
_pids+=($!)
for ((n = 0; n < 100; n++)); do
	RP_PORT=$(cat "$T/rp.port")
	[ -n "$RP_PORT" ] && break
	sleep 0.1
done
[ -n "$RP_PORT" ] || bail_out "stand-in relying party did not start"
RP=http://127.0.0.1:$RP_PORT
CB=$RP/cb
VERIFY=$top_srcdir/tests/op/verify-id-token.js

start_op op 0 --name="Acme ID" \
    "alpha-client:alpha-secret-alpha-secret-alpha-secret:client_secret_basic:$CB,$RP/" \
    "beta-client:beta-secret-beta-secret-beta-secret-beta:client_secret_post:$CB;id_token_signed_response_alg=ES256"
OP=http://127.0.0.1:$OP_PORT
is "$OP_ISSUER" "$OP" "provider prints ready with its issuer"

request "$OP/.well-known/openid-configuration"
body >"$T/disc.json"
is "$STATUS" 200 "discovery document served"
is "$(json_get "$T/disc.json" issuer)" "$OP" "discovery issuer"
is "$(json_get "$T/disc.json" code_challenge_methods_supported)" '["S256"]' \
    "only PKCE S256"
is "$(json_get "$T/disc.json" end_session_endpoint)" "$OP/session/end" \
    "end_session_endpoint offered"
like "$(json_get "$T/disc.json" id_token_signing_alg_values_supported)" \
    '"RS256".*"ES256"|"ES256".*"RS256"' "RS256 and ES256 ID tokens offered"

# pkce: sets VERIFIER and CHALLENGE.
pkce() {
	read -r VERIFIER CHALLENGE < <("$NODE" -e '
		const c = require("crypto");
		const v = c.randomBytes(32).toString("base64url");
		console.log(v, c.createHash("sha256").update(v).digest("base64url"));
	')
}

# authorize_url CLIENT STATE NONCE: an authorization request with PKCE.
authorize_url() {
	printf '%s/auth?response_type=code&client_id=%s&redirect_uri=%s&scope=%s&state=%s&nonce=%s&code_challenge=%s&code_challenge_method=S256\n' \
	    "$OP" "$1" "$(urlencode "$CB")" "openid%20email%20profile" "$2" "$3" \
	    "$CHALLENGE"
}

# token CODE VERIFIER AUTH...: the token request; response in $T/last.body.
token() {
	local code=$1 verifier=$2
	shift 2
	request "$@" --data-urlencode grant_type=authorization_code \
	    --data-urlencode "code=$code" --data-urlencode "redirect_uri=$CB" \
	    --data-urlencode "code_verifier=$verifier" "$OP/token"
}

request "$OP/auth?response_type=code&client_id=alpha-client&redirect_uri=$(urlencode "$CB")&scope=openid&state=s0&nonce=n0"
like "$LOCATION" "^$CB\?.*error=invalid_request" \
    "authorization request without PKCE refused"

# --- alpha: client_secret_basic, RS256 ----------------------------------
pkce
JAR=$T/jar-alpha
out=$(op_login "$(authorize_url alpha-client st-alpha n-alpha)" alice "$JAR")
like "$out" '^200 ' "op_login reaches the callback (stand-in answers 200)"
cb=$(cat "$JAR.callback")
like "$cb" "^$CB\?code=" "callback carries a code"
is "$(query_param "$cb" state)" st-alpha "callback carries the state"
is "$(query_param "$cb" iss)" "$(urlencode "$OP")" "callback carries iss (RFC 9207)"
code=$(query_param "$cb" code)

JAR=
token "$code" "$VERIFIER" -u "alpha-client:alpha-secret-alpha-secret-alpha-secret"
body >"$T/tok.json"
is "$STATUS" 200 "token request with client_secret_basic"
id_token=$(json_get "$T/tok.json" id_token)
access_token=$(json_get "$T/tok.json" access_token)
if "$NODE" "$VERIFY" --jwks "$OP/jwks" --issuer "$OP" --audience alpha-client \
    --nonce n-alpha --alg RS256 "$id_token" >"$T/idt.json"; then
	pass "ID token verifies (RS256, iss, aud, exp, nonce)"
else
	fail "ID token verifies (RS256, iss, aud, exp, nonce)"
fi
is "$(json_get "$T/idt.json" payload.sub)" alice "sub is the login name"
is "$(json_get "$T/idt.json" payload.email)" alice@example.com "email claim"
is "$(json_get "$T/idt.json" payload.email_verified)" true "email_verified claim"
is "$(json_get "$T/idt.json" payload.name)" "Alice Tester" "name claim"
is "$(json_get "$T/idt.json" payload.groups)" '["staff","users"]' "groups claim"

request -H "Authorization: Bearer $access_token" "$OP/me"
body >"$T/ui.json"
is "$STATUS" 200 "userinfo answers the access token"
is "$(json_get "$T/ui.json" email)" alice@example.com "userinfo email"

token "$code" "$VERIFIER" -u "alpha-client:alpha-secret-alpha-secret-alpha-secret"
is "$STATUS" 400 "a code is used only once"
like "$(body)" invalid_grant "reused code: invalid_grant"

# Single sign-on: the provider's session in the jar skips its pages.
pkce
JAR=$T/jar-alpha
out=$(op_login "$(authorize_url alpha-client st-sso n-sso)" ignored "$JAR")
like "$out" '^200 ' "second login in the same jar reaches the callback"
code=$(query_param "$(cat "$JAR.callback")" code)
JAR=
token "$code" "wrong-verifier-wrong-verifier-wrong-verifier-00" \
    -u "alpha-client:alpha-secret-alpha-secret-alpha-secret"
is "$STATUS" 400 "a wrong PKCE verifier is refused"

# --- beta: client_secret_post, ES256 -------------------------------------
pkce
JAR=$T/jar-beta
out=$(op_login "$(authorize_url beta-client st-beta n-beta)" bob "$JAR")
like "$out" '^200 ' "beta: op_login reaches the callback"
code=$(query_param "$(cat "$JAR.callback")" code)
JAR=
token "$code" "$VERIFIER" --data-urlencode client_id=beta-client \
    --data-urlencode client_secret=beta-secret-beta-secret-beta-secret-beta
body >"$T/tok.json"
is "$STATUS" 200 "token request with client_secret_post"
if "$NODE" "$VERIFY" --jwks "$OP/jwks" --issuer "$OP" --audience beta-client \
    --nonce n-beta --alg ES256 "$(json_get "$T/tok.json" id_token)" \
    >"$T/idt.json"; then
	pass "beta ID token verifies with ES256"
else
	fail "beta ID token verifies with ES256"
fi
is "$(json_get "$T/idt.json" payload.name)" "Bob Tester" "beta: name claim"

# --- cancel ----------------------------------------------------------------
pkce
out=$(op_abort "$(authorize_url alpha-client st-abort n-abort)" "$T/jar-abort")
like "$out" '^200 ' "op_abort reaches the callback"
cb=$(cat "$T/jar-abort.callback")
is "$(query_param "$cb" error)" access_denied "cancel: error=access_denied"
is "$(query_param "$cb" state)" st-abort "cancel: state kept"

# --- RP-initiated logout ---------------------------------------------------
out=$(op_logout "$OP/session/end?client_id=alpha-client&post_logout_redirect_uri=$(urlencode "$RP/")" \
    "$T/jar-alpha")
is "$out" "303 $RP/" "logout confirmed, back to post_logout_redirect_uri"
JAR=$T/jar-alpha
request "$OP/session/end?client_id=alpha-client&post_logout_redirect_uri=$(urlencode "$RP/elsewhere")"
is "$STATUS" 400 "unregistered post_logout_redirect_uri refused"
pkce
out=$(op_login "$(authorize_url alpha-client st-again n-again)" carol "$JAR")
code=$(query_param "$(cat "$JAR.callback")" code)
JAR=
token "$code" "$VERIFIER" -u "alpha-client:alpha-secret-alpha-secret-alpha-secret"
body >"$T/tok.json"
"$NODE" "$VERIFY" --jwks "$OP/jwks" --issuer "$OP" --audience alpha-client \
    "$(json_get "$T/tok.json" id_token)" >"$T/idt.json" 2>&1
is "$(json_get "$T/idt.json" payload.sub)" carol \
    "after logout the provider asks for a login again"

# --- shutdown ----------------------------------------------------------------
kill -TERM "$OP_PID"
wait "$OP_PID"
is "$?" 0 "SIGTERM: provider exits 0"
_forget_pid "$OP_PID"
is "$(cat "$T/op-op.err.log")" "" "nothing on the provider's stderr"

done_testing
