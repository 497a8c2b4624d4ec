#!/bin/bash
# The token endpoint against a hostile provider: client_secret_basic with
# RFC 6749 §2.3.1 form-encoding of an id and secret holding ':', '%',
# '+', a space and non-ASCII; client_secret_post; a public client (none);
# PKCE S256 checked by the provider.  HTTP errors, OAuth error bodies,
# non-JSON, over-size bodies and a missing id_token each end on an error
# page with 502 (400 for invalid_grant) without hanging, one log line, and
# the same process signing the next user in.  (Slow providers:
# hostile_slow.sh.)

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/hostile/lib.sh"
hostile_need
start_hostile

BASIC_ID='we:ird%id+x y-é'
BASIC_SECRET='se:cr%et+ 2ü-0123456789/=&?'
POST_ID='p:o%st+ id-ü'
POST_SECRET='p:s%+ ü-secret-0123456789/=&?'

add_provider basic basic client_secret_basic '' "$BASIC_ID" "$BASIC_SECRET"
add_provider post post client_secret_post '' "$POST_ID" "$POST_SECRET"
add_provider public public none
add_provider tok tok
add_provider wrong wrong
hostile_start

# client_auth PREFIX: how the last token request authenticated, as the
# provider saw it, and whether its PKCE verifier matched.
client_auth() {
	printf '%s pkce=%s' "$(events "$1" token_requests.0.client_auth)" \
	    "$(events "$1" token_requests.0.pkce)"
}

# --- Client authentication and PKCE. -----------------------------------------

for p in basic post public; do
	reset_events "$p"
	login "$p"
	accepted "$p"
done
reset_events basic
login basic
is "$(client_auth basic)" "client_secret_basic pkce=ok" \
    "basic: the provider decoded the form-encoded id and secret, PKCE verified"
reset_events post
login post
is "$(client_auth post)" "client_secret_post pkce=ok" \
    "post: id and secret in the body, PKCE verified"
reset_events public
login public
is "$(client_auth public)" "none pkce=ok" "public client: no secret, PKCE verified"
is "$(events public userinfo_ok)" 1 "public client: userinfo called with the access token"

# The provider really checks the verifier: redeem a code with a wrong one.
JAR=$T/jar-pkce
request "$AUTH/login/tok"
authz=$LOCATION
out=$(curl -sS -o /dev/null -w '%{redirect_url}' --max-time 5 "$authz")
code=$(urldecode "$(query_param "$out" code)")
like "$code" '^[A-Za-z0-9_-]{20,}$' "a code for the manual redemption"
answer=$(curl -sS --max-time 5 -u "tok-client:$HOSTILE_SECRET" \
    --data-urlencode grant_type=authorization_code \
    --data-urlencode "code=$code" \
    --data-urlencode "redirect_uri=$WEB/auth/callback" \
    --data-urlencode "code_verifier=$(printf 'a%.0s' {1..43})" \
    "$H/tok/token")
like "$answer" '"error":"invalid_grant".*PKCE failed' \
    "the provider refuses a wrong PKCE verifier"
# The callback of that spent code: the provider says invalid_grant.
LOG_MARK=$(_log_mark)
request "$out"
JAR_L=$JAR CB_STATUS=$STATUS CB_HEADERS=$T/last.headers \
    refused "a code redeemed elsewhere first" 400 'error=invalid_grant'
JAR=

# A client secret the provider does not know.
op_ctl "{\"op\":\"client\",\"client_id\":\"wrong-client\",
    \"client_secret\":\"the-other-secret-0123456789\",
    \"redirect_uris\":[\"$WEB/auth/callback\"]}" >/dev/null
login wrong
refused "a client secret the provider refuses" 502 'HTTP 401 \(error=invalid_client\)'

# --- Misbehaving token endpoints. --------------------------------------------

# bad_token DESC STATUS REASON TOKEN_SCENARIO_JSON
bad_token() {
	scenario tok "{\"token\": $4}"
	login tok
	refused "$1" "$2" "$3"
	BAD_MS=$ELAPSED_MS
	# The 502/504 itself shows http_timeout ended the wait; only a hang
	# (curl giving up at 20 s) fails here, not a slow machine.
	ok "$1: answered, no hang (${BAD_MS} ms)" [ "$BAD_MS" -lt 20000 ]
	scenario tok '{}'
	login tok
	accepted "$1: a good login right after"
	still_alive "$1"
}

bad_token "HTTP 500 with an OAuth error" 502 \
    'token endpoint answered HTTP 500 \(error=server_error\)' \
    '{"status": 500, "body": "{\"error\": \"server_error\"}"}'
bad_token "HTTP 400 invalid_client" 502 \
    'token endpoint answered HTTP 400 \(error=invalid_client\)' \
    '{"status": 400, "body": "{\"error\": \"invalid_client\"}"}'
bad_token "HTTP 401, a text body" 502 'token endpoint answered HTTP 401$' \
    '{"status": 401, "body": "Unauthorized", "content_type": "text/plain"}'
bad_token "HTTP 503, an HTML body" 502 'token endpoint answered HTTP 503$' \
    '{"status": 503, "body": "<html>busy</html>", "content_type": "text/html"}'
bad_token "HTTP 302" 502 'token endpoint answered HTTP 302$' \
    '{"status": 302, "body": ""}'
bad_token "HTTP 400 invalid_grant (a spent code: the user's request)" 400 \
    'token endpoint answered HTTP 400 \(error=invalid_grant\)' \
    '{"status": 400, "body": "{\"error\": \"invalid_grant\"}"}'
bad_token "HTTP 200 with an OAuth error" 502 'token endpoint: error=access_denied' \
    '{"json": {"error": "access_denied"}}'
bad_token "HTTP 200, not JSON" 502 'token response is not a JSON object' \
    '{"body": "<html>Sign in again</html>", "content_type": "text/html"}'
bad_token "HTTP 200, a JSON array" 502 'token response is not a JSON object' \
    '{"body": "[{\"id_token\": \"x.y.z\"}]"}'
bad_token "HTTP 200, an empty body" 502 'token response is not a JSON object' \
    '{"body": ""}'
bad_token "HTTP 200, a body over 64 KiB" 502 'response over 65536 bytes' \
    '{"oversize": true}'
bad_token "no id_token" 502 'token response has no id_token' \
    '{"json": {"id_token": null}}'
bad_token "an empty id_token" 502 'token response has no id_token' \
    '{"json": {"id_token": ""}}'
bad_token "id_token a number" 502 'token response: id_token is not a string' \
    '{"json": {"id_token": 42}}'
bad_token "token_type MAC" 502 'token_type is not Bearer' \
    '{"json": {"token_type": "MAC"}}'
done_testing
