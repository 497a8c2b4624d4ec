#!/bin/bash
# Sign-ins through a real LemonLDAP::NG (Debian's 2.16 portal, under
# plackup, from a private configuration in $T), driven with curl: its
# login page is a plain HTML form.  Covers each ID token algorithm it
# offers (RS256/384/512; HS256/512 keyed by the client secret, enabled
# with id_token_hmac_algs), client_secret_basic and client_secret_post,
# PKCE required by the provider, a public client, the claims that come
# only from its userinfo endpoint, and logout through the provider and
# back.  The oidc-login configuration is what a user would write from
# the portal's documentation: its issuer is the portal URL with a
# trailing slash, and no `issuer` or auth method is set to match it.

. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/common.sh"
. "$top_srcdir/tests/lib/servers.sh"
. "$top_srcdir/tests/real/lib.sh"
. "$top_srcdir/tests/real/llng.sh"
need_tools
need_llng

SECRET=llng-secret-0123456789-0123456789-0123456789-abcdef
LLNG_LOG_LEVEL=debug

configure() {
	local url="http://127.0.0.1:$PROVIDER_PORT/.well-known/openid-configuration"
	llng_rp rs256 "$SECRET-rs256" RS256
	llng_rp rs384 "$SECRET-rs384" RS384
	llng_rp rs512 "$SECRET-rs512" RS512
	llng_rp hs256 "$SECRET-hs256" HS256
	llng_rp hs512 "$SECRET-hs512" HS512
	llng_rp hsoff "$SECRET-hsoff" HS512
	llng_rp post "$SECRET-post" RS256
	llng_rp pkce "$SECRET-pkce" RS256 RequirePKCE=1
	llng_rp public "" RS256 Public=1 RequirePKCE=1
	real_provider rs256 rs256 "$SECRET-rs256" "$url"
	real_provider rs384 rs384 "$SECRET-rs384" "$url"
	real_provider rs512 rs512 "$SECRET-rs512" "$url"
	real_provider hs256 hs256 "$SECRET-hs256" "$url" \
	    'id_token_hmac_algs = ["HS256"]'
	real_provider hs512 hs512 "$SECRET-hs512" "$url" \
	    'id_token_hmac_algs = ["HS512"]'
	# The provider's default for a client (HS512) without the opt-in.
	real_provider hsoff hsoff "$SECRET-hsoff" "$url"
	real_provider post post "$SECRET-post" "$url" \
	    'token_endpoint_auth_method = "client_secret_post"'
	real_provider pkce pkce "$SECRET-pkce" "$url"
	real_provider public public "" "$url" 'token_endpoint_auth_method = "none"'
}
setup_real configure start_llng

is "$(json_get "$T/llng-discovery.json" issuer)" "$LLNG/" \
    "the portal's issuer is its URL with a trailing slash"

# llng_count ERE: lines of the portal's log matching ERE.
llng_count() {
	grep -cE "$1" "$T/llng.log"
}

# login_case NAME USER EMAIL DISPLAY [AUTH_METHOD]: a fresh browser signs
# in through NAME as USER; the site sees the user; the token request used
# AUTH_METHOD (as the portal logs it); the claims came from userinfo.
login_case() {
	local name=$1 user=$2 email=$3 display=$4 method=${5:-} out jar=$T/jar-$1
	local userinfo tokens methods
	userinfo=$(llng_count '"GET /oauth2/userinfo')
	methods=$(llng_count "Method $method used")
	out=$(form_login "$(start_url "$name")" "$user" "$user" "$jar")
	check_callback "$name" "$out" "$jar" || return 1
	check_signed_in "$name" "$jar" "$name" "$user" "$email" "$display"
	is "$(llng_count '"GET /oauth2/userinfo')" "$((userinfo + 1))" \
	    "$name: the claims came from the userinfo endpoint"
	if [ -n "$method" ]; then
		is "$(llng_count "Method $method used")" "$((methods + 1))" \
		    "$name: the code was exchanged with $method"
	fi
}

login_case rs256 dwho dwho@badwolf.org "Doctor Who" client_secret_basic
login_case rs384 rtyler rtyler@badwolf.org "Rose Tyler"
login_case rs512 msmith msmith@badwolf.org "Mickey Smith"
login_case hs256 dwho dwho@badwolf.org "Doctor Who"
login_case hs512 rtyler rtyler@badwolf.org "Rose Tyler"
login_case post msmith msmith@badwolf.org "Mickey Smith" client_secret_post

# PKCE required by the portal: it refuses an authorization request
# without a code_challenge, so a pass proves oidc-login sent one (and the
# verifier with the code).
login_case pkce dwho dwho@badwolf.org "Doctor Who" client_secret_basic
like "$(tr -d '\r' <"$T/jar-pkce.start")" '[?&]code_challenge_method=S256(&|$)' \
    "pkce: the authorization request carries an S256 challenge"

# A public client: no secret anywhere, PKCE instead.
login_case public rtyler rtyler@badwolf.org "Rose Tyler" none
unlike "$(grep -A3 '"POST /oauth2/token' "$T/llng.log" | tail -n 4)" \
    'client_secret=' "public: no client_secret sent"

# An HS512 ID token when the provider section did not opt in: refused,
# and the log line says which key allows it.
out=$(form_login "$(start_url hsoff)" dwho dwho "$T/jar-hsoff")
is "${out%% *}" 502 "hsoff: an HS512 ID token without id_token_hmac_algs: 502"
ok "hsoff: no session" sets_no_session "$T/jar-hsoff.headers"
like "$(grep -i 'hs512' "$T/oidc-login.log" | tail -n 1)" 'id_token_hmac_algs' \
    "hsoff: the log line names id_token_hmac_algs"

# Logout through the portal: oidc-login clears the session, sends the
# browser to the end_session endpoint with the ID token as a hint; the
# portal confirms and comes back to the site; its SSO session is gone.
rp_logout "logout" "$T/jar-rs256" "^$LLNG/oauth2/logout\?"
is "$(query_param "$LOGOUT_URL" client_id)" rs256 "logout: with client_id"
out=$(llng_logout "$LOGOUT_URL" "$T/jar-rs256")
is "$out" "302 $WEB/" "logout: the portal sends the browser back to the site"
out=$(_curl_step "$T/jar-rs256" "$T/relogin" \
    "$(_curl_step "$T/jar-rs256" "$T/relogin0" "$(start_url rs256)" | cut -d' ' -f2)")
is "${out%% *}" 200 "logout: the portal asks for a password again"
ok "logout: its login form" grep -q 'type="password"' "$T/relogin"

done_testing
